#include "report/kde.h"

#include <algorithm>
#include <cmath>

namespace mxai::report {

namespace {

std::vector<double> finite_sorted(const std::vector<double>& values) {
  std::vector<double> kept;
  for (double v : values)
    if (std::isfinite(v)) kept.push_back(v);
  std::sort(kept.begin(), kept.end());
  return kept;
}

double sorted_quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(position);
  const size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

double silverman_bandwidth(const std::vector<double>& values) {
  const std::vector<double> sorted = finite_sorted(values);
  const size_t n = sorted.size();
  if (n < 2) return 0;
  double mean = 0;
  for (double v : sorted) mean += v;
  mean /= static_cast<double>(n);
  double sum_sq = 0;
  for (double v : sorted) sum_sq += (v - mean) * (v - mean);
  const double sd = std::sqrt(sum_sq / static_cast<double>(n - 1));
  const double iqr_scale = (sorted_quantile(sorted, 0.75) - sorted_quantile(sorted, 0.25)) / 1.34;
  double spread = std::min(sd, iqr_scale);
  if (spread <= 0) spread = std::max(sd, iqr_scale);
  return 0.9 * spread * std::pow(static_cast<double>(n), -0.2);
}

Density unit_interval_density(const std::vector<double>& values, int grid_points, double min_bandwidth) {
  Density density;
  density.x.resize(grid_points);
  density.y.assign(grid_points, 0.0);
  for (int i = 0; i < grid_points; ++i) density.x[i] = static_cast<double>(i) / (grid_points - 1);

  // Values are binned first: 10,000 points x 400 grid points x 3 images would be slow for a report, and a bin
  // of 1/4000 is far below any bandwidth drawn.
  constexpr int kBins = 4000;
  std::vector<double> counts(kBins, 0.0);
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    const double clamped = std::clamp(v, 0.0, 1.0);
    counts[std::min(kBins - 1, static_cast<int>(clamped * kBins))] += 1;
    ++density.n;
  }
  if (density.n == 0) return density;
  density.bandwidth = std::max(silverman_bandwidth(values), min_bandwidth);

  const double h = density.bandwidth;
  const double norm = 1.0 / (static_cast<double>(density.n) * h * std::sqrt(2 * M_PI));
  for (int b = 0; b < kBins; ++b) {
    if (counts[b] == 0) continue;
    const double centre = (b + 0.5) / kBins;
    // The point and its mirror images in 0 and 1.
    const double images[3] = {centre, -centre, 2.0 - centre};
    for (int i = 0; i < grid_points; ++i) {
      double sum = 0;
      for (double c : images) {
        const double z = (density.x[i] - c) / h;
        if (z * z < 80) sum += std::exp(-0.5 * z * z);
      }
      density.y[i] += counts[b] * sum * norm;
    }
  }
  return density;
}

}  // namespace mxai::report
