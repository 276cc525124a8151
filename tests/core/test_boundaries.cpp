// Every comparison in the core that decides a status, with a case on each side
// of it (issue #10). Trajectories are computed by hand on 1-D and 2-D
// quadratics with dyadic numbers, so each boundary is hit exactly, not nearly.
//
// comparison                         | file:function                     | inside → outside (test
// case)
// -----------------------------------+-----------------------------------+------------------------------------
// margin > 0                         | ht_stability.cpp:check_ht_stability| m = 2^−52 stable → m =
// 0 not
//                                    |                                   |   (test_ht_stability:
//                                    "margin exactly 0")
// ‖∇_S f‖∞ <= tolerance (|S| = s)    | ht_stability.cpp:check_ht_stability| = 0.25 stable → 0.25⁺
// not ("at the tolerance") ‖∇f‖∞ <= tolerance (|S| < s)       |
// ht_stability.cpp:check_ht_stability| = 0.125 on/off S stable → 0.125⁺ not ("|S| < s") |S| >= s
// picks the margin rule     | ht_stability.cpp:check_ht_stability| s = |S| margin rule → s = |S|+1
// whole ∇f margin from ∇ off S, |θ| on S      | ht_stability.cpp:check_ht_stability| huge ∇ on S: m
// unchanged → huge ∇ off S: m moves step_norm <= tolerance             | iht.cpp:Iht::advance | tol
// = 0.25 = ‖Δθ_3‖ converged at 3 → tol = 0.25⁻ at 4 entered == 0 && left == 0          |
// iht.cpp:Iht::advance              | support kept → converged; a swap, a drop or an
//                                    |                                   |   entry with ‖Δθ‖ ≤ tol
//                                    → not converged
// next_loss > loss_limit_            | iht.cpp:Iht::advance              | f = limit kept → f >
// limit (factor 8 → 8⁻) diverged max(1, |f(θ_0)|)                   | iht.cpp:Iht::start | |f_0| =
// 0.5 → 1 used; |f_0| = 2 → 2 used; f_0 = −1.5 isfinite(loss), grad.allFinite()   |
// iht.cpp:Iht::start/advance        | finite → NaN loss / ∞ gradient: diverged, θ_k kept
// next_.allFinite() (mini-batch)     | iht.cpp:Iht::advance              | finite batch gradient →
// ∞: diverged, θ_k kept iteration_ >= max_iterations       | iht.cpp:Iht::advance              |
// advance(3) of 5 running → advance(2) max_iterations;
//                                    |                                   |   max 0: no iteration;
//                                    split = one call
// should_stop()                      | iht.cpp:Iht::advance              | false → true before the
// first step: 0 iterations converged before max_iterations    | iht.cpp:Iht::advance              |
// both at iteration 3 → converged s in 1..n                          | iht.cpp:Iht::Iht | 1, n → 0,
// n + 1 step > 0 and finite                | iht.cpp:Iht::Iht                  | 2^−1074 → 0, ∞,
// NaN max_iterations >= 0                | iht.cpp:Iht::Iht                  | 0 → −1 tolerance >=
// 0                     | iht.cpp:Iht::Iht                  | 0 → −2^−1074, NaN batch_size >= 0 |
// iht.cpp:Iht::Iht                  | 0 → −1 divergence_factor > 1              | iht.cpp:Iht::Iht
// | 1⁺ → 1, NaN 0 < batch_size < m (mini-batch)    | iht.cpp:Iht::advance              | m − 1
// mini-batch → 0, m, m + 1 full
//                                    |                                   |   (test_iht: "mini-batch
//                                    boundaries")
// batch_cursor_ >= total (new epoch) | iht.cpp:Iht::next_batch_gradient  | remainder batch kept →
// reshuffle (test_iht: "epochs") s default min(5, n)                | trainer.cpp:Trainer::Trainer
// | n = 4 → s = 4; n = 15 → s = 5 s <= n                             |
// options.cpp:validate_against_model| s = n → n + 1 (test_options, and below) ht_tolerance passed
// to the check   | trainer.cpp:Trainer::result       | tol = ‖∇_S f‖∞ stable → its predecessor not
// test.num_samples() > 0             | trainer.cpp:Problem::Problem      | fraction 0: no test
// objective (test_trainer) standardize on/off                 | trainer.cpp:Problem::Problem      |
// on: train stats → off: raw (test_dataset) s < n, then the dense point        | sweep.cpp:sweep |
// s = 1 … n − 1 trained, s = n is dense should_stop() between points       | sweep.cpp:sweep | no
// stop: n points → stop after 2: 2 points s in 1..n, samples >= 1            |
// lipschitz.cpp:estimate_l2s        | 1, n, 1 sample → 0, n + 1, 0 samples scale > 0 and finite |
// lipschitz.cpp:estimate_l2s        | 1e−100 → 0, ∞ centre of length n                 |
// lipschitz.cpp:estimate_l2s        | n → n − 1 isfinite(ratio)                    |
// lipschitz.cpp:estimate_l2s        | finite → NaN gradient: InputError option ranges (s, iters,
// step, …)  | options.cpp:apply                 | test_options: "every range boundary" round(f ·
// count), clamped          | dataset.cpp:stratified_split      | test_dataset: "class counts"
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <vector>

