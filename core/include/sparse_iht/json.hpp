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
std::string to_json(const L2sReport& report);

}  // namespace sparse_iht
