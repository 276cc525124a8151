// The tests' JSON reader (defined in tests/core/test_json.cpp), shared by the
// test files that read JSON: the command line's documents and tests/bad_inputs.json.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sparse_iht_test {

// A strict JSON parser (RFC 8259) for checking the documents: values keep
// their raw text so tests can compare numbers bit for bit.
struct JsonValue {
  enum Kind { null, boolean, number, string, array, object } kind = null;
  std::string raw;  // number text, decoded string, "true"/"false"/"null"
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;

  const JsonValue* find(const std::string& key) const {
    for (const auto& m : members) {
      if (m.first == key) return &m.second;
    }
    return nullptr;
  }
  // The string at key, or fallback when it is absent or not a string.
  std::string string_or(const std::string& key, const std::string& fallback) const {
    const JsonValue* v = find(key);
    return v && v->kind == string ? v->raw : fallback;
  }
  const JsonValue& at(const std::string& key) const {
    for (const auto& m : members) {
      if (m.first == key) return m.second;
    }
    throw std::runtime_error("no key " + key);
  }
  double as_number() const {
    if (kind != number) throw std::runtime_error("not a number: " + raw);
    return std::strtod(raw.c_str(), nullptr);
  }
};

// Parses a whole document; throws std::runtime_error at the first error.
JsonValue parse_json(const std::string& text);
// Every key path in a document ("history.loss", "points[].s"), sorted.
std::vector<std::string> json_key_paths(const std::string& text);
// The raw text of the value at a dotted path.
std::string json_at(const std::string& text, const std::string& path);
// The key paths a train result document must have, under prefix.
std::vector<std::string> train_result_paths(const std::string& prefix);

}  // namespace sparse_iht_test
