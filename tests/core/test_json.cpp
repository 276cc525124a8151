#include <doctest/doctest.h>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <locale>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/json.hpp"
#include "sparse_iht/json.hpp"

namespace sparse_iht_test {

namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : t_(text) {}

  JsonValue document() {
    JsonValue v = value();
    space();
    if (i_ != t_.size()) fail("trailing text");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) {
    throw std::runtime_error("invalid JSON at " + std::to_string(i_) + ": " + why);
  }
  void space() {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (i_ < t_.size() && is_space(t_[i_])) ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected ") + c);
  }
  bool literal(const char* word) {
    const std::size_t n = std::strlen(word);
    if (t_.compare(i_, n, word) == 0) {
      i_ += n;
      return true;
    }
    return false;
  }
  bool digit() const { return i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9'; }

  JsonValue value() {
    space();
    if (++depth_ > 64) fail("too deep");
    JsonValue v;
    if (i_ >= t_.size()) fail("unexpected end");
    const char c = t_[i_];
    if (c == '{') {
      ++i_;
      v.kind = JsonValue::object;
      if (!eat('}')) {
        do {
          space();
          JsonValue k = string_value();
          expect(':');
          v.members.emplace_back(k.raw, value());
        } while (eat(','));
        expect('}');
      }
    } else if (c == '[') {
      ++i_;
      v.kind = JsonValue::array;
      if (!eat(']')) {
        do {
          v.items.push_back(value());
        } while (eat(','));
        expect(']');
      }
    } else if (c == '"') {
      v = string_value();
    } else if (literal("true")) {
      v.kind = JsonValue::boolean;
      v.raw = "true";
    } else if (literal("false")) {
      v.kind = JsonValue::boolean;
      v.raw = "false";
    } else if (literal("null")) {
      v.kind = JsonValue::null;
      v.raw = "null";
    } else {
      v = number_value();
    }
    --depth_;
    return v;
  }

  JsonValue number_value() {
    const std::size_t start = i_;
    if (i_ < t_.size() && t_[i_] == '-') ++i_;
    if (!digit()) fail("bad number");
    if (t_[i_] == '0') {
      ++i_;
    } else {
      while (digit()) ++i_;
    }
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      if (!digit()) fail("bad fraction");
      while (digit()) ++i_;
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (!digit()) fail("bad exponent");
      while (digit()) ++i_;
    }
    JsonValue v;
    v.kind = JsonValue::number;
    v.raw = t_.substr(start, i_ - start);
    return v;
  }

  unsigned hex4() {
    if (i_ + 4 > t_.size()) fail("short \\u escape");
    unsigned u = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = t_[i_++];
      u <<= 4;
      if (h >= '0' && h <= '9') {
        u |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        u |= static_cast<unsigned>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        u |= static_cast<unsigned>(h - 'A' + 10);
      } else {
        fail("bad hex digit");
      }
    }
    return u;
  }

  static void put_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  JsonValue string_value() {
    if (i_ >= t_.size() || t_[i_] != '"') fail("expected a string");
    ++i_;
    JsonValue v;
    v.kind = JsonValue::string;
    while (true) {
      if (i_ >= t_.size()) fail("unterminated string");
      const auto c = static_cast<unsigned char>(t_[i_++]);
      if (c == '"') break;
      if (c < 0x20) fail("raw control character in a string");
      if (c != '\\') {
        v.raw += static_cast<char>(c);
        continue;
      }
      if (i_ >= t_.size()) fail("unterminated escape");
      const char e = t_[i_++];
      switch (e) {
        case '"':
          v.raw += '"';
          break;
        case '\\':
          v.raw += '\\';
          break;
        case '/':
          v.raw += '/';
          break;
        case 'b':
          v.raw += '\b';
          break;
        case 'f':
          v.raw += '\f';
          break;
        case 'n':
          v.raw += '\n';
          break;
        case 'r':
          v.raw += '\r';
          break;
        case 't':
          v.raw += '\t';
          break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (!literal("\\u")) fail("lone high surrogate");
            const unsigned lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("bad low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          put_utf8(v.raw, cp);
          break;
        }
        default:
          fail("bad escape");
      }
    }
    return v;
  }

  const std::string& t_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

