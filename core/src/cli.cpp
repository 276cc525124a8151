#include "sparse_iht/cli.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iomanip>
#include <locale>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "sparse_iht/csv.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/json.hpp"
#include "sparse_iht/layout.hpp"
#include "sparse_iht/lipschitz.hpp"
#include "sparse_iht/options.hpp"
#include "sparse_iht/sweep.hpp"
#include "sparse_iht/trainer.hpp"

namespace sparse_iht {
namespace {

constexpr const char* kVersion = "iht (sparse-iht) 0.1.0";

using Pairs = std::vector<std::pair<std::string, std::string>>;

const char* command_summary(Command c) {
  switch (c) {
    case Command::train:
      return "Trains a network with at most s nonzero parameters by IHT,\n"
             "θ ← H_s(θ − γ ∇f(θ)), and reports loss, accuracy and HT-stability.";
    case Command::sweep:
      return "Trains for every s from 1 to n and compares each with the dense network\n"
             "(s = n, same procedure): loss, accuracy, gap to dense and HT-stability.";
    case Command::lipschitz:
      return "Monte Carlo estimate of the restricted smoothness constant L_2s of the training\n"
             "loss: the largest ratio ‖∇f(x) − ∇f(y)‖ / ‖x − y‖ over random s-sparse pairs,\n"
             "a lower bound of the true constant.";
  }
  return "";
}

std::string general_usage() {
  std::ostringstream o;
  o << kVersion << ": train sparse neural networks by Iterative Hard Thresholding\n\n"
    << "usage: iht <command> [options]\n\n"
    << "commands:\n"
    << "  train       train one network with at most s nonzero parameters\n"
    << "  sweep       the sparsity path: train over a grid of s with warm starts, and compare\n"
    << "              with the dense network, magnitude pruning and L1 (--cv K chooses s)\n"
    << "  lipschitz   the restricted smoothness constant L_2s: its Monte Carlo estimate and a\n"
    << "              bracket lower <= L_2s <= upper\n\n"
    << "Run 'iht <command> --help' for the options of a command; 'iht --version' prints the "
       "version.\n";
  return o.str();
}

std::size_t display_width(const std::string& s);

std::string command_usage(Command c) {
  constexpr std::size_t kIndent = 24;
  constexpr std::size_t kColumns = 100;
  std::ostringstream o;
  const std::string name = command_name(c);
  o << "usage: iht " << name << " [options]\n\n" << command_summary(c) << "\n\n";
  o << "options (--name value or --name=value):\n";
  const auto row = [&](std::string left, const std::string& meaning, const std::string& fallback) {
    // Columns, not bytes: a metavar like λ is two bytes wide in UTF-8.
    const std::size_t width = display_width(left);
    left += width < kIndent ? std::string(kIndent - width, ' ') : "\n" + std::string(kIndent, ' ');
    const std::string line = left + meaning;
    const std::string tail = fallback.empty() ? "" : " (default " + fallback + ")";
    const std::size_t last_line = line.size() - std::min(line.size(), line.rfind('\n') + 1);
    if (display_width(line.substr(line.size() - last_line)) + display_width(tail) <= kColumns) {
      o << line << tail << "\n";
    } else {
      o << line << "\n" << std::string(kIndent, ' ') << "default: " << fallback << "\n";
    }
  };
  for (const OptionSpec& spec : option_table()) {
    if (!spec.takes(c)) continue;
    std::string left = std::string("  --") + spec.name;
    if (*spec.metavar) left += std::string(" ") + spec.metavar;
    const char* meaning =
        c == Command::lipschitz && spec.lipschitz_help != nullptr ? spec.lipschitz_help : spec.help;
    row(left, meaning, spec.fallback_help != nullptr ? spec.fallback_help : spec.fallback);
  }
  row("  -h, --help", "print this help", "");
  if (c == Command::lipschitz) {
    o << "\nThe estimate rises with --samples: report it as a lower bound, never as L_2s.\n";
  }
  return o.str();
}

// Messages from other layers may quote input; the CLI promises one line.
std::string one_line(std::string message) {
  for (auto& ch : message) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return message;
}

// At most 80 bytes of an argument for a message, cut at a character boundary
// so that valid UTF-8 stays valid (found by fuzzing).
std::string head(const std::string& s) {
  std::size_t end = std::min<std::size_t>(s.size(), 80);
  for (int k = 0;
       k < 3 && end > 0 && end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80;
       ++k) {
    --end;
  }
  return s.substr(0, end);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// A name the command does not take, as parse_options reports it.
bool takes_option(Command c, const std::string& name) {
  const OptionSpec* spec = find_option(name);
  return spec != nullptr && spec->takes(c);
}

struct ParsedArgs {
  bool help = false;
  Pairs pairs;
};

// Splits `--name value`, `--name=value` and the switches (the boolean
// options, such as `--json` and `--exact`, whose on/off value is optional). Structural errors wait
// until the end so `--help` anywhere still prints the help.
ParsedArgs split_options(Command c, const std::vector<std::string>& args, std::size_t begin) {
  ParsedArgs parsed;
  std::optional<InputError> error;
  for (std::size_t i = begin; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      parsed.help = true;
      return parsed;
    }
    if (error) continue;
    const std::string command = std::string("iht ") + command_name(c);
    // "--" alone, and "--=value" (a value with no name), are not options either.
    if (!starts_with(a, "--") || a.size() == 2 || a[2] == '=') {
      error = InputError("unexpected argument '" + one_line(head(a)) +
                             "' (options take the form --name value; run '" + command + " --help')",
                         ErrorCode::unknown_option);
      continue;
    }
    const std::string body = a.substr(2);
    const auto eq = body.find('=');
    if (eq != std::string::npos) {
      parsed.pairs.emplace_back(body.substr(0, eq), body.substr(eq + 1));
      continue;
    }
    if (!takes_option(c, body)) {
      try {
        parse_options(c, {{body, ""}});
      } catch (const InputError& e) {
        error = e;
      }
      continue;
    }
    if (find_option(body)->type == OptionType::boolean) {
      // A following word that is not an option is this switch's value, so
      // "--standardize maybe" is refused as a value, not as a stray argument.
      if (i + 1 < args.size() && !starts_with(args[i + 1], "--")) {
        parsed.pairs.emplace_back(body, args[++i]);
      } else {
        parsed.pairs.emplace_back(body, "true");
      }
      continue;
    }
    if (i + 1 >= args.size() || (starts_with(args[i + 1], "--") && args[i + 1].size() > 2)) {
      error = InputError::bad_option(body, "missing value (run '" + command + " --help')");
      continue;
    }
    parsed.pairs.emplace_back(body, args[++i]);
  }
  if (error) throw *error;
  return parsed;
}

Dataset load_data(const RunOptions& options, const PieceReader& reader) {
  if (options.data == "iris" || options.data == "digits") return load_dataset(options);
  CsvReader csv(options.label, options.data);
  // Only the reader's own failure (a file that cannot be read) is the data
  // option's; a CSV error while parsing a piece passes as it is.
  bool reading = true;
  try {
    const PieceSink sink{[&](std::string_view piece) {
                           reading = false;
                           csv.feed(piece);
                           reading = true;
                         },
                         [&](std::size_t bytes) { csv.expect_bytes(bytes); }};
    reader(options.data, sink);
  } catch (const InputError& e) {
    if (!reading) throw;
    throw InputError::bad_option("data", e.what());
  }
  return csv.finish();
}

int model_size(const RunOptions& options, const Dataset& data) {
  return network_architecture(options, data).num_params();
}

// Locale-independent number formatting for the text output.
class Fmt {
 public:
  Fmt() { s_.imbue(std::locale::classic()); }
  std::string g(double x, int precision = 6) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    reset();
    s_ << std::setprecision(precision) << x;
    return s_.str();
  }
  std::string percent(double fraction) {
    if (!std::isfinite(fraction)) return g(fraction);
    reset();
    s_ << std::fixed << std::setprecision(2) << 100.0 * fraction << " %";
    return s_.str();
  }
  std::string opt_g(const std::optional<double>& x, int precision = 6) {
    return x ? g(*x, precision) : "-";
  }
  std::string opt_percent(const std::optional<double>& x) { return x ? percent(*x) : "-"; }

