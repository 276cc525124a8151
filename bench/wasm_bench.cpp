// The WebAssembly side of `npm run bench`: the same workloads and the same IHT
// loop as bench/native_bench.cpp, exported to JavaScript, so that Node and the
// page time exactly what the native bench times. bench/run.sh links it against
// build/wasm/libsparse_iht_core.a, the objects of the npm package.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "sparse_iht/iht.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/sweep.hpp"
#include "workloads.hpp"

using emscripten::val;
namespace si = sparse_iht;

namespace {

val copy_out(const double* data, std::size_t size) {
  return val(emscripten::typed_memory_view(size, data)).call<val>("slice");
}

class LossRecorder final : public si::IterationObserver {
 public:
  void on_iteration(const si::IterationInfo& info) override { loss.push_back(info.loss); }
  std::vector<double> loss;
};

// A full-batch IHT workload ("iris" or "mlp"): prepare() starts a fresh run
// from θ_0 (∇f(θ_0) included, untimed), advance(k) is the timed part.
class IhtBench {
 public:
  explicit IhtBench(const std::string& name)
      : w_(bench::iht_workload(name)), objective_(w_.arch, w_.train) {}

  void prepare() {
    iht_ = std::make_unique<si::Iht>(objective_, bench::iht_options(w_), w_.theta0);
    iht_->advance(0);
  }
  int advance(int k) {
    iht_->advance(k);
    return iht_->iterations();
  }
  int iterations() const { return w_.iterations; }
  int s() const { return w_.s; }
  double step() const { return w_.step; }
  double flops() const { return bench::flops_per_iteration(w_.arch, w_.train.num_samples()); }
  val theta0() const {
    return copy_out(w_.theta0.data(), static_cast<std::size_t>(w_.theta0.size()));
  }
  val theta() const {
    return copy_out(iht_->theta().data(), static_cast<std::size_t>(iht_->theta().size()));
  }
  // f(θ_0) … f(θ_K) of a whole run, K = iterations().
  val losses() {
    si::Iht iht(objective_, bench::iht_options(w_), w_.theta0);
    LossRecorder r;
    iht.run(&r);
    return copy_out(r.loss.data(), r.loss.size());
  }

 private:
  bench::IhtWorkload w_;
  si::NetworkObjective objective_;
  std::unique_ptr<si::Iht> iht_;
};

// Workload (c) as the native bench runs it: estimate_l2s on the IRIS objective.
class McBench {
 public:
  McBench() : w_(bench::mc_workload()), objective_(w_.arch, w_.train) {}
  val run() {
    const auto e = si::estimate_l2s(objective_, w_.options);
    return copy_out(e.ratios.data(), e.ratios.size());
  }

 private:
  bench::McWorkload w_;
  si::NetworkObjective objective_;
};

// Workload (d): the whole sweep; returns the train loss of every point.
val run_sweep() {
  const si::SweepResult r = si::sweep(bench::iris_options(), si::iris());
  std::vector<double> losses;
  for (const auto& p : r.points) losses.push_back(p.train_loss);
  return copy_out(losses.data(), losses.size());
}

// What the native bench reports of a sweep or path run: { s, trainLoss,
// cvMeanLoss, chosenS, minS, baselines }.
val path_result(const si::SweepResult& r) {
  std::vector<double> s, train;
  for (const auto& p : r.points) {
    s.push_back(p.s);
    train.push_back(p.train_loss);
  }
  val out = val::object();
  out.set("s", copy_out(s.data(), s.size()));
  out.set("trainLoss", copy_out(train.data(), train.size()));
  if (r.cv) {
    out.set("cvMeanLoss", copy_out(r.cv->mean_loss.data(), r.cv->mean_loss.size()));
    out.set("chosenS", r.cv->chosen_s);
    out.set("minS", r.cv->min_s);
  }
  out.set("baselines", !r.points.empty() && r.points.front().baselines.has_value());
  return out;
}

// The sparsity path on IRIS (workload path-iris): 5-fold CV, warm starts, both
// baselines.
val run_path_iris() { return path_result(si::sweep(bench::path_iris_options(), si::iris())); }

// The IRIS sweep with the certified default step, cold starts, no baselines
// (workload sweep-certified, issue #18); the same report as the path's.
val run_sweep_certified() {
  return path_result(si::sweep(bench::sweep_certified_options(), si::iris()));
}

}  // namespace

EMSCRIPTEN_BINDINGS(sparse_iht_bench) {
  emscripten::class_<IhtBench>("IhtBench")
      .constructor<const std::string&>()
      .function("prepare", &IhtBench::prepare)
      .function("advance", &IhtBench::advance)
      .function("iterations", &IhtBench::iterations)
      .function("s", &IhtBench::s)
      .function("step", &IhtBench::step)
      .function("flops", &IhtBench::flops)
      .function("theta0", &IhtBench::theta0)
      .function("theta", &IhtBench::theta)
      .function("losses", &IhtBench::losses);
  emscripten::class_<McBench>("McBench").constructor<>().function("run", &McBench::run);
  emscripten::function("sweep", &run_sweep);
  emscripten::function("pathIris", &run_path_iris);
  emscripten::function("sweepCertified", &run_sweep_certified);
}