#include "errors.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/ht_stability.hpp"
#include "sparse_iht/iht.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/objective.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

using namespace sparse_iht;

namespace {

// f(x) = ½ xᵀ diag(a) x − bᵀx.
QuadraticObjective diagonal(std::initializer_list<double> a, std::initializer_list<double> b) {
  Eigen::VectorXd d(static_cast<Eigen::Index>(a.size()));
  Eigen::VectorXd c(static_cast<Eigen::Index>(b.size()));
  Eigen::Index i = 0;
  for (const double v : a) d[i++] = v;
  i = 0;
  for (const double v : b) c[i++] = v;
  return QuadraticObjective(d.asDiagonal(), c);
}

Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const double x : values) v[i++] = x;
  return v;
}

IhtOptions iht_options(int s, double step, int max_iterations, double tolerance) {
  IhtOptions o;
  o.s = s;
  o.step = step;
  o.max_iterations = max_iterations;
  o.tolerance = tolerance;
  return o;
}

struct Trace : IterationObserver {
  std::vector<IterationInfo> seen;
  std::vector<Eigen::VectorXd> thetas;
  int stop_after = -1;  // ask to stop once this many iterates were seen
  void on_iteration(const IterationInfo& info) override {
    seen.push_back(info);
    thetas.push_back(*info.theta);
  }
  bool should_stop() override {
    return stop_after >= 0 && static_cast<int>(seen.size()) >= stop_after;
  }
};

// ½ (x − 10)² in 1-D (optionally as `terms` identical terms), whose loss or
// gradient stops being finite once x > 8.
class PoisonedQuadratic final : public Objective {
 public:
  enum class Poison { loss, gradient };
  PoisonedQuadratic(Poison poison, int terms) : poison_(poison), terms_(terms) {}
  int dimension() const override { return 1; }
  int num_functions() const override { return terms_; }
  double evaluate(const Eigen::VectorXd& theta) override {
    if (poison_ == Poison::loss && theta[0] > 8.0) return std::numeric_limits<double>::quiet_NaN();
    return 0.5 * (theta[0] - 10.0) * (theta[0] - 10.0);
  }
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override {
    grad.resize(1);
    grad[0] = poison_ == Poison::gradient && theta[0] > 8.0
                  ? std::numeric_limits<double>::infinity()
                  : theta[0] - 10.0;
    return evaluate(theta);
  }
  double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int*, int,
                                      Eigen::VectorXd& grad) override {
    return evaluate_with_gradient(theta, grad);
  }

 private:
  Poison poison_;
  int terms_;
};

}  // namespace

