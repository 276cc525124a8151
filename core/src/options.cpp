#include "sparse_iht/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "sparse_iht/error.hpp"

namespace sparse_iht {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: exact in a JS number
constexpr double kMaxInt = 2147483647.0;
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

// Values go into one-line messages: control characters would break the line
// and a pasted file would flood the terminal.
std::string shown(const std::string& text) {
  constexpr std::size_t kMax = 80;
  // Cut at a character boundary, so valid UTF-8 stays valid (found by fuzzing).
  std::size_t end = std::min(text.size(), kMax);
  for (int k = 0; k < 3 && end > 0 && end < text.size() &&
                  (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80;
       ++k) {
    --end;
  }
  std::string out;
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (end < text.size()) out += "...";
  return out;
}

[[noreturn]] void bad_value(const std::string& name, const std::string& expected,
                            const std::string& value) {
  throw InputError::bad_option(name, "expected " + expected + ", got '" + shown(value) + "'");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A whole decimal number with an optional leading '-'; nullopt when malformed
// or too long to be in any range we accept.
std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  if (i == text.size()) return std::nullopt;
  std::int64_t value = 0;
  for (; i < text.size(); ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    if (value > (INT64_MAX - 9) / 10) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}

// A finite decimal number in the plain grammar of JSON and JavaScript's
// String(x) ("0.5", "-1", "1e-7", ".5", "5."). nullopt for anything else,
// including NaN, infinities and values that overflow.
std::optional<double> parse_number(const std::string& text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && text[i] == '-') ++i;
  std::size_t digits = 0;
  while (i < n && is_digit(text[i])) ++i, ++digits;
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && is_digit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '-' || text[i] == '+')) ++i;
    std::size_t exponent_digits = 0;
    while (i < n && is_digit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != n) return std::nullopt;
  // The grammar above has no locale-dependent characters but the decimal point;
  // like the CSV loader, this relies on the "C" LC_NUMERIC that every program
  // starts in (the library never calls setlocale).
  const double value = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

// A range bound as the messages print it: integers without a decimal point.
std::string plain(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e16) {
    return std::to_string(static_cast<std::int64_t>(x));
  }
  std::string text = std::to_string(x);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

bool has_min(const OptionSpec& o) { return !std::isnan(o.min); }
bool has_max(const OptionSpec& o) { return !std::isnan(o.max); }
// INT32_MAX as an integer's maximum only says "it fits in an int".
bool open_above(const OptionSpec& o) { return !has_max(o) || o.max == kMaxInt; }

bool in_range(const OptionSpec& o, double x) {
  if (has_min(o) && (o.min_exclusive ? !(x > o.min) : !(x >= o.min))) return false;
  if (has_max(o) && (o.max_exclusive ? !(x < o.max) : !(x <= o.max))) return false;
  return true;
}

// "a, b or c"; with `more`, every word is followed by ", " ("a, b, ") so the
// caller ends the list.
std::string word_list(const std::vector<std::string>& words, const char* quote, bool more = false) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += !more && i + 1 == words.size() ? " or " : ", ";
    out += quote + words[i] + quote;
  }
  return out;
}

std::string number_range(const OptionSpec& o) {
  if (has_min(o) && has_max(o)) {
    return std::string("a number in ") + (o.min_exclusive ? "(" : "[") + plain(o.min) + ", " +
           plain(o.max) + (o.max_exclusive ? ")" : "]");
  }
  if (has_min(o)) return "a number " + std::string(o.min_exclusive ? "> " : "≥ ") + plain(o.min);
  if (has_max(o)) return "a number " + std::string(o.max_exclusive ? "< " : "≤ ") + plain(o.max);
  return "a number";
}

std::vector<int> parse_list(const OptionSpec& spec, const std::string& value) {
  std::vector<int> items;
  const auto first = value.find_first_not_of(' ');
  if (first == std::string::npos) return items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    std::string item = value.substr(start, comma - start);
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
    const auto w = parse_integer(item);
    if (!w || !in_range(spec, static_cast<double>(*w))) {
      bad_value(spec.name, spec.expected(), value);
    }
    items.push_back(static_cast<int>(*w));
    if (items.size() > static_cast<std::size_t>(spec.max_items)) {
      bad_value(spec.name, spec.expected(), value);
    }
    if (comma == value.size()) break;
    start = comma + 1;
  }
  return items;
}

