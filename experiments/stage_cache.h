// What makes a pipeline stage's outputs reusable (experiments/stage_runner.h): a key built from everything that determines
// them, and a record of the key and of the outputs' bytes kept beside the first output.
//
// StageKey collects named, readable settings ("seed" = "0", "epochs" = "4", "input vae.safetensors" = the content
// hash of that file, ...) plus the cache format version; its digest is a hash of all of them. A stage is reused
// only when its record holds the same digest and every output still has the recorded size and content hash. The
// record keeps the settings beside the digest, so a changed key can be explained ("seed 0 -> 1").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mxai::experiments {

// Bumped when a stage's outputs would change for the same settings (a new format, a changed algorithm): every
// recorded stage then runs again.
constexpr int kStageCacheFormat = 1;

// 64-bit FNV-1a (offset basis 14695981039346656037, prime 1099511628211).
class Fnv1a {
 public:
  void add(const void* bytes, size_t size);
  void add(const std::string& s) { add(s.data(), s.size()); }
  uint64_t value() const { return state_; }
  std::string hex() const;  // 16 lowercase hex digits

 private:
  uint64_t state_ = 14695981039346656037ull;
};

// The FNV-1a hex digest of a file's bytes, read in chunks; throws Error naming the file when it cannot be read.
std::string hash_file(const std::string& path, uint64_t* size = nullptr);

using StageSettings = std::vector<std::pair<std::string, std::string>>;

class StageKey {
 public:
  StageKey();  // starts with ("stage cache format", kStageCacheFormat)

  // Adds a named value: strings as they are, integers in decimal, floating point with 17 significant digits,
  // booleans as true/false. Names must be unique (throws Error otherwise).
  template <typename T>
  StageKey& add(const std::string& name, const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      return add_text(name, value ? "true" : "false");
    } else if constexpr (std::is_integral_v<T>) {
      return add_text(name, std::to_string(value));
    } else if constexpr (std::is_floating_point_v<T>) {
      return add_text(name, number_text(static_cast<double>(value)));
    } else {
      return add_text(name, std::string(value));
    }
  }

  const StageSettings& settings() const { return settings_; }
  std::string digest() const;  // FNV-1a over every (name, value), in order

 private:
  StageKey& add_text(const std::string& name, const std::string& value);
  static std::string number_text(double v);
  StageSettings settings_;
};

// "seed 0 -> 1, epochs 2 -> 3, new setting lr = 0.1": how the settings of `now` differ from `before` (at most
// `max_items` differences, then "and N more"). Empty when they are the same.
std::string describe_changes(const StageSettings& before, const StageSettings& now, size_t max_items = 4);

// The record of one finished stage, written beside its first output as <output>.stage.json.
struct StageRecord {
  struct Output {
    std::string file;  // relative to the record's folder
    uint64_t bytes = 0;
    std::string fnv1a;
  };
  std::string stage;   // the stage's name, for people reading the file
  std::string key;     // StageKey::digest()
  StageSettings settings;
  std::vector<Output> outputs;
};

std::string stage_record_path(const std::string& first_output);
// Written atomically (temporary file + rename).
void write_stage_record(const std::string& path, const StageRecord& record);
// Throws Error naming the file when it is missing, is not JSON or lacks a field.
StageRecord read_stage_record(const std::string& path);

}  // namespace mxai::experiments
