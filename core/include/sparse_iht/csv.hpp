// CSV loader (docs/method.md §1): a header row, numeric feature columns and a class label
// in the last column or the column named by `label`. Labels may be words or
// integers. Comma-separated UTF-8, with or without a byte-order mark, LF or
// CRLF line ends, RFC 4180 quoting. Anything else is an InputError whose
// message starts with the source name and the line.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "sparse_iht/dataset.hpp"

namespace sparse_iht {

struct CsvLimits {
  std::size_t max_line_bytes = std::size_t{1} << 20;  // 1 MiB
  std::size_t max_columns = 10000;
};

// Reads a CSV handed over in pieces, so that a large file never has to be in
// memory as text (issue #11). feed() takes the bytes in any split at all: a
// chunk may end inside a UTF-8 sequence, a CRLF, a quoted field or the
// byte-order mark. Every complete record is parsed as soon as it is there, and
// only the incomplete rest (at most one record plus a chunk) is kept, so an
// error is thrown by the feed() that makes it certain, with the same message,
// code, line and column as parse_csv on the whole text.
//
// Memory: given the input's size (expect_bytes, which parse_csv and
// load_csv_file give), the reader sizes the matrix from the first 1,024 rows
// and reads the rest straight into it, so the values are held once. Without
// it, they are kept in fixed-size blocks until finish() builds the matrix, so
// memory peaks there at about twice the matrix. A wrong size costs memory or
// a reallocation, never a different result. A caller that will copy the
// matrix anyway (a run on a shared data set) may prefer the blocks: in
// WebAssembly, whose memory never shrinks, the freed blocks are where the
// copy then goes.
//
// After finish(), or once feed() or finish() has thrown, the reader cannot be
// used: feed() and finish() throw an InputError with ErrorCode::bad_state.
class CsvReader {
 public:
  explicit CsvReader(std::string label_column = "", std::string source = "<csv>",
                     CsvLimits limits = {});
  ~CsvReader();
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  void feed(std::string_view chunk);
  // The end of the input: parses what is left and returns the data set, or
  // throws the InputError parse_csv would.
  Dataset finish();
  // The bytes passed to feed() so far.
  std::size_t bytes_fed() const;
  // The input's total size in bytes, when the caller knows it (a file's
  // size): a hint for memory, see above. Call it before feed(); 0 takes the
  // hint back. Once the matrix is being built in place it has no effect.
  void expect_bytes(std::size_t total);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Classes are numbered in order of first appearance, except when every label
// is an integer: then they are sorted numerically. The same as a CsvReader fed
// the whole text.
Dataset parse_csv(std::string_view text, const std::string& label_column = "",
                  const std::string& source = "<csv>", const CsvLimits& limits = {});

// A file's size from its end, with the file put back at its start; 0 when it
// cannot be measured (a pipe). Throws an InputError naming `path` when it
// cannot be put back.
std::size_t file_size(std::FILE* file, const std::string& path);

// Reads the file in 64 KiB chunks into a CsvReader, with its size as the hint; the file name is the
// source in messages.
Dataset load_csv_file(const std::string& path, const std::string& label_column = "",
                      const CsvLimits& limits = {});

}  // namespace sparse_iht