// Reads one value as its entry's type says, or throws bad_option.
OptionSpec::Value parse_value(const OptionSpec& spec, const std::string& text) {
  OptionSpec::Value v;
  const auto fail = [&]() { bad_value(spec.name, spec.expected(), text); };
  const auto is_choice = [&]() {
    return std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end();
  };
  switch (spec.type) {
    case OptionType::integer: {
      const auto i = parse_integer(text);
      if (!i || !in_range(spec, static_cast<double>(*i))) fail();
      v.number = static_cast<double>(*i);
      break;
    }
    case OptionType::number: {
      if (is_choice()) {
        v.word = text;
        break;
      }
      const auto x = parse_number(text);
      if (!x || !in_range(spec, *x)) fail();
      v.number = *x;
      break;
    }
    case OptionType::boolean:
      if (text == "on" || text == "true") {
        v.flag = true;
      } else if (text != "off" && text != "false") {
        fail();
      }
      break;
    case OptionType::choice:
      if (!is_choice()) fail();
      v.word = text;
      break;
    case OptionType::text:
      if (has_min(spec) && static_cast<double>(text.size()) < spec.min) fail();
      v.word = text;
      break;
    case OptionType::integer_list:
      v.items = parse_list(spec, text);
      break;
  }
  return v;
}

Activation activation_of(const std::string& word) {
  if (word == "relu") return Activation::relu;
  if (word == "sigmoid") return Activation::sigmoid;
  return Activation::tanh;
}

constexpr unsigned kTrain = command_bit(Command::train);
constexpr unsigned kSweep = command_bit(Command::sweep);
constexpr unsigned kLipschitz = command_bit(Command::lipschitz);
constexpr unsigned kAll = kTrain | kSweep | kLipschitz;
constexpr unsigned kIht = kTrain | kSweep;  // the options of the IHT runs

using T = OptionType;
using V = OptionSpec::Value;

