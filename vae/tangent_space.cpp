#include "vae/tangent_space.h"

#include <Eigen/SVD>
#include <algorithm>
#include <limits>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/resize.h"

namespace mxai::vae {

namespace {

// The directional derivatives of `points` codes z (points,k): columns[j] = J e_j stacked over the points,
// (points, ...) each. Shared forward: the graph of g(u) = J^T u is built once and differentiated k times.
std::vector<Tensor> directional_derivatives_shared(const Decoder& decoder, const Tensor& z) {
  const int64_t points = z.size(0), k = z.size(1);
  GradModeGuard recording(true);
  Tensor zr = z.detach().requires_grad_();
  const Tensor y = decoder(zr);
  if (!y.requires_grad()) return std::vector<Tensor>(static_cast<size_t>(k), Tensor::zeros(y.shape()));
  Tensor u = Tensor::zeros(y.shape()).requires_grad_();
  const Tensor jt_u = grad({y}, {zr}, {u}, /*create_graph=*/true)[0];  // J^T u, linear in u
  if (!jt_u.requires_grad()) return std::vector<Tensor>(static_cast<size_t>(k), Tensor::zeros(y.shape()));
  std::vector<Tensor> columns;
  for (int64_t j = 0; j < k; ++j) {
    Tensor direction = Tensor::zeros({points, k});
    for (int64_t p = 0; p < points; ++p) direction.data()[p * k + j] = 1;
    const bool last = j == k - 1;
    columns.push_back(grad({jt_u}, {u}, {direction}, /*create_graph=*/false, /*retain_graph=*/!last)[0]);
  }
  return columns;
}

// The same by one jvp on z replicated k times; returns the (points*k, ...) result, row p*k + j = J_p e_j.
Tensor directional_derivatives_replicated(const Decoder& decoder, const Tensor& z) {
  const int64_t points = z.size(0), k = z.size(1);
  Tensor replicated = Tensor::empty({points * k, k}), directions = Tensor::zeros({points * k, k});
  for (int64_t p = 0; p < points; ++p)
    for (int64_t j = 0; j < k; ++j) {
      std::copy(z.data() + p * k, z.data() + (p + 1) * k, replicated.data() + (p * k + j) * k);
      directions.data()[(p * k + j) * k + j] = 1;
    }
  return jvp(decoder, replicated, directions).second;
}

void check_decoder_output(const Tensor& out, int64_t rows, int64_t k) {
  if (out.dim() < 2 || out.size(0) != rows)
    throw Error("decoder_jacobian: the decoder maps (" + std::to_string(rows) + "," + std::to_string(k) + ") to " +
                shape_str(out.shape()) + "; expected one output per latent code");
}

}  // namespace

Tensor decoder_jacobian(const Decoder& decoder, const Tensor& z, int64_t points_per_batch, JacobianMethod method) {
  if (!z.defined() || z.dim() != 2) throw Error("decoder_jacobian: expected latent codes (N,k)");
  if (points_per_batch < 0) throw Error("decoder_jacobian: points_per_batch must be >= 0");
  const int64_t n = z.size(0), k = z.size(1);
  if (n == 0 || k == 0) throw Error("decoder_jacobian: no latent codes in " + shape_str(z.shape()));
  const int64_t chunk = points_per_batch > 0 ? points_per_batch : n;
  Tensor jacobian;
  int64_t d = -1;
  for (int64_t start = 0; start < n; start += chunk) {
    const int64_t points = std::min(chunk, n - start);
    const Tensor codes = narrow(z.detach(), 0, start, points);
    std::vector<Tensor> columns;  // SharedForward: columns[j] (points, ...) = J e_j at each point
    Tensor replicated;            // ReplicatedJvp: row p*k + j = J_p e_j
    if (method == JacobianMethod::SharedForward) {
      columns = directional_derivatives_shared(decoder, codes);
      for (const Tensor& c : columns) check_decoder_output(c, points, k);
    } else {
      replicated = directional_derivatives_replicated(decoder, codes);
      check_decoder_output(replicated, points * k, k);
    }
    const int64_t rows_d = method == JacobianMethod::SharedForward ? columns[0].numel() / points
                                                                    : replicated.numel() / (points * k);
    if (d < 0) {
      d = rows_d;
      jacobian = Tensor::empty({n, d, k});
    } else if (rows_d != d) {
      throw Error("decoder_jacobian: the decoder's output size changed between chunks");
    }
    real* dst = jacobian.data() + start * d * k;
    for (int64_t p = 0; p < points; ++p)
      for (int64_t j = 0; j < k; ++j) {
        const real* column = method == JacobianMethod::SharedForward ? columns[static_cast<size_t>(j)].data() + p * d
                                                                     : replicated.data() + (p * k + j) * d;
        real* out = dst + p * d * k + j;
        for (int64_t i = 0; i < d; ++i) out[i * k] = column[i];
      }
  }
  return jacobian;
}

double reference_rcond(int64_t d, int64_t k) {
  return static_cast<double>(std::max(d, k)) * std::numeric_limits<float>::epsilon();
}

TangentSpace tangent_basis_from_jacobian(const Tensor& jacobian, double rcond) {
  if (!jacobian.defined() || jacobian.dim() != 3)
    throw Error("tangent_basis: expected Jacobians (N,d,k), got " +
                (jacobian.defined() ? shape_str(jacobian.shape()) : std::string("undefined")));
  const int64_t n = jacobian.size(0), d = jacobian.size(1), k = jacobian.size(2);
  const double tolerance =
      rcond >= 0 ? rcond : reference_rcond(d, k);

  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  TangentSpace space;
  space.rank.assign(static_cast<size_t>(n), 0);
  space.singular_values.assign(static_cast<size_t>(n), {});
  // Written at full width k first (zero beyond each point's rank), compacted below if no point reaches rank k:
  // no double-precision copy of all the bases is ever held (they are large: N * d * k).
  Tensor full = Tensor::zeros({n, d, k});
#pragma omp parallel for schedule(dynamic)
  for (int64_t p = 0; p < n; ++p) {
    const real* j = jacobian.data() + p * d * k;
    RowMajor J(d, k);
    for (int64_t i = 0; i < d * k; ++i) J.data()[i] = j[i];
    // JacobiSVD preconditions a tall matrix with a QR, so this costs O(d k^2).
    const Eigen::JacobiSVD<RowMajor> svd(J, Eigen::ComputeThinU);
    const Eigen::VectorXd& s = svd.singularValues();
    const double s_max = s.size() ? s(0) : 0.0;
    int64_t rank = 0;
    for (int64_t i = 0; i < s.size(); ++i)
      if (s(i) > tolerance * s_max) ++rank;
    space.rank[static_cast<size_t>(p)] = rank;
    space.singular_values[static_cast<size_t>(p)].assign(s.data(), s.data() + s.size());
    const auto& u = svd.matrixU();
    real* dst = full.data() + p * d * k;
    for (int64_t i = 0; i < d; ++i)
      for (int64_t c = 0; c < rank; ++c) dst[i * k + c] = static_cast<real>(u(i, c));
  }

  int64_t columns = 0;
  for (int64_t r : space.rank) columns = std::max(columns, r);
  if (columns == k) {
    space.basis = full;
    return space;
  }
  space.basis = Tensor::empty({n, d, columns});
  for (int64_t row = 0; row < n * d; ++row)
    std::copy(full.data() + row * k, full.data() + row * k + columns, space.basis.data() + row * columns);
  return space;
}

Decoder upsampled_decoder(Decoder decoder, int64_t height, int64_t width) {
  if (height < 1 || width < 1)
    throw Error("upsampled_decoder: expected a positive size, got " + std::to_string(height) + "x" + std::to_string(width));
  return [decoder = std::move(decoder), height, width](const Tensor& z) {
    const Tensor x = decoder(z);
    if (x.dim() != 4) throw Error("upsampled_decoder: expected decodes (N,C,H,W), got " + shape_str(x.shape()));
    return upsample_bilinear2d(x, height, width);
  };
}

TangentSpace tangent_basis(const Decoder& decoder, const Tensor& z, const TangentOptions& options) {
  return tangent_basis_from_jacobian(decoder_jacobian(decoder, z, options.points_per_batch, options.method),
                                     options.rcond);
}

}  // namespace mxai::vae
