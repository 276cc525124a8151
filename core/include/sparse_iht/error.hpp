// Errors the library raises for bad input (README: Errors). An InputError
// says what kind of input is at fault (its code), which option when an option
// is (its kebab-case name, as in the option table of options.hpp), and where in
// a data source when that is known (line and column). Callers decide by these
// fields, never by the text: the command line prints "--<option>: <problem>"
// and exits with status 2; the WebAssembly binding turns them into the
// package's SparseIhtError with `.code`, `.option` (camelCase), `.line` and
// `.column`.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace sparse_iht {

enum class ErrorCode {
  bad_option,      // an option's value is malformed or out of range (also s > n)
  unknown_option,  // a name the command does not take
  bad_data,        // the data: a malformed CSV, a data set that cannot be trained on
  bad_state,       // a call the object's state does not allow
};

// "bad-option", "unknown-option", "bad-data" or "bad-state".
const char* error_code_name(ErrorCode code);

class InputError : public std::invalid_argument {
 public:
  // A problem with the data (or with `code`'s kind of input) that no option
  // names; `message` is complete and names the input ("bad.csv: line 3: …").
  explicit InputError(const std::string& message, ErrorCode code = ErrorCode::bad_data);

  // A problem with one option. what() is "<option>: <problem>"; problem()
  // alone speaks of the value ("expected an integer ≥ 1, got '0'").
  static InputError bad_option(const std::string& option, const std::string& problem);
  // A name the command does not take; `problem` says what the command is.
  static InputError unknown_option(const std::string& option, const std::string& problem);
  // A problem at a place in a data source: `message` is complete, line and
  // column (the 1-based CSV field number) are 0 where unknown.
  static InputError in_data(const std::string& message, std::size_t line, std::size_t column = 0);

  ErrorCode code() const noexcept { return code_; }
  // The option's kebab-case name ("test-fraction"), empty when none.
  const std::string& option() const noexcept { return option_; }
  // The message without the leading "<option>: " (the whole message when no option).
  const std::string& problem() const noexcept { return problem_; }
  std::size_t line() const noexcept { return line_; }
  std::size_t column() const noexcept { return column_; }

 private:
  InputError(ErrorCode code, std::string option, std::string problem, const std::string& message,
             std::size_t line, std::size_t column);

  ErrorCode code_;
  std::string option_;
  std::string problem_;
  std::size_t line_ = 0;
  std::size_t column_ = 0;
};

}  // namespace sparse_iht
