// Shared by the gradcheck_ops_*.cpp files: inputs that keep central differences away from kinks and ties, and
// one call that runs every finite-difference check on a function and names the one that fails.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "autodiff/gradcheck.h"
#include "autodiff/ops.h"
#include "autodiff/random.h"

namespace mxai::testing {

inline Tensor normal(const Shape& shape, uint64_t seed) {
  Generator gen(seed);
  return randn(shape, gen);
}

inline Tensor uniform(const Shape& shape, real lo, real hi, uint64_t seed) {
  Generator gen(seed);
  return rand(shape, gen, lo, hi);
}

// Moves every value closer than `gap` to `point` out to point +- gap on its own side. The finite-difference step
// is 1e-6, so a gap of 0.1 keeps every probe on one side of a kink at `point` (relu, abs, clamp bounds).
inline Tensor away_from(Tensor t, real point, real gap = real(0.1)) {
  for (int64_t i = 0; i < t.numel(); ++i) {
    real& v = t.data()[i];
    if (std::abs(v - point) < gap) v = v >= point ? point + gap : point - gap;
  }
  return t;
}

// Magnitudes in [lo, hi] with random signs: denominators and bases that stay well away from 0.
inline Tensor signed_magnitudes(const Shape& shape, real lo, real hi, uint64_t seed) {
  Generator gen(seed);
  Tensor t = rand(shape, gen, lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i)
    if (gen.uniform() < 0.5) t.data()[i] = -t.data()[i];
  return t;
}

// A shuffled ramp with steps of `spacing` plus a little noise, centred on 0: no two values are close, so a max
// has one clear winner that a 1e-6 perturbation cannot change.
inline Tensor distinct(const Shape& shape, uint64_t seed, real spacing = real(0.25)) {
  Generator gen(seed);
  const int64_t n = shape_numel(shape);
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[gen.below(static_cast<uint64_t>(i + 1))]);
  std::vector<real> values(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    values[i] = spacing * (static_cast<real>(order[i]) - real(n - 1) / 2) + real(0.1) * spacing * gen.uniform();
  return Tensor::from(shape, values);
}

inline Index make_index(std::vector<int64_t> flat) { return std::make_shared<const std::vector<int64_t>>(std::move(flat)); }

// y * tanh(y): even, with second derivative 2 at 0, so composing an op with it makes the Hessian of the whole
// function non-zero everywhere and forces the double backward through the op's own backward.
inline Tensor curved(const Tensor& y) { return y * tanh(y); }

// Runs the four checks (random-cotangent gradient, full Jacobian, Hessian-vector product, .grad accumulation)
// separately, so a failure says which one and where. Callers keep shapes tiny: the Jacobian check costs one
// backward pass per output entry.
inline void check_op(const std::string& what, const TensorFunction& f, const std::vector<Tensor>& inputs,
                     const GradcheckOptions& options = {}) {
  using Check = GradcheckReport (*)(const TensorFunction&, const std::vector<Tensor>&, const GradcheckOptions&);
  const std::pair<const char*, Check> checks[] = {{"gradient", check_gradient},
                                                  {"jacobian", check_jacobian},
                                                  {"second order", check_second_order},
                                                  {"accumulation", check_accumulation}};
  for (const auto& [name, check] : checks) {
    const GradcheckReport report = check(f, inputs, options);
    INFO(what << " [" << name << "] " << report.detail);
    CHECK(report.ok);
  }
}

}  // namespace mxai::testing
