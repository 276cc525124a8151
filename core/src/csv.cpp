#include "sparse_iht/csv.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
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
  // (at(): a terminator past the end throws instead of writing the stack.)
  std::array<char, 64> small{};
  std::string large;
  const char* begin = nullptr;
  if (cell.size() < small.size()) {
    std::memcpy(small.data(), cell.data(), cell.size());
    small.at(cell.size()) = '\0';
    begin = small.data();
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

// True when the bytes from text[i] to the end are the start of a valid UTF-8
// sequence that the end cuts short: more input may complete it, so it is not
// an error yet. False when utf8_length's verdict on them is final.
bool utf8_cut_short(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t need = 0;
  if (lead >= 0xC2U && lead < 0xE0U) {
    need = 2;
  } else if (lead >= 0xE0U && lead < 0xF0U) {
    need = 3;
  } else if (lead >= 0xF0U && lead < 0xF5U) {
    need = 4;
  }
  if (need == 0 || i + need <= text.size()) return false;
  for (std::size_t k = 1; i + k < text.size(); ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0U) != 0x80U) return false;
    if (k == 1) {
      // The second byte's range rules out overlong forms, surrogates and
      // values above U+10FFFF, as in utf8_length.
      if (lead == 0xE0U && b < 0xA0U) return false;
      if (lead == 0xEDU && b >= 0xA0U) return false;
      if (lead == 0xF0U && b < 0x90U) return false;
      if (lead == 0xF4U && b >= 0x90U) return false;
    }
  }
  return true;
}

// Splits the text into records, one at a time, without copying unquoted
// fields: a field is a view into the text, or into `arena_` when it held
// doubled quotes that had to be collapsed.
//
// The text may be only what has arrived so far. Wherever the scan would look
// at the end of the text (is the cell over? is this "\r" part of a CRLF? is
// this quote doubled? is this UTF-8 sequence cut short?), it stops instead,
// unless the text is final, and next() answers kNeedMore. The position it
// stopped at is kept in `state_` and the members, so the next call carries on
// from there once more bytes are appended: no byte is scanned twice, and every
// decision is the one the scan of the whole text makes, so are the errors.
class Scanner {
 public:
  enum class Result { kRecord, kNeedMore, kEnd };

  Scanner(const std::string& source, const CsvLimits& limits) : source_(source), limits_(limits) {}

  // The bytes to scan: those from keep() onwards of the previous text (at the
  // same offsets, unless drop() moved them) followed by the new ones. `final`:
  // no more will come.
  void set_text(std::string_view text, bool final) {
    text_ = text;
    final_ = final;
  }

  // Where the bytes the scanner still needs begin: the start of the record
  // being read (or of the byte-order mark that may be there).
  std::size_t keep() const {
    if (state_ == State::kBom) return 0;
    if (state_ == State::kRecordStart) return pos_;
    return record_start_;
  }

  // The first `n` ≤ keep() bytes are gone: every offset into the text moves
  // down by n. Offsets left over from an earlier record or field are not
  // used again and stay as they are.
  void drop(std::size_t n) {
    pos_ -= n;
    line_start_ -= n;
    if (state_ == State::kBom || state_ == State::kRecordStart) return;
    record_start_ -= n;
    for (Span& span : spans_) {
      if (!span.in_arena) span.begin -= n;
    }
    if (state_ == State::kUnquoted) field_begin_ -= n;
    if (state_ == State::kQuoted) segment_ -= n;
    if (state_ == State::kAfterQuote && !pending_.in_arena) pending_.begin -= n;
  }

