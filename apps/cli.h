// A small declarative command-line parser: each subcommand declares its options with help text, and gets
// `--help`, unknown-option errors and type errors for free.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mxai::cli {

class Options {
 public:
  Options(std::string command, std::string summary) : command_(std::move(command)), summary_(std::move(summary)) {}

  // Declare options; `fallback` is the default shown in --help.
  Options& flag(const std::string& name, const std::string& help);
  Options& value(const std::string& name, const std::string& fallback, const std::string& help);

  // Parses argv (after the subcommand). Returns false if --help was printed.
  bool parse(const std::vector<std::string>& args);

  bool has(const std::string& name) const;  // a flag was given, or a value option was given explicitly
  std::string str(const std::string& name) const;
  int64_t integer(const std::string& name) const;
  double number(const std::string& name) const;
  void print_help() const;

 private:
  struct Spec {
    bool is_flag;
    std::string fallback, help;
  };
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
