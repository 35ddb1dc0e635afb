#include "nn/init.h"

#include <cmath>

namespace mxai::nn {

namespace {

// The weight's size along `axis` times its kernel area (the axes after the first two).
int64_t fan_along(const Tensor& weight, int64_t axis, const char* what) {
  if (weight.dim() < 2)
    throw Error(std::string(what) + " needs a weight with at least 2 axes, got shape " + shape_str(weight.shape()));
  int64_t fan = weight.size(axis);
  for (int64_t a = 2; a < weight.dim(); ++a) fan *= weight.size(a);
  return fan;
}

}  // namespace

int64_t fan_in(const Tensor& weight) { return fan_along(weight, 1, "fan_in"); }

int64_t fan_out(const Tensor& weight) { return fan_along(weight, 0, "fan_out"); }

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
