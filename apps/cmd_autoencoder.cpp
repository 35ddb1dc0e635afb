// `mxai train-autoencoder`: the manifold estimate for real images.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "apps/cli.h"
#include "apps/commands.h"
#include "apps/training_commands.h"
#include "autodiff/ops.h"
#include "datasets/image_write.h"
#include "datasets/registry.h"
#include "experiments/manifold_stages.h"
#include "experiments/progress.h"
#include "vae/batching.h"

namespace mxai::cmd {

int train_autoencoder(const Args& args) {
  cli::Options opts("train-autoencoder",
                    "Train a convolutional autoencoder with a k-dimensional bottleneck; its decoder's tangent "
                    "spaces estimate the data manifold of real images.");
  opts.value("data", "fashion-mnist", "data set: " + known_dataset_names())
      .value("image-size", "0", "resize images to this square size, a multiple of 4 (0: the data set's default)",
             cli::Int::between(0, 4096))
      .value("latent-dim", "16", "bottleneck size k (the tangent-space dimension)", cli::Int::at_least(1))
      .value("width", "16", "channels of the first conv (the second has twice as many)", cli::Int::at_least(1))
      .value("hidden", "256", "width of the fully-connected layer next to the bottleneck", cli::Int::at_least(1))
      .value("epochs", "5", "training epochs", cli::Int::at_least(1))
      .value("batch-size", "64", "images per step", cli::Int::at_least(1))
      .value("lr", "0.001", "Adam learning rate", cli::Real::above(0))
      .value("loss", "mse", "reconstruction loss: mse or l1")
      .value("seed", "0", "random seed (initialisation, shuffling)", cli::Int::at_least(0))
      .value("out", "", "output model file (.safetensors); required")
      .value("figures", "", "PNG of test images (odd rows) and reconstructions (even rows) "
                            "(default: --out with _reconstructions.png; 'none' to skip)")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("out").empty()) throw Error("--out FILE.safetensors is required");
  const auto start = std::chrono::steady_clock::now();
  const auto [train, test] = load_train_and_test(opts.str("data"), opts.integer("image-size"));
  experiments::AutoencoderStageOptions o;
  o.latent_dim = opts.integer("latent-dim");
  o.width = opts.integer("width");
  o.hidden = opts.integer("hidden");
  o.loss = opts.str("loss");
  read_training_options(opts, o);
  std::printf("training an autoencoder (k = %lld) on %s\n", static_cast<long long>(o.latent_dim),
              training_data_summary(train).c_str());
  std::fflush(stdout);
  const experiments::TrainedAutoencoder trained = experiments::train_autoencoder_stage(train, test, o, opts.str("out"));
  std::printf("test reconstruction MSE %s per pixel on %lld images (%s)\n", trained.metadata.at("test_mse").c_str(),
              static_cast<long long>(test.size()), test.name.c_str());
  std::string png = opts.str("figures");
  if (png.empty()) {
    const std::string out = opts.str("out");
    const size_t dot = out.rfind('.');
    png = (dot == std::string::npos ? out : out.substr(0, dot)) + "_reconstructions.png";
  }
  if (png != "none") {
    const int64_t shown = std::min<int64_t>(32, test.size()) / 8 * 8;
    const Tensor originals = vae::slice_rows(test.images, 0, shown);
    const Tensor recon = vae::reconstruct(*trained.model, originals);
    std::vector<Tensor> rows;
    for (int64_t r = 0; r < shown / 8; ++r) {
      rows.push_back(narrow(originals, 0, r * 8, 8));
      rows.push_back(narrow(recon, 0, r * 8, 8));
    }
    if (!rows.empty()) {
      write_png_grid(png, concat(rows, 0), 8);
      std::printf("wrote %s\n", png.c_str());
    }
  }
  std::printf("%s, %lld parameters, wall time %s\n", opts.str("out").c_str(),
              static_cast<long long>(trained.model->num_parameters()),
              format_duration(seconds_since(start)).c_str());
  return 0;
}

}  // namespace mxai::cmd
