// Embind bindings of the sparse-iht core. This layer only converts: JS values
// to the core's options and data, the core's results to JS objects (typed
// arrays copied out of wasm memory), and C++ exceptions to JS Errors. The
// ergonomic API (camelCase options, load()) is in wasm/js/api.js.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#ifdef SPARSE_IHT_BIND_CLI
#include "sparse_iht/cli.hpp"
#endif
#include "sparse_iht/csv.hpp"
#include "sparse_iht/digits.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/fields.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/layout.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/options.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

using emscripten::val;
namespace si = sparse_iht;

namespace {

[[noreturn]] void throw_js_error(const std::string& message) {
  val::global("Error").new_(message).throw_();
  __builtin_unreachable();
}

// An InputError as a JS Error carrying its fields; wasm/js/api.js turns it into
// a SparseIhtError (camelCase option, the package's message).
[[noreturn]] void throw_input_error(const si::InputError& e) {
  val error = val::global("Error").new_(std::string(e.what()));
  val fields = val::object();
  fields.set("code", std::string(si::error_code_name(e.code())));
  fields.set("option", e.option().empty() ? val::null() : val(e.option()));
  fields.set("problem", e.problem());
  fields.set("line", e.line() > 0 ? val(static_cast<double>(e.line())) : val::null());
  fields.set("column", e.column() > 0 ? val(static_cast<double>(e.column())) : val::null());
  error.set("sparseIht", fields);
  error.throw_();
  __builtin_unreachable();
}

// Runs f, turning any C++ exception into a JS Error carrying what().
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const si::InputError& e) {
    throw_input_error(e);
  } catch (const std::exception& e) {
    throw_js_error(e.what());
  }
}

// ---- JS → C++ -------------------------------------------------------------

std::string to_bytes(const val& v) {
  if (v.isString()) return v.as<std::string>();
  // A Uint8Array: its exact bytes, so invalid UTF-8 reaches the CSV checks.
  const auto bytes = emscripten::convertJSArrayToNumberVector<std::uint8_t>(v);
  return std::string(bytes.begin(), bytes.end());
}

#ifdef SPARSE_IHT_BIND_CLI
// A file's size in bytes, from the command line's fstat (the CommonJS build's
// command line only).
std::size_t to_byte_count(double bytes) {
  if (!(bytes > 0)) return 0;
  return bytes >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<std::size_t>(bytes);
}
#endif

std::vector<std::pair<std::string, std::string>> to_pairs(const val& pairs) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto length = pairs["length"].as<unsigned>();
  for (unsigned i = 0; i < length; ++i) {
    const val pair = pairs[i];
    out.emplace_back(pair[0].as<std::string>(), pair[1].as<std::string>());
  }
  return out;
}

std::vector<std::string> to_strings(const val& array) {
  std::vector<std::string> out;
  const auto length = array["length"].as<unsigned>();
  for (unsigned i = 0; i < length; ++i) out.push_back(array[i].as<std::string>());
  return out;
}

// A data set given as { features, classes, x (samples × features, row-major), y }.
si::Dataset to_dataset(const val& data) {
  si::Dataset d;
  d.feature_names = to_strings(data["features"]);
  d.class_names = to_strings(data["classes"]);
  const auto x = emscripten::convertJSArrayToNumberVector<double>(data["x"]);
  const auto y = emscripten::convertJSArrayToNumberVector<int>(data["y"]);
  const auto features = static_cast<Eigen::Index>(d.feature_names.size());
  const auto samples = static_cast<Eigen::Index>(y.size());
  if (features == 0 || static_cast<Eigen::Index>(x.size()) != features * samples) {
    throw si::InputError("data: x must hold samples × features numbers (" +
                         std::to_string(samples) + " × " + std::to_string(features) + "), got " +
                         std::to_string(x.size()));
  }
  d.x.resize(features, samples);
  for (Eigen::Index j = 0; j < samples; ++j) {
    for (Eigen::Index i = 0; i < features; ++i) {
      const double value = x[static_cast<std::size_t>(j * features + i)];
      if (!std::isfinite(value)) {
        throw si::InputError("data: x[" + std::to_string(j) + "][" + std::to_string(i) +
                             "] is not a finite number");
      }
      d.x(i, j) = value;
    }
  }
  for (int label : y) {
    if (label < 0 || label >= static_cast<int>(d.class_names.size())) {
      throw si::InputError("data: label " + std::to_string(label) + " is not a class index");
    }
  }
  if (d.class_names.size() < 2) throw si::InputError("data: need at least 2 classes");
  d.y = y;
  return d;
}

