#include "sparse_iht/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sparse_iht/error.hpp"

namespace sparse_iht {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is
// invalid (stray continuation byte, overlong form, surrogate, above U+10FFFF,
// or cut short).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const auto continuation = [&](std::size_t k) {
    return i + k < text.size() && (byte(k) & 0xC0U) == 0x80U;
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80U) return 1;
  if (lead < 0xC2U) return 0;
  if (lead < 0xE0U) return continuation(1) ? 2 : 0;
  if (lead < 0xF0U) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0U && byte(1) < 0xA0U) return 0;
    if (lead == 0xEDU && byte(1) >= 0xA0U) return 0;
    return 3;
  }
  if (lead < 0xF5U) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0U && byte(1) < 0x90U) return 0;
    if (lead == 0xF4U && byte(1) >= 0x90U) return 0;
    return 4;
  }
  return 0;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// A cell or column name as it appears in a one-line message: control
// characters escaped, long text cut at a character boundary.
std::string escaped(std::string_view s) {
  constexpr std::size_t kMaxShown = 60;
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (i >= kMaxShown) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c >= 0x80U && utf8_length(s, i) > 0) {
      // Copy the whole sequence so that cutting the text never splits one.
      const std::size_t n = utf8_length(s, i);
      out.append(s.substr(i, n));
      i += n;
      continue;
    } else if (c < 0x20U || c >= 0x7FU) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(c));
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  return out;
}

std::string quoted(std::string_view s) { return "'" + escaped(s) + "'"; }

enum class NumberStatus { kOk, kEmpty, kNotNumber, kNotFinite };

NumberStatus parse_number(std::string_view cell, double& value) {
  cell = trim(cell);
  if (cell.empty()) return NumberStatus::kEmpty;
  // strtod would skip other leading white space (e.g. a newline in a quoted cell).
  if (static_cast<unsigned char>(cell.front()) <= 0x20U) return NumberStatus::kNotNumber;
  // strtod also reads C99 hexadecimal ("0x1A", "0x1p3"); a CSV cell like that is
  // far more likely an identifier or a colour code than a number.
  if (cell.find_first_of("xX") != std::string_view::npos) return NumberStatus::kNotNumber;
  // strtod needs a terminated string; short cells, the usual case, use the stack.
  char small[64];
  std::string large;
  const char* begin = nullptr;
  if (cell.size() < sizeof small) {
    std::memcpy(small, cell.data(), cell.size());
    small[cell.size()] = '\0';
    begin = small;
  } else {
    large.assign(cell);
    begin = large.c_str();
  }
  char* end = nullptr;
  value = std::strtod(begin, &end);
  if (end != begin + cell.size()) return NumberStatus::kNotNumber;
  // Overflow ("1e999") comes back as ±HUGE_VAL, so this catches it with NaN and Inf.
  if (!std::isfinite(value)) return NumberStatus::kNotFinite;
  return NumberStatus::kOk;
}

// An optionally signed decimal integer that fits in a long long.
bool parse_integer(std::string_view s, long long& value) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  if (i == s.size()) return false;
  // Accumulate as a negative number so that the minimum long long fits.
  long long acc = 0;
  constexpr long long kMin = std::numeric_limits<long long>::min();
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const int digit = s[i] - '0';
    if (acc < (kMin + digit) / 10) return false;
    acc = acc * 10 - digit;
  }
  if (!negative) {
    if (acc == kMin) return false;
    acc = -acc;
  }
  value = acc;
  return true;
}

