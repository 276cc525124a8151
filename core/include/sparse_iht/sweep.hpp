// The sparsity path (docs/method.md §4): train every s of a grid, each point
// the best of a cold start and warm starts from its neighbours, against the
// dense baseline; choose s by cross-validation inside the training split (and
// an information criterion); compare with magnitude pruning and L1 at the same
// nonzero count; optionally certify the global optimum per s by enumeration
// and close the gap by swaps.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "sparse_iht/trainer.hpp"

namespace sparse_iht {

// The largest n for which the default grid is every s from 1 to n.
constexpr int kFullGridLimit = 60;

// The grid of s values: `requested` (sorted, duplicates dropped, each in 1..n,
// else InputError::bad_option("s-grid")) plus n; when `requested` is empty,
// every s up to n when n ≤ kFullGridLimit, else 1..10 and about 30 more
// log-spaced up to n. Always ends with n, the dense baseline.
std::vector<int> s_grid(int n, const std::vector<int>& requested);

// A run reduced to what the path reports of it.
struct RunSummary {
  double train_loss = 0.0;  // data loss
  double objective = 0.0;   // what IHT minimised (with the ridge)
  std::optional<double> test_loss;
  double train_accuracy = 0.0;
  std::optional<double> test_accuracy;
  std::vector<int> support;
  int iterations = 0;
  IhtStatus status = IhtStatus::running;
};
RunSummary summarize(const TrainResult& r);

// Baselines at the same nonzero count, each retrained on its support with
// the path's step rule and iterations.
struct Baselines {
  // Dense (the path's s = n point), H_s, retrain on the kept support.
  RunSummary magnitude;
  // Proximal gradient with soft thresholding at the smallest λ found with
  // nnz ≤ s, then retrain on its support.
  RunSummary l1;
  double l1_lambda = 0.0;
  // Nonzeros of the L1 solution at l1_lambda, before the retraining (≤ s,
  // except where even λ_max keeps more and H_s cut it: then s).
  int l1_nonzeros = 0;
};

// The global optimum over every support of size s (--exact).
struct ExactOptimum {
  double objective = 0.0;
  std::vector<int> support;
  double train_loss = 0.0;
};

// A swap local search after IHT (--swaps on).
struct SwapResult {
  double objective = 0.0;
  double train_loss = 0.0;
  std::vector<int> support;
  int swaps = 0;  // accepted exchanges
};

struct SweepPoint {
  int s = 0;
  // Which run this point is: "cold", "up" (warm from the previous grid
  // point) or "down" (warm from H_s of the next grid point).
  std::string start = "cold";
  double train_loss = 0.0;
  double objective = 0.0;
  std::optional<double> test_loss;
  double train_accuracy = 0.0;
  std::optional<double> test_accuracy;
  double gap_to_dense = 0.0;  // train loss minus the dense train loss
  HtStability ht_stable;
  double step_size = 0.0;
  StepRule step_rule = StepRule::fixed;
  bool step_certified = false;
  std::optional<double> l2s;
  int iterations = 0;
  IhtStatus status = IhtStatus::running;
  Eigen::VectorXd theta;
  std::vector<int> support;
  RunSummary cold;                     // the cold start, whether or not it won
  std::optional<Baselines> baselines;  // --baselines on
  std::optional<ExactOptimum> exact;   // --exact, where a certificate exists
  std::optional<double> exact_gap;     // objective − exact.objective
  std::optional<SwapResult> swap;      // --swaps on
};

// EBIC (Chen & Chen 2008) on the path's training fits, as a second opinion:
// 2 m f(θ_s) + k ln m + 2 γ ln C(n, k), with f the mean cross-entropy on the
// m training samples, k = ‖θ_s‖₀ and γ = 0.5.
struct Criterion {
  std::string name = "EBIC";
  double gamma = 0.5;
  std::vector<double> values;  // per grid point
  int chosen_s = 0;
};

// K-fold cross-validation inside the training split (--cv K).
struct CrossValidation {
  int folds = 0;
  std::vector<int> s;                           // the grid
  std::vector<double> mean_loss, std_err_loss;  // validation cross-entropy
  std::vector<double> mean_accuracy, std_err_accuracy;
  // fold_loss[i][k]: the validation loss of fold k at grid point i (the
  // numbers behind the mean and its standard error).
  std::vector<std::vector<double>> fold_loss;
  int min_s = 0;     // the lowest mean validation loss
  int chosen_s = 0;  // one-standard-error rule: the smallest s within 1 SE of min_s
  Criterion criterion;
};

struct SweepResult {
  TrainResult dense;  // the path's s = n point, in full
  std::vector<SweepPoint> points;
  std::vector<int> grid;
  std::optional<CrossValidation> cv;
  // Per grid point, per parameter: the share of folds whose point kept it
  // (stability selection); empty without --cv.
  std::vector<std::vector<double>> support_frequency;
  // Why no exact optimum is reported (--exact without a ridge, with hidden
  // layers, or with too many supports); empty otherwise.
  std::string exact_note;
  bool complete = true;  // false when an observer stopped the path
};

class SweepObserver {
 public:
  virtual ~SweepObserver() = default;
  // Called after each training of the path and each proximal-gradient run of
  // the L1 baseline (done of total, total fixed in advance for the options
  // given), so a long baseline shows progress and stops when asked.
  virtual void on_progress(int done, int total) = 0;
  virtual bool should_stop() { return false; }
};

// Throws InputError on bad options or data. A path whose observer asks to
// stop returns what it has (complete = false).
SweepResult sweep(const RunOptions& options, const Dataset& data,
                  SweepObserver* progress_observer = nullptr);

}  // namespace sparse_iht
