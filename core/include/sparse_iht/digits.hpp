// The digits data set, built in: the test part of the UCI "Optical Recognition
// of Handwritten Digits" (E. Alpaydin and C. Kaynak, 1998, CC BY 4.0), 1,797
// images of 8 × 8 pixels, each pixel a count from 0 to 16, classes "0" … "9".
// Features p0_0 … p7_7 (pROW_COL), row by row; image_shape {8, 8}. Its default
// network is 64 → 32 → 10 with s = 10 % of n (Dataset::default_hidden,
// default_s_percent).
#pragma once

#include <cstddef>
#include <string_view>

#include "sparse_iht/dataset.hpp"

namespace sparse_iht {

// The table compiled into the library (core/src/digits_table.cpp, made by
// scripts/digits-table.mjs).
Dataset digits();

// The same data set from the table's text: one image per 65 characters, 64
// pixels row by row ('0'-'9', 'a'-'g' for 10-16) and the digit. The package's
// browser module leaves the table out and gets this text from its data module
// (dist/digits.mjs). Throws InputError (bad data) for text of another form.
Dataset digits_from_text(std::string_view text);

}  // namespace sparse_iht
