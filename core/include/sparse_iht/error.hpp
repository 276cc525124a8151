// Errors the library raises for bad input. The command line maps InputError to
// exit status 2; the WebAssembly binding rethrows it as a JS Error.
#pragma once

#include <stdexcept>
#include <string>

namespace sparse_iht {

// Bad input from a user: a malformed CSV, an option out of range, an unknown
// option. The message names the input and the problem, in one line.
class InputError : public std::invalid_argument {
 public:
  explicit InputError(const std::string& message) : std::invalid_argument(message) {}
};

}  // namespace sparse_iht
