// Quadrature rules for Integrated Gradients: hand-known nodes and weights, the polynomial degree each rule
// integrates exactly (and the first degree it does not), and Captum's Riemann definitions.
#include <catch2/catch.hpp>

#include <cmath>

#include "explain/quadrature.h"

using namespace mxai::explain;

namespace {

// The rule's estimate of the integral of x^p over [0, 1], whose value is 1/(p+1).
double integrate_power(const QuadratureRule& rule, int p) {
  double s = 0;
  for (size_t i = 0; i < rule.alphas.size(); ++i) s += rule.weights[i] * std::pow(rule.alphas[i], p);
  return s;
}

double power_error(const QuadratureRule& rule, int p) { return std::abs(integrate_power(rule, p) - 1.0 / (p + 1)); }

void check_sorted_in_unit_interval(const QuadratureRule& rule) {
  double total = 0;
  for (size_t i = 0; i < rule.alphas.size(); ++i) {
    CHECK(rule.alphas[i] >= 0);
    CHECK(rule.alphas[i] <= 1);
    if (i > 0) CHECK(rule.alphas[i] > rule.alphas[i - 1]);
    total += rule.weights[i];
  }
  CHECK(total == Approx(1.0).margin(1e-14));
}

}  // namespace

TEST_CASE("Gauss-Legendre nodes and weights on [-1,1] for n = 1..4 equal the known values", "[explain][quadrature]") {
  const QuadratureRule one = gauss_legendre_symmetric(1);
  REQUIRE(one.alphas.size() == 1);
  CHECK(one.alphas[0] == Approx(0.0).margin(1e-15));
  CHECK(one.weights[0] == Approx(2.0).epsilon(1e-14));

  const QuadratureRule two = gauss_legendre_symmetric(2);
  REQUIRE(two.alphas.size() == 2);
  CHECK(two.alphas[0] == Approx(-1 / std::sqrt(3.0)).epsilon(1e-14));
  CHECK(two.alphas[1] == Approx(1 / std::sqrt(3.0)).epsilon(1e-14));
  CHECK(two.weights[0] == Approx(1.0).epsilon(1e-14));
  CHECK(two.weights[1] == Approx(1.0).epsilon(1e-14));

  const QuadratureRule three = gauss_legendre_symmetric(3);
  REQUIRE(three.alphas.size() == 3);
  CHECK(three.alphas[0] == Approx(-std::sqrt(0.6)).epsilon(1e-14));
  CHECK(three.alphas[1] == 0.0);
  CHECK(three.alphas[2] == Approx(std::sqrt(0.6)).epsilon(1e-14));
  CHECK(three.weights[0] == Approx(5.0 / 9).epsilon(1e-14));
  CHECK(three.weights[1] == Approx(8.0 / 9).epsilon(1e-14));
  CHECK(three.weights[2] == Approx(5.0 / 9).epsilon(1e-14));

  const QuadratureRule four = gauss_legendre_symmetric(4);
  REQUIRE(four.alphas.size() == 4);
  const double inner = std::sqrt(3.0 / 7 - 2.0 / 7 * std::sqrt(6.0 / 5));
  const double outer = std::sqrt(3.0 / 7 + 2.0 / 7 * std::sqrt(6.0 / 5));
  const double w_inner = (18 + std::sqrt(30.0)) / 36, w_outer = (18 - std::sqrt(30.0)) / 36;
  CHECK(four.alphas[0] == Approx(-outer).epsilon(1e-14));
  CHECK(four.alphas[1] == Approx(-inner).epsilon(1e-14));
  CHECK(four.alphas[2] == Approx(inner).epsilon(1e-14));
  CHECK(four.alphas[3] == Approx(outer).epsilon(1e-14));
  CHECK(four.weights[0] == Approx(w_outer).epsilon(1e-14));
  CHECK(four.weights[1] == Approx(w_inner).epsilon(1e-14));
  CHECK(four.weights[2] == Approx(w_inner).epsilon(1e-14));
  CHECK(four.weights[3] == Approx(w_outer).epsilon(1e-14));
}

TEST_CASE("Gauss-Legendre on [0,1] is the [-1,1] rule mapped by alpha = (1+t)/2, w = w_t/2", "[explain][quadrature]") {
  for (int n : {1, 2, 3, 7, 50}) {
    const QuadratureRule symmetric = gauss_legendre_symmetric(n);
    const QuadratureRule unit = quadrature_rule(Quadrature::GaussLegendre, n);
    REQUIRE(unit.alphas.size() == static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      CHECK(unit.alphas[i] == Approx((1 + symmetric.alphas[i]) / 2).epsilon(1e-15));
      CHECK(unit.weights[i] == Approx(symmetric.weights[i] / 2).epsilon(1e-15));
    }
    check_sorted_in_unit_interval(unit);
  }
  const QuadratureRule two = quadrature_rule(Quadrature::GaussLegendre, 2);
  CHECK(two.alphas[0] == Approx(0.5 - 0.5 / std::sqrt(3.0)).epsilon(1e-14));
  CHECK(two.weights[0] == Approx(0.5).epsilon(1e-14));
}

