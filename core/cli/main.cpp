// The native `iht` command; the command line itself lives in cli.cpp so the
// WebAssembly build runs the same code.
#include <iostream>
#include <string>
#include <vector>

#include "sparse_iht/cli.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return sparse_iht::run_cli(args, std::cout, std::cerr);
}
