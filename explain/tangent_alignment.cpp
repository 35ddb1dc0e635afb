#include "explain/tangent_alignment.h"

#include <cmath>
#include <limits>
#include <string>

namespace mxai::explain {

namespace {

struct Layout {
  int64_t n, d, k;
};

Layout check_shapes(const Tensor& attribution, const Tensor& basis, const char* what) {
  if (!attribution.defined() || !basis.defined()) throw Error(std::string(what) + ": undefined tensor");
  if (basis.dim() != 3)
    throw Error(std::string(what) + ": the basis must be (N,D,k'), got " + shape_str(basis.shape()));
  if (attribution.dim() < 2)
    throw Error(std::string(what) + ": the attribution must be (N,D) or (N,C,H,W), got " +
                shape_str(attribution.shape()));
  const Layout l{basis.size(0), basis.size(1), basis.size(2)};
  if (attribution.size(0) != l.n || attribution.numel() != l.n * l.d)
    throw Error(std::string(what) + ": attribution " + shape_str(attribution.shape()) + " does not match basis " +
                shape_str(basis.shape()) + " (need N examples of D = C*H*W entries)");
  return l;
}

// c = U^T a for example i.
std::vector<double> coefficients(const real* a, const real* u, const Layout& l) {
  std::vector<double> c(static_cast<size_t>(l.k), 0.0);
  for (int64_t p = 0; p < l.d; ++p) {
    const double ap = a[p];
    const real* row = u + p * l.k;
    for (int64_t j = 0; j < l.k; ++j) c[static_cast<size_t>(j)] += row[j] * ap;
  }
  return c;
}

// U U^T a for example i, in double.
std::vector<double> project(const real* a, const real* u, const Layout& l) {
  const std::vector<double> c = coefficients(a, u, l);
  std::vector<double> projected(static_cast<size_t>(l.d), 0.0);
  for (int64_t p = 0; p < l.d; ++p) {
    const real* row = u + p * l.k;
    double v = 0;
    for (int64_t j = 0; j < l.k; ++j) v += row[j] * c[static_cast<size_t>(j)];
    projected[static_cast<size_t>(p)] = v;
  }
  return projected;
}

double squared_norm(const real* a, int64_t d) {
  double s = 0;
  for (int64_t p = 0; p < d; ++p) s += static_cast<double>(a[p]) * a[p];
  return s;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ||U^T a|| / ||a|| for one example; NaN when a = 0.
double fraction_in_tangent_space(const real* a, const real* u, const Layout& l) {
  const double norm_sq = squared_norm(a, l.d);
  if (norm_sq == 0) return kNaN;
  double c_sq = 0;
  for (double v : coefficients(a, u, l)) c_sq += v * v;
  return std::sqrt(c_sq / norm_sq);
}

// cos(a, U U^T a) for one example; NaN when a = 0, 0 when a is orthogonal to the tangent space.
double cosine_to_tangent_space(const real* a, const real* u, const Layout& l) {
  const std::vector<double> projected = project(a, u, l);
  double dot = 0, aa = 0, pp = 0;
  for (int64_t p = 0; p < l.d; ++p) {
    dot += a[p] * projected[static_cast<size_t>(p)];
    aa += static_cast<double>(a[p]) * a[p];
    pp += projected[static_cast<size_t>(p)] * projected[static_cast<size_t>(p)];
  }
  return aa == 0 ? kNaN : pp == 0 ? 0.0 : dot / std::sqrt(aa * pp);
}

// score(a, U, layout) of every example, the examples in parallel.
template <typename Score>
std::vector<double> per_example(const Tensor& attribution, const Tensor& basis, const char* what, Score score) {
  const Layout l = check_shapes(attribution, basis, what);
  std::vector<double> result(static_cast<size_t>(l.n));
#pragma omp parallel for if (l.n * l.d * l.k > (1 << 16))
  for (int64_t i = 0; i < l.n; ++i)
    result[static_cast<size_t>(i)] = score(attribution.data() + i * l.d, basis.data() + i * l.d * l.k, l);
  return result;
}

}  // namespace

std::vector<double> tangent_fraction(const Tensor& attribution, const Tensor& basis) {
  return per_example(attribution, basis, "tangent_fraction", fraction_in_tangent_space);
}

std::vector<double> tangent_cosine(const Tensor& attribution, const Tensor& basis) {
  return per_example(attribution, basis, "tangent_cosine", cosine_to_tangent_space);
}

namespace {

// Per row, the tangent part U U^T a, or (orthogonal) the rest a - U U^T a, computed in double and rounded once.
Tensor split_rows(const Tensor& attribution, const Tensor& basis, const char* what, bool orthogonal) {
  const Layout l = check_shapes(attribution, basis, what);
  Tensor out = Tensor::empty(attribution.shape());
#pragma omp parallel for if (l.n * l.d * l.k > (1 << 16))
  for (int64_t i = 0; i < l.n; ++i) {
    const real* a = attribution.data() + i * l.d;
    const std::vector<double> projected = project(a, basis.data() + i * l.d * l.k, l);
    for (int64_t p = 0; p < l.d; ++p) {
      const double tangent = projected[static_cast<size_t>(p)];
      out.data()[i * l.d + p] = static_cast<real>(orthogonal ? a[p] - tangent : tangent);
    }
  }
  return out;
}

}  // namespace

Tensor tangent_projection(const Tensor& attribution, const Tensor& basis) {
  return split_rows(attribution, basis, "tangent_projection", false);
}

Tensor orthogonal_part(const Tensor& attribution, const Tensor& basis) {
  return split_rows(attribution, basis, "orthogonal_part", true);
}

Tensor tangent_mass(const Tensor& basis) {
  if (!basis.defined() || basis.dim() != 3)
    throw Error("tangent_mass: the basis must be (N,D,k'), got " +
                (basis.defined() ? shape_str(basis.shape()) : std::string("undefined")));
  const int64_t n = basis.size(0), d = basis.size(1), k = basis.size(2);
  Tensor mass = Tensor::empty({n, d});
  for (int64_t r = 0; r < n * d; ++r) {
    const real* row = basis.data() + r * k;
    double s = 0;
    for (int64_t j = 0; j < k; ++j) s += static_cast<double>(row[j]) * row[j];
    mass.data()[r] = static_cast<real>(s);
  }
  return mass;
}

double random_expectation_sqrt(int64_t k, int64_t d) {
  if (d < 1 || k < 0 || k > d)
    throw Error("random expectation: need 0 <= k <= d and d >= 1, got k=" + std::to_string(k) +
                ", d=" + std::to_string(d));
  return std::sqrt(static_cast<double>(k) / static_cast<double>(d));
}

double random_expectation_exact(int64_t k, int64_t d) {
  random_expectation_sqrt(k, d);  // the same argument checks
  if (k == 0) return 0.0;
  if (k == d) return 1.0;  // Beta(d/2, 0) is a point mass at 1
  const double kk = static_cast<double>(k), dd = static_cast<double>(d);
  return std::exp(std::lgamma((kk + 1) / 2) + std::lgamma(dd / 2) - std::lgamma(kk / 2) - std::lgamma((dd + 1) / 2));
}

}  // namespace mxai::explain
