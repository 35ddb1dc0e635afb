#include "explain/summary_statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "autodiff/tensor.h"

namespace mxai::explain {

namespace {

double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double position = q * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

std::vector<double> sorted_without_nan(const std::vector<double>& values) {
  std::vector<double> kept;
  kept.reserve(values.size());
  for (double v : values)
    if (!std::isnan(v)) kept.push_back(v);
  std::sort(kept.begin(), kept.end());
  return kept;
}

}  // namespace

double quantile(std::vector<double> values, double q) {
  if (!(q >= 0 && q <= 1)) throw Error("quantile: q must be in [0, 1], got " + std::to_string(q));
  return sorted_quantile(sorted_without_nan(values), q);
}

SummaryStatistics summarize(const std::vector<double>& values) {
  const std::vector<double> sorted = sorted_without_nan(values);
  SummaryStatistics s{};
  s.n = static_cast<int64_t>(sorted.size());
  s.n_nan = static_cast<int64_t>(values.size() - sorted.size());
  double total = 0;
  for (double v : sorted) total += v;
  s.mean = sorted.empty() ? std::numeric_limits<double>::quiet_NaN() : total / static_cast<double>(s.n);
  s.median = sorted_quantile(sorted, 0.5);
  s.q25 = sorted_quantile(sorted, 0.25);
  s.q75 = sorted_quantile(sorted, 0.75);
  return s;
}

}  // namespace mxai::explain
