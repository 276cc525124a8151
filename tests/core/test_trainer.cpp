#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/options.hpp"
#include "sparse_iht/random.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

using namespace sparse_iht;

namespace {
bool same_bits(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}
}  // namespace

TEST_CASE("train: same seed, same bits; another seed, another result") {
  const Dataset data = iris();
  RunOptions o;
  o.iters = 200;
  const TrainResult a = train(o, data);
  const TrainResult b = train(o, data);
  CHECK(same_bits(a.theta, b.theta));
  CHECK(a.history.loss == b.history.loss);
  CHECK(a.step_size == b.step_size);
  o.seed = 2;
  const TrainResult c = train(o, data);
  CHECK_FALSE(same_bits(a.theta, c.theta));
}

TEST_CASE("train on IRIS at s = 5: the paper's model is sparse and accurate") {
  RunOptions o;
  const TrainResult r = train(o, iris());
  CHECK(r.n == 15);
  CHECK(r.s == 5);
  CHECK(r.support.size() <= 5);
  CHECK(r.architecture.sizes == std::vector<int>{4, 3});
  REQUIRE(r.test_accuracy.has_value());
  CHECK(*r.test_accuracy >= 0.9);
  // The default step is auto: bound on the paper's model, certified.
  CHECK(r.step_rule == StepRule::bound);
  CHECK(r.step_certified);
  CHECK_FALSE(r.l2s.has_value());
  CHECK(r.history.loss.size() == static_cast<std::size_t>(r.iterations) + 1);
  CHECK(r.history.loss.back() == doctest::Approx(r.train_loss));
  CHECK(r.history.loss.back() < r.history.loss.front());
  int confusion_total = 0;
  for (const auto& row : r.confusion)
    for (int v : row) confusion_total += v;
  CHECK(confusion_total == 30);
}

TEST_CASE("train: the stepwise trainer equals one run") {
  RunOptions o;
  o.iters = 150;
  const Dataset data = iris();
  const TrainResult whole = train(o, data);
  Trainer t(o, data);
  CHECK(t.iteration() == 0);
  CHECK(t.history().loss.size() == 1);
  while (!t.done()) t.advance(13);
  const TrainResult pieces = t.result();
  CHECK(same_bits(pieces.theta, whole.theta));
  CHECK(pieces.history.loss == whole.history.loss);
}

TEST_CASE("train: a step large enough to diverge stops with status diverged, state finite") {
  RunOptions o;
  o.step = 1e6;
  const TrainResult r = train(o, iris());
  CHECK(r.status == IhtStatus::diverged);
  CHECK(r.theta.allFinite());
  CHECK(std::isfinite(r.train_loss));
}

TEST_CASE("train: test fraction 0 trains on every row and has no test figures") {
  RunOptions o;
  o.test_fraction = 0.0;
  o.iters = 50;
  const TrainResult r = train(o, iris());
  CHECK_FALSE(r.test_loss.has_value());
  CHECK_FALSE(r.test_accuracy.has_value());
  CHECK(r.history.test_accuracy.empty());
  CHECK_FALSE(r.confusion_on_test);
}

TEST_CASE("train: mini-batches, hidden layers and a fixed step") {
  RunOptions o;
  o.batch_size = 16;
  o.iters = 100;
  o.hidden = {6};
  o.activation = Activation::relu;
  o.s = 20;
  o.step = 0.2;
  const Dataset data = iris();
  const TrainResult a = train(o, data);
  const TrainResult b = train(o, data);
  CHECK(a.n == 6 * 5 + 3 * 7);
  CHECK(same_bits(a.theta, b.theta));
  CHECK_FALSE(a.l2s.has_value());
  CHECK(a.step_size == 0.2);
  CHECK(a.support.size() <= 20);
  CHECK(a.train_loss < a.history.loss.front());
}

TEST_CASE("train: s larger than n is an input error naming --s") {
  RunOptions o;
  o.s = 16;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)train(o, iris()); }) == "s");
}

TEST_CASE("sweep: every s from 1 to n against the dense baseline") {
  RunOptions o;
  o.iters = 300;
  const SweepResult r = sweep(o, iris());
  REQUIRE(r.points.size() == 15);
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    CHECK(r.points[i].s == static_cast<int>(i) + 1);
    CHECK(r.points[i].support.size() <= i + 1);
    CHECK(r.points[i].gap_to_dense == doctest::Approx(r.points[i].train_loss - r.dense.train_loss));
  }
  CHECK(r.dense.s == 15);
  CHECK(r.points.back().gap_to_dense == 0.0);
  // A single weight cannot separate three classes as well as five can.
  CHECK(r.points[0].train_loss > r.points[4].train_loss);
}

