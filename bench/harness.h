// The timing rules of the PyTorch anchor (torch_bench.py): one warm-up call, then `reps` timed calls of one rep,
// and the median rep is reported as items_per_rep / median_s in the workload's unit.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace mxai::bench {

struct Workload {
  std::function<void()> rep;
  double items_per_rep;
  std::string unit;
  std::function<void()> warmup;  // empty: one call of `rep`
};

// A named workload; `setup` builds models and data (untimed) and returns what to time.
struct WorkloadEntry {
  std::string name;
  std::function<Workload()> setup;
};

// Runs one workload and prints its JSON line to stdout.
void run_workload(const WorkloadEntry& entry, int reps);

// A progress or check line on stderr, as the anchor prints its "[check]" lines.
void log(const std::string& line);

}  // namespace mxai::bench