  // Reads on to the next non-blank record. kRecord: line(), size() and field()
  // describe it until the next call. kEnd: the final text has no more.
  Result next() {
    for (;;) {
      switch (state_) {
        case State::kBom: {
          constexpr std::string_view kBomBytes = "\xEF\xBB\xBF";
          const std::size_t have = std::min(text_.size(), kBomBytes.size());
          if (have < kBomBytes.size() && !final_ && text_ == kBomBytes.substr(0, have)) {
            return Result::kNeedMore;
          }
          if (text_.substr(0, kBomBytes.size()) == kBomBytes) {
            pos_ = 3;
            line_start_ = 3;
          }
          state_ = State::kRecordStart;
          break;
        }
        case State::kRecordStart:
          if (pos_ >= text_.size()) return final_ ? Result::kEnd : Result::kNeedMore;
          spans_.clear();
          arena_.clear();
          record_line_ = line_;
          record_start_ = pos_;
          state_ = State::kFieldStart;
          break;
        case State::kFieldStart:
          if (spans_.size() >= limits_.max_columns) {
            fail(record_line_, "more than " + std::to_string(limits_.max_columns) + " columns");
          }
          state_ = State::kFieldBlanks;
          break;
        case State::kFieldBlanks:
          skip_blanks();
          if (pos_ >= text_.size() && !final_) return need_more();
          check_line_length();
          if (pos_ < text_.size() && text_[pos_] == '"') {
            open_line_ = line_;
            ++pos_;
            segment_ = pos_;
            arena_begin_ = arena_.size();
            in_arena_ = false;
            state_ = State::kQuoted;
          } else {
            field_begin_ = pos_;
            state_ = State::kUnquoted;
          }
          break;
        case State::kUnquoted:
          if (!read_unquoted()) return need_more();
          state_ = State::kFieldEnd;
          break;
        case State::kQuoted:
          if (!read_quoted()) return need_more();
          state_ = State::kAfterQuote;
          break;
        case State::kAfterQuote:
          if (!after_quote()) return need_more();
          spans_.push_back(pending_);
          state_ = State::kFieldEnd;
          break;
        case State::kFieldEnd:
          if (pos_ < text_.size() && text_[pos_] == ',') {
            ++pos_;
            state_ = State::kFieldStart;
            break;
          }
          if (pos_ < text_.size()) {
            if (!end_line()) return need_more();
          } else if (!final_) {
            return need_more();  // a comma or a line end may follow
          }
          state_ = State::kRecordStart;
          if (!(spans_.size() == 1 && !spans_[0].quoted && spans_[0].length == 0)) {
            return Result::kRecord;
          }
          break;  // a blank line
      }
    }
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
  // Where next() resumes.
  enum class State {
    kBom,          // before the first byte: is there a byte-order mark?
    kRecordStart,  // between records
    kFieldStart,   // before a field: the column count is checked
    kFieldBlanks,  // skipping blanks before a field
    kUnquoted,     // in an unquoted field that began at field_begin_
    kQuoted,       // in a quoted field (open_line_, segment_, arena_begin_, in_arena_)
    kAfterQuote,   // after its closing quote; the field is pending_
    kFieldEnd,     // after a field: a comma, a line end or the end
  };

  struct Span {
    std::size_t begin;
    std::size_t length;
    bool in_arena;
    bool quoted;
  };

  // The scan stopped at the end of the available bytes. Blanks before or
  // after a field are skipped without looking at the limit, so the line may
  // already be too long: the scan of the whole text fails there as soon as the
  // blanks end, so fail now rather than keep a line of blanks of any length.
  Result need_more() const {
    if (pos_ - line_start_ > limits_.max_line_bytes) line_too_long();
    return Result::kNeedMore;
  }

  void skip_blanks() {
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
  }

  // Only called where the byte at pos_ is there, or the text is final.
  bool at_line_end() const {
    return pos_ >= text_.size() || text_[pos_] == '\n' || text_[pos_] == '\r';
  }

  [[noreturn]] void line_too_long() const {
    fail(line_, "line longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
  }

  // The line is too long once a byte other than its terminator sits at or
  // beyond offset max_line_bytes. Checked at every place the scan can stop.
  void check_line_length() const {
    const std::size_t used = pos_ - line_start_;
    const std::size_t max = limits_.max_line_bytes;
    if (used > max || (used == max && !at_line_end())) line_too_long();
  }

  // Where a scan within the current line must pause to check its length.
  std::size_t line_stop() const {
    const std::size_t max = limits_.max_line_bytes;
    const std::size_t room = text_.size() - line_start_;
    return line_start_ + std::min(room, max);
  }

  // Steps over the UTF-8 sequence at pos_; false (pos_ unchanged) when the
  // end of the available bytes cuts it short.
  bool check_utf8() {
    const std::size_t n = utf8_length(text_, pos_);
    if (n == 0) {
      if (!final_ && utf8_cut_short(text_, pos_)) return false;
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X",
                    static_cast<unsigned>(static_cast<unsigned char>(text_[pos_])));
      fail(line_, std::string("invalid UTF-8 (byte ") + hex + " at byte " +
                      std::to_string(pos_ - line_start_ + 1) + " of the line)");
    }
    pos_ += n;
    return true;
  }

  // Consumes "\r\n", "\n" or a lone "\r" at pos_; false (nothing consumed)
  // when a "\r" is the last byte available and a "\n" may follow.
  bool end_line() {
    if (text_[pos_] == '\r') {
      if (pos_ + 1 < text_.size()) {
        if (text_[pos_ + 1] == '\n') ++pos_;
      } else if (!final_) {
        return false;
      }
    }
    ++pos_;
    ++line_;
    line_start_ = pos_;
    return true;
  }

  // False when the field may go on past the available bytes.
  bool read_unquoted() {
    const std::size_t stop = line_stop();
    while (pos_ < stop) {
      const char c = text_[pos_];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (static_cast<unsigned char>(c) >= 0x80U) {
        if (!check_utf8()) return false;
      } else {
        ++pos_;
      }
    }
    if (pos_ >= text_.size() && !final_) return false;
    // Stopping short of a delimiter means the line reached the limit.
    check_line_length();
    const std::string_view cell = trim(text_.substr(field_begin_, pos_ - field_begin_));
    spans_.push_back(
        {static_cast<std::size_t>(cell.data() - text_.data()), cell.size(), false, false});
    return true;
  }

  // Reads on to the closing quote and steps over it; false when the available
  // bytes end first. Each pass of the loop starts where the last one stopped,
  // so a pass cut short is simply repeated.
  bool read_quoted() {
    for (;;) {
      const std::size_t stop = line_stop();
      while (pos_ < stop) {
        const char c = text_[pos_];
        if (c == '"' || c == '\n' || c == '\r') break;
        if (static_cast<unsigned char>(c) >= 0x80U) {
          if (!check_utf8()) return false;
        } else {
          ++pos_;
        }
      }
      if (pos_ >= text_.size() && !final_) return false;
      check_line_length();
      if (pos_ >= text_.size()) {
        fail(open_line_, "unterminated quoted field (the quote opened here is never closed)");
      }
      const char c = text_[pos_];
      if (c == '\n' || c == '\r') {
        if (!end_line()) return false;
      } else if (c == '"') {
        // Is it doubled? The next byte decides.
        if (pos_ + 1 >= text_.size() && !final_) return false;
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          // A doubled quote: keep one of the two.
          arena_.append(text_.substr(segment_, pos_ + 1 - segment_));
          in_arena_ = true;
          pos_ += 2;
          segment_ = pos_;
        } else {
          break;
        }
      }
    }
    if (in_arena_) {
      arena_.append(text_.substr(segment_, pos_ - segment_));
      pending_ = {arena_begin_, arena_.size() - arena_begin_, true, true};
    } else {
      pending_ = {segment_, pos_ - segment_, false, true};
    }
    ++pos_;  // the closing quote
    return true;
  }

