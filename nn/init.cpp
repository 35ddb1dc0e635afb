#include "nn/init.h"

#include <cmath>

namespace mxai::nn {

int64_t fan_in(const Tensor& weight) {
  if (weight.dim() < 2)
    throw Error("fan_in needs a weight with at least 2 axes, got shape " + shape_str(weight.shape()));
  int64_t fan = weight.size(1);
  for (int64_t axis = 2; axis < weight.dim(); ++axis) fan *= weight.size(axis);
  return fan;
}

int64_t fan_out(const Tensor& weight) {
  if (weight.dim() < 2)
    throw Error("fan_out needs a weight with at least 2 axes, got shape " + shape_str(weight.shape()));
  int64_t fan = weight.size(0);
  for (int64_t axis = 2; axis < weight.dim(); ++axis) fan *= weight.size(axis);
  return fan;
}

void uniform_(Tensor& t, double bound, Generator& gen) {
  real* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<real>(-bound + 2 * bound * gen.uniform());
}

void kaiming_uniform_(Tensor& weight, double a, Generator& gen) {
  const int64_t fan = fan_in(weight);
  const double gain = std::sqrt(2.0 / (1.0 + a * a));
  uniform_(weight, fan > 0 ? gain * std::sqrt(3.0 / static_cast<double>(fan)) : 0.0, gen);
}

void xavier_uniform_(Tensor& weight, double gain, Generator& gen) {
  const double fans = static_cast<double>(fan_in(weight) + fan_out(weight));
  uniform_(weight, fans > 0 ? gain * std::sqrt(6.0 / fans) : 0.0, gen);
}

void default_weight_bias_init(Tensor& weight, Tensor& bias, Generator& gen) {
  kaiming_uniform_(weight, std::sqrt(5.0), gen);
  if (bias.defined()) {
    const int64_t fan = fan_in(weight);
    uniform_(bias, fan > 0 ? 1.0 / std::sqrt(static_cast<double>(fan)) : 0.0, gen);
  }
}

}  // namespace mxai::nn
