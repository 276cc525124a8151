#include "sparse_iht/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "sparse_iht/error.hpp"

namespace sparse_iht {
namespace {

constexpr std::int64_t kMaxSeed = (std::int64_t{1} << 53) - 1;  // exact in a JS number
constexpr int kMaxIters = 100000000;
constexpr int kMaxSamples = 10000000;
constexpr int kMaxLayerWidth = 4096;
constexpr std::size_t kMaxHiddenLayers = 8;

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
  throw InputError("--" + name + ": expected " + expected + ", got '" + shown(value) + "'");
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

int integer_in(const std::string& name, const std::string& value, std::int64_t lo, std::int64_t hi,
               const std::string& expected) {
  const auto v = parse_integer(value);
  if (!v || *v < lo || *v > hi) bad_value(name, expected, value);
  return static_cast<int>(*v);
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

bool parse_switch(const std::string& name, const std::string& value, const std::string& expected) {
  if (value == "on" || value == "true") return true;
  if (value == "off" || value == "false") return false;
  bad_value(name, expected, value);
}

std::vector<int> parse_hidden(const std::string& value) {
  const std::string expected = "comma-separated layer widths from 1 to " +
                               std::to_string(kMaxLayerWidth) + " (at most " +
                               std::to_string(kMaxHiddenLayers) + " layers, '' for none)";
  std::vector<int> widths;
  const auto first = value.find_first_not_of(' ');
  if (first == std::string::npos) return widths;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    std::string item = value.substr(start, comma - start);
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
    const auto w = parse_integer(item);
    if (!w || *w < 1 || *w > kMaxLayerWidth) bad_value("hidden", expected, value);
    widths.push_back(static_cast<int>(*w));
    if (widths.size() > kMaxHiddenLayers) bad_value("hidden", expected, value);
    if (comma == value.size()) break;
    start = comma + 1;
  }
  return widths;
}

Activation parse_activation_option(const std::string& value) {
  if (value == "tanh") return Activation::tanh;
  if (value == "relu") return Activation::relu;
  if (value == "sigmoid") return Activation::sigmoid;
  bad_value("activation", "tanh, relu or sigmoid", value);
}

double number_where(const std::string& name, const std::string& value, const std::string& expected,
                    bool (*ok)(double)) {
  const auto v = parse_number(value);
  if (!v || !ok(*v)) bad_value(name, expected, value);
  return *v;
}

void apply(RunOptions& o, const std::string& name, const std::string& value) {
  if (name == "s") {
    o.s = integer_in(name, value, 1, INT32_MAX, "an integer ≥ 1");
  } else if (name == "hidden") {
    o.hidden = parse_hidden(value);
  } else if (name == "activation") {
    o.activation = parse_activation_option(value);
  } else if (name == "step") {
    if (value == "auto") {
      o.step.reset();
    } else {
      o.step = number_where(name, value, "'auto' or a number > 0", [](double x) { return x > 0; });
    }
  } else if (name == "step-factor") {
    o.step_factor =
        number_where(name, value, "a number in (0, 1]", [](double x) { return x > 0 && x <= 1; });
  } else if (name == "iters") {
    o.iters =
        integer_in(name, value, 1, kMaxIters, "an integer from 1 to " + std::to_string(kMaxIters));
  } else if (name == "seed") {
    const auto v = parse_integer(value);
    if (!v || *v < 0 || *v > kMaxSeed) {
      bad_value(name, "an integer from 0 to " + std::to_string(kMaxSeed) + " (2^53 - 1)", value);
    }
    o.seed = static_cast<std::uint64_t>(*v);
  } else if (name == "data") {
    if (value.empty()) bad_value(name, "'iris' or the path of a CSV file", value);
    o.data = value;
  } else if (name == "label") {
    o.label = value;
  } else if (name == "test-fraction") {
    o.test_fraction =
        number_where(name, value, "a number in [0, 1)", [](double x) { return x >= 0 && x < 1; });
  } else if (name == "standardize") {
    o.standardize = parse_switch(name, value, "on or off");
  } else if (name == "samples") {
    o.samples = integer_in(name, value, 1, kMaxSamples,
                           "an integer from 1 to " + std::to_string(kMaxSamples));
  } else if (name == "scale") {
    o.scale = number_where(name, value, "a number > 0", [](double x) { return x > 0; });
  } else if (name == "batch-size") {
    o.batch_size = integer_in(name, value, 0, INT32_MAX, "an integer ≥ 0 (0 = full batch)");
  } else if (name == "tolerance") {
    o.tolerance = number_where(name, value, "a number ≥ 0", [](double x) { return x >= 0; });
  } else if (name == "init-scale") {
    o.init_scale = number_where(name, value, "a number > 0", [](double x) { return x > 0; });
  } else if (name == "ht-tolerance") {
    o.ht_tolerance = number_where(name, value, "a number ≥ 0", [](double x) { return x >= 0; });
  } else if (name == "json") {
    o.json = parse_switch(name, value, "on or off");
  }
}

}  // namespace

Command parse_command(const std::string& name) {
  if (name == "train") return Command::train;
  if (name == "sweep") return Command::sweep;
  if (name == "lipschitz") return Command::lipschitz;
  throw InputError("unknown command '" + shown(name) +
                   "' (expected train, sweep or lipschitz; run 'iht --help')");
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
  switch (c) {
    case Command::train:
      return {"s",     "hidden",     "activation", "step",          "step-factor", "iters",
              "seed",  "data",       "label",      "test-fraction", "standardize", "samples",
              "scale", "batch-size", "tolerance",  "ht-tolerance",  "init-scale",  "json"};
    case Command::sweep:
      return {"hidden",     "activation", "step",          "step-factor", "iters",   "seed",
              "data",       "label",      "test-fraction", "standardize", "samples", "scale",
              "batch-size", "tolerance",  "ht-tolerance",  "init-scale",  "json"};
    case Command::lipschitz:
      return {"s",           "hidden",  "activation", "seed", "data", "label", "test-fraction",
              "standardize", "samples", "scale",      "json"};
  }
  return {};
}

RunOptions parse_options(Command c, const std::vector<std::pair<std::string, std::string>>& pairs) {
  const auto names = option_names(c);
  const std::string command = std::string("iht ") + command_name(c);
  RunOptions options;
  for (const auto& [name, value] : pairs) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      if (c == Command::sweep && name == "s") {
        throw InputError(
            "--s: 'iht sweep' trains every s from 1 to n, so it takes no --s (use "
            "'iht train --s N' for one s)");
      }
      throw InputError("unknown option --" + shown(name) + " for '" + command + "' (run '" +
                       command + " --help')");
    }
    apply(options, name, value);
  }
  return options;
}

// Only an explicit s can be too large: the default is min(5, n), as the
// trainer applies it.
void validate_against_model(const RunOptions& options, Command c, int n) {
  if (c == Command::sweep || !options.s) return;
  if (*options.s > n) {
    throw InputError("--s: " + std::to_string(*options.s) + " is more than the " +
                     std::to_string(n) + " parameters of the network");
  }
}

}  // namespace sparse_iht