 private:
  void reset() {
    s_.str(std::string());
    s_.clear();
    s_.flags(std::ios_base::fmtflags());
  }
  std::ostringstream s_;
};

// Terminal columns of UTF-8 text: code points, less combining marks (the hat of L̂).
std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    if (c == 0xCC ||
        (c == 0xCD && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xB0)) {
      continue;  // U+0300..U+036F
    }
    ++width;
  }
  return width;
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string describe_network(const Architecture& arch) {
  std::string text;
  for (std::size_t i = 0; i < arch.sizes.size(); ++i) {
    if (i) text += " -> ";
    text += std::to_string(arch.sizes[i]);
  }
  if (arch.sizes.size() > 2) {
    text += std::string(" (") + activation_name(arch.activation) + " hidden, softmax output)";
  } else {
    text += " (softmax output)";
  }
  return text;
}

// "W2[1][0]" or "b1[3]" for index k of θ (docs/method.md §1 layout), as layout.hpp labels it.
std::string parameter_label(const Architecture& arch, int k) {
  const std::optional<ParameterPosition> position = locate_parameter(arch, k);
  return position ? sparse_iht::parameter_label(*position) : "?";
}

std::string describe_data(const RunOptions& options, const Dataset& data) {
  std::ostringstream o;
  o.imbue(std::locale::classic());
  o << options.data << ": " << data.num_samples() << " samples, " << data.num_features()
    << " features";
  if (data.image_shape.size() == 2) {
    o << " (" << data.image_shape[0] << " × " << data.image_shape[1] << " images)";
  }
  o << ", " << data.num_classes() << " classes; test fraction " << options.test_fraction << ", "
    << (options.standardize ? "standardized" : "not standardized") << ", seed " << options.seed;
  return o.str();
}

