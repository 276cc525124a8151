// Native side of `npm run bench` (issue #6).
//
//   sparse_iht_bench export DIR          writes the shared inputs (data, θ_0, step, Monte Carlo
//                                        pairs) and the double-precision reference results that
//                                        the WebAssembly and TensorFlow.js contestants check
//                                        against
//   sparse_iht_bench time WORKLOAD [S]   one timing round: a warm-up run, then runs for at least
//                                        S seconds (default 0.5); prints one JSON line
//   sparse_iht_bench iterate WORKLOAD K  sets up, then K IHT iterations (for callgrind: the
//                                        difference of two K gives instructions per iteration)
//   sparse_iht_bench time path-digits [S] [ITERS] [THREADS]
//                                        the digits path with ITERS iterations per training
//                                        (default 1000); one run, no warm-up (a run takes minutes);
//                                        the path workloads run on THREADS threads (--threads,
//                                        default 1)
//
// WORKLOAD: iris | mlp | eigen-iris | eigen-mlp | mc | sweep | sweep-certified | path-iris |
// path-digits. eigen-* is the plain dense Eigen IHT (bench/eigen_dense.hpp) on
// the same inputs as iris and mlp; its JSON line carries its loss trajectory. The path workloads'
// JSON line also carries the last run's result (per-point train losses, CV), which the WebAssembly
// runs are checked against. Timing uses std::chrono::steady_clock.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "eigen_dense.hpp"
#include "sparse_iht/csv.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"
#include "workloads.hpp"

namespace si = sparse_iht;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

std::string json_array(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + num(v[i]);
  return s + "]";
}

template <typename T>
void write_binary(const std::string& path, const T* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
  if (!out) throw std::runtime_error("cannot write " + path);
}

// Records f(θ_k) for k = 0 … K.
class LossRecorder final : public si::IterationObserver {
 public:
  void on_iteration(const si::IterationInfo& info) override { loss.push_back(info.loss); }
  std::vector<double> loss;
};

// One run of a full-batch IHT workload: Iht from θ_0, its start (∇f(θ_0))
// untimed, then the timed `iterations` steps. Returns seconds.
double time_iht_run(const bench::IhtWorkload& w, si::NetworkObjective& objective, int* done) {
  si::Iht iht(objective, bench::iht_options(w), w.theta0);
  iht.advance(0);
  const auto t0 = Clock::now();
  iht.advance(w.iterations);
  const double t = seconds_since(t0);
  *done = iht.iterations();
  return t;
}

// What a path run reports to the correctness check: per grid point s and train
// loss, and the cross-validation's mean validation losses and choice.
std::string path_summary(const si::SweepResult& r) {
  std::vector<double> s, train, cv_loss;
  for (const auto& p : r.points) {
    s.push_back(p.s);
    train.push_back(p.train_loss);
  }
  std::ostringstream o;
  o << ",\"s\":" << json_array(s) << ",\"trainLoss\":" << json_array(train);
  if (r.cv) {
    o << ",\"cvMeanLoss\":" << json_array(r.cv->mean_loss) << ",\"chosenS\":" << r.cv->chosen_s
      << ",\"minS\":" << r.cv->min_s;
  }
  o << ",\"baselines\":" << (!r.points.empty() && r.points.front().baselines ? "true" : "false");
  return o.str();
}

// Progress of a long path on stderr (path-digits): a line at every tenth of
// the trainings, with the wall-clock and CPU seconds so far.
class PathProgress final : public si::SweepObserver {
 public:
  void on_progress(int done, int total) override {
    if (done * 10 / total == last_ && done != total) return;
    last_ = done * 10 / total;
    std::cerr << "path-digits: " << done << " of " << total << " trainings, "
              << seconds_since(start_) << " s ("
              << static_cast<double>(std::clock() - cpu_start_) / CLOCKS_PER_SEC << " s CPU)\n";
  }

 private:
  int last_ = 0;
  Clock::time_point start_ = Clock::now();
  std::clock_t cpu_start_ = std::clock();
};

