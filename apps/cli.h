// A small declarative command-line parser: each subcommand declares its options with help text, and gets
// `--help`, unknown-option errors and type errors for free.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace mxai::cli {

// "a,b,,c" -> {"a", "b", "c"}: the comma-separated lists of --methods and --fractions.
std::vector<std::string> split_list(const std::string& s);

// The values a numeric option accepts: integers or finite reals in an interval, each end open or closed, possibly
// unbounded. Every numeric option declares one (Options::value with cli::Int::... or cli::Real::...), and the
// declared values are checked when the command line is parsed (so a bad number stops the command before it loads
// any data) and again by Options::integer / Options::number. A number that cannot be right -- an epoch count of 0,
// a learning rate of -1 or NaN, a fraction of 7 -- fails with a message naming the option, the allowed range and
// the value. Non-finite numbers (nan, inf, 1e999) are never accepted.
struct Range {
  double min = -std::numeric_limits<double>::infinity(), max = std::numeric_limits<double>::infinity();
  bool min_open = false, max_open = false;
  bool integer = false;  // only integers (read with Options::integer)

  bool contains(double v) const;
  std::string bounds() const;    // ">= 1", "> 0", "in (0, 1]"; "" when unbounded
  std::string describe() const;  // "a finite number > 0", "an integer in [0, 4096]", "a finite number"
};

// Integer options: Int::at_least(1) for counts, Int::between(0, 4096) ...
struct Int {
  static Range any() { return with(Range{}); }
  static Range at_least(double lo) { return with(Range{lo}); }                   // [lo, inf)
  static Range between(double lo, double hi) { return with(Range{lo, hi}); }    // [lo, hi]

 private:
  static Range with(Range r) {
    r.integer = true;
    return r;
  }
};

// Real options: Real::above(0) for learning rates, Real::fraction() ...
struct Real {
  static Range any() { return {}; }                                           // any finite number
  static Range at_least(double lo) { return Range{lo}; }                     // [lo, inf)
  static Range above(double lo) { return Range{lo, Range{}.max, true}; }     // (lo, inf)
  static Range between(double lo, double hi) { return Range{lo, hi}; }      // [lo, hi]
  static Range fraction() { return Range{0, 1}; }                            // [0, 1]
  static Range positive_fraction() { return Range{0, 1, true}; }            // (0, 1]
};

class Options {
 public:
  Options(std::string command, std::string summary) : command_(std::move(command)), summary_(std::move(summary)) {}

  // Declare options; `fallback` is the default shown in --help. A numeric option passes its Range: integer() and
  // number() then refuse values outside it (and --help shows it). An option declared without a range can still be
  // read with integer() / number(), which then only reject non-numbers and non-finite values.
  Options& flag(const std::string& name, const std::string& help);
  Options& value(const std::string& name, const std::string& fallback, const std::string& help);
  Options& value(const std::string& name, const std::string& fallback, const std::string& help, Range range);

  // Parses argv (after the subcommand). Returns false if --help was printed.
  bool parse(const std::vector<std::string>& args);

  bool has(const std::string& name) const;  // a flag was given, or a value option was given explicitly
  std::string str(const std::string& name) const;
  // The option's value as an integer / a finite number within its declared range; anything else throws Error
  // "--NAME must be ..., got 'VALUE'" (main() prefixes "mxai CMD: error: ", as for every Error of a command).
  int64_t integer(const std::string& name) const;
  double number(const std::string& name) const;
  // A comma-separated list ("1,4,8"), each entry checked as number() checks a value; empty when the value is.
  std::vector<double> numbers(const std::string& name) const;
  void print_help() const;

 private:
  double parse_number(const std::string& name, const std::string& text) const;
  struct Spec {
    bool is_flag = false;
    std::string fallback, help;
    bool has_range = false;
    Range range;
  };
  const Spec& spec(const std::string& name) const;
  Options& declare(const std::string& name, const Spec& spec);  // listed in --help after those declared before
  [[noreturn]] void bad_value(const std::string& name, const std::string& expected, const std::string& got) const;
  std::string command_, summary_;
  std::vector<std::string> order_;
  std::map<std::string, Spec> specs_;
  std::map<std::string, std::string> given_;
};

struct Command {
  std::string name, summary;
  std::function<int(const std::vector<std::string>&)> run;
};

// Subcommands register themselves in one table (apps/main.cpp).
const std::vector<Command>& commands();

}  // namespace mxai::cli