TEST_CASE("IHT converged: ‖θ_{k+1} − θ_k‖ exactly at the tolerance converges, above does not") {
  // ½x² − x from 3 with γ = ½: θ_k = 1 + 2^{1−k}, steps 1, ½, ¼, ⅛, …
  auto f = diagonal({1.0}, {1.0});
  Trace trace;
  Iht at(f, iht_options(1, 0.5, 100, 0.25), vec({3.0}));
  CHECK(at.run(&trace) == IhtStatus::converged);
  CHECK(at.iterations() == 3);
  CHECK(at.theta()[0] == 1.25);
  REQUIRE(trace.seen.size() == 4);
  CHECK(trace.seen[1].step_norm == 1.0);
  CHECK(trace.seen[2].step_norm == 0.5);
  CHECK(trace.seen[3].step_norm == 0.25);
  Iht above(f, iht_options(1, 0.5, 100, std::nextafter(0.25, 0.0)), vec({3.0}));
  CHECK(above.run() == IhtStatus::converged);
  CHECK(above.iterations() == 4);
  CHECK(above.theta()[0] == 1.125);
  // When the budget runs out at the same iteration, converged wins; one ulp
  // stricter, the budget decides.
  Iht both(f, iht_options(1, 0.5, 3, 0.25), vec({3.0}));
  CHECK(both.run() == IhtStatus::converged);
  Iht budget(f, iht_options(1, 0.5, 3, std::nextafter(0.25, 0.0)), vec({3.0}));
  CHECK(budget.run() == IhtStatus::max_iterations);
  CHECK(budget.iterations() == 3);
}

TEST_CASE("IHT converged needs an unchanged support, however small the step") {
  // Tolerance 1 is above every step below: only the support can say no.
  SUBCASE("a swap: one index enters, one leaves") {
    // ½‖x‖² − x₂ with s = 1 from (½, 0): the step gives (¼, ½) → H_1 → (0, ½).
    auto f = diagonal({1.0, 1.0}, {0.0, 1.0});
    Trace trace;
    Iht iht(f, iht_options(1, 0.5, 100, 1.0), vec({0.5, 0.0}));
    CHECK(iht.run(&trace) == IhtStatus::converged);
    CHECK(iht.iterations() == 2);
    REQUIRE(trace.seen.size() == 3);
    CHECK(trace.seen[1].entered == 1);
    CHECK(trace.seen[1].left == 1);
    CHECK(trace.seen[1].step_norm < 1.0);
    CHECK(trace.thetas[1] == vec({0.0, 0.5}));
    CHECK(iht.theta() == vec({0.0, 0.75}));
  }
  SUBCASE("an index leaves (entered = 0), then enters again (left = 0)") {
    // ½‖x‖² − x₁ + ½x₂ with s = 2 from (1, ½): θ_1 = (1, 0), θ_2 = (1, −¼), θ_3 = (1, −⅜).
    auto f = diagonal({1.0, 1.0}, {1.0, -0.5});
    Trace trace;
    Iht iht(f, iht_options(2, 0.5, 100, 1.0), vec({1.0, 0.5}));
    CHECK(iht.run(&trace) == IhtStatus::converged);
    CHECK(iht.iterations() == 3);
    REQUIRE(trace.seen.size() == 4);
    CHECK(trace.thetas[1] == vec({1.0, 0.0}));
    CHECK(trace.seen[1].entered == 0);
    CHECK(trace.seen[1].left == 1);
    CHECK(trace.seen[1].step_norm == 0.5);
    CHECK(trace.seen[2].entered == 1);
    CHECK(trace.seen[2].left == 0);
    CHECK(trace.seen[2].step_norm == 0.25);
    CHECK(trace.seen[3].entered == 0);
    CHECK(trace.seen[3].left == 0);
    CHECK(iht.theta() == vec({1.0, -0.375}));
  }
}

