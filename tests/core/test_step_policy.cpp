// The step rules and the refinement (sparse_iht/step_policy.hpp) on problems
// whose answers are known, and through the trainer on IRIS.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "errors.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/hard_threshold.hpp"
#include "sparse_iht/iht.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/objective.hpp"
#include "sparse_iht/random.hpp"
#include "sparse_iht/step_policy.hpp"
#include "sparse_iht/trainer.hpp"

using namespace sparse_iht;

namespace {

// f(x) = ½ (x − x*)ᵀ A (x − x*), x* s-sparse (the minimiser under ‖x‖₀ ≤ s too).
QuadraticObjective planted(int n, int s, double spread, std::uint64_t seed,
                           Eigen::VectorXd& x_star) {
  Rng rng(seed);
  Eigen::MatrixXd m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = rng.normal();
  const Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n) + spread * (m + m.transpose());
  x_star = Eigen::VectorXd::Zero(n);
  for (int k = 0; k < s; ++k) x_star[(k * 7) % n] = 1.0 + k;
  return QuadraticObjective(a, a * x_star);
}

// Records every iterate, its step and the index lists the driver reports.
struct Trace final : IterationObserver {
  std::vector<Eigen::VectorXd> theta;
  std::vector<double> loss, step;
  std::vector<bool> certified;
  std::vector<std::vector<int>> support, entered, left;
  void on_iteration(const IterationInfo& info) override {
    theta.push_back(*info.theta);
    loss.push_back(info.loss);
    step.push_back(info.step);
    certified.push_back(info.certified);
    support.push_back(*info.support);
    entered.push_back(*info.entered_indices);
    left.push_back(*info.left_indices);
    CHECK(info.entered == static_cast<int>(info.entered_indices->size()));
    CHECK(info.left == static_cast<int>(info.left_indices->size()));
  }
};

// f(θ⁺) ≤ f(θ) + ⟨∇f(θ), θ⁺ − θ⟩ + ‖θ⁺ − θ‖²/(2γ), checked from outside the driver.
bool descent_holds(Objective& f, const Eigen::VectorXd& from, const Eigen::VectorXd& to,
                   double gamma) {
  Eigen::VectorXd g(from.size());
  const double f0 = f.evaluate_with_gradient(from, g);
  const Eigen::VectorXd d = to - from;
  return f.evaluate(to) <= f0 + g.dot(d) + d.squaredNorm() / (2.0 * gamma) + 1e-12;
}

bool non_increasing(const std::vector<double>& values) {
  for (std::size_t k = 1; k < values.size(); ++k) {
    if (values[k] > values[k - 1]) return false;
  }
  return true;
}

}  // namespace

TEST_CASE(
    "backtracking on A = cI: halves from 1 to the largest step the descent condition allows") {
  // With A = 3I the descent condition holds exactly when γ ≤ 1/3: from 1 the
  // rule tries 1, ½ and takes ¼; afterwards it tries 2γ = ½ and takes ¼ again.
  const int n = 12;
  Eigen::VectorXd x_star = Eigen::VectorXd::Zero(n);
  x_star[2] = 1.0;
  x_star[7] = -2.0;
  const Eigen::MatrixXd a = 3.0 * Eigen::MatrixXd::Identity(n, n);
  QuadraticObjective f(a, a * x_star);
  IhtOptions o;
  o.s = 2;
  o.max_iterations = 80;
  o.tolerance = 0.0;
  Trace trace;
  Iht iht(f, o, Eigen::VectorXd::Constant(n, 0.1), backtracking_step(1.0));
  iht.run(&trace);
  REQUIRE(trace.step.size() > 6);
  // (At the minimiser θ⁺ = θ passes any γ; the first steps are far from it.)
  for (std::size_t k = 1; k <= 6; ++k) CHECK(trace.step[k] == 0.25);
  CHECK(iht.certified());
  CHECK((iht.theta() - x_star).norm() < 1e-6);
}

TEST_CASE(
    "backtracking reaches the planted minimiser with a non-increasing loss, every step certified") {
  Eigen::VectorXd x_star;
  QuadraticObjective f = planted(40, 5, 0.05, 11, x_star);
  IhtOptions o;
  o.s = 5;
  o.max_iterations = 3000;
  o.tolerance = 1e-12;
  Trace trace;
  Iht iht(f, o, Eigen::VectorXd::Zero(40), backtracking_step(1.0));
  iht.run(&trace);
  // Near x* the loss test is blurred by f's rounding (‖θ − x*‖² ~ ulp(f)):
  // the run ends there, with a zero step, as converged.
  CHECK(iht.status() == IhtStatus::converged);
  CHECK((iht.theta() - x_star).norm() < 1e-6);
  CHECK(non_increasing(trace.loss));
  // Near x* every γ passes the blurred test, so γ grows back, but never past
  // the starting step.
  CHECK(*std::max_element(trace.step.begin(), trace.step.end()) == 1.0);
  CHECK(iht.certified());
  for (std::size_t k = 1; k < trace.theta.size(); ++k) {
    CAPTURE(k);
    CHECK(trace.certified[k]);
    if (trace.step[k] > 0.0)
      CHECK(descent_holds(f, trace.theta[k - 1], trace.theta[k], trace.step[k]));
  }
}

