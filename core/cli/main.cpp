// The native `iht` command; the command line itself lives in cli.cpp so the
// WebAssembly build runs the same code.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "sparse_iht/cli.hpp"

namespace {

// A sweep's progress on stderr, only when stderr is a terminal.
class TerminalProgress final : public sparse_iht::SweepObserver {
 public:
  void on_progress(int done, int total) override {
    std::cerr << sparse_iht::progress_bar(done, total) << std::flush;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  TerminalProgress progress;
  return sparse_iht::run_cli(args, std::cout, std::cerr, sparse_iht::read_file_pieces,
                             isatty(STDERR_FILENO) != 0 ? &progress : nullptr);
}
