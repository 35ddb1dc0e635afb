// The one JSON reader and string writer of mxai, for every format that holds JSON: safetensors headers (nn/),
// the npm digit files (datasets/), stage records (experiments/) and the report's results.json. The reader accepts
// RFC 8259 JSON (objects keep their member order; nesting is limited to 64 levels so hostile input cannot exhaust
// the stack) and throws mxai::Error naming the source, the line, column and byte offset of the first problem.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mxai::json {

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  bool is_integer = false;  // a number written without fraction or exponent that fits int64
  int64_t integer = 0;
  std::string string;
  std::vector<Value> items;                             // Array
  std::vector<std::pair<std::string, Value>> members;  // Object, in document order

  const Value* find(const std::string& key) const;  // Object member, or null
  const char* kind_name() const;                    // "object", "string", ...
};

// `source` (a file name) starts every error message when given.
Value parse(const std::string& text, const std::string& source = "");

// The fast path for the one JSON shape that holds millions of numbers (an npm digit file holds 785,000): a
// document that is exactly {"<key>": [n, n, ...]} (any white space) fills `numbers` without a Value per number
// and returns true. Any other document, valid or not, returns false: parse() it for the value or the precise error.
bool read_number_array_member(const std::string& text, const std::string& key, std::vector<double>& numbers);

// A JSON string literal for `s`, with quotes and escapes.
std::string quote(const std::string& s);

}  // namespace mxai::json
