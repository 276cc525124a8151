// libFuzzer target: the `iht` command line, run_cli, on fuzzed arguments and
// a fuzzed CSV file (issue #5).
//
// Input: the first line holds the arguments, separated by single spaces (an
// empty argument is two spaces in a row); the rest of the input is the text
// of every file --data names, except paths starting with "missing", which the
// reader cannot find. Example:
//   train --s 3 --data x.csv --json
//   a,b,label
//   1,2,x
//   ...
// run_cli must never crash; it returns 0 (output on stdout, nothing on
// stderr) or 2 (nothing on stdout, one line "iht: ..." on stderr). Status 1, an
// internal error, is a finding too: bad input must be reported as bad input.
//
// Work is kept small, so that no input takes more than a fraction of a second
// under the sanitizers: values of --iters and --samples above a cap are
// lowered to it (after the command, "--iters 20 --samples 20" is inserted as
// new defaults, which the input's own values override), hidden widths above 8
// are lowered to 8, and an input whose work bound (rows × parameters ×
// gradient evaluations, × n + 1 for a sweep) is still too large is skipped.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "../common/utf8.hpp"
#include "sparse_iht/cli.hpp"
#include "sparse_iht/csv.hpp"
#include "sparse_iht/error.hpp"

namespace {

namespace si = sparse_iht;

constexpr long long kMaxIters = 20;
constexpr long long kMaxSamples = 20;
constexpr long long kMaxWidth = 8;
// Bound on rows × parameters × gradient evaluations (times n + 1 for a sweep):
// about 30 ns a unit under ASan + UBSan at -O1, so at most ~0.15 s an input.
constexpr double kMaxWork = 5e6;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_options: %s: %s\n", what, detail.c_str());
  std::abort();
}

using sparse_iht_test::valid_utf8;

// A whole decimal integer as the option parser reads it (optional '-', digits;
// leading zeros allowed); saturates instead of overflowing.
bool integer_value(const std::string& text, long long& value) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  if (i == text.size()) return false;
  long long v = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = std::min<long long>(v * 10 + (text[i] - '0'), 1000000000000LL);
  }
  value = negative ? -v : v;
  return true;
}

std::string clamp_integer(const std::string& text, long long cap) {
  long long v = 0;
  if (integer_value(text, v) && v > cap) return std::to_string(cap);
  return text;
}

std::string clamp_widths(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, comma - start);
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    const std::string bare = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    out += clamp_integer(bare, kMaxWidth) == bare ? item : std::to_string(kMaxWidth);
    if (comma == text.size()) break;
    out += ',';
    start = comma + 1;
  }
  return out;
}

// The clamped value of option `name`, or the value unchanged.
std::string clamp(const std::string& name, const std::string& value) {
  if (name == "iters") return clamp_integer(value, kMaxIters);
  if (name == "samples") return clamp_integer(value, kMaxSamples);
  if (name == "hidden") return clamp_widths(value);
  return value;
}

void clamp_args(std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) continue;
    const std::size_t eq = a.find('=');
    if (eq != std::string::npos) {
      const std::string name = a.substr(2, eq - 2);
      args[i] = a.substr(0, eq + 1) + clamp(name, a.substr(eq + 1));
    } else if (i + 1 < args.size()) {
      args[i + 1] = clamp(a.substr(2), args[i + 1]);
    }
  }
}

// Largest value the input gives option `name` (any form), or `fallback`.
long long max_integer(const std::vector<std::string>& args, const std::string& name,
                      long long fallback) {
  long long best = fallback;
  const std::string flag = "--" + name;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (args[i] == flag && i + 1 < args.size()) {
      value = args[i + 1];
    } else if (args[i].rfind(flag + "=", 0) == 0) {
      value = args[i].substr(flag.size() + 1);
    } else {
      continue;
    }
    long long v = 0;
    if (integer_value(value, v)) best = std::max(best, v);
  }
  return best;
}

