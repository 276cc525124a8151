#include <doctest/doctest.h>

#include <algorithm>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/json.hpp"
#include "sparse_iht/cli.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/options.hpp"

#if !defined(_WIN32)
// The process-level test at the end runs the native binary that CMakeLists.txt
// names here. Without the name it would compile to nothing and stop running
// unseen, so its absence stops the build instead.
#ifndef SPARSE_IHT_CLI
#error "SPARSE_IHT_CLI must name the native iht binary (CMakeLists.txt defines it)"
#endif
#include <sys/wait.h>

#include <cstdio>
#endif

using sparse_iht_test::json_at;
using sparse_iht_test::json_key_paths;

namespace {

struct Run {
  int status = -1;
  std::string out, err;
};

Run cli(const std::vector<std::string>& args,
        const sparse_iht::FileReader& reader = sparse_iht::read_file) {
  std::ostringstream out, err;
  Run r;
  r.status = sparse_iht::run_cli(args, out, err, reader);
  r.out = out.str();
  r.err = err.str();
  return r;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The IRIS table as CSV text, as a user's file would hold it.
std::string iris_csv() {
  const sparse_iht::Dataset d = sparse_iht::iris();
  std::ostringstream o;
  o.imbue(std::locale::classic());
  o.precision(17);
  for (const auto& f : d.feature_names) o << f << ",";
  o << "species\r\n";
  for (int j = 0; j < d.num_samples(); ++j) {
    for (int i = 0; i < d.num_features(); ++i) o << d.x(i, j) << ",";
    o << d.class_names[d.y[j]] << "\r\n";
  }
  return o.str();
}

// Status 2, nothing on out, exactly one line on err starting "iht: ".
void check_bad_input(const std::vector<std::string>& args, const std::string& part = "",
                     const sparse_iht::FileReader& reader = sparse_iht::read_file) {
  std::string joined;
  for (const auto& a : args) joined += "'" + a + "' ";
  const Run r = cli(args, reader);
  INFO("args: " << joined << "\nerr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("iht: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(!r.err.empty());
  CHECK(r.err.back() == '\n');
  if (!part.empty()) CHECK(contains(r.err, part));
}

void check_one_json_line(const Run& r) {
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  REQUIRE(!r.out.empty());
  CHECK(r.out.back() == '\n');
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  CHECK_NOTHROW(json_key_paths(r.out));
}

void check_has_paths(const std::string& json, const std::vector<std::string>& required) {
  const auto paths = json_key_paths(json);
  for (const auto& p : required) {
    INFO("key " << p);
    CHECK(std::find(paths.begin(), paths.end(), p) != paths.end());
  }
}

}  // namespace

TEST_CASE("cli: help and version") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"help"}}) {
    const Run r = cli(args);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "train"));
    CHECK(contains(r.out, "sweep"));
    CHECK(contains(r.out, "lipschitz"));
  }
  using sparse_iht::Command;
  for (const Command c : {Command::train, Command::sweep, Command::lipschitz}) {
    const std::string name = sparse_iht::command_name(c);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {name, "--help"}, {name, "-h"}, {"help", name}, {name, "--s", "0", "--foo", "-h"}}) {
      const Run r = cli(args);
      INFO(name);
      CHECK(r.status == 0);
      CHECK(r.err.empty());
      CHECK(contains(r.out, "usage: iht " + name));
      for (const auto& option : sparse_iht::option_names(c)) {
        INFO(option);
        CHECK(contains(r.out, "--" + option + " "));
      }
      const auto lines = std::count(r.out.begin(), r.out.end(), '\n');
      CHECK(lines >= static_cast<long>(sparse_iht::option_names(c).size()));
    }
  }
  const Run v = cli({"--version"});
  CHECK(v.status == 0);
  CHECK(v.out == "iht (sparse-iht) 0.1.0\n");
}

