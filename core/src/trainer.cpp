#include "sparse_iht/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>

#include "sparse_iht/csv.hpp"
#include "sparse_iht/digits.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/random.hpp"

namespace sparse_iht {
namespace {

// Streams of the run's seed, so that the split, θ_0, the Monte Carlo pairs and
// the mini-batch order draw independent numbers from one --seed.
constexpr std::uint64_t kInitStream = 0x1a17ULL << 40U;
constexpr std::uint64_t kBatchSeedMix = 0x9e3779b97f4a7c15ULL;
// The first step the adaptive rules try (backtracking, normalized): features
// are standardised, so the curvature is of order 1.
constexpr double kStartStep = 1.0;

}  // namespace

void check_builtin_label(const RunOptions& options) {
  // Ignoring it would train on the built-in labels while the user believes
  // another column is the label.
  if (options.label.empty() || (options.data != "iris" && options.data != "digits")) return;
  throw InputError::bad_option(
      "label", std::string("names a column of a CSV file (--data "
                           "FILE.csv); the built-in ") +
                   (options.data == "iris" ? "IRIS data set's label is fixed (its species)"
                                           : "digits data set's label is fixed (the digit)"));
}

Dataset load_dataset(const RunOptions& options) {
  check_builtin_label(options);
  if (options.data == "iris") return iris();
  if (options.data == "digits") return digits();
  return load_csv_file(options.data, options.label);
}

std::vector<int> hidden_layers(const RunOptions& options, const Dataset& data) {
  return options.hidden.value_or(data.default_hidden);
}

int default_s(const Dataset& data, int n) {
  if (data.default_s_percent > 0) {
    return std::max(1, static_cast<int>(static_cast<long long>(n) * data.default_s_percent / 100));
  }
  return std::min(5, n);
}

Architecture network_architecture(const RunOptions& options, const Dataset& data) {
  Architecture architecture;
  architecture.sizes.push_back(data.num_features());
  for (int width : hidden_layers(options, data)) architecture.sizes.push_back(width);
  architecture.sizes.push_back(data.num_classes());
  architecture.activation = options.activation;
  return architecture;
}

ModelDescription describe_model(const RunOptions& options, const Dataset& data) {
  ModelDescription description;
  description.architecture = network_architecture(options, data);
  description.parameters =
      describe_parameters(description.architecture, data.feature_names, data.class_names);
  description.image_shape = data.image_shape;
  description.default_s = default_s(data, description.architecture.num_params());
  return description;
}

namespace {

// The labels and names of some samples; their features stay out (x has the
// features' rows and no columns): the objective holds them.
Dataset labels_of(const Dataset& data, const std::vector<int>& samples) {
  Dataset out = empty_like(data);
  out.y.reserve(samples.size());
  for (const int i : samples) out.y.push_back(data.y[static_cast<std::size_t>(i)]);
  return out;
}

// Writes the samples' features into `out` in the objective's layout
// (features × samples, row-major), standardised as Standardizer::apply would:
// (x − mean) / scale, element by element.
void write_features(const Dataset& data, const std::vector<int>& samples,
                    const std::optional<Standardizer>& standardizer, double* out) {
  const Eigen::Index features = data.x.rows();
  const auto count = static_cast<Eigen::Index>(samples.size());
  Eigen::Map<NetworkObjective::Features> view(out, features, count);
  for (Eigen::Index k = 0; k < count; ++k) {
    const auto column = data.x.col(samples[static_cast<std::size_t>(k)]);
    if (standardizer) {
      view.col(k) = ((column - standardizer->mean).array() / standardizer->scale.array()).matrix();
    } else {
      view.col(k) = column;
    }
  }
}

// Moves the columns of x in place so that column p holds what column order[p]
// held, with one spare column, following each cycle of the permutation.
void permute_columns(Eigen::MatrixXd& x, const std::vector<int>& order) {
  const std::size_t n = order.size();
  const auto rows = static_cast<std::size_t>(x.rows());
  const auto column = [&](std::size_t c) { return x.data() + c * rows; };
  std::vector<bool> done(n, false);
  std::vector<double> spare(rows);
  for (std::size_t start = 0; start < n; ++start) {
    if (done[start]) continue;
    std::copy(column(start), column(start) + rows, spare.begin());
    std::size_t p = start;
    for (;;) {
      done[p] = true;
      const auto from = static_cast<std::size_t>(order[p]);
      if (from == start) {
        std::copy(spare.begin(), spare.end(), column(p));
        break;
      }
      std::copy(column(from), column(from) + rows, column(p));
      p = from;
    }
  }
}

// a · b mod m (a, b < m) without overflow: one 64-bit product when both fit
// in 32 bits (every data set that fits in WebAssembly's memory), else by
// doubling.
std::uint64_t times_mod(std::uint64_t a, std::uint64_t b, std::uint64_t m) {
  constexpr std::uint64_t kHalf = std::uint64_t{1} << 32;
  if (a < kHalf && b < kHalf) return a * b % m;
  std::uint64_t result = 0;
  for (; b > 0; b >>= 1U) {
    if ((b & 1U) != 0) result = result >= m - a ? result - (m - a) : result + a;
    a = a >= m - a ? a - (m - a) : a + a;
  }
  return result;
}

// Transposes rows × cols values in place, from column-major to row-major (the
// same as column-major to its transpose): the value at i = r + rows·c moves to
// c + cols·r = i·cols mod (rows·cols − 1). Cycle following, one bit per value.
void transpose_in_place(double* a, std::size_t rows, std::size_t cols) {
  const std::size_t size = rows * cols;
  if (rows <= 1 || cols <= 1) return;  // the same values in the same order
  const std::size_t modulus = size - 1;
  std::vector<bool> moved(size, false);
  for (std::size_t start = 1; start < modulus; ++start) {
    if (moved[start]) continue;
    double carry = a[start];
    std::size_t i = start;
    do {
      const auto j = static_cast<std::size_t>(times_mod(i, cols, modulus));
      std::swap(carry, a[j]);
      moved[j] = true;
      i = j;
    } while (i != start);
  }
}

}  // namespace

// The split and the standardisation write straight into the objectives'
// layout: a run holds the features once, not a split copy and then the
// objective's copy of it. Train and test get a buffer each, so that either can
// reuse memory a smaller free block offers (WebAssembly's never shrinks).
Problem::Problem(const RunOptions& options, const Dataset& data)
    : Problem(options, data, stratified_split_indices(data, options.test_fraction, options.seed)) {}

Problem::Problem(const RunOptions& options, const Dataset& data, const SplitIndices& parts) {
  validate_options(options, Command::train);
  train = labels_of(data, parts.train);
  test = labels_of(data, parts.test);
  if (options.standardize) standardizer = Standardizer::fit(data, parts.train);
  const auto part = [&](const std::vector<int>& samples) {
    auto storage =
        std::make_shared<Eigen::MatrixXd>(data.x.rows(), static_cast<Eigen::Index>(samples.size()));
    write_features(data, samples, standardizer, storage->data());
    return std::shared_ptr<const Eigen::MatrixXd>(std::move(storage));
  };
  auto train_storage = part(parts.train);
  auto test_storage = part(parts.test);
  const double* test_begin = test_storage->data();
  build_objectives(options, std::move(train_storage), std::move(test_storage), test_begin);
}

// The same numbers from a data set handed over: standardised, reordered
// (train columns, then test) and transposed in its own storage, with no copy,
// so the peak is the data set itself (iht train on a large CSV).
Problem::Problem(const RunOptions& options, Dataset&& data) {
  validate_options(options, Command::train);
  const SplitIndices parts = stratified_split_indices(data, options.test_fraction, options.seed);
  train = labels_of(data, parts.train);
  test = labels_of(data, parts.test);
  if (options.standardize) {
    standardizer = Standardizer::fit(data, parts.train);
    standardizer->apply(data);
  }
  std::vector<int> order = parts.train;
  order.insert(order.end(), parts.test.begin(), parts.test.end());
  permute_columns(data.x, order);
  const auto features = static_cast<std::size_t>(data.x.rows());
  auto storage = std::make_shared<Eigen::MatrixXd>(std::move(data.x));
  double* train_begin = storage->data();
  double* test_begin = train_begin + features * parts.train.size();
  transpose_in_place(train_begin, features, parts.train.size());
  transpose_in_place(test_begin, features, parts.test.size());
  data = Dataset();
  build_objectives(options, storage, storage, test_begin);
}

void Problem::build_objectives(const RunOptions& options,
                               std::shared_ptr<const Eigen::MatrixXd> train_storage,
                               std::shared_ptr<const Eigen::MatrixXd> test_storage,
                               const double* test_begin) {
  architecture = network_architecture(options, train);
  const double* train_begin = train_storage->data();
  train_objective = std::make_unique<NetworkObjective>(architecture, train,
                                                       std::move(train_storage), train_begin);
  if (test.num_samples() > 0) {
    test_objective =
        std::make_unique<NetworkObjective>(architecture, test, std::move(test_storage), test_begin);
  }
  if (options.ridge > 0.0)
    ridged = std::make_unique<RidgeObjective>(*train_objective, options.ridge);
}

// Records the history of a run and its latest support change, and passes each
// iterate on to the caller's observer.
class Trainer::Recorder final : public IterationObserver {
 public:
  Recorder(Problem& problem, History& history, std::optional<SupportChange>& latest_change,
           bool adaptive, bool record)
      : problem_(problem),
        history_(history),
        latest_change_(latest_change),
        adaptive_(adaptive),
        record_(record) {}