std::string describe_step(Fmt& f, const RunOptions& options, double step, StepRule rule,
                          bool certified, const std::optional<double>& l2s) {
  std::string text;
  if (rule == StepRule::bound) {
    text = "γ = " + f.g(step) + " = " + f.g(options.step_factor) +
           " / upper, a certified upper bound of L_2s (bound)";
  } else if (rule == StepRule::estimate && l2s) {
    text = "γ = " + f.g(step) + " = " + f.g(options.step_factor) + " / L̂_2s, L̂_2s = " + f.g(*l2s) +
           " (estimate: the Monte Carlo maximum over " + std::to_string(options.samples) +
           " pairs, a lower bound of L_2s)";
  } else if (rule == StepRule::backtracking) {
    text = "γ = " + f.g(step) +
           " at the last step (backtracking: from twice the previous step, halved until the "
           "sparse descent condition held)";
    return text + (certified ? "; certified: every step passed the descent condition"
                             : "; not certified: a step failed the descent condition");
  } else if (rule == StepRule::normalized) {
    text = "γ = " + f.g(step) + " at the last step (normalized IHT)";
    return text + (certified ? "; certified: every step passed the descent condition"
                             : "; not certified: a step failed the descent condition");
  } else {
    text = "γ = " + f.g(step) + " (fixed)";
  }
  return text +
         (certified ? "; certified: γ < 1 / L_2s" : "; not certified: nothing shows γ < 1 / L_2s");
}

std::string describe_ht(Fmt& f, const HtStability& h, int s) {
  const char* grad = h.support_size == s ? "‖∇_S f‖∞" : "‖∇f‖∞";
  return std::string(h.stable ? "yes" : "no") + " (margin " + f.g(h.margin) + ", " + grad + " = " +
         f.g(h.support_grad_inf) + ", tolerance " + f.g(h.tolerance) + ")";
}

