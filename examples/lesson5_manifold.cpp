// Lesson 5: the data manifold and how much of an attribution lies in it.
//
// Bordt et al.'s idea: make images that lie EXACTLY on a known manifold, then ask whether an explanation points
// along it. A decoder g: R^k -> R^d (here a small VAE trained on Fashion-MNIST for a few seconds) draws the
// manifold {g(z)}; at an image g(z) its tangent space is spanned by the columns of the Jacobian J = dg/dz
// (d x k). With U an orthonormal basis of that space, an attribution a has the tangent fraction
// ||U^T a|| / ||a|| in [0, 1]: 1 means a lies in the tangent space; a random direction scores about sqrt(k/d).
//
//   lesson5_manifold [model file=lesson3_lenet.safetensors] [split out=lesson5_manifold.safetensors]
//
// Read along: vae/vae_training.h (train_vae), vae/manifold_dataset.h (sample_manifold: the generated data set),
// vae/tangent_space.h (decoder_jacobian, tangent_basis), explain/tangent_alignment.h (tangent_fraction).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "datasets/registry.h"
#include "explain/integrated_gradients.h"
#include "explain/noise_tunnel.h"
#include "explain/saliency.h"
#include "explain/tangent_alignment.h"
#include "nn/lenet.h"
#include "nn/model_file.h"
#include "vae/manifold_dataset.h"
#include "vae/vae_training.h"

using namespace mxai;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main(int argc, char** argv) {
  const std::string model_file = argc > 1 ? argv[1] : "lesson3_lenet.safetensors";
  const std::string split_file = argc > 2 ? argv[2] : "lesson5_manifold.safetensors";
  const int64_t k = 10, points = 16;

  Generator unused(0);
  auto lenet = std::make_shared<nn::LeNet>(1, 32, 32, 10, unused);
  nn::load_module(*lenet, model_file);
  lenet->eval();
  const explain::Model model = [lenet](const Tensor& x) { return lenet->forward(x); };

  // 1. The decoder: a Burgess VAE with k = 10 latents, 4 epochs over 2,048 training images (128 Adam steps).
  LoadOptions load;
  load.image_size = 32;
  load.size_mode = SizeMode::PadCrop;  // as in lesson 3
  const Tensor images = narrow(load_dataset("fashion-mnist", "train", load).images, 0, 0, 2048);
  vae::VaeTrainOptions training;
  training.epochs = 4;
  const std::shared_ptr<vae::BurgessVAE> vae = vae::train_vae(images, k, training);
  const vae::Decoder decoder = [vae](const Tensor& z) { return vae->decode(z); };  // z (N,k) -> (N,1,32,32)

  // 2. The generated data set: z ~ N(0, I) decoded, labelled by the classifier, kept with probability
  // max(softmax)^2; then an orthonormal tangent basis per image, by SVD of the decoder Jacobian.
  vae::SamplerOptions sampler;
  sampler.seed = 1;
  vae::ManifoldSample sample = vae::sample_manifold(decoder, model, k, points, sampler);
  vae::add_tangent_spaces(sample, decoder);
  const int64_t d = sample.images.numel() / points;
  std::printf("generated %lld images on the manifold (%lld codes drawn); tangent bases %s, rank of the first %lld\n",
              static_cast<long long>(points), static_cast<long long>(sample.drawn),
              shape_str(sample.tangent.shape()).c_str(), static_cast<long long>(sample.rank[0]));

  // 3. What "tangent" means: a small step in latent space, g(z + eps e_0) - g(z), is (to first order) J e_0,
  // a tangent vector. Its tangent fraction must be close to 1; a random pixel direction's is near sqrt(k/d).
  Tensor step = Tensor::zeros(sample.z.shape());
  for (int64_t n = 0; n < points; ++n) step.at({n, 0}) = real(1e-2);
  Tensor moved;
  {
    NoGradGuard no_graph;
    moved = decoder(sample.z + step) - decoder(sample.z);
  }
  Generator noise(2);
  const double tangent_step = median(explain::tangent_fraction(moved, sample.tangent));
  const Tensor random = randn(sample.images.shape(), noise);
  const double random_direction = median(explain::tangent_fraction(random, sample.tangent));
  std::printf("median tangent fraction: latent step %.3f, random direction %.3f (expected for k=%lld, d=%lld: %.3f)\n",
              tangent_step, random_direction, static_cast<long long>(k), static_cast<long long>(d),
              explain::random_expectation_exact(k, d));

  // 4. The attributions of lesson 4 at these images, each for the label the classifier gave it.
  const explain::Saliency gradient(model);
  const explain::IntegratedGradients ig(model);
  const Tensor grad = gradient.attribute(sample.images, sample.labels);
  // The 50 x 16 path points go through the model 100 at a time (Captum's internal_batch_size): in one batch of 800,
  // each layer's activations and gradients were 100-200 MB, and the lesson spent a third of its time in page faults.
  const Tensor ig_zero =
      ig.attribute(sample.images, Tensor(), sample.labels, 50, explain::Quadrature::GaussLegendre, 100).attributions;
  const Tensor smoothgrad = explain::NoiseTunnel(gradient).attribute(
      sample.images, sample.labels, explain::NoiseTunnelType::SmoothGrad, 25, real(0.1), noise);
  std::printf("median tangent fraction over %lld images: gradient %.3f, IG (zero base-point) %.3f, SmoothGrad %.3f\n",
              static_cast<long long>(points), median(explain::tangent_fraction(grad, sample.tangent)),
              median(explain::tangent_fraction(ig_zero, sample.tangent)),
              median(explain::tangent_fraction(smoothgrad, sample.tangent)));

  // Lesson 6 runs TAIG on these images: the file holds images, labels, z and the tangent bases.
  vae::save_manifold_split(split_file, sample, "test", 10);
  std::printf("saved %s\n", split_file.c_str());

  const bool ok = tangent_step > 0.95 && random_direction < 0.3;
  std::printf("%s: a latent step lies in the tangent space, a random direction mostly does not\n",
              ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
