// The tangent space of a decoder's image manifold {g(z)}: at each latent code z it is the column space of the
// decoder Jacobian J = d g(z) / dz (d x k), and an orthonormal basis of it is what the alignment metric
// (explain/tangent_alignment.h) projects attributions onto (spec: manifold-hypothesis section 1, TAIG 3.1).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai::vae {

// z (N,k) -> x (N,C,H,W) or (N,d), deterministic (the mean of the decoder; no sampling, eval mode).
using Decoder = std::function<Tensor(const Tensor&)>;

// How decoder_jacobian obtains the k directional derivatives J e_1 .. J e_k. Both use the double-backward trick
// (graph.h's jvp: with g(u) = J^T u, d<g(u), v>/du = J v) and give identical results.
enum class JacobianMethod {
  // One forward and one create_graph backward per chunk of points, then k cheap second backward passes over the
  // retained graph, one per latent direction. About 10x faster than ReplicatedJvp for the Burgess decoder.
  SharedForward,
  // One jvp call per chunk on z replicated k times (row p*k + j = (z_p, e_j)): the forward, the backward and the
  // double backward all run on k times as many rows.
  ReplicatedJvp,
};

// decoder, then bilinear upsampling to (height, width) as F.interpolate(align_corners=False): the decoder of Bordt
// et al.'s MNIST256 (32x32 decodes upsampled to 256x256), whose tangent space at z is the column space of the
// composed Jacobian. z (N,k) -> (N,C,height,width).
Decoder upsampled_decoder(Decoder decoder, int64_t height, int64_t width);

// z (N,k) -> J (N,d,k), J[n] = d decoder(z_n) / dz_n with d = C*H*W, by forward-mode directional derivatives
// along the k latent axes, `points_per_batch` points per chunk (0: all at once).
Tensor decoder_jacobian(const Decoder& decoder, const Tensor& z, int64_t points_per_batch = 64,
                        JacobianMethod method = JacobianMethod::SharedForward);

struct TangentOptions {
  // Singular values at or below rcond * s_max count as zero. Negative: the reference's rule
  // (scipy.linalg.orth on float32 arrays), rcond = max(d, k) * eps_float32 -- also in the float64 build.
  double rcond = -1;
  int64_t points_per_batch = 64;  // as in decoder_jacobian
  JacobianMethod method = JacobianMethod::SharedForward;
};

struct TangentSpace {
  // (N,d,k'): column j of basis[n] is the j-th left singular vector of J_n (by decreasing singular value) for
  // j < rank[n], and zero for rank[n] <= j < k'. k' = the largest rank in the batch (<= k), so a batch whose
  // Jacobians are all rank-deficient gets fewer columns; the zero columns change no projection.
  Tensor basis;
  std::vector<int64_t> rank;            // the numeric rank of J_n per point
  std::vector<std::vector<double>> singular_values;  // all k singular values of J_n, decreasing
};

// decoder, z (N,k) -> orthonormal bases of the tangent spaces at decoder(z).
TangentSpace tangent_basis(const Decoder& decoder, const Tensor& z, const TangentOptions& options = {});

// The reference's rank threshold (scipy.linalg.orth on float32 arrays): singular values at or below
// max(d, k) * eps_float32 * s_max count as zero. Also what rcond < 0 means below.
double reference_rcond(int64_t d, int64_t k);

// J (N,d,k) -> the same, from Jacobians computed elsewhere. Thin SVD per point (Eigen's JacobiSVD in double
// precision, OpenMP over points).
TangentSpace tangent_basis_from_jacobian(const Tensor& jacobian, double rcond = -1);

}  // namespace mxai::vae
