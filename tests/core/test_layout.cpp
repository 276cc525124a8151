// The θ layout of docs/method.md §1 as layout.hpp describes it: checked against
// the method's table, against the network objective itself (a parameter must
// act between the units its description names), and against the labels the
// command line prints.
#include <doctest/doctest.h>

#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "sparse_iht/cli.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/layout.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/options.hpp"
#include "sparse_iht/trainer.hpp"

using namespace sparse_iht;

namespace {

Architecture network(std::vector<int> sizes, Activation activation = Activation::tanh) {
  Architecture arch;
  arch.sizes = std::move(sizes);
  arch.activation = activation;
  return arch;
}

std::vector<std::string> names(const std::string& stem, int count) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.push_back(stem + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("layout: the paper's 4 → 3 model, entry by entry (docs/method.md §1 table)") {
  const Dataset data = iris();
  const Architecture arch = network({4, 3});
  const auto parameters = describe_parameters(arch, data.feature_names, data.class_names);
  REQUIRE(parameters.size() == 15);
  for (int o = 0; o < 3; ++o) {
    for (int i = 0; i < 4; ++i) {
      const ParameterInfo& p = parameters[static_cast<std::size_t>(4 * o + i)];
      CAPTURE(p.label);
      CHECK(p.position.index == 4 * o + i);
      CHECK(p.position.layer == 1);
      CHECK(p.position.kind == ParameterKind::weight);
      CHECK(p.position.from_unit == i);
      CHECK(p.position.to_unit == o);
      CHECK(p.from == data.feature_names[static_cast<std::size_t>(i)]);
      CHECK(p.to == data.class_names[static_cast<std::size_t>(o)]);
      CHECK(p.label == "W1[" + std::to_string(o) + "][" + std::to_string(i) + "]");
    }
    const ParameterInfo& b = parameters[static_cast<std::size_t>(12 + o)];
    CHECK(b.position.index == 12 + o);
    CHECK(b.position.kind == ParameterKind::bias);
    CHECK(b.position.from_unit == -1);
    CHECK(b.position.to_unit == o);
    CHECK(b.from.empty());
    CHECK(b.to == data.class_names[static_cast<std::size_t>(o)]);
    CHECK(b.label == "b1[" + std::to_string(o) + "]");
  }
  CHECK(parameters[11].label == "W1[2][3]");
  CHECK(parameters[13].label == "b1[1]");
  CHECK(std::string(kind_name(ParameterKind::weight)) == "weight");
  CHECK(std::string(kind_name(ParameterKind::bias)) == "bias");
}

TEST_CASE("layout: 4 → 8 → 3 (hidden: [8]) has the method's index ranges and named hidden units") {
  const Architecture arch = network({4, 8, 3});
  const auto features = names("x", 4);
  const auto classes = names("class ", 3);
  const auto parameters = describe_parameters(arch, features, classes);
  REQUIRE(parameters.size() == 67);
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    const ParameterInfo& p = parameters[k];
    CAPTURE(k);
    CHECK(p.position.index == static_cast<int>(k));
    CHECK(p.position.layer == (k < 40 ? 1 : 2));
    const bool bias = (k >= 32 && k < 40) || k >= 64;
    CHECK(p.position.kind == (bias ? ParameterKind::bias : ParameterKind::weight));
  }
  // W₂[o][i] at 40 + 8o + i, from hidden unit i to class o.
  const ParameterInfo& w = parameters[40 + 8 * 2 + 5];
  CHECK(w.label == "W2[2][5]");
  CHECK(w.from == "h1[5]");
  CHECK(w.to == "class 2");
  const ParameterInfo& into_hidden = parameters[4 * 6 + 1];
  CHECK(into_hidden.label == "W1[6][1]");
  CHECK(into_hidden.from == "x1");
  CHECK(into_hidden.to == "h1[6]");
  // b1[j] is the bias of h1[j].
  CHECK(parameters[39].label == "b1[7]");
  CHECK(parameters[39].to == "h1[7]");
  CHECK(parameters[39].from.empty());
  CHECK(parameters[66].label == "b2[2]");
  CHECK(parameters[66].to == "class 2");
}

TEST_CASE("layout: unit names per layer, and bad names or indices") {
  const Architecture arch = network({2, 3, 2, 4});
  const auto units = unit_names(arch, {"a", "b"}, {"p", "q", "r", "s"});
  REQUIRE(units.size() == 4);
  CHECK(units[0] == std::vector<std::string>{"a", "b"});
  CHECK(units[1] == std::vector<std::string>{"h1[0]", "h1[1]", "h1[2]"});
  CHECK(units[2] == std::vector<std::string>{"h2[0]", "h2[1]"});
  CHECK(units[3] == std::vector<std::string>{"p", "q", "r", "s"});
  CHECK_THROWS_AS(unit_names(arch, {"a"}, {"p", "q", "r", "s"}), InputError);
  CHECK_THROWS_AS(unit_names(arch, {"a", "b"}, {"p", "q", "r"}), InputError);
  CHECK_THROWS_AS(describe_parameters(network({2}), {"a", "b"}, {"a", "b"}), InputError);

  const int n = arch.num_params();
  CHECK(n == 3 * 3 + 2 * 4 + 4 * 3);
  CHECK_FALSE(locate_parameter(arch, -1).has_value());
  CHECK_FALSE(locate_parameter(arch, n).has_value());
  REQUIRE(locate_parameter(arch, n - 1).has_value());
  CHECK(parameter_label(*locate_parameter(arch, n - 1)) == "b3[3]");
  REQUIRE(locate_parameter(arch, 0).has_value());
  CHECK(parameter_label(*locate_parameter(arch, 0)) == "W1[0][0]");
}

// The description must match what the objective computes: with θ zero except
// for a chain of described entries, only the units those entries name can
// carry a signal, so the predicted class tells where each entry really acts.
// Zero logits tie, and ties go to class 0, so every chain ends at a class ≥ 1.
TEST_CASE("layout: every parameter acts between the units it names in the network objective") {
  const Architecture arch = network({3, 4, 3}, Activation::tanh);
  Dataset data;
  data.feature_names = {"a", "b", "c"};
  data.class_names = {"zero", "one", "two"};
  data.x = Eigen::MatrixXd::Identity(3, 3);  // sample i has feature i only
  data.y = {0, 1, 2};
  NetworkObjective objective(arch, data);
  const auto parameters = describe_parameters(arch, data.feature_names, data.class_names);
  REQUIRE(static_cast<int>(parameters.size()) == arch.num_params());

  const auto find = [&](int layer, ParameterKind kind, int from_unit, int to_unit) {
    for (const ParameterInfo& p : parameters) {
      if (p.position.layer == layer && p.position.kind == kind &&
          p.position.from_unit == from_unit && p.position.to_unit == to_unit) {
        return p.position.index;
      }
    }
    FAIL("no such parameter");
    return -1;
  };
  const auto predict = [&](const std::vector<int>& nonzero) {
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(arch.num_params());
    for (int k : nonzero) theta[k] = 3.0;
    return objective.predict(theta);
  };

  int checked = 0;
  for (const ParameterInfo& p : parameters) {
    CAPTURE(p.label);
    const int hidden = p.position.layer == 1 ? p.position.to_unit : p.position.from_unit;
    if (p.position.layer == 1) {
      // Into hidden unit j, then on to class 1 + j % 2 through W2.
      const int onward = find(2, ParameterKind::weight, p.position.to_unit, 1 + hidden % 2);
      const std::vector<int> got = predict({p.position.index, onward});
      for (int sample = 0; sample < 3; ++sample) {
        const bool reached =
            p.position.kind == ParameterKind::bias || sample == p.position.from_unit;
        CHECK(got[static_cast<std::size_t>(sample)] == (reached ? 1 + hidden % 2 : 0));
      }
    } else if (p.position.kind == ParameterKind::weight) {
      // From feature j % 3 into hidden unit j, then this weight.
      const int feature = hidden % 3;
      const int into = find(1, ParameterKind::weight, feature, hidden);
      const std::vector<int> got = predict({into, p.position.index});
      for (int sample = 0; sample < 3; ++sample) {
        CHECK(got[static_cast<std::size_t>(sample)] ==
              (sample == feature ? p.position.to_unit : 0));
      }
    } else {
      const std::vector<int> got = predict({p.position.index});
      for (int sample = 0; sample < 3; ++sample) {
        CHECK(got[static_cast<std::size_t>(sample)] == p.position.to_unit);
      }
    }
    ++checked;
  }
  CHECK(checked == 31);
}

TEST_CASE("layout: describe_model builds train's network and names its units from the data") {
  RunOptions options;
  options.hidden = {5, 2};
  options.activation = Activation::relu;
  const Dataset data = iris();
  const ModelDescription d = describe_model(options, data);
  CHECK(d.architecture.sizes == std::vector<int>{4, 5, 2, 3});
  CHECK(d.architecture.activation == Activation::relu);
  CHECK(static_cast<int>(d.parameters.size()) == d.architecture.num_params());
  CHECK(d.parameters.front().from == data.feature_names.front());
  CHECK(d.parameters.back().to == data.class_names.back());
  // The trainer's network is the same one.
  const Problem problem(options, data);
  CHECK(problem.architecture.sizes == d.architecture.sizes);
  CHECK(problem.architecture.activation == d.architecture.activation);
}

// The command line's θ table labels each support entry; its label column must
// be the layout's label for that index, for every index of a hidden model.
TEST_CASE("layout: the command line's θ table uses the layout's labels") {
  std::ostringstream out, err;
  const int status = run_cli({"train", "--hidden", "3,2", "--s", "32", "--iters", "3"}, out, err);
  REQUIRE(status == 0);
  const Architecture arch = network({4, 3, 2, 3});
  REQUIRE(arch.num_params() == 32);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<int> seen;
  while (std::getline(lines, line)) {
    const std::string start = "  θ[";
    if (line.compare(0, start.size(), start) != 0) continue;
    std::istringstream fields(line.substr(start.size()));
    int k = -1;
    char close = 0;
    std::string label;
    fields >> k >> close >> label;
    CAPTURE(line);
    const std::optional<ParameterPosition> position = locate_parameter(arch, k);
    REQUIRE(position.has_value());
    CHECK(label == parameter_label(*position));
    seen.push_back(k);
  }
  CHECK(seen.size() == 32);
}
