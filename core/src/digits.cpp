#include "sparse_iht/digits.hpp"

#include <string>

#include "sparse_iht/error.hpp"

namespace sparse_iht {
namespace detail {
extern const char kDigitsRows[][66];
extern const std::size_t kDigitsRowCount;
}  // namespace detail

namespace {

constexpr int kSide = 8;
constexpr std::size_t kPixels = std::size_t{kSide} * kSide;
constexpr std::size_t kImages = 1797;
constexpr std::size_t kLine = kPixels + 1;

// 0-9 as '0'-'9', 10-16 as 'a'-'g'; -1 for any other character.
int pixel_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'g') return c - 'a' + 10;
  return -1;
}

}  // namespace

Dataset digits_from_text(std::string_view text) {
  if (text.size() != kImages * kLine) {
    throw InputError("digits: expected " + std::to_string(kImages) + " images of " +
                     std::to_string(kLine) + " characters, got " + std::to_string(text.size()) +
                     " characters");
  }
  Dataset data;
  data.x.resize(static_cast<Eigen::Index>(kPixels), static_cast<Eigen::Index>(kImages));
  data.y.reserve(kImages);
  for (std::size_t i = 0; i < kImages; ++i) {
    const std::string_view line = text.substr(i * kLine, kLine);
    for (std::size_t p = 0; p < kPixels; ++p) {
      const int value = pixel_value(line[p]);
      if (value < 0) {
        throw InputError("digits: image " + std::to_string(i + 1) + ": pixel " +
                         std::to_string(p + 1) + " is not one of 0-9, a-g");
      }
      data.x(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(i)) = value;
    }
    const char digit = line[kPixels];
    if (digit < '0' || digit > '9') {
      throw InputError("digits: image " + std::to_string(i + 1) + ": its label is not a digit");
    }
    data.y.push_back(digit - '0');
  }
  for (int r = 0; r < kSide; ++r) {
    for (int c = 0; c < kSide; ++c) {
      data.feature_names.push_back("p" + std::to_string(r) + "_" + std::to_string(c));
    }
  }
  for (char d = '0'; d <= '9'; ++d) data.class_names.emplace_back(1, d);
  data.image_shape = {kSide, kSide};
  // 64 → 32 → 10 (n = 2,410) and s = 241 (README, "Beyond the paper: deeper
  // networks").
  data.default_hidden = {32};
  data.default_s_percent = 10;
  return data;
}

Dataset digits() {
  static_assert(sizeof(detail::kDigitsRows[0]) == kLine + 1, "a row: 64 pixels, the digit, NUL");
  std::string text;
  text.reserve(detail::kDigitsRowCount * kLine);
  for (std::size_t i = 0; i < detail::kDigitsRowCount; ++i)
    text.append(detail::kDigitsRows[i], kLine);
  return digits_from_text(text);
}

}  // namespace sparse_iht