// A timing round: warm-up, then runs until `budget` seconds (at least 3 runs,
// at most 2000). Prints {"runs":[seconds…], …} on one line. path-digits makes
// one run and no warm-up: a run takes minutes. `iters` is path-digits' IHT
// iterations per training.
int time_round(const std::string& workload, double budget, int iters, int threads) {
  std::function<double()> run;
  std::string extra;
  bool warm_up = true;
  std::size_t min_runs = 3;
  bench::IhtWorkload w;
  std::unique_ptr<si::NetworkObjective> objective;
  bench::McWorkload mc;
  si::Dataset iris;
  si::Dataset path_data;
  int done = 0;
  std::unique_ptr<bench::EigenDenseIht> eigen;
  if (workload == "iris" || workload == "mlp") {
    w = bench::iht_workload(workload);
    objective = std::make_unique<si::NetworkObjective>(w.arch, w.train);
    run = [&] { return time_iht_run(w, *objective, &done); };
  } else if (workload == "eigen-iris" || workload == "eigen-mlp") {
    // The plain dense Eigen IHT on the same inputs (bench/eigen_dense.hpp);
    // its last run's loss trajectory goes out for the correctness check.
    w = bench::iht_workload(workload.substr(6));
    eigen = std::make_unique<bench::EigenDenseIht>(w.arch, w.train);
    run = [&] {
      Eigen::VectorXd theta = w.theta0;
      std::vector<double> losses;
      Clock::time_point t0;
      eigen->run(
          theta, w.s, w.step, w.iterations, [&] { t0 = Clock::now(); }, &losses);
      const double t = seconds_since(t0);
      done = w.iterations;
      extra = ",\"losses\":" + json_array(losses);
      return t;
    };
  } else if (workload == "mc") {
    mc = bench::mc_workload();
    objective = std::make_unique<si::NetworkObjective>(mc.arch, mc.train);
    run = [&] {
      const auto t0 = Clock::now();
      const auto e = si::estimate_l2s(*objective, mc.options);
      const double t = seconds_since(t0);
      done = static_cast<int>(e.ratios.size());
      return t;
    };
  } else if (workload == "sweep") {
    iris = si::iris();
    run = [&] {
      const auto t0 = Clock::now();
      const auto r = si::sweep(bench::iris_options(), iris);
      const double t = seconds_since(t0);
      done = static_cast<int>(r.points.size());
      return t;
    };
  } else if (workload == "path-iris" || workload == "path-digits" ||
             workload == "sweep-certified") {
    // sweep-certified: the IRIS sweep with the library's default, certified
    // step (bound: no Monte Carlo estimate), cold starts and no baselines.
    const bool digits = workload == "path-digits";
    si::RunOptions options = digits                    ? bench::path_digits_options(iters)
                             : workload == "path-iris" ? bench::path_iris_options()
                                                       : bench::sweep_certified_options();
    options.threads = threads;
    // Loaded once, outside the clock.
    path_data = digits ? si::load_csv_file(SPARSE_IHT_BENCH_DATA "/digits.csv") : si::iris();
    if (digits) {
      warm_up = false;
      min_runs = 1;
    }
    run = [&, options, digits] {
      PathProgress progress;
      const auto t0 = Clock::now();
      const auto r = si::sweep(options, path_data, digits ? &progress : nullptr);
      const double t = seconds_since(t0);
      done = static_cast<int>(r.points.size());
      extra = ",\"iters\":" + std::to_string(options.iters) +
              ",\"threads\":" + std::to_string(options.threads) + path_summary(r);
      return t;
    };
  } else {
    std::cerr << "unknown workload '" << workload
              << "' (iris, mlp, eigen-iris, eigen-mlp, mc, sweep, sweep-certified, path-iris, "
                 "path-digits)\n";
    return 2;
  }
  if (warm_up) run();  // workspaces, caches, page faults
  // Wall-clock seconds per run, and the process's CPU seconds per run
  // (std::clock; the bench is single-threaded): on a shared machine the
  // second shows how much of the first was waiting for a core.
  std::vector<double> runs, cpu;
  const auto start = Clock::now();
  while (runs.size() < min_runs || (seconds_since(start) < budget && runs.size() < 2000)) {
    const std::clock_t c0 = std::clock();
    runs.push_back(run());
    cpu.push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
  }
  std::cout << "{\"contestant\":\"native\",\"workload\":\"" << workload << "\",\"done\":" << done
            << ",\"runs\":" << json_array(runs) << ",\"cpu\":" << json_array(cpu) << extra << "}\n";
  return 0;
}

int iterate(const std::string& workload, int k) {
  bench::IhtWorkload w = bench::iht_workload(workload);
  si::NetworkObjective objective(w.arch, w.train);
  w.iterations = k;
  int done = 0;
  time_iht_run(w, objective, &done);
  std::cout << "iterations: " << done << "\n";
  return 0;
}

// ---- export -----------------------------------------------------------------

