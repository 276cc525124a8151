// The `iht` command line (README: Command line) as a function, so the native binary and the
// npm package's `sparse-iht` command run the same code and print the same text.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace sparse_iht {

// Reads a whole file; throws InputError naming the path when it cannot.
using FileReader = std::function<std::string(const std::string& path)>;
std::string read_file(const std::string& path);

// args excludes the program name. Returns the exit status: 0 success, 2 bad
// input (one line on err), 1 an internal error.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const FileReader& reader = read_file);

}  // namespace sparse_iht
