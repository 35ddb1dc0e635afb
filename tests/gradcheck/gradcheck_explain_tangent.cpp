// Float64 checks of the decoder Jacobian against central finite differences, and of the tangent bases built from
// it: at double precision the forward-mode Jacobian must agree with differences of the decoder to ~1e-8.
#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "unit/test_explain_models.h"
#include "vae/tangent_space.h"

using namespace mxai;
using namespace mxai::vae;

namespace {

// Central differences of decoder at each row of z, along every latent axis: (N,d,k).
Tensor finite_difference_jacobian(const Decoder& decoder, const Tensor& z, double h) {
  NoGradGuard no_grad;
  const int64_t n = z.size(0), k = z.size(1);
  Tensor jacobian;
  int64_t d = 0;
  for (int64_t c = 0; c < k; ++c) {
    Tensor plus = z.clone(), minus = z.clone();
    for (int64_t p = 0; p < n; ++p) {
      plus.data()[p * k + c] += h;
      minus.data()[p * k + c] -= h;
    }
    const Tensor up = decoder(plus), down = decoder(minus);
    if (!jacobian.defined()) {
      d = up.numel() / n;
      jacobian = Tensor::empty({n, d, k});
    }
    for (int64_t p = 0; p < n; ++p)
      for (int64_t i = 0; i < d; ++i)
        jacobian.data()[(p * d + i) * k + c] = (up.data()[p * d + i] - down.data()[p * d + i]) / (2 * h);
  }
  return jacobian;
}

// A tanh MLP decoder z (N,4) -> (N,2,3,3), every output depending on every latent.
Decoder mlp_decoder() {
  Generator gen(21);
  const Tensor w1 = randn({16, 4}, gen), b1 = randn({16}, gen), w2 = randn({18, 16}, gen) * 0.3;
  return [w1, b1, w2](const Tensor& z) {
    return reshape(tanh(linear(tanh(linear(z, w1, b1)), w2)) * exp(narrow(z, 1, 0, 1)), {z.size(0), 2, 3, 3});
  };
}

}  // namespace

TEST_CASE("decoder Jacobians equal central differences in float64", "[gradcheck][tangent]") {
  const mxai_test::SmallConvDecoder conv(3, 5);
  const std::pair<const char*, Decoder> decoders[] = {{"conv", conv.decoder()}, {"mlp", mlp_decoder()}};
  for (const auto& [name, decoder] : decoders) {
    const int64_t k = name == std::string("conv") ? 3 : 4;
    Generator gen(6);
    const Tensor z = randn({4, k}, gen);
    const Tensor numeric = finite_difference_jacobian(decoder, z, 1e-6);
    for (JacobianMethod method : {JacobianMethod::SharedForward, JacobianMethod::ReplicatedJvp})
      for (int64_t points_per_batch : {0, 3}) {
        INFO(name << " decoder, method " << int(method) << ", " << points_per_batch << " points per batch");
        const Tensor analytic = decoder_jacobian(decoder, z, points_per_batch, method);
        REQUIRE(analytic.shape() == numeric.shape());
        double worst = 0;
        for (int64_t i = 0; i < analytic.numel(); ++i)
          worst = std::max(worst, std::abs(analytic.data()[i] - numeric.data()[i]) / (1e-6 + std::abs(numeric.data()[i])));
        INFO("worst relative error " << worst);
        CHECK(worst < 1e-6);
      }
  }
}

TEST_CASE("tangent bases in float64: orthonormal, spanning the Jacobian, exact for a linear decoder", "[gradcheck][tangent]") {
  const mxai_test::SmallConvDecoder conv(3, 7);
  Generator gen(8);
  const Tensor z = randn({3, 3}, gen);
  const Tensor j = decoder_jacobian(conv.decoder(), z);
  const TangentSpace space = tangent_basis_from_jacobian(j);
  for (int64_t p = 0; p < 3; ++p) {
    REQUIRE(space.rank[p] == 3);
    Eigen::MatrixXd u(36, 3), jp(36, 3);
    for (int64_t i = 0; i < 36; ++i)
      for (int64_t c = 0; c < 3; ++c) {
        u(i, c) = space.basis.at({p, i, c});
        jp(i, c) = j.at({p, i, c});
      }
    CHECK((u.transpose() * u - Eigen::MatrixXd::Identity(3, 3)).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((u * (u.transpose() * jp) - jp).cwiseAbs().maxCoeff() < 1e-12);
  }

  mxai_test::LinearDecoder linear{randn({25, 4}, gen), randn({25}, gen)};
  const TangentSpace flat = tangent_basis(linear.decoder(), randn({2, 4}, gen));
  Eigen::MatrixXd a(25, 4);
  for (int64_t i = 0; i < 100; ++i) a(i / 4, i % 4) = linear.a.data()[i];
  const Eigen::MatrixXd projector = a * (a.transpose() * a).inverse() * a.transpose();
  for (int64_t p = 0; p < 2; ++p) {
    Eigen::MatrixXd u(25, 4);
    for (int64_t i = 0; i < 100; ++i) u(i / 4, i % 4) = flat.basis.data()[p * 100 + i];
    CHECK((u * u.transpose() - projector).cwiseAbs().maxCoeff() < 1e-12);
  }
}