TEST_CASE("IHT diverged: a loss equal to the limit is kept, one above it is not") {
  // ½x² with γ = 3: θ_{k+1} = −2θ_k, so f is multiplied by 4 each step.
  auto f = diagonal({1.0}, {0.0});
  SUBCASE("|f(θ_0)| < 1: the limit is factor · 1") {
    // f = ½, 2, 8, 32: with factor 8 the limit is 8 (not 8 · ½).
    IhtOptions o = iht_options(1, 3.0, 100, 0.0);
    o.divergence_factor = 8.0;
    Iht at(f, o, vec({1.0}));
    CHECK(at.run() == IhtStatus::diverged);
    CHECK(at.iterations() == 2);
    CHECK(at.theta()[0] == 4.0);
    CHECK(at.loss() == 8.0);
    o.divergence_factor = std::nextafter(8.0, 0.0);
    Iht above(f, o, vec({1.0}));
    CHECK(above.run() == IhtStatus::diverged);
    CHECK(above.iterations() == 1);
    CHECK(above.theta()[0] == -2.0);
    CHECK(above.loss() == 2.0);
  }
  SUBCASE("|f(θ_0)| > 1: the limit is factor · |f(θ_0)|") {
    // f = 2, 8, 32, 128: with factor 16 the limit is 32 (not 16).
    IhtOptions o = iht_options(1, 3.0, 100, 0.0);
    o.divergence_factor = 16.0;
    Iht at(f, o, vec({2.0}));
    CHECK(at.run() == IhtStatus::diverged);
    CHECK(at.iterations() == 2);
    CHECK(at.loss() == 32.0);
    o.divergence_factor = std::nextafter(16.0, 0.0);
    Iht above(f, o, vec({2.0}));
    CHECK(above.run() == IhtStatus::diverged);
    CHECK(above.iterations() == 1);
  }
  SUBCASE("f(θ_0) < 0: the limit uses |f(θ_0)|") {
    // ½x² − 2x from 3 with γ = 3: θ = 3, 0, 6, −6 and f = −1.5, 0, 6, 30: with
    // factor 4 the limit is 4 · 1.5 = 6 (not 4 · max(1, −1.5) = 4).
    auto g = diagonal({1.0}, {2.0});
    IhtOptions o = iht_options(1, 3.0, 100, 0.0);
    o.divergence_factor = 4.0;
    Iht at(g, o, vec({3.0}));
    CHECK(at.run() == IhtStatus::diverged);
    CHECK(at.iterations() == 2);
    CHECK(at.theta()[0] == 6.0);
    CHECK(at.loss() == 6.0);
    o.divergence_factor = std::nextafter(4.0, 0.0);
    Iht above(g, o, vec({3.0}));
    CHECK(above.run() == IhtStatus::diverged);
    CHECK(above.iterations() == 1);
    CHECK(above.theta()[0] == 0.0);
  }
}

TEST_CASE("IHT diverged: a non-finite loss or gradient keeps the last finite iterate") {
  // ½(x − 10)² from 0 with γ = ½: θ = 0, 5, 7.5, 8.75 — poisoned above 8.
  using Poison = PoisonedQuadratic::Poison;
  for (const Poison poison : {Poison::loss, Poison::gradient}) {
    CAPTURE(poison == Poison::loss);
    PoisonedQuadratic f(poison, 1);
    Trace trace;
    Iht iht(f, iht_options(1, 0.5, 100, 0.0), vec({0.0}));
    CHECK(iht.run(&trace) == IhtStatus::diverged);
    CHECK(iht.iterations() == 2);
    CHECK(iht.theta()[0] == 7.5);
    CHECK(iht.loss() == 0.5 * 2.5 * 2.5);
    CHECK(trace.thetas.back()[0] == 7.5);
    // Poisoned at θ_0 already: no iteration at all.
    Iht at_start(f, iht_options(1, 0.5, 100, 0.0), vec({9.0}));
    CHECK(at_start.run() == IhtStatus::diverged);
    CHECK(at_start.iterations() == 0);
    CHECK(at_start.theta()[0] == 9.0);
    // The check on θ_0 itself, not the first step's: with no budget at all the
    // status is still diverged.
    Iht no_budget(f, iht_options(1, 0.5, 0, 0.0), vec({9.0}));
    CHECK(no_budget.advance(0) == IhtStatus::diverged);
  }
  // Mini-batches evaluate only the loss at θ_{k+1}: a NaN loss stops at θ_2,
  // an infinite batch gradient is seen one step later and stops at θ_3.
  PoisonedQuadratic nan_loss(Poison::loss, 2);
  IhtOptions o = iht_options(1, 0.5, 100, 0.0);
  o.batch_size = 1;
  Iht by_loss(nan_loss, o, vec({0.0}));
  CHECK(by_loss.run() == IhtStatus::diverged);
  CHECK(by_loss.iterations() == 2);
  CHECK(by_loss.theta()[0] == 7.5);
  PoisonedQuadratic inf_gradient(Poison::gradient, 2);
  Iht by_gradient(inf_gradient, o, vec({0.0}));
  CHECK(by_gradient.run() == IhtStatus::diverged);
  CHECK(by_gradient.iterations() == 3);
  CHECK(by_gradient.theta()[0] == 8.75);
  CHECK(std::isfinite(by_gradient.loss()));
}

