// Decoder Jacobians dx/dz (1024 x 10) of the Burgess VAE decoder (with its sigmoid) at 64 latent points, by mxai's
// fastest method (vae::decoder_jacobian). Compared against the best of PyTorch's variants.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "bench/workloads.h"
#include "vae/burgess_vae.h"
#include "vae/tangent_space.h"

namespace mxai::bench {

namespace {

constexpr int64_t kPoints = 64, kLatent = 10, kPixels = 1024;

// The Jacobian at one point by plain reverse mode: the point replicated once per pixel, one backward with the
// identity as cotangent; row i of the result is J^T e_i. Returns (1024, 10).
Tensor reverse_jacobian(const vae::Decoder& decoder, const Tensor& z_point) {
  Tensor z = Tensor::empty({kPixels, kLatent});
  for (int64_t i = 0; i < kPixels; ++i) std::copy(z_point.data(), z_point.data() + kLatent, z.data() + i * kLatent);
  z.requires_grad_();
  const Tensor x = reshape(decoder(z), {kPixels, kPixels});
  Tensor eye = Tensor::zeros({kPixels, kPixels});
  for (int64_t i = 0; i < kPixels; ++i) eye.data()[i * kPixels + i] = 1;
  return grad({x}, {z}, {eye})[0];
}

void check_against_reverse(const vae::Decoder& decoder, const Tensor& Z, const Tensor& J) {
  double max_diff = 0, max_ref = 0;
  for (int64_t p = 0; p < 2; ++p) {
    const Tensor ref = reverse_jacobian(decoder, narrow(Z, 0, p, 1));
    for (int64_t i = 0; i < kPixels * kLatent; ++i) {
      max_diff = std::max(max_diff, double(std::abs(J.data()[p * kPixels * kLatent + i] - ref.data()[i])));
      max_ref = std::max(max_ref, double(std::abs(ref.data()[i])));
    }
  }
  char line[200];
  std::snprintf(line, sizeof line,
                "[check] decoder_jacobian: max|J - J_reverse| = %.3e  (max|J_reverse| = %.3e, first 2 points)",
                max_diff, max_ref);
  log(line);
}

}  // namespace

Workload setup_decoder_jacobian() {
  Generator gen(0);
  auto model = std::make_shared<vae::BurgessVAE>(1, 32, gen, kLatent);
  model->eval();
  for (Tensor p : model->decoder->parameters()) p.requires_grad_(false);
  const vae::Decoder decoder = [model](const Tensor& z) { return model->decode(z); };
  auto Z = std::make_shared<Tensor>(randn({kPoints, kLatent}, gen));
  check_against_reverse(decoder, *Z, vae::decoder_jacobian(decoder, *Z, kPoints));
  return {[=] { vae::decoder_jacobian(decoder, *Z, kPoints); }, double(kPoints), "jacobians/s", {}};
}

}  // namespace mxai::bench
