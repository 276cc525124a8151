// Issue #5: every entry of tests/bad_inputs.json whose surface includes "cpp",
// against the C++ API (parse_options, parse_csv, train / sweep / estimate_l2s,
// as the command line and the bindings call them) and against run_cli in
// process with a FileReader that holds the CSV. tests/node/bad-inputs.test.mjs
// runs the same table against the native and npm command lines and the JS API.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../common/utf8.hpp"
#include "sparse_iht/cli.hpp"
#include "sparse_iht/csv.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/options.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

#ifndef SPARSE_IHT_TEST_DATA
#error "SPARSE_IHT_TEST_DATA must name tests/data"
#endif

namespace {

namespace si = sparse_iht;

// ---- A small JSON reader: enough for the table. Numbers keep their text, so
// an option's value reaches the parser exactly as the table writes it.
struct Json {
  enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
  bool boolean = false;
  std::string text;  // a string's value, or a number's text
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json* find(const std::string& key) const {
    for (const auto& [k, v] : members) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  std::string string_or(const std::string& key, const std::string& fallback) const {
    const Json* v = find(key);
    return v && v->kind == Kind::string ? v->text : fallback;
  }
};

class JsonReader {
 public:
  explicit JsonReader(const std::string& text) : s_(text) {}

  Json document() {
    Json v = value();
    space();
    if (i_ != s_.size()) fail("trailing text");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("bad_inputs.json: " + what + " at offset " + std::to_string(i_));
  }
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }
  bool word(const char* w) {
    const std::string ws(w);
    if (s_.compare(i_, ws.size(), ws) == 0) {
      i_ += ws.size();
      return true;
    }
    return false;
  }

  Json value() {
    space();
    if (i_ >= s_.size()) fail("unexpected end");
    Json v;
    const char c = s_[i_];
    if (c == '{') {
      v.kind = Json::Kind::object;
      ++i_;
      if (eat('}')) return v;
      do {
        space();
        std::string key = string();
        expect(':');
        v.members.emplace_back(std::move(key), value());
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      v.kind = Json::Kind::array;
      ++i_;
      if (eat(']')) return v;
      do {
        v.items.push_back(value());
      } while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.kind = Json::Kind::string;
      v.text = string();
    } else if (word("true")) {
      v.kind = Json::Kind::boolean;
      v.boolean = true;
    } else if (word("false")) {
      v.kind = Json::Kind::boolean;
    } else if (word("null")) {
      v.kind = Json::Kind::null;
    } else {
      const std::size_t begin = i_;
      while (i_ < s_.size() && std::string("+-.0123456789eE").find(s_[i_]) != std::string::npos)
        ++i_;
      if (i_ == begin) fail("unexpected character");
      v.kind = Json::Kind::number;
      v.text = s_.substr(begin, i_ - begin);
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned long cp) {
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

  unsigned long hex4() {
    if (i_ + 4 > s_.size()) fail("short \\u escape");
    const unsigned long v = std::stoul(s_.substr(i_, 4), nullptr, 16);
    i_ += 4;
    return v;
  }

  std::string string() {
    if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string");
    ++i_;
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated string");
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) fail("unterminated escape");
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned long cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && word("\\u")) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          fail("bad escape");
      }
    }
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

// UTF-8 text whose code points are all below U+0100, as one byte each.
std::string latin1_bytes(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      REQUIRE_MESSAGE((c == 0xC2 || c == 0xC3), "latin1 text above U+00FF");
      REQUIRE(i + 1 < utf8.size());
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F));
    }
  }
  return out;
}

// ---- The table ------------------------------------------------------------

struct Entry {
  std::string id;
  si::Command command = si::Command::train;
  std::optional<std::string> csv;  // nullopt: IRIS
  std::string name = "bad.csv";
  std::vector<std::pair<std::string, std::string>> pairs;  // command-line names and values
  std::optional<std::string> error;
  const Json* accept = nullptr;
};

