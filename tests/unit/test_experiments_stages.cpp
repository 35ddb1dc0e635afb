// The pipeline's stages (experiments/) at toy size: a few random images, one epoch. Each writes the files it
// promises, in the format its loader reads back, with the settings in the metadata.
#include <catch2/catch.hpp>

#include <filesystem>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "autodiff/resize.h"
#include "experiments/classifier_training.h"
#include "experiments/manifold_stages.h"
#include "nn/model_file.h"
#include "test_datasets_helpers.h"
#include "test_torch_oracle.h"

using namespace mxai;
using namespace mxai::experiments;
using mxai_test::TempDir;

namespace {

// n random images (n,C,S,S) in [0,1] with labels cycling through `classes`.
Dataset toy_dataset(int64_t n, int64_t channels, int64_t side, int64_t classes, uint64_t seed) {
  Generator gen(seed);
  Dataset data;
  data.name = "toy";
  data.images = rand({n, channels, side, side}, gen);
  for (int64_t i = 0; i < n; ++i) data.labels.push_back(i % classes);
  data.num_classes = classes;
  return data;
}

}  // namespace

TEST_CASE("train_classifier returns an eval-mode LeNet that load_classifier rebuilds", "[experiments]") {
  TempDir dir;
  const Dataset train = toy_dataset(16, 1, 32, 10, 1);
  TrainClassifierOptions o;
  o.epochs = 1;
  o.batch_size = 8;
  o.quiet = true;
  const TrainedClassifier trained = train_classifier(train, o);
  CHECK(trained.image_size == 32);
  CHECK(trained.metadata.at("arch") == "lenet");
  const double accuracy = classification_accuracy(*trained.model, train);
  CHECK(accuracy >= 0.0);
  CHECK(accuracy <= 1.0);

  nn::save_module(*trained.model, dir.file("lenet.safetensors"), trained.metadata);
  const TrainedClassifier loaded = load_classifier(dir.file("lenet.safetensors"));
  const Tensor x = narrow(train.images, 0, 0, 4);
  const Tensor a = trained.model->forward(x), b = loaded.model->forward(x);
  REQUIRE(a.shape() == Shape{4, 10});
  REQUIRE(b.shape() == Shape{4, 10});
  for (int64_t i = 0; i < a.numel(); ++i) CHECK(a.data()[i] == b.data()[i]);
}

TEST_CASE("the VAE, labeler and generation stages write a manifold split with tangent bases", "[experiments]") {
  TempDir dir;
  const Dataset real_train = toy_dataset(64, 1, 32, 10, 2), real_test = toy_dataset(8, 1, 32, 10, 3);  // one batch

  VaeStageOptions vo;
  vo.latent_dim = 2;
  vo.epochs = 1;
  vo.quiet = true;
  const TrainedVae vae = train_vae_stage(real_train, real_test, vo, dir.file("vae.safetensors"));
  const TrainedVae loaded_vae = load_vae(dir.file("vae.safetensors"));
  CHECK(loaded_vae.metadata.at("latent_dim") == "2");
  CHECK(loaded_vae.metadata.count("test_elbo") == 1);
  CHECK(vae_decoder(loaded_vae.model)(Tensor::zeros({3, 2})).shape() == Shape{3, 1, 32, 32});

  LabelerStageOptions lo;
  lo.epochs = 1;
  lo.quiet = true;
  train_labeler_stage(*vae.model, real_train, real_test, lo, dir.file("labeler.safetensors"));
  const TrainedClassifier labeler = load_classifier(dir.file("labeler.safetensors"));
  CHECK(labeler.metadata.count("test_accuracy") == 1);

  ManifoldDatasetOptions mo;
  mo.n_train = 6;
  mo.n_test = 4;
  mo.batch_size = 64;
  mo.quiet = true;
  const std::string data_dir = dir.file("data");
  const ManifoldDatasetFiles files = make_manifold_dataset(*vae.model, *labeler.model, data_dir, mo);
  CHECK(files.acceptance > 0);
  CHECK(files.acceptance <= 1);
  CHECK(files.rank_histogram.size() == 3);  // ranks 0..k, k = 2

  const ManifoldSplit train = load_manifold_split(files.train), test = load_manifold_split(files.test);
  CHECK(train.data.images.shape() == Shape{6, 1, 32, 32});
  CHECK_FALSE(train.tangent.defined());
  CHECK(test.data.images.shape() == Shape{4, 1, 32, 32});
  CHECK(test.tangent.shape() == Shape{4, 1024, 2});
  CHECK(test.z.shape() == Shape{4, 2});
  CHECK(test.rank.size() == 4);
  CHECK(is_manifold_split_file(files.test));
  CHECK_FALSE(is_manifold_split_file(dir.file("vae.safetensors")));
  CHECK(manifold_split_path(data_dir, "train") == files.train);
  CHECK(manifold_split_path(files.test, "train") == files.train);
  CHECK(manifold_split_path("mnist", "train").empty());

  // MNIST256-style: the same codes (same seed), labelled at 32x32, images and tangents of the upsampled decoder.
  mo.image_size = 48;
  const ManifoldDatasetFiles big = make_manifold_dataset(*vae.model, *labeler.model, dir.file("data48"), mo);
  const ManifoldSplit big_test = load_manifold_split(big.test);
  CHECK(big_test.data.images.shape() == Shape{4, 1, 48, 48});
  CHECK(big_test.tangent.shape() == Shape{4, 48 * 48, 2});
  CHECK(big_test.data.labels == test.data.labels);
  CHECK(mxai_test::max_abs_difference(big_test.z, test.z) == 0);
  CHECK(mxai_test::max_abs_difference(big_test.data.images, upsample_bilinear2d(test.data.images, 48, 48)) < 1e-6);
  CHECK(big_test.metadata.at("upsampled_from") == "32");
}

TEST_CASE("the autoencoder stage saves a model whose reconstructions keep the data's shape and labels",
          "[experiments]") {
  TempDir dir;
  const Dataset train = toy_dataset(8, 1, 28, 10, 4), test = toy_dataset(4, 1, 28, 10, 5);
  AutoencoderStageOptions o;
  o.latent_dim = 3;
  o.width = 4;
  o.hidden = 16;
  o.epochs = 1;
  o.batch_size = 4;
  o.quiet = true;
  train_autoencoder_stage(train, test, o, dir.file("ae.safetensors"));
  const TrainedAutoencoder ae = load_autoencoder(dir.file("ae.safetensors"));
  CHECK(ae.metadata.at("latent_dim") == "3");
  CHECK(ae.metadata.count("test_mse") == 1);

  const Dataset reconstructed = reconstruct_dataset(*ae.model, test);
  CHECK(reconstructed.images.shape() == test.images.shape());
  CHECK(reconstructed.labels == test.labels);
  CHECK(reconstructed.name == "toy/reconstructed");
  CHECK(autoencoder_decoder(ae.model)(Tensor::zeros({2, 3})).shape() == Shape{2, 1, 28, 28});
}
