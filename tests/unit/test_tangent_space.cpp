// Decoder Jacobians by forward mode and the orthonormal tangent bases from their SVDs.
#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/resize.h"
#include "explain/tangent_alignment.h"
#include "test_explain_models.h"
#include "vae/tangent_space.h"

using namespace mxai;
using namespace mxai::vae;
using mxai_test::LinearDecoder;
using mxai_test::SmallConvDecoder;

namespace {

Eigen::MatrixXd to_matrix(const Tensor& t, int64_t batch_index) {  // t (N,r,c) -> t[batch_index]
  const int64_t r = t.size(1), c = t.size(2);
  Eigen::MatrixXd m(r, c);
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j) m(i, j) = t.data()[(batch_index * r + i) * c + j];
  return m;
}

LinearDecoder random_linear_decoder(int64_t d, int64_t k, uint64_t seed) {
  Generator gen(seed);
  return LinearDecoder{randn({d, k}, gen), randn({d}, gen)};
}

}  // namespace

TEST_CASE("the Jacobian of a linear decoder is A at every z", "[tangent]") {
  const LinearDecoder linear = random_linear_decoder(30, 5, 1);
  Generator gen(2);
  const Tensor z = randn({7, 5}, gen);
  for (JacobianMethod method : {JacobianMethod::SharedForward, JacobianMethod::ReplicatedJvp})
    for (int64_t points_per_batch : {0, 1, 3, 32}) {
      const Tensor j = decoder_jacobian(linear.decoder(), z, points_per_batch, method);
      REQUIRE(j.shape() == Shape{7, 30, 5});
      for (int64_t p = 0; p < 7; ++p)
        for (int64_t i = 0; i < 30 * 5; ++i) CHECK(j.data()[p * 150 + i] == Approx(linear.a.data()[i]).margin(1e-5));
    }
}

