#include "vae/conv_autoencoder.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/losses.h"
#include "nn/optim.h"
#include "vae/batching.h"

namespace mxai::vae {

namespace {

constexpr int64_t kKernel = 4;

void check_shape(const AutoencoderShape& s) {
  if (s.channels < 1 || s.latent_dim < 1 || s.width < 1 || s.hidden < 1)
    throw Error("ConvAutoencoder: channels, latent_dim, width and hidden must be >= 1");
  if (s.image_size < 4 || s.image_size % 4 != 0)
    throw Error("ConvAutoencoder: image side must be a positive multiple of 4, got " + std::to_string(s.image_size));
}

int64_t bottleneck_side(const AutoencoderShape& s) { return s.image_size / 4; }
int64_t flat_size(const AutoencoderShape& s) { return 2 * s.width * bottleneck_side(s) * bottleneck_side(s); }

nn::Conv2dOptions halving() {
  nn::Conv2dOptions o;
  o.stride = 2;
  o.padding = 1;
  return o;
}

nn::ConvTranspose2dOptions doubling() {
  nn::ConvTranspose2dOptions o;
  o.stride = 2;
  o.padding = 1;
  return o;
}

}  // namespace

AutoencoderEncoder::AutoencoderEncoder(const AutoencoderShape& s, Generator& init) : shape(s) {
  check_shape(s);
  conv1 = register_module("conv1", std::make_shared<nn::Conv2d>(s.channels, s.width, kKernel, init, halving()));
  conv2 = register_module("conv2", std::make_shared<nn::Conv2d>(s.width, 2 * s.width, kKernel, init, halving()));
  fc1 = register_module("fc1", std::make_shared<nn::Linear>(flat_size(s), s.hidden, init));
  fc2 = register_module("fc2", std::make_shared<nn::Linear>(s.hidden, s.latent_dim, init));
}

Tensor AutoencoderEncoder::forward(const Tensor& x) {
  if (x.dim() != 4 || x.size(1) != shape.channels || x.size(2) != shape.image_size || x.size(3) != shape.image_size)
    throw Error("ConvAutoencoder expects images (N," + std::to_string(shape.channels) + "," +
                std::to_string(shape.image_size) + "," + std::to_string(shape.image_size) + "), got " +
                shape_str(x.shape()));
  Tensor h = relu(conv1->forward(x));
  h = relu(conv2->forward(h));
  h = relu(fc1->forward(flatten(h, 1)));
  return fc2->forward(h);
}

AutoencoderDecoder::AutoencoderDecoder(const AutoencoderShape& s, Generator& init) : shape(s) {
  check_shape(s);
  fc1 = register_module("fc1", std::make_shared<nn::Linear>(s.latent_dim, s.hidden, init));
  fc2 = register_module("fc2", std::make_shared<nn::Linear>(s.hidden, flat_size(s), init));
  convT1 = register_module("convT1",
                           std::make_shared<nn::ConvTranspose2d>(2 * s.width, s.width, kKernel, init, doubling()));
  convT2 = register_module("convT2",
                           std::make_shared<nn::ConvTranspose2d>(s.width, s.channels, kKernel, init, doubling()));
}

Tensor AutoencoderDecoder::forward(const Tensor& z) {
  if (z.dim() != 2 || z.size(1) != shape.latent_dim)
    throw Error("ConvAutoencoder decoder expects z (N," + std::to_string(shape.latent_dim) + "), got " +
                shape_str(z.shape()));
  Tensor h = relu(fc1->forward(z));
  h = relu(fc2->forward(h));
  const int64_t side = bottleneck_side(shape);
  h = reshape(h, {z.size(0), 2 * shape.width, side, side});
  h = relu(convT1->forward(h));
  return sigmoid(convT2->forward(h));
}

ConvAutoencoder::ConvAutoencoder(const AutoencoderShape& s, Generator& init) : shape(s) {
  encoder = register_module("encoder", std::make_shared<AutoencoderEncoder>(s, init));
  decoder = register_module("decoder", std::make_shared<AutoencoderDecoder>(s, init));
}

Tensor ConvAutoencoder::forward(const Tensor& x) { return decoder->forward(encoder->forward(x)); }

std::shared_ptr<ConvAutoencoder> train_autoencoder(const Tensor& images, AutoencoderShape shape,
                                                   const AutoencoderTrainOptions& o) {
  if (images.dim() != 4 || images.size(2) != images.size(3))
    throw Error("train_autoencoder: expected square images (N,C,S,S), got " + shape_str(images.shape()));
  if (o.batch_size < 1 || o.epochs < 0) throw Error("train_autoencoder: batch_size >= 1 and epochs >= 0 needed");
  shape.channels = images.size(1);
  shape.image_size = images.size(2);
  Generator init(o.seed), order_gen(o.seed ^ 0x0dd5eedULL);
  auto model = std::make_shared<ConvAutoencoder>(shape, init);
  nn::AdamOptions adam;
  adam.lr = o.lr;
  nn::Adam optimizer(model->parameters(), adam);
  const int64_t n = images.size(0), steps = (n + o.batch_size - 1) / o.batch_size;
  model->train();
  for (int64_t epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<int64_t> order = shuffled_indices(n, order_gen);
    double loss_sum = 0;
    int64_t seen = 0;
    for (int64_t s = 0; s < steps; ++s) {
      const int64_t count = std::min(o.batch_size, n - s * o.batch_size);
      // This rank's rows of the batch (all of them with one rank); its mean loss weighted by its share.
      const nn::RowRange mine = o.parallel.rows(count);
      optimizer.zero_grad();
      Tensor loss;
      double loss_value = 0;
      if (mine.count > 0) {
        const Tensor x = gather_rows(images, order, s * o.batch_size + mine.begin, mine.count);
        const Tensor y = model->forward(x);
        loss = o.loss == ReconstructionLoss::MSE ? nn::mse_loss(y, x) : nn::l1_loss(y, x);
        if (o.parallel.active()) loss = loss * static_cast<real>(o.parallel.loss_weight(count));
        loss_value = loss.item();
      }
      loss_value = o.parallel.sum(loss_value);
      nn::check_loss_finite(loss_value, o.what, epoch, o.epochs, s + 1, steps, o.lr);
      if (loss.defined()) loss.backward();
      o.parallel.sum_gradients(model->parameters());
      optimizer.step();
      loss_sum += loss_value * static_cast<double>(count);
      seen += count;
      if (o.on_step) o.on_step(s + 1, steps, loss_sum / static_cast<double>(seen));
    }
    if (o.on_epoch)
      o.on_epoch(epoch, o.epochs, seen ? loss_sum / static_cast<double>(seen) : 0,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  model->eval();
  return model;
}

namespace {

// f applied to rows (N,...) in batches of 256 without a graph; the results concatenated along axis 0.
template <class F>
Tensor batched(const Tensor& rows, F&& f) {
  NoGradGuard no_grad;
  const int64_t n = rows.size(0), batch = 256;
  std::vector<Tensor> parts;
  for (int64_t begin = 0; begin < n; begin += batch) parts.push_back(f(slice_rows(rows, begin, std::min(batch, n - begin))));
  if (parts.empty()) throw Error("autoencoder: no images");
  return parts.size() == 1 ? parts[0] : concat(parts, 0);
}

}  // namespace

Tensor reconstruct(ConvAutoencoder& ae, const Tensor& images) {
  return batched(images, [&](const Tensor& x) { return ae.forward(x); });
}

Tensor encode_all(ConvAutoencoder& ae, const Tensor& images) {
  return batched(images, [&](const Tensor& x) { return ae.encode(x); });
}

double reconstruction_mse(ConvAutoencoder& ae, const Tensor& images) {
  NoGradGuard no_grad;
  return nn::mse_loss(reconstruct(ae, images), images).item();
}

}  // namespace mxai::vae