  // After a closing quote only blanks may come before the comma or line end;
  // false when the available bytes end before that is known.
  bool after_quote() {
    skip_blanks();
    if (pos_ >= text_.size() && !final_) return false;
    check_line_length();
    if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      const std::size_t n = utf8_length(text_, pos_);
      // An invalid byte is reported as such; a sequence cut short waits.
      if (n == 0 && !check_utf8()) return false;
      fail(line_, "unexpected " + quoted(text_.substr(pos_, n)) +
                      " after a closing quote (a quote inside a quoted field is written \"\")");
    }
    return true;
  }

  std::string_view text_;
  bool final_ = false;
  const std::string& source_;
  const CsvLimits& limits_;
  State state_ = State::kBom;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t record_line_ = 1;
  std::size_t record_start_ = 0;
  std::vector<Span> spans_;
  std::string arena_;
  // The field being read.
  std::size_t field_begin_ = 0;       // kUnquoted
  std::size_t open_line_ = 0;         // kQuoted: the line of the opening quote
  std::size_t segment_ = 0;           // kQuoted: start of the text not yet copied to the arena
  std::size_t arena_begin_ = 0;       // kQuoted
  bool in_arena_ = false;             // kQuoted
  Span pending_{0, 0, false, false};  // kAfterQuote
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