TEST_CASE("IHT max_iterations: exactly the budget, whether in one call or in pieces") {
  auto f = diagonal({1.0}, {1.0});
  const IhtOptions o = iht_options(1, 0.5, 5, 0.0);
  Trace trace;
  Iht whole(f, o, vec({3.0}));
  CHECK(whole.run(&trace) == IhtStatus::max_iterations);
  CHECK(whole.iterations() == 5);
  CHECK(whole.theta()[0] == 1.0625);  // 1 + 2^{1−5}
  CHECK(trace.seen.size() == 6);
  Trace pieces_trace;
  Iht pieces(f, o, vec({3.0}));
  CHECK(pieces.advance(0, &pieces_trace) == IhtStatus::running);
  CHECK(pieces.iterations() == 0);
  CHECK(pieces.advance(3, &pieces_trace) == IhtStatus::running);
  CHECK(pieces.iterations() == 3);
  // The status changes as the last budgeted iteration ends, not one call later.
  CHECK(pieces.advance(2, &pieces_trace) == IhtStatus::max_iterations);
  CHECK(pieces.iterations() == 5);
  CHECK(pieces.advance(1, &pieces_trace) == IhtStatus::max_iterations);
  CHECK(pieces.iterations() == 5);
  CHECK(pieces.theta() == whole.theta());
  CHECK(pieces.loss() == whole.loss());
  CHECK(pieces_trace.thetas == trace.thetas);
  // Two calls that overshoot the budget stop at it too.
  Iht overshoot(f, o, vec({3.0}));
  overshoot.advance(4);
  CHECK(overshoot.advance(4) == IhtStatus::max_iterations);
  CHECK(overshoot.theta() == whole.theta());
  // A budget of 0 takes no step but still evaluates θ_0.
  Trace none_trace;
  Iht none(f, iht_options(1, 0.5, 0, 0.0), vec({3.0}));
  CHECK(none.run(&none_trace) == IhtStatus::max_iterations);
  CHECK(none.iterations() == 0);
  CHECK(none.loss() == 1.5);
  CHECK(none_trace.seen.size() == 1);
}

TEST_CASE("IHT stopped: an observer asking before the first step, and stop() after the end") {
  auto f = diagonal({1.0}, {1.0});
  Trace trace;
  trace.stop_after = 1;  // as soon as θ_0 is reported
  Iht iht(f, iht_options(1, 0.5, 100, 0.0), vec({3.0}));
  CHECK(iht.run(&trace) == IhtStatus::stopped);
  CHECK(iht.iterations() == 0);
  CHECK(iht.theta()[0] == 3.0);
  Trace later;
  later.stop_after = 3;
  Iht after_two(f, iht_options(1, 0.5, 100, 0.0), vec({3.0}));
  CHECK(after_two.run(&later) == IhtStatus::stopped);
  CHECK(after_two.iterations() == 2);
  // A finished run keeps its status.
  Iht done(f, iht_options(1, 0.5, 100, 0.25), vec({3.0}));
  CHECK(done.run() == IhtStatus::converged);
  done.stop();
  CHECK(done.status() == IhtStatus::converged);
}