// ---- C++ → JS -------------------------------------------------------------

template <typename T>
val typed_array(const T* data, std::size_t size) {
  // slice() copies: views of wasm memory die when it grows.
  return val(emscripten::typed_memory_view(size, data)).call<val>("slice");
}
val typed_array(const Eigen::VectorXd& v) {
  return typed_array(v.data(), static_cast<std::size_t>(v.size()));
}
template <typename T>
val typed_array(const std::vector<T>& v) {
  return typed_array(v.data(), v.size());
}

val string_array(const std::vector<std::string>& items) {
  val out = val::array();
  for (const auto& item : items) out.call<void>("push", item);
  return out;
}

// Converts a result by its field list (sparse_iht/fields.hpp), so it has the
// names, order and values of the --json document: typed arrays for series,
// plain Arrays where the API declares number[] (PlainArray), null for absent
// values.
class JsFields {
 public:
  // The visitor's callback: one property per field, in the list's order.
  template <typename T>
  void field(const char* name, const T& v) {
    object_.set(name, value(v));
  }

  static val value(bool b) { return val(b); }
  static val value(int i) { return val(i); }
  static val value(double d) { return val(d); }
  // A Number, as the API declares it, not a BigInt.
  static val value(std::uint64_t u) { return val(static_cast<double>(u)); }
  static val value(const char* s) { return val(std::string(s)); }
  static val value(const std::string& s) { return val(s); }
  template <typename T>
  static val value(const std::optional<T>& x) {
    return x ? value(*x) : val::null();
  }
  static val value(const std::vector<std::string>& items) { return string_array(items); }
  static val value(const Eigen::VectorXd& v) { return typed_array(v); }
  static val value(const std::vector<double>& v) { return typed_array(v); }
  static val value(const std::vector<int>& v) { return typed_array(v); }
  // One series per row (supportFrequency): an Array of Float64Array.
  static val value(const std::vector<std::vector<double>>& rows) {
    val out = val::array();
    for (const auto& row : rows) out.call<void>("push", typed_array(row));
    return out;
  }
  static val value(const si::PlainArray<std::vector<int>>& a) {
    return val::global("Array").call<val>("from", typed_array(a.items));
  }
  static val value(const si::PlainArray<std::vector<std::vector<int>>>& a) {
    val out = val::array();
    for (const auto& row : a.items) out.call<void>("push", value(si::plain_array(row)));
    return out;
  }
  template <typename T, std::enable_if_t<si::has_fields_v<T>, int> = 0>
  static val value(const std::vector<T>& items) {
    val out = val::array();
    for (const auto& item : items) out.call<void>("push", value(item));
    return out;
  }
  template <typename T, std::enable_if_t<si::has_fields_v<T>, int> = 0>
  static val value(const T& x) {
    JsFields fields;
    si::visit_fields(x, fields);
    return fields.object_;
  }

 private:
  val object_ = val::object();
};

// TrainResult, SweepPoint, History, ModelDescription, ...: every type with a field list.
template <typename T, std::enable_if_t<si::has_fields_v<T>, int> = 0>
val to_js(const T& x) {
  return JsFields::value(x);
}

template <typename T>
std::vector<T> tail(const std::vector<T>& v, std::size_t from) {
  return from >= v.size() ? std::vector<T>{}
                          : std::vector<T>(v.begin() + static_cast<long>(from), v.end());
}

si::History history_from(const si::History& h, std::size_t from) {
  si::History out;
  out.loss = tail(h.loss, from);
  out.train_accuracy = tail(h.train_accuracy, from);
  out.test_accuracy = tail(h.test_accuracy, from);
  out.nnz = tail(h.nnz, from);
  out.entered = tail(h.entered, from);
  out.left = tail(h.left, from);
  out.theta_norm = tail(h.theta_norm, from);
  out.step = tail(h.step, from);
  return out;
}

