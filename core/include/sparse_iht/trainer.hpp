// Training a network by IHT on a data set, as the command line, the JavaScript
// API and the page do it: split, standardise, initialise, pick the step (fixed
// or c / L̂_2s), iterate, and report loss, accuracy and HT-stability. The
// Trainer is resumable so a page can advance it a few iterations at a time.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sparse_iht/dataset.hpp"
#include "sparse_iht/ht_stability.hpp"
#include "sparse_iht/iht.hpp"
#include "sparse_iht/layout.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/options.hpp"

namespace sparse_iht {

// The data named by options.data: the built-in IRIS or digits, or a CSV file.
Dataset load_dataset(const RunOptions& options);
// Throws InputError::bad_option("label") when options.label is set for a
// built-in data set, whose labels are fixed (load_dataset checks it).
void check_builtin_label(const RunOptions& options);

// The hidden layers a run builds: options.hidden when given, else the data
// set's default (digits: one layer of 32; IRIS and CSV files: none).
std::vector<int> hidden_layers(const RunOptions& options, const Dataset& data);
// s when the options give none: the data set's share of n (digits: 10 %, so
// 241 of 2,410), else min(5, n).
int default_s(const Dataset& data, int n);

// The network hidden_layers() and options.activation make for a data set:
// sizes {features, hidden..., classes}.
Architecture network_architecture(const RunOptions& options, const Dataset& data);

// The network a training run on these options and data would build, and what
// every entry of its θ is. Checks nothing beyond what building the options and
// the data set has checked; in particular s and step play no part.
struct ModelDescription {
  Architecture architecture;
  std::vector<ParameterInfo> parameters;  // in θ order
  std::vector<int> image_shape;           // the data set's (Dataset::image_shape)
  int default_s = 0;                      // s when the options give none (default_s)
};
ModelDescription describe_model(const RunOptions& options, const Dataset& data);

// The split, standardised data and the network objectives on it. Not movable:
// the objectives point into the data sets. The features live once, in the
// objectives (train_objective->features(), features × samples); `train` and
// `test` hold the labels and names, and an x with the features' rows and no
// columns.
struct Problem {
  Dataset train, test;
  std::optional<Standardizer> standardizer;
  Architecture architecture;
  std::unique_ptr<NetworkObjective> train_objective;
  std::unique_ptr<NetworkObjective> test_objective;  // null when there is no test set
  // The training loss plus the ridge term when ridge > 0 (null otherwise).
  std::unique_ptr<RidgeObjective> ridged;
  // What IHT minimises: the training loss, plus λ/2 ‖θ‖² with a ridge.
  Objective& objective() const {
    return ridged ? static_cast<Objective&>(*ridged) : *train_objective;
  }

  Problem(const RunOptions& options, const Dataset& data);
  // The same on a given split (indices into data; `test` may be empty): the
  // cross-validation folds of the sparsity path.
  Problem(const RunOptions& options, const Dataset& data, const SplitIndices& parts);
  // The same problem, built in the data set's own storage: no copy of the
  // features, and `data` is left empty.
  Problem(const RunOptions& options, Dataset&& data);
  Problem(const Problem&) = delete;
  Problem& operator=(const Problem&) = delete;
  int num_params() const { return architecture.num_params(); }

