#include "experiments/stage_cache.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include "autodiff/file_io.h"
#include "autodiff/tensor.h"
#include "autodiff/json.h"

namespace mxai::experiments {

namespace {

constexpr const char* kRecordFormat = "mxai-stage-record";

const json::Value& member(const json::Value& object, const std::string& name, json::Value::Kind kind,
                              const std::string& path) {
  const json::Value* v = object.kind == json::Value::Kind::Object ? object.find(name) : nullptr;
  if (!v || v->kind != kind)
    throw Error("stage record '" + path + "' lacks the field '" + name + "' or it has the wrong type");
  return *v;
}

}  // namespace

void Fnv1a::add(const void* bytes, size_t size) {
  const auto* p = static_cast<const unsigned char*>(bytes);
  uint64_t h = state_;
  for (size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  state_ = h;
}

std::string Fnv1a::hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(state_));
  return buf;
}

std::string hash_file(const std::string& path, uint64_t* size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  Fnv1a hash;
  std::vector<char> buffer(1 << 20);
  uint64_t total = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<size_t>(in.gcount());
    hash.add(buffer.data(), got);
    total += got;
  }
  if (in.bad()) throw Error("error reading '" + path + "'");
  if (size) *size = total;
  return hash.hex();
}

StageKey::StageKey() { add("stage cache format", kStageCacheFormat); }

StageKey& StageKey::add_text(const std::string& name, const std::string& value) {
  for (const auto& [existing, _] : settings_)
    if (existing == name) throw Error("stage key: setting '" + name + "' added twice");
  settings_.emplace_back(name, value);
  return *this;
}

std::string StageKey::number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string StageKey::digest() const {
  Fnv1a hash;
  for (const auto& [name, value] : settings_) {
    // The terminating zeros keep ("ab", "c") and ("a", "bc") apart.
    hash.add(name.c_str(), name.size() + 1);
    hash.add(value.c_str(), value.size() + 1);
  }
  return hash.hex();
}

std::string describe_changes(const StageSettings& before, const StageSettings& now, size_t max_items) {
  std::map<std::string, std::string> old(before.begin(), before.end());
  std::vector<std::string> items;
  for (const auto& [name, value] : now) {
    auto it = old.find(name);
    if (it == old.end()) {
      items.push_back("new setting " + name + " = " + value);
    } else {
      if (it->second != value) items.push_back(name + " " + it->second + " -> " + value);
      old.erase(it);
    }
  }
  for (const auto& [name, value] : before)
    if (old.count(name)) items.push_back("setting " + name + " = " + value + " dropped");
  std::string text;
  for (size_t i = 0; i < items.size() && i < max_items; ++i) text += (i ? ", " : "") + items[i];
  if (items.size() > max_items) text += ", and " + std::to_string(items.size() - max_items) + " more";
  return text;
}

std::string stage_record_path(const std::string& first_output) { return first_output + ".stage.json"; }

void write_stage_record(const std::string& path, const StageRecord& record) {
  using json::quote;
  std::string text = "{\n  \"format\": " + quote(kRecordFormat) + ",\n  \"stage\": " + quote(record.stage) +
                     ",\n  \"key\": " + quote(record.key) + ",\n  \"settings\": {";
  for (size_t i = 0; i < record.settings.size(); ++i)
    text += std::string(i ? "," : "") + "\n    " + quote(record.settings[i].first) + ": " +
            quote(record.settings[i].second);
  text += "\n  },\n  \"outputs\": [";
  for (size_t i = 0; i < record.outputs.size(); ++i) {
    const auto& o = record.outputs[i];
    text += std::string(i ? "," : "") + "\n    {\"file\": " + quote(o.file) + ", \"bytes\": " +
            std::to_string(o.bytes) + ", \"fnv1a\": " + quote(o.fnv1a) + "}";
  }
  text += "\n  ]\n}\n";
  write_file_atomic(path, text);
}

StageRecord read_stage_record(const std::string& path) {
  using Kind = json::Value::Kind;
  json::Value root;
  try {
    root = json::parse(read_file(path));
  } catch (const Error& e) {
    throw Error("stage record '" + path + "' is unreadable: " + e.what());
  }
  if (member(root, "format", Kind::String, path).string != kRecordFormat)
    throw Error("stage record '" + path + "' has an unknown format");
  StageRecord record;
  record.stage = member(root, "stage", Kind::String, path).string;
  record.key = member(root, "key", Kind::String, path).string;
  for (const auto& [name, value] : member(root, "settings", Kind::Object, path).members) {
    if (value.kind != Kind::String) throw Error("stage record '" + path + "': setting '" + name + "' is not a string");
    record.settings.emplace_back(name, value.string);
  }
  for (const auto& item : member(root, "outputs", Kind::Array, path).items) {
    StageRecord::Output o;
    o.file = member(item, "file", Kind::String, path).string;
    const json::Value& bytes = member(item, "bytes", Kind::Number, path);
    if (!bytes.is_integer || bytes.integer < 0) throw Error("stage record '" + path + "': bad byte count");
    o.bytes = static_cast<uint64_t>(bytes.integer);
    o.fnv1a = member(item, "fnv1a", Kind::String, path).string;
    record.outputs.push_back(std::move(o));
  }
  return record;
}

}  // namespace mxai::experiments
