// PyTorch's default parameter initialisations, drawn from an explicit Generator so they depend only on the seed.
#pragma once

#include "autodiff/random.h"
#include "autodiff/tensor.h"

namespace mxai::nn {

// PyTorch's fan_in: weight.size(1) times the kernel area. For a ConvTranspose2d weight (C_in, C_out, KH, KW) that
// is C_out*KH*KW, as torch.nn.init._calculate_fan_in_and_fan_out computes it.
int64_t fan_in(const Tensor& weight);

// Fills t in place with U(-bound, bound).
void uniform_(Tensor& t, double bound, Generator& gen);

// kaiming_uniform_(w, a): U(-b, b) with b = sqrt(6 / ((1 + a^2) fan_in)). PyTorch's Linear and Conv layers use
// a = sqrt(5), which gives b = 1/sqrt(fan_in).
void kaiming_uniform_(Tensor& weight, double a, Generator& gen);

// fan_out: weight.size(0) times the kernel area (torch.nn.init._calculate_fan_in_and_fan_out).
int64_t fan_out(const Tensor& weight);

// xavier_uniform_(w, gain): U(-b, b) with b = gain sqrt(6 / (fan_in + fan_out)). SimpleNetV1 uses gain sqrt(2)
// (calculate_gain('relu')).
void xavier_uniform_(Tensor& weight, double gain, Generator& gen);

// The default Linear/Conv initialisation: the weight by kaiming_uniform_(a=sqrt(5)), the bias (if defined) by
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
void default_weight_bias_init(Tensor& weight, Tensor& bias, Generator& gen);

}  // namespace mxai::nn
