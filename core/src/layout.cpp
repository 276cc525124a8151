#include "sparse_iht/layout.hpp"

#include <cstddef>
#include <stdexcept>
#include <utility>

#include "sparse_iht/error.hpp"

namespace sparse_iht {

const char* kind_name(ParameterKind kind) {
  return kind == ParameterKind::weight ? "weight" : "bias";
}

// Offsets come from Architecture::layer_offset, which the network's kernels
// use too, so a label can never point at a different entry than the one trained.
std::optional<ParameterPosition> locate_parameter(const Architecture& arch, int index) {
  if (index < 0) return std::nullopt;
  for (int l = 0; l < arch.num_layers(); ++l) {
    const int inputs = arch.sizes[static_cast<std::size_t>(l)];
    const int outputs = arch.sizes[static_cast<std::size_t>(l) + 1];
    const int k = index - arch.layer_offset(l);
    if (k >= outputs * (inputs + 1)) continue;
    ParameterPosition p;
    p.index = index;
    p.layer = l + 1;
    if (k < outputs * inputs) {
      p.kind = ParameterKind::weight;
      p.to_unit = k / inputs;
      p.from_unit = k % inputs;
    } else {
      p.kind = ParameterKind::bias;
      p.to_unit = k - outputs * inputs;
    }
    return p;
  }
  return std::nullopt;
}

std::string parameter_label(const ParameterPosition& position) {
  const std::string layer = std::to_string(position.layer);
  if (position.kind == ParameterKind::bias) {
    return "b" + layer + "[" + std::to_string(position.to_unit) + "]";
  }
  return "W" + layer + "[" + std::to_string(position.to_unit) + "][" +
         std::to_string(position.from_unit) + "]";
}

std::vector<std::vector<std::string>> unit_names(const Architecture& arch,
                                                 const std::vector<std::string>& features,
                                                 const std::vector<std::string>& classes) {
  if (arch.sizes.size() < 2) {
    throw InputError("network: needs at least an input and an output layer");
  }
  if (static_cast<int>(features.size()) != arch.sizes.front() ||
      static_cast<int>(classes.size()) != arch.sizes.back()) {
    throw InputError("network: " + std::to_string(arch.sizes.front()) + " inputs and " +
                     std::to_string(arch.sizes.back()) + " outputs, but " +
                     std::to_string(features.size()) + " feature names and " +
                     std::to_string(classes.size()) + " class names");
  }
  std::vector<std::vector<std::string>> names;
  names.push_back(features);
  for (int l = 1; l < arch.num_layers(); ++l) {
    std::vector<std::string>& hidden = names.emplace_back();
    const int width = arch.sizes[static_cast<std::size_t>(l)];
    for (int j = 0; j < width; ++j) {
      hidden.push_back("h" + std::to_string(l) + "[" + std::to_string(j) + "]");
    }
  }
  names.push_back(classes);
  return names;
}

std::vector<ParameterInfo> describe_parameters(const Architecture& arch,
                                               const std::vector<std::string>& features,
                                               const std::vector<std::string>& classes) {
  const std::vector<std::vector<std::string>> names = unit_names(arch, features, classes);
  const int n = arch.num_params();
  std::vector<ParameterInfo> parameters;
  parameters.reserve(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    const std::optional<ParameterPosition> position = locate_parameter(arch, k);
    if (!position) throw std::logic_error("describe_parameters: θ[k] outside the layout");
    ParameterInfo info;
    info.position = *position;
    const auto layer = static_cast<std::size_t>(info.position.layer);
    if (info.position.kind == ParameterKind::weight) {
      info.from = names[layer - 1][static_cast<std::size_t>(info.position.from_unit)];
    }
    info.to = names[layer][static_cast<std::size_t>(info.position.to_unit)];
    info.label = parameter_label(info.position);
    parameters.push_back(std::move(info));
  }
  return parameters;
}

}  // namespace sparse_iht
