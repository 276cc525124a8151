// Test text in ISO-8859-1, for the CSV tables' "csvEncoding": "latin1" rows.
#pragma once

#include <doctest/doctest.h>

#include <string>

namespace sparse_iht_test {

// UTF-8 text whose code points are all below U+0100, as one byte each.
inline std::string latin1_bytes(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      REQUIRE_MESSAGE((c == 0xC2 || c == 0xC3), "latin1 text above U+00FF");
      REQUIRE(i + 1 < utf8.size());
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F));
    }
  }
  return out;
}

}  // namespace sparse_iht_test