TEST_CASE("cli: bad input exits 2 with one line") {
  check_bad_input({}, "no command");
  check_bad_input({"fit"}, "unknown command 'fit'");
  check_bad_input({"--json"});
  check_bad_input({"help", "fit"}, "unknown command");
  check_bad_input({"train", "--foo", "1"}, "unknown option --foo for 'iht train'");
  check_bad_input({"train", "--foo"}, "unknown option --foo");
  check_bad_input({"train", "--foo=1"}, "unknown option --foo");
  check_bad_input({"lipschitz", "--iters", "5"}, "unknown option --iters");
  check_bad_input({"train", "--s"}, "--s: missing value");
  check_bad_input({"train", "--s", "--iters", "5"}, "--s: missing value");
  check_bad_input({"train", "5"}, "unexpected argument '5'");
  check_bad_input({"train", "-s", "5"}, "unexpected argument '-s'");
  // A value with no name is an argument that is not an option, not an option named ''.
  check_bad_input({"train", "--=5"},
                  "unexpected argument '--=5' (options take the form --name value; run 'iht "
                  "train --help')");
  check_bad_input({"train", "--s", "0"}, "--s: expected an integer ≥ 1, got '0'");
  check_bad_input({"train", "--s=2.5"}, "--s");
  check_bad_input({"train", "--s", "16"}, "--s: 16 is more than the 15 parameters of the network");
  check_bad_input({"lipschitz", "--s", "16"}, "--s: 16 is more than the 15");
  check_bad_input({"sweep", "--s", "3"}, "--s");
  check_bad_input({"train", "--step", "0"},
                  "--step: expected 'auto', 'bound', 'backtracking', 'normalized', 'estimate' or a "
                  "number > 0, got '0'");
  check_bad_input({"train", "--step", "-1"},
                  "--step: expected 'auto', 'bound', 'backtracking', 'normalized', 'estimate' or a "
                  "number > 0, got '-1'");
  check_bad_input({"train", "--step", "nan"}, "--step");
  check_bad_input({"train", "--iters", "0"}, "--iters");
  check_bad_input({"train", "--hidden", "0"}, "--hidden");
  check_bad_input({"train", "--activation", "foo"}, "--activation");
  check_bad_input({"train", "--test-fraction", "1"}, "--test-fraction");
  check_bad_input({"train", "--json", "maybe"}, "--json: expected on or off, got 'maybe'");
  check_bad_input({"train", "--data", "no-such-dir-sparse-iht/missing.csv"},
                  "--data: cannot read 'no-such-dir-sparse-iht/missing.csv'");
  check_bad_input({"train", "--data", "line\nbreak.csv"});
}

TEST_CASE("cli: CSV problems from the reader exit 2") {
  const std::vector<std::string> bad_texts = {
      "",
      "a,b,label\n",
      "a,b,label\n1,2,x\n3,oops,y\n",
      "a,b,label\n1,2\n3,4,y\n",
      "a,b,label\n1,2,x\n\"unterminated,4,y\n",
  };
  for (const auto& text : bad_texts) {
    INFO("csv: " << text);
    check_bad_input({"train", "--data", "bad.csv"}, "", [&](const std::string&) { return text; });
  }
  // A reader that cannot find the file reports it as bad input.
  check_bad_input({"train", "--data", "gone.csv"},
                  "--data: ", [](const std::string& path) -> std::string {
                    throw sparse_iht::InputError("no file '" + path + "' was given");
                  });
}

TEST_CASE("cli: other exceptions are internal errors, status 1") {
  const Run r = cli({"train", "--data", "x.csv"}, [](const std::string&) -> std::string {
    throw std::runtime_error("reader broke");
  });
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "iht: internal error: reader broke\n");
}

TEST_CASE("cli: train --json on IRIS") {
  const Run r = cli({"train", "--json"});
  check_one_json_line(r);
  check_has_paths(r.out, sparse_iht_test::train_result_paths(""));
  CHECK(json_at(r.out, "s") == "5");
  CHECK(json_at(r.out, "n") == "15");
  CHECK(json_at(r.out, "sizes") == "[2]");
  CHECK(json_at(r.out, "theta") == "[15]");
  CHECK(json_at(r.out, "classes") == "[3]");
  CHECK(json_at(r.out, "confusionOn") == "test");
  CHECK(json_at(r.out, "testLoss") != "null");
  CHECK(json_at(r.out, "stepRule") == "bound");
  CHECK(json_at(r.out, "stepCertified") == "true");
  const std::string status = json_at(r.out, "status");
  CHECK((status == "converged" || status == "max_iterations"));
}