TEST_CASE("IHT options: each range accepts its edge and refuses the value beyond") {
  auto f = diagonal({1.0, 1.0, 1.0}, {1.0, 1.0, 1.0});
  const Eigen::VectorXd theta0 = vec({1.0, 2.0, 3.0});
  const double tiny = std::numeric_limits<double>::denorm_min();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  IhtOptions o = iht_options(1, 0.5, 10, 0.0);
  CHECK_NOTHROW(Iht(f, o, theta0));
  o.s = 3;
  CHECK_NOTHROW(Iht(f, o, theta0));
  for (const int s : {0, 4}) {
    o.s = s;
    CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(f, o, theta0); }) == "s");
  }
  o.s = 1;
  o.step = tiny;
  CHECK_NOTHROW(Iht(f, o, theta0));
  for (const double step : {0.0, -tiny, inf, nan}) {
    o.step = step;
    CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(f, o, theta0); }) == "step");
  }
  o.step = 0.5;
  o.max_iterations = 0;
  CHECK_NOTHROW(Iht(f, o, theta0));
  o.max_iterations = -1;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(f, o, theta0); }) == "iters");
  o.max_iterations = 10;
  o.tolerance = 0.0;
  CHECK_NOTHROW(Iht(f, o, theta0));
  for (const double tolerance : {-tiny, nan}) {
    o.tolerance = tolerance;
    CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(f, o, theta0); }) == "tolerance");
  }
  o.tolerance = 0.0;
  o.batch_size = 0;
  CHECK_NOTHROW(Iht(f, o, theta0));
  o.batch_size = -1;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)Iht(f, o, theta0); }) == "batch-size");
  o.batch_size = 0;
  o.divergence_factor = std::nextafter(1.0, 2.0);
  CHECK_NOTHROW(Iht(f, o, theta0));
  for (const double factor : {1.0, nan}) {
    o.divergence_factor = factor;
    CHECK_THROWS_WITH_AS(Iht(f, o, theta0), doctest::Contains("divergence factor"), InputError);
  }
}

TEST_CASE("trainer: the default s is min(5, n)") {
  // One feature, two classes: n = 2 · (1 + 1) = 4 < 5.
  Dataset data;
  data.x.resize(1, 8);
  for (int j = 0; j < 8; ++j) {
    data.x(0, j) = j;
    data.y.push_back(j < 4 ? 0 : 1);
  }
  data.feature_names = {"x"};
  data.class_names = {"low", "high"};
  RunOptions o;
  o.iters = 3;
  o.step = 0.5;
  o.test_fraction = 0.25;
  const TrainResult small = train(o, data);
  CHECK(small.n == 4);
  CHECK(small.s == 4);
  o.s = 4;
  CHECK_NOTHROW(train(o, data));
  o.s = 5;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)train(o, data); }) == "s");
  RunOptions iris_options;
  iris_options.iters = 3;
  iris_options.step = 0.5;
  const TrainResult paper = train(iris_options, iris());
  CHECK(paper.n == 15);
  CHECK(paper.s == 5);
}

TEST_CASE("trainer: the HT-stability verdict uses --ht-tolerance, γ and ∇f at the result") {
  RunOptions o;
  o.iters = 300;
  o.step = 1.5;
  const Dataset data = iris();
  const TrainResult r = train(o, data);
  // Recomputed here from the result alone.
  Problem problem(o, data);
  Eigen::VectorXd grad;
  problem.train_objective->evaluate_with_gradient(r.theta, grad);
  const HtStability expected = check_ht_stability(r.theta, grad, r.s, 1.5, o.ht_tolerance);
  CHECK(r.ht_stable.tolerance == o.ht_tolerance);
  CHECK(r.ht_stable.margin == expected.margin);
  CHECK(r.ht_stable.support_grad_inf == expected.support_grad_inf);
  CHECK(r.ht_stable.support_size == expected.support_size);
  CHECK(r.ht_stable.stable == expected.stable);
  REQUIRE(r.ht_stable.margin > 0.0);
  const double g = r.ht_stable.support_grad_inf;
  REQUIRE(g > 0.0);
  // The verdict turns on the tolerance the options give, at exactly ‖∇_S f‖∞.
  o.ht_tolerance = g;
  CHECK(train(o, data).ht_stable.stable);
  o.ht_tolerance = std::nextafter(g, 0.0);
  CHECK_FALSE(train(o, data).ht_stable.stable);
}