// Copies the ratios once, beside an estimate that computed a gradient pair for each.
val to_js(const si::L2sEstimate& e, int s, int n, int samples, std::uint64_t seed, double scale) {
  return to_js(si::L2sReport{s, n, samples, seed, scale, e});
}

// [rows, columns] when the features form an image (digits: [8, 8]), else null.
val image_shape(const si::Dataset& d) {
  if (d.image_shape.empty()) return val::null();
  return val::global("Array").call<val>("from", typed_array(d.image_shape));
}

val to_js(const si::Dataset& d) {
  val o = val::object();
  o.set("features", string_array(d.feature_names));
  o.set("classes", string_array(d.class_names));
  o.set("imageShape", image_shape(d));
  // Row-major samples × features: the column-major features × samples matrix, as laid out.
  o.set("x", typed_array(d.x.data(), static_cast<std::size_t>(d.x.size())));
  o.set("y", typed_array(d.y));
  o.set("numSamples", d.num_samples());
  o.set("numFeatures", d.num_features());
  return o;
}

// ---- Entry points -----------------------------------------------------------

// A data set that lives in WebAssembly memory (the package's Dataset handle):
// every call takes it as `data` without copying or checking it again.
class JsDataset {
 public:
  explicit JsDataset(si::Dataset data)
      : data_(std::make_shared<const si::Dataset>(std::move(data))) {}
  const std::shared_ptr<const si::Dataset>& data() const { return data_; }
  int num_samples() const { return data_->num_samples(); }
  int num_features() const { return data_->num_features(); }
  val features() const { return string_array(data_->feature_names); }
  val classes() const { return string_array(data_->class_names); }
  val class_counts() const { return typed_array(data_->class_counts()); }
  val image_shape() const { return ::image_shape(*data_); }

 private:
  std::shared_ptr<const si::Dataset> data_;
};

// Reads CSV bytes piece by piece into a JsDataset: the text is never whole in
// memory (core/src/csv.cpp CsvReader).
class JsDatasetReader {
 public:
  JsDatasetReader(const std::string& label, const std::string& name) : reader_(label, name) {}
  void feed(const val& chunk) {
    guarded([&] { reader_.feed(to_bytes(chunk)); });
  }
  JsDataset* finish() {
    return guarded([&] { return new JsDataset(reader_.finish()); });
  }
  double bytes_fed() const { return static_cast<double>(reader_.bytes_fed()); }

 private:
  si::CsvReader reader_;
};

JsDataset* iris_dataset() {
  return guarded([] { return new JsDataset(si::iris()); });
}

// The digits data set from the table's text (the package's data module,
// dist/digits.mjs), or, given undefined, from the table compiled in: only the
// CommonJS build has it (SPARSE_IHT_BIND_DIGITS); the browser's module leaves
// its 44 KB (gzipped) out.
si::Dataset digits_data(const val& text) {
#ifdef SPARSE_IHT_BIND_DIGITS
  if (text.isUndefined()) return si::digits();
#endif
  if (!text.isString()) throw si::InputError("digits: the data set's text is missing");
  return si::digits_from_text(text.as<std::string>());
}

JsDataset* digits_dataset(const val& text) {
  return guarded([&] { return new JsDataset(digits_data(text)); });
}

val digits(const val& text) {
  return guarded([&] { return to_js(digits_data(text)); });
}

// `data` is undefined (use options.data: "iris"), a Dataset handle, { csv,
// name } or a data set object. A handle's data is shared, not copied. (The
// package passes the built-in digits as a handle.)
std::shared_ptr<const si::Dataset> resolve_data(const si::RunOptions& options, const val& data) {
  if (data.isUndefined() || data.isNull()) {
    if (options.data != "iris") {
      throw si::InputError("data: '" + options.data +
                           "' is not built in; pass { csv: text } or a data set");
    }
    // Not load_dataset(), which would link the digits table in.
    si::check_builtin_label(options);
    return std::make_shared<const si::Dataset>(si::iris());
  }
  if (data.instanceof (val::module_property("Dataset"))) {
    return data.as<JsDataset*>(emscripten::allow_raw_pointers())->data();
  }
  if (data.hasOwnProperty("csv")) {
    const std::string name = data.hasOwnProperty("name") ? data["name"].as<std::string>() : "<csv>";
    return std::make_shared<const si::Dataset>(
        si::parse_csv(to_bytes(data["csv"]), options.label, name));
  }
  return std::make_shared<const si::Dataset>(to_dataset(data));
}