  void on_iteration(const IterationInfo& info) override {
    if (record_) record(info);
    note_support(info);
    if (forward_ != nullptr) forward_->on_iteration(info);
  }
  bool should_stop() override { return forward_ != nullptr && forward_->should_stop(); }
  void forward_to(IterationObserver* observer) { forward_ = observer; }

 private:
  void record(const IterationInfo& info) {
    history_.loss.push_back(info.loss);
    history_.theta_norm.push_back(info.theta->norm());
    if (adaptive_) history_.step.push_back(info.step);
    history_.nnz.push_back(info.nnz);
    history_.entered.push_back(info.entered);
    history_.left.push_back(info.left);
    history_.train_accuracy.push_back(problem_.train_objective->accuracy(*info.theta));
    if (problem_.test_objective) {
      history_.test_accuracy.push_back(problem_.test_objective->accuracy(*info.theta));
    }
  }

  // Compares the supports themselves rather than trusting the entered/left
  // counts, so the index lists stand on their own. θ_0's support is where the
  // run starts, not a change. Supports are ascending (HardThreshold::apply).
  void note_support(const IterationInfo& info) {
    const std::vector<int>& now = *info.support;
    if (info.iteration > 0 && now == support_) return;
    if (info.iteration > 0) {
      SupportChange& change = latest_change_.emplace();
      change.iteration = info.iteration;
      std::set_difference(now.begin(), now.end(), support_.begin(), support_.end(),
                          std::back_inserter(change.entered));
      std::set_difference(support_.begin(), support_.end(), now.begin(), now.end(),
                          std::back_inserter(change.left));
    }
    support_ = now;
  }