 private:
  void build_objectives(const RunOptions& options,
                        std::shared_ptr<const Eigen::MatrixXd> train_storage,
                        std::shared_ptr<const Eigen::MatrixXd> test_storage,
                        const double* test_begin);
};

// The two halves of the latest IHT step, for a step-by-step view (Trainer::
// record_steps): θ_k = H_s(v), v = θ_{k−1} − γ ∇f(θ_{k−1}).
struct StepDetail {
  int iteration = 0;  // k
  double step = 0.0;  // γ
  bool certified = false;
  Eigen::VectorXd before;         // θ_{k−1}
  Eigen::VectorXd gradient_step;  // v
  Eigen::VectorXd after;          // θ_k
  // The s-th largest |v|: the kept entries are at least this large (0 when v
  // has fewer than s nonzeros).
  double threshold = 0.0;
  std::vector<int> kept;           // supp(θ_k), ascending
  std::vector<int> entered, left;  // against supp(θ_{k−1}), ascending
};

// Some samples and the classes the current θ predicts for them (a page's
// picture of image data): the first samples of the test split, or of the
// training split when there is no test set.
struct SamplePredictions {
  bool on_test = true;
  int num_features = 0;
  // count × features, row-major, in the data set's units (standardisation undone).
  std::vector<double> x;
  std::vector<int> y;          // the true classes
  std::vector<int> predicted;  // the classes θ predicts (ties to the lower class)
};

// Per-iteration record; index k is θ_k (0 is the initial point).
struct History {
  std::vector<double> loss;  // train loss f(θ_k)
  std::vector<double> train_accuracy;
  std::vector<double> test_accuracy;  // empty when there is no test set
  std::vector<int> nnz;
  std::vector<int> entered;        // support indices entering at step k
  std::vector<int> left;           // support indices leaving at step k
  std::vector<double> theta_norm;  // ‖θ_k‖
  // γ_{k−1}, the step that made θ_k (0 at k = 0), when the rule adapts it
  // (backtracking, normalized); empty for a step fixed for the whole run.
  std::vector<double> step;
};

// A change of support between two iterates: the trainer keeps the latest one,
// so a page can show it without comparing supports itself.
struct SupportChange {
  int iteration = 0;         // k: supp(θ_k) differs from supp(θ_{k−1})
  std::vector<int> entered;  // ascending: in supp(θ_k), not in supp(θ_{k−1})
  std::vector<int> left;     // ascending: in supp(θ_{k−1}), not in supp(θ_k)
};

struct TrainResult {
  int s = 0;
  int n = 0;
  Architecture architecture;
  std::vector<std::string> feature_names;
  std::vector<std::string> class_names;
  Eigen::VectorXd theta;
  std::vector<int> support;
  double train_loss = 0.0;  // the data loss: mean cross-entropy on the training set
  // What IHT minimised: train_loss + ridge/2 ‖θ‖² (equal to train_loss without a ridge).
  double objective = 0.0;
  std::optional<double> test_loss;
  double train_accuracy = 0.0;
  std::optional<double> test_accuracy;
  double step_size = 0.0;
  // The rule that chose the step ("fixed", "estimate" or "bound": auto names
  // the rule it ran), and whether the step is covered by the theorem: γ below
  // 1/upper for a certified upper bound of L_2s.
  StepRule step_rule = StepRule::fixed;
  bool step_certified = false;
  std::optional<double> l2s;  // L̂_2s behind an estimate step
  int iterations = 0;
  IhtStatus status = IhtStatus::running;
  HtStability ht_stable;
  History history;
  // Rows: true class, columns: predicted class; on the test set (train set when
  // there is no test set).
  std::vector<std::vector<int>> confusion;
  bool confusion_on_test = true;
};

// What a run may start from besides its options (the sparsity path's warm
// starts and baselines): θ_0, bounds computed before for the same s, and a set
// of coordinates to train on alone.
struct TrainerStart {
  // θ_0 = H_s(*theta0) instead of the seeded draw.
  const Eigen::VectorXd* theta0 = nullptr;
  // A certified bound of L_2s for this s and objective, computed before; used
  // by the rules that need one instead of computing it again.
  std::optional<double> upper;
  // The Monte Carlo estimate for this s, computed before (the estimate rule).
  const L2sEstimate* estimate = nullptr;
  // Train these coordinates only (ascending); the others stay 0. Empty: all.
  std::vector<int> only;
  // Record the per-iteration history (loss, accuracies, support sizes). The
  // sparsity path keeps none of it, and the accuracies cost a pass over the
  // test set per iteration.
  bool history = true;
};

class Trainer {
 public:
  // Sets up the problem, estimates L̂_2s for an auto step and draws θ_0.
  // Throws InputError on bad options or data.
  Trainer(const RunOptions& options, const Dataset& data);
  // Trains on a data set handed over: the problem is built in its storage
  // (Problem(options, Dataset&&)), so the features are never copied.
  Trainer(const RunOptions& options, Dataset&& data);
  // Trains on a problem built before and shared between runs (the sparsity
  // path), which must outlive the trainer.
  Trainer(const RunOptions& options, Problem& problem, const TrainerStart& start = {});
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Up to k more iterations; `progress` also sees every iterate.
  IhtStatus advance(int k, IterationObserver* progress = nullptr);
  IhtStatus run(IterationObserver* progress = nullptr);
  // Marks the run stopped (status "stopped"); its state stays readable.
  void stop();

