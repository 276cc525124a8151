#include "sparse_iht/sweep.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <utility>

#include "ordered.hpp"
#include "parallel.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/exact.hpp"
#include "sparse_iht/hard_threshold.hpp"

namespace sparse_iht {

std::vector<int> s_grid(int n, const std::vector<int>& requested) {
  std::vector<int> grid;
  if (!requested.empty()) {
    for (const int s : requested) {
      if (s < 1 || s > n) {
        throw InputError::bad_option("s-grid", std::to_string(s) + " is outside 1.." +
                                                   std::to_string(n) +
                                                   " (n = " + std::to_string(n) + " parameters)");
      }
      grid.push_back(s);
    }
  } else if (n <= kFullGridLimit) {
    for (int s = 1; s <= n; ++s) grid.push_back(s);
  } else {
    // Small s densely (where the curve bends), the rest log-spaced up to n.
    for (int s = 1; s <= 10; ++s) grid.push_back(s);
    constexpr int kLogPoints = 30;
    for (int k = 1; k <= kLogPoints; ++k) {
      const double v = 10.0 * std::pow(static_cast<double>(n) / 10.0,
                                       static_cast<double>(k) / static_cast<double>(kLogPoints));
      grid.push_back(static_cast<int>(std::lround(v)));
    }
  }
  grid.push_back(n);
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

RunSummary summarize(const TrainResult& r) {
  RunSummary out;
  out.train_loss = r.train_loss;
  out.objective = r.objective;
  out.test_loss = r.test_loss;
  out.train_accuracy = r.train_accuracy;
  out.test_accuracy = r.test_accuracy;
  out.support = r.support;
  out.iterations = r.iterations;
  out.status = r.status;
  return out;
}

namespace {

// Streams of the run's seed for the folds, apart from the split's and θ_0's.
constexpr std::uint64_t kFoldSeedMix = 0xc5f01d5ULL << 20U;
// Points of the L1 path, from λ_max down to λ_max · 10^-kL1Decades.
constexpr int kL1Lambdas = 40;
constexpr double kL1Decades = 5.0;
// Bisection steps between two λ of the L1 path.
constexpr int kL1Bisections = 10;

// Counts trainings and asks the observer whether to go on. Shared by the
// threads of a path (parallel.hpp): the observer hears one call at a time.
class Progress {
 public:
  Progress(SweepObserver* observer, int total) : observer_(observer), total_(total) {}
  // After one training: false once the observer asks to stop.
  bool tick() {
    const TaskLock lock(mutex_);
    ++done_;
    if (observer_ == nullptr) return true;
    observer_->on_progress(std::min(done_, total_), total_);
    if (observer_->should_stop()) stopped_.store(true);
    return !stopped_.load();
  }
  bool stopped() const { return stopped_.load(); }

 private:
  TaskMutex mutex_;
  SweepObserver* observer_;
  int total_;
  int done_ = 0;
  std::atomic<bool> stopped_{false};
};

// What a trained s leaves for the other runs at the same s: its bound of L_2s
// and its Monte Carlo estimate, which depend on s and the problem only.
struct SCache {
  bool known = false;
  std::optional<double> upper;
  std::optional<L2sEstimate> estimate;
};

class PathTrainer {
 public:
  PathTrainer(const RunOptions& options, Problem& problem, bool keep_dense_history,
              std::map<int, SCache> cache = {})
      : options_(options),
        problem_(problem),
        keep_dense_history_(keep_dense_history),
        cache_(std::move(cache)) {}

  TrainResult train(int s, const Eigen::VectorXd* theta0, std::vector<int> only = {}) {
    RunOptions o = options_;
    o.s = s;
    SCache& cache = cache_[s];
    TrainerStart start;
    start.theta0 = theta0;
    start.only = std::move(only);
    // A point keeps its result, not its iterations; only the dense end,
    // which the sweep returns whole as `dense`, keeps its history.
    start.history = keep_dense_history_ && s == problem_.num_params();
    if (cache.known) {
      start.upper = cache.upper;
      if (cache.estimate) start.estimate = &*cache.estimate;
    }
    Trainer trainer(o, problem_, start);
    trainer.run();
    if (!cache.known) {
      cache.known = true;
      cache.upper = trainer.upper();
      cache.estimate = trainer.l2s_estimate();
    }
    return trainer.result();
  }
  Problem& problem() { return problem_; }
  const RunOptions& options() const { return options_; }
  // The bounds and estimates found so far, by s: another trainer on the same
  // problem starts from them instead of computing them again.
  const std::map<int, SCache>& cache() const { return cache_; }

 private:
  RunOptions options_;
  Problem& problem_;
  bool keep_dense_history_;
  std::map<int, SCache> cache_;
};

struct PathPoint {
  TrainResult best;
  std::string start = "cold";
  TrainResult cold;
  bool trained = false;
};

int path_trainings(int grid_size, bool warm) {
  return grid_size + (warm ? 2 * (grid_size - 1) : 0);
}

// The L1 baseline's proximal-gradient runs, which the progress counts with the
// trainings: its λ path, then kL1Bisections per grid point.
int l1_runs(int grid_size) { return kL1Lambdas + kL1Bisections * grid_size; }

// Cold starts at every grid point (the dense end first), then, with warm
// starts, a downward pass from H_s of each next point's best and an upward
// pass from each previous point's best, keeping the lowest objective. The
// upward pass comes last: its start θ_{s−1} is s-sparse, so a step that
// never raises f cannot end above the previous point, and the path's
// objective is non-increasing in s.
std::vector<PathPoint> run_path(PathTrainer& trainer, const std::vector<int>& grid, bool warm,
                                Progress& progress) {
  const std::size_t g = grid.size();
  std::vector<PathPoint> path(g);
  const auto cold = [&](std::size_t i) {
    path[i].cold = trainer.train(grid[i], nullptr);
    path[i].best = path[i].cold;
    path[i].trained = true;
    return progress.tick();
  };
  if (!cold(g - 1)) return path;
  for (std::size_t i = 0; i + 1 < g; ++i) {
    if (!cold(i)) return path;
  }
  if (!warm) return path;
  const auto try_warm = [&](std::size_t i, std::size_t from, const char* name) {
    const Eigen::VectorXd start = path[from].best.theta;
    TrainResult r = trainer.train(grid[i], &start);
    if (r.objective < path[i].best.objective) {
      path[i].best = std::move(r);
      path[i].start = name;
    }
    return progress.tick();
  };
  for (std::size_t i = g - 1; i-- > 0;) {
    if (!try_warm(i, i + 1, "down")) return path;
  }
  for (std::size_t i = 1; i < g; ++i) {
    if (!try_warm(i, i - 1, "up")) return path;
  }
  return path;
}

SweepPoint to_point(const PathPoint& p, double dense_train_loss) {
  const TrainResult& r = p.best;
  SweepPoint out;
  out.s = r.s;
  out.start = p.start;
  out.train_loss = r.train_loss;
  out.objective = r.objective;
  out.test_loss = r.test_loss;
  out.train_accuracy = r.train_accuracy;
  out.test_accuracy = r.test_accuracy;
  out.gap_to_dense = gap_to_dense(r.train_loss, dense_train_loss);
  out.ht_stable = r.ht_stable;
  out.step_size = r.step_size;
  out.step_rule = r.step_rule;
  out.step_certified = r.step_certified;
  out.l2s = r.l2s;
  out.iterations = r.iterations;
  out.status = r.status;
  out.theta = r.theta;
  out.support = r.support;
  out.cold = summarize(p.cold);
  return out;
}

// ---- L1 --------------------------------------------------------------------

Eigen::VectorXd soft_threshold(const Eigen::VectorXd& v, double t) {
  Eigen::VectorXd out(v.size());
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const double a = std::abs(v[i]) - t;
    out[i] = a > 0.0 ? std::copysign(a, v[i]) : 0.0;
  }
  return out;
}

int nonzeros(const Eigen::VectorXd& v) { return static_cast<int>((v.array() != 0.0).count()); }

// Proximal gradient on f(θ) + λ‖θ‖₁ from θ (in place), each step halved from
// min(1, 2γ_prev) until the same sparse descent condition as IHT's
// backtracking holds for the smooth part.
void proximal_gradient(Objective& f, Eigen::VectorXd& theta, double lambda, int iterations) {
  Eigen::VectorXd grad(theta.size()), candidate;
  double value = f.evaluate_with_gradient(theta, grad);
  double gamma = 1.0;
  for (int k = 0; k < iterations; ++k) {
    gamma = std::min(1.0, 2.0 * gamma);
    bool accepted = false;
    Eigen::VectorXd d;
    for (int halvings = 0; halvings <= 40; ++halvings, gamma *= 0.5) {
      candidate = soft_threshold(theta - gamma * grad, gamma * lambda);
      const double next = f.evaluate(candidate);
      d = candidate - theta;
      const double model = value + ordered_dot(grad, d) + ordered_squared_norm(d) / (2.0 * gamma);
      if (std::isfinite(next) && next <= model + 8.0 * 2.2e-16 * std::max(1.0, std::abs(value))) {
        accepted = true;
        break;
      }
    }
    if (!accepted) return;
    theta.swap(candidate);
    value = f.evaluate_with_gradient(theta, grad);
    if (ordered_norm(d) <= 1e-6 * (1.0 + ordered_norm(theta))) return;
  }
}

struct L1Point {
  Eigen::VectorXd theta;
  double lambda = 0.0;
};

// For each grid s, the L1 solution at the smallest λ found with nnz ≤ s: a
// warm-started path of kL1Lambdas values from λ_max = ‖∇f(0)‖∞ down, then
// bisection (in log λ) between the last λ that keeps nnz ≤ s and the next.
// `tick` is called after each proximal-gradient run, l1_runs(grid size) times
// in all (a point without bisections ticks for the ones it skips); when it
// returns false the points found so far are returned.
template <typename Tick>
std::vector<L1Point> l1_points(Objective& f, const Eigen::VectorXd& dense,
                               const std::vector<int>& grid, int iterations, Tick&& tick) {
  const Eigen::Index n = dense.size();
  Eigen::VectorXd grad(n);
  f.evaluate_with_gradient(Eigen::VectorXd::Zero(n), grad);
  double lambda_max = grad.lpNorm<Eigen::Infinity>();
  if (!(lambda_max > 0.0) || !std::isfinite(lambda_max)) lambda_max = 1.0;
  std::vector<double> lambdas;
  std::vector<Eigen::VectorXd> thetas;
  Eigen::VectorXd theta = dense;  // (with hidden layers θ = 0 is a saddle IHT never leaves)
  for (int j = 0; j < kL1Lambdas; ++j) {
    const double lambda =
        lambda_max * std::pow(10.0, -kL1Decades * j / static_cast<double>(kL1Lambdas - 1));
    proximal_gradient(f, theta, lambda, iterations);
    lambdas.push_back(lambda);
    thetas.push_back(theta);
    if (!tick()) return {};
  }
  std::vector<L1Point> out;
  for (const int s : grid) {
    int runs = 0;
    int feasible = -1;
    for (int j = 0; j < kL1Lambdas; ++j) {
      if (nonzeros(thetas[static_cast<std::size_t>(j)]) <= s) feasible = j;
    }
    L1Point point;
    if (feasible < 0) {
      // Even λ_max keeps more than s (a network with hidden layers): threshold.
      point.theta = thetas.front();
      HardThreshold().apply(point.theta, s);
      point.lambda = lambdas.front();
    } else {
      point.theta = thetas[static_cast<std::size_t>(feasible)];
      point.lambda = lambdas[static_cast<std::size_t>(feasible)];
      if (feasible + 1 < kL1Lambdas) {
        double lo = std::log(lambdas[static_cast<std::size_t>(feasible) + 1]);  // nnz > s
        double hi = std::log(point.lambda);                                     // nnz ≤ s
        Eigen::VectorXd trial = point.theta;
        for (int b = 0; b < kL1Bisections; ++b) {
          const double mid = 0.5 * (lo + hi);
          trial = point.theta;
          proximal_gradient(f, trial, std::exp(mid), iterations);
          ++runs;
          if (!tick()) return out;
          if (nonzeros(trial) <= s) {
            hi = mid;
            point.theta = trial;
            point.lambda = std::exp(mid);
          } else {
            lo = mid;
          }
        }
      }
    }
    for (; runs < kL1Bisections; ++runs) {
      if (!tick()) return out;
    }
    out.push_back(std::move(point));
  }
  return out;
}

// ---- Cross-validation -----------------------------------------------------

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double std_err_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = mean_of(v);
  double ss = 0.0;
  for (const double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1)) /
         std::sqrt(static_cast<double>(v.size()));
}

