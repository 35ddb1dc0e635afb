// Decoder tangent spaces over the ranks of an MPI job: each rank computes the bases of a share of the points and
// every rank receives all of them, equal to one process's (per point, the same Jacobian chunks and the same SVD).
#pragma once

#include "vae/manifold_dataset.h"
#include "vae/tangent_space.h"

namespace mxai::experiments {

// decoder, z (N,k) -> vae::tangent_basis(decoder, z, options), computed in shares; basis (N,d,k') with k' the
// largest rank over all points, as in one process.
vae::TangentSpace shared_tangent_basis(const vae::Decoder& decoder, const Tensor& z,
                                       const vae::TangentOptions& options = {});

// vae::add_tangent_spaces with the bases computed in shares.
void add_shared_tangent_spaces(vae::ManifoldSample& sample, const vae::Decoder& decoder,
                               const vae::TangentOptions& options = {});

}  // namespace mxai::experiments