std::string kebab(const std::string& camel) {
  std::string out;
  for (const char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out += '-';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

std::string option_text(const Json& v) {
  switch (v.kind) {
    case Json::Kind::boolean:
      return v.boolean ? "on" : "off";
    case Json::Kind::array: {
      std::string out;
      for (std::size_t i = 0; i < v.items.size(); ++i)
        out += (i ? "," : "") + option_text(v.items[i]);
      return out;
    }
    default:
      return v.text;
  }
}

// The same bytes as generateCsv in tests/node/bad-inputs.test.mjs.
std::string generate(const Json& g) {
  const std::string kind = g.string_or("kind", "");
  if (kind == "rows") {
    const long count = std::stol(g.find("count")->text);
    const char* const names[] = {"alpha", "beta", "gamma"};
    std::string text = "x1,x2,x3,label\n";
    text.reserve(static_cast<std::size_t>(count) * 24);
    char line[64];
    for (long i = 0; i < count; ++i) {
      std::snprintf(line, sizeof line, "%ld,%ld.5,-%ld.25,%s\n", i % 1000, i % 97, i % 13,
                    names[i % 3]);
      text += line;
    }
    return text;
  }
  if (kind == "long-line") {
    const std::size_t bytes = std::stoul(g.find("bytes")->text);
    std::string text = "a,label\n1,x\n2,y\n";
    text.reserve(text.size() + bytes + 3);
    text.append(bytes, '7');
    text += ",x\n";
    return text;
  }
  throw std::runtime_error("unknown generator " + kind);
}

const Json& table() {
  static const Json doc = [] {
    const std::string path = SPARSE_IHT_TEST_DATA "/../bad_inputs.json";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return JsonReader(text.str()).document();
  }();
  return doc;
}

std::vector<Entry> cpp_entries() {
  std::vector<Entry> out;
  for (const Json& e : table().find("entries")->items) {
    bool cpp = false;
    for (const Json& s : e.find("surface")->items) cpp = cpp || s.text == "cpp";
    if (!cpp) continue;
    Entry entry;
    entry.id = e.string_or("id", "?");
    entry.command = si::parse_command(e.string_or("command", "train"));
    entry.name = e.string_or("name", "bad.csv");
    if (const Json* g = e.find("generate")) {
      entry.csv = generate(*g);
    } else if (const Json* csv = e.find("csv")) {
      entry.csv = e.string_or("csvEncoding", "") == "latin1" ? latin1_bytes(csv->text) : csv->text;
    }
    if (const Json* options = e.find("options")) {
      for (const auto& [name, value] : options->members) {
        entry.pairs.emplace_back(kebab(name), option_text(value));
      }
    }
    if (const Json* error = e.find("error")) entry.error = error->text;
    entry.accept = e.find("accept");
    out.push_back(std::move(entry));
  }
  return out;
}

// ---- Running an entry -------------------------------------------------------

struct Outcome {
  std::optional<std::string> error;  // an InputError's message
  std::optional<si::Dataset> data;
  std::optional<si::TrainResult> train;
  std::optional<si::SweepResult> sweep;
};

Outcome run_api(const Entry& e) {
  Outcome out;
  try {
    const si::RunOptions options = si::parse_options(e.command, e.pairs);
    out.data = e.csv ? si::parse_csv(*e.csv, options.label, e.name) : si::iris();
    switch (e.command) {
      case si::Command::train:
        out.train = si::train(options, *out.data);
        break;
      case si::Command::sweep:
        out.sweep = si::sweep(options, *out.data);
        break;
      case si::Command::lipschitz: {
        const si::Problem problem(options, *out.data);
        si::validate_against_model(options, e.command, problem.num_params());
        si::L2sOptions l2s;
        l2s.s = options.s.value_or(std::min(5, problem.num_params()));
        l2s.samples = options.samples;
        l2s.seed = options.seed;
        l2s.scale = options.scale;
        const si::L2sEstimate estimate = si::estimate_l2s(*problem.train_objective, l2s);
        for (const double r : estimate.ratios) CHECK(std::isfinite(r));
        break;
      }
    }
  } catch (const si::InputError& error) {
    out.error = error.what();
  }
  return out;
}

std::vector<std::string> cli_args(const Entry& e) {
  std::vector<std::string> args = {si::command_name(e.command)};
  for (const auto& [name, value] : e.pairs) {
    args.push_back("--" + name);
    args.push_back(value);
  }
  if (e.csv) {
    args.push_back("--data");
    args.push_back(e.name);
  }
  if (e.accept) args.push_back("--json");
  return args;
}

std::vector<std::string> string_list(const Json* v) {
  std::vector<std::string> out;
  if (v) {
    for (const Json& item : v->items) out.push_back(item.text);
  }
  return out;
}

void check_finite(const Eigen::VectorXd& theta, const std::string& what) {
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    INFO(what << "[" << i << "] = " << theta[i]);
    CHECK(std::isfinite(theta[i]));
  }
}

// Accepted runs by id, for "sameAs".
std::map<std::string, Eigen::VectorXd>& thetas() {
  static std::map<std::string, Eigen::VectorXd> map;
  return map;
}

void check_accepted(const Entry& e, const Outcome& o) {
  const Json& accept = *e.accept;
  REQUIRE(o.data);
  if (const Json* samples = accept.find("samples")) {
    CHECK(o.data->num_samples() == std::stoi(samples->text));
  }
  if (accept.find("features")) CHECK(o.data->feature_names == string_list(accept.find("features")));
  if (accept.find("classes")) CHECK(o.data->class_names == string_list(accept.find("classes")));
  const si::TrainResult* r = o.train ? &*o.train : o.sweep ? &o.sweep->dense : nullptr;
  if (!r) return;
  check_finite(r->theta, "theta");
  CHECK(std::isfinite(r->train_loss));
  for (const double loss : r->history.loss) CHECK(std::isfinite(loss));
  if (accept.find("status")) CHECK(si::status_name(r->status) == accept.string_or("status", ""));
  if (const Json* min = accept.find("minIterations")) CHECK(r->iterations >= std::stoi(min->text));
  // The reported state is the last recorded (finite) iterate, also after a divergence.
  REQUIRE(r->history.loss.size() == static_cast<std::size_t>(r->iterations) + 1);
  CHECK(r->train_loss == r->history.loss.back());
  if (o.sweep) {
    for (const auto& p : o.sweep->points) {
      INFO("sweep point s = " << p.s);
      check_finite(p.theta, "theta");
      CHECK(std::isfinite(p.train_loss));
    }
  }
  thetas()[e.id] = r->theta;
  const std::string same_as = accept.string_or("sameAs", "");
  if (!same_as.empty()) {
    const auto it = thetas().find(same_as);
    REQUIRE_MESSAGE(it != thetas().end(), same_as << " must come before " << e.id);
    CHECK(it->second == r->theta);
  }
}

}  // namespace

