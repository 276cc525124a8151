// The --json documents are written by walking the field lists of
// sparse_iht/fields.hpp, the same lists the JavaScript results are built from:
// a document must hold exactly the names the lists visit, in their order.
#include <doctest/doctest.h>
#include <algorithm>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../common/json.hpp"
#include "sparse_iht/fields.hpp"
#include "sparse_iht/json.hpp"

using sparse_iht_test::JsonValue;

namespace {

// Records the names a field list visits as dotted paths, in visiting order:
// "htStable.margin"; the fields of an array's objects as "points[].s", taken
// from a default element so that an empty array still lists them.
class NameRecorder {
 public:
  NameRecorder(std::string prefix, std::vector<std::string>& out)
      : prefix_(std::move(prefix)), out_(out) {}

  template <class T>
  void field(const char* name, const T& value) {
    const std::string path = prefix_ + name;
    out_.push_back(path);
    nested(path, value);
  }

 private:
  template <class T>
  void nested(const std::string& path, const T& value) {
    if constexpr (sparse_iht::has_fields_v<T>) {
      NameRecorder inner(path + ".", out_);
      visit_fields(value, inner);
    }
  }
  template <class T>
  void nested(const std::string& path, const std::optional<T>& value) {
    if (value) nested(path, *value);
  }
  template <class T>
  void nested(const std::string& path, const std::vector<T>&) {
    if constexpr (sparse_iht::has_fields_v<T>) {
      NameRecorder inner(path + "[].", out_);
      visit_fields(T{}, inner);
    }
  }

  std::string prefix_;
  std::vector<std::string>& out_;
};

template <class T>
std::vector<std::string> visited_names(const T& x) {
  std::vector<std::string> out;
  NameRecorder recorder("", out);
  visit_fields(x, recorder);
  return out;
}

// The key paths of a document in document order, in the recorder's notation;
// an array of objects contributes the keys of its first element.
void document_names(const JsonValue& v, const std::string& prefix, std::vector<std::string>& out) {
  if (v.kind == JsonValue::object) {
    for (const auto& m : v.members) {
      out.push_back(prefix + m.first);
      document_names(m.second, prefix + m.first + ".", out);
    }
  } else if (v.kind == JsonValue::array && !v.items.empty() &&
             v.items.front().kind == JsonValue::object) {
    // prefix ends in "."; the elements' keys go under "name[].".
    document_names(v.items.front(), prefix.substr(0, prefix.size() - 1) + "[].", out);
  }
}

std::vector<std::string> document_names(const std::string& text) {
  std::vector<std::string> out;
  document_names(sparse_iht_test::parse_json(text), "", out);
  return out;
}

// Records each field's name and whether it has a value (an empty optional is null).
struct Presence {
  std::vector<std::string> names;
  std::vector<bool> present;
  template <class T>
  void field(const char* name, const T& value) {
    names.emplace_back(name);
    if constexpr (std::is_same_v<T, std::optional<std::string>> ||
                  std::is_same_v<T, std::optional<int>>) {
      present.push_back(value.has_value());
    } else {
      present.push_back(true);
    }
  }
};

}  // namespace

TEST_CASE("fields: a train result's JSON has exactly the visited names, in order") {
  sparse_iht::TrainResult r;
  r.architecture.sizes = {4, 3};
  r.theta = Eigen::VectorXd::Zero(15);
  r.confusion = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  const std::vector<std::string> names = visited_names(r);
  CHECK(document_names(sparse_iht::to_json(r)) == names);

  // The list itself, so that the comparison above compares something.
  REQUIRE(names.size() == 37);
  CHECK(names.front() == "s");
  CHECK(names[9] == "objective");
  CHECK(names[14] == "stepRule");
  CHECK(names[15] == "stepCertified");
  CHECK(names[19] == "htStable");
  CHECK(names[20] == "htStable.stable");
  CHECK(names.back() == "confusionOn");
}

TEST_CASE("fields: sweep and lipschitz JSON have exactly the visited names, in order") {
  sparse_iht::SweepResult sweep;
  sweep.points.resize(2);
  const std::vector<std::string> sweep_names = visited_names(sweep);
  CHECK(document_names(sparse_iht::to_json(sweep)) == sweep_names);
  CHECK(sweep_names.front() == "dense");
  CHECK(sweep_names.back() == "complete");
  CHECK(std::find(sweep_names.begin(), sweep_names.end(), "points[].cold.support") !=
        sweep_names.end());
  // Absent parts are null, present ones objects.
  sweep.cv.emplace();
  const std::vector<std::string> full = visited_names(sweep);
  CHECK(document_names(sparse_iht::to_json(sweep)) == full);
  CHECK(std::find(full.begin(), full.end(), "cv.criterion.chosenS") != full.end());

  sparse_iht::L2sReport report;
  report.estimate.ratios = {1.0, 2.0};
  const std::vector<std::string> l2s_names = visited_names(report);
  CHECK(document_names(sparse_iht::to_json(report)) == l2s_names);
  CHECK(l2s_names == std::vector<std::string>{"s", "n", "samples", "seed", "scale", "ratios", "max",
                                              "quantiles", "quantiles.p50", "quantiles.p90",
                                              "quantiles.p99", "lower", "upper", "upperMethod"});
}

TEST_CASE("fields: a bias has no input unit") {
  // Only describe() shows parameters; its nulls are the list's empty optionals.
  sparse_iht::ParameterInfo bias;
  bias.position.kind = sparse_iht::ParameterKind::bias;
  Presence b;
  visit_fields(bias, b);
  CHECK(b.names == std::vector<std::string>{"index", "layer", "kind", "from", "to", "label",
                                            "fromUnit", "toUnit"});
  CHECK(b.present == std::vector<bool>{true, true, true, false, true, true, false, true});

  sparse_iht::ParameterInfo weight;
  weight.position.from_unit = 2;
  Presence w;
  visit_fields(weight, w);
  CHECK(w.present == std::vector<bool>(8, true));
}
