// A streaming JSON emitter for results.json: commas, indentation and escapes are its business, so the report code
// only says what goes where. Non-finite numbers become null, because JSON has no NaN or infinity and a reader that
// chokes on the whole file is worse than one missing value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mxai::report {

class JsonWriter {
 public:
  // `one_line` keeps a small container (a summary, a finding) on a single line; everything nested in it too.
  void begin_object(bool one_line = false);
  void end_object();
  void begin_array(bool one_line = false);
  void end_array();

  JsonWriter& key(const std::string& name);  // inside an object, before each value: json.key("n").integer(3)

  void number(double v);  // %.6g, null when NaN or infinite
  void integer(int64_t v);
  void unsigned_integer(uint64_t v);
  void boolean(bool v);
  void string(const std::string& s);
  void null();

  // The document; throws mxai::Error if containers are still open.
  std::string str() const;

 private:
  struct Level {
    bool is_object;
    bool one_line;
    bool empty = true;
  };
  void before_value();
  void open(char bracket, bool is_object, bool one_line);
  void close(char bracket, bool is_object);
  void newline_and_indent(size_t depth);
  bool in_one_line() const;

  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace mxai::report
