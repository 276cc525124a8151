// The fields of every result the library reports, listed once: names (those of
// the JavaScript API, wasm/types/sparse-iht.d.ts), order and values. The --json
// writer (core/src/json.cpp) and the Embind conversion (wasm/bindings.cpp) both
// walk these lists, so the command line's documents and the JS results cannot
// drift apart; tests/node/result-fields.test.mjs holds the declarations to them.
//
// visit_fields(x, v) calls v.field(name, value) for each field of x in order.
// A visitor must take these values:
//   bool, int, double, std::uint64_t            numbers and booleans
//   const char*, std::string                    strings (enums as their names)
//   std::optional<T>                            T, or null when absent
//   std::vector<std::string>                    an array of strings
//   Eigen::VectorXd, std::vector<double|int>    a numeric series (JS: typed array)
//   std::vector<std::vector<double>>            series, one per row (JS: Float64Array[])
//   PlainArray<std::vector<int>>,
//   PlainArray<std::vector<std::vector<int>>>   numbers in a plain JS Array (number[], number[][])
//   a type with visit_fields, or a vector of it  an object, or an array of objects
// Derived values (sizes, names of enums, confusionOn, ...) are computed here
// too, so that both outputs derive them the same way.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "sparse_iht/ht_stability.hpp"
#include "sparse_iht/iht.hpp"
#include "sparse_iht/layout.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/network.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