std::string export_iht(const std::string& dir, const bench::IhtWorkload& w) {
  const std::string p = dir + "/" + w.name;
  const auto& d = w.train;
  // d.x is features × samples, column-major: in memory, samples × features row-major.
  write_binary(p + "_x.f64", d.x.data(), static_cast<std::size_t>(d.x.size()));
  write_binary(p + "_y.i32", d.y.data(), d.y.size());
  write_binary(p + "_theta0.f64", w.theta0.data(), static_cast<std::size_t>(w.theta0.size()));
  si::NetworkObjective objective(w.arch, w.train);
  si::Iht iht(objective, bench::iht_options(w), w.theta0);
  LossRecorder losses;
  iht.run(&losses);
  write_binary(p + "_loss.f64", losses.loss.data(), losses.loss.size());
  write_binary(p + "_theta_final.f64", iht.theta().data(),
               static_cast<std::size_t>(iht.theta().size()));
  std::vector<int> counts(static_cast<std::size_t>(d.num_classes()), 0);
  for (int label : d.y) ++counts[static_cast<std::size_t>(label)];
  std::ostringstream o;
  o << "{\"sizes\":[";
  for (std::size_t i = 0; i < w.arch.sizes.size(); ++i) o << (i ? "," : "") << w.arch.sizes[i];
  o << "],\"activation\":\"" << si::activation_name(w.arch.activation)
    << "\",\"n\":" << w.arch.num_params() << ",\"samples\":" << d.num_samples() << ",\"s\":" << w.s
    << ",\"step\":" << num(w.step) << ",\"iterations\":" << w.iterations
    << ",\"completed\":" << iht.iterations() << ",\"status\":\"" << si::status_name(iht.status())
    << "\",\"flopsPerIteration\":" << num(bench::flops_per_iteration(w.arch, d.num_samples()))
    << ",\"classCounts\":[";
  for (std::size_t c = 0; c < counts.size(); ++c) o << (c ? "," : "") << counts[c];
  o << "],\"x\":\"" << w.name << "_x.f64\",\"y\":\"" << w.name << "_y.i32\",\"theta0\":\"" << w.name
    << "_theta0.f64\",\"loss\":\"" << w.name << "_loss.f64\",\"thetaFinal\":\"" << w.name
    << "_theta_final.f64\"}";
  return o.str();
}

std::string export_mc(const std::string& dir) {
  bench::McWorkload w = bench::mc_workload();
  const int n = w.arch.num_params();
  si::NetworkObjective objective(w.arch, w.train);
  const auto e = si::estimate_l2s(objective, w.options);
  // The pairs themselves, samples × {x, y} × n, checked against the library's ratios.
  std::vector<double> pairs;
  pairs.reserve(static_cast<std::size_t>(w.options.samples) * 2 * n);
  Eigen::VectorXd x, y, gx, gy;
  double worst = 0.0;
  for (int i = 0; i < w.options.samples; ++i) {
    bench::mc_pair(w.options, n, i, x, y);
    pairs.insert(pairs.end(), x.data(), x.data() + n);
    pairs.insert(pairs.end(), y.data(), y.data() + n);
    objective.evaluate_with_gradient(x, gx);
    objective.evaluate_with_gradient(y, gy);
    const double r = (gx - gy).norm() / (x - y).norm();
    worst = std::max(worst, std::abs(r - e.ratios[static_cast<std::size_t>(i)]));
  }
  if (worst > 1e-12)
    throw std::runtime_error("bench: the exported Monte Carlo pairs drifted from estimate_l2s");
  write_binary(dir + "/mc_pairs.f64", pairs.data(), pairs.size());
  write_binary(dir + "/mc_ratios.f64", e.ratios.data(), e.ratios.size());
  write_binary(dir + "/iris_mc_x.f64", w.train.x.data(),
               static_cast<std::size_t>(w.train.x.size()));
  write_binary(dir + "/iris_mc_y.i32", w.train.y.data(), w.train.y.size());
  std::ostringstream o;
  o << "{\"sizes\":[4,3],\"activation\":\"tanh\",\"n\":" << n
    << ",\"samples\":" << w.train.num_samples() << ",\"s\":" << w.options.s
    << ",\"pairs\":" << w.options.samples << ",\"seed\":" << w.options.seed
    << ",\"scale\":" << num(w.options.scale) << ",\"max\":" << num(e.max)
    << ",\"p50\":" << num(e.quantiles.p50) << ",\"p90\":" << num(e.quantiles.p90)
    << ",\"p99\":" << num(e.quantiles.p99)
    << ",\"flopsPerPair\":" << num(2 * bench::flops_per_iteration(w.arch, w.train.num_samples()))
    << ",\"x\":\"iris_mc_x.f64\",\"y\":\"iris_mc_y.i32\",\"pairsFile\":\"mc_pairs.f64\",\"ratios\":"
       "\"mc_ratios.f64\"}";
  return o.str();
}

