// Latent Integrated Gradients: Integrated Gradients along a path that stays on the data manifold. Where a decoder
// g (latent -> image) is known, the straight latent path z(t) = z0 + t (z1 - z0) maps to the curve
// x(t) = g(z(t)) between g(z0) and g(z1), and IG's line integral is taken along that curve instead of a straight
// line in pixel space:
//   A_i = integral_0^1 dF/dx_i(x(t)) * dx_i/dt dt,   dx/dt = J_g(z(t)) (z1 - z0)  (a Jacobian-vector product).
// By the gradient theorem sum_i A_i = F(g(z1)) - F(g(z0)): completeness holds along the curve, and `delta`
// reports the quadrature's gap. None of the anchor papers has this method.
#pragma once

#include <cstdint>
#include <functional>

#include "explain/attribution.h"
#include "explain/quadrature.h"

namespace mxai::explain {

// latent (N,k) -> image (N,C,H,W) or (N,D); any differentiable function of the latent.
using Decoder = std::function<Tensor(const Tensor&)>;

struct LatentIgSettings {
  int n_steps = 50;  // as Captum's IG
  Quadrature method = Quadrature::GaussLegendre;
  // Path points per decoder JVP and model backward (0: all n_steps * N at once); does not change the result.
  int64_t internal_batch_size = 0;
};

struct LatentIgResult {
  Tensor attributions;  // the decoder's output shape, (N,C,H,W) or (N,D)
  Tensor delta;         // (N): sum(attributions) - (F(g(z1)) - F(g(z0)))
};

// latent z1 (N,k), the point's latent (the code the generator drew, or the encoder's mean); base_latent z0 of the
// same shape, one latent (k) or (1,k) for every example, or undefined for the zero latent (the prior's mean).
// target: empty for the class predicted at g(z1).
LatentIgResult latent_integrated_gradients(const Model& model, const Decoder& decoder, const Tensor& latent,
                                           const Tensor& base_latent = Tensor(), const Targets& target = {},
                                           const LatentIgSettings& settings = {});

}  // namespace mxai::explain
