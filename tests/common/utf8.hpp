// Shared by the tests and the fuzzers: every message the library produces must
// be valid UTF-8, so an error can always be shown (and a JS Error built) as is.
#pragma once

#include <cstddef>
#include <string_view>

namespace sparse_iht_test {

// Structurally valid UTF-8: every lead byte has the right number of
// continuation bytes.
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace sparse_iht_test
