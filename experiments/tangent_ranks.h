// The numeric tangent dimension of a decoder's manifold over a set of codes, as a histogram: how Bordt et al.'s
// MNIST256 loses directions. The 32x32 decodes upsampled to 256x256 keep all k directions mathematically, but the
// reference's rank rule (rcond = max(d, k) eps_float32, 7.8e-3 at d = 65,536) drops the weakest ones.
#pragma once

#include <cstdint>

#include "autodiff/tensor.h"
#include "experiments/results.h"
#include "vae/tangent_space.h"

namespace mxai::experiments {

// decoder: z (N,k) -> (N,C,height,width); z (N,k) -> the rank of each point's Jacobian under the reference's rule,
// counted, with the mean normalised singular values. Codes are taken `points_per_chunk` at a time, so the bases
// (N,d,k) of a large d are never all held at once.
TangentRankHistogram tangent_rank_histogram(const vae::Decoder& decoder, const Tensor& z, int64_t height,
                                            int64_t width, int64_t points_per_chunk = 25);

}  // namespace mxai::experiments