// The option table (options.hpp) as the package reports it: the package's
// options only (not the command line's --json), camelCase names, typed defaults.
val option_default(const si::OptionSpec& spec) {
  const std::string text = spec.fallback;
  switch (spec.type) {
    case si::OptionType::integer:
    case si::OptionType::number: {
      const bool word =
          std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end();
      return word ? val(text) : val(std::strtod(text.c_str(), nullptr));
    }
    case si::OptionType::boolean:
      return val(text == "on" || text == "true");
    case si::OptionType::integer_list: {
      val items = val::array();
      std::size_t start = 0;
      while (start < text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        items.call<void>("push", std::atoi(text.substr(start, comma - start).c_str()));
        start = comma + 1;
      }
      return items;
    }
    case si::OptionType::choice:
    case si::OptionType::text:
      return text.empty() ? val::null() : val(text);
  }
  return val::null();
}

val options() {
  return guarded([] {
    val out = val::array();
    for (const si::OptionSpec& spec : si::option_table()) {
      if (spec.cli_only) continue;
      val o = val::object();
      o.set("name", std::string(spec.js_name));
      o.set("flag", std::string("--") + spec.name);
      o.set("type", std::string(si::option_type_name(spec.type)));
      o.set("default", option_default(spec));
      o.set("min", std::isnan(spec.min) ? val::null() : val(spec.min));
      o.set("max", std::isnan(spec.max) ? val::null() : val(spec.max));
      o.set("minExclusive", spec.min_exclusive);
      o.set("maxExclusive", spec.max_exclusive);
      o.set("maxItems",
            spec.type == si::OptionType::integer_list ? val(spec.max_items) : val::null());
      o.set("choices", spec.choices.empty() ? val::null() : string_array(spec.choices));
      val commands = val::array();
      for (const auto c : {si::Command::train, si::Command::sweep, si::Command::lipschitz}) {
        if (spec.takes(c)) commands.call<void>("push", std::string(si::command_name(c)));
      }
      o.set("commands", commands);
      o.set("expected", spec.expected());
      o.set("help", std::string(spec.help));
      o.set("defaultHelp",
            spec.fallback_help != nullptr ? val(std::string(spec.fallback_help)) : val::null());
      out.call<void>("push", o);
    }
    return out;
  });
}

val train(const val& pairs, const val& data) {
  return guarded([&] {
    const auto options = si::parse_options(si::Command::train, to_pairs(pairs));
    return to_js(si::train(options, *resolve_data(options, data)));
  });
}

val describe(const val& pairs, const val& data) {
  return guarded([&] {
    const auto options = si::parse_options(si::Command::train, to_pairs(pairs));
    return to_js(si::describe_model(options, *resolve_data(options, data)));
  });
}

class JsSweepObserver final : public si::SweepObserver {
 public:
  explicit JsSweepObserver(val callback) : callback_(std::move(callback)) {}
  void on_progress(int done, int total) override {
    if (callback_.isUndefined() || callback_.isNull()) return;
    const val answer = callback_(done, total);
    // Returning false asks the sweep to stop.
    stop_ = answer.isFalse();
  }
  bool should_stop() override { return stop_; }

 private:
  val callback_;
  bool stop_ = false;
};

val sweep(const val& pairs, const val& data, const val& on_progress) {
  return guarded([&] {
    const auto options = si::parse_options(si::Command::sweep, to_pairs(pairs));
    JsSweepObserver observer(on_progress);
    return to_js(si::sweep(options, *resolve_data(options, data), &observer));
  });
}

