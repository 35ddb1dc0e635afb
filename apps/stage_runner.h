// Restartable pipelines: a stage is done when all its output files exist. `mxai reproduce` runs its stages through
// one StageRunner, which skips finished stages (unless forced) and records what ran and how long it took.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "apps/report.h"

namespace mxai::apps {

class StageRunner {
 public:
  StageRunner(bool force, bool quiet) : force_(force), quiet_(quiet) {}

  // Runs `make` unless every path in `outputs` exists already (and force is off). `make` must write each output
  // atomically (temporary file + rename), so an interrupted stage leaves no output and runs again next time.
  // Returns true if the stage ran.
  bool run(const std::string& name, const std::vector<std::string>& outputs, const std::function<void()>& make);

  // Work that has no file of its own (evaluation, figures): always runs, timed.
  void run_always(const std::string& name, const std::function<void()>& work);

  const std::vector<report::Stage>& stages() const { return stages_; }

 private:
  bool force_, quiet_;
  std::vector<report::Stage> stages_;
};

bool file_exists(const std::string& path);
// mkdir -p; throws Error naming the path on failure.
void make_directories(const std::string& path);

}  // namespace mxai::apps
