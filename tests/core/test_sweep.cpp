// The sparsity path (sparse_iht/sweep.hpp): its grid, warm starts and
// monotone curve, cross-validation that never sees the test split, the
// baselines, the enumeration certificate and the swap search.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "errors.hpp"
#include "sparse_iht/csv.hpp"
#include "sparse_iht/dataset.hpp"
#include "sparse_iht/exact.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/sweep.hpp"

using namespace sparse_iht;

namespace {

bool non_increasing_train_loss(const SweepResult& r) {
  for (std::size_t i = 1; i < r.points.size(); ++i) {
    if (r.points[i].train_loss > r.points[i - 1].train_loss) return false;
  }
  return true;
}

Dataset real(const char* name) {
  return load_csv_file(std::string(SPARSE_IHT_TEST_DATA) + "/real/" + name, "");
}

}  // namespace

TEST_CASE("path grid: every s up to 60, about 40 log-spaced values beyond, n always last") {
  std::vector<int> all(15);
  for (int s = 1; s <= 15; ++s) all[static_cast<std::size_t>(s) - 1] = s;
  CHECK(s_grid(15, {}) == all);
  CHECK(s_grid(60, {}).size() == 60);
  for (const int n : {61, 650, 2410, 100000}) {
    CAPTURE(n);
    const std::vector<int> g = s_grid(n, {});
    CHECK(g.size() >= 35);
    CHECK(g.size() <= 41);
    CHECK(g.front() == 1);
    CHECK(g.back() == n);
    CHECK(std::is_sorted(g.begin(), g.end()));
    CHECK(std::adjacent_find(g.begin(), g.end()) == g.end());
    for (int s = 1; s <= 10; ++s) CHECK(std::count(g.begin(), g.end(), s) == 1);
  }
  // An explicit list is sorted, deduplicated and ends with n.
  CHECK(s_grid(15, {5, 2, 5, 10}) == std::vector<int>{2, 5, 10, 15});
  CHECK(s_grid(15, {15}) == std::vector<int>{15});
  CHECK(sparse_iht_test::bad_option_of([] { (void)s_grid(15, {0}); }) == "s-grid");
  CHECK(sparse_iht_test::bad_option_of([] { (void)s_grid(15, {16}); }) == "s-grid");
}

TEST_CASE("path on IRIS: warm starts make the certified curve non-increasing, with baselines") {
  RunOptions o;
  o.iters = 300;
  const SweepResult r = sweep(o, iris());
  REQUIRE(r.points.size() == 15);
  CHECK(r.complete);
  CHECK(r.grid.back() == 15);
  CHECK(non_increasing_train_loss(r));
  std::set<std::string> starts;
  for (const SweepPoint& p : r.points) {
    CAPTURE(p.s);
    CHECK(p.step_certified);
    CHECK((p.start == "cold" || p.start == "up" || p.start == "down"));
    starts.insert(p.start);
    // The point is the best of its starts: never above the cold one.
    CHECK(p.objective <= p.cold.objective);
    CHECK(static_cast<int>(p.support.size()) <= p.s);
    REQUIRE(p.baselines.has_value());
    CHECK(static_cast<int>(p.baselines->magnitude.support.size()) <= p.s);
    CHECK(static_cast<int>(p.baselines->l1.support.size()) <= p.s);
    CHECK(p.baselines->l1_lambda > 0.0);
    // The bisection keeps the feasible side: the L1 solution has at most s
    // nonzeros, and its retrained support is within it.
    CHECK(p.baselines->l1_nonzeros <= p.s);
    CHECK(p.baselines->l1.support.size() <= static_cast<std::size_t>(p.baselines->l1_nonzeros));
    CHECK(p.gap_to_dense >= 0.0);
  }
  CHECK(starts.size() > 1);  // the warm starts win somewhere
  CHECK(r.points.back().theta == r.dense.theta);
  // Without warm starts every point is the cold start, and the curve is not
  // monotone (s = 2 ends above s = 1 on IRIS at these settings).
  RunOptions cold = o;
  cold.warm = false;
  cold.baselines = false;
  const SweepResult c = sweep(cold, iris());
  for (std::size_t i = 0; i < c.points.size(); ++i) {
    CHECK(c.points[i].start == "cold");
    CHECK(c.points[i].train_loss == r.points[i].cold.train_loss);
    CHECK_FALSE(c.points[i].baselines.has_value());
  }
}

TEST_CASE("path: a warm start that ends above the cold start does not replace it") {
  // With a hidden layer, s = 1's cold start stays at the saddle θ = 0
  // (f = ln 3); the downward start from H_1 of s = 2's solution ends no lower.
  RunOptions o;
  o.hidden = {4};
  o.s_grid = {1, 2};
  o.baselines = false;
  const SweepResult r = sweep(o, iris());
  REQUIRE(r.points.size() == 3);
  const SweepPoint& one = r.points.front();
  CHECK(one.start == "cold");
  CHECK(one.objective == one.cold.objective);
  CHECK(one.objective == doctest::Approx(std::log(3.0)).epsilon(1e-12));
  for (const SweepPoint& p : r.points) CHECK(p.objective <= p.cold.objective);
}

