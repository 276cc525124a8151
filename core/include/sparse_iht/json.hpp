// JSON documents for `--json`, with the field names of the JavaScript results
// (README: JavaScript API). Numbers print with 17 significant digits so they round-trip;
// absent figures (test metrics without a test set) and non-finite numbers are null.
#pragma once

#include <string>

#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

namespace sparse_iht {

std::string to_json(const TrainResult& result);
std::string to_json(const SweepResult& result);
struct L2sReport {
  int s = 0;
  int n = 0;
  int samples = 0;
  std::uint64_t seed = 0;
  double scale = 1.0;
  L2sEstimate estimate;
};
std::string to_json(const L2sReport& report);

}  // namespace sparse_iht
