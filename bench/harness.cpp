#include "bench/harness.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace mxai::bench {

void log(const std::string& line) { std::cerr << line << std::endl; }

void run_workload(const WorkloadEntry& entry, int reps) {
  using clock = std::chrono::steady_clock;
  const Workload w = entry.setup();
  (w.warmup ? w.warmup : w.rep)();
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = clock::now();
    w.rep();
    times.push_back(std::chrono::duration<double>(clock::now() - t0).count());
  }
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  // statistics.median: the mean of the two middle values for an even count.
  const size_t n = sorted.size();
  const double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  std::printf(
      "{\"workload\": \"%s\", \"unit\": \"%s\", \"value\": %.4f, \"median_s\": %.6f, \"reps\": %d, "
      "\"items_per_rep\": %g, \"min_s\": %.6f, \"max_s\": %.6f, \"config\": \"mxai\", \"threads\": %d}\n",
      entry.name.c_str(), w.unit.c_str(), w.items_per_rep / median, median, reps, w.items_per_rep, sorted.front(),
      sorted.back(), omp_get_max_threads());
  std::fflush(stdout);
}

}  // namespace mxai::bench