TEST_CASE("path: cross-validation chooses s inside the training split, by the 1-SE rule") {
  RunOptions o;
  o.iters = 200;
  o.cv = 3;
  o.baselines = false;
  o.s_grid = {1, 2, 3, 5, 8};
  const SweepResult r = sweep(o, iris());
  REQUIRE(r.cv.has_value());
  const CrossValidation& cv = *r.cv;
  CHECK(cv.folds == 3);
  CHECK(cv.s == r.grid);
  CHECK(cv.mean_loss.size() == r.grid.size());
  CHECK(cv.std_err_loss.size() == r.grid.size());
  CHECK(cv.mean_accuracy.size() == r.grid.size());
  CHECK(cv.criterion.values.size() == r.grid.size());
  CHECK(std::count(r.grid.begin(), r.grid.end(), cv.chosen_s) == 1);
  CHECK(std::count(r.grid.begin(), r.grid.end(), cv.min_s) == 1);
  CHECK(std::count(r.grid.begin(), r.grid.end(), cv.criterion.chosen_s) == 1);
  const auto at = [&](int s) {
    return static_cast<std::size_t>(std::find(r.grid.begin(), r.grid.end(), s) - r.grid.begin());
  };
  // The mean and standard error are those of the per-fold losses: sample
  // deviation / √K.
  REQUIRE(cv.fold_loss.size() == r.grid.size());
  for (std::size_t i = 0; i < r.grid.size(); ++i) {
    const std::vector<double>& f = cv.fold_loss[i];
    REQUIRE(f.size() == 3);
    const double mean = (f[0] + f[1] + f[2]) / 3.0;
    double ss = 0.0;
    for (const double x : f) ss += (x - mean) * (x - mean);
    CHECK(cv.mean_loss[i] == doctest::Approx(mean).epsilon(1e-14));
    CHECK(cv.std_err_loss[i] ==
          doctest::Approx(std::sqrt(ss / 2.0) / std::sqrt(3.0)).epsilon(1e-12));
  }
  // min_s has the lowest mean; chosen_s is the smallest s within one SE of it.
  for (std::size_t i = 0; i < r.grid.size(); ++i)
    CHECK(cv.mean_loss[i] >= cv.mean_loss[at(cv.min_s)]);
  const double limit = cv.mean_loss[at(cv.min_s)] + cv.std_err_loss[at(cv.min_s)];
  CHECK(cv.chosen_s <= cv.min_s);
  CHECK(cv.mean_loss[at(cv.chosen_s)] <= limit);
  for (std::size_t i = 0; i < at(cv.chosen_s); ++i) CHECK(cv.mean_loss[i] > limit);
  // Stability selection: shares in [0, 1] whose sum is the mean support size.
  REQUIRE(r.support_frequency.size() == r.grid.size());
  for (std::size_t i = 0; i < r.grid.size(); ++i) {
    double total = 0.0;
    for (const double f : r.support_frequency[i]) {
      CHECK(f >= 0.0);
      CHECK(f <= 1.0 + 1e-12);
      total += f;
    }
    CHECK(total <= r.grid[i] + 1e-9);
    CHECK(total > 0.0);
  }
}