// Splits the text into records, one at a time, without copying unquoted
// fields: a field is a view into the text, or into `arena_` when it held
// doubled quotes that had to be collapsed.
class Scanner {
 public:
  Scanner(std::string_view text, const std::string& source, const CsvLimits& limits)
      : text_(text), source_(source), limits_(limits) {
    if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
      pos_ = 3;
      line_start_ = 3;
    }
  }

  // Reads the next non-blank record; false at the end of the text.
  bool next() {
    while (pos_ < text_.size()) {
      read_record();
      const bool blank = spans_.size() == 1 && !spans_[0].quoted && spans_[0].length == 0;
      if (!blank) return true;
    }
    return false;
  }

  std::size_t line() const { return record_line_; }
  std::size_t size() const { return spans_.size(); }
  std::string_view field(std::size_t i) const {
    const Span& span = spans_[i];
    const std::string_view base = span.in_arena ? std::string_view(arena_) : text_;
    return base.substr(span.begin, span.length);
  }

  [[noreturn]] void fail(std::size_t line, const std::string& problem,
                         std::size_t column = 0) const {
    throw InputError::in_data(source_ + ": line " + std::to_string(line) + ": " + problem, line,
                              column);
  }

 private:
  struct Span {
    std::size_t begin;
    std::size_t length;
    bool in_arena;
    bool quoted;
  };

  bool at_line_end() const {
    return pos_ >= text_.size() || text_[pos_] == '\n' || text_[pos_] == '\r';
  }

  // The line is too long once a byte other than its terminator sits at or
  // beyond offset max_line_bytes. Checked at every place the scan can stop.
  void check_line_length() const {
    const std::size_t used = pos_ - line_start_;
    const std::size_t max = limits_.max_line_bytes;
    if (used > max || (used == max && !at_line_end())) {
      fail(line_, "line longer than " + std::to_string(max) + " bytes");
    }
  }

  // Where a scan within the current line must pause to check its length.
  std::size_t line_stop() const {
    const std::size_t max = limits_.max_line_bytes;
    const std::size_t room = text_.size() - line_start_;
    return line_start_ + std::min(room, max);
  }

  void check_utf8() {
    const std::size_t n = utf8_length(text_, pos_);
    if (n == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X",
                    static_cast<unsigned>(static_cast<unsigned char>(text_[pos_])));
      fail(line_, std::string("invalid UTF-8 (byte ") + hex + " at byte " +
                      std::to_string(pos_ - line_start_ + 1) + " of the line)");
    }
    pos_ += n;
  }

  // Consumes "\r\n", "\n" or a lone "\r" at pos_.
  void end_line() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  void read_record() {
    spans_.clear();
    arena_.clear();
    record_line_ = line_;
    for (;;) {
      if (spans_.size() >= limits_.max_columns) {
        fail(record_line_, "more than " + std::to_string(limits_.max_columns) + " columns");
      }
      while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
      check_line_length();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        read_quoted();
      } else {
        read_unquoted();
      }
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size()) end_line();
      return;
    }
  }

  void read_unquoted() {
    const std::size_t begin = pos_;
    const std::size_t stop = line_stop();
    while (pos_ < stop) {
      const char c = text_[pos_];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (static_cast<unsigned char>(c) >= 0x80U) {
        check_utf8();
      } else {
        ++pos_;
      }
    }
    // Stopping short of a delimiter means the line reached the limit.
    check_line_length();
    const std::string_view cell = trim(text_.substr(begin, pos_ - begin));
    spans_.push_back(
        {static_cast<std::size_t>(cell.data() - text_.data()), cell.size(), false, false});
  }

  void read_quoted() {
    const std::size_t open_line = line_;
    ++pos_;
    std::size_t segment = pos_;
    const std::size_t arena_begin = arena_.size();
    bool in_arena = false;
    for (;;) {
      const std::size_t stop = line_stop();
      while (pos_ < stop) {
        const char c = text_[pos_];
        if (c == '"' || c == '\n' || c == '\r') break;
        if (static_cast<unsigned char>(c) >= 0x80U) {
          check_utf8();
        } else {
          ++pos_;
        }
      }
      check_line_length();
      if (pos_ >= text_.size()) {
        fail(open_line, "unterminated quoted field (the quote opened here is never closed)");
      }
      const char c = text_[pos_];
      if (c == '\n' || c == '\r') {
        end_line();
      } else if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          // A doubled quote: keep one of the two.
          arena_.append(text_.substr(segment, pos_ + 1 - segment));
          in_arena = true;
          pos_ += 2;
          segment = pos_;
        } else {
          break;
        }
      }
    }
    Span span{};
    if (in_arena) {
      arena_.append(text_.substr(segment, pos_ - segment));
      span = {arena_begin, arena_.size() - arena_begin, true, true};
    } else {
      span = {segment, pos_ - segment, false, true};
    }
    ++pos_;  // the closing quote
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    check_line_length();
    if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      const std::size_t n = utf8_length(text_, pos_);
      if (n == 0) check_utf8();  // reports the invalid byte
      fail(line_, "unexpected " + quoted(text_.substr(pos_, n)) +
                      " after a closing quote (a quote inside a quoted field is written \"\")");
    }
    spans_.push_back(span);
  }

  std::string_view text_;
  const std::string& source_;
  const CsvLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t record_line_ = 1;
  std::vector<Span> spans_;
  std::string arena_;
};