TEST_CASE("the tangent basis of a linear decoder spans exactly col(A) and is orthonormal", "[tangent]") {
  const int64_t d = 30, k = 5;
  const LinearDecoder linear = random_linear_decoder(d, k, 3);
  Generator gen(4);
  const TangentSpace space = tangent_basis(linear.decoder(), randn({4, k}, gen));
  REQUIRE(space.basis.shape() == Shape{4, d, k});
  Eigen::MatrixXd a(d, k);
  for (int64_t i = 0; i < d * k; ++i) a(i / k, i % k) = linear.a.data()[i];
  const Eigen::MatrixXd projector_a = a * (a.transpose() * a).inverse() * a.transpose();
  for (int64_t p = 0; p < 4; ++p) {
    CHECK(space.rank[p] == k);
    REQUIRE(space.singular_values[p].size() == static_cast<size_t>(k));
    const Eigen::MatrixXd u = to_matrix(space.basis, p);
    CHECK((u.transpose() * u - Eigen::MatrixXd::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-5);
    CHECK((u * u.transpose() - projector_a).cwiseAbs().maxCoeff() < 1e-5);
    // The singular values are those of A, decreasing.
    const Eigen::VectorXd s = Eigen::JacobiSVD<Eigen::MatrixXd>(a).singularValues();
    for (int64_t i = 0; i < k; ++i) CHECK(space.singular_values[p][i] == Approx(s(i)).epsilon(1e-5));
  }
}

TEST_CASE("a rank-deficient decoder gives fewer basis vectors, and rcond is configurable", "[tangent]") {
  const int64_t d = 20, k = 4;
  LinearDecoder linear = random_linear_decoder(d, k, 5);
  // Column 2 = column 0 - column 1, column 3 = 0: rank 2.
  for (int64_t i = 0; i < d; ++i) {
    linear.a.data()[i * k + 2] = linear.a.data()[i * k + 0] - linear.a.data()[i * k + 1];
    linear.a.data()[i * k + 3] = 0;
  }
  Generator gen(6);
  const TangentSpace space = tangent_basis(linear.decoder(), randn({3, k}, gen));
  CHECK(space.basis.size(2) == 2);
  for (int64_t r : space.rank) CHECK(r == 2);
  const Eigen::MatrixXd u = to_matrix(space.basis, 0);
  CHECK((u.transpose() * u - Eigen::MatrixXd::Identity(2, 2)).cwiseAbs().maxCoeff() < 1e-5);

  SECTION("a tiny but non-zero direction: dropped by the float32 rule, kept with rcond 0") {
    LinearDecoder nearly = random_linear_decoder(d, k, 7);
    for (int64_t i = 0; i < d; ++i) nearly.a.data()[i * k + 3] *= 1e-6f;  // below 20 * 1.19e-7 relative
    const Tensor z = randn({2, k}, gen);
    const TangentSpace dropped = tangent_basis(nearly.decoder(), z);
    CHECK(dropped.rank == std::vector<int64_t>{3, 3});
    CHECK(dropped.basis.size(2) == 3);
    TangentOptions keep;
    keep.rcond = 0;
    const TangentSpace kept = tangent_basis(nearly.decoder(), z, keep);
    CHECK(kept.rank == std::vector<int64_t>{4, 4});
  }
}

TEST_CASE("mixed ranks in one batch are padded with zero columns", "[tangent]") {
  // Jacobians given directly: point 0 has rank 3, point 1 rank 1.
  Generator gen(8);
  Tensor j = randn({2, 12, 3}, gen);
  for (int64_t i = 0; i < 12; ++i) {
    j.data()[(12 + i) * 3 + 1] = 2 * j.data()[(12 + i) * 3 + 0];
    j.data()[(12 + i) * 3 + 2] = -j.data()[(12 + i) * 3 + 0];
  }
  const TangentSpace space = tangent_basis_from_jacobian(j);
  CHECK(space.rank == std::vector<int64_t>{3, 1});
  REQUIRE(space.basis.shape() == Shape{2, 12, 3});
  for (int64_t i = 0; i < 12; ++i) {
    CHECK(space.basis.at({1, i, 1}) == 0);
    CHECK(space.basis.at({1, i, 2}) == 0);
  }
  // The single direction is the normalised first column (up to sign).
  double dot = 0, norm = 0;
  for (int64_t i = 0; i < 12; ++i) {
    dot += space.basis.at({1, i, 0}) * j.at({1, i, 0});
    norm += j.at({1, i, 0}) * j.at({1, i, 0});
  }
  CHECK(std::abs(dot) == Approx(std::sqrt(norm)).epsilon(1e-5));
}

TEST_CASE("a nonlinear conv decoder: Jacobian near finite differences, orthonormal basis spanning it", "[tangent]") {
  const SmallConvDecoder conv(3, 9);
  const explain::Model decoder = conv.decoder();
  Generator gen(10);
  const Tensor z = randn({5, 3}, gen);
  const Tensor j = decoder_jacobian(decoder, z, 2);
  REQUIRE(j.shape() == Shape{5, 36, 3});
  // Central differences in float32: a coarse check (the float64 one is in tests/gradcheck).
  NoGradGuard no_grad;
  const real h = 1e-2f;
  for (int64_t c = 0; c < 3; ++c) {
    Tensor plus = z.clone(), minus = z.clone();
    for (int64_t p = 0; p < 5; ++p) {
      plus.data()[p * 3 + c] += h;
      minus.data()[p * 3 + c] -= h;
    }
    const Tensor up = decoder(plus), down = decoder(minus);
    for (int64_t p = 0; p < 5; ++p)
      for (int64_t i = 0; i < 36; ++i)
        CHECK(j.data()[(p * 36 + i) * 3 + c] == Approx((up.data()[p * 36 + i] - down.data()[p * 36 + i]) / (2 * h))
                                                      .margin(2e-4));
  }
  // The replicated-jvp method computes the same numbers, in any chunking.
  for (int64_t points_per_batch : {1, 0}) {
    const Tensor replicated = decoder_jacobian(decoder, z, points_per_batch, JacobianMethod::ReplicatedJvp);
    for (int64_t i = 0; i < j.numel(); ++i) CHECK(replicated.data()[i] == Approx(j.data()[i]).margin(1e-6));
  }
  const TangentSpace space = tangent_basis_from_jacobian(j);
  for (int64_t p = 0; p < 5; ++p) {
    CHECK(space.rank[p] == 3);
    const Eigen::MatrixXd u = to_matrix(space.basis, p), jp = to_matrix(j, p);
    CHECK((u.transpose() * u - Eigen::MatrixXd::Identity(3, 3)).cwiseAbs().maxCoeff() < 1e-5);
    CHECK((u * (u.transpose() * jp) - jp).cwiseAbs().maxCoeff() < 1e-5);  // J lies in span(U)
  }
  // The Jacobian's own columns are fully tangent; a pixel-wise random vector is not.
  Tensor columns = Tensor::empty({5, 36});
  for (int64_t p = 0; p < 5; ++p)
    for (int64_t i = 0; i < 36; ++i) columns.data()[p * 36 + i] = j.data()[(p * 36 + i) * 3 + 1];
  for (double f : explain::tangent_fraction(columns, space.basis)) CHECK(f == Approx(1.0).epsilon(1e-5));
}

TEST_CASE("tangent_basis checks its inputs", "[tangent]") {
  const LinearDecoder linear = random_linear_decoder(6, 2, 11);
  CHECK_THROWS_AS(decoder_jacobian(linear.decoder(), Tensor::zeros({3})), Error);
  CHECK_THROWS_AS(decoder_jacobian(linear.decoder(), Tensor::zeros({0, 2})), Error);
  // A decoder that ignores z has a zero Jacobian.
  const Tensor constant = decoder_jacobian([](const Tensor& z) { return Tensor::ones({z.size(0), 3}); },
                                           Tensor::zeros({2, 2}));
  CHECK(constant.shape() == Shape{2, 3, 2});
  for (real v : constant.to_vector()) CHECK(v == 0);
  CHECK_THROWS_AS(tangent_basis_from_jacobian(Tensor::zeros({3, 4})), Error);
  // A zero Jacobian has rank 0 and an empty basis.
  const TangentSpace flat = tangent_basis_from_jacobian(Tensor::zeros({2, 6, 2}));
  CHECK(flat.rank == std::vector<int64_t>{0, 0});
  CHECK(flat.basis.shape() == Shape{2, 6, 0});
}

// MNIST256's decoder: the composition upsample o g. For a linear g, its Jacobian is U A with U the (fixed, linear)
// bilinear upsampling, so each column is the upsampled column of A.
TEST_CASE("upsampled_decoder's Jacobian is the upsampled decoder Jacobian", "[tangent]") {
  const int64_t k = 3;
  const LinearDecoder linear = random_linear_decoder(16, k, 5);
  const auto to_image = [](const Tensor& flat) { return reshape(flat, {flat.size(0), 1, 4, 4}); };
  const Decoder image_decoder = [&](const Tensor& z) { return to_image(linear.decoder()(z)); };
  Generator gen(6);
  const Tensor z = randn({2, k}, gen);
  const Tensor j = decoder_jacobian(upsampled_decoder(image_decoder, 9, 7), z);
  REQUIRE(j.shape() == Shape{2, 63, k});
  for (int64_t c = 0; c < k; ++c) {
    const Tensor column = to_image(reshape(narrow(linear.a, 1, c, 1).clone(), {1, 16}));
    const Tensor expected = upsample_bilinear2d(column, 9, 7);
    for (int64_t p = 0; p < 2; ++p)
      for (int64_t i = 0; i < 63; ++i) CHECK(j.data()[(p * 63 + i) * k + c] == Approx(expected.data()[i]).margin(1e-5));
  }
  CHECK_THROWS_WITH(upsampled_decoder(image_decoder, 0, 7), Catch::Matchers::Contains("positive size"));
}

// The reference's rank rule, rcond = max(d, k) eps_float32, grows with d: a direction 2e-4 as strong as the
// strongest is kept at 4x4 (rcond 1.9e-6) and dropped at 64x64 (rcond 4.9e-4), as MNIST256 drops directions.
TEST_CASE("the rank rule drops a weak direction only after upsampling", "[tangent]") {
  Tensor a = Tensor::zeros({16, 3});
  a.data()[(1 * 4 + 1) * 3 + 0] = 1;     // pixel (1,1)
  a.data()[(2 * 4 + 2) * 3 + 1] = 1e-3;  // pixel (2,2)
  a.data()[(1 * 4 + 2) * 3 + 2] = 2e-4;  // pixel (1,2)
  const LinearDecoder linear{a, Tensor::zeros({16})};
  const Decoder image_decoder = [&](const Tensor& z) { return reshape(linear.decoder()(z), {z.size(0), 1, 4, 4}); };
  Generator gen(7);
  const Tensor z = randn({3, 3}, gen);
  for (int64_t r : tangent_basis(image_decoder, z).rank) CHECK(r == 3);
  for (int64_t r : tangent_basis(upsampled_decoder(image_decoder, 64, 64), z).rank) CHECK(r == 2);
}