std::vector<OptionSpec> make_table() {
  // clang-format off
  return {
    {"s", "s", T::integer, 1, kMaxInt, false, false, {}, 0, "5", "5; digits: 10 % of n", "N",
     kTrain | kLipschitz, false, "", nullptr,
     "nonzero parameters allowed, 1 to n",
     "nonzero entries of each random point, 1 to n",
     [](RunOptions& o, const V& v) { o.s = static_cast<int>(v.number); }},
    {"hidden", "hidden", T::integer_list, 1, 4096, false, false, {}, 8, "",
     "none: the paper's single dense layer; digits: 32", "W,W,...", kAll, false, "",
     "comma-separated layer widths from 1 to 4096 (at most 8 layers, '' for none)",
     "hidden layer widths, 1 to 4096 each, at most 8 layers ('' = none)", nullptr,
     [](RunOptions& o, const V& v) { o.hidden = v.items; }},
    {"activation", "activation", T::choice, kNone, kNone, false, false, {"tanh", "relu", "sigmoid"},
     0, "tanh", nullptr, "NAME", kAll, false, "", nullptr,
     "activation of the hidden layers: tanh, relu or sigmoid", nullptr,
     [](RunOptions& o, const V& v) { o.activation = activation_of(v.word); }},
    {"step", "step", T::number, 0, kNone, true, false,
     {"auto", "bound", "backtracking", "normalized", "estimate"}, 0, "auto",
     nullptr, "RULE|X", kIht, false, "", nullptr,
     "γ > 0, or a rule: bound (c / upper, certified), backtracking (certified per step), "
     "normalized (NIHT), estimate (c / L̂_2s, the paper's), auto (bound, else backtracking)",
     nullptr,
     [](RunOptions& o, const V& v) {
       o.step.reset();
       if (v.word == "auto") {
         o.step_rule = StepRule::automatic;
       } else if (v.word == "estimate") {
         o.step_rule = StepRule::estimate;
       } else if (v.word == "bound") {
         o.step_rule = StepRule::bound;
       } else if (v.word == "backtracking") {
         o.step_rule = StepRule::backtracking;
       } else if (v.word == "normalized") {
         o.step_rule = StepRule::normalized;
       } else {
         o.step_rule = StepRule::fixed;
         o.step = v.number;
       }
     }},
    {"step-factor", "stepFactor", T::number, 0, 1, true, false, {}, 0, "0.9", nullptr, "C",
     kIht, false, "", nullptr,
     "c in the rules' step c / L̂_2s or c / upper, 0 < c ≤ 1", nullptr,
     [](RunOptions& o, const V& v) { o.step_factor = v.number; }},
    {"iters", "iters", T::integer, 1, 100000000, false, false, {}, 0, "1000", nullptr, "N",
     kIht, false, "", nullptr,
     "maximum IHT iterations, 1 to 100000000", nullptr,
     [](RunOptions& o, const V& v) { o.iters = static_cast<int>(v.number); }},
    {"seed", "seed", T::integer, 0, kMaxSafeInteger, false, false, {}, 0, "1", nullptr, "K",
     kAll, false, " (2^53 - 1)", nullptr,
     "seed of the split, θ_0 and the Monte Carlo pairs, 0 to 2^53 - 1", nullptr,
     [](RunOptions& o, const V& v) { o.seed = static_cast<std::uint64_t>(v.number); }},
    {"data", "data", T::text, 1, kNone, false, false, {}, 0, "iris", nullptr,
     "iris|digits|FILE.csv", kAll, false, "", "'iris', 'digits' or the path of a CSV file",
     "built-in IRIS or digits (8 × 8 images), or a CSV file (header row, label in the last column)",
     nullptr,
     [](RunOptions& o, const V& v) { o.data = v.word; }},
    {"label", "label", T::text, kNone, kNone, false, false, {}, 0, "", "the last column", "NAME",
     kAll, false, "", "the name of a column",
     "label column of the CSV", nullptr,
     [](RunOptions& o, const V& v) { o.label = v.word; }},
    {"test-fraction", "testFraction", T::number, 0, 1, false, true, {}, 0, "0.2", nullptr, "F",
     kAll, false, "", nullptr,
     "share of each class held out for testing, 0 ≤ F < 1 (0 = train on all)", nullptr,
     [](RunOptions& o, const V& v) { o.test_fraction = v.number; }},
    {"standardize", "standardize", T::boolean, kNone, kNone, false, false, {}, 0, "on", nullptr,
     "on|off", kAll, false, "", nullptr,
     "standardise features with the training set's mean and deviation", nullptr,
     [](RunOptions& o, const V& v) { o.standardize = v.flag; }},
    {"samples", "samples", T::integer, 1, 10000000, false, false, {}, 0, "1000", nullptr, "N",
     kAll, false, "", nullptr,
     "Monte Carlo pairs for L̂_2s, 1 to 10000000", nullptr,
     [](RunOptions& o, const V& v) { o.samples = static_cast<int>(v.number); }},
    {"scale", "scale", T::number, 0, kNone, true, false, {}, 0, "1", nullptr, "X",
     kAll, false, "", nullptr,
     "standard deviation of the Monte Carlo values, > 0", nullptr,
     [](RunOptions& o, const V& v) { o.scale = v.number; }},
    {"first-pair", "firstPair", T::integer, 0, kMaxSafeInteger, false, false, {}, 0, "0", nullptr,
     "K", kLipschitz, false, " (2^53 - 1)", nullptr,
     "index of the first Monte Carlo pair, to split one estimate across processes", nullptr,
     [](RunOptions& o, const V& v) { o.first_pair = static_cast<std::int64_t>(v.number); }},
    {"batch-size", "batchSize", T::integer, 0, kMaxInt, false, false, {}, 0, "0", nullptr, "N",
     kIht, false, " (0 = full batch)", nullptr,
     "mini-batch size for stochastic IHT (0 = full batch)", nullptr,
     [](RunOptions& o, const V& v) { o.batch_size = static_cast<int>(v.number); }},
    {"ridge", "ridge", T::number, 0, kNone, false, false, {}, 0, "0", nullptr, "λ",
     kAll, false, "", nullptr,
     "λ of a ridge term λ/2 ‖θ‖² added to the loss (the L0L2 problem; 0 = the paper's objective)",
     nullptr,
     [](RunOptions& o, const V& v) { o.ridge = v.number; }},
    {"tolerance", "tolerance", T::number, 0, kNone, false, false, {}, 0, "1e-9", nullptr, "X",
     kIht, false, "", nullptr,
     "stop when ‖θ_{k+1} − θ_k‖ ≤ X with an unchanged support", nullptr,
     [](RunOptions& o, const V& v) { o.tolerance = v.number; }},
    {"ht-tolerance", "htTolerance", T::number, 0, kNone, false, false, {}, 0, "1e-4", nullptr, "X",
     kIht, false, "", nullptr,
     "gradient ∞-norm treated as zero by the HT-stability check", nullptr,
     [](RunOptions& o, const V& v) { o.ht_tolerance = v.number; }},
    {"refine", "refine", T::boolean, kNone, kNone, false, false, {}, 0, "off", nullptr, "on|off",
     kIht, false, "", nullptr,
     "after each thresholding, minimise on the kept weights by Newton's method (HTP-style)",
     nullptr,
     [](RunOptions& o, const V& v) { o.refine = v.flag; }},
    {"stop-when-stable", "stopWhenStable", T::boolean, kNone, kNone, false, false, {}, 0, "off",
     nullptr, "on|off", kIht, false, "", nullptr,
     "end the run once it is HT-stable (status 'stable')", nullptr,
     [](RunOptions& o, const V& v) { o.stop_when_stable = v.flag; }},
    {"init-scale", "initScale", T::number, 0, kNone, true, false, {}, 0, "0.1", nullptr, "X",
     kIht, false, "", nullptr,
     "θ_0 = H_s(X · Glorot-normal draw), X > 0", nullptr,
     [](RunOptions& o, const V& v) { o.init_scale = v.number; }},
    {"s-grid", "sGrid", T::integer_list, 1, kMaxInt, false, false, {}, 10000, "",
     "every s up to n = 60, else about 40 values", "S,S,...", kSweep, false, "", nullptr,
     "the path's values of s, comma-separated (n, the dense baseline, is always added)", nullptr,
     [](RunOptions& o, const V& v) { o.s_grid = v.items; }},
    {"cv", "cv", T::integer, 0, 20, false, false, {}, 0, "0", nullptr, "K", kSweep, false,
     " (0 = none)", nullptr,
     "K-fold cross-validation inside the training split to choose s (0 = none, else 2 to 20)",
     nullptr,
     [](RunOptions& o, const V& v) { o.cv = static_cast<int>(v.number); }},
    {"warm", "warm", T::boolean, kNone, kNone, false, false, {}, 0, "on", nullptr, "on|off", kSweep,
     false, "", nullptr,
     "each s also starts warm from its neighbours' solutions and keeps the best", nullptr,
     [](RunOptions& o, const V& v) { o.warm = v.flag; }},
    {"baselines", "baselines", T::boolean, kNone, kNone, false, false, {}, 0, "on", nullptr,
     "on|off", kSweep, false, "", nullptr,
     "magnitude pruning and L1 at the same nonzero count, each retrained on its support", nullptr,
     [](RunOptions& o, const V& v) { o.baselines = v.flag; }},
    {"exact", "exact", T::boolean, kNone, kNone, false, false, {}, 0, "off", nullptr, "on|off",
     kSweep, false, "", nullptr,
     "enumerate every support for the global optimum per s (one softmax layer, ridge > 0)", nullptr,
     [](RunOptions& o, const V& v) { o.exact = v.flag; }},
    {"swaps", "swaps", T::boolean, kNone, kNone, false, false, {}, 0, "off", nullptr, "on|off",
     kSweep, false, "", nullptr,
     "after IHT, exchange a kept and a dropped weight while the optimum on the support improves",
     nullptr,
     [](RunOptions& o, const V& v) { o.swaps = v.flag; }},
    {"threads", "threads", T::integer, 0, 1024, false, false, {}, 0, "1", nullptr, "N", kSweep,
     false, " (0 = one per core)", nullptr,
     "threads that trace the path, the cross-validation folds and the baselines side by side "
     "(0 = one per core; WebAssembly has one thread and takes 0 and 1); the results do not "
     "depend on it",
     nullptr,
     [](RunOptions& o, const V& v) { o.threads = static_cast<int>(v.number); }},
    {"json", "json", T::boolean, kNone, kNone, false, false, {}, 0, "off", nullptr, "",
     kAll, true, "", nullptr,
     "print one JSON document (JavaScript field names) instead of text", nullptr,
     [](RunOptions& o, const V& v) { o.json = v.flag; }},
  };
  // clang-format on
}

}  // namespace