  Problem& problem_;
  History& history_;
  std::optional<SupportChange>& latest_change_;
  std::vector<int> support_;  // of the previous iterate
  bool adaptive_;             // record each step γ_k
  bool record_;               // keep the history at all (TrainerStart::history)
  IterationObserver* forward_ = nullptr;
};

// The objective on some coordinates only: the gradient is 0 elsewhere, so
// IHT from a θ_0 that is 0 there keeps them at 0 (retraining on a support).
class Trainer::Restricted final : public Objective {
 public:
  Restricted(Objective& base, const std::vector<int>& only)
      : base_(base), keep_(static_cast<std::size_t>(base.dimension()), false) {
    for (const int i : only) keep_[static_cast<std::size_t>(i)] = true;
  }
  int dimension() const override { return base_.dimension(); }
  double evaluate_with_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) override {
    const double value = base_.evaluate_with_gradient(theta, grad);
    mask(grad);
    return value;
  }
  double evaluate(const Eigen::VectorXd& theta) override { return base_.evaluate(theta); }
  int num_functions() const override { return base_.num_functions(); }
  double evaluate_batch_with_gradient(const Eigen::VectorXd& theta, const int* indices, int count,
                                      Eigen::VectorXd& grad) override {
    const double value = base_.evaluate_batch_with_gradient(theta, indices, count, grad);
    mask(grad);
    return value;
  }

