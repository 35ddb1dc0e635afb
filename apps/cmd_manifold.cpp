// `mxai make-manifold-dataset`: the generated data set with exact tangent spaces.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "apps/cli.h"
#include "apps/commands.h"
#include "apps/training_commands.h"
#include "experiments/classifier_training.h"
#include "experiments/manifold_stages.h"
#include "experiments/progress.h"

namespace mxai::cmd {

int make_manifold_dataset(const Args& args) {
  cli::Options opts("make-manifold-dataset",
                    "Sample a labelled data set from a VAE's decoder by rejection sampling (accept with probability "
                    "max softmax^2 of a labeler), with exact tangent bases for the test split.");
  opts.value("vae", "", "VAE file from train-vae; required")
      .value("labeler", "", "classifier file labelling decoded images (default: train one, saved as "
                            "DIR/labeler.safetensors)")
      .value("labeler-data", "mnist", "real digits the default labeler is trained on (as VAE reconstructions)")
      .value("labeler-arch", "lenet", "architecture of the default labeler")
      .value("labeler-epochs", "3", "training epochs of the default labeler", cli::Int::at_least(1))
      .value("labeler-batch-size", "128", "batch size of the default labeler (the reference: 64)", cli::Int::at_least(1))
      .value("labeler-lr", "0.001", "Adam learning rate of the default labeler", cli::Real::above(0))
      .value("labeler-schedule", "cosine", "its schedule: cosine or constant (the reference)")
      .value("n-train", "20000", "training images", cli::Int::at_least(1))
      .value("n-test", "2000", "test images (these get tangent bases)", cli::Int::at_least(1))
      .value("batch-size", "512", "latent codes decoded and labelled per sampling round", cli::Int::at_least(1))
      .value("image-size", "0", "upsample the decodes bilinearly to SxS after labelling, with the tangent spaces "
                                "of the composed decoder (MNIST256: 256); 0 keeps the decoder's size",
             cli::Int::between(0, 1024))
      .value("seed", "0", "random seed (train split: seed, test split: seed + 1)", cli::Int::at_least(0))
      .value("out", "", "output directory: train.safetensors, test.safetensors; required")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("vae").empty()) throw Error("--vae FILE.safetensors is required");
  if (opts.str("out").empty()) throw Error("--out DIR is required");
  const auto start = std::chrono::steady_clock::now();
  const std::string dir = opts.str("out");
  const uint64_t seed = static_cast<uint64_t>(opts.integer("seed"));
  const bool quiet = opts.has("quiet");
  const experiments::TrainedVae vae = experiments::load_vae(opts.str("vae"));

  std::string labeler_file = opts.str("labeler");
  experiments::TrainedClassifier labeler;
  if (labeler_file.empty()) {
    std::filesystem::create_directories(dir);
    labeler_file = (std::filesystem::path(dir) / "labeler.safetensors").string();
    const auto [real_train, real_test] = load_train_and_test(opts.str("labeler-data"), vae.model->image_size);
    experiments::LabelerStageOptions lo;
    lo.arch = opts.str("labeler-arch");
    lo.epochs = opts.integer("labeler-epochs");
    lo.batch_size = opts.integer("labeler-batch-size");
    lo.lr = opts.number("labeler-lr");
    lo.schedule = opts.str("labeler-schedule");
    lo.seed = seed;
    lo.quiet = quiet;
    std::printf("training a %s labeler on VAE reconstructions of %s (%lld images)\n", lo.arch.c_str(),
                real_train.name.c_str(), static_cast<long long>(real_train.size()));
    std::fflush(stdout);
    const auto labeler_start = std::chrono::steady_clock::now();
    labeler = experiments::train_labeler_stage(*vae.model, real_train, real_test, lo, labeler_file);
    std::printf("labeler: accuracy %.2f%% on reconstructed %s; %s (%s)\n",
                100 * std::stod(labeler.metadata.at("test_accuracy")), real_test.name.c_str(), labeler_file.c_str(),
                format_duration(seconds_since(labeler_start)).c_str());
    std::fflush(stdout);
  } else {
    labeler = experiments::load_classifier(labeler_file);
  }
  if (labeler.image_size != vae.model->image_size)
    throw Error("the labeler '" + labeler_file + "' takes " + std::to_string(labeler.image_size) +
                "-pixel images but the VAE decodes " + std::to_string(vae.model->image_size));

  experiments::ManifoldDatasetOptions o;
  o.n_train = opts.integer("n-train");
  o.n_test = opts.integer("n-test");
  o.batch_size = opts.integer("batch-size");
  o.image_size = opts.integer("image-size");
  o.seed = seed;
  o.quiet = quiet;
  o.vae_file = opts.str("vae");
  o.labeler_file = labeler_file;
  const experiments::ManifoldDatasetFiles files = experiments::make_manifold_dataset(*vae.model, *labeler.model, dir, o);
  std::string ranks;
  for (size_t r = 0; r < files.rank_histogram.size(); ++r)
    if (files.rank_histogram[r]) ranks += (ranks.empty() ? "" : ", ") + std::to_string(r) + ": " + std::to_string(files.rank_histogram[r]);
  std::printf("sampled %lld + %lld images in %.1fs, acceptance %.3f; tangent bases of %lld test points in %.2fs "
              "(ranks %s)\n",
              static_cast<long long>(o.n_train), static_cast<long long>(o.n_test), files.seconds_sampling,
              files.acceptance, static_cast<long long>(o.n_test), files.seconds_tangent, ranks.c_str());
  std::printf("wrote %s and %s, wall time %s\n", files.train.c_str(), files.test.c_str(),
              format_duration(seconds_since(start)).c_str());
  return 0;
}

}  // namespace mxai::cmd
