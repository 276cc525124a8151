#include "sparse_iht/sweep.hpp"

namespace sparse_iht {

SweepPoint to_sweep_point(const TrainResult& r, double dense_train_loss) {
  SweepPoint p;
  p.s = r.s;
  p.train_loss = r.train_loss;
  p.test_loss = r.test_loss;
  p.train_accuracy = r.train_accuracy;
  p.test_accuracy = r.test_accuracy;
  p.gap_to_dense = gap_to_dense(r.train_loss, dense_train_loss);
  p.ht_stable = r.ht_stable;
  p.step_size = r.step_size;
  p.step_rule = r.step_rule;
  p.step_certified = r.step_certified;
  p.l2s = r.l2s;
  p.iterations = r.iterations;
  p.status = r.status;
  p.theta = r.theta;
  p.support = r.support;
  return p;
}

SweepResult sweep(const RunOptions& options, const Dataset& data, SweepObserver* progress) {
  RunOptions run = options;
  // The dense baseline is the same procedure with s = n (docs/method.md §4), which is
  // also the sweep's last point.
  const int n = network_architecture(options, data).num_params();
  run.s = n;
  SweepResult result;
  result.dense = train(run, data);
  if (progress != nullptr) progress->on_progress(1, n);
  for (int s = 1; s < n; ++s) {
    if (progress != nullptr && progress->should_stop()) return result;
    run.s = s;
    result.points.push_back(to_sweep_point(train(run, data), result.dense.train_loss));
    if (progress != nullptr) progress->on_progress(s + 1, n);
  }
  result.points.push_back(to_sweep_point(result.dense, result.dense.train_loss));
  return result;
}

}  // namespace sparse_iht