 private:
  void mask(Eigen::VectorXd& grad) const {
    for (Eigen::Index i = 0; i < grad.size(); ++i) {
      if (!keep_[static_cast<std::size_t>(i)]) grad[i] = 0.0;
    }
  }
  Objective& base_;
  std::vector<bool> keep_;
};

Trainer::Trainer(const RunOptions& options, const Dataset& data)
    : Trainer(options, std::make_unique<Problem>(options, data), nullptr, TrainerStart{}) {}

Trainer::Trainer(const RunOptions& options, Dataset&& data)
    : Trainer(options, std::make_unique<Problem>(options, std::move(data)), nullptr,
              TrainerStart{}) {}

Trainer::Trainer(const RunOptions& options, Problem& problem, const TrainerStart& start)
    : Trainer(options, nullptr, &problem, start) {}

Trainer::Trainer(const RunOptions& options, std::unique_ptr<Problem> owned, Problem* problem,
                 const TrainerStart& start)
    : options_(options), owned_(std::move(owned)), problem_(owned_ ? owned_.get() : problem) {
  const int n = problem_->num_params();
  validate_options(options_, Command::train);
  s_ = options.s.value_or(default_s(problem_->train, n));
  validate_against_model(options_, Command::train, n);
  if (start.upper) upper_ = start.upper;
  // The bound for this s: the one given, else computed.
  const auto bound_for = [&](int s, std::string& why) {
    return start.upper ? start.upper : smoothness_upper_bound(problem_->objective(), s, why);
  };
  std::string method;
  std::unique_ptr<StepPolicy> policy;
  const bool mini_batch =
      options.batch_size > 0 && options.batch_size < problem_->objective().num_functions();
  StepRule rule = options.step ? StepRule::fixed : options.step_rule;  // a value is a fixed step
  if (rule == StepRule::automatic) {
    // bound where a certified bound exists; else backtracking, which certifies
    // each step by the descent condition; it needs the full batch, so
    // mini-batches fall back to the paper's estimate.
    upper_ = bound_for(s_, method);
    rule = upper_ ? StepRule::bound : mini_batch ? StepRule::estimate : StepRule::backtracking;
  }
  switch (rule) {
    case StepRule::automatic:
    case StepRule::fixed:
      step_ = options.step.value_or(0.0);
      // The unrestricted bound (s = n: no supports to enumerate) often
      // certifies the step already; the restricted one is smaller but costs
      // an eigenvalue per support.
      if (!start.upper) {
        upper_ = smoothness_upper_bound(problem_->objective(), n, method);
        if (upper_ && !(step_ * *upper_ < 1.0)) {
          upper_ = smoothness_upper_bound(problem_->objective(), s_, method);
        }
      }
      policy = fixed_step(step_, upper_, "fixed");
      break;
    case StepRule::bound:
      if (!upper_) upper_ = bound_for(s_, method);
      if (!upper_) {
        throw InputError::bad_option("step", "bound needs a certified upper bound of L_2s, and " +
                                                 method +
                                                 "; give backtracking, estimate or a number");
      }
      step_ = options.step_factor / *upper_;
      policy = fixed_step(step_, upper_, "bound");
      break;
    case StepRule::estimate: {
      L2sOptions l2s_options;
      l2s_options.s = s_;
      l2s_options.samples = options.samples;
      l2s_options.seed = options.seed;
      l2s_options.scale = options.scale;
      if (start.estimate != nullptr) {
        l2s_ = *start.estimate;
      } else {
        l2s_ = estimate_l2s(problem_->objective(), l2s_options);
      }
      if (!(l2s_->max > 0.0)) {
        throw InputError::bad_option(
            "step", std::string(step_rule_name(options.step_rule)) +
                        ": the estimated L_2s is 0, so c / L_2s is undefined; give a step size");
      }
      step_ = options.step_factor / l2s_->max;
      upper_ = l2s_->upper;
      policy = fixed_step(step_, upper_, "estimate");
      break;
    }
    case StepRule::backtracking:
      step_ = kStartStep;
      policy = backtracking_step(kStartStep);
      break;
    case StepRule::normalized:
      step_ = kStartStep;
      policy = normalized_step(kStartStep);
      break;
  }
  rule_ = rule;
  // The theorem asks for γ < 1/L_2s: covered when γ < 1/upper (L_2s ≤ upper).
  // The adaptive rules certify step by step (Iht::certified()).
  step_certified_ = upper_.has_value() && step_ * *upper_ < 1.0;
  Eigen::VectorXd theta0;
  if (start.theta0 != nullptr) {
    theta0 = *start.theta0;
  } else {
    Rng init_rng(options.seed, kInitStream);
    theta0 = initial_parameters(problem_->architecture, init_rng, options.init_scale);
  }
  Objective* objective = &problem_->objective();
  if (!start.only.empty()) {
    restricted_ = std::make_unique<Restricted>(*objective, start.only);
    objective = restricted_.get();
    Eigen::VectorXd kept = Eigen::VectorXd::Zero(theta0.size());
    for (const int i : start.only) kept[i] = theta0[i];
    theta0.swap(kept);
  }

  IhtOptions iht_options;
  iht_options.s = s_;
  iht_options.step = step_;
  iht_options.max_iterations = options.iters;
  iht_options.tolerance = options.tolerance;
  iht_options.batch_size = options.batch_size;
  iht_options.seed = options.seed ^ kBatchSeedMix;
  iht_options.stop_when_stable = options.stop_when_stable;
  iht_options.ht_tolerance = options.ht_tolerance;
  recorder_ = std::make_unique<Recorder>(*problem_, history_, latest_change_, policy->adaptive(),
                                         start.history);
  iht_ = std::make_unique<Iht>(*objective, iht_options, theta0, std::move(policy),
                               options.refine ? newton_refinement() : nullptr);
  // Evaluates and records θ_0, so the state is readable before the first step.
  iht_->advance(0, recorder_.get());
}

