// IDX files (MNIST, Fashion-MNIST, EMNIST), raw and gzip'd, and the gzip layer under them.
#include <catch2/catch.hpp>
#include <filesystem>

#include "datasets/gzip.h"
#include "datasets/idx.h"
#include "datasets/registry.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai_test;
using Catch::Matchers::Contains;

TEST_CASE("IDX images and labels load raw and gzip'd", "[datasets]") {
  TempDir dir;
  write_bytes(dir.file("raw/train-images-idx3-ubyte"), idx_images_bytes(3, 4, 5));
  write_bytes(dir.file("raw/train-labels-idx1-ubyte"), idx_labels_bytes({7, 0, 9}));
  write_gzip(dir.file("gz/train-images-idx3-ubyte.gz"), idx_images_bytes(3, 4, 5));
  write_gzip(dir.file("gz/train-labels-idx1-ubyte.gz"), idx_labels_bytes({7, 0, 9}));

  for (const char* variant : {"raw", "gz"}) {
    INFO(variant);
    const Dataset data = load_idx_dir(dir.file(variant), "train");
    REQUIRE(data.images.shape() == Shape{3, 1, 4, 5});
    CHECK(data.labels == std::vector<int64_t>{7, 0, 9});
    CHECK(data.num_classes == 10);
    CHECK(data.name == std::string(variant) + "/train");
    // pixel(i, y, x) = (i * 31 + y * 7 + x) % 256
    CHECK(data.images.at({2, 0, 3, 4}) == Approx((2 * 31 + 3 * 7 + 4) / 255.0));
    CHECK(data.images.at({0, 0, 0, 0}) == 0);
    CHECK_NOTHROW(data.validate());
  }
}

TEST_CASE("IDX images stored transposed (EMNIST) are turned back", "[datasets]") {
  TempDir dir;
  // Stored column-major: file bytes (y, x) of a 2x3 header are pixel (x, y) of a 3x2 image.
  write_bytes(dir.file("plain-images"), idx_images_bytes(1, 2, 3, {1, 2, 3, 4, 5, 6}));
  const Tensor upright = read_idx_images(dir.file("plain-images"), true);
  REQUIRE(upright.shape() == Shape{1, 1, 3, 2});
  CHECK(upright.at({0, 0, 0, 1}) == Approx(4 / 255.0));
  CHECK(upright.at({0, 0, 2, 0}) == Approx(3 / 255.0));

  // Auto detects EMNIST by its file names.
  write_gzip(dir.file("emnist-digits-train-images-idx3-ubyte.gz"), idx_images_bytes(1, 2, 3, {1, 2, 3, 4, 5, 6}));
  write_gzip(dir.file("emnist-digits-train-labels-idx1-ubyte.gz"), idx_labels_bytes({4}));
  const Dataset data = load_dataset(dir.str(), "train");
  CHECK(data.images.shape() == Shape{1, 1, 3, 2});
  IdxOptions keep;
  keep.transpose = IdxTranspose::No;
  CHECK(load_idx_dir(dir.str(), "train", keep).images.shape() == Shape{1, 1, 2, 3});
}