val estimate_l2s(const val& pairs, const val& data) {
  return guarded([&] {
    const auto options = si::parse_options(si::Command::lipschitz, to_pairs(pairs));
    const auto dataset = resolve_data(options, data);
    si::Problem problem(options, *dataset);
    const int n = problem.num_params();
    si::validate_against_model(options, si::Command::lipschitz, n);
    si::L2sOptions l2s;
    l2s.s = options.s.value_or(si::default_s(problem.train, n));
    l2s.samples = options.samples;
    l2s.seed = options.seed;
    l2s.scale = options.scale;
    l2s.first_pair = options.first_pair;
    const auto estimate = si::estimate_l2s(problem.objective(), l2s);
    return to_js(estimate, l2s.s, n, l2s.samples, l2s.seed, l2s.scale);
  });
}

val iris() {
  return guarded([] { return to_js(si::iris()); });
}

// The strings arrive as vals and are converted inside guarded(): an argument
// Embind converts to std::string lives in this frame, which a JS exception
// leaves without running its destructor (40 bytes per failing call).
val parse_csv(const val& text, const val& label, const val& name) {
  return guarded([&] {
    return to_js(si::parse_csv(to_bytes(text), label.as<std::string>(), name.as<std::string>()));
  });
}

#ifdef SPARSE_IHT_BIND_CLI
// files: { path: entry } for the paths that --data names. An entry is the
// file's bytes or text, { error } for a file the caller could not read (with
// the system's reason), or { next() } returning its pieces in order and then
// null, so a large file is never whole in memory.
val run_cli(const val& args, const val& files, const val& on_progress) {
  return guarded([&] {
    const bool any = !files.isUndefined() && !files.isNull();
    const si::PieceReader reader = [&](const std::string& path, const si::PieceSink& consume) {
      const val entry = any && files.hasOwnProperty(path.c_str()) ? files[path] : val::undefined();
      if (entry.isUndefined()) {
        throw si::InputError("cannot read '" + path + "': No such file or directory");
      }
      if (entry.hasOwnProperty("error")) {
        throw si::InputError("cannot read '" + path + "': " + entry["error"].as<std::string>());
      }
      if (entry.isString() || entry["next"].typeOf().as<std::string>() != "function") {
        consume(to_bytes(entry));
        return;
      }
      if (consume.size && entry["size"].isNumber()) {
        consume.size(to_byte_count(entry["size"].as<double>()));
      }
      for (val piece = entry.call<val>("next"); !piece.isNull(); piece = entry.call<val>("next")) {
        consume(to_bytes(piece));
      }
    };
    std::ostringstream out, err;
    // The progress bar's text goes to on_progress, which writes it to a terminal.
    struct Bar final : si::SweepObserver {
      explicit Bar(val f) : callback(std::move(f)) {}
      void on_progress(int done, int total) override { callback(si::progress_bar(done, total)); }
      val callback;
    } bar(on_progress);
    const int status =
        si::run_cli(to_strings(args), out, err, reader, on_progress.isUndefined() ? nullptr : &bar);
    val o = val::object();
    o.set("status", status);
    o.set("stdout", out.str());
    o.set("stderr", err.str());
    return o;
  });
}
#endif

// Bytes the allocator holds for live objects, to check for leaks.
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

// The stepwise trainer.
class JsTrainer {
 public:
  JsTrainer(const val& pairs, const val& data)
      : JsTrainer(guarded([&] { return si::parse_options(si::Command::train, to_pairs(pairs)); }),
                  data) {}

