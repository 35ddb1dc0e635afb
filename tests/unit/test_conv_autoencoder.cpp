// The convolutional autoencoder for real images, and tangent spaces of its decoder.
#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <cmath>

#include "autodiff/ops.h"
#include "explain/tangent_alignment.h"
#include "vae/conv_autoencoder.h"
#include "vae/tangent_space.h"

using namespace mxai;
using namespace mxai::vae;

namespace {

// (n,1,side,side) soft blobs at random positions: smooth images a small autoencoder learns quickly.
Tensor blobs(int64_t n, int64_t side, uint64_t seed) {
  Generator gen(seed);
  Tensor x = Tensor::empty({n, 1, side, side});
  real* p = x.data();
  for (int64_t i = 0; i < n; ++i) {
    const double cr = gen.uniform() * side, cc = gen.uniform() * side, w = 2 + 3 * gen.uniform();
    for (int64_t r = 0; r < side; ++r)
      for (int64_t c = 0; c < side; ++c)
        *p++ = static_cast<real>(std::exp(-((r - cr) * (r - cr) + (c - cc) * (c - cc)) / (2 * w * w)));
  }
  return x;
}

}  // namespace

TEST_CASE("ConvAutoencoder: shapes at 28 and 32, sigmoid output, names, bad sizes throw", "[vae][autoencoder]") {
  for (int64_t side : {28, 32}) {
    Generator init(1);
    AutoencoderShape s;
    s.image_size = side;
    s.latent_dim = 7;
    s.width = 4;
    s.hidden = 32;
    ConvAutoencoder ae(s, init);
    const Tensor x = blobs(3, side, 2);
    const Tensor z = ae.encode(x);
    CHECK(z.shape() == Shape{3, 7});
    const Tensor y = ae.forward(x);
    CHECK(y.shape() == x.shape());
    for (real v : y.to_vector()) CHECK((v > 0 && v < 1));
    CHECK(ae.decode(z).shape() == x.shape());
    const auto names = ae.state_dict();
    CHECK(names.count("encoder.conv1.weight"));
    CHECK(names.count("decoder.convT2.bias"));
    const int64_t flat = 8 * (side / 4) * (side / 4);
    CHECK(names.at("decoder.fc2.weight").shape() == Shape{flat, 32});
    CHECK_THROWS_AS(ae.forward(blobs(1, side + 4, 3)), Error);
    CHECK_THROWS_AS(ae.decode(Tensor::zeros({1, 6})), Error);
  }
  Generator init(1);
  AutoencoderShape bad;
  bad.image_size = 30;
  CHECK_THROWS_AS(ConvAutoencoder(bad, init), Error);
}

TEST_CASE("train_autoencoder lowers the reconstruction error, deterministically", "[vae][autoencoder]") {
  const Tensor x = blobs(128, 28, 4);
  AutoencoderShape s;
  s.latent_dim = 4;
  s.width = 4;
  s.hidden = 64;
  Generator init(9);
  ConvAutoencoder untrained(s, init);
  const double before = reconstruction_mse(untrained, x);
  AutoencoderTrainOptions o;
  o.epochs = 6;
  o.batch_size = 32;
  o.lr = 3e-3;
  o.seed = 9;
  int64_t epochs_seen = 0;
  o.on_epoch = [&](int64_t epoch, int64_t epochs, double loss, double) {
    CHECK(epochs == 6);
    CHECK(std::isfinite(loss));
    epochs_seen = epoch;
  };
  const auto ae = train_autoencoder(x, s, o);
  CHECK(epochs_seen == 6);
  const double after = reconstruction_mse(*ae, x);
  INFO("mse before " << before << " after " << after);
  CHECK(after < 0.5 * before);
  CHECK(reconstruct(*ae, x).shape() == x.shape());
  CHECK(encode_all(*ae, x).shape() == Shape{128, 4});
  o.on_epoch = nullptr;
  o.loss = ReconstructionLoss::L1;
  const auto l1 = train_autoencoder(x, s, o);
  CHECK(reconstruction_mse(*l1, x) < before);
  o.loss = ReconstructionLoss::MSE;
  CHECK(reconstruction_mse(*train_autoencoder(x, s, o), x) == after);  // same seed, same model
}

TEST_CASE("autoencoder decoder tangent spaces: orthonormal, k columns, random fraction ~ sqrt(k/d)",
          "[vae][autoencoder][tangent]") {
  AutoencoderShape s;
  s.latent_dim = 16;
  s.width = 4;
  s.hidden = 64;
  Generator init(11);
  auto ae = std::make_shared<ConvAutoencoder>(s, init);
  ae->eval();
  const Decoder decoder = [ae](const Tensor& z) { return ae->decode(z); };
  const int64_t points = 20, d = 28 * 28, k = 16, per_point = 50;
  const Tensor z = encode_all(*ae, blobs(points, 28, 12));
  const TangentSpace space = tangent_basis(decoder, z);
  REQUIRE(space.basis.shape() == Shape{points, d, k});
  for (int64_t p = 0; p < points; ++p) {
    CHECK(space.rank[p] == k);
    Eigen::MatrixXd u(d, k);
    for (int64_t i = 0; i < d * k; ++i) u(i / k, i % k) = space.basis.data()[p * d * k + i];
    CHECK((u.transpose() * u - Eigen::MatrixXd::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-5);
  }
  // 1,000 Gaussian directions, 50 per tangent space: their mean tangent fraction is sqrt(k/d) to within 5%.
  std::vector<int64_t> repeat;
  for (int64_t p = 0; p < points; ++p)
    for (int64_t r = 0; r < per_point; ++r) repeat.push_back(p);
  Tensor bases = Tensor::empty({points * per_point, d, k});
  for (size_t i = 0; i < repeat.size(); ++i)
    std::copy(space.basis.data() + repeat[i] * d * k, space.basis.data() + (repeat[i] + 1) * d * k,
              bases.data() + static_cast<int64_t>(i) * d * k);
  Generator gen(13);
  const std::vector<double> f = explain::tangent_fraction(randn({points * per_point, d}, gen), bases);
  double mean = 0;
  for (double v : f) mean += v / static_cast<double>(f.size());
  INFO("mean fraction " << mean << " vs sqrt(k/d) " << std::sqrt(double(k) / d));
  CHECK(mean == Approx(std::sqrt(double(k) / d)).epsilon(0.05));
}