// Values appended one at a time and read back once, in order, in blocks that
// are never moved: growing copies nothing and never holds a second copy, as a
// doubling vector does while it moves. The first blocks are small and double
// up to kBlockBytes, so that a small file does not take a whole block.
template <typename T>
class BlockList {
 public:
  static constexpr std::size_t kFirstBlockBytes = std::size_t{4} << 10;  // 4 KiB
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;       // 1 MiB

  void push_back(T value) {
    if (used_ == capacity_) grow();
    tail_[used_++] = value;
  }

  std::size_t size() const { return full_ + used_; }

  // Gives the unused end of the last block back (by moving its values to a
  // block of their size), so that from here on only the values are held.
  void shrink_to_fit() {
    if (blocks_.empty() || used_ == capacity_) return;
    Block& last = blocks_.back();
    std::unique_ptr<T[]> exact(new T[used_]);
    std::copy(last.data.get(), last.data.get() + used_, exact.get());
    last.data = std::move(exact);
    last.count = used_;
    tail_ = last.data.get();
    capacity_ = used_;
  }

  // Calls sink(values, count) on each block in order and frees it right
  // after, so that the values are never held twice; the list is then empty.
  template <typename Sink>
  void drain(Sink&& sink) {
    if (!blocks_.empty()) blocks_.back().count = used_;
    for (Block& block : blocks_) {
      sink(static_cast<const T*>(block.data.get()), block.count);
      block.data.reset();
    }
    blocks_.clear();
    blocks_.shrink_to_fit();
    tail_ = nullptr;
    full_ = used_ = capacity_ = 0;
  }

 private:
  struct Block {
    std::unique_ptr<T[]> data;
    std::size_t count;  // values in it, once it is full (see used_ for the last)
  };

  void grow() {
    if (!blocks_.empty()) {
      blocks_.back().count = used_;
      full_ += used_;
    }
    const std::size_t bytes =
        blocks_.empty() ? kFirstBlockBytes : std::min(kBlockBytes, 2 * capacity_ * sizeof(T));
    capacity_ = std::max<std::size_t>(1, bytes / sizeof(T));
    // new T[n], not make_unique: the values need not be zeroed first.
    blocks_.push_back({std::unique_ptr<T[]>(new T[capacity_]), 0});
    tail_ = blocks_.back().data.get();
    used_ = 0;
  }

  std::vector<Block> blocks_;
  T* tail_ = nullptr;         // the last block's values
  std::size_t full_ = 0;      // values in all blocks but the last
  std::size_t used_ = 0;      // values in the last block
  std::size_t capacity_ = 0;  // room in the last block
};