std::string train_text(const RunOptions& options, const std::string& data, const TrainResult& r) {
  Fmt f;
  std::ostringstream o;
  o << "data:       " << data << "\n";
  o << "network:    " << describe_network(r.architecture) << ", n = " << r.n
    << " parameters, s = " << r.s << "\n";
  o << "step:       "
    << describe_step(f, options, r.step_size, r.step_rule, r.step_certified, r.l2s) << "\n";
  o << "iterations: " << r.iterations << " (" << status_name(r.status) << ")\n";
  o << "train:      loss " << f.g(r.train_loss) << ", accuracy " << f.percent(r.train_accuracy)
    << "\n";
  if (options.ridge > 0.0) {
    o << "objective:  " << f.g(r.objective) << " = loss + " << f.g(options.ridge)
      << "/2 ‖θ‖² (ridge)\n";
  }
  if (r.test_loss || r.test_accuracy) {
    o << "test:       loss " << f.opt_g(r.test_loss) << ", accuracy "
      << f.opt_percent(r.test_accuracy) << "\n";
  } else {
    o << "test:       none (test fraction 0)\n";
  }
  o << "HT-stable:  " << describe_ht(f, r.ht_stable, r.s) << "\n";
  if (!r.ht_stable.reason.empty()) o << "  why: " << r.ht_stable.reason << "\n";
  o << "nonzero parameters: " << r.support.size() << " of " << r.n << "\n";
  for (const int k : r.support) {
    const double v = k >= 0 && k < r.theta.size() ? r.theta[k] : std::nan("");
    o << "  " << pad_right("θ[" + std::to_string(k) + "]", 9)
      << pad_right(parameter_label(r.architecture, k), 14) << f.g(v, 8) << "\n";
  }
  return o.str();
}

std::string sweep_text(const RunOptions& options, const std::string& data, const SweepResult& r) {
  Fmt f;
  std::ostringstream o;
  o << "data:    " << data << "\n";
  o << "network: " << describe_network(r.dense.architecture) << ", n = " << r.dense.n
    << " parameters; " << r.grid.size() << " values of s\n\n";
  const bool baselines = !r.points.empty() && r.points.front().baselines.has_value();
  const bool exact = !r.points.empty() && r.points.front().exact.has_value();
  const bool swaps = !r.points.empty() && r.points.front().swap.has_value();
  std::vector<std::pair<const char*, std::size_t>> columns = {
      {"s", 6},         {"start", 6}, {"train loss", 12}, {"test loss", 12}, {"train acc", 10},
      {"test acc", 10}, {"gap", 13},  {"cold loss", 12},  {"step", 11},      {"HT-stable", 10}};
  if (baselines) {
    columns.emplace_back("magnitude", 12);
    columns.emplace_back("L1", 12);
  }
  if (exact) columns.emplace_back("exact gap", 14);
  if (swaps) columns.emplace_back("swapped", 12);
  for (const auto& [title, width] : columns) o << pad_left(title, width);
  o << "\n";
  for (const auto& p : r.points) {
    o << pad_left(std::to_string(p.s), 6) << pad_left(p.start, 6) << pad_left(f.g(p.train_loss), 12)
      << pad_left(f.opt_g(p.test_loss), 12) << pad_left(f.percent(p.train_accuracy), 10)
      << pad_left(f.opt_percent(p.test_accuracy), 10) << pad_left(f.g(p.gap_to_dense), 13)
      << pad_left(f.g(p.cold.train_loss), 12) << pad_left(f.g(p.step_size), 11)
      << pad_left(p.ht_stable.stable ? "yes" : "no", 10);
    if (baselines) {
      o << pad_left(f.g(p.baselines->magnitude.train_loss), 12)
        << pad_left(f.g(p.baselines->l1.train_loss), 12);
    }
    if (exact) o << pad_left(f.opt_g(p.exact_gap), 14);
    if (swaps) o << pad_left(f.g(p.swap->train_loss), 12);
    if (p.status == IhtStatus::diverged) o << "  (diverged)";
    o << "\n";
  }
  const TrainResult& d = r.dense;
  o << "\ndense (s = n = " << d.n << "): train loss " << f.g(d.train_loss) << ", test loss "
    << f.opt_g(d.test_loss) << ", train acc " << f.percent(d.train_accuracy) << ", test acc "
    << f.opt_percent(d.test_accuracy) << "\n"
    << "  step " << describe_step(f, options, d.step_size, d.step_rule, d.step_certified, d.l2s)
    << "\n"
    << "  " << d.iterations << " iterations (" << status_name(d.status) << "), HT-stable "
    << describe_ht(f, d.ht_stable, d.s) << "\n";
  o << "start: the best of a cold start (cold), a warm start from the previous s (up) and one "
       "from H_s of the next (down); cold loss: the cold start's train loss; gap = train loss "
       "− dense train loss";
  if (baselines) {
    o << "; magnitude, L1: train loss of dense-then-prune and of L1 at the same nonzero count, "
         "each retrained on its support";
  }
  if (exact) o << "; exact gap: objective − the best over every support";
  if (swaps) o << "; swapped: train loss after the swap search";
  o << ".\n";
  if (!r.exact_note.empty()) o << "exact: " << r.exact_note << "\n";
  if (r.cv) {
    const CrossValidation& cv = *r.cv;
    o << "\n" << cv.folds << "-fold cross-validation inside the training split:\n";
    o << pad_left("s", 6) << pad_left("val loss", 12) << pad_left("± SE", 12)
      << pad_left("val acc", 10) << pad_left("EBIC", 12) << "\n";
    for (std::size_t i = 0; i < cv.s.size(); ++i) {
      o << pad_left(std::to_string(cv.s[i]), 6) << pad_left(f.g(cv.mean_loss[i]), 12)
        << pad_left(f.g(cv.std_err_loss[i]), 12) << pad_left(f.percent(cv.mean_accuracy[i]), 10)
        << pad_left(f.g(cv.criterion.values[i]), 12) << "\n";
    }
    o << "chosen s = " << cv.chosen_s
      << " (one-standard-error rule; lowest mean loss at s = " << cv.min_s
      << "); EBIC chooses s = " << cv.criterion.chosen_s << "\n";
  }
  if (!r.complete) o << "stopped before the path was complete\n";
  return o.str();
}

