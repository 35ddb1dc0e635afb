// CIFAR-10 binary batches and the FER2013 CSV.
#include <catch2/catch.hpp>

#include "datasets/cifar10.h"
#include "datasets/fer2013.h"
#include "datasets/registry.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai_test;
using Catch::Matchers::Contains;

namespace {

// `count` records; record r has label (first_label + r) % 10 and channel k of pixel p = (r + k * 50 + p) % 256.
std::string cifar_records(int count, int first_label) {
  std::string out;
  for (int r = 0; r < count; ++r) {
    out.push_back(static_cast<char>((first_label + r) % 10));
    for (int k = 0; k < 3; ++k)
      for (int p = 0; p < 1024; ++p) out.push_back(static_cast<char>((r + k * 50 + p) % 256));
  }
  return out;
}

std::string fer_pixels(int count, int value) {
  std::string out;
  for (int i = 0; i < count; ++i) out += (i ? " " : "") + std::to_string((value + i) % 256);
  return out;
}

}  // namespace

TEST_CASE("CIFAR-10 batches load as (N,3,32,32) with labels", "[datasets]") {
  TempDir dir;
  for (int b = 1; b <= 5; ++b)
    write_bytes(dir.file("cifar-10-batches-bin/data_batch_" + std::to_string(b) + ".bin"), cifar_records(2, b));
  write_bytes(dir.file("cifar-10-batches-bin/test_batch.bin"), cifar_records(3, 7));

  // The archive's own subfolder is found from its parent.
  const Dataset train = load_dataset("cifar10:" + dir.str(), "train");
  REQUIRE(train.images.shape() == Shape{10, 3, 32, 32});
  CHECK(train.labels == std::vector<int64_t>{1, 2, 2, 3, 3, 4, 4, 5, 5, 6});
  CHECK(train.class_names[3] == "cat");
  const Dataset test = load_cifar10(dir.file("cifar-10-batches-bin"), "test");
  REQUIRE(test.images.shape() == Shape{3, 3, 32, 32});
  CHECK(test.labels == std::vector<int64_t>{7, 8, 9});
  // Record 1, green (k = 1), pixel (2, 5) -> p = 69: (1 + 50 + 69) % 256 = 120.
  CHECK(test.images.at({1, 1, 2, 5}) == Approx(120 / 255.0));
  LoadOptions to16;
  to16.image_size = 16;
  CHECK(load_dataset("cifar10:" + dir.str(), "test", to16).images.shape() == Shape{3, 3, 16, 16});
}

TEST_CASE("CIFAR-10 errors name the file, its size and the record size", "[datasets]") {
  TempDir dir;
  write_bytes(dir.file("test_batch.bin"), cifar_records(2, 0) + "x");
  CHECK_THROWS_WITH(load_cifar10(dir.str(), "test"), Contains("test_batch.bin") && Contains("6147 bytes") &&
                                                         Contains("multiple of the record size 3073"));
  write_bytes(dir.file("test_batch.bin"), "");
  CHECK_THROWS_WITH(load_cifar10(dir.str(), "test"), Contains("size 0 bytes"));
  CHECK_THROWS_WITH(load_cifar10(dir.str(), "train"), Contains("data_batch_1.bin") && Contains("missing"));
  std::string bad_label = cifar_records(1, 0);
  bad_label[0] = 12;
  write_bytes(dir.file("test_batch.bin"), bad_label);
  CHECK_THROWS_WITH(load_cifar10(dir.str(), "test"), Contains("test_batch.bin") && Contains("label 12"));
  CHECK_THROWS_WITH(load_cifar10(dir.str(), "val"), Contains("unknown split 'val'"));
}

TEST_CASE("FER2013 CSV loads by Usage split", "[datasets]") {
  TempDir dir;
  const std::string csv = dir.file("fer2013.csv");
  write_bytes(csv,
              "emotion,pixels,Usage\r\n"
              "3," +
                  fer_pixels(2304, 0) +
                  ",Training\r\n"
                  "0,\"" +
                  fer_pixels(2304, 10) +
                  "\",PublicTest\r\n"
                  "6," +
                  fer_pixels(2304, 20) +
                  ",Training\r\n"
                  "2," +
                  fer_pixels(2304, 30) +
                  ",PrivateTest\r\n"
                  "\r\n");
  const Dataset train = load_dataset("fer2013:" + csv, "train");
  REQUIRE(train.images.shape() == Shape{2, 1, 48, 48});
  CHECK(train.labels == std::vector<int64_t>{3, 6});
  CHECK(train.num_classes == 7);
  CHECK(train.class_names[6] == "Neutral");
  // Row 3 pixel (1, 2) = index 50: (20 + 50) % 256.
  CHECK(train.images.at({1, 0, 1, 2}) == Approx(70 / 255.0));
  CHECK(load_fer2013(csv, "val").labels == std::vector<int64_t>{0});
  CHECK(load_fer2013(csv, "test").labels == std::vector<int64_t>{2});
  CHECK(load_fer2013(csv, "PrivateTest").labels == std::vector<int64_t>{2});
  CHECK(load_fer2013(csv, "all").size() == 4);

  // Columns are found by name, in any order.
  write_bytes(csv, "Usage, pixels, emotion\nTraining," + fer_pixels(2304, 5) + ",4\n");
  CHECK(load_fer2013(csv, "train").labels == std::vector<int64_t>{4});
}

TEST_CASE("FER2013 errors name the file, the line and the counts", "[datasets]") {
  TempDir dir;
  const std::string csv = dir.file("fer.csv");
  SECTION("wrong pixel count") {
    write_bytes(
        csv, "emotion,pixels,Usage\n1," + fer_pixels(2304, 0) + ",Training\n1," + fer_pixels(2303, 0) + ",Training\n");
    CHECK_THROWS_WITH(load_fer2013(csv, "train"), Contains(csv) && Contains("line 3") &&
                                                      Contains("expected 2304 pixels") && Contains("found 2303"));
  }
  SECTION("bad pixel value") {
    write_bytes(csv, "emotion,pixels,Usage\n1,1 2 300 4,Training\n");
    CHECK_THROWS_WITH(load_fer2013(csv, "train"), Contains("line 2") && Contains("pixel 2 is '300'"));
  }
  SECTION("bad label") {
    write_bytes(csv, "emotion,pixels,Usage\n9," + fer_pixels(2304, 0) + ",Training\n");
    CHECK_THROWS_WITH(load_fer2013(csv, "train"), Contains("line 2") && Contains("0..6") && Contains("'9'"));
  }
  SECTION("wrong header") {
    write_bytes(csv, "label,image\n1,2\n");
    CHECK_THROWS_WITH(load_fer2013(csv, "train"),
                      Contains(csv) && Contains("emotion,pixels,Usage") && Contains("found 'label,image'"));
  }
  SECTION("wrong field count") {
    write_bytes(csv, "emotion,pixels,Usage\n1,2\n");
    CHECK_THROWS_WITH(load_fer2013(csv, "train"), Contains("line 2") && Contains("expected 3") && Contains("found 2"));
  }
  SECTION("no rows for the split") {
    write_bytes(csv, "emotion,pixels,Usage\n1," + fer_pixels(2304, 0) + ",Training\n");
    CHECK_THROWS_WITH(load_fer2013(csv, "test"), Contains("no rows for split 'test'") && Contains("Training"));
  }
  SECTION("missing file") {
    CHECK_THROWS_WITH(load_dataset("fer2013:" + dir.file("absent.csv"), "train"), Contains("absent.csv"));
  }
}