const char* option_type_name(OptionType type) {
  switch (type) {
    case OptionType::integer:
      return "integer";
    case OptionType::number:
      return "number";
    case OptionType::boolean:
      return "boolean";
    case OptionType::choice:
      return "choice";
    case OptionType::text:
      return "string";
    case OptionType::integer_list:
      return "integer-list";
  }
  return "string";
}

std::string OptionSpec::expected() const {
  if (expected_text != nullptr) return expected_text;
  std::string out;
  switch (type) {
    case OptionType::integer:
      if (open_above(*this)) {
        out = "an integer ≥ " + plain(min);
      } else {
        out = "an integer from " + plain(min) + " to " + plain(max);
      }
      break;
    case OptionType::number:
      out = choices.empty() ? number_range(*this)
                            : word_list(choices, "'", true) + " or " + number_range(*this);
      break;
    case OptionType::boolean:
      out = "on or off";
      break;
    case OptionType::choice:
      out = word_list(choices, "");
      break;
    case OptionType::text:
      out = "text";
      break;
    case OptionType::integer_list:
      out = "comma-separated integers from " + plain(min) + " to " + plain(max);
      break;
  }
  return out + note;
}

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> table = make_table();
  return table;
}

const OptionSpec* find_option(const std::string& name) {
  for (const OptionSpec& spec : option_table()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

Command parse_command(const std::string& name) {
  if (name == "train") return Command::train;
  if (name == "sweep") return Command::sweep;
  if (name == "lipschitz") return Command::lipschitz;
  throw InputError("unknown command '" + shown(name) +
                       "' (expected train, sweep or lipschitz; run 'iht --help')",
                   ErrorCode::unknown_option);
}

const char* step_rule_name(StepRule rule) {
  switch (rule) {
    case StepRule::fixed:
      return "fixed";
    case StepRule::automatic:
      return "auto";
    case StepRule::estimate:
      return "estimate";
    case StepRule::bound:
      return "bound";
    case StepRule::normalized:
      return "normalized";
    case StepRule::backtracking:
      return "backtracking";
  }
  return "fixed";
}

const char* command_name(Command c) {
  switch (c) {
    case Command::train:
      return "train";
    case Command::sweep:
      return "sweep";
    case Command::lipschitz:
      return "lipschitz";
  }
  return "?";
}

std::vector<std::string> option_names(Command c) {
  std::vector<std::string> names;
  for (const OptionSpec& spec : option_table()) {
    if (spec.takes(c)) names.emplace_back(spec.name);
  }
  return names;
}

RunOptions parse_options(Command c, const std::vector<std::pair<std::string, std::string>>& pairs) {
  RunOptions options;
  for (const auto& [name, value] : pairs) {
    const OptionSpec* spec = find_option(name);
    if (spec == nullptr || !spec->takes(c)) {
      std::string problem = "unknown option '" + shown(name) + "' for " + command_name(c);
      if (c == Command::sweep && name == "s") {
        problem = "sweep trains every s from 1 to n, so it takes no s";
      }
      throw InputError::unknown_option(shown(name), problem);
    }
    spec->apply(options, parse_value(*spec, value));
  }
  return options;
}

// Only an explicit s can be too large: the default is min(5, n), as the
// trainer applies it.
namespace {

// The shortest decimal text that reads back as x ("0.1", not "0.10000000000000001").
std::string number_text(double x) {
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
    if (std::strtod(buffer, nullptr) == x) break;
  }
  return buffer;
}

// A value set in code, checked against its entry as the parser checks text.
void check_value(const char* name, double value) {
  const OptionSpec& spec = *find_option(name);
  const bool whole = spec.type != OptionType::number;
  if (!std::isfinite(value) || !in_range(spec, value) || (whole && value != std::floor(value))) {
    bad_value(name, spec.expected(), number_text(value));
  }
}

}  // namespace

void validate_options(const RunOptions& o, Command c) {
  (void)c;
  if (o.s) check_value("s", *o.s);
  const OptionSpec& hidden = *find_option("hidden");
  const std::vector<int> widths = o.hidden.value_or(std::vector<int>{});
  if (widths.size() > static_cast<std::size_t>(hidden.max_items)) {
    bad_value("hidden", hidden.expected(), std::to_string(widths.size()) + " layers");
  }
  for (const int width : widths) check_value("hidden", width);
  if (o.step) check_value("step", *o.step);
  check_value("step-factor", o.step_factor);
  check_value("iters", o.iters);
  check_value("seed", static_cast<double>(o.seed));
  // (data and label say where a run loads its data from, which load_dataset
  // checks; a data set handed to train() is already loaded.)
  check_value("test-fraction", o.test_fraction);
  check_value("samples", o.samples);
  check_value("scale", o.scale);
  check_value("first-pair", static_cast<double>(o.first_pair));
  check_value("batch-size", o.batch_size);
  check_value("ridge", o.ridge);
  check_value("tolerance", o.tolerance);
  check_value("ht-tolerance", o.ht_tolerance);
  check_value("init-scale", o.init_scale);
  for (const int s : o.s_grid) check_value("s-grid", s);
  check_value("cv", o.cv);
  if (o.cv == 1) throw InputError::bad_option("cv", "expected 0 (none) or 2 to 20 folds, got 1");
  check_value("threads", o.threads);
#if !SPARSE_IHT_THREADS
  if (o.threads > 1) {
    throw InputError::bad_option("threads", "is " + std::to_string(o.threads) +
                                                ", but this build runs on one thread "
                                                "(WebAssembly has no threads here): use 1 or 0");
  }
#endif
}

void validate_against_model(const RunOptions& options, Command c, int n) {
  if (c == Command::sweep || !options.s) return;
  if (*options.s > n) {
    throw InputError::bad_option("s", std::to_string(*options.s) + " is more than the " +
                                          std::to_string(n) + " parameters of the network");
  }
}

}  // namespace sparse_iht