std::string lipschitz_text(const std::string& data, const L2sReport& r) {
  Fmt f;
  std::ostringstream o;
  o << "data:      " << data << "\n";
  o << "n = " << r.n << " parameters, s = " << r.s << ", " << r.samples
    << " Monte Carlo pairs, seed " << r.seed << ", scale " << f.g(r.scale) << "\n";
  o << "L̂_2s:      " << f.g(r.estimate.max)
    << " (maximum ratio: a lower bound of the true L_2s that rises with --samples)\n";
  o << "quantiles: p50 " << f.g(r.estimate.quantiles.p50) << ", p90 "
    << f.g(r.estimate.quantiles.p90) << ", p99 " << f.g(r.estimate.quantiles.p99) << "\n";
  o << "bracket:   " << f.g(r.estimate.lower) << " ≤ L_2s ≤ "
    << (r.estimate.upper ? f.g(*r.estimate.upper) : std::string("unknown")) << "\n";
  o << "upper:     " << r.estimate.upper_method << "\n";
  if (r.estimate.upper) {
    o << "step:      γ ≤ 1 / upper = " << f.g(1.0 / *r.estimate.upper)
      << " is covered by the theory (γ < 1 / L_2s)\n";
  } else if (r.estimate.lower > 0) {
    o << "step:      no certified step: any γ above 1 / lower = " << f.g(1.0 / r.estimate.lower)
      << " is outside the theory\n";
  }
  return o.str();
}