// The label of each row, as its index among the distinct labels in order of
// first appearance: one byte a row while there are at most 256 of them, the
// usual case, and four from the 257th on. Smaller than the class indices
// finish() returns, so they do not add to the peak while the matrix is built.
class LabelIds {
 public:
  void push_back(int id) {
    if (!wide_ && id > 0xFF) widen();
    if (wide_) {
      wide_ids_.push_back(static_cast<std::int32_t>(id));
    } else {
      narrow_ids_.push_back(static_cast<std::uint8_t>(id));
    }
  }

  std::size_t size() const { return wide_ ? wide_ids_.size() : narrow_ids_.size(); }

  void shrink_to_fit() {
    narrow_ids_.shrink_to_fit();
    wide_ids_.shrink_to_fit();
  }

  // Writes map[id] for each row to `out`, freeing the ids as it goes.
  void drain(const std::vector<int>& map, int* out) {
    const auto write = [&](const auto* ids, std::size_t count) {
      for (std::size_t i = 0; i < count; ++i) *out++ = map[static_cast<std::size_t>(ids[i])];
    };
    if (wide_) {
      wide_ids_.drain(write);
    } else {
      narrow_ids_.drain(write);
    }
  }

 private:
  void widen() {
    narrow_ids_.drain([&](const std::uint8_t* ids, std::size_t count) {
      for (std::size_t i = 0; i < count; ++i) wide_ids_.push_back(ids[i]);
    });
    wide_ = true;
  }

  bool wide_ = false;
  BlockList<std::uint8_t> narrow_ids_;
  BlockList<std::int32_t> wide_ids_;
};

}  // namespace

class CsvReader::Impl {
 public:
  Impl(std::string label_column, std::string source, CsvLimits limits)
      : label_column_(std::move(label_column)),
        source_(std::move(source)),
        limits_(limits),
        scanner_(source_, limits_) {}

  void feed(std::string_view chunk) {
    check_usable();
    bytes_fed_ += chunk.size();
    failed_ = true;  // until this call returns normally
    if (buffer_.empty()) {
      // Nothing is left over: scan the chunk where it is, and copy only the
      // incomplete record at its end. parse_csv never copies more than that.
      scanner_.set_text(chunk, false);
      run();
      const std::size_t keep = scanner_.keep();
      buffer_.assign(chunk.substr(keep));
      scanner_.drop(keep);
    } else {
      buffer_.append(chunk);
      scanner_.set_text(buffer_, false);
      run();
      const std::size_t keep = scanner_.keep();
      buffer_.erase(0, keep);
      scanner_.drop(keep);
    }
    scanner_.set_text(buffer_, false);
    failed_ = false;
  }

  Dataset finish() {
    check_usable();
    finished_ = true;
    scanner_.set_text(buffer_, true);
    run();
    std::string().swap(buffer_);

    if (!have_header_) {
      throw InputError::in_data(source_ + ": the file is empty (expected a header row)", 0);
    }
    const std::size_t samples = label_ids_.size();
    if (samples == 0) {
      throw InputError::in_data(
          source_ + ": no data rows after the header (line " + std::to_string(header_line_) + ")",
          header_line_);
    }
    const Classes classes = number_classes(labels_);
    if (classes.names.size() < 2) {
      throw InputError(source_ + ": only one class (" + quoted(classes.names.front()) +
                       ") in column " + quoted(names_[label_]) + "; need at least 2");
    }

    label_ids_.shrink_to_fit();
    Dataset data = std::move(data_);
    const std::size_t features = columns_ - 1;
    if (in_place_) {
      // The values are already in the matrix: give its unused end back (a
      // realloc, which shrinks in place).
      data.x.conservativeResize(static_cast<Eigen::Index>(features),
                                static_cast<Eigen::Index>(samples));
    } else {
      // The matrix is allocated once, while the values are still in their
      // blocks: peak ≈ two copies of the values, each block freed as soon as it
      // is copied.
      values_.shrink_to_fit();
      data.x.resize(static_cast<Eigen::Index>(features), static_cast<Eigen::Index>(samples));
      move_values(data.x.data());
    }
    // The class indices come after, when the blocks are gone.
    data.y.resize(samples);
    label_ids_.drain(classes.index_of_label, data.y.data());
    data.class_names = classes.names;
    return data;
  }

