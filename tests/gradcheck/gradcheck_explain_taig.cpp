// Float64 checks of the TAIG objective: the analytic d mu / d alpha, Hessian term included, against central
// differences of mu itself on smooth networks, and a demonstration that the Hessian term matters there.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/graph.h"
#include "explain/taig.h"
#include "unit/test_explain_models.h"
#include "unit/test_taig_helpers.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// Central differences of mu_i with respect to every entry of alpha_i, against the analytic gradient; returns the
// largest violation of |analytic - numeric| <= 1e-6 + 1e-5 |numeric| (<= 0 means the check passes), and the
// largest |numeric - analytic without the Hessian term| so a caller can show that term is needed.
struct FdReport {
  double worst_violation = -1;
  double without_hessian_error = 0;
  double hessian_norm = 0;
};

FdReport finite_difference_check(const Model& model, const Tensor& x, const Tensor& alpha, const Tensor& basis,
                                 int n_steps, Quadrature method) {
  const TaigObjective obj = taig_objective(model, x, alpha, basis, {}, n_steps, method, false);
  REQUIRE(obj.hessian_term.defined());
  const double h = 1e-6;
  FdReport r;
  for (int64_t j = 0; j < alpha.numel(); ++j) {
    const int64_t i = j / (alpha.numel() / alpha.size(0));
    Tensor plus = alpha.clone(), minus = alpha.clone();
    plus.data()[j] += h;
    minus.data()[j] -= h;
    const double up = taig_objective(model, x, plus, basis, {}, n_steps, method, true).mu[static_cast<size_t>(i)];
    const double down = taig_objective(model, x, minus, basis, {}, n_steps, method, true).mu[static_cast<size_t>(i)];
    const double numeric = (up - down) / (2 * h), analytic = obj.gradient.data()[j];
    r.worst_violation = std::max(r.worst_violation, std::abs(analytic - numeric) - (1e-6 + 1e-5 * std::abs(numeric)));
    r.without_hessian_error =
        std::max(r.without_hessian_error, std::abs(numeric - (analytic - obj.hessian_term.data()[j])));
    r.hessian_norm += obj.hessian_term.data()[j] * obj.hessian_term.data()[j];
  }
  r.hessian_norm = std::sqrt(r.hessian_norm);
  return r;
}

}  // namespace

TEST_CASE("taig: d mu / d alpha equals central differences on a softplus MLP, Hessian term included",
          "[gradcheck][taig]") {
  const int64_t n = 2, d = 10, k = 3;
  const mxai_test::SoftplusMlp mlp(d, 8, 3, 71, 2);
  const Tensor x = mxai_test::uniform_batch({n, d}, 72, 0.2, 0.9);
  const Tensor alpha = mxai_test::uniform_batch({n, d}, 73, 0.0, 0.4);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(n, d, k, 74);
  for (Quadrature method : {Quadrature::GaussLegendre, Quadrature::RiemannTrapezoid}) {
    const FdReport r = finite_difference_check(mlp.model(), x, alpha, basis, 8, method);
    CHECK(r.worst_violation <= 0);
    // The Hessian term is a real part of the gradient here: dropping it is far outside the tolerance.
    CHECK(r.hessian_norm > 1e-3);
    CHECK(r.without_hessian_error > 1e-4);
  }
}

TEST_CASE("taig: d mu / d alpha equals central differences on a smooth conv net (conv, max-pool, softplus)",
          "[gradcheck][taig]") {
  const mxai_taig_test::SmallConvNet net(3, 81, /*smooth=*/true);
  const Tensor x = mxai_test::uniform_batch({2, 1, 6, 6}, 82, 0.1, 0.9);
  const Tensor alpha = mxai_test::uniform_batch({2, 1, 6, 6}, 83, 0.0, 0.3);
  const Tensor basis = mxai_taig_test::random_orthonormal_basis(2, 36, 4, 84);
  const FdReport r = finite_difference_check(net.model(), x, alpha, basis, 6, Quadrature::GaussLegendre);
  CHECK(r.worst_violation <= 0);
  CHECK(r.hessian_norm > 1e-3);
  CHECK(r.without_hessian_error > 1e-4);
}
