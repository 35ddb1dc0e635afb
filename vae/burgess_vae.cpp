#include "vae/burgess_vae.h"

#include <string>
#include <tuple>

#include "autodiff/ops.h"
#include "nn/init.h"

namespace mxai::vae {

namespace {

constexpr int64_t kHidden = 32, kKernel = 4, kDense = 256, kBottleneckSide = 4;
constexpr int64_t kFlat = kHidden * kBottleneckSide * kBottleneckSide;  // 512

void check_geometry(int64_t channels, int64_t image_size, int64_t latent_dim) {
  if (image_size != 32 && image_size != 64)
    throw Error("BurgessVAE supports 32x32 and 64x64 images only, got side " + std::to_string(image_size));
  if (channels < 1 || latent_dim < 1)
    throw Error("BurgessVAE needs channels >= 1 and latent_dim >= 1, got " + std::to_string(channels) + " and " +
                std::to_string(latent_dim));
}

std::shared_ptr<nn::Conv2d> down(int64_t in, int64_t out, Generator& init) {
  nn::Conv2dOptions o;
  o.stride = 2;
  o.padding = 1;
  return std::make_shared<nn::Conv2d>(in, out, kKernel, init, o);
}

std::shared_ptr<nn::ConvTranspose2d> up(int64_t in, int64_t out, Generator& init) {
  nn::ConvTranspose2dOptions o;
  o.stride = 2;
  o.padding = 1;
  return std::make_shared<nn::ConvTranspose2d>(in, out, kKernel, init, o);
}

}  // namespace

std::pair<Tensor, Tensor> split_interleaved(const Tensor& mu_logvar) {
  if (mu_logvar.dim() != 2 || mu_logvar.size(1) % 2 != 0)
    throw Error("split_interleaved expects (N,2k), got " + shape_str(mu_logvar.shape()));
  const int64_t n = mu_logvar.size(0), k = mu_logvar.size(1) / 2;
  const Tensor pairs = reshape(mu_logvar, {n, k, 2});
  return {reshape(narrow(pairs, 2, 0, 1), {n, k}), reshape(narrow(pairs, 2, 1, 1), {n, k})};
}

BurgessEncoder::BurgessEncoder(int64_t c, int64_t side, int64_t k, Generator& init)
    : channels(c), image_size(side), latent_dim(k) {
  check_geometry(c, side, k);
  // Registration order is the reference's, so parameters enumerate (and draw from `init`) in its order.
  conv1 = register_module("conv1", down(c, kHidden, init));
  conv2 = register_module("conv2", down(kHidden, kHidden, init));
  conv3 = register_module("conv3", down(kHidden, kHidden, init));
  if (side == 64) conv_64 = register_module("conv_64", down(kHidden, kHidden, init));
  lin1 = register_module("lin1", std::make_shared<nn::Linear>(kFlat, kDense, init));
  lin2 = register_module("lin2", std::make_shared<nn::Linear>(kDense, kDense, init));
  mu_logvar_gen = register_module("mu_logvar_gen", std::make_shared<nn::Linear>(kDense, 2 * k, init));
}

Tensor BurgessEncoder::forward(const Tensor& x) {
  if (x.dim() != 4 || x.size(1) != channels || x.size(2) != image_size || x.size(3) != image_size)
    throw Error("BurgessEncoder expects (N," + std::to_string(channels) + "," + std::to_string(image_size) + "," +
                std::to_string(image_size) + "), got " + shape_str(x.shape()));
  Tensor h = relu(conv1->forward(x));
  h = relu(conv2->forward(h));
  h = relu(conv3->forward(h));
  if (conv_64) h = relu(conv_64->forward(h));
  h = relu(lin1->forward(flatten(h, 1)));
  h = relu(lin2->forward(h));
  return mu_logvar_gen->forward(h);
}

BurgessDecoder::BurgessDecoder(int64_t c, int64_t side, int64_t k, Generator& init)
    : channels(c), image_size(side), latent_dim(k) {
  check_geometry(c, side, k);
  lin1 = register_module("lin1", std::make_shared<nn::Linear>(k, kDense, init));
  lin2 = register_module("lin2", std::make_shared<nn::Linear>(kDense, kDense, init));
  lin3 = register_module("lin3", std::make_shared<nn::Linear>(kDense, kFlat, init));
  if (side == 64) convT_64 = register_module("convT_64", up(kHidden, kHidden, init));
  convT1 = register_module("convT1", up(kHidden, kHidden, init));
  convT2 = register_module("convT2", up(kHidden, kHidden, init));
  convT3 = register_module("convT3", up(kHidden, c, init));
}

Tensor BurgessDecoder::forward(const Tensor& z) {
  if (z.dim() != 2 || z.size(1) != latent_dim)
    throw Error("BurgessDecoder expects z (N," + std::to_string(latent_dim) + "), got " + shape_str(z.shape()));
  Tensor h = relu(lin1->forward(z));
  h = relu(lin2->forward(h));
  h = relu(lin3->forward(h));
  h = reshape(h, {z.size(0), kHidden, kBottleneckSide, kBottleneckSide});
  if (convT_64) h = relu(convT_64->forward(h));
  h = relu(convT1->forward(h));
  h = relu(convT2->forward(h));
  return convT3->forward(h);
}

BurgessVAE::BurgessVAE(int64_t c, int64_t side, Generator& init, int64_t k, Init init_kind)
    : channels(c), image_size(side), latent_dim(k), sample_gen_(init.next_u64()) {
  encoder = register_module("encoder", std::make_shared<BurgessEncoder>(c, side, k, init));
  decoder = register_module("decoder", std::make_shared<BurgessDecoder>(c, side, k, init));
  if (init_kind == Init::Reference) {
    // Only weights are re-drawn (kaiming_uniform_ with a = 0, i.e. the ReLU gain); the reference leaves biases
    // at the layer defaults drawn above.
    for (auto& [name, slot] : parameter_slots())
      if (name.size() >= 7 && name.compare(name.size() - 7, 7, ".weight") == 0)
        nn::kaiming_uniform_(*slot, 0.0, init);
  }
}

std::pair<Tensor, Tensor> BurgessVAE::encode(const Tensor& x) { return split_interleaved(encoder->forward(x)); }

Tensor BurgessVAE::decode_logits(const Tensor& z) { return decoder->forward(z); }

Tensor BurgessVAE::decode(const Tensor& z) { return sigmoid(decoder->forward(z)); }

Tensor BurgessVAE::reparameterize(const Tensor& mu, const Tensor& logvar, Generator& gen, bool training) {
  if (!training) return mu;
  const Tensor eps = randn(mu.shape(), gen);
  return mu + exp(logvar * real(0.5)) * eps;
}

BurgessVAE::Output BurgessVAE::forward_full(const Tensor& x, Generator& gen) {
  Output out;
  std::tie(out.mu, out.logvar) = encode(x);
  out.z = reparameterize(out.mu, out.logvar, gen, is_training());
  out.logits = decode_logits(out.z);
  return out;
}

Tensor BurgessVAE::forward(const Tensor& x) { return sigmoid(forward_full(x, sample_gen_).logits); }

}  // namespace mxai::vae