  std::size_t bytes_fed() const { return bytes_fed_; }

  void expect_bytes(std::size_t total) {
    check_usable();
    if (!in_place_) expected_bytes_ = total;
  }

 private:
  // Rows read into blocks before the matrix is sized from their length.
  static constexpr std::size_t kSizingRows = 1024;

  // With a size hint, once kSizingRows rows are in: allocates the matrix for
  // the rows the rest of the input should hold, with 1/16 to spare, and moves
  // the values read so far into it. Its pages are only touched as rows arrive,
  // so the spare end costs address space, not memory. Without room for it,
  // the values stay in blocks, as without a hint.
  void start_in_place() {
    const std::size_t features = columns_ - 1;
    const std::size_t rows = label_ids_.size();
    const double per_row =
        static_cast<double>(sized_bytes_ - header_bytes_) / static_cast<double>(rows);
    const double rest =
        expected_bytes_ > sized_bytes_ ? static_cast<double>(expected_bytes_ - sized_bytes_) : 0.0;
    const double wanted = static_cast<double>(rows) + rest / per_row * 17.0 / 16.0 + 16.0;
    try {
      resize_in_place(wanted);
    } catch (const std::bad_alloc&) {
      expected_bytes_ = 0;
      return;
    }
    in_place_ = true;
    move_values(data_.x.data());
    used_ = rows * features;
  }

  // Copies the values in their blocks to `out`, freeing each block once copied.
  void move_values(double* out) {
    values_.drain([&](const double* values, std::size_t count) {
      std::copy(values, values + count, out);
      out += count;
    });
  }

  // The matrix is full before the input is: the rows so far had more bytes
  // each than the first ones, or the hint was short. Re-estimates from the
  // bytes fed so far and grows the matrix by realloc, which extends it in
  // place when the memory after it is free.
  void grow_in_place() {
    const std::size_t rows = label_ids_.size();
    const double capacity = static_cast<double>(capacity_) / static_cast<double>(columns_ - 1);
    double wanted = capacity * 9.0 / 8.0;
    if (expected_bytes_ > bytes_fed_) {
      wanted = std::max(wanted, static_cast<double>(rows) * static_cast<double>(expected_bytes_) /
                                    static_cast<double>(bytes_fed_) * 17.0 / 16.0);
    }
    resize_in_place(wanted);
  }

  // data_.x with room for `rows` samples (clamped to what an Index can count).
  void resize_in_place(double rows) {
    const std::size_t features = columns_ - 1;
    const double most = static_cast<double>(std::numeric_limits<Eigen::Index>::max()) /
                        static_cast<double>(sizeof(double) * features);
    const auto columns = static_cast<Eigen::Index>(std::min(std::ceil(rows), most));
    if (in_place_) {
      data_.x.conservativeResize(static_cast<Eigen::Index>(features), columns);
    } else {
      data_.x.resize(static_cast<Eigen::Index>(features), columns);
    }
    capacity_ = features * static_cast<std::size_t>(columns);
  }

  void check_usable() const {
    if (finished_ || failed_) {
      throw InputError(source_ + ": the CSV reader cannot be used after finish() or an error",
                       ErrorCode::bad_state);
    }
  }

  // Handles every record the text now completes.
  void run() {
    for (;;) {
      const Scanner::Result result = scanner_.next();
      if (result != Scanner::Result::kRecord) return;
      if (have_header_) {
        row();
      } else {
        header();
      }
    }
  }