TEST_CASE("backtracking: when no step descends, θ stays, the run converges and keeps its last γ") {
  // f = 1.5‖x − x*‖²; after three trial evaluations every trial reads 1 higher,
  // as if rounding hid every decrease.
  class Blurred final : public Objective {
   public:
    explicit Blurred(Objective& base) : base_(base) {}
    int dimension() const override { return base_.dimension(); }
    double evaluate_with_gradient(const Eigen::VectorXd& t, Eigen::VectorXd& g) override {
      return base_.evaluate_with_gradient(t, g);
    }
    double evaluate(const Eigen::VectorXd& t) override {
      return base_.evaluate(t) + (++trials_ > 3 ? 1.0 : 0.0);
    }

   private:
    Objective& base_;
    int trials_ = 0;
  };
  const int n = 6;
  Eigen::VectorXd x_star = Eigen::VectorXd::Zero(n);
  x_star[0] = 1.0;
  const Eigen::MatrixXd a = 3.0 * Eigen::MatrixXd::Identity(n, n);
  QuadraticObjective base(a, a * x_star);
  Blurred f(base);
  IhtOptions o;
  o.s = 1;
  o.max_iterations = 50;
  Trace trace;
  Iht iht(f, o, Eigen::VectorXd::Constant(n, 0.1), backtracking_step(1.0));
  iht.run(&trace);
  CHECK(iht.status() == IhtStatus::converged);
  REQUIRE(trace.step.size() == 3);
  CHECK(trace.step[1] == 0.25);  // tries 1, ½, ¼
  CHECK(trace.step[2] == 0.0);   // 41 failed tries: θ_2 = θ_1
  CHECK(trace.theta[2] == trace.theta[1]);
  CHECK(trace.certified[2]);
  CHECK(iht.last_step() == 0.25);
}

TEST_CASE("normalized IHT: μ = (1 − c)‖g_Γ‖² / g_Γᵀ A g_Γ, and it reaches the planted minimiser") {
  // On A = cI the normalised step is 0.99/c (up to the gradient secant).
  const int n = 10;
  Eigen::VectorXd x_star = Eigen::VectorXd::Zero(n);
  x_star[1] = 2.0;
  x_star[4] = 1.0;
  const Eigen::MatrixXd a = 4.0 * Eigen::MatrixXd::Identity(n, n);
  QuadraticObjective f(a, a * x_star);
  IhtOptions o;
  o.s = 2;
  o.max_iterations = 5;
  Trace trace;
  // θ_0 on x*'s support, so the support never moves and μ is not safeguarded.
  Eigen::VectorXd start = Eigen::VectorXd::Zero(n);
  start[1] = 0.5;
  start[4] = 0.5;
  Iht iht(f, o, start, normalized_step(1.0));
  iht.run(&trace);
  REQUIRE(trace.step.size() > 1);
  CHECK(trace.step[1] == doctest::Approx(0.99 / 4).epsilon(1e-8));

  Eigen::VectorXd planted_star;
  QuadraticObjective g = planted(40, 5, 0.05, 3, planted_star);
  IhtOptions p;
  p.s = 5;
  p.max_iterations = 3000;
  p.tolerance = 1e-12;
  Trace path;
  Iht niht(g, p, Eigen::VectorXd::Zero(40), normalized_step(1.0));
  niht.run(&path);
  CHECK(niht.status() == IhtStatus::converged);
  CHECK((niht.theta() - planted_star).norm() < 1e-8);
  // Blumensath & Davies: with the safeguard the quadratic's loss does not
  // rise (up to f's rounding near x*), and each step passes the descent test.
  for (std::size_t k = 1; k < path.theta.size(); ++k) {
    CAPTURE(k);
    CHECK(path.loss[k] <= path.loss[k - 1] + 1e-12);
    CHECK(path.certified[k]);
  }

  // The safeguard: on A = diag(1, 1, 10, 1, …) from a support {0, 1}, μ ≈ 0.99
  // from Γ's curvature would send coordinate 2 (curvature 10) far past x*;
  // the support moves, ω is about 0.1, and μ is divided until μ ≤ ω.
  Eigen::VectorXd d = Eigen::VectorXd::Ones(8);
  d[2] = 10.0;
  const Eigen::MatrixXd stiff = d.asDiagonal();
  Eigen::VectorXd target = Eigen::VectorXd::Zero(8);
  target[0] = 1.0;
  target[2] = 1.0;
  QuadraticObjective h(stiff, stiff * target);
  IhtOptions q;
  q.s = 2;
  q.max_iterations = 1;
  Eigen::VectorXd from = Eigen::VectorXd::Zero(8);
  from[0] = 0.5;
  from[1] = 0.5;
  Trace guarded;
  Iht safe(h, q, from, normalized_step(1.0));
  safe.run(&guarded);
  REQUIRE(guarded.step.size() == 2);
  CHECK(guarded.support[1] == std::vector<int>{0, 2});
  CHECK(guarded.step[1] < 0.2);
  CHECK(guarded.loss[1] < guarded.loss[0]);
  CHECK(guarded.certified[1]);
}

