// Dataset, DataLoader and the geometry transforms.
#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>
#include <set>

#include "datasets/data_loader.h"
#include "datasets/transforms.h"

using namespace mxai;
using Catch::Matchers::Contains;

namespace {

// n single-channel 2x2 images; every pixel of image i equals i / 100, label i % classes.
Dataset numbered_dataset(int64_t n, int64_t classes = 3) {
  Dataset data;
  data.name = "numbered";
  data.num_classes = classes;
  data.images = Tensor::empty({n, 1, 2, 2});
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = 0; k < 4; ++k) data.images.data()[i * 4 + k] = static_cast<real>(i) / 100;
    data.labels.push_back(i % classes);
  }
  return data;
}

}  // namespace

TEST_CASE("Dataset::subset gathers images and labels in the given order", "[datasets]") {
  const Dataset data = numbered_dataset(6);
  const Dataset picked = data.subset({4, 1, 4});
  REQUIRE(picked.images.shape() == Shape{3, 1, 2, 2});
  CHECK(picked.labels == std::vector<int64_t>{1, 1, 1});
  CHECK(picked.images.at({0, 0, 1, 1}) == Approx(0.04));
  CHECK(picked.images.at({1, 0, 0, 0}) == Approx(0.01));
  CHECK(picked.num_classes == 3);
  CHECK_THROWS_WITH(data.subset({6}), Contains("index 6") && Contains("6 images"));
}

TEST_CASE("Dataset::validate reports mismatched counts and labels out of range", "[datasets]") {
  Dataset data = numbered_dataset(4);
  CHECK_NOTHROW(data.validate());
  data.labels.pop_back();
  CHECK_THROWS_WITH(data.validate(), Contains("4 images but 3 labels"));
  data = numbered_dataset(4);
  data.labels[2] = 3;
  CHECK_THROWS_WITH(data.validate(), Contains("label 3 of sample 2") && Contains("[0, 3)"));
  CHECK(class_counts(numbered_dataset(7)) == std::vector<int64_t>{3, 2, 2});
}

TEST_CASE("DataLoader visits every index exactly once per epoch, in batches", "[datasets]") {
  DataLoaderOptions options;
  options.batch_size = 3;
  options.seed = 11;
  DataLoader loader(numbered_dataset(10), options);
  CHECK(loader.num_batches() == 4);
  for (int64_t epoch = 0; epoch < 3; ++epoch) {
    std::vector<int64_t> seen;
    std::vector<int64_t> sizes;
    for (const Batch& batch : loader.epoch(epoch)) {
      sizes.push_back(batch.images.size(0));
      REQUIRE(batch.labels.size() == batch.indices.size());
      for (size_t b = 0; b < batch.indices.size(); ++b) {
        const int64_t index = batch.indices[b];
        // The batch carries the right sample: image value and label both encode the index.
        CHECK(batch.images.at({static_cast<int64_t>(b), 0, 1, 0}) == Approx(static_cast<double>(index) / 100));
        CHECK(batch.labels[b] == index % 3);
        seen.push_back(index);
      }
    }
    CHECK(sizes == std::vector<int64_t>{3, 3, 3, 1});
    std::sort(seen.begin(), seen.end());
    std::vector<int64_t> all(10);
    std::iota(all.begin(), all.end(), int64_t{0});
    CHECK(seen == all);
  }
}

TEST_CASE("DataLoader order depends only on the seed and the epoch", "[datasets]") {
  const Dataset data = numbered_dataset(200);
  DataLoaderOptions options;
  options.seed = 5;
  const DataLoader a(data, options), b(data, options);
  options.seed = 6;
  const DataLoader c(data, options);
  CHECK(a.epoch_order(0) == b.epoch_order(0));
  CHECK(a.epoch_order(3) == b.epoch_order(3));
  CHECK(a.epoch_order(0) != c.epoch_order(0));
  CHECK(a.epoch_order(0) != a.epoch_order(1));
  std::vector<int64_t> identity(200);
  std::iota(identity.begin(), identity.end(), int64_t{0});
  CHECK(a.epoch_order(0) != identity);

  options.shuffle = false;
  CHECK(DataLoader(data, options).epoch_order(4) == identity);
}

TEST_CASE("DataLoader drop_last skips the short final batch", "[datasets]") {
  DataLoaderOptions options;
  options.batch_size = 4;
  options.drop_last = true;
  DataLoader loader(numbered_dataset(10), options);
  CHECK(loader.num_batches() == 2);
  int64_t total = 0;
  for (const Batch& batch : loader.epoch(0)) {
    CHECK(batch.images.shape() == Shape{4, 1, 2, 2});
    total += batch.images.size(0);
  }
  CHECK(total == 8);
  CHECK_THROWS_WITH(loader.epoch(0)[2], Contains("batch 2 is out of range"));
  options.batch_size = 0;
  CHECK_THROWS_WITH(DataLoader(numbered_dataset(3), options), Contains("batch_size must be at least 1"));
}

