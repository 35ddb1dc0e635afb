#include "datasets/json_numbers.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "autodiff/tensor.h"

namespace mxai {

namespace {

class Parser {
 public:
  Parser(const std::string& text, const std::string& source) : text_(text), source_(source) {}

  std::vector<float> parse_document() {
    skip_space();
    expect('{', "'{' opening the object");
    skip_space();
    std::vector<float> data;
    bool have_data = false;
    if (peek() != '}') {
      while (true) {
        skip_space();
        const size_t key_pos = pos_;
        const std::string key = parse_key();
        if (key != "data") fail_at(key_pos, "unexpected member \"" + key + "\" (only \"data\" is understood)");
        if (have_data) fail_at(key_pos, "duplicate member \"data\"");
        skip_space();
        expect(':', "':' after the member name");
        skip_space();
        data = parse_number_array();
        have_data = true;
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        break;
      }
    }
    expect('}', "',' or '}' after the \"data\" array");
    skip_space();
    if (pos_ != text_.size()) fail("trailing text after the closing '}'");
    if (!have_data) fail_at(0, "the object has no \"data\" member");
    return data;
  }

 private:
  int peek() const { return pos_ < text_.size() ? static_cast<unsigned char>(text_[pos_]) : -1; }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }

  std::string describe_here() const {
    if (pos_ >= text_.size()) return "end of file";
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "byte 0x%02x", c);
    return buffer;
  }

  [[noreturn]] void fail_at(size_t at, const std::string& what) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw Error("'" + source_ + "': JSON error at line " + std::to_string(line) + ", column " + std::to_string(column) +
                " (byte " + std::to_string(at) + "): " + what);
  }
  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }

  void expect(char c, const char* what) {
    if (peek() != static_cast<unsigned char>(c)) fail(std::string("expected ") + what + ", found " + describe_here());
    ++pos_;
  }

  // A plain member name; escapes are not needed for the one name this format has.
  std::string parse_key() {
    expect('"', "'\"' starting a member name");
    const size_t begin = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') fail("escape sequences in member names are not supported");
      if (text_[pos_] == '\n') fail("unterminated member name");
      ++pos_;
    }
    if (pos_ >= text_.size()) fail_at(begin - 1, "unterminated member name");
    ++pos_;
    return text_.substr(begin, pos_ - begin - 1);
  }

  std::vector<float> parse_number_array() {
    expect('[', "'[' starting the \"data\" array");
    std::vector<float> values;
    // The npm digit files are about 2.3 MB for 785k values; reserving avoids repeated regrowth.
    values.reserve(text_.size() / 3);
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return values;
    }
    while (true) {
      skip_space();
      values.push_back(parse_number());
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        values.shrink_to_fit();
        return values;
      }
      fail("expected ',' or ']' in the \"data\" array, found " + describe_here());
    }
  }

  // Moves past a run of decimal digits; returns its length. (A member function, not a lambda capturing [&]: clang
  // 14 at -O3 compiled that lambda's loop into one that re-read the first digit forever.)
  size_t skip_digits() {
    const size_t begin = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ - begin;
  }
  void require_digits() {
    if (skip_digits() == 0) fail("expected a digit in a number, found " + describe_here());
  }

  // The JSON number grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, checked here because
  // from_chars alone would also take "inf", "nan" and leading '+' or zeros.
  float parse_number() {
    const size_t begin = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (skip_digits() == 0) {
      fail("expected a number, found " + describe_here());
    }
    if (peek() == '.') {
      ++pos_;
      require_digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      require_digits();
    }
    double value = 0;
    const auto [end, error] = std::from_chars(text_.data() + begin, text_.data() + pos_, value);
    if (error != std::errc() || end != text_.data() + pos_ || !std::isfinite(static_cast<float>(value)))
      fail_at(begin, "number '" + text_.substr(begin, pos_ - begin) + "' is out of range");
    return static_cast<float>(value);
  }

  const std::string& text_;
  const std::string& source_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<float> parse_json_data_array(const std::string& text, const std::string& source) {
  return Parser(text, source).parse_document();
}

}  // namespace mxai