void collect_paths(const JsonValue& v, const std::string& prefix, std::set<std::string>& out) {
  if (v.kind == JsonValue::object) {
    for (const auto& m : v.members) {
      const std::string path = prefix.empty() ? m.first : prefix + "." + m.first;
      out.insert(path);
      collect_paths(m.second, path, out);
    }
  } else if (v.kind == JsonValue::array) {
    for (const auto& item : v.items) collect_paths(item, prefix + "[]", out);
  }
}

}  // namespace

JsonValue parse_json(const std::string& text) { return Parser(text).document(); }

// Every key path of a document: "htStable.margin", "points[].s" (array
// elements merged). Throws std::runtime_error when the text is not JSON.
std::vector<std::string> json_key_paths(const std::string& text) {
  std::set<std::string> paths;
  collect_paths(parse_json(text), "", paths);
  return {paths.begin(), paths.end()};
}

// The raw text of the value at a dotted path ("points.0.s"): numbers as
// written, decoded strings, "null"/"true"/"false"; "[N]" for an array of N
// items and "{N}" for an object of N members.
std::string json_at(const std::string& text, const std::string& path) {
  const JsonValue doc = parse_json(text);
  const JsonValue* v = &doc;
  std::size_t start = 0;
  while (start <= path.size() && !path.empty()) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const std::string part = path.substr(start, dot - start);
    if (v->kind == JsonValue::array) {
      const std::size_t index = std::stoul(part);
      if (index >= v->items.size()) throw std::runtime_error("no index " + part);
      v = &v->items[index];
    } else {
      v = &v->at(part);
    }
    start = dot + 1;
  }
  if (v->kind == JsonValue::array) return "[" + std::to_string(v->items.size()) + "]";
  if (v->kind == JsonValue::object) return "{" + std::to_string(v->members.size()) + "}";
  return v->raw;
}

// The key paths a train result must have, under `prefix`.
std::vector<std::string> train_result_paths(const std::string& prefix) {
  const char* keys[] = {"s",
                        "n",
                        "sizes",
                        "activation",
                        "features",
                        "classes",
                        "theta",
                        "support",
                        "trainLoss",
                        "objective",
                        "testLoss",
                        "trainAccuracy",
                        "testAccuracy",
                        "stepSize",
                        "stepRule",
                        "stepCertified",
                        "l2s",
                        "iterations",
                        "status",
                        "htStable",
                        "htStable.stable",
                        "htStable.margin",
                        "htStable.supportGradInf",
                        "htStable.supportSize",
                        "htStable.tolerance",
                        "htStable.reason",
                        "history",
                        "history.loss",
                        "history.trainAccuracy",
                        "history.testAccuracy",
                        "history.nnz",
                        "history.entered",
                        "history.left",
                        "history.thetaNorm",
                        "history.step",
                        "confusion",
                        "confusionOn"};
  std::vector<std::string> out;
  for (const char* k : keys) out.push_back(prefix + k);
  return out;
}

}  // namespace sparse_iht_test

using sparse_iht_test::json_key_paths;
using sparse_iht_test::JsonValue;
using sparse_iht_test::parse_json;