  void header() {
    header_line_ = scanner_.line();
    columns_ = scanner_.size();
    names_.reserve(columns_);
    for (std::size_t i = 0; i < columns_; ++i) {
      names_.emplace_back(scanner_.field(i));
      header_bytes_ += names_.back().size() + 1;  // and its comma or line end
    }
    sized_bytes_ = header_bytes_;
    const auto header_error = [&](const std::string& problem, std::size_t column = 0) {
      scanner_.fail(header_line_, problem, column);
    };
    if (columns_ < 2) {
      header_error("the header has " + std::to_string(columns_) +
                   " column; need at least 2 (features and a label)");
    }
    {
      std::unordered_map<std::string_view, std::size_t> seen;
      for (std::size_t i = 0; i < columns_; ++i) {
        if (names_[i].empty()) {
          header_error("column " + std::to_string(i + 1) + " has an empty name", i + 1);
        }
        const auto [it, inserted] = seen.emplace(names_[i], i);
        if (!inserted) {
          header_error("duplicate column name " + quoted(names_[i]) + " (columns " +
                           std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")",
                       i + 1);
        }
      }
    }
    label_ = columns_ - 1;
    if (!label_column_.empty()) {
      const auto it = std::find(names_.begin(), names_.end(), label_column_);
      if (it == names_.end()) {
        // The label option is at fault, not the file.
        throw InputError::bad_option("label", source_ + ": no column named " +
                                                  quoted(label_column_) +
                                                  " (columns: " + column_list(names_) + ")");
      }
      label_ = static_cast<std::size_t>(it - names_.begin());
    }
    for (std::size_t i = 0; i < columns_; ++i) {
      if (i != label_) data_.feature_names.push_back(names_[i]);
    }
    have_header_ = true;
  }

  // Feature values go in sample order, which is the column-major layout of
  // the features × samples matrix.
  void row() {
    const std::size_t line = scanner_.line();
    if (scanner_.size() != columns_) {
      scanner_.fail(line, "expected " + std::to_string(columns_) + " fields, found " +
                              std::to_string(scanner_.size()));
    }
    row_.clear();
    for (std::size_t i = 0; i < columns_; ++i) {
      if (i == label_) continue;
      const std::string_view cell = scanner_.field(i);
      double value = 0.0;
      const NumberStatus status = parse_number(cell, value);
      if (status == NumberStatus::kOk) {
        row_.push_back(value);
        continue;
      }
      std::string problem = "column " + quoted(names_[i]) + ": ";
      if (status == NumberStatus::kEmpty) {
        problem += "empty cell (expected a number)";
      } else if (status == NumberStatus::kNotNumber) {
        problem += quoted(cell) + " is not a number";
      } else {
        problem += quoted(cell) + " is not a finite number";
      }
      throw InputError::in_data(source_ + ": line " + std::to_string(line) + ", " + problem, line,
                                i + 1);
    }
    const std::string_view text_label = trim(scanner_.field(label_));
    if (text_label.empty()) {
      throw InputError::in_data(source_ + ": line " + std::to_string(line) + ", column " +
                                    quoted(names_[label_]) + ": empty label",
                                line, label_ + 1);
    }
    // Rows usually come grouped by class: try the previous label first.
    if (last_id_ < 0 || text_label != labels_[static_cast<std::size_t>(last_id_)]) {
      key_.assign(text_label);
      const auto it = label_index_.find(key_);
      if (it != label_index_.end()) {
        last_id_ = it->second;
      } else {
        last_id_ = static_cast<int>(labels_.size());
        labels_.push_back(key_);
        label_index_.emplace(key_, last_id_);
      }
    }
    label_ids_.push_back(last_id_);
    store_row();
  }