// An upper bound on the work run_cli will do, in row × parameter units.
double work_bound(const std::vector<std::string>& args, std::string_view csv) {
  if (args.empty()) return 0;
  const std::string& command = args[0];
  if (command != "train" && command != "sweep" && command != "lipschitz") return 0;
  // The data and label column as the parser sees them (the last of each
  // wins): IRIS or the digits (built in), or the CSV, which the command line
  // reads in full.
  std::string data = "iris", label;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--data" && i + 1 < args.size()) data = args[i + 1];
    if (args[i].rfind("--data=", 0) == 0) data = args[i].substr(7);
    if (args[i] == "--label" && i + 1 < args.size()) label = args[i + 1];
    if (args[i].rfind("--label=", 0) == 0) label = args[i].substr(8);
  }
  double rows = 150, inputs = 4, classes = 3;
  if (data == "digits") {
    // Even without its default hidden layer of 32 the digits' network (n = 650)
    // is far over the bound: every digits input is skipped.
    rows = 1797;
    inputs = 64;
    classes = 10;
  } else if (data != "iris") {
    try {
      const si::Dataset parsed = si::parse_csv(csv, label, "fuzz.csv");
      rows = parsed.num_samples();
      inputs = parsed.num_features();
      classes = parsed.num_classes();
    } catch (const si::InputError&) {
      return 0;  // rejected before any training (or an empty path, or "missing…")
    }
  }
  // Widest hidden layers: every layer at the largest width given (≤ 8 after
  // clamping), as many layers as the longest list.
  double layers = 0;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string value;
    if (args[i] == "--hidden" && i + 1 < args.size())
      value = args[i + 1];
    else if (args[i].rfind("--hidden=", 0) == 0)
      value = args[i].substr(9);
    else
      continue;
    layers =
        std::max(layers, 1.0 + static_cast<double>(std::count(value.begin(), value.end(), ',')));
  }
  double n = 0, width = inputs;
  for (int l = 0; l < static_cast<int>(layers); ++l) {
    n += (width + 1) * kMaxWidth;
    width = kMaxWidth;
  }
  n += (width + 1) * classes;
  const double iters = static_cast<double>(max_integer(args, "iters", kMaxIters));
  const double samples = static_cast<double>(max_integer(args, "samples", kMaxSamples));
  // Each iteration: a gradient, the loss, train and test accuracy.
  const double evaluations = command == "lipschitz" ? 2 * samples : 4 * iters + 2 * samples + 10;
  const double runs = command == "sweep" ? n + 1 : 1;
  return rows * n * evaluations * runs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const std::size_t newline = input.find('\n');
  const std::string_view line = input.substr(0, newline);
  const std::string_view csv =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  std::vector<std::string> args;
  if (!line.empty()) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t space = std::min(line.find(' ', start), line.size());
      args.emplace_back(line.substr(start, space - start));
      if (space == line.size()) break;
      start = space + 1;
    }
  }
  const bool utf8_input = valid_utf8(input);

  clamp_args(args);
  if (!args.empty() && (args[0] == "train" || args[0] == "sweep" || args[0] == "lipschitz")) {
    std::vector<std::string> defaults = {"--samples", std::to_string(kMaxSamples)};
    if (args[0] != "lipschitz")
      defaults = {"--iters", std::to_string(kMaxIters), "--samples", std::to_string(kMaxSamples)};
    args.insert(args.begin() + 1, defaults.begin(), defaults.end());
  }
  if (work_bound(args, csv) > kMaxWork)
    return -1;  // too slow to be worth it: not kept in the corpus

  const si::FileReader reader = [csv](const std::string& path) -> std::string {
    if (path.rfind("missing", 0) == 0)
      throw si::InputError("cannot read '" + path + "': no such file");
    return std::string(csv);
  };
  std::ostringstream out, err;
  const int status = si::run_cli(args, out, err, reader);
  const std::string o = out.str(), e = err.str();

  std::string joined;
  for (const auto& a : args) joined += "'" + a + "' ";
  if (status == 0) {
    if (!e.empty()) fail("status 0 with a message", joined + "-> " + e);
    if (o.empty()) fail("status 0 and no output", joined);
  } else if (status == 2) {
    if (!o.empty()) fail("status 2 with output", joined + "-> " + o.substr(0, 200));
    if (e.rfind("iht: ", 0) != 0 || e.back() != '\n' || std::count(e.begin(), e.end(), '\n') != 1) {
      fail("status 2 without one 'iht: ' line", joined + "-> " + e);
    }
    if (e.size() > 8000) fail("message too long", e.substr(0, 200));
    if (utf8_input && !valid_utf8(e)) fail("message is not valid UTF-8", joined + "-> " + e);
  } else if (status == 1) {
    fail("internal error on user input", joined + "-> " + e);
  } else {
    fail("unexpected exit status", std::to_string(status));
  }
  return 0;
}
