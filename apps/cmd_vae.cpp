// `mxai train-vae` and `mxai tangent-space`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "apps/cli.h"
#include "apps/commands.h"
#include "apps/training_commands.h"
#include "datasets/registry.h"
#include "experiments/manifold_stages.h"
#include "experiments/progress.h"
#include "experiments/shared_tangents.h"
#include "vae/batching.h"

namespace mxai::cmd {

namespace {

std::string without_extension(const std::string& path) {
  const size_t dot = path.rfind('.'), slash = path.rfind('/');
  return dot != std::string::npos && (slash == std::string::npos || dot > slash) ? path.substr(0, dot) : path;
}

std::string rank_histogram(const std::vector<int64_t>& ranks) {
  std::map<int64_t, int64_t> counts;
  for (int64_t r : ranks) ++counts[r];
  std::string s;
  for (const auto& [rank, count] : counts) s += (s.empty() ? "" : ", ") + ("rank " + std::to_string(rank)) + ": " + std::to_string(count);
  return s;
}

// a (N,d,k), b (N,d,k') orthonormal-or-zero columns -> max over points of | ||a^T b||_F^2 - rank | where rank is the
// larger of the two column counts that are non-zero: 0 when both span the same space.
double max_subspace_mismatch(const Tensor& a, const Tensor& b, const std::vector<int64_t>& rank) {
  const int64_t n = a.size(0), d = a.size(1), ka = a.size(2), kb = b.size(2);
  double worst = 0;
  for (int64_t p = 0; p < n; ++p) {
    double frob = 0;
    for (int64_t i = 0; i < ka; ++i)
      for (int64_t j = 0; j < kb; ++j) {
        double dot = 0;
        for (int64_t r = 0; r < d; ++r) dot += double(a.data()[(p * d + r) * ka + i]) * b.data()[(p * d + r) * kb + j];
        frob += dot * dot;
      }
    worst = std::max(worst, std::abs(frob - static_cast<double>(rank[static_cast<size_t>(p)])));
  }
  return worst;
}

}  // namespace

int train_vae(const Args& args) {
  cli::Options opts("train-vae", "Train the Burgess convolutional VAE (beta-TCVAE or beta-VAE) on images.");
  opts.value("data", "mnist", "data set: " + known_dataset_names() + " (32x32 or 64x64 images)")
      .value("epochs", "30", "training epochs (the reference trains 400 on 60,000 digits)",
             cli::Int::at_least(1))
      .value("latent-dim", "10", "latent size k", cli::Int::at_least(1))
      .value("loss", "btcvae", "btcvae (alpha 1, beta 6, gamma 1) or betavae (beta 1)")
      .value("anneal-steps", "1000", "steps over which the beta-TCVAE dimension-wise KL weight grows 0 -> 1 (reference: 10000 of a 400-epoch run)",
             cli::Int::at_least(0))
      .value("lr", "0.0005", "Adam learning rate", cli::Real::above(0))
      .value("batch-size", "64", "images per step", cli::Int::at_least(1))
      .value("seed", "0", "random seed (initialisation, shuffling, sampling)", cli::Int::at_least(0))
      .value("out", "", "output model file (.safetensors); required")
      .value("figures", "", "PNG prefix: PREFIX_samples.png, _reconstructions.png, _traversals.png "
                            "(default: --out without extension; 'none' to skip)")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("out").empty()) throw Error("--out FILE.safetensors is required");
  const auto start = std::chrono::steady_clock::now();
  const auto [train, test] = load_train_and_test(opts.str("data"), 0);
  experiments::VaeStageOptions o;
  o.latent_dim = opts.integer("latent-dim");
  o.loss = opts.str("loss");
  o.anneal_steps = opts.integer("anneal-steps");
  read_training_options(opts, o);
  std::printf("training a %s VAE (k = %lld) on %s\n", o.loss.c_str(), static_cast<long long>(o.latent_dim),
              training_data_summary(train).c_str());
  std::fflush(stdout);
  const experiments::TrainedVae trained = experiments::train_vae_stage(train, test, o, opts.str("out"));
  std::printf("test ELBO %s nats/image (reconstruction %s + KL %s) on %lld images (%s)\n",
              trained.metadata.at("test_elbo").c_str(), trained.metadata.at("test_reconstruction").c_str(),
              trained.metadata.at("test_kl").c_str(), static_cast<long long>(test.size()), test.name.c_str());
  std::string prefix = opts.str("figures");
  if (prefix.empty()) prefix = without_extension(opts.str("out"));
  if (prefix != "none") {
    for (const std::string& png : experiments::write_vae_figures(*trained.model, test.images, prefix, o.seed))
      std::printf("wrote %s\n", png.c_str());
  }
  std::printf("%s, %lld parameters, wall time %s\n", opts.str("out").c_str(),
              static_cast<long long>(trained.model->num_parameters()), format_duration(seconds_since(start)).c_str());
  return 0;
}