namespace {

sparse_iht::TrainResult sample_train_result() {
  sparse_iht::TrainResult r;
  r.s = 2;
  r.n = 15;
  r.architecture.sizes = {4, 3};
  r.architecture.activation = sparse_iht::Activation::tanh;
  r.feature_names = {"sepal \"length\"", "back\\slash", "tab\there", "naïve ✓"};
  r.class_names = {"a", "b", "c"};
  r.theta = Eigen::VectorXd::Zero(15);
  r.theta[2] = 0.1;
  r.theta[7] = -1.0 / 3.0;
  r.support = {2, 7};
  r.train_loss = 0.5;
  r.test_loss = std::nullopt;
  r.train_accuracy = 0.9;
  r.test_accuracy = std::nullopt;
  r.step_size = 0.25;
  r.l2s = std::nullopt;
  r.iterations = 3;
  r.status = sparse_iht::IhtStatus::max_iterations;
  r.ht_stable.stable = true;
  r.ht_stable.margin = 0.01;
  r.ht_stable.support_grad_inf = 1e-7;
  r.ht_stable.support_size = 2;
  r.ht_stable.tolerance = 1e-4;
  r.history.loss = {1.0, 0.7, std::numeric_limits<double>::quiet_NaN(), 0.5};
  r.history.train_accuracy = {0.3, 0.6, 0.8, 0.9};
  r.history.nnz = {2, 2, 2, 2};
  r.history.entered = {0, 1, 0, 0};
  r.history.left = {0, 1, 0, 0};
  r.confusion = {{1, 0, 0}, {0, 2, 1}, {0, 0, 3}};
  r.confusion_on_test = false;
  return r;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("json: the parser used by the tests is strict") {
  CHECK_NOTHROW(parse_json("{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\"]}"));
  CHECK_THROWS(parse_json("{\"a\":1,}"));
  CHECK_THROWS(parse_json("{\"a\":NaN}"));
  CHECK_THROWS(parse_json("[01]"));
  CHECK_THROWS(parse_json("\"a\nb\""));
  CHECK_THROWS(parse_json("{} x"));
}

TEST_CASE("json: train result keys, nulls and escaping") {
  const sparse_iht::TrainResult r = sample_train_result();
  const std::string text = sparse_iht::to_json(r);
  CHECK(text.find('\n') == std::string::npos);
  const JsonValue doc = parse_json(text);

  CHECK(sorted(json_key_paths(text)) == sorted(sparse_iht_test::train_result_paths("")));

  // Top-level keys in the order of the TypeScript declaration.
  std::vector<std::string> order;
  for (const auto& m : doc.members) order.push_back(m.first);
  CHECK(order == std::vector<std::string>{"s",
                                          "n",
                                          "sizes",
                                          "activation",
                                          "features",
                                          "classes",
                                          "theta",
                                          "support",
                                          "trainLoss",
                                          "objective",
                                          "testLoss",
                                          "trainAccuracy",
                                          "testAccuracy",
                                          "stepSize",
                                          "stepRule",
                                          "stepCertified",
                                          "l2s",
                                          "iterations",
                                          "status",
                                          "htStable",
                                          "history",
                                          "confusion",
                                          "confusionOn"});

  CHECK(doc.at("s").raw == "2");
  CHECK(doc.at("n").raw == "15");
  CHECK(doc.at("sizes").items.size() == 2);
  CHECK(doc.at("activation").raw == "tanh");
  CHECK(doc.at("testLoss").kind == JsonValue::null);
  CHECK(doc.at("testAccuracy").kind == JsonValue::null);
  CHECK(doc.at("l2s").kind == JsonValue::null);
  CHECK(doc.at("status").raw == "max_iterations");
  CHECK(doc.at("confusionOn").raw == "train");
  CHECK(doc.at("htStable").at("stable").raw == "true");
  CHECK(doc.at("htStable").at("supportSize").raw == "2");
  CHECK(doc.at("history").at("loss").items[2].kind == JsonValue::null);
  CHECK(doc.at("history").at("testAccuracy").items.empty());
  CHECK(doc.at("theta").items.size() == 15);
  CHECK(doc.at("theta").items[0].raw == "0");
  CHECK(doc.at("support").items[1].raw == "7");
  CHECK(doc.at("confusion").items.size() == 3);
  CHECK(doc.at("confusion").items[1].items[2].raw == "1");

  // Escaped on the way out, decoded back to the same text; UTF-8 kept as is.
  const auto& features = doc.at("features").items;
  REQUIRE(features.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(features[i].raw == r.feature_names[i]);
  CHECK(text.find("naïve ✓") != std::string::npos);
  CHECK(text.find("\\\"length\\\"") != std::string::npos);
  CHECK(text.find("tab\\there") != std::string::npos);
}

TEST_CASE("json: test figures present, confusion on test") {
  sparse_iht::TrainResult r = sample_train_result();
  r.test_loss = 0.75;
  r.test_accuracy = 0.5;
  r.l2s = 3.5;
  r.confusion_on_test = true;
  r.history.test_accuracy = {0.1, 0.2, 0.3, 0.5};
  const JsonValue doc = parse_json(sparse_iht::to_json(r));
  CHECK(doc.at("testLoss").raw == "0.75");
  CHECK(doc.at("testAccuracy").raw == "0.5");
  CHECK(doc.at("l2s").raw == "3.5");
  CHECK(doc.at("confusionOn").raw == "test");
  CHECK(doc.at("history").at("testAccuracy").items.size() == 4);
}

TEST_CASE("json: control characters and invalid UTF-8 in strings") {
  sparse_iht::TrainResult r = sample_train_result();
  r.class_names = {std::string("nul\0x", 5), "\x01\x1f\x7f", "bad\xff\xc3(utf8\xed\xa0\x80"};
  const std::string text = sparse_iht::to_json(r);
  const JsonValue doc = parse_json(text);
  const auto& classes = doc.at("classes").items;
  REQUIRE(classes.size() == 3);
  CHECK(classes[0].raw == r.class_names[0]);
  CHECK(classes[1].raw == r.class_names[1]);
  CHECK(text.find("\\u0000") != std::string::npos);
  CHECK(text.find("\\u001f") != std::string::npos);
  // Invalid bytes become U+FFFD so the document stays valid UTF-8.
  CHECK(classes[2].raw == "bad\xEF\xBF\xBD\xEF\xBF\xBD(utf8\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("json: doubles round-trip bit for bit, non-finite is null") {
  const double values[] = {0.1,
                           -1.0 / 3.0,
                           1e-300,
                           5e-324,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::min(),
                           -0.0,
                           123456789.123456789,
                           2.0 / 3.0 * 1e21,
                           1.0,
                           std::nextafter(1.0, 2.0),
                           std::nextafter(0.1, 0.0)};
  sparse_iht::L2sReport report;
  report.s = 5;
  report.n = 15;
  report.samples = 12;
  report.seed = 9007199254740991u;
  report.scale = 0.3;
  report.estimate.ratios.assign(std::begin(values), std::end(values));
  report.estimate.max = std::numeric_limits<double>::infinity();
  report.estimate.quantiles.p50 = std::numeric_limits<double>::quiet_NaN();
  report.estimate.quantiles.p90 = -std::numeric_limits<double>::infinity();
  report.estimate.quantiles.p99 = 7.25;
  const std::string text = sparse_iht::to_json(report);
  const JsonValue doc = parse_json(text);

  CHECK(sorted(json_key_paths(text)) ==
        sorted({"s", "n", "samples", "seed", "scale", "ratios", "max", "quantiles", "quantiles.p50",
                "quantiles.p90", "quantiles.p99", "lower", "upper", "upperMethod"}));
  CHECK(doc.at("seed").raw == "9007199254740991");
  CHECK(doc.at("samples").raw == "12");
  CHECK(doc.at("max").kind == JsonValue::null);
  CHECK(doc.at("quantiles").at("p50").kind == JsonValue::null);
  CHECK(doc.at("quantiles").at("p90").kind == JsonValue::null);
  CHECK(doc.at("quantiles").at("p99").raw == "7.25");
  const auto& ratios = doc.at("ratios").items;
  REQUIRE(ratios.size() == std::size(values));
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    INFO(ratios[i].raw);
    CHECK(same_bits(ratios[i].as_number(), values[i]));
  }
}

TEST_CASE("json: numbers ignore the global locale") {
  sparse_iht::L2sReport report;
  report.scale = 0.5;
  report.estimate.ratios = {1.25, 1e-5, 12345.5};
  const std::string expected = sparse_iht::to_json(report);
  CHECK(expected.find("\"scale\":0.5,") != std::string::npos);
  CHECK(expected.find("[1.25,1.0000000000000001e-05,12345.5]") != std::string::npos);

  for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"}) {
    std::locale comma;
    try {
      comma = std::locale(name);
    } catch (const std::runtime_error&) {
      continue;  // not installed here
    }
    const std::locale saved = std::locale::global(comma);
    const std::string saved_c = std::setlocale(LC_ALL, nullptr);
    std::setlocale(LC_ALL, name);
    const std::string text = sparse_iht::to_json(report);
    std::setlocale(LC_ALL, saved_c.c_str());
    std::locale::global(saved);
    CHECK(text == expected);
    break;
  }
}

TEST_CASE("json: sweep document") {
  sparse_iht::SweepResult sweep;
  sweep.dense = sample_train_result();
  for (int s = 1; s <= 3; ++s) {
    sparse_iht::SweepPoint p;
    p.s = s;
    p.train_loss = 1.0 / s;
    p.test_loss = s == 2 ? std::optional<double>() : std::optional<double>(0.5);
    p.train_accuracy = 0.5;
    p.test_accuracy = 0.25;
    p.gap_to_dense = 0.1 * s;
    p.step_size = 0.2;
    p.l2s = 4.0;
    p.iterations = 10 * s;
    p.status = sparse_iht::IhtStatus::converged;
    p.theta = Eigen::VectorXd::Constant(15, 0.5);
    p.support = {0, 1};
    sweep.points.push_back(p);
  }
  const std::string text = sparse_iht::to_json(sweep);
  CHECK(text.find('\n') == std::string::npos);
  std::vector<std::string> expected = sparse_iht_test::train_result_paths("dense.");
  for (const char* k : {"s",
                        "trainLoss",
                        "testLoss",
                        "trainAccuracy",
                        "testAccuracy",
                        "gapToDense",
                        "htStable",
                        "htStable.stable",
                        "htStable.margin",
                        "htStable.supportGradInf",
                        "htStable.supportSize",
                        "htStable.tolerance",
                        "htStable.reason",
                        "stepSize",
                        "stepRule",
                        "stepCertified",
                        "l2s",
                        "iterations",
                        "status",
                        "theta",
                        "support",
                        "start",
                        "objective",
                        "cold",
                        "cold.trainLoss",
                        "cold.objective",
                        "cold.testLoss",
                        "cold.trainAccuracy",
                        "cold.testAccuracy",
                        "cold.nnz",
                        "cold.support",
                        "cold.iterations",
                        "cold.status",
                        "baselines",
                        "exact",
                        "exactGap",
                        "swap"}) {
    expected.push_back(std::string("points[].") + k);
  }
  for (const char* k :
       {"dense", "points", "grid", "cv", "supportFrequency", "exactNote", "complete"}) {
    expected.push_back(k);
  }
  CHECK(sorted(json_key_paths(text)) == sorted(expected));

  const JsonValue doc = parse_json(text);
  const auto& points = doc.at("points").items;
  REQUIRE(points.size() == 3);
  CHECK(points[0].at("s").raw == "1");
  CHECK(points[1].at("testLoss").kind == JsonValue::null);
  CHECK(points[2].at("status").raw == "converged");
  CHECK(points[2].at("iterations").raw == "30");
  CHECK(points[0].at("theta").items.size() == 15);

  sparse_iht::SweepResult empty;
  const JsonValue e = parse_json(sparse_iht::to_json(empty));
  CHECK(e.at("points").items.empty());
}

TEST_CASE("json: UTF-8 beyond U+10FFFF and overlong forms become U+FFFD") {
  sparse_iht::TrainResult r = sample_train_result();
  // F4 8F BF BF is U+10FFFF, the last code point; F4 90 80 80 would be
  // U+110000; C0 AF is an overlong '/'; F0 80 80 80 an overlong NUL.
  r.class_names = {"max\xF4\x8F\xBF\xBF", "over\xF4\x90\x80\x80", "long\xC0\xAF",
                   "long4\xF0\x80\x80\x80"};
  const JsonValue doc = parse_json(sparse_iht::to_json(r));
  const auto& classes = doc.at("classes").items;
  REQUIRE(classes.size() == 4);
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(classes[0].raw == r.class_names[0]);
  CHECK(classes[1].raw == "over" + fffd + fffd + fffd + fffd);
  CHECK(classes[2].raw == "long" + fffd + fffd);
  CHECK(classes[3].raw == "long4" + fffd + fffd + fffd + fffd);
}