int run(const std::vector<std::string>& args, std::ostream& out, const PieceReader& reader,
        std::optional<Command>& command, SweepObserver* progress) {
  if (args.empty()) {
    throw InputError("no command given (expected train, sweep or lipschitz; run 'iht --help')");
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    if (first == "help" && args.size() > 1) {
      out << command_usage(parse_command(args[1]));
    } else {
      out << general_usage();
    }
    return 0;
  }
  if (first == "--version") {
    out << kVersion << "\n";
    return 0;
  }
  if (starts_with(first, "-")) {
    throw InputError("unknown option " + one_line(head(first)) +
                     " before the command (run 'iht --help')");
  }
  const Command c = parse_command(first);
  command = c;
  const ParsedArgs parsed = split_options(c, args, 1);
  if (parsed.help) {
    out << command_usage(c);
    return 0;
  }
  const RunOptions options = parse_options(c, parsed.pairs);
  // Held until a run has built its own layout of the features, then freed:
  // one run holds them once (a 100 MB CSV stays within 2.5× its size).
  std::optional<Dataset> data = load_data(options, reader);
  const int n = model_size(options, *data);
  validate_against_model(options, c, n);
  const std::string data_line = describe_data(options, *data);

  std::string text;
  switch (c) {
    case Command::train: {
      Trainer trainer(options, std::move(*data));
      data.reset();
      trainer.run();
      const TrainResult result = trainer.result();
      text = options.json ? to_json(result) + "\n" : train_text(options, data_line, result);
      break;
    }
    case Command::sweep: {
      const SweepResult result = sweep(options, *data, progress);
      text = options.json ? to_json(result) + "\n" : sweep_text(options, data_line, result);
      break;
    }
    case Command::lipschitz: {
      const Problem problem(options, std::move(*data));
      data.reset();
      L2sReport report;
      report.n = problem.num_params();
      report.s = options.s.value_or(default_s(problem.train, report.n));
      report.samples = options.samples;
      report.seed = options.seed;
      report.scale = options.scale;
      L2sOptions l2s;
      l2s.s = report.s;
      l2s.samples = options.samples;
      l2s.seed = options.seed;
      l2s.scale = options.scale;
      l2s.first_pair = options.first_pair;
      report.estimate = estimate_l2s(problem.objective(), l2s);
      text = options.json ? to_json(report) + "\n" : lipschitz_text(data_line, report);
      break;
    }
  }
  out << text;
  out.flush();
  return 0;
}

}  // namespace

std::string cli_message(const InputError& error, std::optional<Command> command) {
  const std::string& option = error.option();
  if (error.code() == ErrorCode::unknown_option && !option.empty() && command) {
    const std::string name = std::string("iht ") + command_name(*command);
    if (*command == Command::sweep && option == "s") {
      return "--s: 'iht sweep' trains every s from 1 to n, so it takes no --s (use "
             "'iht train --s N' for one s)";
    }
    return "unknown option --" + option + " for '" + name + "' (run '" + name + " --help')";
  }
  if (!option.empty() && error.code() != ErrorCode::unknown_option) {
    return "--" + option + ": " + error.problem();
  }
  return error.what();
}

std::string read_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw InputError("cannot read '" + path + "': " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  while (true) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, got);
    if (got < sizeof buffer) break;
  }
  if (std::ferror(file.get())) {
    throw InputError("cannot read '" + path + "': " + std::strerror(errno));
  }
  return text;
}

void read_file_pieces(const std::string& path, const PieceSink& consume) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw InputError("cannot read '" + path + "': " + std::strerror(errno));
  if (consume.size) consume.size(file_size(file.get(), path));
  std::vector<char> buffer(std::size_t{1} << 16);
  while (true) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (got > 0) consume(std::string_view(buffer.data(), got));
    if (got < buffer.size()) break;
  }
  if (std::ferror(file.get())) {
    throw InputError("cannot read '" + path + "': " + std::strerror(errno));
  }
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const FileReader& reader, SweepObserver* progress) {
  return run_cli(
      args, out, err,
      [&reader](const std::string& path, const PieceSink& consume) { consume(reader(path)); },
      progress);
}

std::string progress_bar(int done, int total) {
  constexpr int kWidth = 30;
  const int filled =
      total > 0 ? static_cast<int>(static_cast<long long>(kWidth) * done / total) : 0;
  std::string bar = "\r[";
  for (int i = 0; i < kWidth; ++i) bar += i < filled ? "#" : "-";
  const std::string count = std::to_string(done);
  const std::string of = std::to_string(total);
  bar += "] " + std::string(of.size() - std::min(of.size(), count.size()), ' ') + count + "/" + of +
         " trainings";
  if (done >= total) bar += "\n";
  return bar;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const PieceReader& reader, SweepObserver* progress) {
  std::optional<Command> command;
  try {
    return run(args, out, reader, command, progress);
  } catch (const InputError& e) {
    err << "iht: " << one_line(cli_message(e, command)) << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "iht: internal error: " << one_line(e.what()) << "\n";
    return 1;
  } catch (...) {
    err << "iht: internal error: unknown exception\n";
    return 1;
  }
}

}  // namespace sparse_iht
