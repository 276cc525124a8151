// The options shared by the command line, the JavaScript API and the demo page
// (README: JavaScript API), their table, and their parsing from name/value
// text pairs, so every surface accepts the same values and rejects bad ones
// with the same message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sparse_iht/network.hpp"

namespace sparse_iht {

enum class Command { train, sweep, lipschitz };

// How IHT picks its step γ (docs/method.md §2): a fixed number; estimate, c /
// L̂_2s from the Monte Carlo pairs (the paper's procedure); bound, c / upper
// with upper a certified bound of L_2s; normalized, normalised IHT's adaptive
// step; backtracking, halving until the sparse descent condition holds;
// automatic, bound where a certified bound exists, else backtracking (else,
// for mini-batches, estimate).
enum class StepRule { fixed, automatic, estimate, bound, normalized, backtracking };
// "fixed", "auto", "estimate", "bound", "normalized" or "backtracking".
const char* step_rule_name(StepRule rule);
Command parse_command(const std::string& name);  // throws InputError
const char* command_name(Command c);

struct RunOptions {
  // Unset: the data set's default (Dataset::default_s_percent), else min(5, n).
  std::optional<int> s;
  // Hidden layer widths; empty = the paper's single layer (4 → 3 on IRIS).
  // Unset: the data set's default (Dataset::default_hidden; digits: {32}).
  // (Assigning {} unsets it; an empty vector is "no hidden layer".)
  std::optional<std::vector<int>> hidden;
  Activation activation = Activation::tanh;
  // The step rule. A value in `step` is a fixed step and takes precedence
  // (the parser sets one or the other).
  StepRule step_rule = StepRule::automatic;
  std::optional<double> step;
  double step_factor = 0.9;  // c in γ = c / L̂_2s (estimate) or c / upper (bound), 0 < c ≤ 1
  int iters = 1000;
  std::uint64_t seed = 1;
  // "iris", "digits" or a CSV file path (or "<inline>" when text is given).
  std::string data = "iris";
  std::string label;  // label column name; empty = last column
  double test_fraction = 0.2;
  bool standardize = true;
  int samples = 1000;  // Monte Carlo pairs for L̂_2s
  double scale = 1.0;  // Monte Carlo value scale
  int batch_size = 0;  // 0 = full batch
  double tolerance = 1e-9;
  double ridge = 0.0;  // λ of λ/2 ‖θ‖² added to the loss (the L0L2 problem); 0 = the paper's
  // θ_0 = H_s(init_scale · Glorot-normal draw). A small start lets the first
  // IHT steps pick the support by gradient magnitude instead of by the random
  // draw; on IRIS at s = 5 the Glorot scale (1) lands in a worse fixed point
  // for about half the seeds (README, "Reproducing the paper").
  double init_scale = 0.1;
  double ht_tolerance = 1e-4;  // gradient ∞-norm treated as zero by the HT-stability check
  // HTP-style Newton refinement on the support after each thresholding.
  bool refine = false;
  // End a run once it is HT-stable (status "stable").
  bool stop_when_stable = false;
  // The sparsity path (sweep): its grid (empty = the default), cross-validation
  // folds (0 = none), warm starts, baselines, enumeration, swaps.
  std::vector<int> s_grid;
  int cv = 0;
  bool warm = true;
  bool baselines = true;
  bool exact = false;
  bool swaps = false;
  // Threads that trace the main path and the folds side by side (0 = one per
  // core). The results do not depend on it; a build without threads
  // (WebAssembly) takes 0 and 1 only.
  int threads = 1;
  bool json = false;
  std::int64_t first_pair = 0;  // index of the first Monte Carlo pair (lipschitz)
};

// ---- The option table --------------------------------------------------------
// Every option of every surface is one entry of option_table(): the command
// line's parser, its --help, the error messages, the package's iht.options(),
// its name checks and TypeScript declarations, and the demo page's URL fields
// all derive from it. Adding an option is one entry here plus its use.

enum class OptionType {
  integer,       // a whole number in [min, max]
  number,        // a finite number in the range; `choices` lists words accepted besides numbers
  boolean,       // on/off (true/false)
  choice,        // one of `choices`
  text,          // text of at least `min` characters (a file name, a column name)
  integer_list,  // comma-separated integers in [min, max], at most max_items of them
};

// "integer", "number", "boolean", "choice", "string" or "integer-list": the
// names iht.options() reports.
const char* option_type_name(OptionType type);

// One bit per command, for OptionSpec::commands.
constexpr unsigned command_bit(Command c) { return 1U << static_cast<unsigned>(c); }

struct OptionSpec {
  const char* name;     // kebab-case: the flag without "--", and the name in C++ messages
  const char* js_name;  // camelCase: the package's and the page's name
  OptionType type;
  double min;  // numeric range (integer, number, integer_list items); NaN = none
  double max;
  bool min_exclusive;
  bool max_exclusive;
  std::vector<std::string> choices;  // choice: the values; number: words besides numbers
  int max_items;                     // integer_list: the most items allowed
  const char* fallback;              // the default as the parser reads it ("5", "auto", "", "on")
  const char* fallback_help;         // the default in --help, when `fallback` does not say it
  const char* metavar;               // "N", "W,W,...", "" for a switch
  unsigned commands;                 // command_bit() of each command that takes it
  bool cli_only;                     // not part of the package's options (--json)
  const char* note;                  // appended to the generated expected-value text, or ""
  const char* expected_text;         // replaces the generated expected-value text, or nullptr
  const char* help;                  // one line for --help and iht.options()
  const char* lipschitz_help;        // the help for 'iht lipschitz', where it differs, or nullptr
  // Stores a parsed value. `word` is set for choice, text and the words of
  // number; `number` for integer and number; `flag` for boolean; `items` for
  // integer_list.
  struct Value {
    std::string word;
    double number = 0;
    bool flag = false;
    std::vector<int> items;
  };
  void (*apply)(RunOptions&, const Value&);

  bool takes(Command c) const { return (commands & command_bit(c)) != 0; }
  // What a valid value looks like, as the error messages say it: "an integer
  // from 1 to 100000000", "a number in (0, 1]", "'auto' or a number > 0".
  std::string expected() const;
};

const std::vector<OptionSpec>& option_table();
// The entry of a kebab-case name, or nullptr.
const OptionSpec* find_option(const std::string& name);

// Every option name accepted by a command, without the leading "--", in table order.
std::vector<std::string> option_names(Command c);

// Applies name/value pairs in order. Throws InputError::bad_option naming the
// option (option() "s", problem() "expected an integer ≥ 1, got '0'") or
// InputError::unknown_option for a name the command does not take.
RunOptions parse_options(Command c, const std::vector<std::pair<std::string, std::string>>& pairs);

// Checks options set in code (RunOptions built by hand) against the option
// table, as parse_options checks text: each value in its entry's range, with
// the same messages ("--iters: expected an integer from 1 to 100000000, got
// '0'"). Throws InputError::bad_option. train(), Trainer and sweep() call it.
void validate_options(const RunOptions& options, Command c);

// Checks options against the network size n (e.g. s ≤ n); throws InputError::bad_option.
void validate_against_model(const RunOptions& options, Command c, int n);

}  // namespace sparse_iht