TEST_CASE("IDX errors name the file and the expected and found values", "[datasets]") {
  TempDir dir;
  const std::string images = dir.file("train-images-idx3-ubyte");
  const std::string labels = dir.file("train-labels-idx1-ubyte");
  write_bytes(labels, idx_labels_bytes({1, 2}));

  SECTION("missing file") {
    CHECK_THROWS_WITH(read_idx_images(dir.file("nope-idx3-ubyte")), Contains("nope-idx3-ubyte"));
    CHECK_THROWS_WITH(load_idx_dir(dir.str(), "test"),
                      Contains(dir.str()) && Contains("no test images file") && Contains("t10k-images-idx3-ubyte"));
  }
  SECTION("wrong magic: a labels file where images are expected") {
    CHECK_THROWS_WITH(read_idx_images(labels), Contains(labels) && Contains("expected 2051") && Contains("found 2049"));
  }
  SECTION("wrong magic: not IDX at all") {
    write_bytes(images, "PK\x03\x04 this is a zip file");
    CHECK_THROWS_WITH(read_idx_images(images), Contains(images) && Contains("expected 2051") &&
                                                   Contains("found 1347093252") && Contains("0x504b0304"));
  }
  SECTION("truncated data") {
    std::string bytes = idx_images_bytes(2, 4, 4);
    bytes.resize(bytes.size() - 5);
    write_bytes(images, bytes);
    CHECK_THROWS_WITH(read_idx_images(images),
                      Contains(images) && Contains("2x4x4 = 32") && Contains("file has 27") && Contains("truncated"));
  }
  SECTION("truncated gzip'd data") {
    std::string bytes = idx_images_bytes(2, 4, 4);
    bytes.resize(bytes.size() - 1);
    write_gzip(images + ".gz", bytes);
    CHECK_THROWS_WITH(read_idx_images(images + ".gz"), Contains(".gz") && Contains("file has 31"));
  }
  SECTION("trailing bytes") {
    write_bytes(images, idx_images_bytes(2, 4, 4) + "xx");
    CHECK_THROWS_WITH(read_idx_images(images), Contains("file has 34") && Contains("trailing"));
  }
  SECTION("truncated header") {
    write_bytes(images, idx_images_bytes(2, 4, 4).substr(0, 10));
    CHECK_THROWS_WITH(read_idx_images(images), Contains(images) && Contains("16 header bytes") && Contains("has 10"));
    write_bytes(images, std::string("\0\0", 2));
    CHECK_THROWS_WITH(read_idx_images(images), Contains("too short") && Contains("2 bytes"));
  }
  SECTION("label and image counts differ") {
    write_bytes(images, idx_images_bytes(3, 4, 4));
    CHECK_THROWS_WITH(load_idx(images, labels),
                      Contains(images) && Contains(labels) && Contains("3 images") && Contains("2 labels"));
  }
  SECTION("corrupt gzip stream") {
    std::string gz = std::string("\x1f\x8b\x08\x00", 4) + std::string(20, '\x55');
    write_bytes(images, gz);
    CHECK_THROWS_WITH(read_idx_images(images), Contains(images) && Contains("gzip"));
  }
  SECTION("truncated gzip stream") {
    write_gzip(dir.file("whole.gz"), idx_images_bytes(20, 8, 8));
    std::string gz = read_file_for_test(dir.file("whole.gz"));
    write_bytes(images, gz.substr(0, gz.size() / 2));
    CHECK_THROWS_WITH(read_idx_images(images), Contains(images) && Contains("truncated"));
  }
  SECTION("dimensions whose product wraps around 2^64 to exactly the (empty) data size") {
    // Found by fuzz/ (target idx): 2048 x 50331648 x 1610612736 = 9 * 2^64, so a 16-byte file looked complete.
    const std::string regression = std::string(MXAI_SOURCE_DIR) + "/fuzz/regressions/idx/dims_product_wraps_to_zero.idx";
    CHECK_THROWS_WITH(read_idx_images(regression), Contains("dims_product_wraps_to_zero.idx") &&
                                                       Contains("far larger than any real file"));
  }
  SECTION("ambiguous directory") {
    write_bytes(images, idx_images_bytes(2, 4, 4));
    write_bytes(dir.file("emnist-letters-train-images-idx3-ubyte"), idx_images_bytes(2, 4, 4));
    CHECK_THROWS_WITH(load_idx_dir(dir.str(), "train"), Contains("2 candidate train images files"));
  }
}

TEST_CASE("gunzip handles concatenated members and raw passthrough", "[datasets]") {
  TempDir dir;
  write_gzip(dir.file("a.gz"), "hello ");
  write_gzip(dir.file("b.gz"), "world");
  const std::string both = read_file_for_test(dir.file("a.gz")) + read_file_for_test(dir.file("b.gz"));
  CHECK(is_gzip(both));
  CHECK(gunzip(both, "both") == "hello world");
  write_bytes(dir.file("plain"), "not compressed");
  CHECK(read_maybe_gzip(dir.file("plain")) == "not compressed");
}

TEST_CASE("Fashion-MNIST from the Debian package loads completely", "[datasets]") {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
    WARN("skipped: /usr/share/datasets/fashion-mnist is missing (apt-get install dataset-fashion-mnist)");
    return;
  }
  const Dataset train = load_dataset("fashion-mnist", "train");
  const Dataset test = load_dataset("fashion-mnist", "test");
  CHECK(train.images.shape() == Shape{60000, 1, 28, 28});
  CHECK(test.images.shape() == Shape{10000, 1, 28, 28});
  CHECK(train.num_classes == 10);
  CHECK(train.class_names.size() == 10);
  for (const Dataset* data : {&train, &test}) {
    CHECK_NOTHROW(data->validate());
    const auto [lo, hi] = std::minmax_element(data->labels.begin(), data->labels.end());
    CHECK(*lo == 0);
    CHECK(*hi == 9);
  }
  LoadOptions to32;
  to32.image_size = 32;
  CHECK(load_dataset("fashion-mnist", "test", to32).images.shape() == Shape{10000, 1, 32, 32});
}