TEST_CASE("path: --threads traces the folds side by side with the same numbers, and stops") {
  RunOptions o;
  o.iters = 60;
  o.cv = 4;
  o.s_grid = {1, 3, 5, 9};
  const SweepResult one = sweep(o, iris());
  REQUIRE(one.cv.has_value());
  for (const int threads : {0, 2, 5, 64}) {
    CAPTURE(threads);
    o.threads = threads;
    const SweepResult many = sweep(o, iris());
    CHECK(many.complete);
    REQUIRE(many.points.size() == one.points.size());
    for (std::size_t i = 0; i < one.points.size(); ++i) {
      CHECK(many.points[i].theta == one.points[i].theta);
      CHECK(many.points[i].train_loss == one.points[i].train_loss);
      CHECK(many.points[i].start == one.points[i].start);
      REQUIRE(many.points[i].baselines.has_value());
      CHECK(many.points[i].baselines->l1.train_loss == one.points[i].baselines->l1.train_loss);
      CHECK(many.points[i].baselines->l1.support == one.points[i].baselines->l1.support);
      CHECK(many.points[i].baselines->magnitude.train_loss ==
            one.points[i].baselines->magnitude.train_loss);
    }
    REQUIRE(many.cv.has_value());
    CHECK(many.cv->fold_loss == one.cv->fold_loss);
    CHECK(many.cv->mean_loss == one.cv->mean_loss);
    CHECK(many.cv->std_err_loss == one.cv->std_err_loss);
    CHECK(many.cv->chosen_s == one.cv->chosen_s);
    CHECK(many.support_frequency == one.support_frequency);
  }

  // The observer hears every training once, one call at a time, counting up
  // to the total; asked to stop, every thread ends after its current training.
  struct Counting : SweepObserver {
    std::vector<int> done;
    std::set<std::thread::id> threads;
    int total = 0;
    int stop_at = -1;
    void on_progress(int finished, int of) override {
      done.push_back(finished);
      threads.insert(std::this_thread::get_id());
      total = of;
    }
    bool should_stop() override { return stop_at >= 0 && done.back() >= stop_at; }
  };
  o.threads = 3;
  // Long enough trainings (about half a second in all) that the threads
  // started first are running before the caller could take every task.
  RunOptions longer = o;
  longer.iters = 1000;
  Counting all;
  (void)sweep(longer, iris(), &all);
  REQUIRE_FALSE(all.done.empty());
  for (std::size_t i = 0; i < all.done.size(); ++i) CHECK(all.done[i] == static_cast<int>(i) + 1);
  CHECK(all.done.back() == all.total);
  // The trainings did run on more than one thread (5 tasks of many milliseconds each).
  CHECK(all.threads.size() >= 2);
  CHECK(all.threads.size() <= 3);
  Counting stopping;
  stopping.stop_at = 5;
  const SweepResult part = sweep(o, iris(), &stopping);
  CHECK_FALSE(part.complete);
  CHECK_FALSE(part.cv.has_value());
  CHECK(part.support_frequency.empty());
  // Each of the 3 threads may finish the training it was in.
  CHECK(stopping.done.size() <= 5 + 2);

  // The baselines start once the main path's dense end is known: L1 in the
  // main task, magnitude pruning as a task of its own. Stopped during them, a
  // point has both baselines or neither, the points that have them come first,
  // and theirs are the complete run's. One thread runs the magnitude task
  // last: stopped two trainings before the end, all but the last two points
  // have them.
  for (const int threads : {1, 3}) {
    CAPTURE(threads);
    RunOptions late = o;
    late.threads = threads;
    Counting late_stop;
    late_stop.stop_at = all.total - 2;
    const SweepResult r = sweep(late, iris(), &late_stop);
    CHECK_FALSE(r.complete);
    REQUIRE(r.points.size() == one.points.size());
    std::size_t with = 0;
    while (with < r.points.size() && r.points[with].baselines.has_value()) ++with;
    for (std::size_t i = with; i < r.points.size(); ++i) {
      CHECK_FALSE(r.points[i].baselines.has_value());
    }
    for (std::size_t i = 0; i < with; ++i) {
      CHECK(r.points[i].baselines->magnitude.train_loss ==
            one.points[i].baselines->magnitude.train_loss);
      CHECK(r.points[i].baselines->l1.train_loss == one.points[i].baselines->l1.train_loss);
      CHECK(r.points[i].baselines->l1_lambda == one.points[i].baselines->l1_lambda);
    }
    if (threads == 1) CHECK(with == one.points.size() - 2);
  }

  // The L1 baseline's proximal-gradient runs count too: its λ path (40), then
  // 10 bisections a grid point. Asked to stop in the middle of them, one
  // thread stops there, at once, with the path whole and no baselines.
  const int g = static_cast<int>(one.grid.size());
  const int per_path = g + 2 * (g - 1);
  CHECK(all.total == per_path * (1 + o.cv) + 2 * g + 40 + 10 * g);
  for (const int into_l1 : {1, 25, 40 + 10 * g - 3}) {
    CAPTURE(into_l1);
    RunOptions single = o;
    single.threads = 1;
    Counting l1_stop;
    l1_stop.stop_at = per_path + into_l1;
    const SweepResult r = sweep(single, iris(), &l1_stop);
    CHECK_FALSE(r.complete);
    CHECK(l1_stop.done.size() == static_cast<std::size_t>(per_path + into_l1));
    REQUIRE(r.points.size() == one.points.size());
    for (const SweepPoint& p : r.points) CHECK_FALSE(p.baselines.has_value());
  }
}