Trainer::~Trainer() = default;

IhtStatus Trainer::advance(int k, IterationObserver* progress) {
  recorder_->forward_to(progress);
  const IhtStatus status = iht_->advance(k, recorder_.get());
  recorder_->forward_to(nullptr);
  return status;
}

IhtStatus Trainer::run(IterationObserver* progress) {
  while (!done()) advance(1 << 20, progress);
  return status();
}

void Trainer::stop() { iht_->stop(); }

void Trainer::record_steps(bool on) { iht_->record_steps(on); }

std::optional<StepDetail> Trainer::last_step() const {
  const Iht& iht = *iht_;
  if (iht.iterations() == 0 || iht.gradient_step().size() != iht.theta().size() ||
      iht.previous_theta().size() != iht.theta().size()) {
    return std::nullopt;
  }
  StepDetail d;
  d.iteration = iht.iterations();
  d.step = iht.last_step();
  d.certified = step_certified();
  d.before = iht.previous_theta();
  d.gradient_step = iht.gradient_step();
  d.after = iht.theta();
  d.kept = iht.support();
  if (static_cast<int>(d.kept.size()) >= s_) {
    d.threshold = HUGE_VAL;
    for (const int i : d.kept) d.threshold = std::min(d.threshold, std::abs(d.gradient_step[i]));
  }
  std::vector<int> before_support;
  for (Eigen::Index i = 0; i < d.before.size(); ++i) {
    if (d.before[i] != 0.0) before_support.push_back(static_cast<int>(i));
  }
  std::set_difference(d.kept.begin(), d.kept.end(), before_support.begin(), before_support.end(),
                      std::back_inserter(d.entered));
  std::set_difference(before_support.begin(), before_support.end(), d.kept.begin(), d.kept.end(),
                      std::back_inserter(d.left));
  return d;
}
bool Trainer::done() const { return iht_->done(); }
IhtStatus Trainer::status() const { return iht_->status(); }
int Trainer::iteration() const { return iht_->iterations(); }
const Eigen::VectorXd& Trainer::theta() const { return iht_->theta(); }
const std::vector<int>& Trainer::support() const { return iht_->support(); }
double Trainer::loss() const { return iht_->loss(); }