  bool done() const;
  IhtStatus status() const;
  int iteration() const;
  const Eigen::VectorXd& theta() const;
  const std::vector<int>& support() const;
  double loss() const;
  // γ: the run's fixed step, or the adaptive rule's last one (its first try
  // before the first step).
  double step_size() const {
    return iht_->step_policy().adaptive() && iht_->iterations() > 0 ? iht_->last_step() : step_;
  }
  StepRule step_rule() const { return rule_; }
  // γ < 1/upper for a fixed step; every step so far certified for an adaptive rule.
  bool step_certified() const {
    return iht_->step_policy().adaptive() ? iht_->certified() : step_certified_;
  }
  const std::optional<L2sEstimate>& l2s_estimate() const { return l2s_; }
  // The certified bound of L_2s the step rule used or checked, if any.
  const std::optional<double>& upper() const { return upper_; }
  const History& history() const { return history_; }
  // The latest iteration k ≥ 1 at which the support changed; nothing while
  // every iterate has kept θ_0's support.
  const std::optional<SupportChange>& latest_support_change() const { return latest_change_; }
  const Problem& problem() const { return *problem_; }
  const RunOptions& options() const { return options_; }
  int s() const { return s_; }

  // Keeps the halves of every step from now on; last_step() reports the latest.
  void record_steps(bool on);
  // Nothing before the first recorded step.
  std::optional<StepDetail> last_step() const;

  // The current state as a result: test metrics, confusion matrix, HT-stability.
  TrainResult result() const;
  // The first `count` samples (at most all) and what the current θ predicts for them.
  SamplePredictions predictions(int count) const;

 private:
  class Recorder;
  class Restricted;
  Trainer(const RunOptions& options, std::unique_ptr<Problem> owned, Problem* problem,
          const TrainerStart& start);
  RunOptions options_;
  std::unique_ptr<Problem> owned_;  // null when the problem is shared
  Problem* problem_;
  std::unique_ptr<Restricted> restricted_;  // TrainerStart::only
  int s_ = 0;
  double step_ = 0.0;
  StepRule rule_ = StepRule::fixed;
  std::optional<double> upper_;  // a certified bound of L_2s, when one is known
  bool step_certified_ = false;
  std::optional<L2sEstimate> l2s_;
  History history_;
  std::optional<SupportChange> latest_change_;
  std::unique_ptr<Recorder> recorder_;
  std::unique_ptr<Iht> iht_;
};

// Sets r.ht_stable.reason: one plain sentence on why the point is or is not
// HT-stable (docs/method.md §4), from the verdict, the run's ‖θ_k‖ history and
// whether a class is separated on the training set.
void explain_ht_stability(TrainResult& r, const Problem& problem, const RunOptions& options);

// Trainer(options, data).run(progress).result()
TrainResult train(const RunOptions& options, const Dataset& data,
                  IterationObserver* progress = nullptr);

}  // namespace sparse_iht