TEST_CASE("a fixed step is certified exactly when γ·U < 1") {
  Eigen::VectorXd x_star;
  QuadraticObjective f = planted(20, 3, 0.02, 5, x_star);
  IhtOptions o;
  o.s = 3;
  o.max_iterations = 3;
  Iht below(f, o, Eigen::VectorXd::Zero(20), fixed_step(0.49, 2.0));
  below.run();
  CHECK(below.certified());
  Iht at(f, o, Eigen::VectorXd::Zero(20), fixed_step(0.5, 2.0));
  at.run();
  CHECK_FALSE(at.certified());
  Iht unknown(f, o, Eigen::VectorXd::Zero(20), fixed_step(0.1, std::nullopt));
  unknown.run();
  CHECK_FALSE(unknown.certified());
  CHECK(std::string(below.step_policy().name()) == "fixed");
  CHECK(std::string(fixed_step(0.1, 1.0, "bound")->name()) == "bound");
}

TEST_CASE("a step rule written outside the library runs in the driver unchanged") {
  // γ_k = 0.5 / (k + 1): a decaying schedule, as a user would add one.
  class Decaying final : public StepPolicy {
   public:
    const char* name() const override { return "decaying"; }
    bool adaptive() const override { return true; }
    StepOutcome take(StepContext& context) override {
      const double gamma = 0.5 / static_cast<double>(++calls_);
      context.try_step(gamma);
      return {gamma, calls_ > 1};  // only the first step uncertified
    }

   private:
    int calls_ = 0;
  };
  Eigen::VectorXd x_star;
  QuadraticObjective f = planted(20, 3, 0.02, 9, x_star);
  IhtOptions o;
  o.s = 3;
  o.max_iterations = 4;
  Trace trace;
  Iht iht(f, o, Eigen::VectorXd::Zero(20), std::make_unique<Decaying>());
  iht.run(&trace);
  REQUIRE(trace.step.size() == 5);
  CHECK(trace.step[0] == 0.0);
  CHECK(trace.step[1] == 0.5);
  CHECK(trace.step[4] == 0.125);
  CHECK_FALSE(trace.certified[1]);
  CHECK(trace.certified[4]);
  // One uncertified step leaves the run uncertified.
  CHECK_FALSE(iht.certified());
}

TEST_CASE("observers see the indices entering and leaving the support") {
  Eigen::VectorXd x_star;
  QuadraticObjective f = planted(30, 4, 0.05, 21, x_star);
  IhtOptions o;
  o.s = 4;
  o.max_iterations = 200;
  Rng rng(4);
  Eigen::VectorXd theta0(30);
  for (int i = 0; i < 30; ++i) theta0[i] = rng.normal();
  Trace trace;
  Iht iht(f, o, theta0, backtracking_step(1.0));
  iht.run(&trace);
  REQUIRE(trace.support.size() > 2);
  CHECK(trace.entered[0] == trace.support[0]);
  CHECK(trace.left[0].empty());
  bool any_change = false;
  for (std::size_t k = 1; k < trace.support.size(); ++k) {
    std::vector<int> expected;
    std::set_difference(trace.support[k - 1].begin(), trace.support[k - 1].end(),
                        trace.left[k].begin(), trace.left[k].end(), std::back_inserter(expected));
    std::vector<int> merged;
    std::set_union(expected.begin(), expected.end(), trace.entered[k].begin(),
                   trace.entered[k].end(), std::back_inserter(merged));
    CHECK(merged == trace.support[k]);
    any_change = any_change || !trace.entered[k].empty();
  }
  CHECK(any_change);  // the random start's support is not x*'s
}