std::string column_list(const std::vector<std::string>& names) {
  constexpr std::size_t kMaxListed = 20;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i) {
    if (i > 0) out += ", ";
    out += escaped(names[i]);
  }
  if (names.size() > kMaxListed) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

// Final class names and the map from labels in order of first appearance to
// class indices.
struct Classes {
  std::vector<std::string> names;
  std::vector<int> index_of_label;
};

Classes number_classes(const std::vector<std::string>& labels) {
  Classes out;
  std::vector<long long> values(labels.size());
  bool all_integers = true;
  for (std::size_t i = 0; i < labels.size() && all_integers; ++i) {
    all_integers = parse_integer(labels[i], values[i]);
  }
  if (!all_integers) {
    out.names = labels;
    out.index_of_label.resize(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) out.index_of_label[i] = static_cast<int>(i);
    return out;
  }
  // Numeric order; texts with the same value ("1", "01", "+1") are one class,
  // named by the value's plain decimal text.
  std::vector<long long> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const long long v : sorted) out.names.push_back(std::to_string(v));
  out.index_of_label.resize(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    out.index_of_label[i] = static_cast<int>(
        std::lower_bound(sorted.begin(), sorted.end(), values[i]) - sorted.begin());
  }
  return out;
}

}  // namespace

Dataset parse_csv(std::string_view text, const std::string& label_column, const std::string& source,
                  const CsvLimits& limits) {
  Scanner scanner(text, source, limits);
  if (!scanner.next()) {
    throw InputError::in_data(source + ": the file is empty (expected a header row)", 0);
  }

  // Header.
  const std::size_t header_line = scanner.line();
  const std::size_t columns = scanner.size();
  std::vector<std::string> names;
  names.reserve(columns);
  for (std::size_t i = 0; i < columns; ++i) names.emplace_back(scanner.field(i));
  const auto header_error = [&](const std::string& problem, std::size_t column = 0) {
    scanner.fail(header_line, problem, column);
  };
  if (columns < 2) {
    header_error("the header has " + std::to_string(columns) +
                 " column; need at least 2 (features and a label)");
  }
  {
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < columns; ++i) {
      if (names[i].empty()) {
        header_error("column " + std::to_string(i + 1) + " has an empty name", i + 1);
      }
      const auto [it, inserted] = seen.emplace(names[i], i);
      if (!inserted) {
        header_error("duplicate column name " + quoted(names[i]) + " (columns " +
                     std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")",
                     i + 1);
      }
    }
  }
  std::size_t label = columns - 1;
  if (!label_column.empty()) {
    const auto it = std::find(names.begin(), names.end(), label_column);
    if (it == names.end()) {
      // The label option is at fault, not the file.
      throw InputError::bad_option("label", source + ": no column named " +
                                                quoted(label_column) + " (columns: " +
                                                column_list(names) + ")");
    }
    label = static_cast<std::size_t>(it - names.begin());
  }
  const std::string& label_name = names[label];

  Dataset data;
  for (std::size_t i = 0; i < columns; ++i) {
    if (i != label) data.feature_names.push_back(names[i]);
  }
  const std::size_t features = columns - 1;

  // Rows. Feature values go in sample order, which is the column-major layout
  // of the features × samples matrix.
  std::vector<double> values;
  std::vector<int> label_ids;  // index into `labels`, by first appearance
  std::vector<std::string> labels;
  std::unordered_map<std::string, int> label_index;
  std::string key;  // reused, so looking a label up does not allocate
  std::string_view last_label;
  int last_id = -1;

  while (scanner.next()) {
    const std::size_t line = scanner.line();
    if (scanner.size() != columns) {
      scanner.fail(line, "expected " + std::to_string(columns) + " fields, found " +
                             std::to_string(scanner.size()));
    }
    for (std::size_t i = 0; i < columns; ++i) {
      if (i == label) continue;
      const std::string_view cell = scanner.field(i);
      double value = 0.0;
      const NumberStatus status = parse_number(cell, value);
      if (status == NumberStatus::kOk) {
        values.push_back(value);
        continue;
      }
      std::string problem = "column " + quoted(names[i]) + ": ";
      if (status == NumberStatus::kEmpty) {
        problem += "empty cell (expected a number)";
      } else if (status == NumberStatus::kNotNumber) {
        problem += quoted(cell) + " is not a number";
      } else {
        problem += quoted(cell) + " is not a finite number";
      }
      throw InputError::in_data(source + ": line " + std::to_string(line) + ", " + problem, line,
                                i + 1);
    }
    const std::string_view text_label = trim(scanner.field(label));
    if (text_label.empty()) {
      throw InputError::in_data(source + ": line " + std::to_string(line) + ", column " +
                                    quoted(label_name) + ": empty label",
                                line, label + 1);
    }
    // Rows usually come grouped by class: try the previous label first.
    if (last_id < 0 || text_label != last_label) {
      key.assign(text_label);
      const auto it = label_index.find(key);
      if (it != label_index.end()) {
        last_id = it->second;
      } else {
        last_id = static_cast<int>(labels.size());
        labels.push_back(key);
        label_index.emplace(key, last_id);
      }
      last_label = labels[static_cast<std::size_t>(last_id)];
    }
    label_ids.push_back(last_id);
  }

  if (label_ids.empty()) {
    throw InputError::in_data(source + ": no data rows after the header (line " +
                                  std::to_string(header_line) + ")",
                              header_line);
  }
  const Classes classes = number_classes(labels);
  if (classes.names.size() < 2) {
    throw InputError(source + ": only one class (" + quoted(classes.names.front()) +
                     ") in column " + quoted(label_name) + "; need at least 2");
  }

  const auto samples = static_cast<Eigen::Index>(label_ids.size());
  data.x = Eigen::Map<const Eigen::MatrixXd>(values.data(), static_cast<Eigen::Index>(features),
                                             samples);
  data.y.reserve(label_ids.size());
  for (const int id : label_ids) {
    data.y.push_back(classes.index_of_label[static_cast<std::size_t>(id)]);
  }
  data.class_names = classes.names;
  return data;
}

Dataset load_csv_file(const std::string& path, const std::string& label_column,
                      const CsvLimits& limits) {
  const auto cannot_read = [&](int error) {
    return InputError("cannot read '" + path + "': " + std::strerror(error));
  };
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) throw cannot_read(errno != 0 ? errno : ENOENT);
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, n);
    if (n < sizeof buffer) break;
  }
  if (std::ferror(file.get())) throw cannot_read(errno != 0 ? errno : EIO);
  return parse_csv(text, label_column, path, limits);
}

}  // namespace sparse_iht