  // The row's values go into the matrix when it is being built in place,
  // into blocks otherwise.
  void store_row() {
    if (in_place_) {
      if (capacity_ - used_ < row_.size()) grow_in_place();
      std::copy(row_.begin(), row_.end(), data_.x.data() + used_);
      used_ += row_.size();
      return;
    }
    for (const double value : row_) values_.push_back(value);
    if (expected_bytes_ == 0) return;
    // Sizing: the row's bytes, counting one for each comma and the line end
    // (so quotes and CRs make the estimate of the rows to come larger, not smaller).
    for (std::size_t i = 0; i < columns_; ++i) sized_bytes_ += scanner_.field(i).size() + 1;
    if (label_ids_.size() == kSizingRows) start_in_place();
  }

  const std::string label_column_;
  const std::string source_;
  const CsvLimits limits_;
  Scanner scanner_;     // refers to source_ and limits_
  std::string buffer_;  // the bytes from scanner_.keep() on, when the chunk has gone
  std::size_t bytes_fed_ = 0;
  bool finished_ = false;
  bool failed_ = false;

  bool have_header_ = false;
  std::size_t header_line_ = 0;
  std::size_t columns_ = 0;
  std::size_t label_ = 0;
  std::vector<std::string> names_;
  Dataset data_;  // the feature names, until finish()

  BlockList<double> values_;  // the values, unless the matrix is built in place
  std::vector<double> row_;   // the features of the row being read
  // With a size hint (expect_bytes), the matrix is built in data_.x itself.
  std::size_t expected_bytes_ = 0;  // the hint; 0 for none
  std::size_t header_bytes_ = 0;    // the header's bytes, as sized_bytes_ counts them
  std::size_t sized_bytes_ = 0;     // the header's and the first rows' bytes
  bool in_place_ = false;
  std::size_t capacity_ = 0;  // values data_.x has room for
  std::size_t used_ = 0;      // values in it
  LabelIds label_ids_;
  std::vector<std::string> labels_;  // distinct labels, by first appearance
  std::unordered_map<std::string, int> label_index_;
  std::string key_;  // reused, so looking a label up does not allocate
  int last_id_ = -1;
};

CsvReader::CsvReader(std::string label_column, std::string source, CsvLimits limits)
    : impl_(std::make_unique<Impl>(std::move(label_column), std::move(source), limits)) {}
CsvReader::~CsvReader() = default;
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;

void CsvReader::feed(std::string_view chunk) { impl_->feed(chunk); }
Dataset CsvReader::finish() { return impl_->finish(); }
void CsvReader::expect_bytes(std::size_t total) { impl_->expect_bytes(total); }
std::size_t CsvReader::bytes_fed() const { return impl_->bytes_fed(); }

Dataset parse_csv(std::string_view text, const std::string& label_column, const std::string& source,
                  const CsvLimits& limits) {
  CsvReader reader(label_column, source, limits);
  reader.expect_bytes(text.size());
  reader.feed(text);
  return reader.finish();
}

std::size_t file_size(std::FILE* file, const std::string& path) {
  // A pipe or a device has no size: then nothing is known, and nothing is lost.
  if (std::fseek(file, 0, SEEK_END) != 0) {
    std::clearerr(file);
    return 0;
  }
  const long end = std::ftell(file);
  if (std::fseek(file, 0, SEEK_SET) != 0) {
    throw InputError("cannot read '" + path + "': cannot return to its start after measuring it");
  }
  return end > 0 ? static_cast<std::size_t>(end) : 0;
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
  CsvReader reader(label_column, path, limits);
  reader.expect_bytes(file_size(file.get(), path));
  // On the heap: a WebAssembly stack is only 64 KiB.
  std::vector<char> buffer(std::size_t{1} << 16);
  for (;;) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    // A read error is the error, whatever the bytes before it held.
    if (n < buffer.size() && std::ferror(file.get())) throw cannot_read(errno != 0 ? errno : EIO);
    reader.feed(std::string_view(buffer.data(), n));
    if (n < buffer.size()) break;
  }
  return reader.finish();
}

}  // namespace sparse_iht