TEST_CASE("sweep: cold starts, the dense run first, and an observer can stop it") {
  struct Progress : SweepObserver {
    std::vector<int> done;
    int stop_at = -1;
    void on_progress(int finished, int total) override {
      done.push_back(finished);
      CHECK(total == 15);
    }
    bool should_stop() override { return stop_at >= 0 && done.back() >= stop_at; }
  };
  RunOptions o;
  o.iters = 5;
  o.step = 0.5;
  // Cold starts only: one training per s, the dense end first.
  o.warm = false;
  o.baselines = false;
  Progress all;
  const SweepResult full = sweep(o, iris(), &all);
  REQUIRE(full.points.size() == 15);
  CHECK(full.points.back().s == 15);
  CHECK(full.points.back().theta == full.dense.theta);
  CHECK(full.points[13].s == 14);
  CHECK(full.points[13].theta != full.dense.theta);
  CHECK(all.done == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  CHECK(full.complete);
  Progress stopping;
  stopping.stop_at = 3;  // the dense run, s = 1 and s = 2 are done
  const SweepResult part = sweep(o, iris(), &stopping);
  CHECK_FALSE(part.complete);
  REQUIRE(part.points.size() == 3);
  CHECK(part.points[0].s == 1);
  CHECK(part.points[1].s == 2);
  CHECK(part.points[2].s == 15);
  CHECK(part.dense.s == 15);
  CHECK(stopping.done == std::vector<int>{1, 2, 3});
}

TEST_CASE("L_2s estimate: each option range accepts its edge and refuses the value beyond") {
  auto f = diagonal({1.0, 2.0, 3.0}, {0.0, 0.0, 0.0});
  L2sOptions o;
  o.samples = 1;
  for (const int s : {1, 3}) {
    o.s = s;
    const L2sEstimate e = estimate_l2s(f, o);
    CHECK(e.ratios.size() == 1);
    CHECK(e.max == e.ratios[0]);
  }
  for (const int s : {0, 4}) {
    o.s = s;
    CHECK(sparse_iht_test::bad_option_of([&] { (void)estimate_l2s(f, o); }) == "s");
  }
  o.s = 2;
  o.samples = 0;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)estimate_l2s(f, o); }) == "samples");
  o.samples = 2;
  o.scale = 1e-100;
  CHECK_NOTHROW(estimate_l2s(f, o));
  for (const double scale : {0.0, std::numeric_limits<double>::infinity()}) {
    o.scale = scale;
    CHECK(sparse_iht_test::bad_option_of([&] { (void)estimate_l2s(f, o); }) == "scale");
  }
  o.scale = 1.0;
  const Eigen::VectorXd centre = vec({1.0, 1.0, 1.0});
  o.center = &centre;
  CHECK_NOTHROW(estimate_l2s(f, o));
  const Eigen::VectorXd short_centre = vec({1.0, 1.0});
  o.center = &short_centre;
  CHECK_THROWS_WITH_AS(estimate_l2s(f, o), doctest::Contains("centre"), InputError);
  // A gradient that is not finite at a sampled point names the pair.
  o.center = nullptr;
  PoisonedQuadratic poisoned(PoisonedQuadratic::Poison::gradient, 1);
  L2sOptions one;
  one.s = 1;
  one.samples = 3;
  one.scale = 1e-3;
  CHECK_NOTHROW(estimate_l2s(poisoned, one));
  const Eigen::VectorXd far = vec({9.0});
  one.center = &far;
  CHECK_THROWS_WITH_AS(estimate_l2s(poisoned, one), doctest::Contains("pair 0"), InputError);
}
