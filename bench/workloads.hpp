// The benchmark workloads of issue #6, built from the library's own protocol so
// that native code and the WebAssembly bench module construct bit-identical
// inputs (the project's Rng gives the same numbers everywhere):
//   (a) iris  — the paper's 4 → 3 network on the 120 IRIS training samples, s = 5,
//               step = the trainer's auto step 0.9 / L̂_2s, 1000 full-batch iterations;
//   (b) mlp   — 64 → 256 → 256 → 10 (tanh) on 10,000 samples labelled by a seeded,
//               planted sparse teacher network of the same shape;
//   (c) mc    — the Monte Carlo L_2s estimator, 10,000 pairs on IRIS (s = 5);
//   (d) sweep — the full sparsity sweep on IRIS (`iht sweep` with its defaults);
// and the sparsity path of issue #13 (sparse_iht::sweep with cross-validation),
// timed without a TensorFlow.js peer:
//   path-iris   — IRIS, 5-fold CV, warm starts and both baselines (the defaults
//                 otherwise): natively, in WebAssembly under Node and in Chromium;
//   path-digits — the 1,797 × 64, 10-class digits (tests/data/real/digits.csv),
//                 64 → 32 → 10, 5-fold CV, natively only.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "sparse_iht/dataset.hpp"
#include "sparse_iht/iht.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/options.hpp"

namespace bench {

// A full-batch IHT run: what every contestant computes for (a) and (b).
struct IhtWorkload {
  std::string name;
  sparse_iht::Architecture arch;
  sparse_iht::Dataset train;  // standardised, as the trainer trains on it
  Eigen::VectorXd theta0;     // H_s(initial draw): what Iht starts from
  int s = 0;
  double step = 0.0;
  int iterations = 0;  // per timed run
};

IhtWorkload iris_workload();
IhtWorkload mlp_workload();
IhtWorkload iht_workload(const std::string& name);  // "iris" or "mlp"

// sparse_iht::IhtOptions for a workload: fixed step, tolerance 0 so that a run
// only stops early at an exact fixed point (never seen in these runs; counted).
sparse_iht::IhtOptions iht_options(const IhtWorkload& w);

// Multiply-add FLOPs (2 per multiply-add) of one IHT iteration from the shapes:
// forward W·A, backward ∂W = δ·Aᵀ and δ_prev = Wᵀ·δ (not for the first layer),
// plus the bias, activation-derivative and update terms (one FLOP per entry).
double flops_per_iteration(const sparse_iht::Architecture& arch, int samples);

// (c) and (d) use the library's own entry points with these options.
sparse_iht::RunOptions iris_options();  // the CLI's defaults on IRIS
struct McWorkload {
  sparse_iht::Dataset train;
  sparse_iht::Architecture arch;
  sparse_iht::L2sOptions options;  // s = 5, 10,000 pairs, seed 1, scale 1
};
McWorkload mc_workload();

// The IRIS sweep with the defaults' certified step (bound), cold starts only
// and no baselines: workload sweep-certified (issue #18).
sparse_iht::RunOptions sweep_certified_options();
// The sparsity path's options: IRIS with `cv = 5` and the defaults otherwise
// (`RunOptions o; o.cv = 5;`), and digits with one hidden layer of 32, 5-fold
// CV and `iters` IHT iterations per training (the default is 1,000).
sparse_iht::RunOptions path_iris_options();
sparse_iht::RunOptions path_digits_options(int iters);

// The points of pair `index` exactly as estimate_l2s draws them (centred on 0).
void mc_pair(const sparse_iht::L2sOptions& options, int n, std::int64_t index, Eigen::VectorXd& x,
             Eigen::VectorXd& y);

}  // namespace bench
