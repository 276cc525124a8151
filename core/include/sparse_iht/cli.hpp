// The `iht` command line (README: Command line) as a function, so the native binary and the
// npm package's `sparse-iht` command run the same code and print the same text.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sparse_iht/error.hpp"
#include "sparse_iht/options.hpp"
#include "sparse_iht/sweep.hpp"

namespace sparse_iht {

// Reads a whole file; throws InputError naming the path when it cannot.
using FileReader = std::function<std::string(const std::string& path)>;
std::string read_file(const std::string& path);

// Reads a file piece by piece: calls `consume` with each piece, in order;
// throws InputError naming the path when it cannot. The command line parses a
// CSV as it arrives (CsvReader), so the whole text is never in memory.
// A reader may first give the file's size, which lets the CSV reader build
// the matrix in place (CsvReader::expect_bytes).
struct PieceSink {
  std::function<void(std::string_view piece)> piece;
  std::function<void(std::size_t bytes)> size;  // optional to call; before the pieces
  void operator()(std::string_view p) const { piece(p); }
};
using PieceReader = std::function<void(const std::string& path, const PieceSink& consume)>;
void read_file_pieces(const std::string& path, const PieceSink& consume);  // 64 KiB pieces

// args excludes the program name. Returns the exit status: 0 success, 2 bad
// input (one line on err), 1 an internal error.
// The one line the command line prints for a bad input (after "iht: "): an
// option's problem as "--<option>: <problem>", an unknown option with the
// command's --help, anything else as what().
std::string cli_message(const InputError& error, std::optional<Command> command);

// `progress`, when given, follows and may stop a sweep (the callers pass one
// that draws progress_bar() when stderr is a terminal).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const PieceReader& reader = read_file_pieces, SweepObserver* progress = nullptr);
// The same, for a reader that returns the whole file (tests, small inputs).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const FileReader& reader, SweepObserver* progress = nullptr);

// One line of a terminal progress bar, starting with a carriage return:
// "\r[##########··········]  45/270 trainings". `done == total` ends it
// with a newline.
std::string progress_bar(int done, int total);

}  // namespace sparse_iht
