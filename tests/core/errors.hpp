// What an InputError is about, for tests that must not depend on its wording:
// the option a bad-option error names, or the code and message of any other.
#pragma once

#include <string>

#include "sparse_iht/error.hpp"

namespace sparse_iht_test {

// The kebab-case option of the bad-option InputError that f throws;
// "(no error)" when it throws none, "(<code>) <message>" for another kind.
template <class F>
std::string bad_option_of(F&& f) {
  try {
    f();
  } catch (const sparse_iht::InputError& e) {
    if (e.code() != sparse_iht::ErrorCode::bad_option) {
      return std::string("(") + sparse_iht::error_code_name(e.code()) + ") " + e.what();
    }
    return e.option();
  }
  return "(no error)";
}

}  // namespace sparse_iht_test