int tangent_space(const Args& args) {
  cli::Options opts("tangent-space",
                    "Compute tangent bases of a decoder's image manifold at the latent codes of a generated split "
                    "(or at Enc(x) of real images with --autoencoder), with timing and ranks.");
  opts.value("vae", "", "VAE file from train-vae (the decoder); or use --autoencoder")
      .value("autoencoder", "", "autoencoder file from train-autoencoder: bases at z = Enc(x) of --data's test split")
      .value("data", "", "a split file from make-manifold-dataset (with --vae), or a data set name (with "
                         "--autoencoder); required")
      .value("n", "1000", "number of points (the first N of the split)", cli::Int::at_least(1))
      .value("rcond", "-1", "relative singular-value cutoff (negative: max(d,k) * float32 eps)", cli::Real::any())
      .value("out", "", "write the points with their bases as a manifold split file (optional)")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("data").empty()) throw Error("--data is required");
  if (opts.str("vae").empty() == opts.str("autoencoder").empty())
    throw Error("give exactly one of --vae FILE and --autoencoder FILE");
  const int64_t want = opts.integer("n");

  vae::Decoder decoder;
  vae::ManifoldSample points;
  Tensor stored_tangent;
  int64_t num_classes = 10;
  if (!opts.str("vae").empty()) {
    const experiments::TrainedVae trained = experiments::load_vae(opts.str("vae"));
    const experiments::ManifoldSplit split = experiments::load_manifold_split(opts.str("data"));
    if (split.z.size(1) != trained.model->latent_dim)
      throw Error("'" + opts.str("data") + "' has latent codes of size " + std::to_string(split.z.size(1)) +
                  " but '" + opts.str("vae") + "' has k = " + std::to_string(trained.model->latent_dim));
    const int64_t n = std::min(want, split.data.size());
    points.z = vae::slice_rows(split.z, 0, n);
    points.images = vae::slice_rows(split.data.images, 0, n);
    points.labels.assign(split.data.labels.begin(), split.data.labels.begin() + n);
    if (split.tangent.defined()) stored_tangent = vae::slice_rows(split.tangent, 0, n);
    num_classes = split.data.num_classes;
    decoder = experiments::vae_decoder(trained.model);
  } else {
    const experiments::TrainedAutoencoder ae = experiments::load_autoencoder(opts.str("autoencoder"));
    LoadOptions load;
    load.image_size = ae.model->shape.image_size;
    const Dataset test = load_dataset(opts.str("data"), "test", load);
    const int64_t n = std::min(want, test.size());
    const Tensor x = vae::slice_rows(test.images, 0, n);
    points.z = vae::encode_all(*ae.model, x);
    points.images = vae::reconstruct(*ae.model, x);
    points.labels.assign(test.labels.begin(), test.labels.begin() + n);
    num_classes = test.num_classes;
    decoder = experiments::autoencoder_decoder(ae.model);
  }
  const int64_t n = points.z.size(0), k = points.z.size(1);
  vae::TangentOptions t;
  t.rcond = opts.number("rcond");
  const auto start = std::chrono::steady_clock::now();
  experiments::add_shared_tangent_spaces(points, decoder, t);
  const double seconds = seconds_since(start);
  std::printf("tangent bases of %lld points (d = %lld, k = %lld): %.2fs (%.2f ms/point)\n", static_cast<long long>(n),
              static_cast<long long>(points.tangent.size(1)), static_cast<long long>(k), seconds, 1000 * seconds / n);
  std::printf("ranks: %s\n", rank_histogram(points.rank).c_str());
  if (stored_tangent.defined()) {
    const double mismatch = max_subspace_mismatch(stored_tangent, points.tangent, points.rank);
    std::printf("against the bases stored in %s: max | ||U_stored^T U||_F^2 - rank | = %.2e (%s)\n",
                opts.str("data").c_str(), mismatch, mismatch < 1e-3 ? "same subspaces" : "DIFFERENT");
  }
  if (!opts.str("out").empty()) {
    points.drawn = n;
    vae::save_manifold_split(opts.str("out"), points, "test", num_classes,
                             {{"source", opts.str("data")},
                              {"decoder", opts.str("vae").empty() ? opts.str("autoencoder") : opts.str("vae")}});
    std::printf("wrote %s\n", opts.str("out").c_str());
  }
  return 0;
}

}  // namespace mxai::cmd
