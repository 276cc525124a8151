#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sparse_iht/csv.hpp"
#include "sparse_iht/error.hpp"

#ifndef SPARSE_IHT_TEST_DATA
#define SPARSE_IHT_TEST_DATA "tests/data"
#endif

using sparse_iht::CsvLimits;
using sparse_iht::Dataset;
using sparse_iht::InputError;
using sparse_iht::parse_csv;

namespace {

const char* const kPlain =
    "sepal_length,sepal_width,petal_length,petal_width,species\n"
    "5.1,3.5,1.4,0.2,Iris-setosa\n"
    "7.0,3.2,4.7,1.4,Iris-versicolor\n"
    "6.3,3.3,6.0,2.5,Iris-virginica\n"
    "4.9,3.0,1.4,0.2,Iris-setosa\n";

bool same(const Dataset& a, const Dataset& b) {
  return a.x.rows() == b.x.rows() && a.x.cols() == b.x.cols() && a.x == b.x && a.y == b.y &&
         a.feature_names == b.feature_names && a.class_names == b.class_names;
}

std::string with_crlf(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// The message of the InputError that parsing `text` raises ("" if none).
std::string error_of(const std::string& text, const std::string& label = "",
                     const CsvLimits& limits = {}) {
  try {
    parse_csv(text, label, "data.csv", limits);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The lengths a numeric cell is tried at: each side of the 64-byte stack
// buffer parse_number uses (a cell needs its length + 1 bytes there), of the
// 60 characters a message shows, of other powers of two, and several KB.
const std::size_t kCellLengths[] = {1,  2,  3,  19, 59,  60,  61,  62,
                                    63, 64, 65, 66, 127, 128, 129, 5000};

// `number` written in exactly `length` characters, with zeros after its sign.
std::string zero_padded(const std::string& number, std::size_t length) {
  const std::size_t sign = !number.empty() && (number[0] == '-' || number[0] == '+') ? 1 : 0;
  REQUIRE(number.size() <= length);
  return number.substr(0, sign) + std::string(length - number.size(), '0') + number.substr(sign);
}

// 2⁵³ + 1 = 9007199254740993 lies halfway between the doubles 2⁵³ and
// 2⁵³ + 2 and rounds to the even one, 2⁵³. Any nonzero digit after it, however
// far out, rounds it up instead: a parser that drops or misreads the last
// character of a long cell gives 2⁵³. `length` is at least 19.
std::string just_above_halfway(std::size_t length) {
  const std::string head = "9007199254740993.";
  return head + std::string(length - head.size() - 1, '0') + "1";
}
std::string exactly_halfway(std::size_t length) {
  const std::string head = "9007199254740993.";
  return head + std::string(length - head.size(), '0');
}

// The value of `cell` as the first feature of a small file.
double parsed(const std::string& cell) {
  return parse_csv("a,label\n" + cell + ",x\n1,y\n", "", "data.csv").x(0, 0);
}

// The message for `cell` as the first feature of a small file.
std::string cell_error(const std::string& cell) {
  return error_of("a,label\n" + cell + ",x\n1,y\n");
}

// A cell as a message quotes it: whole up to 60 characters, else cut.
std::string shown(const std::string& cell) {
  return "'" + (cell.size() <= 60 ? cell : cell.substr(0, 60) + "...") + "'";
}

}  // namespace

TEST_CASE("csv: a plain file") {
  const Dataset data = parse_csv(kPlain);
  CHECK(data.num_samples() == 4);
  CHECK(data.num_features() == 4);
  CHECK(data.feature_names ==
        std::vector<std::string>{"sepal_length", "sepal_width", "petal_length", "petal_width"});
  CHECK(data.class_names ==
        std::vector<std::string>{"Iris-setosa", "Iris-versicolor", "Iris-virginica"});
  CHECK(data.y == std::vector<int>{0, 1, 2, 0});
  CHECK(data.x(0, 0) == 5.1);
  CHECK(data.x(3, 0) == 0.2);
  CHECK(data.x(2, 1) == 4.7);
  CHECK(data.x(0, 3) == 4.9);
}

TEST_CASE("csv: BOM, CRLF, no final newline and blank trailing lines give the same data") {
  const std::string plain = kPlain;
  const Dataset expected = parse_csv(plain);
  CHECK(same(parse_csv("\xEF\xBB\xBF" + plain), expected));
  CHECK(same(parse_csv(with_crlf(plain)), expected));
  CHECK(same(parse_csv("\xEF\xBB\xBF" + with_crlf(plain)), expected));
  CHECK(same(parse_csv(plain.substr(0, plain.size() - 1)), expected));
  CHECK(same(parse_csv(with_crlf(plain).substr(0, with_crlf(plain).size() - 2)), expected));
  CHECK(same(parse_csv(plain + "\n\n  \n"), expected));
  CHECK(same(parse_csv(with_crlf(plain) + "\r\n\r\n"), expected));
}

TEST_CASE("csv: load_csv_file reads bytes as they are (BOM and CRLF)") {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "sparse_iht_test_csv_bom_crlf.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBF" << with_crlf(kPlain);
  }
  const Dataset loaded = sparse_iht::load_csv_file(path.string());
  std::filesystem::remove(path);
  CHECK(same(loaded, parse_csv(kPlain)));
}

TEST_CASE("csv: a missing file is an InputError naming the path") {
  const std::string path = SPARSE_IHT_TEST_DATA "/no_such_file.csv";
  CHECK_THROWS_WITH_AS(sparse_iht::load_csv_file(path),
                       ("cannot read '" + path + "': No such file or directory").c_str(),
                       InputError);
  CHECK_THROWS_WITH_AS(sparse_iht::load_csv_file(SPARSE_IHT_TEST_DATA),
                       doctest::Contains("cannot read '"), InputError);
}

TEST_CASE("csv: RFC 4180 quoting") {
  const Dataset data = parse_csv(
      "\"sepal, length\",b,\"the \"\"label\"\"\"\n"
      "\"1.5\",2,\"Iris \"\"a\"\", b\"\n"
      "  \"3\" ,4,\"two\nlines\"\n"
      "5,6,\"\"\"\"\n"
      "7,8,plain\n");
  CHECK(data.feature_names == std::vector<std::string>{"sepal, length", "b"});
  CHECK(data.class_names == std::vector<std::string>{"Iris \"a\", b", "two\nlines", "\"", "plain"});
  CHECK(data.y == std::vector<int>{0, 1, 2, 3});
  CHECK(data.x(0, 0) == 1.5);
  CHECK(data.x(0, 1) == 3.0);
  CHECK(data.x(1, 3) == 8.0);
  // Line numbers count physical lines, so a quoted line break moves them on.
  CHECK(error_of("a,b,c\n1,2,\"x\ny\"\n1,2\n") == "data.csv: line 4: expected 3 fields, found 2");
}

TEST_CASE("csv: spaces around unquoted cells are ignored") {
  const Dataset data = parse_csv("a , b,label\n 1.5 ,\t-2e3 , x \n3,4,y\n");
  CHECK(data.feature_names == std::vector<std::string>{"a", "b"});
  CHECK(data.class_names == std::vector<std::string>{"x", "y"});
  CHECK(data.x(0, 0) == 1.5);
  CHECK(data.x(1, 0) == -2000.0);
}

TEST_CASE("csv: integer labels are sorted numerically, words by first appearance") {
  const Dataset numbers = parse_csv("a,label\n1,10\n2,2\n3,-1\n4,2\n5,+10\n");
  CHECK(numbers.class_names == std::vector<std::string>{"-1", "2", "10"});
  CHECK(numbers.y == std::vector<int>{2, 1, 0, 1, 2});

  const Dataset words = parse_csv("a,label\n1,b\n2,a\n3,b\n4,c\n");
  CHECK(words.class_names == std::vector<std::string>{"b", "a", "c"});
  CHECK(words.y == std::vector<int>{0, 1, 0, 2});

  // One non-integer label makes them all words.
  const Dataset mixed = parse_csv("a,label\n1,10\n2,2\n3,2.5\n");
  CHECK(mixed.class_names == std::vector<std::string>{"10", "2", "2.5"});
  CHECK(mixed.y == std::vector<int>{0, 1, 2});
}

TEST_CASE("csv: the label column can be named") {
  const Dataset data = parse_csv("a,species,b\n1,x,2\n3,y,4\n5,x,6\n", "species");
  CHECK(data.feature_names == std::vector<std::string>{"a", "b"});
  CHECK(data.class_names == std::vector<std::string>{"x", "y"});
  CHECK(data.y == std::vector<int>{0, 1, 0});
  CHECK(data.x(0, 1) == 3.0);
  CHECK(data.x(1, 1) == 4.0);
  const Dataset first = parse_csv("label,a,b\n0,1,2\n1,3,4\n", "label");
  CHECK(first.feature_names == std::vector<std::string>{"a", "b"});
  CHECK(first.x(1, 1) == 4.0);
}

TEST_CASE("csv: UTF-8 names and labels are accepted") {
  const Dataset data = parse_csv("longueur (cm),espèce\n1,sétosa\n2,\xF0\x9F\x8C\xB8\n");
  CHECK(data.feature_names == std::vector<std::string>{"longueur (cm)"});
  CHECK(data.class_names == std::vector<std::string>{"sétosa", "\xF0\x9F\x8C\xB8"});
}

TEST_CASE("csv: structural errors") {
  CHECK(error_of("") == "data.csv: the file is empty (expected a header row)");
  CHECK(error_of("\xEF\xBB\xBF").find("is empty") != std::string::npos);
  CHECK(error_of("\n\n \r\n").find("is empty") != std::string::npos);
  CHECK(error_of("a,b\n") == "data.csv: no data rows after the header (line 1)");
  CHECK(error_of("a,b\n\n\n").find("no data rows") != std::string::npos);
  CHECK(error_of("a,b,c,d,e\n1,2,3,4,x\n1,2,3,4,y\n1,2,3,4,x\n1,2,3,4,x\n1,2,3,4,x\n1,2,3,x\n") ==
        "data.csv: line 7: expected 5 fields, found 4");
  CHECK(error_of("a,b\n1,x\n1,2,y\n") == "data.csv: line 3: expected 2 fields, found 3");
  CHECK(error_of("a,b\n1,x\n1,y,\n").find("expected 2 fields, found 3") != std::string::npos);
  CHECK(error_of("label\nx\ny\n") ==
        "data.csv: line 1: the header has 1 column; need at least 2 (features and a label)");
  CHECK(error_of("a,b,a\n1,2,x\n") ==
        "data.csv: line 1: duplicate column name 'a' (columns 1 and 3)");
  CHECK(error_of("a,,c\n1,2,x\n") == "data.csv: line 1: column 2 has an empty name");
  CHECK(error_of("a,b,\"\"\n1,2,x\n").find("column 3 has an empty name") != std::string::npos);
  // The label option is at fault, not the file.
  CHECK(error_of("a,b,c\n1,2,x\n", "foo") ==
        "label: data.csv: no column named 'foo' (columns: a, b, c)");
  CHECK(error_of("a,b,c\n1,2,\"x\n3,4,y\n") ==
        "data.csv: line 2: unterminated quoted field (the quote opened here is never closed)");
  CHECK(error_of("a,b,c\n1,\"2\"x,y\n").find("line 2: unexpected 'x' after a closing quote") !=
        std::string::npos);
}

TEST_CASE("csv: cell errors name the line and the column") {
  const std::string header = "sepal_length,sepal_width,petal_length,petal_width,species\n";
  const std::string good = "5.1,3.5,1.4,0.2,a\n";
  CHECK(error_of(header + good + "5.1,3.5,1.4,abc,a\n") ==
        "data.csv: line 3, column 'petal_width': 'abc' is not a number");
  CHECK(error_of(header + "5.1,3.5,1.4,nan,a\n") ==
        "data.csv: line 2, column 'petal_width': 'nan' is not a finite number");
  CHECK(error_of(header + "5.1,3.5,inf,0.2,a\n") ==
        "data.csv: line 2, column 'petal_length': 'inf' is not a finite number");
  CHECK(error_of(header + "5.1,-Infinity,1.4,0.2,a\n").find("is not a finite number") !=
        std::string::npos);
  CHECK(error_of(header + "1e999,3.5,1.4,0.2,a\n") ==
        "data.csv: line 2, column 'sepal_length': '1e999' is not a finite number");
  CHECK(error_of(header + "5.1,,1.4,0.2,a\n") ==
        "data.csv: line 2, column 'sepal_width': empty cell (expected a number)");
  CHECK(error_of(header + "5.1,3.5 cm,1.4,0.2,a\n").find("'3.5 cm' is not a number") !=
        std::string::npos);
  CHECK(error_of(header + "5.1,1.2.3,1.4,0.2,a\n").find("'1.2.3' is not a number") !=
        std::string::npos);
  CHECK(error_of(header + "5.1,3.5,1.4,0.2,\n") ==
        "data.csv: line 2, column 'species': empty label");
  // A quoted line break in a cell stays on one line of the message.
  const std::string multiline = error_of(header + "5.1,\"3\n5\",1.4,0.2,a\n");
  CHECK(multiline == "data.csv: line 2, column 'sepal_width': '3\\n5' is not a number");
  // A very long cell is cut short in the message.
  const std::string long_cell = error_of(header + "5.1," + std::string(500, 'z') + ",1,2,a\n");
  CHECK(long_cell.find("...' is not a number") != std::string::npos);
  CHECK(long_cell.size() < 200);
}

TEST_CASE("csv: a single class is an error") {
  CHECK(error_of("a,species\n1,x\n2,x\n") ==
        "data.csv: only one class ('x') in column 'species'; need at least 2");
  CHECK(error_of("a,species\n1,3\n2,03\n").find("only one class ('3')") != std::string::npos);
}

TEST_CASE("csv: invalid UTF-8 is reported with its line") {
  CHECK(error_of("a,b\n1,x\n2,\xFF\n") ==
        "data.csv: line 3: invalid UTF-8 (byte 0xFF at byte 3 of the line)");
  CHECK(error_of("a,b\n1,\xC0\xAF\n").find("line 2: invalid UTF-8") != std::string::npos);
  CHECK(error_of("a,b\n1,\xED\xA0\x80\n").find("line 2: invalid UTF-8") != std::string::npos);
  CHECK(error_of("a,b\n1,x\n2,\xE2\x82").find("line 3: invalid UTF-8") != std::string::npos);
  CHECK(error_of("a,\xF4\x90\x80\x80\n1,x\n").find("line 1: invalid UTF-8") != std::string::npos);
  CHECK(error_of("a,b\n1,\"x\xFE\"\n").find("line 2: invalid UTF-8") != std::string::npos);
  CHECK(error_of("a,b\n1,\"x\"\xFF\n") ==
        "data.csv: line 2: invalid UTF-8 (byte 0xFF at byte 6 of the line)");
  // Anywhere, even after the last field that is read.
  CHECK(error_of("a,b\n1,x\n2,y\n\xBF").find("line 4: invalid UTF-8") != std::string::npos);
}

TEST_CASE("csv: limits on line length and column count") {
  CsvLimits limits;
  limits.max_line_bytes = 16;
  // 16 bytes is allowed, 17 is not; the terminator does not count.
  CHECK(error_of("a,b\n1.000000000000,x\n1,y\n", "", limits) == "");
  CHECK(error_of("a,b\r\n1.000000000000,x\r\n1,y\r\n", "", limits) == "");
  CHECK(error_of("a,b\n1.0000000000000,x\n1,y\n", "", limits) ==
        "data.csv: line 2: line longer than 16 bytes");
  CHECK(error_of("a,b\n1.000000000000,xy\n", "", limits).find("line 2: line longer") !=
        std::string::npos);
  // The 17th byte is a comma, or a closing quote.
  CHECK(error_of("a,b\n1.00000000000000,\n", "", limits).find("line 2: line longer") !=
        std::string::npos);
  CHECK(error_of("a,b\n1.00000000000,\"x\"\n", "", limits).find("line 2: line longer") !=
        std::string::npos);
  CHECK(error_of("a,b\n1,\"x\n12345678901234567\"\n", "", limits)
            .find("line 3: line longer than 16 bytes") != std::string::npos);

  // A line of several MiB with the default limit of 1 MiB.
  const std::string giant = "a,b\n1,x\n" + std::string(std::size_t{3} << 20, '7') + ",y\n";
  CHECK(error_of(giant) == "data.csv: line 3: line longer than 1048576 bytes");
  const std::string giant_quoted =
      "a,b\n1,x\n1,\"" + std::string(std::size_t{3} << 20, 'q') + "\"\n";
  CHECK(error_of(giant_quoted) == "data.csv: line 3: line longer than 1048576 bytes");

  CsvLimits narrow;
  narrow.max_columns = 3;
  CHECK(error_of("a,b,c\n1,2,x\n2,3,y\n", "", narrow) == "");
  CHECK(error_of("a,b,c,d\n1,2,3,x\n", "", narrow) == "data.csv: line 1: more than 3 columns");
  CHECK(error_of("a,b,c\n1,2,x\n1,2,3,4,5\n", "", narrow) ==
        "data.csv: line 3: more than 3 columns");
}

TEST_CASE("csv: the label column error lists at most 20 columns") {
  std::string header;
  std::string row;
  for (int i = 0; i < 30; ++i) {
    header += (i ? ",c" : "c") + std::to_string(i);
    row += (i ? ",1" : "1");
  }
  const std::string message = error_of(header + "\n" + row + "\n", "nope");
  CHECK(message.find("no column named 'nope' (columns: c0, c1,") != std::string::npos);
  CHECK(message.find("c19, ... (30 in all))") != std::string::npos);
}

TEST_CASE("csv: a million rows") {
  const int rows = 1000000;
  std::string text = "x1,x2,x3,label\n";
  text.reserve(static_cast<std::size_t>(rows) * 24);
  const char* const names[] = {"alpha", "beta", "gamma"};
  char line[64];
  for (int i = 0; i < rows; ++i) {
    std::snprintf(line, sizeof line, "%d,%d.5,-%d.25,%s\n", i, i % 97, i % 13, names[i % 3]);
    text += line;
  }
  const Dataset data = parse_csv(text, "", "big.csv");
  REQUIRE(data.num_samples() == rows);
  CHECK(data.num_features() == 3);
  CHECK(data.class_names == std::vector<std::string>{"alpha", "beta", "gamma"});
  CHECK(data.class_counts() == std::vector<int>{333334, 333333, 333333});
  CHECK(data.x(0, 0) == 0.0);
  CHECK(data.x(0, rows - 1) == static_cast<double>(rows - 1));
  CHECK(data.x(1, 123456) == 123456 % 97 + 0.5);
  CHECK(data.x(2, 999998) == -(999998 % 13 + 0.25));
  CHECK(data.y[999998] == 999998 % 3);
}

TEST_CASE(
    "csv: numbers of 1 to 5000 characters, either side of the 64-byte buffer, parse exactly") {
  CHECK(parsed("7") == 7.0);
  CHECK(parsed("-7") == -7.0);
  for (const std::size_t length : kCellLengths) {
    INFO("length " << length);
    if (length >= 3) {
      CHECK(parsed(zero_padded("1.5", length)) == 1.5);
    }
    if (length >= 4) {
      CHECK(parsed(zero_padded("-1.5", length)) == -1.5);
      // The exponent is the last character.
      CHECK(parsed(zero_padded("15e-1", length)) == 1.5);
    }
    if (length >= 19) {
      CHECK(parsed(just_above_halfway(length)) == 9007199254740994.0);
      CHECK(parsed(exactly_halfway(length)) == 9007199254740992.0);
    }
  }
}

TEST_CASE("csv: bad numbers of 4 to 5000 characters are errors that quote the cell") {
  for (const std::size_t length : kCellLengths) {
    if (length < 4) continue;
    INFO("length " << length);
    const std::string prefix = "data.csv: line 2, column 'a': ";
    // A number up to the last character, which spoils it.
    for (const char last : {'z', 'e', '.', '-'}) {
      const std::string cell = zero_padded("1.5", length - 1) + last;
      CHECK(cell_error(cell) == prefix + shown(cell) + " is not a number");
    }
    const std::string overflow = zero_padded("1e999", length);
    CHECK(cell_error(overflow) == prefix + shown(overflow) + " is not a finite number");
  }
}

TEST_CASE("csv: quoted numbers, and numbers with blanks around them, at the buffer's edges") {
  for (const std::size_t length : kCellLengths) {
    if (length < 19) continue;
    INFO("length " << length);
    const std::string cell = zero_padded("1.5", length);
    CHECK(parsed("\"" + cell + "\"") == 1.5);
    CHECK(parsed("  " + cell + "\t ") == 1.5);
    // Blanks inside the quotes are trimmed too.
    CHECK(parsed("\" " + cell + "\t\"") == 1.5);
    CHECK(parsed("\"" + just_above_halfway(length) + "\"") == 9007199254740994.0);
    CHECK(parsed(" \t" + just_above_halfway(length) + " ") == 9007199254740994.0);
    CHECK(parsed("\"\t" + just_above_halfway(length) + "  \"") == 9007199254740994.0);
  }
}

TEST_CASE("csv: a number can fill a line of exactly 1 MiB; one byte more is too long") {
  const std::size_t limit = CsvLimits{}.max_line_bytes;
  REQUIRE(limit == std::size_t{1} << 20);
  const std::string tail = "\n1,y\n";
  // 1.5 written in limit − 2 characters, then ",x".
  const std::string full = zero_padded("1.5", limit - 2) + ",x";
  REQUIRE(full.size() == limit);
  CHECK(parse_csv("a,label\n" + full + tail).x(0, 0) == 1.5);
  CHECK(parse_csv("a,label\r\n" + full + "\r\n1,y\r\n").x(0, 0) == 1.5);
  const std::string quoted_full = "\"" + zero_padded("1.5", limit - 4) + "\",x";
  REQUIRE(quoted_full.size() == limit);
  CHECK(parse_csv("a,label\n" + quoted_full + tail).x(0, 0) == 1.5);
  const std::string over = zero_padded("1.5", limit - 1) + ",x";
  CHECK(error_of("a,label\n" + over + tail) == "data.csv: line 2: line longer than 1048576 bytes");
  const std::string quoted_over = "\"" + zero_padded("1.5", limit - 3) + "\",x";
  CHECK(error_of("a,label\n" + quoted_over + tail) ==
        "data.csv: line 2: line longer than 1048576 bytes");
}

TEST_CASE("csv: 10000 columns are allowed by default, 10001 are not") {
  const std::size_t limit = CsvLimits{}.max_columns;
  REQUIRE(limit == 10000);
  const auto file = [](std::size_t columns) {
    std::string header, first, second;
    for (std::size_t i = 0; i + 1 < columns; ++i) {
      header += "c" + std::to_string(i) + ",";
      first += "1,";
      second += "2,";
    }
    return header + "label\n" + first + "x\n" + second + "y\n";
  };
  const Dataset data = parse_csv(file(limit));
  CHECK(data.num_features() == 9999);
  CHECK(data.x(9998, 1) == 2.0);
  CHECK(error_of(file(limit + 1)) == "data.csv: line 1: more than 10000 columns");
}

TEST_CASE("csv: messages quote up to 60 characters of a cell and list up to 20 columns") {
  const std::string sixty(60, 'z');
  CHECK(cell_error(sixty) == "data.csv: line 2, column 'a': '" + sixty + "' is not a number");
  CHECK(cell_error(sixty + "z") ==
        "data.csv: line 2, column 'a': '" + sixty + "...' is not a number");
  const auto columns = [](int count) {
    std::string header, row;
    for (int i = 0; i < count; ++i) {
      header += (i ? ",c" : "c") + std::to_string(i);
      row += (i ? ",1" : "1");
    }
    return header + "\n" + row + "\n";
  };
  CHECK(error_of(columns(20), "nope").find("c18, c19)") != std::string::npos);
  CHECK(error_of(columns(21), "nope").find("c19, ... (21 in all))") != std::string::npos);
}

TEST_CASE("csv: line numbers in errors count CRLF as one line end") {
  // A CRLF file must report the same line as the LF file: \r\n is one end.
  const std::string bad = "a,b\n1,x\n2,y\n3,4,z\n";
  CHECK(error_of(bad) == "data.csv: line 4: expected 2 fields, found 3");
  CHECK(error_of(with_crlf(bad)) == "data.csv: line 4: expected 2 fields, found 3");
  CHECK(error_of(with_crlf("a,b\n1,x\n\n2,nan,y\n")).find("line 4") != std::string::npos);
}

TEST_CASE("csv: errors carry their code, line and column") {
  const auto error = [](const std::string& text, const std::string& label = "") {
    try {
      sparse_iht::parse_csv(text, label, "data.csv");
    } catch (const InputError& e) {
      return e;
    }
    FAIL("accepted: " << text);
    return InputError("unreachable");
  };
  const InputError cell = error("a,b,label\n1,2,x\n3,four,y\n");
  CHECK(cell.code() == sparse_iht::ErrorCode::bad_data);
  CHECK(cell.option().empty());
  CHECK(cell.line() == 3);
  CHECK(cell.column() == 2);
  const InputError ragged = error("a,b,label\n1,2,x\n3,4\n");
  CHECK(ragged.line() == 3);
  CHECK(ragged.column() == 0);
  const InputError empty_label = error("label,a\n,1\nx,2\n", "label");
  CHECK(empty_label.line() == 2);
  CHECK(empty_label.column() == 1);
  const InputError duplicate = error("a,b,a\n1,2,x\n");
  CHECK(duplicate.line() == 1);
  CHECK(duplicate.column() == 3);
  const InputError missing = error("a,b\n1,x\n", "species");
  CHECK(missing.code() == sparse_iht::ErrorCode::bad_option);
  CHECK(missing.option() == "label");
  CHECK(missing.line() == 0);
  const InputError one_class = error("a,b\n1,x\n2,x\n");
  CHECK(one_class.code() == sparse_iht::ErrorCode::bad_data);
  CHECK(one_class.line() == 0);
}
