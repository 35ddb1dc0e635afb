// How much of an attribution lies in the tangent space of the data manifold (Bordt et al., section 1 of the spec;
// TAIG's mu_x). U (D,k') is an orthonormal basis of the tangent space at each example (vae/tangent_space.h gives
// one; zero columns, which pad rank-deficient bases, contribute nothing). Everything here is computed in double.
#pragma once

#include <cstdint>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai::explain {

// attribution (N,D) or (N,C,H,W) with D = C*H*W, basis (N,D,k') -> N values ||U^T a|| / ||a|| in [0, 1].
// Undefined for a = 0 (any direction is as good as any other): NaN there, which summarize() skips and counts.
std::vector<double> tangent_fraction(const Tensor& attribution, const Tensor& basis);

// attribution, basis (N,D,k') -> the cosine of the angle between a and its projection U U^T a, computed from the
// explicit projection. Mathematically <a, Pa> / (||a|| ||Pa||) = ||Pa|| / ||a||, the tangent fraction, so this is
// an independent check of it. NaN for a = 0; 0 when a != 0 is orthogonal to the tangent space (the limit).
std::vector<double> tangent_cosine(const Tensor& attribution, const Tensor& basis);

// attribution (N,D) or (N,C,H,W), basis (N,D,k') -> U U^T a, of the attribution's shape.
Tensor tangent_projection(const Tensor& attribution, const Tensor& basis);
// attribution, basis -> a - U U^T a, of the attribution's shape.
Tensor orthogonal_part(const Tensor& attribution, const Tensor& basis);

// basis (N,D,k') -> (N,D): the diagonal of the projector, sum_i u_i(p)^2, per pixel; each row sums to the rank.
// The reference ranks pixels by it in its ROAR experiment.
Tensor tangent_mass(const Tensor& basis);

// The score of a direction drawn uniformly at random, for a k-dimensional subspace of R^d:
// the approximation sqrt(k/d) that the reference plots, and the exact expectation
// E[sqrt(Beta(k/2, (d-k)/2))] = Gamma((k+1)/2) Gamma(d/2) / (Gamma(k/2) Gamma((d+1)/2)) (0.0964 for k=10, d=1024).
// Need 0 <= k <= d, d >= 1.
double random_expectation_sqrt(int64_t k, int64_t d);
double random_expectation_exact(int64_t k, int64_t d);

}  // namespace mxai::explain