namespace {

// A class that the network, with its kept weights, tells apart from every
// other on the training set: all its samples predicted as it, and no other
// sample. On such a support the cross-entropy can fall towards 0 forever.
std::optional<int> separated_class(const Problem& problem, const Eigen::VectorXd& theta) {
  const std::vector<int> predicted = problem.train_objective->predict(theta);
  const std::vector<int>& truth = problem.train.y;
  const int classes = problem.train.num_classes();
  std::vector<bool> clean(static_cast<std::size_t>(classes), true);
  std::vector<bool> seen(static_cast<std::size_t>(classes), false);
  for (std::size_t j = 0; j < predicted.size(); ++j) {
    const auto y = static_cast<std::size_t>(truth[j]);
    const auto p = static_cast<std::size_t>(predicted[j]);
    seen[y] = true;
    if (p != y) {
      clean[y] = false;
      clean[p] = false;
    }
  }
  for (int c = 0; c < classes; ++c) {
    if (seen[static_cast<std::size_t>(c)] && clean[static_cast<std::size_t>(c)]) return c;
  }
  return std::nullopt;
}

// Three significant digits, as %g prints them. Not an ostringstream: that
// pulls iostreams and locales into the browser module, which doubled it
// (90 KB to 179 KB of WebAssembly, gzipped).
std::string number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", x);
  return buffer;
}

}  // namespace

void explain_ht_stability(TrainResult& r, const Problem& problem, const RunOptions& options) {
  HtStability& h = r.ht_stable;
  const bool full = h.support_size >= r.s;
  const std::string grad = full ? "‖∇_S f‖∞" : "‖∇f‖∞";
  const std::string gradient_text = grad + " = " + number(h.support_grad_inf);
  if (r.status == IhtStatus::diverged) {
    h.reason = "The run diverged; the verdict is about its last finite iterate.";
    if (!h.stable) return;
  }
  // Has ‖θ‖ kept growing over the second half of the run?
  const std::vector<double>& norms = r.history.theta_norm;
  bool growing = false;
  if (norms.size() >= 20) {
    const double middle = norms[norms.size() / 2];
    const double quarter = norms[norms.size() * 3 / 4];
    growing = norms.back() > 1.01 * middle && norms.back() > quarter && quarter > middle;
  }
  // With a ridge the objective is coercive: a minimiser always exists.
  const std::optional<int> separated =
      growing && options.ridge == 0.0 ? separated_class(problem, r.theta) : std::nullopt;
  const std::string growth = growing
                                 ? "‖θ‖ keeps growing (" + number(norms[norms.size() / 2]) + " → " +
                                       number(norms.back()) + " over the second half of the run)"
                                 : "";
  const std::string no_minimiser =
      separated
          ? "The loss on this support has no finite minimiser: class '" +
                problem.train.class_names[static_cast<std::size_t>(*separated)] +
                "' is separable with the kept weights. A ridge (e.g. ridge 1e-2) gives it one."
          : "";
  if (h.stable) {
    h.reason += (h.reason.empty() ? "" : " ") + std::string("Stable: ") + gradient_text +
                " is within the tolerance " + number(h.tolerance) +
                (full ? ", and the smallest kept weight exceeds γ times the largest gradient off "
                        "the support (margin " +
                            number(h.margin) + " > 0)."
                      : ".");
    if (separated) {
      h.reason += " But " + growth + ": the gradient is small because the weights are large. " +
                  no_minimiser;
    }
    return;
  }
  if (full && h.margin <= 0.0) {
    h.reason = "Not stable: the margin is " + number(h.margin) +
               " ≤ 0, so γ times a gradient entry off the support reaches the smallest kept "
               "weight and one more IHT step could change the support.";
    if (h.support_grad_inf > h.tolerance) h.reason += " Also " + gradient_text + " > tolerance.";
    return;
  }
  if (separated) {
    h.reason = "Not stable: " + gradient_text + " stays above the tolerance " +
               number(h.tolerance) + " while " + growth + ". " + no_minimiser;
    return;
  }
  h.reason = "Not stable: " + gradient_text + " is above the tolerance " + number(h.tolerance) +
             (r.status == IhtStatus::max_iterations
                  ? " after " + std::to_string(r.iterations) +
                        " iterations: the run has not reached a fixed point yet; more iterations "
                        "or a ridge may settle it."
                  : ".");
}