// The sweep: every point's step (from its own 1000 Monte Carlo pairs), iteration
// count and final losses, plus the inputs a peer needs to run the same sweep.
std::string export_sweep(const std::string& dir) {
  const si::RunOptions options = bench::iris_options();
  const si::Dataset data = si::iris();
  const si::SweepResult r = si::sweep(options, data);
  si::RunOptions dense = options;
  si::Problem problem(options, data);
  const int n = problem.num_params();
  dense.s = n;
  dense.iters = 1;  // nothing runs: the trainer records θ_0 when it is built
  dense.step = 1.0;
  // With s = n, H_s keeps everything: the trainer's θ_0 is the raw initial draw.
  const si::Trainer init(dense, data);
  write_binary(dir + "/sweep_init.f64", init.theta().data(), static_cast<std::size_t>(n));
  // The objectives hold the standardised features; column-major is the layout
  // the TensorFlow.js side reads (samples × features, row-major).
  const Eigen::MatrixXd train_x = problem.train_objective->features();
  const Eigen::MatrixXd test_x = problem.test_objective->features();
  write_binary(dir + "/sweep_train_x.f64", train_x.data(),
               static_cast<std::size_t>(train_x.size()));
  write_binary(dir + "/sweep_train_y.i32", problem.train.y.data(), problem.train.y.size());
  write_binary(dir + "/sweep_test_x.f64", test_x.data(), static_cast<std::size_t>(test_x.size()));
  write_binary(dir + "/sweep_test_y.i32", problem.test.y.data(), problem.test.y.size());
  // Monte Carlo pairs of every s (the trainer's estimate: options.samples pairs, seed, scale).
  std::vector<double> pairs;
  si::L2sOptions l2s;
  l2s.samples = options.samples;
  l2s.seed = options.seed;
  l2s.scale = options.scale;
  Eigen::VectorXd x, y;
  for (int s = 1; s <= n; ++s) {
    l2s.s = s;
    for (int i = 0; i < l2s.samples; ++i) {
      bench::mc_pair(l2s, n, i, x, y);
      pairs.insert(pairs.end(), x.data(), x.data() + n);
      pairs.insert(pairs.end(), y.data(), y.data() + n);
    }
  }
  write_binary(dir + "/sweep_pairs.f64", pairs.data(), pairs.size());
  long total_iterations = 0;
  std::ostringstream o;
  o << "{\"n\":" << n << ",\"pairsPerS\":" << options.samples << ",\"iters\":" << options.iters
    << ",\"tolerance\":" << num(options.tolerance) << ",\"stepFactor\":" << num(options.step_factor)
    << ",\"init\":\"sweep_init.f64\",\"trainX\":\"sweep_train_x.f64\",\"trainY\":\"sweep_train_y."
       "i32\""
    << ",\"testX\":\"sweep_test_x.f64\",\"testY\":\"sweep_test_y.i32\",\"pairsFile\":\"sweep_pairs."
       "f64\""
    << ",\"trainSamples\":" << problem.train.num_samples()
    << ",\"testSamples\":" << problem.test.num_samples() << ",\"points\":[";
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const auto& p = r.points[i];
    total_iterations += p.iterations;
    o << (i ? "," : "") << "{\"s\":" << p.s << ",\"step\":" << num(p.step_size)
      << ",\"l2s\":" << num(p.l2s.value_or(0.0)) << ",\"iterations\":" << p.iterations
      << ",\"status\":\"" << si::status_name(p.status) << "\",\"trainLoss\":" << num(p.train_loss)
      << ",\"testLoss\":" << num(p.test_loss.value_or(0.0))
      << ",\"trainAccuracy\":" << num(p.train_accuracy)
      << ",\"testAccuracy\":" << num(p.test_accuracy.value_or(0.0)) << "}";
  }
  // sweep() trains s = n once (the dense run) and reuses it as the last point.
  o << "],\"trainings\":" << n << ",\"totalIterations\":" << total_iterations << "}";
  return o.str();
}

int export_all(const std::string& dir) {
  const std::string iris = export_iht(dir, bench::iris_workload());
  const std::string mlp = export_iht(dir, bench::mlp_workload());
  const std::string mc = export_mc(dir);
  const std::string sweep = export_sweep(dir);
  std::ofstream out(dir + "/manifest.json");
  out << "{\"iris\":" << iris << ",\n\"mlp\":" << mlp << ",\n\"mc\":" << mc
      << ",\n\"sweep\":" << sweep << "}\n";
  if (!out) throw std::runtime_error("cannot write " + dir + "/manifest.json");
  std::cout << "exported to " << dir << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 2 && args[0] == "export") return export_all(args[1]);
    if (args.size() >= 2 && args[0] == "time") {
      return time_round(args[1], args.size() >= 3 ? std::atof(args[2].c_str()) : 0.5,
                        args.size() >= 4 ? std::atoi(args[3].c_str()) : 1000,
                        args.size() >= 5 ? std::atoi(args[4].c_str()) : 1);
    }
    if (args.size() >= 3 && args[0] == "iterate")
      return iterate(args[1], std::atoi(args[2].c_str()));
    std::cerr << "usage: sparse_iht_bench export DIR | time WORKLOAD [SECONDS [ITERS [THREADS]]] | "
                 "iterate WORKLOAD K\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sparse_iht_bench: " << e.what() << "\n";
    return 1;
  }
}