double log_choose(int n, int k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

}  // namespace

SweepResult sweep(const RunOptions& options, const Dataset& data,
                  SweepObserver* progress_observer) {
  validate_options(options, Command::sweep);
  const SplitIndices parts = stratified_split_indices(data, options.test_fraction, options.seed);
  Problem problem(options, data, parts);
  const int n = problem.num_params();
  SweepResult result;
  result.grid = s_grid(n, options.s_grid);
  const std::vector<int>& grid = result.grid;
  const int g = static_cast<int>(grid.size());
  std::vector<std::vector<int>> folds;
  if (options.cv >= 2) {
    folds = stratified_folds(data, parts.train, options.cv, options.seed ^ kFoldSeedMix);
  }
  const bool exact_possible =
      options.exact && exact_supported(problem, options, grid, result.exact_note);
  const int per_path = path_trainings(g, options.warm);
  const int total = per_path * (1 + static_cast<int>(folds.size())) +
                    (options.baselines ? 2 * g + l1_runs(g) : 0) + (exact_possible ? g : 0) +
                    (options.swaps ? g : 0);
  Progress progress(progress_observer, total);

  // Task 0 traces the main split's path, then the L1 baseline at every grid
  // point, the enumeration and the swaps; task k + 1 the path in fold k; the
  // last task the magnitude-pruning baseline, which waits for the main path's
  // dense end. Independent otherwise, so with `threads` they run side by side;
  // one thread runs them in this order. The magnitude task trains on a problem
  // of its own (an objective keeps a workspace), built the same way, with the
  // bounds and estimates the main path found.
  std::vector<std::vector<PathPoint>> fold_paths(folds.size());
  std::map<int, SCache> main_cache;
  bool dense_trained = false;
  TaskGate dense_ready;
  // Per grid point, filled in order until a stop: the baselines' results.
  std::vector<RunSummary> magnitude;
  std::vector<RunSummary> l1_retrained;
  std::vector<L1Point> l1;
  const auto magnitude_task = [&] {
    dense_ready.wait();
    if (!dense_trained || progress.stopped()) return;
    Problem own(options, data, parts);
    PathTrainer trainer(options, own, false, main_cache);
    const Eigen::VectorXd& dense = result.dense.theta;
    for (int i = 0; i < g && !progress.stopped(); ++i) {
      const int s = grid[static_cast<std::size_t>(i)];
      Eigen::VectorXd pruned = dense;
      HardThreshold().apply(pruned, s);
      std::vector<int> kept = support_of(pruned);
      if (kept.empty()) kept = HardThreshold().apply(pruned, s);
      magnitude.push_back(summarize(trainer.train(s, &pruned, kept)));
      progress.tick();
    }
  };
  // L1 at every grid point, on the main path's own trainer.
  const auto l1_baseline = [&](PathTrainer& trainer) {
    l1 = l1_points(problem.objective(), result.dense.theta, grid, std::max(1, options.iters),
                   [&] { return progress.tick(); });
    for (int i = 0; i < static_cast<int>(l1.size()) && !progress.stopped(); ++i) {
      const int s = grid[static_cast<std::size_t>(i)];
      const L1Point& p = l1[static_cast<std::size_t>(i)];
      std::vector<int> l1_kept = support_of(p.theta);
      if (l1_kept.empty()) {
        // λ_max zeroes everything: the L1 model is θ = 0 and nothing is retrained.
        Eigen::VectorXd zero = Eigen::VectorXd::Zero(n);
        RunSummary zero_model = summarize(trainer.train(s, &zero, {0}));
        zero_model.support.clear();
        l1_retrained.push_back(std::move(zero_model));
      } else {
        l1_retrained.push_back(summarize(trainer.train(s, &p.theta, l1_kept)));
      }
      progress.tick();
    }
  };
  const auto main_task = [&] {
    // Opened however the task ends, so that no baseline task waits forever.
    struct Opener {
      TaskGate& gate;
      ~Opener() { gate.open(); }
    } opener{dense_ready};
    PathTrainer trainer(options, problem, true);
    std::vector<PathPoint> path = run_path(trainer, grid, options.warm, progress);
    const PathPoint& last = path.back();
    if (last.trained) result.dense = last.best;
    dense_trained = last.trained && !progress.stopped();
    for (const PathPoint& p : path) {
      if (p.trained) result.points.push_back(to_point(p, result.dense.train_loss));
    }
    main_cache = trainer.cache();
    dense_ready.open();
    if (progress.stopped()) return;
    // L1 next, on this thread: its λ path and bisections are the longest
    // baseline work, and they can start nowhere sooner.
    if (options.baselines) l1_baseline(trainer);

    if (exact_possible && !progress.stopped()) {
      const std::vector<ExactOptimum> optima =
          enumerate_optima(problem, options, grid, [&] { return progress.tick(); });
      for (std::size_t i = 0; i < optima.size() && i < result.points.size(); ++i) {
        SweepPoint& point = result.points[i];
        point.exact = optima[i];
        point.exact_gap = point.objective - optima[i].objective;
      }
    }

    if (options.swaps && !progress.stopped()) {
      for (int i = 0; i < g && !progress.stopped(); ++i) {
        SweepPoint& point = result.points[static_cast<std::size_t>(i)];
        point.swap = swap_search(problem, options, point.theta);
        progress.tick();
      }
    }
  };
  const auto fold_task = [&](std::size_t k) {
    if (progress.stopped()) return;
    SplitIndices fold;
    fold.test = folds[k];
    std::set_difference(parts.train.begin(), parts.train.end(), folds[k].begin(), folds[k].end(),
                        std::back_inserter(fold.train));
    Problem fold_problem(options, data, fold);
    PathTrainer fold_trainer(options, fold_problem, false);
    fold_paths[k] = run_path(fold_trainer, grid, options.warm, progress);
  };
  const int fold_count = static_cast<int>(folds.size());
  run_tasks(1 + fold_count + (options.baselines ? 1 : 0), options.threads, [&](int task) {
    if (task == 0) {
      main_task();
    } else if (task <= fold_count) {
      fold_task(static_cast<std::size_t>(task - 1));
    } else {
      magnitude_task();
    }
  });
  // A point has baselines once both are trained at it.
  const std::size_t with_baselines =
      std::min({magnitude.size(), l1_retrained.size(), result.points.size()});
  for (std::size_t i = 0; i < with_baselines; ++i) {
    Baselines b;
    b.magnitude = std::move(magnitude[i]);
    b.l1_lambda = l1[i].lambda;
    b.l1_nonzeros = nonzeros(l1[i].theta);
    b.l1 = std::move(l1_retrained[i]);
    result.points[i].baselines = std::move(b);
  }

  if (!folds.empty() && !progress.stopped()) {
    CrossValidation cv;
    cv.folds = static_cast<int>(folds.size());
    cv.s = grid;
    std::vector<std::vector<double>> losses(static_cast<std::size_t>(g));
    std::vector<std::vector<double>> accuracies(static_cast<std::size_t>(g));
    result.support_frequency.assign(static_cast<std::size_t>(g),
                                    std::vector<double>(static_cast<std::size_t>(n), 0.0));
    // Fold by fold, whichever thread traced it: the sums run in one order.
    for (const std::vector<PathPoint>& fold_path : fold_paths) {
      for (std::size_t i = 0; i < fold_path.size(); ++i) {
        const TrainResult& r = fold_path[i].best;
        losses[i].push_back(r.test_loss.value_or(std::numeric_limits<double>::quiet_NaN()));
        accuracies[i].push_back(r.test_accuracy.value_or(std::numeric_limits<double>::quiet_NaN()));
        for (const int j : r.support) {
          result.support_frequency[i][static_cast<std::size_t>(j)] +=
              1.0 / static_cast<double>(folds.size());
        }
      }
    }
    std::size_t best = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(g); ++i) {
      cv.mean_loss.push_back(mean_of(losses[i]));
      cv.std_err_loss.push_back(std_err_of(losses[i]));
      cv.mean_accuracy.push_back(mean_of(accuracies[i]));
      cv.std_err_accuracy.push_back(std_err_of(accuracies[i]));
      if (cv.mean_loss[i] < cv.mean_loss[best]) best = i;
    }
    cv.fold_loss = losses;
    cv.min_s = grid[best];
    const double limit = cv.mean_loss[best] + cv.std_err_loss[best];
    for (std::size_t i = 0; i < static_cast<std::size_t>(g); ++i) {
      if (cv.mean_loss[i] <= limit) {
        cv.chosen_s = grid[i];
        break;
      }
    }
    // EBIC on the full training split's path.
    const double m = problem.train.num_samples();
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < result.points.size(); ++i) {
      const SweepPoint& p = result.points[i];
      const int k = static_cast<int>(p.support.size());
      cv.criterion.values.push_back(2.0 * m * p.train_loss + k * std::log(m) +
                                    2.0 * cv.criterion.gamma * log_choose(n, k));
      if (cv.criterion.values[i] < cv.criterion.values[chosen]) chosen = i;
    }
    cv.criterion.chosen_s = grid[chosen];
    result.cv = std::move(cv);
  }
  result.complete = !progress.stopped();
  return result;
}

}  // namespace sparse_iht
