// Restartable pipelines with a cache keyed on content. `mxai reproduce` runs its stages through one StageRunner.
// A stage is reused only when its record (<first output>.stage.json, experiments/stage_cache.h) holds the same key and
// every output still has the recorded size and content hash; otherwise it runs again and the runner says why
// ("settings changed (seed 0 -> 1)", "... is truncated or corrupted"). A stage's key holds the content hashes of
// its input files (content_hash), so a recomputed stage whose bytes change invalidates its dependents.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "experiments/results.h"
#include "experiments/stage_cache.h"

namespace mxai::experiments {

class StageRunner {
 public:
  // force: recompute every keyed stage. quiet: print only why a stage that had outputs is recomputed.
  StageRunner(bool force, bool quiet) : force_(force), quiet_(quiet) {}

  // Runs `make` unless the stage's record matches `key` and `outputs` (see above). `make` must write every output
  // (atomically: temporary file + rename); the record is written after them, also atomically, and is removed
  // before `make` starts, so an interrupted stage runs again next time. Returns true if the stage ran.
  bool run(const std::string& name, const StageKey& key, const std::vector<std::string>& outputs,
           const std::function<void()>& make);

  // Work that has no file of its own (evaluation, figures): always runs, timed.
  void run_always(const std::string& name, const std::function<void()>& work);

  // The FNV-1a hash of a file's bytes, for the key of a stage that reads it: known without reading the file again
  // when the file is an output of a stage this runner ran or checked.
  std::string content_hash(const std::string& path);

  const std::vector<StageOutcome>& stages() const { return stages_; }
  // Every line the runner printed, or would have printed without quiet (for tests).
  const std::vector<std::string>& log() const { return log_; }

 private:
  // Empty when the stage can be reused; otherwise why not. `existed`: some output or the record was on disk.
  std::string reuse_problem(const StageKey& key, const std::vector<std::string>& outputs, bool& existed);
  void say(const std::string& line, bool even_if_quiet = false);

  bool force_, quiet_;
  std::vector<StageOutcome> stages_;
  std::vector<std::string> log_;
  std::map<std::string, std::string> hashes_;  // path -> content hash of outputs checked or written in this run
};

bool file_exists(const std::string& path);
// mkdir -p; throws Error naming the path on failure.
void make_directories(const std::string& path);

}  // namespace mxai::experiments