TEST_CASE("Newton refinement: the kept coordinates are exactly optimal after each step") {
  Eigen::VectorXd x_star;
  QuadraticObjective f = planted(25, 4, 0.05, 2, x_star);
  IhtOptions o;
  o.s = 4;
  o.step = 0.5;
  o.max_iterations = 1;
  Trace trace;
  Iht iht(f, o, Eigen::VectorXd::Constant(25, 0.01), fixed_step(0.5, std::nullopt),
          newton_refinement());
  iht.run(&trace);
  Eigen::VectorXd g(25);
  f.evaluate_with_gradient(iht.theta(), g);
  double on_support = 0.0;
  for (const int i : iht.support()) on_support = std::max(on_support, std::abs(g[i]));
  CHECK(on_support < 1e-9);
  // Off the support θ stays 0.
  CHECK(static_cast<int>((iht.theta().array() != 0.0).count()) <= 4);
}

TEST_CASE("Newton refinement: Armijo backtracking refuses a full step that raises f") {
  // f(θ) = Σ sqrt(1 + (θ_i − 3)²): from θ_i = 0 the full Newton step is
  // −f'/f'' = 3 · (1 + 9) = 30, which lands at 30 with f far above f(0).
  class PseudoHuber final : public Objective {
   public:
    int dimension() const override { return 2; }
    double evaluate_with_gradient(const Eigen::VectorXd& t, Eigen::VectorXd& g) override {
      g.resize(2);
      double f = 0.0;
      for (Eigen::Index i = 0; i < 2; ++i) {
        const double r = std::sqrt(1.0 + (t[i] - 3.0) * (t[i] - 3.0));
        f += r;
        g[i] = (t[i] - 3.0) / r;
      }
      return f;
    }
    double evaluate(const Eigen::VectorXd& t) override {
      Eigen::VectorXd g;
      return evaluate_with_gradient(t, g);
    }
  } f;
  const Eigen::VectorXd start = Eigen::VectorXd::Zero(2);
  const double before = f.evaluate(start);
  for (const int steps : {1, 5}) {
    Eigen::VectorXd theta = start;
    CHECK(newton_refinement(steps)->refine(f, theta, {0, 1}));
    CAPTURE(steps);
    CHECK(f.evaluate(theta) < before);
    CHECK(theta[0] > 0.0);
    CHECK(theta[0] < 6.0);  // a full step (30) is refused
  }
}

TEST_CASE("rules that evaluate trial points refuse mini-batches, naming the option") {
  Eigen::VectorXd x_star;
  QuadraticObjective f = planted(10, 2, 0.02, 1, x_star);
  class Separable final : public Objective {
   public:
    explicit Separable(Objective& base) : base_(base) {}
    int dimension() const override { return base_.dimension(); }
    int num_functions() const override { return 10; }
    double evaluate_with_gradient(const Eigen::VectorXd& t, Eigen::VectorXd& g) override {
      return base_.evaluate_with_gradient(t, g);
    }
    double evaluate(const Eigen::VectorXd& t) override { return base_.evaluate(t); }

   private:
    Objective& base_;
  } separable(f);
  IhtOptions o;
  o.s = 2;
  o.batch_size = 3;
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(10);
  CHECK(sparse_iht_test::bad_option_of(
            [&] { Iht iht(separable, o, zero, backtracking_step(1.0)); }) == "batch-size");
  CHECK(sparse_iht_test::bad_option_of(
            [&] { Iht iht(separable, o, zero, normalized_step(1.0)); }) == "batch-size");
  CHECK(sparse_iht_test::bad_option_of([&] {
          Iht iht(separable, o, zero, fixed_step(0.1, std::nullopt), newton_refinement());
        }) == "batch-size");
  o.batch_size = 0;
  Iht fine(separable, o, zero, backtracking_step(1.0));
  CHECK(fine.run() != IhtStatus::diverged);
}

TEST_CASE("trainer: auto is bound with a certified bound, backtracking without one") {
  RunOptions o;
  o.iters = 30;
  CHECK(train(o, iris()).step_rule == StepRule::bound);
  o.hidden = {6};
  const TrainResult hidden = train(o, iris());
  CHECK(hidden.step_rule == StepRule::backtracking);
  CHECK(hidden.step_certified);
  CHECK(hidden.history.step.size() == hidden.history.loss.size());
  CHECK(hidden.step_size == hidden.history.step.back());
  // Mini-batches cannot backtrack: auto falls back to the paper's estimate.
  o.batch_size = 16;
  const TrainResult batches = train(o, iris());
  CHECK(batches.step_rule == StepRule::estimate);
  CHECK(batches.history.step.empty());
  o.step_rule = StepRule::backtracking;
  CHECK(sparse_iht_test::bad_option_of([&] { (void)train(o, iris()); }) == "batch-size");
}