TEST_CASE("load_dataset: the built-in IRIS by name, or a CSV file by path") {
  RunOptions o;
  CHECK(load_dataset(o).num_samples() == 150);
  const std::string path = "/tmp/sparse_iht_load_dataset_test.csv";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fputs("x,kind\n1,a\n2,b\n3,a\n", f);
    std::fclose(f);
  }
  o.data = path;
  const Dataset d = load_dataset(o);
  CHECK(d.num_samples() == 3);
  CHECK(d.class_names == std::vector<std::string>{"a", "b"});
  std::remove(path.c_str());
  o.data = path;
  CHECK_THROWS_WITH_AS(load_dataset(o), doctest::Contains("cannot read"), InputError);
}

TEST_CASE("train: the confusion matrix is indexed [true class][predicted class]") {
  // At s = 1 the model predicts few classes, so rows (true classes, 10 test
  // samples each on IRIS) and columns (predictions) have different sums.
  RunOptions o;
  o.s = 1;
  const TrainResult r = train(o, iris());
  REQUIRE(r.confusion.size() == 3);
  int correct = 0;
  std::vector<int> column(3, 0);
  for (std::size_t t = 0; t < 3; ++t) {
    int row = 0;
    for (std::size_t p = 0; p < 3; ++p) {
      row += r.confusion[t][p];
      column[p] += r.confusion[t][p];
    }
    CHECK(row == 10);
    correct += r.confusion[t][t];
  }
  CHECK(column != std::vector<int>{10, 10, 10});
  REQUIRE(r.test_accuracy.has_value());
  CHECK(correct == static_cast<int>(std::lround(*r.test_accuracy * 30)));
}

TEST_CASE("problem: built in a handed-over data set's storage, the same bits as from a copy") {
  // Problem(options, Dataset&&) standardises, reorders and transposes the data
  // set in place (iht train on a large CSV); every input the objectives read,
  // and so every run, must be what the copying constructor gives.
  Rng rng(5);
  for (const int features : {1, 2, 3, 7}) {
    for (const int samples : {4, 9, 40, 131}) {
      Dataset data;
      data.x.resize(features, samples);
      for (Eigen::Index i = 0; i < data.x.size(); ++i) data.x.data()[i] = rng.normal() * 3 + 1;
      for (int j = 0; j < samples; ++j) data.y.push_back((j * 7 + j / 3) % 3);
      data.y[0] = 0;
      data.y[1] = 1;
      data.y[2] = 2;
      data.y[3] = 0;
      for (int f = 0; f < features; ++f) data.feature_names.push_back("f" + std::to_string(f));
      data.class_names = {"a", "b", "c"};
      for (const double fraction : {0.0, 0.25}) {
        for (const bool standardize : {true, false}) {
          if (fraction > 0 && samples < 9) continue;  // a class needs two samples to split
          CAPTURE(features);
          CAPTURE(samples);
          CAPTURE(fraction);
          CAPTURE(standardize);
          RunOptions o;
          o.test_fraction = fraction;
          o.standardize = standardize;
          o.seed = 3;
          const Problem copied(o, data);
          Dataset handed = data;
          const Problem moved(o, std::move(handed));
          CHECK(handed.x.size() == 0);
          CHECK(Eigen::MatrixXd(moved.train_objective->features()) ==
                Eigen::MatrixXd(copied.train_objective->features()));
          CHECK(moved.train.y == copied.train.y);
          REQUIRE((moved.test_objective == nullptr) == (copied.test_objective == nullptr));
          if (copied.test_objective) {
            CHECK(Eigen::MatrixXd(moved.test_objective->features()) ==
                  Eigen::MatrixXd(copied.test_objective->features()));
            CHECK(moved.test.y == copied.test.y);
          }
        }
      }
    }
  }
  // A whole run on IRIS: identical results.
  RunOptions o;
  o.iters = 200;
  Trainer a(o, iris());
  Trainer b(o, Dataset(iris()));
  a.run();
  b.run();
  CHECK(a.result().theta == b.result().theta);
  CHECK(a.result().train_loss == b.result().train_loss);
}

