// Summary statistics of per-example scores (tangent fractions, deltas), as the figures and tables report them.
#pragma once

#include <cstdint>
#include <vector>

namespace mxai::explain {

struct SummaryStatistics {
  double mean, median, q25, q75;  // quantiles interpolate linearly between order statistics (numpy's default)
  int64_t n;                      // values summarised
  int64_t n_nan;                  // NaN values skipped (e.g. tangent fractions of all-zero attributions)
};

// NaN values are skipped and counted; with no value left, every statistic is NaN and n = 0.
SummaryStatistics summarize(const std::vector<double>& values);

// The q-quantile (0 <= q <= 1), NaNs skipped, linear interpolation between order statistics; NaN if empty.
double quantile(std::vector<double> values, double q);

}  // namespace mxai::explain
