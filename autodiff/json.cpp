#include "autodiff/json.h"

#include <cerrno>
#include <cstdlib>

#include "autodiff/tensor.h"

namespace mxai::json {

const Value* Value::find(const std::string& key) const {
  for (const auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

const char* Value::kind_name() const {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Bool: return "boolean";
    case Kind::Number: return "number";
    case Kind::String: return "string";
    case Kind::Array: return "array";
    case Kind::Object: return "object";
  }
  return "?";
}

namespace {

constexpr int kMaxDepth = 64;

class Parser {
 public:
  Parser(const std::string& text, const std::string& source) : s_(text), source_(source) {}

  Value document() {
    Value v = value(0);
    end_of_document();
    return v;
  }

  // {"<key>": [n, ...]} into `numbers`; fails (throws) at the first deviation.
  void number_array_member(const std::string& key, std::vector<double>& numbers) {
    skip_space();
    expect('{');
    skip_space();
    if (string() != key) fail("another member");
    skip_space();
    expect(':');
    skip_space();
    expect('[');
    skip_space();
    if (peek() == ']') {
      ++pos_;
    } else {
      Value v;
      while (true) {
        skip_space();
        if (peek() != '-' && !(peek() >= '0' && peek() <= '9')) fail("not a number");
        number(v);
        numbers.push_back(v.number);
        skip_space();
        if (peek() != ',') break;
        ++pos_;
      }
      expect(']');
    }
    skip_space();
    expect('}');
    end_of_document();
  }

 private:
  void end_of_document() {
    skip_space();
    if (pos_ != s_.size()) fail("unexpected trailing characters");
  }

  [[noreturn]] void fail(const std::string& what) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw Error((source_.empty() ? "" : "'" + source_ + "': ") + "invalid JSON at line " + std::to_string(line) +
                ", column " + std::to_string(column) + " (byte " + std::to_string(pos_) + "): " + what);
  }

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  void literal(const char* word) {
    for (const char* p = word; *p; ++p) {
      if (peek() != *p) fail(std::string("invalid literal, expected '") + word + "'");
      ++pos_;
    }
  }

  Value value(int depth) {
    if (depth > kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    skip_space();
    Value v;
    switch (peek()) {
      case '{': object(v, depth); break;
      case '[': array(v, depth); break;
      case '"':
        v.kind = Value::Kind::String;
        v.string = string();
        break;
      case 't':
        literal("true");
        v.kind = Value::Kind::Bool;
        v.boolean = true;
        break;
      case 'f':
        literal("false");
        v.kind = Value::Kind::Bool;
        break;
      case 'n': literal("null"); break;
      case '\0':
        if (pos_ >= s_.size()) fail("unexpected end of input");
        fail("unexpected character");
      default: number(v);
    }
    return v;
  }

  void object(Value& v, int depth) {
    v.kind = Value::Kind::Object;
    expect('{');
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return;
    }
    while (true) {
      skip_space();
      if (peek() != '"') fail("expected a string key");
      std::string key = string();
      skip_space();
      expect(':');
      v.members.emplace_back(std::move(key), value(depth + 1));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return;
    }
  }

  void array(Value& v, int depth) {
    v.kind = Value::Kind::Array;
    expect('[');
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return;
    }
    while (true) {
      v.items.push_back(value(depth + 1));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return;
    }
  }

  unsigned hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = peek();
      unsigned digit;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      else fail("invalid \\u escape");
      code = code * 16 + digit;
      ++pos_;
    }
    return code;
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) fail("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = hex4();
          if (code >= 0xD800 && code < 0xDC00) {  // a surrogate pair encodes one code point above U+FFFF
            if (peek() != '\\') fail("unpaired surrogate in \\u escape");
            ++pos_;
            if (peek() != 'u') fail("unpaired surrogate in \\u escape");
            ++pos_;
            const unsigned low = hex4();
            if (low < 0xDC00 || low >= 0xE000) fail("invalid low surrogate in \\u escape");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          } else if (code >= 0xDC00 && code < 0xE000) {
            fail("unpaired surrogate in \\u escape");
          }
          append_utf8(out, code);
          break;
        }
        default: --pos_; fail("invalid escape sequence");
      }
    }
  }

  void number(Value& v) {
    const size_t start = pos_;
    bool integral = true;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9') ++pos_;
    } else {
      fail("unexpected character");
    }
    if (peek() == '.') {
      integral = false;
      ++pos_;
      if (!(peek() >= '0' && peek() <= '9')) fail("digit expected after '.'");
      while (peek() >= '0' && peek() <= '9') ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!(peek() >= '0' && peek() <= '9')) fail("digit expected in exponent");
      while (peek() >= '0' && peek() <= '9') ++pos_;
    }
    // Read in place, not from a copy of the span (the npm digit files hold 785,000 numbers each): strtod and
    // strtoll stop where the span ends except after a leading "0" followed by 'x' ("0x1"), which the caller then
    // rejects as trailing text, so every value that is kept is the span's.
    const char* text = s_.c_str() + start;
    v.kind = Value::Kind::Number;
    v.number = std::strtod(text, nullptr);
    if (integral) {
      errno = 0;
      const long long i = std::strtoll(text, nullptr, 10);
      if (errno == 0) {
        v.is_integer = true;
        v.integer = i;
      }
    }
  }

  const std::string& s_;
  const std::string& source_;
  size_t pos_ = 0;
};

}  // namespace

Value parse(const std::string& text, const std::string& source) { return Parser(text, source).document(); }

bool read_number_array_member(const std::string& text, const std::string& key, std::vector<double>& numbers) {
  numbers.clear();
  try {
    Parser(text, "").number_array_member(key, numbers);
    return true;
  } catch (const Error&) {
    return false;
  }
}

std::string quote(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace mxai::json