TEST_CASE("Riemann rules follow Captum's definitions", "[explain][quadrature]") {
  const int n = 4;
  const QuadratureRule left = quadrature_rule(Quadrature::RiemannLeft, n);
  const QuadratureRule right = quadrature_rule(Quadrature::RiemannRight, n);
  const QuadratureRule middle = quadrature_rule(Quadrature::RiemannMiddle, n);
  const QuadratureRule trapezoid = quadrature_rule(Quadrature::RiemannTrapezoid, n);
  const std::vector<double> left_alphas{0, 0.25, 0.5, 0.75}, right_alphas{0.25, 0.5, 0.75, 1},
      middle_alphas{0.125, 0.375, 0.625, 0.875}, trapezoid_alphas{0, 1.0 / 3, 2.0 / 3, 1},
      trapezoid_weights{1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
  for (int k = 0; k < n; ++k) {
    CHECK(left.alphas[k] == Approx(left_alphas[k]).margin(1e-15));
    CHECK(right.alphas[k] == Approx(right_alphas[k]).margin(1e-15));
    CHECK(middle.alphas[k] == Approx(middle_alphas[k]).margin(1e-15));
    CHECK(trapezoid.alphas[k] == Approx(trapezoid_alphas[k]).margin(1e-15));
    CHECK(left.weights[k] == 0.25);
    CHECK(right.weights[k] == 0.25);
    CHECK(middle.weights[k] == 0.25);
    CHECK(trapezoid.weights[k] == Approx(trapezoid_weights[k]).epsilon(1e-15));
  }
  for (const auto& rule : {left, right, middle, trapezoid}) check_sorted_in_unit_interval(rule);
}

TEST_CASE("each rule integrates exactly the polynomial degrees it should, and not one more", "[explain][quadrature]") {
  SECTION("Gauss-Legendre with n nodes: degree 2n-1 exact, degree 2n not") {
    for (int n : {1, 2, 3, 4, 5, 10}) {
      const QuadratureRule rule = quadrature_rule(Quadrature::GaussLegendre, n);
      for (int p = 0; p <= 2 * n - 1; ++p) CHECK(power_error(rule, p) < 1e-14);
      // The error for x^(2n) is (n!)^4 / ((2n+1) ((2n)!)^2): 1.4e-6 at n = 5, but 1.4e-12 at n = 10, too close
      // to rounding to tell apart, so the upper limit is checked for n <= 5 only.
      if (n <= 5) CHECK(power_error(rule, 2 * n) > 1e-7);
    }
  }
  SECTION("Gauss-Legendre with 200 nodes (Newton accuracy at large n)") {
    const QuadratureRule rule = quadrature_rule(Quadrature::GaussLegendre, 200);
    check_sorted_in_unit_interval(rule);
    for (int p : {0, 1, 10, 57, 199, 399}) CHECK(power_error(rule, p) < 1e-13);
  }
  SECTION("midpoint and trapezoid: degree 1 exact, degree 2 not") {
    for (Quadrature method : {Quadrature::RiemannMiddle, Quadrature::RiemannTrapezoid})
      for (int n : {2, 3, 8}) {
        const QuadratureRule rule = quadrature_rule(method, n);
        CHECK(power_error(rule, 0) < 1e-15);
        CHECK(power_error(rule, 1) < 1e-15);
        CHECK(power_error(rule, 2) > 1e-4);
      }
  }
  SECTION("left and right: constants exact, degree 1 not") {
    for (Quadrature method : {Quadrature::RiemannLeft, Quadrature::RiemannRight})
      for (int n : {1, 2, 8}) {
        const QuadratureRule rule = quadrature_rule(method, n);
        CHECK(power_error(rule, 0) < 1e-15);
        CHECK(power_error(rule, 1) > 1e-3);
      }
  }
}

TEST_CASE("quadrature names and invalid step counts", "[explain][quadrature]") {
  for (Quadrature method : {Quadrature::GaussLegendre, Quadrature::RiemannLeft, Quadrature::RiemannRight,
                            Quadrature::RiemannMiddle, Quadrature::RiemannTrapezoid})
    CHECK(parse_quadrature(quadrature_name(method)) == method);
  CHECK(quadrature_name(Quadrature::GaussLegendre) == "gausslegendre");
  CHECK_THROWS_AS(parse_quadrature("simpson"), mxai::Error);
  CHECK_THROWS_AS(quadrature_rule(Quadrature::GaussLegendre, 0), mxai::Error);
  CHECK_THROWS_AS(quadrature_rule(Quadrature::RiemannTrapezoid, 1), mxai::Error);
  CHECK(quadrature_rule(Quadrature::RiemannLeft, 1).alphas == std::vector<double>{0.0});
  CHECK(quadrature_rule(Quadrature::RiemannRight, 1).alphas == std::vector<double>{1.0});
}
