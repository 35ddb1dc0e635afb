// Differentiable losses with PyTorch's definitions (torch.nn.functional.*). Each returns a scalar for Mean and
// Sum, and the unreduced per-element (or per-example) tensor for None.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai::nn {

enum class Reduction { Mean, Sum, None };

// logits (N,K), labels N class indices in [0,K) -> -log softmax(logits)[n, label_n], reduced over N.
Tensor cross_entropy(const Tensor& logits, const std::vector<int64_t>& labels, Reduction reduction = Reduction::Mean);

// logits and targets of the same shape, targets in [0,1] -> softplus(x) - x t (the stable form of
// -t log sigmoid(x) - (1-t) log(1 - sigmoid(x))), reduced over every entry.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        Reduction reduction = Reduction::Mean);

// probabilities and targets of the same shape -> -(t log p + (1-t) log(1-p)) with each log floored at -100, as
// PyTorch does, so p = 0 or 1 gives a finite loss (and zero gradient through the floored log).
Tensor binary_cross_entropy(const Tensor& probabilities, const Tensor& targets, Reduction reduction = Reduction::Mean);

// (x - t)^2 and |x - t|, same shapes, reduced over every entry.
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);

// KL(N(mu, exp(logvar)) || N(0, I)) = -1/2 sum(1 + logvar - mu^2 - exp(logvar)) for mu, logvar (N,...).
// The per-example KL sums over every axis but the first; None returns it (N), Mean averages it over the batch
// (the usual VAE term), Sum adds it up.
Tensor gaussian_kl(const Tensor& mu, const Tensor& logvar, Reduction reduction = Reduction::Mean);

// Stops a training loop that has diverged: throws Error "WHAT diverged: the loss is nan at epoch E of EPOCHS, batch
// B of BATCHES (learning rate LR)" when `loss` (the scalar the loop already read for its progress) is NaN or
// infinite; does nothing otherwise. Epochs and batches count from 1.
void check_loss_finite(double loss, const std::string& what, int64_t epoch, int64_t epochs, int64_t batch,
                       int64_t batches, double lr);

}  // namespace mxai::nn