TEST_CASE("bad inputs: the table (C++ API and run_cli)") {
  const std::vector<Entry> entries = cpp_entries();
  REQUIRE(entries.size() >= 40);
  for (const Entry& e : entries) {
    INFO("entry " << e.id);
    CAPTURE(e.id);

    const Outcome o = run_api(e);
    if (e.error) {
      CHECK(o.error.value_or("(accepted)") == *e.error);
    } else {
      REQUIRE_MESSAGE(!o.error, "rejected: " << o.error.value_or(""));
      check_accepted(e, o);
    }

    // The command line in process: status 2 and "iht: " + the message, or a
    // JSON document with the expected status.
    std::ostringstream out, err;
    const si::FileReader reader = [&e](const std::string& path) -> std::string {
      if (e.csv && path == e.name) return *e.csv;
      throw si::InputError("cannot read '" + path + "': not in the table");
    };
    const int status = si::run_cli(cli_args(e), out, err, reader);
    if (e.error) {
      CHECK(status == 2);
      CHECK(out.str().empty());
      CHECK(err.str() == "iht: " + *e.error + "\n");
    } else {
      CHECK(status == 0);
      CHECK(err.str().empty());
      const std::string expected_status = e.accept->string_or("status", "");
      if (!expected_status.empty()) {
        CHECK(out.str().find("\"status\":\"" + expected_status + "\"") != std::string::npos);
      }
    }
  }
}

TEST_CASE("bad inputs: long arguments are cut at a character boundary in messages") {
  // Found by fuzz_options: values were cut at 80 bytes, in the middle of a
  // UTF-8 sequence, so the message was not valid UTF-8.
  using sparse_iht_test::valid_utf8;
  std::string euros;
  for (int i = 0; i < 30; ++i) euros += "\xE2\x82\xAC";  // 90 bytes
  const std::vector<std::vector<std::string>> cases = {
      {"q" + euros},                     // unknown command
      {"-" + euros},                     // unknown option before the command
      {"train", "x" + euros},            // unexpected argument
      {"train", "--activation", euros},  // a bad value
      {"train", "--" + euros, "1"},      // unknown option
  };
  for (const auto& args : cases) {
    std::ostringstream out, err;
    CHECK(si::run_cli(args, out, err) == 2);
    INFO("message: " << err.str());
    CHECK(valid_utf8(err.str()));
    CHECK(err.str().size() < 300);
  }
}
