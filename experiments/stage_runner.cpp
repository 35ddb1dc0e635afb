#include "experiments/stage_runner.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "autodiff/tensor.h"
#include "experiments/distributed.h"
#include "experiments/progress.h"

namespace mxai::experiments {

namespace {

namespace fs = std::filesystem;

// An output's name as its record stores it: relative to the record's folder, so a moved run folder stays valid.
std::string relative_to_record(const std::string& output, const std::string& record_path) {
  fs::path base = fs::path(record_path).parent_path();
  if (base.empty()) base = ".";
  return fs::path(output).lexically_relative(base).generic_string();
}

}  // namespace

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

void make_directories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw Error("cannot create directory " + path + ": " + ec.message());
}

void StageRunner::say(const std::string& line, bool even_if_quiet) {
  log_.push_back(line);
  if (!quiet_ || even_if_quiet) std::fprintf(stderr, "%s\n", line.c_str());
}

std::string StageRunner::content_hash(const std::string& path) {
  auto it = hashes_.find(path);
  if (it != hashes_.end()) return it->second;
  return hashes_[path] = hash_file(path);
}

std::string StageRunner::reuse_problem(const StageKey& key, const std::vector<std::string>& outputs, bool& existed) {
  const std::string record_path = stage_record_path(outputs.front());
  std::string first_existing;
  for (const auto& path : outputs)
    if (first_existing.empty() && file_exists(path)) first_existing = path;
  existed = !first_existing.empty() || file_exists(record_path);
  if (force_) return "--force";
  if (!existed) return "nothing on disk yet";
  if (!file_exists(record_path))
    return "no record of how " + first_existing + " was made (" + record_path + " is missing)";

  StageRecord record;
  try {
    record = read_stage_record(record_path);
  } catch (const Error& e) {
    return e.what();
  }
  if (record.key != key.digest()) {
    const std::string changes = describe_changes(record.settings, key.settings());
    return "settings changed (" + (changes.empty() ? "key " + record.key + " -> " + key.digest() : changes) + ")";
  }
  bool same_outputs = record.outputs.size() == outputs.size();
  for (size_t i = 0; same_outputs && i < outputs.size(); ++i)
    same_outputs = record.outputs[i].file == relative_to_record(outputs[i], record_path);
  if (!same_outputs) return "its list of output files changed";
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string& path = outputs[i];
    const StageRecord::Output& recorded = record.outputs[i];
    if (!file_exists(path)) return path + " is missing";
    uint64_t bytes = 0;
    const std::string hash = hash_file(path, &bytes);
    if (bytes != recorded.bytes)
      return path + " is truncated or corrupted (" + std::to_string(bytes) + " bytes, recorded " +
             std::to_string(recorded.bytes) + ")";
    if (hash != recorded.fnv1a)
      return path + " is corrupted (content hash " + hash + ", recorded " + recorded.fnv1a + ")";
    hashes_[path] = hash;
  }
  return "";
}

bool StageRunner::run(const std::string& name, const StageKey& key, const std::vector<std::string>& outputs,
                      const std::function<void()>& make) {
  if (outputs.empty()) throw Error("stage '" + name + "' has no outputs to cache");
  bool existed = false;
  // Rank 0 decides for the whole job: the ranks must all run a stage or all skip it (its collectives pair up).
  std::string problem = distributed::is_root() ? reuse_problem(key, outputs, existed) : "";
  if (distributed::ranks() > 1) {
    const std::string decision = distributed::broadcast(std::string(existed ? "1" : "0") + problem);
    existed = decision[0] == '1';
    problem = decision.substr(1);
  }
  if (problem.empty()) {
    say("[" + name + "] reusing " + outputs.front());
    stages_.push_back({name, 0, true});
    return false;
  }
  if (existed && !force_) {
    say("[" + name + "] " + problem + ": recomputing", /*even_if_quiet=*/true);
  } else {
    say("[" + name + "] ...");
  }

  const std::string record_path = stage_record_path(outputs.front());
  std::error_code ec;
  fs::remove(record_path, ec);  // outputs from here on are not those of the old record
  const auto start = std::chrono::steady_clock::now();
  make();
  distributed::barrier();  // rank 0's outputs are on disk before any rank hashes or reads them

  StageRecord record;
  record.stage = name;
  record.key = key.digest();
  record.settings = key.settings();
  for (const auto& path : outputs) {
    if (!file_exists(path)) throw Error("stage '" + name + "' did not write its output " + path);
    StageRecord::Output o;
    o.file = relative_to_record(path, record_path);
    o.fnv1a = hash_file(path, &o.bytes);
    hashes_[path] = o.fnv1a;
    record.outputs.push_back(std::move(o));
  }
  write_stage_record(record_path, record);
  const double seconds = seconds_since(start);
  say("[" + name + "] done in " + format_duration(seconds));
  stages_.push_back({name, seconds, false});
  return true;
}

void StageRunner::run_always(const std::string& name, const std::function<void()>& work) {
  say("[" + name + "] ...");
  const auto start = std::chrono::steady_clock::now();
  work();
  const double seconds = seconds_since(start);
  say("[" + name + "] done in " + format_duration(seconds));
  stages_.push_back({name, seconds, false});
}

}  // namespace mxai::experiments
