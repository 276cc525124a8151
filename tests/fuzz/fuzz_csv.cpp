// libFuzzer target: parse_csv on arbitrary bytes (issue #5), and CsvReader on
// the same bytes in pieces (issue #11).
//
// Input: the CSV text, optionally followed by a NUL byte and the name of the
// label column (the bytes after the last NUL). Every input must either parse
// or raise an InputError with a one-line message that starts with the source
// name; a parsed data set must be consistent: as many labels as sample
// columns, finite values, ≥ 2 classes each with a sample, unique non-empty
// feature names. Properties checked on the side:
//   - tighter limits (max_line_bytes, max_columns) only ever reject more, and
//     what they accept parses to the same data;
//   - a byte-order mark in front, or CRLF for LF line ends (when the text has
//     no quotes and no CR of its own), change nothing: same data or same error;
//   - a CsvReader fed the text in pieces gives what parse_csv gives on the
//     whole of it: the same data, or the same error (message, code, option,
//     line, column). The pieces come from the input: its first byte picks a
//     chunk size, and its bytes in turn give the lengths of an irregular split,
//     so the fuzzer moves the cuts as it mutates the text.
// A missing label column is an error of the label option: its message is
// "label: " followed by the problem, which starts with the source name.
// Build: scripts/test-fuzz.sh (clang, -fsanitize=fuzzer,address,undefined).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../common/utf8.hpp"
#include "sparse_iht/csv.hpp"
#include "sparse_iht/error.hpp"

namespace {

namespace si = sparse_iht;

const std::string kSource = "fuzz.csv";

[[noreturn]] void fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz_csv: %s%s%s\n", what, detail.empty() ? "" : ": ", detail.c_str());
  std::abort();
}

using sparse_iht_test::valid_utf8;

struct Outcome {
  bool ok = false;
  si::Dataset data;
  std::string error;
  si::ErrorCode code = si::ErrorCode::bad_data;
  std::string option;
  std::size_t line = 0;
  std::size_t column = 0;
};

void check_error(Outcome& o, const si::InputError& e) {
  o.error = e.what();
  o.code = e.code();
  o.option = e.option();
  o.line = e.line();
  o.column = e.column();
  // One readable line that names the source (after the option's name, when
  // the option is at fault).
  if (!o.option.empty()) {
    if (o.option != "label") fail("an option other than label", o.error);
    if (o.error != o.option + ": " + e.problem()) fail("message is not option: problem", o.error);
  }
  if (e.problem().rfind(kSource + ": ", 0) != 0) {
    fail("message does not start with the source", o.error);
  }
  if (o.error.find('\n') != std::string::npos || o.error.find('\r') != std::string::npos) {
    fail("message spans lines", o.error);
  }
  if (!valid_utf8(o.error)) fail("message is not valid UTF-8", o.error);
  // Cells and names are cut short in messages; the longest is the list of
  // 20 column names of 60 characters (4 bytes each at most).
  if (o.error.size() > 6000) fail("message too long", o.error.substr(0, 200));
}

Outcome parse(std::string_view text, const std::string& label, const si::CsvLimits& limits) {
  Outcome o;
  try {
    o.data = si::parse_csv(text, label, kSource, limits);
    o.ok = true;
  } catch (const si::InputError& e) {
    check_error(o, e);
  }
  // Anything else (std::bad_alloc, std::length_error, an Eigen assertion)
  // escapes and libFuzzer reports it.
  return o;
}

// The text fed to a CsvReader in pieces of the given lengths, taken in turn
// (a length of 0 feeds an empty piece).
Outcome parse_in_pieces(std::string_view text, const std::string& label,
                        const si::CsvLimits& limits, const std::vector<std::size_t>& lengths) {
  Outcome o;
  si::CsvReader reader(label, kSource, limits);
  try {
    std::size_t at = 0;
    for (std::size_t i = 0; at < text.size(); ++i) {
      const std::size_t n = std::min(lengths[i % lengths.size()], text.size() - at);
      reader.feed(text.substr(at, n));
      at += n;
    }
    if (reader.bytes_fed() != text.size()) fail("bytes_fed is not the bytes fed");
    o.data = reader.finish();
    o.ok = true;
  } catch (const si::InputError& e) {
    check_error(o, e);
  }
  return o;
}