TEST_CASE("cli: option forms and a test fraction of 0") {
  const Run r = cli(
      {"train", "--s=3", "--iters=50", "--step", "0.1", "--test-fraction", "0", "--json", "on"});
  check_one_json_line(r);
  CHECK(json_at(r.out, "s") == "3");
  CHECK(json_at(r.out, "stepSize") == "0.10000000000000001");
  CHECK(json_at(r.out, "l2s") == "null");
  CHECK(json_at(r.out, "testLoss") == "null");
  CHECK(json_at(r.out, "testAccuracy") == "null");
  CHECK(json_at(r.out, "confusionOn") == "train");
  CHECK(json_at(r.out, "history.testAccuracy") == "[0]");

  const Run text = cli({"train", "--iters", "20", "--json=off"});
  CHECK(text.status == 0);
  CHECK(text.out.front() != '{');
}

TEST_CASE("cli: every on/off option is also a bare switch") {
  // --exact alone turns it on; --warm off still takes its value.
  const Run r = cli({"sweep", "--s-grid", "2", "--iters", "5", "--ridge", "0.01", "--warm", "off",
                     "--baselines", "off", "--exact", "--json"});
  check_one_json_line(r);
  CHECK(json_at(r.out, "points.0.exact") != "null");
  CHECK(json_at(r.out, "points.0.start") == "cold");
  const Run s = cli({"train", "--iters", "5", "--standardize", "--refine", "--json"});
  check_one_json_line(s);
  const Run off = cli({"train", "--iters", "5", "--standardize", "off", "--json"});
  check_one_json_line(off);
  CHECK(json_at(s.out, "theta") == json_at(off.out, "theta"));  // same length
  CHECK(s.out != off.out);
  // A word after a switch is its value, checked as one.
  const Run maybe = cli({"train", "--standardize", "maybe"});
  CHECK(maybe.status == 2);
  CHECK(maybe.err == "iht: --standardize: expected on or off, got 'maybe'\n");
}

TEST_CASE("cli: data from the FileReader") {
  const std::string csv = iris_csv();
  std::vector<std::string> asked;
  const auto reader = [&](const std::string& path) {
    asked.push_back(path);
    return csv;
  };
  const Run r = cli({"train", "--data", "flowers.csv", "--iters", "100", "--json"}, reader);
  check_one_json_line(r);
  CHECK(asked == std::vector<std::string>{"flowers.csv"});
  CHECK(json_at(r.out, "n") == "15");
  CHECK(json_at(r.out, "classes") == "[3]");
  CHECK(json_at(r.out, "features") == "[4]");

  const Run labelled = cli(
      {"train", "--data", "flowers.csv", "--label", "species", "--iters", "10", "--json"}, reader);
  check_one_json_line(labelled);

  // The built-in IRIS never touches the reader.
  asked.clear();
  CHECK(cli({"lipschitz", "--samples", "10"}, reader).status == 0);
  CHECK(asked.empty());
}

TEST_CASE("cli: a network smaller than the default s") {
  // One feature, two classes: n = 2·1 + 2 = 4 < 5, so the default s is n.
  std::string csv = "x,label\n";
  for (int i = 0; i < 20; ++i) {
    csv += std::to_string(i) + (i < 10 ? ",low\n" : ",high\n");
  }
  const auto reader = [&](const std::string&) { return csv; };
  const Run r = cli({"train", "--data", "tiny.csv", "--iters", "20", "--json"}, reader);
  check_one_json_line(r);
  CHECK(json_at(r.out, "n") == "4");
  CHECK(json_at(r.out, "s") == "4");
  const Run l = cli({"lipschitz", "--data", "tiny.csv", "--samples", "20", "--json"}, reader);
  check_one_json_line(l);
  CHECK(json_at(l.out, "s") == "4");
  check_bad_input({"train", "--data", "tiny.csv", "--s", "5"},
                  "--s: 5 is more than the 4 parameters of the network", reader);
}

TEST_CASE("cli: hidden layers") {
  const Run r = cli(
      {"train", "--hidden", "8", "--activation", "relu", "--iters", "20", "--s", "20", "--json"});
  check_one_json_line(r);
  CHECK(json_at(r.out, "n") == "67");  // 4·8 + 8 + 8·3 + 3
  CHECK(json_at(r.out, "sizes") == "[3]");
  CHECK(json_at(r.out, "activation") == "relu");
}

