#include "explain/latent_ig.h"

#include <algorithm>
#include <string>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/baselines.h"
#include "explain/target.h"

namespace mxai::explain {

LatentIgResult latent_integrated_gradients(const Model& model, const Decoder& decoder, const Tensor& latent,
                                           const Tensor& base_latent, const Targets& target,
                                           const LatentIgSettings& settings) {
  if (latent.dim() != 2) throw Error("latent ig: expected latents (N,k), got " + shape_str(latent.shape()));
  if (settings.internal_batch_size < 0) throw Error("latent ig: internal_batch_size must be >= 0");
  const QuadratureRule rule = quadrature_rule(settings.method, settings.n_steps);
  const int64_t n = latent.size(0), k = latent.size(1);
  const Tensor z1 = latent.detach();
  const Tensor z0 = base_latent.defined() ? tensor_baseline(z1, base_latent) : zero_baseline(z1);
  Tensor endpoints;  // g(z1), then g(z0)
  {
    NoGradGuard no_grad;
    endpoints = decoder(concat({z1, z0}, 0));
  }
  if (endpoints.dim() < 2 || endpoints.size(0) != 2 * n)
    throw Error("latent ig: the decoder maps latents (" + std::to_string(2 * n) + "," + std::to_string(k) + ") to " +
                shape_str(endpoints.shape()));
  const int64_t features = endpoints.numel() / (2 * n);
  const Targets targets = resolve_targets(model, narrow(endpoints, 0, 0, n), target);

  // Row r of the virtual (n_steps * N, k) batch of latent path points is example r % N at step r / N.
  const int64_t total = static_cast<int64_t>(settings.n_steps) * n;
  const int64_t chunk = settings.internal_batch_size > 0 ? settings.internal_batch_size : total;
  std::vector<double> attribution(static_cast<size_t>(n * features), 0.0);
  for (int64_t start = 0; start < total; start += chunk) {
    const int64_t rows = std::min(chunk, total - start);
    Tensor points = Tensor::empty({rows, k}), velocity = Tensor::empty({rows, k});
    Targets row_targets(static_cast<size_t>(rows));
    for (int64_t j = 0; j < rows; ++j) {
      const int64_t r = start + j, example = r % n;
      const double alpha = rule.alphas[static_cast<size_t>(r / n)];
      for (int64_t d = 0; d < k; ++d) {
        const real a = z0.data()[example * k + d], b = z1.data()[example * k + d];
        points.data()[j * k + d] = static_cast<real>(a + alpha * (b - a));
        velocity.data()[j * k + d] = b - a;
      }
      row_targets[static_cast<size_t>(j)] = targets[static_cast<size_t>(example)];
    }
    // x(t) and dx/dt = J_g(z(t)) (z1 - z0) in one JVP, then dF/dx at x(t).
    const auto [images, image_velocity] = jvp(decoder, points, velocity);
    const Tensor gradient = target_gradient(model, images.detach(), row_targets);
    for (int64_t j = 0; j < rows; ++j) {
      const int64_t r = start + j, example = r % n;
      const double weight = rule.weights[static_cast<size_t>(r / n)];
      const real* g = gradient.data() + j * features;
      const real* v = image_velocity.data() + j * features;
      double* acc = attribution.data() + example * features;
      for (int64_t f = 0; f < features; ++f) acc[f] += weight * static_cast<double>(g[f]) * v[f];
    }
  }

  LatentIgResult result;
  Shape image_shape = endpoints.shape();
  image_shape[0] = n;
  result.attributions = Tensor::empty(image_shape);
  std::vector<double> attribution_sum(static_cast<size_t>(n), 0.0);
  for (int64_t idx = 0; idx < n * features; ++idx) {
    result.attributions.data()[idx] = static_cast<real>(attribution[static_cast<size_t>(idx)]);
    attribution_sum[static_cast<size_t>(idx / features)] += attribution[static_cast<size_t>(idx)];
  }
  const std::vector<double> logits = target_logit_values(model, endpoints, tile_targets(targets, 2), 2 * n);
  result.delta = completeness_delta(attribution_sum, logits);
  return result;
}

}  // namespace mxai::explain