void check_dataset(const si::Dataset& d, const std::string& label) {
  const auto features = static_cast<std::size_t>(d.x.rows());
  const auto samples = static_cast<std::size_t>(d.x.cols());
  if (features == 0) fail("no feature columns");
  if (d.feature_names.size() != features) fail("feature names and rows of x differ");
  if (d.y.size() != samples) fail("labels and columns of x differ");
  if (samples == 0) fail("no samples");
  if (d.class_names.size() < 2) fail("fewer than 2 classes");
  std::set<std::string> names;
  for (const auto& name : d.feature_names) {
    if (name.empty()) fail("empty feature name");
    if (!names.insert(name).second) fail("duplicate feature name", name);
    if (!label.empty() && name == label) fail("the label column is also a feature", name);
  }
  std::set<std::string> classes(d.class_names.begin(), d.class_names.end());
  if (classes.size() != d.class_names.size()) fail("duplicate class name");
  std::vector<int> counts(d.class_names.size(), 0);
  for (const int y : d.y) {
    if (y < 0 || static_cast<std::size_t>(y) >= d.class_names.size()) fail("label out of range");
    ++counts[static_cast<std::size_t>(y)];
  }
  for (const int c : counts) {
    if (c == 0) fail("a class without samples");
  }
  for (Eigen::Index j = 0; j < d.x.cols(); ++j) {
    for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
      if (!std::isfinite(d.x(i, j))) fail("a value is not finite");
    }
  }
}

bool same_data(const si::Dataset& a, const si::Dataset& b) {
  return a.feature_names == b.feature_names && a.class_names == b.class_names && a.y == b.y &&
         a.x.rows() == b.x.rows() && a.x.cols() == b.x.cols() && a.x == b.x;
}

void check_same(const Outcome& a, const Outcome& b, const char* what) {
  if (a.ok != b.ok) fail(what, a.ok ? "accepted one, rejected the other: " + b.error : a.error);
  if (a.ok ? !same_data(a.data, b.data) : a.error != b.error) {
    fail(what, a.ok ? "different data" : a.error + " | " + b.error);
  }
}

// Also the error's fields, and the values bit for bit (-0.0 is not 0.0).
void check_identical(const Outcome& a, const Outcome& b, const char* what) {
  check_same(a, b, what);
  if (a.ok) {
    const auto bytes = static_cast<std::size_t>(a.data.x.size()) * sizeof(double);
    if (bytes > 0 && std::memcmp(a.data.x.data(), b.data.x.data(), bytes) != 0) {
      fail(what, "values differ in their bits");
    }
  } else if (a.code != b.code || a.option != b.option || a.line != b.line || a.column != b.column) {
    fail(what, "same message, different code, option, line or column: " + a.error);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  std::string_view text = input;
  std::string label;
  const std::size_t nul = input.rfind('\0');
  if (nul != std::string_view::npos) {
    text = input.substr(0, nul);
    label = std::string(input.substr(nul + 1));
  }

  const si::CsvLimits defaults;
  const Outcome base = parse(text, label, defaults);
  if (base.ok) check_dataset(base.data, label);

  // Tighter limits, drawn from the input: they may only reject more.
  si::CsvLimits tight;
  tight.max_line_bytes = 1 + size % 97;
  tight.max_columns = 1 + size % 13;
  const Outcome limited = parse(text, label, tight);
  if (limited.ok) {
    if (!base.ok) fail("tighter limits accepted what the defaults rejected", base.error);
    if (!same_data(limited.data, base.data)) fail("tighter limits changed the data");
  }

  // A byte-order mark in front changes nothing.
  if (text.substr(0, 3) != "\xEF\xBB\xBF") {
    const Outcome bom = parse("\xEF\xBB\xBF" + std::string(text), label, defaults);
    check_same(base, bom, "a BOM changed the outcome");
  }
  // CRLF for LF changes nothing when no quoted field could hold a line end
  // and no CR is there already.
  if (text.find('"') == std::string_view::npos && text.find('\r') == std::string_view::npos &&
      text.find('\n') != std::string_view::npos) {
    std::string crlf;
    crlf.reserve(text.size() * 2);
    for (const char c : text) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    check_same(base, parse(crlf, label, defaults), "CRLF line ends changed the outcome");
  }

  // In pieces: of a size the first byte picks, and of lengths the bytes give
  // in turn (0 to 7: empty pieces too), with the default and the tight limits.
  if (!input.empty()) {
    const std::vector<std::size_t> fixed = {1 + static_cast<std::size_t>(bytes[0] % 16)};
    check_identical(base, parse_in_pieces(text, label, defaults, fixed),
                    "fed in pieces of a fixed size, the outcome changed");
    std::vector<std::size_t> irregular;
    for (std::size_t i = 0; i < std::min<std::size_t>(size, 64); ++i) {
      irregular.push_back(static_cast<std::size_t>(bytes[size - 1 - i] % 8));
    }
    irregular.push_back(1);  // so that the pieces are never all empty
    check_identical(base, parse_in_pieces(text, label, defaults, irregular),
                    "fed in irregular pieces, the outcome changed");
    check_identical(limited, parse_in_pieces(text, label, tight, irregular),
                    "fed in irregular pieces with tight limits, the outcome changed");
  }
  return 0;
}
