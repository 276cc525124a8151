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

#include "../common/json.hpp"
#include "../common/utf8.hpp"
#include "latin1.hpp"
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

// tests/bad_inputs.json, read with the tests' JSON reader. Numbers keep their
// text, so an option's value reaches the parser exactly as the table writes it.
using Json = sparse_iht_test::JsonValue;

using sparse_iht_test::latin1_bytes;

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
    case Json::boolean:
      return v.raw == "true" ? "on" : "off";
    case Json::array: {
      std::string out;
      for (std::size_t i = 0; i < v.items.size(); ++i)
        out += (i ? "," : "") + option_text(v.items[i]);
      return out;
    }
    default:
      return v.raw;
  }
}

// The same bytes as generateCsv in tests/node/bad-inputs.test.mjs.
std::string generate(const Json& g) {
  const std::string kind = g.string_or("kind", "");
  if (kind == "rows") {
    const long count = std::stol(g.find("count")->raw);
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
    const std::size_t bytes = std::stoul(g.find("bytes")->raw);
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
    return sparse_iht_test::parse_json(text.str());
  }();
  return doc;
}

std::vector<Entry> cpp_entries() {
  std::vector<Entry> out;
  for (const Json& e : table().find("entries")->items) {
    bool cpp = false;
    for (const Json& s : e.find("surface")->items) cpp = cpp || s.raw == "cpp";
    if (!cpp) continue;
    Entry entry;
    entry.id = e.string_or("id", "?");
    entry.command = si::parse_command(e.string_or("command", "train"));
    entry.name = e.string_or("name", "bad.csv");
    if (const Json* g = e.find("generate")) {
      entry.csv = generate(*g);
    } else if (const Json* csv = e.find("csv")) {
      entry.csv = e.string_or("csvEncoding", "") == "latin1" ? latin1_bytes(csv->raw) : csv->raw;
    }
    if (const Json* options = e.find("options")) {
      for (const auto& [name, value] : options->members) {
        entry.pairs.emplace_back(kebab(name), option_text(value));
      }
    }
    if (const Json* error = e.find("error")) entry.error = error->raw;
    entry.accept = e.find("accept");
    out.push_back(std::move(entry));
  }
  return out;
}

// ---- Running an entry -------------------------------------------------------

struct Outcome {
  std::optional<std::string> error;  // an InputError as the command line prints it (cli_message)
  std::optional<si::Dataset> data;
  std::optional<si::TrainResult> train;
  std::optional<si::SweepResult> sweep;
};

Outcome run_api(const Entry& e) {
  Outcome out;
  try {
    const si::RunOptions options = si::parse_options(e.command, e.pairs);
    out.data = e.csv ? si::parse_csv(*e.csv, options.label, e.name) : si::load_dataset(options);
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
    out.error = si::cli_message(error, e.command);
    // The C++ message names the option without the command line's "--"; the
    // code says what kind of input is at fault.
    if (error.option().empty() || error.code() == si::ErrorCode::unknown_option) {
      CHECK(std::string(error.what()) == error.problem());
    } else {
      CHECK(std::string(error.what()) == error.option() + ": " + error.problem());
      CHECK((error.code() == si::ErrorCode::bad_option ||
             error.code() == si::ErrorCode::unknown_option));
    }
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
    for (const Json& item : v->items) out.push_back(item.raw);
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
    CHECK(o.data->num_samples() == std::stoi(samples->raw));
  }
  if (accept.find("features")) CHECK(o.data->feature_names == string_list(accept.find("features")));
  if (accept.find("classes")) CHECK(o.data->class_names == string_list(accept.find("classes")));
  const si::TrainResult* r = o.train ? &*o.train : o.sweep ? &o.sweep->dense : nullptr;
  if (!r) return;
  check_finite(r->theta, "theta");
  CHECK(std::isfinite(r->train_loss));
  for (const double loss : r->history.loss) CHECK(std::isfinite(loss));
  if (accept.find("status")) CHECK(si::status_name(r->status) == accept.string_or("status", ""));
  if (const Json* min = accept.find("minIterations")) CHECK(r->iterations >= std::stoi(min->raw));
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
