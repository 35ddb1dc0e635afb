// The tangent-space alignment metric and its random baseline, and the summary statistics.
#include <catch2/catch.hpp>

#include <Eigen/QR>
#include <cmath>
#include <limits>

#include "explain/summary_statistics.h"
#include "explain/tangent_alignment.h"
#include "test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// (N,d,k): the same random orthonormal basis (QR of a Gaussian matrix) for every example.
Tensor random_basis(int64_t n, int64_t d, int64_t k, uint64_t seed) {
  Generator gen(seed);
  Eigen::MatrixXd g(d, k);
  for (int64_t i = 0; i < d; ++i)
    for (int64_t j = 0; j < k; ++j) g(i, j) = gen.normal();
  const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ() * Eigen::MatrixXd::Identity(d, k);
  Tensor basis = Tensor::empty({n, d, k});
  for (int64_t e = 0; e < n; ++e)
    for (int64_t i = 0; i < d; ++i)
      for (int64_t j = 0; j < k; ++j) basis.data()[(e * d + i) * k + j] = static_cast<real>(q(i, j));
  return basis;
}

// Row e of the result: basis[e] times the coefficients c (k), i.e. a vector in the span.
Tensor combine(const Tensor& basis, const std::vector<double>& c) {
  const int64_t n = basis.size(0), d = basis.size(1), k = basis.size(2);
  Tensor out = Tensor::zeros({n, d});
  for (int64_t e = 0; e < n; ++e)
    for (int64_t i = 0; i < d; ++i)
      for (int64_t j = 0; j < k; ++j) out.data()[e * d + i] += basis.data()[(e * d + i) * k + j] * static_cast<real>(c[j]);
  return out;
}

}  // namespace

TEST_CASE("tangent fraction: 1 in the span, 0 orthogonal to it, NaN for a zero attribution", "[explain][alignment]") {
  const int64_t d = 40, k = 4;
  const Tensor basis = random_basis(3, d, k, 1);
  const Tensor inside = combine(basis, {1.0, -2.0, 0.5, 3.0});
  for (double f : tangent_fraction(inside, basis)) CHECK(f == Approx(1.0).epsilon(1e-5));

  // Orthogonal: remove the projection from a random vector.
  Generator gen(2);
  const Tensor random = randn({3, d}, gen);
  const Tensor normal = orthogonal_part(random, basis);
  for (double f : tangent_fraction(normal, basis)) CHECK(f == Approx(0.0).margin(1e-5));

  // Mixed: a = t + n with ||t|| = 3, ||n|| = 4 gives 3/5.
  Tensor mixed = Tensor::empty({3, d});
  const std::vector<double> fraction_t = tangent_fraction(inside, basis);
  for (int64_t e = 0; e < 3; ++e) {
    double nt = 0, nn = 0;
    for (int64_t i = 0; i < d; ++i) {
      nt += std::pow(inside.data()[e * d + i], 2);
      nn += std::pow(normal.data()[e * d + i], 2);
    }
    for (int64_t i = 0; i < d; ++i)
      mixed.data()[e * d + i] = static_cast<real>(3 * inside.data()[e * d + i] / std::sqrt(nt) +
                                                  4 * normal.data()[e * d + i] / std::sqrt(nn));
  }
  for (double f : tangent_fraction(mixed, basis)) CHECK(f == Approx(0.6).epsilon(1e-5));
  for (double f : tangent_cosine(mixed, basis)) CHECK(f == Approx(0.6).epsilon(1e-5));

  Tensor with_zero = inside.clone();
  for (int64_t i = 0; i < d; ++i) with_zero.data()[d + i] = 0;
  const std::vector<double> f = tangent_fraction(with_zero, basis);
  CHECK(f[0] == Approx(1.0).epsilon(1e-5));
  CHECK(std::isnan(f[1]));
  CHECK(std::isnan(tangent_cosine(with_zero, basis)[1]));
  CHECK(tangent_cosine(normal, basis)[0] == Approx(0.0).margin(1e-3));
}

TEST_CASE("tangent fraction is scale-invariant, takes images, and ignores zero padding columns", "[explain][alignment]") {
  const Tensor basis = random_basis(2, 48, 3, 3);
  Generator gen(4);
  const Tensor a = randn({2, 3, 4, 4}, gen);
  const std::vector<double> f = tangent_fraction(a, basis);
  const std::vector<double> scaled = tangent_fraction(a * 1000.0f, basis);
  for (int e = 0; e < 2; ++e) CHECK(scaled[e] == Approx(f[e]).epsilon(1e-5));
  const std::vector<double> cosine = tangent_cosine(a, basis);
  for (int e = 0; e < 2; ++e) CHECK(cosine[e] == Approx(f[e]).epsilon(1e-5));

  Tensor padded = Tensor::zeros({2, 48, 5});
  for (int64_t r = 0; r < 2 * 48; ++r)
    for (int64_t j = 0; j < 3; ++j) padded.data()[r * 5 + j] = basis.data()[r * 3 + j];
  const std::vector<double> f_padded = tangent_fraction(a, padded);
  for (int e = 0; e < 2; ++e) CHECK(f_padded[e] == Approx(f[e]).epsilon(1e-6));

  CHECK_THROWS_AS(tangent_fraction(randn({2, 47}, gen), basis), Error);
  CHECK_THROWS_AS(tangent_fraction(randn({3, 48}, gen), basis), Error);
  CHECK_THROWS_AS(tangent_fraction(a, randn({2, 48}, gen)), Error);
}