TEST_CASE("step rules: bound is c / upper and certified; estimate and fixed say whether they are") {
  RunOptions o;
  o.iters = 50;
  o.step_rule = StepRule::bound;
  const TrainResult bound = train(o, iris());
  L2sOptions l2s;
  l2s.s = 5;
  l2s.samples = 10;
  const Problem problem(o, iris());
  std::string method;
  const std::optional<double> upper = smoothness_upper_bound(*problem.train_objective, 5, method);
  REQUIRE(upper.has_value());
  CHECK(bound.step_rule == StepRule::bound);
  CHECK(bound.step_size == 0.9 / *upper);
  CHECK(bound.step_certified);
  CHECK_FALSE(bound.l2s.has_value());

  // The default, auto, is bound where a bound exists.
  RunOptions a;
  a.iters = 50;
  const TrainResult automatic = train(a, iris());
  CHECK(automatic.step_rule == StepRule::bound);
  CHECK(automatic.step_size == bound.step_size);
  CHECK(automatic.theta == bound.theta);

  // The paper's estimate on IRIS: 0.9 / L̂_2s is above 1/upper.
  RunOptions d;
  d.iters = 50;
  d.step_rule = StepRule::estimate;
  const TrainResult estimate = train(d, iris());
  CHECK(estimate.step_rule == StepRule::estimate);
  REQUIRE(estimate.l2s.has_value());
  CHECK(estimate.step_size == 0.9 / *estimate.l2s);
  CHECK(estimate.step_size > 1.0 / *upper);
  CHECK_FALSE(estimate.step_certified);

  // A fixed step is certified exactly when it is below 1/upper.
  RunOptions f;
  f.iters = 5;
  f.step_rule = StepRule::fixed;
  f.step = std::nextafter(1.0 / *upper, 0.0);
  CHECK(train(f, iris()).step_certified);
  f.step = 1.0 / *upper;
  CHECK_FALSE(train(f, iris()).step_certified);
  CHECK(train(f, iris()).step_rule == StepRule::fixed);

  // With a hidden layer there is no certified bound: bound is refused, naming the step.
  RunOptions h = o;
  h.hidden = {4};
  CHECK(sparse_iht_test::bad_option_of([&] { (void)train(h, iris()); }) == "step");
  h.step_rule = StepRule::fixed;
  h.step = 0.01;
  CHECK_FALSE(train(h, iris()).step_certified);
}

TEST_CASE("step rules: the option parses each rule; sweep points carry theirs") {
  CHECK(parse_options(Command::train, {{"step", "bound"}}).step_rule == StepRule::bound);
  CHECK(parse_options(Command::train, {{"step", "estimate"}}).step_rule == StepRule::estimate);
  CHECK(parse_options(Command::train, {{"step", "auto"}}).step_rule == StepRule::automatic);
  const RunOptions fixed = parse_options(Command::train, {{"step", "bound"}, {"step", "0.25"}});
  CHECK(fixed.step_rule == StepRule::fixed);
  CHECK(*fixed.step == 0.25);
  CHECK_FALSE(
      parse_options(Command::train, {{"step", "0.25"}, {"step", "bound"}}).step.has_value());
  RunOptions o;
  o.iters = 20;
  o.step_rule = StepRule::bound;
  const SweepResult r = sweep(o, iris());
  for (const auto& p : r.points) {
    CAPTURE(p.s);
    CHECK(p.step_rule == StepRule::bound);
    CHECK(p.step_certified);
  }
}

TEST_CASE(
    "ridge: the objective adds λ/2 ‖θ‖², its gradient matches finite differences, the bound adds "
    "λ") {
  const Dataset data = iris();
  RunOptions o;
  o.ridge = 0.05;
  const Problem problem(o, data);
  Objective& f = problem.objective();
  Rng rng(9);
  Eigen::VectorXd theta(f.dimension());
  for (Eigen::Index i = 0; i < theta.size(); ++i) theta[i] = rng.normal();
  Eigen::VectorXd grad, base_grad;
  const double value = f.evaluate_with_gradient(theta, grad);
  const double loss = problem.train_objective->evaluate_with_gradient(theta, base_grad);
  CHECK(value == doctest::Approx(loss + 0.025 * theta.squaredNorm()).epsilon(1e-14));
  CHECK((grad - base_grad - 0.05 * theta).lpNorm<Eigen::Infinity>() < 1e-15);
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    const double h = 1e-6;
    Eigen::VectorXd plus = theta, minus = theta;
    plus[i] += h;
    minus[i] -= h;
    CHECK(grad[i] ==
          doctest::Approx((f.evaluate(plus) - f.evaluate(minus)) / (2 * h)).epsilon(1e-6));
  }
  std::string method, base_method;
  const std::optional<double> upper = smoothness_upper_bound(f, 5, method);
  const std::optional<double> base =
      smoothness_upper_bound(*problem.train_objective, 5, base_method);
  REQUIRE(upper.has_value());
  CHECK(*upper == *base + 0.05);
  CHECK(method.find("plus the ridge") != std::string::npos);
  CHECK_THROWS_AS(RidgeObjective(*problem.train_objective, -1.0), InputError);
}

TEST_CASE(
    "ridge: with λ = 1e-2 the IRIS point at s = 5 is HT-stable within the default iterations") {
  RunOptions o;
  o.ridge = 1e-2;
  const TrainResult r = train(o, iris());
  CHECK(r.ht_stable.stable);
  CHECK(r.ht_stable.support_grad_inf <= o.ht_tolerance);
  CHECK(r.ht_stable.margin > 0.0);
  CHECK(r.objective ==
        doctest::Approx(r.train_loss + 0.005 * r.theta.squaredNorm()).epsilon(1e-14));
  // Without it, the same settings do not settle (a separable class, no finite minimiser).
  RunOptions plain;
  const TrainResult p = train(plain, iris());
  CHECK_FALSE(p.ht_stable.stable);
  CHECK(p.objective == p.train_loss);
}