TEST_CASE("trainer: backtracking gives a non-increasing loss with hidden layers") {
  for (const auto& hidden : {std::vector<int>{8}, std::vector<int>{8, 8}}) {
    for (const Activation activation : {Activation::tanh, Activation::relu}) {
      RunOptions o;
      o.hidden = hidden;
      o.activation = activation;
      o.s = 20;
      o.iters = 300;
      o.step_rule = StepRule::backtracking;
      const TrainResult r = train(o, iris());
      CAPTURE(hidden.size());
      CAPTURE(activation_name(activation));
      CHECK(r.step_certified);
      CHECK(non_increasing(r.history.loss));
      CHECK(r.history.loss.back() < r.history.loss.front());
    }
  }
}

TEST_CASE(
    "trainer: with ridge 1e-2 the s = 5 IRIS point is HT-stable within the default iterations") {
  RunOptions o;
  o.ridge = 1e-2;
  const TrainResult r = train(o, iris());
  CHECK(r.iterations == o.iters);
  CHECK(r.ht_stable.stable);
  CHECK(r.ht_stable.reason.rfind("Stable: ", 0) == 0);
  CHECK(r.ht_stable.reason.find("no finite minimiser") == std::string::npos);
  // The stopping rule ends the run as soon as the verdict is reached.
  o.stop_when_stable = true;
  const TrainResult early = train(o, iris());
  CHECK(early.status == IhtStatus::stable);
  CHECK(early.ht_stable.reason.find("no finite minimiser") == std::string::npos);
  CHECK(early.ht_stable.stable);
  CHECK(early.iterations < r.iterations);
  CHECK(early.history.loss.size() == static_cast<std::size_t>(early.iterations) + 1);
}

TEST_CASE("trainer: the reason names a separable class when ‖θ‖ keeps growing without a ridge") {
  RunOptions o;  // the defaults: s = 5, 1,000 iterations, no ridge
  const TrainResult r = train(o, iris());
  CHECK_FALSE(r.ht_stable.stable);
  CHECK(r.ht_stable.reason.find("no finite minimiser") != std::string::npos);
  CHECK(r.ht_stable.reason.find("'Iris-setosa'") != std::string::npos);
  CHECK(r.ht_stable.reason.find("ridge") != std::string::npos);
  CHECK(r.history.theta_norm.size() == r.history.loss.size());
  CHECK(r.history.theta_norm.back() > r.history.theta_norm[r.history.theta_norm.size() / 2]);
  // A short run is "not yet", not "no minimiser".
  o.iters = 5;
  const TrainResult short_run = train(o, iris());
  CHECK(short_run.ht_stable.reason.find("has not reached a fixed point") != std::string::npos);
}

TEST_CASE("trainer: the recorded step's halves: θ_k = H_s(v), v = θ_{k−1} − γ∇f(θ_{k−1})") {
  for (const StepRule rule : {StepRule::bound, StepRule::backtracking}) {
    RunOptions o;
    o.s = 4;
    o.step_rule = rule;
    o.iters = 10;
    Trainer trainer(o, iris());
    CHECK_FALSE(trainer.last_step().has_value());
    trainer.record_steps(true);
    trainer.advance(3);
    const std::optional<StepDetail> d = trainer.last_step();
    REQUIRE(d.has_value());
    CHECK(d->iteration == 3);
    CHECK(d->after == trainer.theta());
    CHECK(d->step == trainer.step_size());
    Eigen::VectorXd grad(15);
    trainer.problem().objective().evaluate_with_gradient(d->before, grad);
    const Eigen::VectorXd v = d->before - d->step * grad;
    CHECK((v - d->gradient_step).lpNorm<Eigen::Infinity>() == 0.0);
    CHECK(hard_threshold(v, 4) == d->after);
    CHECK(d->kept == trainer.support());
    for (const int i : d->kept) CHECK(std::abs(v[i]) >= d->threshold);
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      if (!std::binary_search(d->kept.begin(), d->kept.end(), static_cast<int>(i))) {
        CHECK(std::abs(v[i]) <= d->threshold);
      }
    }
    // The entered and left lists compare against supp(θ_{k−1}).
    trainer.advance(1);
    const std::optional<StepDetail> next = trainer.last_step();
    REQUIRE(next.has_value());
    CHECK(next->before == d->after);
  }
}
