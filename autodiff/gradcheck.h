// Finite-difference checks of the engine's derivatives. Meant for the float64 build (MXAI_DOUBLE), where central
// differences with eps = 1e-6 are accurate to about 1e-9; in float32 they are only good for coarse checks.
//
// Every check runs with set_debug_nan_fill(true): a kernel that leaves an output or gradient entry unwritten
// leaves a NaN there, and the comparison fails.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai {

// The function under test: maps the inputs to one output tensor. It must be deterministic (an op that draws
// random numbers must seed its own Generator inside the function).
using TensorFunction = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-6;  // |analytic - numeric| <= atol + rtol * |numeric|
  double rtol = 1e-5;
  uint64_t seed = 1;   // for the random cotangents and directions
};

struct GradcheckReport {
  bool ok = true;
  double max_abs_error = 0;
  std::string detail;  // the first failing entry: which input, which index, analytic vs numeric
  explicit operator bool() const { return ok; }
};

// First order, random cotangent projection: for L(x) = <u, f(x)> with u ~ N(0, I), compares the engine's dL/dx
// with central differences of L for every entry of every input.
GradcheckReport check_gradient(const TensorFunction& f, const std::vector<Tensor>& inputs,
                               const GradcheckOptions& options = {});

// The full Jacobian of f, row by row (one backward per output entry) against column-by-column central
// differences. Use on tiny shapes.
GradcheckReport check_jacobian(const TensorFunction& f, const std::vector<Tensor>& inputs,
                               const GradcheckOptions& options = {});

// Second order: with g(x) = d<u, f(x)>/dx computed with create_graph, compares the Hessian-vector product
// d<g(x), v>/dx (double backward) with (g(x + eps v) - g(x - eps v)) / (2 eps), for random u and v.
GradcheckReport check_second_order(const TensorFunction& f, const std::vector<Tensor>& inputs,
                                   const GradcheckOptions& options = {});

// Accumulation: leaves whose .grad is pre-filled with G0 end with G0 + dL/dx after backward(); a second
// backward over a retained graph adds dL/dx again.
GradcheckReport check_accumulation(const TensorFunction& f, const std::vector<Tensor>& inputs,
                                   const GradcheckOptions& options = {});

// All four checks (the Jacobian one only when every input and the output have at most `jacobian_max` entries).
GradcheckReport check_all(const TensorFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {}, int64_t jacobian_max = 64);

}  // namespace mxai
