#include "sparse_iht/error.hpp"

#include <utility>

namespace sparse_iht {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_option:
      return "bad-option";
    case ErrorCode::unknown_option:
      return "unknown-option";
    case ErrorCode::bad_data:
      return "bad-data";
    case ErrorCode::bad_state:
      return "bad-state";
  }
  return "bad-data";
}

InputError::InputError(const std::string& message, ErrorCode code)
    : InputError(code, std::string(), message, message, 0, 0) {}

InputError::InputError(ErrorCode code, std::string option, std::string problem,
                       const std::string& message, std::size_t line, std::size_t column)
    : std::invalid_argument(message),
      code_(code),
      option_(std::move(option)),
      problem_(std::move(problem)),
      line_(line),
      column_(column) {}

InputError InputError::bad_option(const std::string& option, const std::string& problem) {
  return {ErrorCode::bad_option, option, problem, option + ": " + problem, 0, 0};
}

InputError InputError::unknown_option(const std::string& option, const std::string& problem) {
  return {ErrorCode::unknown_option, option, problem, problem, 0, 0};
}

InputError InputError::in_data(const std::string& message, std::size_t line, std::size_t column) {
  return {ErrorCode::bad_data, std::string(), message, message, line, column};
}

}  // namespace sparse_iht
