#include "apps/cli.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <sstream>

#include "autodiff/tensor.h"

namespace mxai::cli {

namespace {

// A bound as the user would write it: 1, 0.5, 4096, 1e-06.
std::string bound_str(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

}  // namespace

bool Range::contains(double v) const {
  if (!std::isfinite(v)) return false;
  if (min_open ? !(v > min) : !(v >= min)) return false;
  if (max_open ? !(v < max) : !(v <= max)) return false;
  return true;
}

std::string Range::bounds() const {
  const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
  if (!has_min && !has_max) return "";
  if (has_min && !has_max) return (min_open ? "> " : ">= ") + bound_str(min);
  if (!has_min) return (max_open ? "< " : "<= ") + bound_str(max);
  return std::string("in ") + (min_open ? "(" : "[") + bound_str(min) + ", " + bound_str(max) + (max_open ? ")" : "]");
}

std::string Range::describe() const {
  const std::string b = bounds();
  if (b.empty()) return integer ? "an integer" : "a finite number";
  return (integer ? "an integer " : "a finite number ") + b;
}

Options& Options::declare(const std::string& name, const Spec& spec) {
  order_.push_back(name);
  specs_[name] = spec;
  return *this;
}

Options& Options::flag(const std::string& name, const std::string& help) {
  Spec entry;
  entry.is_flag = true;
  entry.help = help;
  return declare(name, entry);
}

Options& Options::value(const std::string& name, const std::string& fallback, const std::string& help) {
  Spec entry;
  entry.fallback = fallback;
  entry.help = help;
  return declare(name, entry);
}

Options& Options::value(const std::string& name, const std::string& fallback, const std::string& help, Range range) {
  value(name, fallback, help);
  specs_[name].has_range = true;
  specs_[name].range = range;
  return *this;
}

bool Options::parse(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      print_help();
      return false;
    }
    if (arg.rfind("--", 0) != 0) throw Error("unexpected argument '" + arg + "' (see --help)");
    std::string name = arg.substr(2), inline_value;
    const size_t eq = name.find('=');
    const bool has_inline = eq != std::string::npos;
    if (has_inline) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto spec = specs_.find(name);
    if (spec == specs_.end()) throw Error("unknown option --" + name + " (see --help)");
    if (spec->second.is_flag) {
      if (has_inline) throw Error("--" + name + " takes no value");
      given_[name] = "1";
    } else if (has_inline) {
      given_[name] = inline_value;
    } else {
      if (i + 1 >= args.size()) throw Error("--" + name + " needs a value");
      given_[name] = args[++i];
    }
  }
  // Every declared number now, given or default, so that a bad one fails before the command does any work.
  for (const std::string& name : order_) {
    const Spec& s = specs_.at(name);
    if (!s.has_range) continue;
    if (s.range.integer) integer(name);
    else number(name);
  }
  return true;
}

bool Options::has(const std::string& name) const { return given_.count(name) > 0; }

const Options::Spec& Options::spec(const std::string& name) const {
  auto it = specs_.find(name);
  if (it == specs_.end()) throw Error("internal: option --" + name + " was not declared");
  return it->second;
}

std::string Options::str(const std::string& name) const {
  const Spec& s = spec(name);
  auto it = given_.find(name);
  return it != given_.end() ? it->second : s.fallback;
}

void Options::bad_value(const std::string& name, const std::string& expected, const std::string& got) const {
  throw Error("--" + name + " " + expected + ", got '" + got + "'");
}

int64_t Options::integer(const std::string& name) const {
  const Spec& sp = spec(name);
  const std::string s = str(name);
  long long v = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || error == std::errc::invalid_argument || end != s.data() + s.size())
    bad_value(name, "expects an integer", s);
  Range range = sp.has_range ? sp.range : Range{};
  range.integer = true;
  // Out of int64 altogether, or out of the declared range.
  if (error == std::errc::result_out_of_range || !range.contains(static_cast<double>(v)))
    bad_value(name, "must be " + range.describe(), s);
  return v;
}

double Options::number(const std::string& name) const { return parse_number(name, str(name)); }

std::vector<double> Options::numbers(const std::string& name) const {
  std::vector<double> values;
  const std::string s = str(name);
  if (s.empty()) return values;
  size_t begin = 0;
  while (true) {
    const size_t comma = s.find(',', begin);
    values.push_back(parse_number(name, s.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin)));
    if (comma == std::string::npos) return values;
    begin = comma + 1;
  }
}

double Options::parse_number(const std::string& name, const std::string& s) const {
  const Spec& sp = spec(name);
  double v = 0;
  bool parsed = false;
  // strtod also skips leading blanks and reads hexadecimal floats; neither belongs on a command line. It reads
  // "nan", "inf" and overflowing numbers (as +-HUGE_VAL): numbers, but never in range.
  if (!s.empty() && !std::isspace(static_cast<unsigned char>(s[0])) && s.find_first_of("xX") == std::string::npos) {
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    parsed = end == s.c_str() + s.size();
  }
  if (!parsed) bad_value(name, "expects a number", s);
  const Range range = sp.has_range ? sp.range : Range{};
  if (!range.contains(v)) bad_value(name, "must be " + range.describe(), s);
  return v;
}

void Options::print_help() const {
  std::cout << "usage: mxai " << command_ << " [options]\n\n" << summary_ << "\n\noptions:\n";
  for (const std::string& name : order_) {
    const Spec& s = specs_.at(name);
    std::string left = "  --" + name + (s.is_flag ? "" : " VALUE");
    if (left.size() < 28) left.resize(28, ' ');
    else left += "  ";
    std::cout << left << s.help;
    const std::string bounds = s.has_range ? s.range.bounds() : "";
    if (!bounds.empty() && !s.fallback.empty()) std::cout << " (" << bounds << "; default: " << s.fallback << ")";
    else if (!bounds.empty()) std::cout << " (" << bounds << ")";
    else if (!s.is_flag && !s.fallback.empty()) std::cout << " (default: " << s.fallback << ")";
    std::cout << "\n";
  }
  std::cout << "  --help                    show this help\n";
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace mxai::cli
