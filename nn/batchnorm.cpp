#include "nn/batchnorm.h"

#include <algorithm>

#include "autodiff/ops.h"

namespace mxai::nn {

BatchNorm2d::BatchNorm2d(int64_t features, BatchNorm2dOptions opts) : num_features(features), options(opts) {
  if (features < 1) throw Error("BatchNorm2d: num_features must be positive, got " + std::to_string(features));
  if (opts.affine) {
    weight = Tensor::ones({features});
    bias = Tensor::zeros({features});
    register_parameter("weight", &weight);
    register_parameter("bias", &bias);
  }
  if (opts.track_running_stats) {
    running_mean = Tensor::zeros({features});
    running_var = Tensor::ones({features});
    num_batches_tracked = Tensor::scalar(0);
    register_buffer("running_mean", &running_mean);
    register_buffer("running_var", &running_var);
    register_buffer("num_batches_tracked", &num_batches_tracked, DType::I64);
  }
}

void BatchNorm2d::reset_running_stats() {
  if (!options.track_running_stats) return;
  std::fill_n(running_mean.data(), num_features, real(0));
  std::fill_n(running_var.data(), num_features, real(1));
  num_batches_tracked.data()[0] = 0;
}

Tensor BatchNorm2d::forward(const Tensor& x) {
  if (x.dim() != 4 || x.size(1) != num_features)
    throw Error("BatchNorm2d(" + std::to_string(num_features) + "): expected input (N," +
                std::to_string(num_features) + ",H,W), got " + shape_str(x.shape()));
  const Shape per_channel{1, num_features, 1, 1};
  const real eps = static_cast<real>(options.eps);
  const bool use_batch_stats = is_training() || !options.track_running_stats;

  if (use_batch_stats) {
    const int64_t count = x.numel() / num_features;
    if (count <= 1)
      throw Error("BatchNorm2d: expected more than 1 value per channel when training, got input " +
                  shape_str(x.shape()));
    const Tensor mu = mean(x, {0, 2, 3}, /*keepdim=*/true);
    const Tensor centered = x - mu;
    const Tensor var = mean(centered * centered, {0, 2, 3}, /*keepdim=*/true);
    Tensor normalized = centered / sqrt(var + eps);
    if (is_training() && options.track_running_stats) {
      const real m = static_cast<real>(options.momentum);
      const real unbias = static_cast<real>(count) / static_cast<real>(count - 1);
      real* rm = running_mean.data();
      real* rv = running_var.data();
      for (int64_t c = 0; c < num_features; ++c) {
        rm[c] = (1 - m) * rm[c] + m * mu.data()[c];
        rv[c] = (1 - m) * rv[c] + m * var.data()[c] * unbias;
      }
      num_batches_tracked.data()[0] += 1;
    }
    if (!options.affine) return normalized;
    return normalized * reshape(weight, per_channel) + reshape(bias, per_channel);
  }
  // With frozen statistics the layer is the per-channel affine map y = x * scale + (bias - mean * scale).
  const Tensor inv_std = reshape(pow(running_var + eps, real(-0.5)), per_channel);
  const Tensor scale = options.affine ? reshape(weight, per_channel) * inv_std : inv_std;
  const Tensor shift = reshape(running_mean, per_channel) * scale;
  if (options.affine) return x * scale + (reshape(bias, per_channel) - shift);
  return x * scale - shift;
}

}  // namespace mxai::nn