  std::string advance(int k) {
    return guarded([&] { return std::string(si::status_name(trainer_->advance(k))); });
  }
  val state() const {
    return guarded([&] {
      val o = val::object();
      o.set("iteration", trainer_->iteration());
      o.set("loss", trainer_->loss());
      o.set("nnz", static_cast<int>(trainer_->support().size()));
      o.set("status", std::string(si::status_name(trainer_->status())));
      o.set("done", trainer_->done());
      o.set("stepSize", trainer_->step_size());
      o.set("stepRule", std::string(si::step_rule_name(trainer_->step_rule())));
      o.set("stepCertified", trainer_->step_certified());
      o.set("l2s", trainer_->l2s_estimate() ? val(trainer_->l2s_estimate()->max) : val::null());
      o.set("theta", typed_array(trainer_->theta()));
      o.set("support", typed_array(trainer_->support()));
      // Empty lists and changedAt null until the support first changes.
      const std::vector<int> none;
      const auto& change = trainer_->latest_support_change();
      o.set("entered", typed_array(change ? change->entered : none));
      o.set("left", typed_array(change ? change->left : none));
      o.set("changedAt", change ? val(change->iteration) : val::null());
      return o;
    });
  }
  val history(int from) const {
    return guarded([&] {
      return to_js(history_from(trainer_->history(), static_cast<std::size_t>(std::max(0, from))));
    });
  }
  val result() const {
    return guarded([&] { return to_js(trainer_->result()); });
  }
  val l2s_estimate() const {
    return guarded([&] {
      const auto& e = trainer_->l2s_estimate();
      if (!e) return val::null();
      const auto& o = trainer_->options();
      return to_js(*e, trainer_->s(), trainer_->problem().num_params(), o.samples, o.seed, o.scale);
    });
  }
  // The first `count` test samples (training samples without a test set) and
  // the classes θ predicts for them: a page's sample strip.
  val predictions(int count) const {
    return guarded([&] { return to_js(trainer_->predictions(count)); });
  }
  // The two halves of the latest step (a page's step-by-step view), or null
  // before the first.
  val last_step() const {
    return guarded([&] {
      const auto d = trainer_->last_step();
      return d ? to_js(*d) : val::null();
    });
  }
  void stop() { trainer_->stop(); }

 private:
  // The trainer builds its own layout of the features (Problem), so it keeps
  // no reference to the data: a Dataset handle freed during a run frees them.
  JsTrainer(si::RunOptions options, const val& data)
      : trainer_(guarded([&] {
          const auto dataset = resolve_data(options, data);
          auto trainer = std::make_unique<si::Trainer>(options, *dataset);
          trainer->record_steps(true);
          return trainer;
        })) {}

  std::unique_ptr<si::Trainer> trainer_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(sparse_iht) {
  emscripten::function("options", &options);
  emscripten::function("train", &train);
  emscripten::function("describe", &describe);
  emscripten::function("sweep", &sweep);
  emscripten::function("estimateL2s", &estimate_l2s);
  emscripten::function("iris", &iris);
  emscripten::function("digits", &digits);
  emscripten::function("digitsDataset", &digits_dataset, emscripten::allow_raw_pointers());
#ifdef SPARSE_IHT_BIND_DIGITS
  emscripten::constant("digitsBuiltIn", true);
#else
  emscripten::constant("digitsBuiltIn", false);
#endif
  emscripten::function("parseCsv", &parse_csv);
#ifdef SPARSE_IHT_BIND_CLI
  emscripten::function("runCli", &run_cli);
#endif
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::class_<JsDataset>("Dataset")
      .function("numSamples", &JsDataset::num_samples)
      .function("numFeatures", &JsDataset::num_features)
      .function("features", &JsDataset::features)
      .function("classes", &JsDataset::classes)
      .function("classCounts", &JsDataset::class_counts)
      .function("imageShape", &JsDataset::image_shape);
  emscripten::class_<JsDatasetReader>("DatasetReader")
      .constructor<const std::string&, const std::string&>()
      .function("feed", &JsDatasetReader::feed)
      .function("finish", &JsDatasetReader::finish, emscripten::allow_raw_pointers())
      .function("bytesFed", &JsDatasetReader::bytes_fed);
  emscripten::function("irisDataset", &iris_dataset, emscripten::allow_raw_pointers());
  emscripten::class_<JsTrainer>("Trainer")
      .constructor<const val&, const val&>()
      .function("advance", &JsTrainer::advance)
      .function("state", &JsTrainer::state)
      .function("history", &JsTrainer::history)
      .function("result", &JsTrainer::result)
      .function("l2sEstimate", &JsTrainer::l2s_estimate)
      .function("lastStep", &JsTrainer::last_step)
      .function("predictions", &JsTrainer::predictions)
      .function("stop", &JsTrainer::stop);
}
