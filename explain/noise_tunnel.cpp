#include "explain/noise_tunnel.h"

#include <algorithm>
#include <string>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

NoiseTunnel::NoiseTunnel(AttributionFn method) : method_(std::move(method)) {
  if (!method_) throw Error("NoiseTunnel: the attribution function is empty");
}

NoiseTunnel::NoiseTunnel(const GradientAttribution& method)
    : method_([&method](const Tensor& x, const Targets& t) { return method.attribute(x, t); }),
      model_(&method.model()) {}

Tensor NoiseTunnel::attribute(const Tensor& input, const Targets& target, NoiseTunnelType type, int n_samples,
                              real stdev, Generator& gen, int64_t samples_batch_size) const {
  if (input.dim() < 2) throw Error("NoiseTunnel: expected a batch (N,...), got " + shape_str(input.shape()));
  if (n_samples < 1) throw Error("NoiseTunnel: n_samples must be >= 1, got " + std::to_string(n_samples));
  if (stdev < 0) throw Error("NoiseTunnel: stdev must be >= 0, got " + std::to_string(stdev));
  if (samples_batch_size < 0)
    throw Error("NoiseTunnel: samples_batch_size must be >= 0, got " + std::to_string(samples_batch_size));
  const int64_t n = input.size(0);
  const Targets targets = model_ ? resolve_targets(*model_, input, target) : target;
  const int64_t per_call = samples_batch_size > 0 ? std::min<int64_t>(samples_batch_size, n_samples) : n_samples;

  std::vector<double> first(static_cast<size_t>(input.numel()), 0.0), second(first.size(), 0.0);
  const real* x = input.data();
  for (int64_t s0 = 0; s0 < n_samples; s0 += per_call) {
    const int64_t samples = std::min<int64_t>(per_call, n_samples - s0);
    Shape shape = input.shape();
    shape[0] = samples * n;
    Tensor noisy = Tensor::empty(shape);
    real* dst = noisy.data();
    // Drawn sample by sample, entry by entry, from one stream: the same draws whatever the batching.
    for (int64_t s = 0; s < samples; ++s)
      for (int64_t j = 0; j < input.numel(); ++j)
        dst[s * input.numel() + j] = x[j] + static_cast<real>(stdev * gen.normal());
    const Targets call_targets = targets.size() > 1 ? tile_targets(targets, samples) : targets;
    const Tensor attributions = method_(noisy, call_targets);
    if (attributions.shape() != shape)
      throw Error("NoiseTunnel: the method returned " + shape_str(attributions.shape()) + " for input " +
                  shape_str(shape));
    const real* a = attributions.data();
    for (int64_t s = 0; s < samples; ++s)
      for (int64_t j = 0; j < input.numel(); ++j) {
        const double v = a[s * input.numel() + j];
        first[static_cast<size_t>(j)] += v;
        second[static_cast<size_t>(j)] += v * v;
      }
  }

  Tensor result = Tensor::empty(input.shape());
  real* out = result.data();
  for (int64_t j = 0; j < input.numel(); ++j) {
    const double mean = first[static_cast<size_t>(j)] / n_samples;
    const double mean_sq = second[static_cast<size_t>(j)] / n_samples;
    switch (type) {
      case NoiseTunnelType::SmoothGrad: out[j] = static_cast<real>(mean); break;
      case NoiseTunnelType::SmoothGradSq: out[j] = static_cast<real>(mean_sq); break;
      case NoiseTunnelType::VarGrad: out[j] = static_cast<real>(std::max(mean_sq - mean * mean, 0.0)); break;
    }
  }
  return result;
}

}  // namespace mxai::explain
