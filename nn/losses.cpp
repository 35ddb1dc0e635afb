#include "nn/losses.h"

#include <cmath>
#include <cstdio>
#include <memory>

#include "autodiff/ops.h"

namespace mxai::nn {

namespace {

Tensor reduce(const Tensor& loss, Reduction reduction) {
  switch (reduction) {
    case Reduction::Mean: return mean(loss);
    case Reduction::Sum: return sum(loss);
    case Reduction::None: return loss;
  }
  return loss;
}

void check_same_shape(const char* loss, const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape())
    throw Error(std::string(loss) + ": input " + shape_str(a.shape()) + " and target " + shape_str(b.shape()) +
                " must have the same shape");
}

// max(log p, -100), with the gradient of log p where it is not floored and zero where it is. The floored entries
// see log(1) in place of log(p), so no 0 * inf arises at p = 0.
Tensor floored_log(const Tensor& p) {
  const real floor_value = -100;
  const real threshold = static_cast<real>(std::exp(-100.0));
  Tensor keep = Tensor::empty(p.shape());
  for (int64_t i = 0; i < p.numel(); ++i) keep.data()[i] = p.data()[i] > threshold ? real(1) : real(0);
  const Tensor floored = real(1) - keep;
  return log(p * keep + floored) * keep + floored * floor_value;
}

}  // namespace

Tensor cross_entropy(const Tensor& logits, const std::vector<int64_t>& labels, Reduction reduction) {
  if (logits.dim() != 2)
    throw Error("cross_entropy: expected logits (N,K), got " + shape_str(logits.shape()));
  const int64_t N = logits.size(0), K = logits.size(1);
  if (static_cast<int64_t>(labels.size()) != N)
    throw Error("cross_entropy: " + std::to_string(labels.size()) + " labels for logits " + shape_str(logits.shape()));
  auto picked = std::make_shared<std::vector<int64_t>>(N);
  for (int64_t n = 0; n < N; ++n) {
    if (labels[n] < 0 || labels[n] >= K)
      throw Error("cross_entropy: label " + std::to_string(labels[n]) + " of example " + std::to_string(n) +
                  " is outside [0, " + std::to_string(K) + ")");
    (*picked)[n] = n * K + labels[n];
  }
  return reduce(-gather_flat(log_softmax(logits, 1), picked, {N}), reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets, Reduction reduction) {
  check_same_shape("binary_cross_entropy_with_logits", logits, targets);
  return reduce(softplus(logits) - logits * targets, reduction);
}

Tensor binary_cross_entropy(const Tensor& p, const Tensor& targets, Reduction reduction) {
  check_same_shape("binary_cross_entropy", p, targets);
  for (int64_t i = 0; i < p.numel(); ++i)
    if (!(p.data()[i] >= 0 && p.data()[i] <= 1))
      throw Error("binary_cross_entropy: input entry " + std::to_string(i) + " = " + std::to_string(p.data()[i]) +
                  " is not a probability in [0, 1]");
  return reduce(-(targets * floored_log(p) + (real(1) - targets) * floored_log(real(1) - p)), reduction);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_same_shape("mse_loss", input, target);
  const Tensor d = input - target;
  return reduce(d * d, reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_same_shape("l1_loss", input, target);
  return reduce(abs(input - target), reduction);
}

Tensor gaussian_kl(const Tensor& mu, const Tensor& logvar, Reduction reduction) {
  if (mu.shape() != logvar.shape() || mu.dim() < 1)
    throw Error("gaussian_kl: mu " + shape_str(mu.shape()) + " and logvar " + shape_str(logvar.shape()) +
                " must have the same shape (N,...)");
  const Tensor per_entry = (real(1) + logvar - mu * mu - exp(logvar)) * real(-0.5);
  std::vector<int64_t> feature_axes;
  for (int64_t a = 1; a < mu.dim(); ++a) feature_axes.push_back(a);
  const Tensor per_example = feature_axes.empty() ? per_entry : sum(per_entry, feature_axes);
  return reduce(per_example, reduction);
}

void check_loss_finite(double loss, const std::string& what, int64_t epoch, int64_t epochs, int64_t batch,
                       int64_t batches, double lr) {
  if (std::isfinite(loss)) return;
  char lr_text[32];
  std::snprintf(lr_text, sizeof lr_text, "%g", lr);
  throw Error(what + " diverged: the loss is " + (std::isnan(loss) ? "nan" : loss > 0 ? "+inf" : "-inf") +
              " at epoch " + std::to_string(epoch) + " of " + std::to_string(epochs) + ", batch " +
              std::to_string(batch) + " of " + std::to_string(batches) + " (learning rate " + lr_text +
              "); nothing was saved");
}

}  // namespace mxai::nn
