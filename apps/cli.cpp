#include "apps/cli.h"

#include <cstdio>
#include <iostream>

#include "autodiff/tensor.h"

namespace mxai::cli {

Options& Options::flag(const std::string& name, const std::string& help) {
  order_.push_back(name);
  specs_[name] = {true, "", help};
  return *this;
}

Options& Options::value(const std::string& name, const std::string& fallback, const std::string& help) {
  order_.push_back(name);
  specs_[name] = {false, fallback, help};
  return *this;
}

bool Options::parse(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      print_help();
      return false;
    }
    if (arg.rfind("--", 0) != 0) throw Error("mxai " + command_ + ": unexpected argument '" + arg + "' (see --help)");
    std::string name = arg.substr(2), inline_value;
    const size_t eq = name.find('=');
    const bool has_inline = eq != std::string::npos;
    if (has_inline) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto spec = specs_.find(name);
    if (spec == specs_.end()) throw Error("mxai " + command_ + ": unknown option --" + name + " (see --help)");
    if (spec->second.is_flag) {
      if (has_inline) throw Error("mxai " + command_ + ": --" + name + " takes no value");
      given_[name] = "1";
    } else if (has_inline) {
      given_[name] = inline_value;
    } else {
      if (i + 1 >= args.size()) throw Error("mxai " + command_ + ": --" + name + " needs a value");
      given_[name] = args[++i];
    }
  }
  return true;
}

bool Options::has(const std::string& name) const { return given_.count(name) > 0; }

std::string Options::str(const std::string& name) const {
  auto it = given_.find(name);
  if (it != given_.end()) return it->second;
  auto spec = specs_.find(name);
  if (spec == specs_.end()) throw Error("internal: option --" + name + " was not declared");
  return spec->second.fallback;
}

int64_t Options::integer(const std::string& name) const {
  const std::string s = str(name);
  try {
    size_t used = 0;
    const long long v = std::stoll(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw Error("mxai " + command_ + ": --" + name + " expects an integer, got '" + s + "'");
}

double Options::number(const std::string& name) const {
  const std::string s = str(name);
  try {
    size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw Error("mxai " + command_ + ": --" + name + " expects a number, got '" + s + "'");
}

void Options::print_help() const {
  std::cout << "usage: mxai " << command_ << " [options]\n\n" << summary_ << "\n\noptions:\n";
  for (const std::string& name : order_) {
    const Spec& s = specs_.at(name);
    std::string left = "  --" + name + (s.is_flag ? "" : " VALUE");
    if (left.size() < 28) left.resize(28, ' ');
    else left += "  ";
    std::cout << left << s.help;
    if (!s.is_flag && !s.fallback.empty()) std::cout << " (default: " << s.fallback << ")";
    std::cout << "\n";
  }
  std::cout << "  --help                    show this help\n";
}

}  // namespace mxai::cli