TEST_CASE("projection and orthogonal part split the attribution", "[explain][alignment]") {
  const Tensor basis = random_basis(2, 30, 5, 5);
  Generator gen(6);
  const Tensor a = randn({2, 1, 5, 6}, gen);
  const Tensor t = tangent_projection(a, basis), n = orthogonal_part(a, basis);
  REQUIRE(t.shape() == a.shape());
  REQUIRE(n.shape() == a.shape());
  for (int64_t j = 0; j < a.numel(); ++j) CHECK(t.data()[j] + n.data()[j] == Approx(a.data()[j]).margin(1e-5));
  const Tensor tt = tangent_projection(t, basis);  // idempotent
  for (int64_t j = 0; j < a.numel(); ++j) CHECK(tt.data()[j] == Approx(t.data()[j]).margin(1e-5));
  for (int64_t e = 0; e < 2; ++e) {
    double dot = 0, tt2 = 0, aa = 0;
    for (int64_t i = 0; i < 30; ++i) {
      dot += t.data()[e * 30 + i] * n.data()[e * 30 + i];
      tt2 += t.data()[e * 30 + i] * t.data()[e * 30 + i];
      aa += a.data()[e * 30 + i] * a.data()[e * 30 + i];
    }
    CHECK(dot == Approx(0).margin(1e-5));
    CHECK(std::sqrt(tt2 / aa) == Approx(tangent_fraction(a, basis)[e]).epsilon(1e-5));
  }
  // The per-pixel tangent mass sums to the rank.
  const Tensor mass = tangent_mass(basis);
  REQUIRE(mass.shape() == Shape{2, 30});
  for (int64_t e = 0; e < 2; ++e) {
    double total = 0;
    for (int64_t i = 0; i < 30; ++i) total += mass.data()[e * 30 + i];
    CHECK(total == Approx(5.0).epsilon(1e-5));
  }
}

TEST_CASE("random directions: mean fraction ~ sqrt(k/d), exact expectation from the Beta law", "[explain][alignment]") {
  CHECK(random_expectation_sqrt(10, 1024) == Approx(0.098821).epsilon(1e-5));
  CHECK(random_expectation_exact(10, 1024) == Approx(0.0964).margin(5e-5));
  CHECK(random_expectation_exact(1, 2) == Approx(2 / M_PI).epsilon(1e-12));  // E|cos| of a uniform angle
  CHECK(random_expectation_exact(0, 5) == 0);
  CHECK(random_expectation_exact(5, 5) == Approx(1.0).epsilon(1e-12));
  CHECK_THROWS_AS(random_expectation_exact(6, 5), Error);

  const int64_t draws = 1000, d = 1024, k = 10;
  const Tensor basis = random_basis(draws, d, k, 7);
  Generator gen(8);
  const std::vector<double> fractions = tangent_fraction(randn({draws, d}, gen), basis);
  const SummaryStatistics s = summarize(fractions);
  INFO("mean " << s.mean << ", exact " << random_expectation_exact(k, d) << ", sqrt(k/d) " << std::sqrt(10.0 / 1024));
  CHECK(s.n == draws);
  CHECK(s.mean == Approx(random_expectation_sqrt(k, d)).epsilon(0.05));
  CHECK(s.mean == Approx(random_expectation_exact(k, d)).epsilon(0.03));
}

TEST_CASE("summary statistics: mean, quartiles with linear interpolation, NaNs skipped", "[explain][summary]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const SummaryStatistics s = summarize({4, nan, 1, 3, 2, 10});
  CHECK(s.n == 5);
  CHECK(s.n_nan == 1);
  CHECK(s.mean == Approx(4.0));
  CHECK(s.median == Approx(3.0));
  CHECK(s.q25 == Approx(2.0));
  CHECK(s.q75 == Approx(4.0));
  const SummaryStatistics even = summarize({1, 2, 3, 4});  // numpy: 1.75, 2.5, 3.25
  CHECK(even.q25 == Approx(1.75));
  CHECK(even.median == Approx(2.5));
  CHECK(even.q75 == Approx(3.25));
  CHECK(quantile({5, 1, 3}, 0) == 1);
  CHECK(quantile({5, 1, 3}, 1) == 5);
  const SummaryStatistics empty = summarize({nan});
  CHECK(empty.n == 0);
  CHECK(std::isnan(empty.mean));
  CHECK(std::isnan(empty.median));
  CHECK_THROWS_AS(quantile({1}, 1.5), Error);
}
