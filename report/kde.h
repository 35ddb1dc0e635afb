// Kernel density estimates of tangent fractions, which live on [0,1]: a Gaussian kernel with Silverman's
// bandwidth, reflected at 0 and 1 so that methods piling up near a bound (TAIG's optimal base-point sits near 1)
// are not drawn with a phantom drop at the edge and lose no mass outside the interval.
#pragma once

#include <cstdint>
#include <vector>

namespace mxai::report {

struct Density {
  std::vector<double> x, y;  // grid on [0,1] and the density there
  double bandwidth = 0;
  int64_t n = 0;             // finite values used (NaN and infinities are skipped)
};

// Silverman's rule of thumb 0.9 min(sd, IQR/1.34) n^(-1/5); falls back to the non-zero one of sd and IQR/1.34,
// and returns 0 for fewer than two distinct values.
double silverman_bandwidth(const std::vector<double>& values);

// Bandwidths below `min_bandwidth` are raised to it: narrower than a pixel or two, a curve only shows the grid.
Density unit_interval_density(const std::vector<double>& values, int grid_points = 401, double min_bandwidth = 0.005);

}  // namespace mxai::report