TEST_CASE("cli: train text") {
  const Run r = cli({"train", "--iters", "200"});
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(contains(r.out, "n = 15"));
  CHECK(contains(r.out, "s = 5"));
  CHECK(contains(r.out, "a certified upper bound of L_2s (bound)"));
  CHECK(contains(r.out, "why: "));
  const Run e = cli({"train", "--iters", "200", "--step", "estimate"});
  CHECK(contains(e.out, "lower bound"));
  const Run b = cli({"train", "--iters", "200", "--step", "backtracking"});
  CHECK(contains(b.out, "halved until the sparse descent condition held"));
  CHECK(contains(r.out, "HT-stable"));
  CHECK(contains(r.out, "iterations"));
  CHECK((contains(r.out, "W1[") || contains(r.out, "b1[")));
}

TEST_CASE("cli: sweep") {
  const Run r = cli({"sweep", "--iters", "30", "--samples", "50", "--json"});
  check_one_json_line(r);
  CHECK(json_at(r.out, "points") == "[15]");
  CHECK(json_at(r.out, "points.0.s") == "1");
  CHECK(json_at(r.out, "points.14.s") == "15");
  CHECK(json_at(r.out, "dense.s") == "15");
  std::vector<std::string> required = sparse_iht_test::train_result_paths("dense.");
  for (const char* k : {"s", "trainLoss", "testLoss", "trainAccuracy", "testAccuracy", "gapToDense",
                        "htStable.stable", "htStable.margin", "htStable.supportGradInf"}) {
    required.push_back(std::string("points[].") + k);
  }
  check_has_paths(r.out, required);

  const Run text = cli({"sweep", "--iters", "30", "--samples", "50"});
  CHECK(text.status == 0);
  CHECK(contains(text.out, "cold loss"));
  CHECK(contains(text.out, "magnitude"));
  CHECK(contains(text.out, "HT-stable"));
  CHECK(contains(text.out, "dense"));
}

TEST_CASE("cli: lipschitz") {
  const Run r = cli({"lipschitz", "--samples", "100", "--seed", "3", "--json"});
  check_one_json_line(r);
  check_has_paths(r.out, {"s", "n", "samples", "seed", "scale", "ratios", "max", "quantiles.p50",
                          "quantiles.p90", "quantiles.p99"});
  CHECK(json_at(r.out, "ratios") == "[100]");
  CHECK(json_at(r.out, "samples") == "100");
  CHECK(json_at(r.out, "seed") == "3");
  CHECK(json_at(r.out, "s") == "5");
  CHECK(json_at(r.out, "n") == "15");

  // Same seed, same numbers.
  CHECK(cli({"lipschitz", "--samples", "100", "--seed", "3", "--json"}).out == r.out);

  const Run text = cli({"lipschitz", "--samples", "100"});
  CHECK(text.status == 0);
  CHECK(contains(text.out, "lower bound"));
  CHECK(contains(text.out, "p90"));
  CHECK(contains(text.out, "≤ L_2s ≤ "));
  CHECK(contains(text.out, "γ ≤ 1 / upper = "));
  CHECK(contains(text.out, "Böhning's bound"));
}

#if !defined(_WIN32)
namespace {

// One stream of the native binary, run by the shell, and its exit status.
Run run_binary(const std::vector<std::string>& args, bool stderr_only) {
  std::string command = std::string("'") + SPARSE_IHT_CLI + "'";
  for (const auto& a : args) command += " '" + a + "'";
  command += stderr_only ? " 2>&1 >/dev/null" : " 2>/dev/null";
  Run r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, got);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  (stderr_only ? r.err : r.out) = text;
  return r;
}

}  // namespace

TEST_CASE("cli: the native binary prints what run_cli prints, on the same streams") {
  const std::vector<std::vector<std::string>> cases = {
      {"--help"},
      {"train", "--help"},
      {"--version"},
      {"train", "--iters", "20", "--json"},
      {"lipschitz", "--samples", "20", "--json"},
      {"train", "--foo", "1"},
      {"train", "--s", "0"},
      {},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    INFO("iht " << joined);
    const Run expected = cli(args);
    const Run out = run_binary(args, false);
    const Run err = run_binary(args, true);
    CHECK(out.status == expected.status);
    CHECK(err.status == expected.status);
    CHECK(out.out == expected.out);
    CHECK(err.err == expected.err);
  }
}
#endif
