// What each entry of θ is (docs/method.md §1, "The layout of θ"): its layer, whether it
// is a weight or a bias, the units it connects and its label. This is the one
// place outside the network's own kernels that knows the layout; the command
// line's labels and the package's describe() both come from it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sparse_iht/network.hpp"

namespace sparse_iht {

enum class ParameterKind { weight, bias };
const char* kind_name(ParameterKind kind);  // "weight" or "bias"

// Where parameter `index` sits: W_layer[to_unit][from_unit] for a weight,
// b_layer[to_unit] for a bias. Layers count from 1 (layer l maps the units of
// layer l − 1 to those of layer l); units count from 0 within their layer.
struct ParameterPosition {
  int index = 0;
  int layer = 1;
  ParameterKind kind = ParameterKind::weight;
  int from_unit = -1;  // -1 for a bias
  int to_unit = 0;
};

// The position of θ[index], or nothing when index is outside 0 … n − 1.
std::optional<ParameterPosition> locate_parameter(const Architecture& arch, int index);

// "W2[1][0]" or "b1[3]": the label the command line prints.
std::string parameter_label(const ParameterPosition& position);

// The names of the units of every layer: the inputs are the data's features,
// the outputs its classes, and hidden unit j of layer l is "h<l>[<j>]" (from 0,
// like the indices of W and b, so that b1[j] is the bias of h1[j]). Throws
// InputError when there are not exactly sizes.front() features and
// sizes.back() classes.
std::vector<std::vector<std::string>> unit_names(const Architecture& arch,
                                                 const std::vector<std::string>& features,
                                                 const std::vector<std::string>& classes);

struct ParameterInfo {
  ParameterPosition position;
  std::string from;  // the input unit's name; empty for a bias
  std::string to;    // the output unit's name
  std::string label;
};

// Every parameter of the network in θ order (entry k describes θ[k]), named
// after unit_names(arch, features, classes).
std::vector<ParameterInfo> describe_parameters(const Architecture& arch,
                                               const std::vector<std::string>& features,
                                               const std::vector<std::string>& classes);

}  // namespace sparse_iht
