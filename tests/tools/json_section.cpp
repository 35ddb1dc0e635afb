// json_section FILE KEY [DROP...]: prints member KEY of the JSON object in FILE, one canonical line, with every
// member named DROP removed at any depth. The smoke tests compare results.json sections this way with timings and
// creation stamps dropped, without needing jq or python on the CI machine. Exit 1 naming the file on bad input.
#include <cstdio>
#include <set>
#include <string>

#include "autodiff/file_io.h"
#include "autodiff/json.h"

using mxai::json::Value;

namespace {

std::string dump(const Value& v, const std::set<std::string>& drop) {
  switch (v.kind) {
    case Value::Kind::Null: return "null";
    case Value::Kind::Bool: return v.boolean ? "true" : "false";
    case Value::Kind::Number: {
      if (v.is_integer) return std::to_string(v.integer);
      char text[32];
      std::snprintf(text, sizeof text, "%.17g", v.number);  // round-trips a double: equal text, equal bits
      return text;
    }
    case Value::Kind::String: return mxai::json::quote(v.string);
    case Value::Kind::Array: {
      std::string out = "[";
      for (size_t i = 0; i < v.items.size(); ++i) out += (i ? "," : "") + dump(v.items[i], drop);
      return out + "]";
    }
    case Value::Kind::Object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, member] : v.members) {
        if (drop.count(key)) continue;
        out += (first ? "" : ",") + mxai::json::quote(key) + ":" + dump(member, drop);
        first = false;
      }
      return out + "}";
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: json_section FILE KEY [DROP...]\n");
    return 2;
  }
  try {
    const Value root = mxai::json::parse(mxai::read_file(argv[1]));
    const Value* section = root.kind == Value::Kind::Object ? root.find(argv[2]) : nullptr;
    if (!section) {
      std::fprintf(stderr, "json_section: '%s' has no top-level member '%s'\n", argv[1], argv[2]);
      return 1;
    }
    std::printf("%s\n", dump(*section, std::set<std::string>(argv + 3, argv + argc)).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "json_section: '%s': %s\n", argv[1], e.what());
    return 1;
  }
  return 0;
}
