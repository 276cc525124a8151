// CSV loader (docs/method.md §1): a header row, numeric feature columns and a class label
// in the last column or the column named by `label`. Labels may be words or
// integers. Comma-separated UTF-8, with or without a byte-order mark, LF or
// CRLF line ends, RFC 4180 quoting. Anything else is an InputError whose
// message starts with the source name and the line.
#pragma once

#include <string>
#include <string_view>

#include "sparse_iht/dataset.hpp"

namespace sparse_iht {

struct CsvLimits {
  std::size_t max_line_bytes = std::size_t{1} << 20;  // 1 MiB
  std::size_t max_columns = 10000;
};

// Classes are numbered in order of first appearance, except when every label
// is an integer: then they are sorted numerically.
Dataset parse_csv(std::string_view text, const std::string& label_column = "",
                  const std::string& source = "<csv>", const CsvLimits& limits = {});

// Reads the file and parses it; the file name is the source in messages.
Dataset load_csv_file(const std::string& path, const std::string& label_column = "",
                      const CsvLimits& limits = {});

}  // namespace sparse_iht
