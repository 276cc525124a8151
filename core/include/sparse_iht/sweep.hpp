// The sparsity sweep (docs/method.md §4): train for every s from 1 to n with the same
// options and report each against the dense baseline (the same procedure with
// s = n, which is also the sweep's last point).
#pragma once

#include <Eigen/Core>
#include <optional>
#include <vector>

#include "sparse_iht/trainer.hpp"

namespace sparse_iht {

struct SweepPoint {
  int s = 0;
  double train_loss = 0.0;
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
};

struct SweepResult {
  TrainResult dense;
  std::vector<SweepPoint> points;  // s = 1 … n
};

class SweepObserver {
 public:
  virtual ~SweepObserver() = default;
  // Called after each trained s (the dense run first, with done = 1).
  virtual void on_progress(int done, int total) = 0;
  virtual bool should_stop() { return false; }
};

// Throws InputError on bad options or data. A sweep whose observer asks to
// stop returns the points trained so far.
SweepResult sweep(const RunOptions& options, const Dataset& data,
                  SweepObserver* progress = nullptr);

SweepPoint to_sweep_point(const TrainResult& r, double dense_train_loss);

}  // namespace sparse_iht
