#include "report/json_writer.h"

#include <cmath>
#include <cstdio>

#include "autodiff/tensor.h"
#include "autodiff/json.h"

namespace mxai::report {

bool JsonWriter::in_one_line() const {
  for (const Level& level : stack_)
    if (level.one_line) return true;
  return false;
}

void JsonWriter::newline_and_indent(size_t depth) {
  out_ += '\n';
  out_.append(2 * depth, ' ');
}

// Separates this value from the previous sibling; a value after a key is already placed.
void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) {
    if (!out_.empty()) throw Error("JsonWriter: a document holds one top-level value");
    return;
  }
  Level& level = stack_.back();
  if (level.is_object) throw Error("JsonWriter: a value inside an object needs a key first");
  if (!level.empty) out_ += in_one_line() ? ", " : ",";
  if (!in_one_line()) newline_and_indent(stack_.size());
  level.empty = false;
}

JsonWriter& JsonWriter::key(const std::string& name) {
  if (stack_.empty() || !stack_.back().is_object || after_key_)
    throw Error("JsonWriter: key '" + name + "' outside an object or after another key");
  Level& level = stack_.back();
  if (!level.empty) out_ += in_one_line() ? ", " : ",";
  if (!in_one_line()) newline_and_indent(stack_.size());
  level.empty = false;
  out_ += json::quote(name);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

void JsonWriter::open(char bracket, bool is_object, bool one_line) {
  before_value();
  out_ += bracket;
  stack_.push_back(Level{is_object, one_line});
}

void JsonWriter::close(char bracket, bool is_object) {
  if (stack_.empty() || stack_.back().is_object != is_object || after_key_)
    throw Error(std::string("JsonWriter: unbalanced '") + bracket + "'");
  const bool was_empty = stack_.back().empty;
  const bool one_line = in_one_line();
  stack_.pop_back();
  if (!was_empty && !one_line) newline_and_indent(stack_.size());
  out_ += bracket;
}

void JsonWriter::begin_object(bool one_line) { open('{', true, one_line); }
void JsonWriter::end_object() { close('}', true); }
void JsonWriter::begin_array(bool one_line) { open('[', false, one_line); }
void JsonWriter::end_array() { close(']', false); }

void JsonWriter::number(double v) {
  if (!std::isfinite(v)) return null();
  before_value();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  out_ += buffer;
}

void JsonWriter::integer(int64_t v) {
  before_value();
  out_ += std::to_string(v);
}

void JsonWriter::unsigned_integer(uint64_t v) {
  before_value();
  out_ += std::to_string(v);
}

void JsonWriter::boolean(bool v) {
  before_value();
  out_ += v ? "true" : "false";
}

void JsonWriter::string(const std::string& s) {
  before_value();
  out_ += json::quote(s);
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

std::string JsonWriter::str() const {
  if (!stack_.empty() || after_key_) throw Error("JsonWriter: document not finished");
  return out_ + "\n";
}

}  // namespace mxai::report