TEST_CASE("resize_bilinear keeps constants and is the identity at the same size", "[datasets]") {
  const Tensor constant = Tensor::full({2, 3, 5, 7}, real(0.375));
  const Tensor up = resize_bilinear(constant, 11, 4);
  REQUIRE(up.shape() == Shape{2, 3, 11, 4});
  for (real v : up.to_vector()) CHECK(v == Approx(0.375));

  Tensor ramp = Tensor::empty({1, 2, 3, 4});
  for (int64_t i = 0; i < ramp.numel(); ++i) ramp.data()[i] = static_cast<real>(i) * real(0.01);
  CHECK(resize_bilinear(ramp, 3, 4).to_vector() == ramp.to_vector());

  // A single (C,H,W) image keeps its rank.
  CHECK(resize_bilinear(Tensor::zeros({3, 28, 28}), 32, 32).shape() == Shape{3, 32, 32});
}

TEST_CASE("resize_bilinear matches hand-computed align_corners=False values", "[datasets]") {
  // 2x2 -> 4x4: output i samples the input at max(0, (i + 0.5) / 2 - 0.5) = 0, 0.25, 0.75, 1.25 (clamped to 1).
  // The input 2r + c is linear, so the output is 2 * ey + ex with e = 0, 0.25, 0.75, 1.
  const Tensor small = Tensor::from({1, 1, 2, 2}, {0, 1, 2, 3});
  const std::vector<real> expected = {0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3};
  const std::vector<real> got = resize_bilinear(small, 4, 4).to_vector();
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]));

  // 1x3 -> 1x2: scale 1.5 samples x = 0.25 and 1.75 of [0, 10, 20].
  const Tensor row = Tensor::from({1, 1, 1, 3}, {0, 10, 20});
  const std::vector<real> shrunk = resize_bilinear(row, 1, 2).to_vector();
  CHECK(shrunk[0] == Approx(2.5));
  CHECK(shrunk[1] == Approx(17.5));

  // 1x4 -> 1x2: x = 0.5 and 2.5 of [0, 1, 2, 3].
  const std::vector<real> halved = resize_bilinear(Tensor::from({1, 1, 1, 4}, {0, 1, 2, 3}), 1, 2).to_vector();
  CHECK(halved[0] == Approx(0.5));
  CHECK(halved[1] == Approx(2.5));

  CHECK_THROWS_WITH(resize_bilinear(Tensor::zeros({4, 4}), 2, 2), Contains("(N,C,H,W) or (C,H,W)"));
  CHECK_THROWS_WITH(resize_bilinear(Tensor::zeros({1, 1, 4, 4}), 0, 2), Contains("must be positive"));
}

TEST_CASE("center_pad_crop centres the image, padding or cropping", "[datasets]") {
  const Tensor two = Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4});
  const Tensor padded = center_pad_crop(two, 4, 4);
  CHECK(padded.to_vector() == std::vector<real>{0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0});

  // An odd difference puts the extra row and column after the image.
  const Tensor odd = center_pad_crop(Tensor::ones({1, 1, 1, 1}), 2, 2, real(0.5));
  CHECK(odd.to_vector() == std::vector<real>{1, 0.5, 0.5, 0.5});

  Tensor four = Tensor::empty({1, 4, 4});
  for (int64_t i = 0; i < 16; ++i) four.data()[i] = static_cast<real>(i);
  CHECK(center_pad_crop(four, 2, 2).to_vector() == std::vector<real>{5, 6, 9, 10});

  // MNIST 28 -> 32 puts two pixels of border on each side and keeps every pixel.
  const Tensor mnist = center_pad_crop(Tensor::ones({1, 1, 28, 28}), 32, 32);
  CHECK(mnist.at({0, 0, 1, 1}) == 0);
  CHECK(mnist.at({0, 0, 2, 2}) == 1);
  CHECK(mnist.at({0, 0, 29, 29}) == 1);
  CHECK(mnist.at({0, 0, 30, 30}) == 0);
  const std::vector<real> values = mnist.to_vector();
  CHECK(std::accumulate(values.begin(), values.end(), 0.0) == Approx(28 * 28));
}

TEST_CASE("fit_images brings a data set to a square size by the chosen mode", "[datasets]") {
  Dataset data = numbered_dataset(3);
  const Dataset resized = fit_images(data, 4, SizeMode::Resize);
  CHECK(resized.images.shape() == Shape{3, 1, 4, 4});
  CHECK(resized.images.at({2, 0, 3, 3}) == Approx(0.02));
  const Dataset padded = fit_images(data, 4, SizeMode::PadCrop);
  CHECK(padded.images.at({2, 0, 0, 0}) == 0);
  CHECK(padded.images.at({2, 0, 1, 1}) == Approx(0.02));
  CHECK(padded.labels == data.labels);
  CHECK(std::string(size_mode_name(SizeMode::PadCrop)) == "pad-crop");
}
