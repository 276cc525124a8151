#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "errors.hpp"
#include "sparse_iht/cli.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/options.hpp"
#include "sparse_iht/trainer.hpp"

using sparse_iht::Activation;
using sparse_iht::Command;
using sparse_iht::InputError;
using sparse_iht::parse_options;
using sparse_iht::RunOptions;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

RunOptions parse1(const std::string& name, const std::string& value, Command c = Command::train) {
  return parse_options(c, {{name, value}});
}

// The message the command line prints for one option, or "" when it is accepted.
std::string error_of(const std::string& name, const std::string& value,
                     Command c = Command::train) {
  try {
    parse_options(c, {{name, value}});
  } catch (const InputError& e) {
    return sparse_iht::cli_message(e, c);
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("options: every default") {
  for (const Command c : {Command::train, Command::sweep, Command::lipschitz}) {
    const RunOptions o = parse_options(c, {});
    CHECK_FALSE(o.s.has_value());
    CHECK_FALSE(o.hidden.has_value());  // the data set's default
    CHECK(o.activation == Activation::tanh);
    CHECK_FALSE(o.step.has_value());
    CHECK(o.step_factor == 0.9);
    CHECK(o.iters == 1000);
    CHECK(o.seed == 1u);
    CHECK(o.data == "iris");
    CHECK(o.label.empty());
    CHECK(o.test_fraction == 0.2);
    CHECK(o.standardize);
    CHECK(o.samples == 1000);
    CHECK(o.scale == 1.0);
    CHECK(o.batch_size == 0);
    CHECK(o.tolerance == 1e-9);
    CHECK(o.ht_tolerance == 1e-4);
    CHECK(o.init_scale == 0.1);
    CHECK_FALSE(o.json);
  }
}

TEST_CASE("options: commands and their option names") {
  CHECK(sparse_iht::parse_command("train") == Command::train);
  CHECK(sparse_iht::parse_command("sweep") == Command::sweep);
  CHECK(sparse_iht::parse_command("lipschitz") == Command::lipschitz);
  CHECK(std::string(sparse_iht::command_name(Command::train)) == "train");
  CHECK(std::string(sparse_iht::command_name(Command::sweep)) == "sweep");
  CHECK(std::string(sparse_iht::command_name(Command::lipschitz)) == "lipschitz");
  for (const char* bad : {"", "Train", "fit", "--train"}) {
    try {
      sparse_iht::parse_command(bad);
      FAIL("accepted command '" << bad << "'");
    } catch (const InputError& e) {
      CHECK(contains(e.what(), "unknown command"));
    }
  }

  const std::vector<std::string> all = {
      "s",     "hidden",     "activation",      "step",          "step-factor", "iters",
      "seed",  "data",       "label",           "test-fraction", "standardize", "samples",
      "scale", "batch-size", "tolerance",       "ht-tolerance",  "init-scale",  "json",
      "ridge", "refine",     "stop-when-stable"};
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(sorted(sparse_iht::option_names(Command::train)) == sorted(all));
  std::vector<std::string> sweep_names = all;
  sweep_names.erase(sweep_names.begin());  // "s"
  for (const char* name : {"s-grid", "cv", "warm", "baselines", "exact", "swaps", "threads"}) {
    sweep_names.emplace_back(name);
  }
  CHECK(sorted(sparse_iht::option_names(Command::sweep)) == sorted(sweep_names));
  CHECK(sorted(sparse_iht::option_names(Command::lipschitz)) ==
        sorted({"s", "hidden", "activation", "seed", "data", "label", "test-fraction",
                "standardize", "samples", "scale", "first-pair", "json", "ridge"}));
}

TEST_CASE("options: valid forms") {
  CHECK(*parse1("s", "1").s == 1);
  CHECK(*parse1("s", "15").s == 15);
  CHECK(*parse1("s", "007").s == 7);
  CHECK(*parse1("s", "3", Command::lipschitz).s == 3);

  // '' is given, and means no hidden layer: not the data set's default.
  CHECK(parse1("hidden", "").hidden == std::vector<int>{});
  CHECK(parse1("hidden", "8").hidden == std::vector<int>{8});
  CHECK(parse1("hidden", "8,8").hidden == std::vector<int>{8, 8});
  CHECK(parse1("hidden", "16, 4").hidden == std::vector<int>{16, 4});
  CHECK(parse1("hidden", "1,2,3,4,5,6,7,4096").hidden->size() == 8);

  CHECK(parse1("activation", "tanh").activation == Activation::tanh);
  CHECK(parse1("activation", "relu").activation == Activation::relu);
  CHECK(parse1("activation", "sigmoid").activation == Activation::sigmoid);

  CHECK_FALSE(parse1("step", "auto").step.has_value());
  CHECK(*parse1("step", "0.1").step == 0.1);
  CHECK(*parse1("step", "1e-3").step == 1e-3);
  CHECK(*parse1("step", "2E+1").step == 20.0);
  CHECK(*parse1("step", ".5").step == 0.5);
  CHECK(*parse1("step", "3").step == 3.0);
  // A later value wins: "auto" after a number switches back.
  CHECK_FALSE(parse_options(Command::train, {{"step", "0.1"}, {"step", "auto"}}).step);

  CHECK(parse1("step-factor", "1").step_factor == 1.0);
  CHECK(parse1("step-factor", "0.5").step_factor == 0.5);
  CHECK(parse1("iters", "1").iters == 1);
  CHECK(parse1("iters", "100000000").iters == 100000000);
  CHECK(parse1("seed", "0").seed == 0u);
  CHECK(parse1("seed", "9007199254740991").seed == 9007199254740991u);
  CHECK(parse1("data", "iris").data == "iris");
  CHECK(parse1("data", "some dir/file.csv").data == "some dir/file.csv");
  CHECK(parse1("label", "species").label == "species");
  CHECK(parse1("label", "").label.empty());
  CHECK(parse1("test-fraction", "0").test_fraction == 0.0);
  CHECK(parse1("test-fraction", "0.5").test_fraction == 0.5);
  CHECK(parse1("test-fraction", "0.999").test_fraction == 0.999);
  CHECK_FALSE(parse1("standardize", "off").standardize);
  CHECK(parse1("standardize", "on").standardize);
  CHECK_FALSE(parse1("standardize", "false").standardize);
  CHECK(parse1("standardize", "true").standardize);
  CHECK(parse1("samples", "1").samples == 1);
  CHECK(parse1("samples", "10000000").samples == 10000000);
  CHECK(parse1("scale", "0.01").scale == 0.01);
  CHECK(parse1("batch-size", "0").batch_size == 0);
  CHECK(parse1("batch-size", "32").batch_size == 32);
  CHECK(parse1("tolerance", "0").tolerance == 0.0);
  CHECK(parse1("tolerance", "1e-12").tolerance == 1e-12);
  CHECK(parse1("ht-tolerance", "0").ht_tolerance == 0.0);
  CHECK(parse1("ht-tolerance", "0.001").ht_tolerance == 0.001);
  CHECK(parse1("init-scale", "1").init_scale == 1.0);
  CHECK(parse1("json", "true").json);
  CHECK(parse1("json", "on").json);
  CHECK_FALSE(parse1("json", "off").json);
  CHECK_FALSE(parse1("json", "false").json);

  const RunOptions l = parse_options(
      Command::lipschitz, {{"samples", "50"}, {"seed", "7"}, {"scale", "2"}, {"json", "true"}});
  CHECK(l.samples == 50);
  CHECK(l.seed == 7u);
  CHECK(l.scale == 2.0);
  CHECK(l.json);
}

TEST_CASE("options: bad values name the option and the value") {
  struct Bad {
    const char* name;
    const char* value;
  };
  const Bad bad[] = {
      {"s", "0"},
      {"s", "-1"},
      {"s", "2.5"},
      {"s", ""},
      {"s", "5x"},
      {"s", "NaN"},
      {"s", "inf"},
      {"s", " 5"},
      {"s", "1e1"},
      {"s", "99999999999"},
      {"s", "+5"},
      {"hidden", "0"},
      {"hidden", "-8"},
      {"hidden", "8,"},
      {"hidden", ",8"},
      {"hidden", "8,,8"},
      {"hidden", "4097"},
      {"hidden", "2.5"},
      {"hidden", "x"},
      {"hidden", "1,1,1,1,1,1,1,1,1"},
      {"activation", "foo"},
      {"activation", ""},
      {"activation", "Tanh"},
      {"step", "0"},
      {"step", "-1"},
      {"step", "nan"},
      {"step", "NaN"},
      {"step", "inf"},
      {"step", "-inf"},
      {"step", ""},
      {"step", "0.1x"},
      {"step", "1e999"},
      {"step", "Auto"},
      {"step", "0x10"},
      {"step", "1e"},
      {"step", "."},
      {"step-factor", "0"},
      {"step-factor", "1.5"},
      {"step-factor", "-0.5"},
      {"step-factor", "nan"},
      {"iters", "0"},
      {"iters", "-5"},
      {"iters", "100000001"},
      {"iters", "10.0"},
      {"iters", "5x"},
      {"iters", ""},
      {"seed", "-1"},
      {"seed", "9007199254740992"},
      {"seed", "1.5"},
      {"seed", "abc"},
      {"seed", ""},
      {"data", ""},
      {"test-fraction", "1"},
      {"test-fraction", "-0.1"},
      {"test-fraction", "2"},
      {"test-fraction", "nan"},
      {"test-fraction", "inf"},
      {"test-fraction", ""},
      {"standardize", "yes"},
      {"standardize", ""},
      {"standardize", "1"},
      {"samples", "0"},
      {"samples", "10000001"},
      {"samples", "2.5"},
      {"scale", "0"},
      {"scale", "-1"},
      {"scale", "inf"},
      {"scale", "nan"},
      {"batch-size", "-1"},
      {"batch-size", "1.5"},
      {"batch-size", "x"},
      {"tolerance", "-1e-9"},
      {"tolerance", "nan"},
      {"tolerance", "inf"},
      {"tolerance", "x"},
      {"ht-tolerance", "-1"},
      {"ht-tolerance", "NaN"},
      {"ht-tolerance", ""},
      {"init-scale", "0"},
      {"init-scale", "-1"},
      {"init-scale", "inf"},
      {"json", "yes"},
      {"json", "1"},
      {"json", ""},
  };
  for (const auto& b : bad) {
    const std::string message = error_of(b.name, b.value);
    INFO("--" << b.name << " '" << b.value << "': " << message);
    CHECK(contains(message, std::string("--") + b.name + ": expected"));
    CHECK(contains(message, std::string("got '") + b.value + "'"));
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("options: exact messages") {
  CHECK(error_of("s", "0") == "--s: expected an integer ≥ 1, got '0'");
  CHECK(error_of("step", "-1") ==
        "--step: expected 'auto', 'bound', 'backtracking', 'normalized', 'estimate' or a number > "
        "0, got '-1'");
  CHECK(error_of("foo", "1") == "unknown option --foo for 'iht train' (run 'iht train --help')");
  CHECK(error_of("iters", "1", Command::lipschitz) ==
        "unknown option --iters for 'iht lipschitz' (run 'iht lipschitz --help')");
  CHECK(contains(error_of("step", "1", Command::lipschitz), "unknown option --step"));
  CHECK(contains(error_of("batch-size", "1", Command::lipschitz), "unknown option --batch-size"));
}

TEST_CASE("options: sweep rejects --s") {
  const std::string message = error_of("s", "5", Command::sweep);
  CHECK(contains(message, "--s"));
  CHECK(contains(message, "sweep"));
  CHECK_FALSE(contains(message, "unknown option"));
}

TEST_CASE("options: control characters in values stay on one line") {
  const std::string message = error_of("s", "1\n2");
  CHECK(message.find('\n') == std::string::npos);
  CHECK(contains(message, "--s"));
  const std::string long_value(1000, '7');
  CHECK(error_of("hidden", long_value).size() < 300);
}

TEST_CASE("options: validate_against_model") {
  using sparse_iht::validate_against_model;
  RunOptions o = parse1("s", "15");
  CHECK_NOTHROW(validate_against_model(o, Command::train, 15));
  o.s = 16;
  try {
    validate_against_model(o, Command::train, 15);
    FAIL("s > n accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "s: 16 is more than the 15 parameters of the network");
    CHECK(e.code() == sparse_iht::ErrorCode::bad_option);
    CHECK(e.option() == "s");
    CHECK(sparse_iht::cli_message(e, Command::train) ==
          "--s: 16 is more than the 15 parameters of the network");
  }
  CHECK_THROWS_AS(validate_against_model(o, Command::lipschitz, 15), InputError);
  // The default s is min(5, n), so it always fits.
  RunOptions d;
  CHECK_NOTHROW(validate_against_model(d, Command::train, 4));
  CHECK_NOTHROW(validate_against_model(d, Command::lipschitz, 1));
  // The sweep covers every s, so nothing to check.
  CHECK_NOTHROW(validate_against_model(d, Command::sweep, 4));
}

TEST_CASE("options: every range boundary, one value each side") {
  // name, the last accepted value, the first refused one (beyond that edge).
  struct Edge {
    const char* name;
    const char* inside;
    const char* outside;
  };
  const Edge edges[] = {
      {"s", "1", "0"},
      {"s", "2147483647", "2147483648"},
      {"iters", "1", "0"},
      {"iters", "100000000", "100000001"},
      {"step", "5e-324", "0"},
      {"step", "5e-324", "-5e-324"},
      {"step-factor", "5e-324", "0"},
      {"step-factor", "1", "1.0000000000000002"},
      {"test-fraction", "0", "-5e-324"},
      {"test-fraction", "0.9999999999999999", "1"},
      {"batch-size", "0", "-1"},
      {"batch-size", "2147483647", "2147483648"},
      {"tolerance", "0", "-5e-324"},
      {"ht-tolerance", "0", "-5e-324"},
      {"samples", "1", "0"},
      {"samples", "10000000", "10000001"},
      {"scale", "5e-324", "0"},
      {"init-scale", "5e-324", "0"},
      {"seed", "0", "-1"},
      {"seed", "9007199254740991", "9007199254740992"},
      {"hidden", "1", "0"},
      {"hidden", "4096", "4097"},
      {"hidden", "1,1,1,1,1,1,1,1", "1,1,1,1,1,1,1,1,1"},
  };
  for (const Edge& edge : edges) {
    CAPTURE(edge.name);
    CAPTURE(edge.inside);
    CHECK(error_of(edge.name, edge.inside).empty());
    CAPTURE(edge.outside);
    CHECK(
        contains(error_of(edge.name, edge.outside), std::string("--") + edge.name + ": expected"));
  }
  // The accepted edges keep their exact values.
  CHECK(*parse1("step", "5e-324").step == std::numeric_limits<double>::denorm_min());
  CHECK(parse1("test-fraction", "0.9999999999999999").test_fraction == std::nextafter(1.0, 0.0));
  CHECK(parse1("step-factor", "1").step_factor == 1.0);
  CHECK(*parse1("s", "2147483647").s == 2147483647);
  CHECK(parse1("hidden", "1,1,1,1,1,1,1,1").hidden->size() == 8);
}

// ---- The option table ------------------------------------------------------

namespace {

// Every field of RunOptions as text, to compare two parses.
std::string dump(const RunOptions& o) {
  std::string out = "s=" + (o.s ? std::to_string(*o.s) : std::string("default"));
  out += " hidden=";
  if (!o.hidden) out += "default";
  for (const int w : o.hidden.value_or(std::vector<int>{})) out += std::to_string(w) + ",";
  out += " activation=" + std::string(sparse_iht::activation_name(o.activation));
  out += " step=" + (o.step ? std::to_string(*o.step) : std::string("auto"));
  const auto number = [](double x) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", x);
    return std::string(buffer);
  };
  out += " step-factor=" + number(o.step_factor) + " iters=" + std::to_string(o.iters);
  out += " seed=" + std::to_string(o.seed) + " data=" + o.data + " label=" + o.label;
  out +=
      " test-fraction=" + number(o.test_fraction) + " standardize=" + (o.standardize ? "1" : "0");
  out += " samples=" + std::to_string(o.samples) + " scale=" + number(o.scale);
  out += " batch-size=" + std::to_string(o.batch_size) + " tolerance=" + number(o.tolerance);
  out += " init-scale=" + number(o.init_scale) + " ht-tolerance=" + number(o.ht_tolerance);
  out += " json=" + std::string(o.json ? "1" : "0") + " first-pair=" + std::to_string(o.first_pair);
  out += " ridge=" + number(o.ridge);
  return out;
}

std::string camel(const std::string& kebab) {
  std::string out;
  for (std::size_t i = 0; i < kebab.size(); ++i) {
    if (kebab[i] == '-' && i + 1 < kebab.size()) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(kebab[++i])));
    } else {
      out += kebab[i];
    }
  }
  return out;
}

std::string text_of(double x, bool integer) {
  if (integer) return std::to_string(static_cast<long long>(x));
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

}  // namespace

TEST_CASE("option table: names, commands and help") {
  std::vector<std::string> names;
  for (const auto& spec : sparse_iht::option_table()) {
    CAPTURE(spec.name);
    names.emplace_back(spec.name);
    CHECK(std::string(spec.js_name) == camel(spec.name));
    CHECK(spec.commands != 0U);
    CHECK(std::string(spec.help).size() > 10);
    CHECK(sparse_iht::find_option(spec.name) == &spec);
  }
  std::vector<std::string> unique = names;
  std::sort(unique.begin(), unique.end());
  CHECK(std::adjacent_find(unique.begin(), unique.end()) == unique.end());
  CHECK(sparse_iht::find_option("nonsense") == nullptr);
}

TEST_CASE("option table: each default is what the parser assumes without the option") {
  for (const Command c : {Command::train, Command::sweep, Command::lipschitz}) {
    const std::string defaults = dump(parse_options(c, {}));
    for (const auto& spec : sparse_iht::option_table()) {
      if (!spec.takes(c)) continue;
      CAPTURE(spec.name);
      CAPTURE(spec.fallback);
      RunOptions explicit_default = parse_options(c, {{spec.name, spec.fallback}});
      // s's default is "min(5, n)", or the data set's share of n, applied by the
      // trainer; hidden's is none, or the data set's layers. The parser keeps both
      // "unset", so that the data set can decide.
      if (std::string(spec.name) == "s") {
        CHECK(*explicit_default.s == 5);
        explicit_default.s.reset();
      }
      if (std::string(spec.name) == "hidden") {
        CHECK(explicit_default.hidden == std::vector<int>{});
        explicit_default.hidden.reset();
      }
      CHECK(dump(explicit_default) == defaults);
    }
  }
}

TEST_CASE("option table: the parser enforces each advertised range, and says it") {
  for (const auto& spec : sparse_iht::option_table()) {
    const bool integer = spec.type == sparse_iht::OptionType::integer;
    if (!integer && spec.type != sparse_iht::OptionType::number) continue;
    CAPTURE(spec.name);
    const Command c = spec.takes(Command::train)   ? Command::train
                      : spec.takes(Command::sweep) ? Command::sweep
                                                   : Command::lipschitz;
    const std::string expected = std::string("--") + spec.name + ": expected " + spec.expected();
    if (!std::isnan(spec.min)) {
      const double below = integer ? spec.min - 1 : std::nextafter(spec.min, -HUGE_VAL);
      const double above = integer ? spec.min + 1 : std::nextafter(spec.min, HUGE_VAL);
      CHECK(contains(error_of(spec.name, text_of(below, integer), c), expected));
      CHECK(error_of(spec.name, text_of(above, integer), c).empty());
      CHECK(error_of(spec.name, text_of(spec.min, integer), c).empty() != spec.min_exclusive);
    }
    if (!std::isnan(spec.max)) {
      const double above = integer ? spec.max + 1 : std::nextafter(spec.max, HUGE_VAL);
      CHECK(contains(error_of(spec.name, text_of(above, integer), c), expected));
      CHECK(error_of(spec.name, text_of(spec.max, integer), c).empty() != spec.max_exclusive);
    }
    for (const auto& word : spec.choices) CHECK(error_of(spec.name, word, c).empty());
    CHECK(contains(error_of(spec.name, "nonsense", c), expected));
  }
}

TEST_CASE("option table: errors carry the option and the code") {
  try {
    parse_options(Command::train, {{"test-fraction", "2"}});
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(e.code() == sparse_iht::ErrorCode::bad_option);
    CHECK(e.option() == "test-fraction");
    CHECK(e.problem() == "expected a number in [0, 1), got '2'");
    CHECK(std::string(e.what()) == "test-fraction: expected a number in [0, 1), got '2'");
  }
  try {
    parse_options(Command::lipschitz, {{"iters", "5"}});
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(e.code() == sparse_iht::ErrorCode::unknown_option);
    CHECK(e.option() == "iters");
  }
  CHECK(std::string(sparse_iht::error_code_name(sparse_iht::ErrorCode::bad_data)) == "bad-data");
  CHECK(std::string(sparse_iht::error_code_name(sparse_iht::ErrorCode::bad_state)) == "bad-state");
}

TEST_CASE("options set in code are checked as the parser checks text, with its messages") {
  const auto message_of = [](const RunOptions& o) {
    try {
      (void)sparse_iht::train(o, sparse_iht::iris());
    } catch (const sparse_iht::InputError& e) {
      return sparse_iht::cli_message(e, Command::train);
    }
    return std::string("(accepted)");
  };
  RunOptions o;
  o.iters = 0;
  CHECK(message_of(o) == "--iters: expected an integer from 1 to 100000000, got '0'");
  o = RunOptions();
  o.step_factor = 2;
  CHECK(message_of(o) == "--step-factor: expected a number in (0, 1], got '2'");
  o = RunOptions();
  o.init_scale = 0;
  CHECK(message_of(o).rfind("--init-scale: expected", 0) == 0);
  o = RunOptions();
  o.test_fraction = 0.1 + 0.9;  // 1
  CHECK(message_of(o).rfind("--test-fraction: expected", 0) == 0);
  o = RunOptions();
  o.label = "species";
  CHECK(sparse_iht_test::bad_option_of([&] { (void)sparse_iht::load_dataset(o); }) == "label");
  o = RunOptions();
  o.hidden = {4, 0};
  CHECK(message_of(o).rfind("--hidden: expected", 0) == 0);
  o = RunOptions();
  o.ridge = std::nan("");
  CHECK(message_of(o) == "--ridge: expected a number ≥ 0, got 'nan'");
  o = RunOptions();
  o.iters = 3;
  o.step_factor = 0.25;
  CHECK(message_of(o) == "(accepted)");
  RunOptions sweep_options;
  sweep_options.cv = 1;
  CHECK(sparse_iht_test::bad_option_of(
            [&] { sparse_iht::validate_options(sweep_options, Command::sweep); }) == "cv");
}