namespace sparse_iht {

// Numbers that JavaScript gets as a plain Array rather than a typed array: the
// API declares them number[] (sizes) or number[][] (confusion). JSON has no
// such distinction.
template <class T>
struct PlainArray {
  const T& items;
};
template <class T>
PlainArray<T> plain_array(const T& items) {
  return PlainArray<T>{items};
}

template <class V>
void visit_fields(const HtStability& x, V& v) {
  v.field("stable", x.stable);
  v.field("margin", x.margin);
  v.field("supportGradInf", x.support_grad_inf);
  v.field("supportSize", x.support_size);
  v.field("tolerance", x.tolerance);
  v.field("reason", x.reason);
}

template <class V>
void visit_fields(const History& x, V& v) {
  v.field("loss", x.loss);
  v.field("trainAccuracy", x.train_accuracy);
  v.field("testAccuracy", x.test_accuracy);
  v.field("nnz", x.nnz);
  v.field("entered", x.entered);
  v.field("left", x.left);
  v.field("thetaNorm", x.theta_norm);
  v.field("step", x.step);
}

template <class V>
void visit_fields(const StepDetail& x, V& v) {
  v.field("iteration", x.iteration);
  v.field("step", x.step);
  v.field("certified", x.certified);
  v.field("before", x.before);
  v.field("gradientStep", x.gradient_step);
  v.field("after", x.after);
  v.field("threshold", x.threshold);
  v.field("kept", x.kept);
  v.field("entered", x.entered);
  v.field("left", x.left);
}

template <class V>
void visit_fields(const TrainResult& x, V& v) {
  v.field("s", x.s);
  v.field("n", x.n);
  v.field("sizes", plain_array(x.architecture.sizes));
  v.field("activation", activation_name(x.architecture.activation));
  v.field("features", x.feature_names);
  v.field("classes", x.class_names);
  v.field("theta", x.theta);
  v.field("support", x.support);
  v.field("trainLoss", x.train_loss);
  v.field("objective", x.objective);
  v.field("testLoss", x.test_loss);
  v.field("trainAccuracy", x.train_accuracy);
  v.field("testAccuracy", x.test_accuracy);
  v.field("stepSize", x.step_size);
  v.field("stepRule", step_rule_name(x.step_rule));
  v.field("stepCertified", x.step_certified);
  v.field("l2s", x.l2s);
  v.field("iterations", x.iterations);
  v.field("status", status_name(x.status));
  v.field("htStable", x.ht_stable);
  v.field("history", x.history);
  v.field("confusion", plain_array(x.confusion));
  v.field("confusionOn", x.confusion_on_test ? "test" : "train");
}

template <class V>
void visit_fields(const SamplePredictions& x, V& v) {
  v.field("on", x.on_test ? "test" : "train");
  v.field("numFeatures", x.num_features);
  v.field("x", x.x);
  v.field("y", x.y);
  v.field("predicted", x.predicted);
}

template <class V>
void visit_fields(const RunSummary& x, V& v) {
  v.field("trainLoss", x.train_loss);
  v.field("objective", x.objective);
  v.field("testLoss", x.test_loss);
  v.field("trainAccuracy", x.train_accuracy);
  v.field("testAccuracy", x.test_accuracy);
  v.field("nnz", static_cast<int>(x.support.size()));
  v.field("support", x.support);
  v.field("iterations", x.iterations);
  v.field("status", status_name(x.status));
}

template <class V>
void visit_fields(const Baselines& x, V& v) {
  v.field("magnitude", x.magnitude);
  v.field("l1", x.l1);
  v.field("l1Lambda", x.l1_lambda);
  v.field("l1Nonzeros", x.l1_nonzeros);
}

template <class V>
void visit_fields(const ExactOptimum& x, V& v) {
  v.field("objective", x.objective);
  v.field("trainLoss", x.train_loss);
  v.field("support", x.support);
}

template <class V>
void visit_fields(const SwapResult& x, V& v) {
  v.field("objective", x.objective);
  v.field("trainLoss", x.train_loss);
  v.field("support", x.support);
  v.field("swaps", x.swaps);
}

template <class V>
void visit_fields(const SweepPoint& x, V& v) {
  v.field("s", x.s);
  v.field("start", x.start);
  v.field("trainLoss", x.train_loss);
  v.field("objective", x.objective);
  v.field("testLoss", x.test_loss);
  v.field("trainAccuracy", x.train_accuracy);
  v.field("testAccuracy", x.test_accuracy);
  v.field("gapToDense", x.gap_to_dense);
  v.field("htStable", x.ht_stable);
  v.field("stepSize", x.step_size);
  v.field("stepRule", step_rule_name(x.step_rule));
  v.field("stepCertified", x.step_certified);
  v.field("l2s", x.l2s);
  v.field("iterations", x.iterations);
  v.field("status", status_name(x.status));
  v.field("theta", x.theta);
  v.field("support", x.support);
  v.field("cold", x.cold);
  v.field("baselines", x.baselines);
  v.field("exact", x.exact);
  v.field("exactGap", x.exact_gap);
  v.field("swap", x.swap);
}

template <class V>
void visit_fields(const Criterion& x, V& v) {
  v.field("name", x.name);
  v.field("gamma", x.gamma);
  v.field("values", x.values);
  v.field("chosenS", x.chosen_s);
}

template <class V>
void visit_fields(const CrossValidation& x, V& v) {
  v.field("folds", x.folds);
  v.field("s", plain_array(x.s));
  v.field("meanLoss", x.mean_loss);
  v.field("stdErrLoss", x.std_err_loss);
  v.field("meanAccuracy", x.mean_accuracy);
  v.field("stdErrAccuracy", x.std_err_accuracy);
  v.field("foldLoss", x.fold_loss);
  v.field("minS", x.min_s);
  v.field("chosenS", x.chosen_s);
  v.field("criterion", x.criterion);
}

template <class V>
void visit_fields(const SweepResult& x, V& v) {
  v.field("dense", x.dense);
  v.field("points", x.points);
  v.field("grid", plain_array(x.grid));
  v.field("cv", x.cv);
  v.field("supportFrequency", x.support_frequency);
  v.field("exactNote", x.exact_note.empty() ? std::optional<std::string>() : x.exact_note);
  v.field("complete", x.complete);
}

template <class V>
void visit_fields(const Quantiles& x, V& v) {
  v.field("p50", x.p50);
  v.field("p90", x.p90);
  v.field("p99", x.p99);
}

// The estimate's fields sit beside the settings, not under an `estimate` key.
// The seed goes out as an integer in JSON and as a (double) number in JS.
template <class V>
void visit_fields(const L2sReport& x, V& v) {
  v.field("s", x.s);
  v.field("n", x.n);
  v.field("samples", x.samples);
  v.field("seed", x.seed);
  v.field("scale", x.scale);
  v.field("ratios", x.estimate.ratios);
  v.field("max", x.estimate.max);
  v.field("quantiles", x.estimate.quantiles);
  v.field("lower", x.estimate.lower);
  v.field("upper", x.estimate.upper);
  v.field("upperMethod", x.estimate.upper_method);
}

// describe() only (the command line has no describe command). A bias has no
// input unit: from and fromUnit are null for it.
template <class V>
void visit_fields(const ParameterInfo& x, V& v) {
  const bool weight = x.position.kind == ParameterKind::weight;
  v.field("index", x.position.index);
  v.field("layer", x.position.layer);
  v.field("kind", kind_name(x.position.kind));
  v.field("from", weight ? std::optional<std::string>(x.from) : std::nullopt);
  v.field("to", x.to);
  v.field("label", x.label);
  v.field("fromUnit", weight ? std::optional<int>(x.position.from_unit) : std::nullopt);
  v.field("toUnit", x.position.to_unit);
}

template <class V>
void visit_fields(const ModelDescription& x, V& v) {
  v.field("n", x.architecture.num_params());
  v.field("sizes", plain_array(x.architecture.sizes));
  v.field("activation", activation_name(x.architecture.activation));
  v.field("parameters", x.parameters);
  // [rows, columns] when the features form an image (digits), else null.
  if (x.image_shape.empty()) {
    v.field("imageShape", std::optional<int>());
  } else {
    v.field("imageShape", plain_array(x.image_shape));
  }
  v.field("defaultS", x.default_s);
}

// Whether T has a field list above, i.e. is written as an object.
namespace detail {
struct AnyVisitor {
  template <class T>
  void field(const char*, const T&) {}
};
template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<
    T, std::void_t<decltype(visit_fields(std::declval<const T&>(), std::declval<AnyVisitor&>()))>>
    : std::true_type {};
}  // namespace detail
template <class T>
inline constexpr bool has_fields_v = detail::has_fields<T>::value;

}  // namespace sparse_iht