TEST_CASE("path: the test rows play no part in cross-validation") {
  RunOptions o;
  o.iters = 100;
  o.cv = 3;
  o.baselines = false;
  o.s_grid = {2, 5};
  const Dataset original = iris();
  Dataset changed = original;
  const SplitIndices parts = stratified_split_indices(original, o.test_fraction, o.seed);
  REQUIRE(!parts.test.empty());
  for (const int i : parts.test) changed.x.col(i) *= -3.0;
  const SweepResult a = sweep(o, original);
  const SweepResult b = sweep(o, changed);
  REQUIRE(a.cv.has_value());
  REQUIRE(b.cv.has_value());
  CHECK(a.cv->mean_loss == b.cv->mean_loss);
  CHECK(a.cv->std_err_loss == b.cv->std_err_loss);
  CHECK(a.cv->mean_accuracy == b.cv->mean_accuracy);
  CHECK(a.cv->chosen_s == b.cv->chosen_s);
  CHECK(a.cv->criterion.values == b.cv->criterion.values);
  CHECK(a.support_frequency == b.support_frequency);
  // ... while the reported test figures do change.
  CHECK(a.points[0].test_loss != b.points[0].test_loss);
  // Folds: stratified, disjoint, covering the training split.
  const auto folds = stratified_folds(original, parts.train, 3, 7);
  std::vector<int> all;
  for (const auto& f : folds) all.insert(all.end(), f.begin(), f.end());
  std::sort(all.begin(), all.end());
  CHECK(all == parts.train);
  CHECK(sparse_iht_test::bad_option_of(
            [&] { (void)stratified_folds(original, parts.train, 1, 7); }) == "cv");
  RunOptions one = o;
  one.cv = 1;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)sweep(one, original); }) == "cv");
}

TEST_CASE("path: --exact certifies the best support per s, and IHT's gap to it is ≥ 0") {
  RunOptions o;
  o.ridge = 1e-2;
  o.test_fraction = 0.0;
  o.iters = 500;
  o.exact = true;
  o.swaps = true;
  o.baselines = false;
  o.s_grid = {1, 2, 3, 13, 14};
  const SweepResult r = sweep(o, iris());
  CHECK(r.exact_note.empty());
  for (const SweepPoint& p : r.points) {
    CAPTURE(p.s);
    REQUIRE(p.exact.has_value());
    CHECK(static_cast<int>(p.exact->support.size()) == p.s);
    CHECK(*p.exact_gap > -1e-9);  // nothing beats the enumeration
    REQUIRE(p.swap.has_value());
    CHECK(p.swap->objective >= p.exact->objective - 1e-9);
    CHECK(p.swap->objective <= p.objective + 1e-9);  // the search never makes it worse
  }
  // s = 1: 15 supports; the best is the minimum of the 15 one-coordinate problems.
  double best = HUGE_VAL;
  Problem problem(o, iris());
  for (int j = 0; j < 15; ++j) {
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(15);
    best = std::min(best, softmax_support_minimum(problem, o.ridge, {j}, theta));
  }
  CHECK(r.points[0].exact->objective == doctest::Approx(best).epsilon(1e-12));
  // No certificate without a ridge, or with hidden layers, and it says why.
  RunOptions plain = o;
  plain.ridge = 0.0;
  plain.swaps = false;
  const SweepResult none = sweep(plain, iris());
  CHECK(none.exact_note.find("ridge") != std::string::npos);
  CHECK_FALSE(none.points[0].exact.has_value());
  RunOptions hidden = o;
  hidden.hidden = {3};
  hidden.swaps = false;
  hidden.s_grid = {2};
  CHECK(sweep(hidden, iris()).exact_note.find("hidden layers") != std::string::npos);
}

TEST_CASE("path: the restricted Newton solve is a minimum on its support") {
  RunOptions o;
  o.ridge = 1e-2;
  Problem problem(o, iris());
  const std::vector<int> support = {2, 3, 10, 11, 13};
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(15);
  const double value = softmax_support_minimum(problem, o.ridge, support, theta);
  CHECK(value == doctest::Approx(problem.objective().evaluate(theta)).epsilon(1e-12));
  Eigen::VectorXd grad(15);
  problem.objective().evaluate_with_gradient(theta, grad);
  for (const int j : support) CHECK(std::abs(grad[j]) < 1e-8);
  for (int j = 0; j < 15; ++j) {
    if (!std::binary_search(support.begin(), support.end(), j)) CHECK(theta[j] == 0.0);
  }
}

TEST_CASE("path on real data no one here wrote: monotone, with the default grid") {
  struct Case {
    const char* file;
    int n;
    std::size_t max_grid;
    int iters;
  };
  // digits (1,797 × 64, 10 classes, n = 650) with few iterations, to keep the suite quick.
  for (const Case c : {Case{"wine.csv", 42, 42, 100}, Case{"breast_cancer.csv", 62, 41, 100},
                       Case{"digits.csv", 650, 64, 30}}) {
    CAPTURE(c.file);
    RunOptions o;
    o.data = c.file;
    o.iters = c.iters;
    o.baselines = false;
    const SweepResult r = sweep(o, real(c.file));
    CHECK(r.dense.n == c.n);
    CHECK(r.grid.size() <= c.max_grid);
    CHECK(r.grid.back() == c.n);
    CHECK(non_increasing_train_loss(r));
  }
}
