#include "sparse_iht/json.hpp"

#include <cmath>
#include <cstdint>
#include <locale>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "sparse_iht/fields.hpp"

namespace sparse_iht {
namespace {

// A minimal streaming writer: compact output (one line), commas handled by a
// stack of "first element" flags. It is also the visitor of the field lists in
// sparse_iht/fields.hpp, so documents have the JS results' names and order.
class JsonWriter {
 public:
  JsonWriter() {
    number_.imbue(std::locale::classic());
    number_.precision(17);
  }

  void begin_object() {
    separate();
    out_ += '{';
    first_.push_back(true);
  }
  void end_object() {
    out_ += '}';
    first_.pop_back();
  }
  void begin_array() {
    separate();
    out_ += '[';
    first_.push_back(true);
  }
  void end_array() {
    out_ += ']';
    first_.pop_back();
  }

  void key(const char* name) {
    separate();
    append_string(name);
    out_ += ':';
    after_key_ = true;
  }

  void null() {
    separate();
    out_ += "null";
  }
  void value(bool b) {
    separate();
    out_ += b ? "true" : "false";
  }
  void value(int i) {
    separate();
    out_ += std::to_string(i);
  }
  void value(std::uint64_t u) {
    separate();
    out_ += std::to_string(u);
  }
  void value(double d) {
    separate();
    if (!std::isfinite(d)) {
      out_ += "null";
      return;
    }
    number_.str(std::string());
    number_.clear();
    number_ << d;
    out_ += number_.str();
  }
  template <class T>
  void value(const std::optional<T>& x) {
    if (x) {
      value(*x);
    } else {
      null();
    }
  }
  void value(const std::string& s) {
    separate();
    append_string(s);
  }
  void value(const char* s) {
    separate();
    append_string(s);
  }

  // Series and lists alike: JSON has no typed arrays.
  template <class T>
  void value(const std::vector<T>& values) {
    begin_array();
    for (const auto& v : values) value(v);
    end_array();
  }
  void value(const Eigen::VectorXd& values) {
    begin_array();
    for (Eigen::Index i = 0; i < values.size(); ++i) value(values[i]);
    end_array();
  }
  template <class T>
  void value(const PlainArray<T>& values) {
    value(values.items);
  }
  // A result struct: an object of its fields (sparse_iht/fields.hpp).
  template <class T, std::enable_if_t<has_fields_v<T>, int> = 0>
  void value(const T& x) {
    begin_object();
    visit_fields(x, *this);
    end_object();
  }

  // The visitor's callback.
  template <class T>
  void field(const char* name, const T& v) {
    key(name);
    value(v);
  }

  const std::string& str() const { return out_; }

 private:
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }

  // Escapes quotes, backslashes and control characters; keeps valid UTF-8 as
  // is and replaces each byte of an invalid sequence with U+FFFD, so the
  // document is always valid UTF-8.
  void append_string(const std::string& s) {
    static const char* hex = "0123456789abcdef";
    out_ += '"';
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        switch (c) {
          case '"':
            out_ += "\\\"";
            break;
          case '\\':
            out_ += "\\\\";
            break;
          case '\b':
            out_ += "\\b";
            break;
          case '\f':
            out_ += "\\f";
            break;
          case '\n':
            out_ += "\\n";
            break;
          case '\r':
            out_ += "\\r";
            break;
          case '\t':
            out_ += "\\t";
            break;
          default:
            if (c < 0x20 || c == 0x7f) {
              out_ += "\\u00";
              out_ += hex[c >> 4];
              out_ += hex[c & 15];
            } else {
              out_ += static_cast<char>(c);
            }
        }
        ++i;
        continue;
      }
      const std::size_t len = utf8_sequence_length(s, i);
      if (len == 0) {
        out_ += "\xEF\xBF\xBD";
        ++i;
      } else {
        out_.append(s, i, len);
        i += len;
      }
    }
    out_ += '"';
  }

  // Length of the well-formed UTF-8 sequence (RFC 3629) starting at s[i], or 0.
  static std::size_t utf8_sequence_length(const std::string& s, std::size_t i) {
    const auto byte = [&](std::size_t k) -> unsigned {
      return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
    };
    const auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
    const unsigned c = byte(0);
    unsigned lo = 0x80, hi = 0xBF;
    std::size_t len = 0;
    if (in(c, 0xC2, 0xDF)) {
      len = 2;
    } else if (in(c, 0xE0, 0xEF)) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (in(c, 0xF0, 0xF4)) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return 0;
    }
    if (!in(byte(1), lo, hi)) return 0;
    for (std::size_t k = 2; k < len; ++k) {
      if (!in(byte(k), 0x80, 0xBF)) return 0;
    }
    return len;
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
  std::ostringstream number_;
};

}  // namespace

std::string to_json(const TrainResult& result) {
  JsonWriter w;
  w.value(result);
  return w.str();
}

std::string to_json(const SweepResult& result) {
  JsonWriter w;
  w.value(result);
  return w.str();
}

std::string to_json(const L2sReport& report) {
  JsonWriter w;
  w.value(report);
  return w.str();
}

}  // namespace sparse_iht