SamplePredictions Trainer::predictions(int count) const {
  const Problem& problem = *problem_;
  SamplePredictions out;
  out.on_test = problem.test_objective != nullptr;
  NetworkObjective& objective = out.on_test ? *problem.test_objective : *problem.train_objective;
  const std::vector<int> predicted = objective.predict(iht_->theta());
  const auto& labels = out.on_test ? problem.test.y : problem.train.y;
  const auto& z = objective.features();
  const auto k =
      static_cast<Eigen::Index>(std::clamp(count, 0, static_cast<int>(predicted.size())));
  out.num_features = static_cast<int>(z.rows());
  out.x.reserve(static_cast<std::size_t>(k * z.rows()));
  for (Eigen::Index j = 0; j < k; ++j) {
    for (Eigen::Index f = 0; f < z.rows(); ++f) {
      const double value = z(f, j);
      out.x.push_back(problem.standardizer
                          ? value * problem.standardizer->scale[f] + problem.standardizer->mean[f]
                          : value);
    }
  }
  out.y.assign(labels.begin(), labels.begin() + k);
  out.predicted.assign(predicted.begin(), predicted.begin() + k);
  return out;
}

TrainResult Trainer::result() const {
  Problem& problem = *problem_;
  TrainResult r;
  r.s = s_;
  r.n = problem.num_params();
  r.architecture = problem.architecture;
  r.feature_names = problem.train.feature_names;
  r.class_names = problem.train.class_names;
  r.theta = iht_->theta();
  r.support = iht_->support();
  Eigen::VectorXd grad;
  r.train_loss = problem.train_objective->evaluate_with_gradient(r.theta, grad);
  // The objective and its gradient (for the HT-stability check) add the ridge term.
  r.objective = r.train_loss;
  if (options_.ridge > 0.0) {
    r.objective += 0.5 * options_.ridge * r.theta.squaredNorm();
    grad += options_.ridge * r.theta;
  }
  r.train_accuracy = problem.train_objective->accuracy(r.theta);
  if (problem.test_objective) {
    r.test_loss = problem.test_objective->evaluate(r.theta);
    r.test_accuracy = problem.test_objective->accuracy(r.theta);
  }
  r.step_size = step_size();
  r.step_rule = rule_;
  r.step_certified = step_certified();
  if (l2s_) r.l2s = l2s_->max;
  r.iterations = iht_->iterations();
  r.status = iht_->status();
  r.ht_stable = check_ht_stability(r.theta, grad, s_, r.step_size, options_.ht_tolerance);
  r.history = history_;
  explain_ht_stability(r, problem, options_);

  NetworkObjective& scored =
      problem.test_objective ? *problem.test_objective : *problem.train_objective;
  r.confusion_on_test = static_cast<bool>(problem.test_objective);
  const int classes = problem.train.num_classes();
  r.confusion.assign(static_cast<std::size_t>(classes),
                     std::vector<int>(static_cast<std::size_t>(classes), 0));
  const std::vector<int> predicted = scored.predict(r.theta);
  for (std::size_t j = 0; j < predicted.size(); ++j) {
    ++r.confusion[static_cast<std::size_t>(scored.data().y[j])]
                 [static_cast<std::size_t>(predicted[j])];
  }
  return r;
}

TrainResult train(const RunOptions& options, const Dataset& data, IterationObserver* progress) {
  Trainer trainer(options, data);
  trainer.run(progress);
  return trainer.result();
}

}  // namespace sparse_iht
