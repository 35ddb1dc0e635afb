// PNG output, image decoding and the attribution heat map.
#include <catch2/catch.hpp>

#include "autodiff/file_io.h"
#include "explain/visualization.h"
#include "datasets/image_read.h"
#include "datasets/image_write.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai_test;
using Catch::Matchers::Contains;

TEST_CASE("write_png round-trips grey and RGB images through the decoder", "[datasets][image_io]") {
  TempDir dir;
  Tensor rgb = Tensor::empty({3, 5, 7});
  for (int64_t i = 0; i < rgb.numel(); ++i) rgb.data()[i] = static_cast<real>(i % 11) / 10;
  write_png(dir.file("rgb.png"), rgb);
  const Tensor back = read_image(dir.file("rgb.png"), 3);
  REQUIRE(back.shape() == Shape{3, 5, 7});
  for (int64_t i = 0; i < rgb.numel(); ++i)
    CHECK(back.data()[i] == Approx(std::min<real>(rgb.data()[i], 1)).margin(0.6 / 255));

  // (H,W) is grey; out-of-range values clamp and NaN becomes black.
  const Tensor grey = Tensor::from({2, 2}, {-1, 0.5, 2, std::numeric_limits<real>::quiet_NaN()});
  write_png(dir.file("grey.png"), grey);
  const Tensor grey_back = read_image(dir.file("grey.png"), 1);
  CHECK(grey_back.shape() == Shape{1, 2, 2});
  CHECK(grey_back.to_vector() == std::vector<real>{0, real(128) / 255, 1, 0});
  // No temporary file is left beside the output.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.str())) files += entry.is_regular_file();
  CHECK(files == 2);

  CHECK_THROWS_WITH(write_png(dir.file("bad.png"), Tensor::zeros({5, 2, 2})),
                    Contains("bad.png") && Contains("1, 2, 3 or 4 channels") && Contains("got 5"));
  CHECK_THROWS_WITH(write_png(dir.file("no/such/dir/x.png"), grey), Contains("no/such/dir"));
}

TEST_CASE("make_grid tiles images with padding like torchvision", "[datasets][image_io]") {
  Tensor images = Tensor::empty({5, 1, 2, 3});
  for (int64_t n = 0; n < 5; ++n)
    for (int64_t k = 0; k < 6; ++k) images.data()[n * 6 + k] = static_cast<real>(n) / 10;
  const Tensor grid = make_grid(images, 3, 1, real(0.9));
  // cols 3, rows 2: height 2 * (2 + 1) + 1 = 7, width 3 * (3 + 1) + 1 = 13.
  REQUIRE(grid.shape() == Shape{1, 7, 13});
  CHECK(grid.at({0, 0, 0}) == Approx(0.9));
  CHECK(grid.at({0, 1, 1}) == Approx(0.0));
  CHECK(grid.at({0, 2, 7}) == Approx(0.1));   // image 1: top 1, left 5
  CHECK(grid.at({0, 4, 1}) == Approx(0.3));   // image 3: top 4, left 1
  CHECK(grid.at({0, 5, 7}) == Approx(0.4));   // image 4: top 4, left 5
  CHECK(grid.at({0, 4, 4}) == Approx(0.9));   // the padding column between tiles
  CHECK(grid.at({0, 5, 10}) == Approx(0.9));  // the unused third tile of row 2
  CHECK(make_grid(images, 8, 0).shape() == Shape{1, 2, 15});

  TempDir dir;
  write_png_grid(dir.file("grid.png"), Tensor::full({3, 3, 4, 4}, real(0.25)), 2, 2);
  CHECK(read_image(dir.file("grid.png"), 3).shape() == Shape{3, 14, 14});
  CHECK_THROWS_WITH(write_png_grid(dir.file("g.png"), Tensor::zeros({2, 2, 2}), 2, 2),
                    Contains("g.png") && Contains("(N,C,H,W)"));
}

TEST_CASE("decode_image reports stb's reason and the source", "[datasets][image_io]") {
  CHECK_THROWS_WITH(decode_image("definitely not an image", 3, "fake.png"),
                    Contains("cannot decode image 'fake.png'") && Contains("not of any known type"));
  CHECK_THROWS_WITH(decode_image("", 5, "x.png"), Contains("requested 5 channels"));
  CHECK_THROWS_WITH(read_image("/nonexistent/mxai.png", 1), Contains("/nonexistent/mxai.png"));
}

// Found by fuzz/ (target image): Debian's stb writes past its Huffman arrays for a table of more than 256 codes.
// Without our check stb either decodes this file or fails with its own reason, so the message proves the check ran.
TEST_CASE("decode_image refuses a JPEG Huffman table of more than 256 codes", "[datasets][image_io]") {
  for (const std::string name : {"jpeg_dht_over_256_codes.jpg", "jpeg_dht_after_fill_bytes.jpg"}) {
    const std::string path = std::string(MXAI_SOURCE_DIR) + "/fuzz/regressions/image/" + name;
    CHECK_THROWS_WITH(read_image(path, 3), Contains(name) && Contains("Huffman table") && Contains("at most 256"));
  }
  CHECK(read_image(std::string(MXAI_SOURCE_DIR) + "/fuzz/corpus/image/rgb.jpg", 3).shape() == Shape{3, 5, 6});
}

// Found by fuzz/ (target image): a 112-byte PNG whose IDAT chunk claims 1.8 GB made stb allocate that much. stb
// refuses it too, after the allocation, with its own words; this message is ours, so the check ran first.
TEST_CASE("decode_image refuses a PNG chunk longer than the file", "[datasets][image_io]") {
  const std::string path = std::string(MXAI_SOURCE_DIR) + "/fuzz/regressions/image/png_idat_claims_1_8_gb.png";
  CHECK_THROWS_WITH(read_image(path, 1), Contains("png_idat_claims_1_8_gb.png") && Contains("chunk 'IDAT'") &&
                                             Contains("claims 1879048210 bytes"));
  for (const char* seed : {"grey.png", "rgba.png"})
    CHECK(read_image(std::string(MXAI_SOURCE_DIR) + "/fuzz/corpus/image/" + seed, 4).shape() == Shape{4, 5, 6});
}

TEST_CASE("attribution_heatmap maps signed values to blue-white-red symmetrically", "[explain][image_io]") {
  const Tensor attribution = Tensor::from({1, 4}, {-2, -1, 0, 4});
  const Tensor rgb = explain::attribution_heatmap(attribution);  // range [-4, 4]
  REQUIRE(rgb.shape() == Shape{3, 1, 4});
  const auto pixel = [&](int64_t x) {
    return std::vector<real>{rgb.at({0, 0, x}), rgb.at({1, 0, x}), rgb.at({2, 0, x})};
  };
  CHECK(pixel(0) == std::vector<real>{0.5, 0.5, 1});  // -2 / 4: half-way to blue
  CHECK(pixel(1) == std::vector<real>{0.75, 0.75, 1});
  CHECK(pixel(2) == std::vector<real>{1, 1, 1});  // zero is white
  CHECK(pixel(3) == std::vector<real>{1, 0, 0});  // +max is pure red

  const Tensor clamped = explain::attribution_heatmap(Tensor::from({1, 1, 2}, {-10, 1}), 2);
  CHECK(clamped.at({0, 0, 0}) == 0);
  CHECK(clamped.at({2, 0, 0}) == 1);
  CHECK(clamped.at({1, 0, 1}) == Approx(0.5));
  for (real v : explain::attribution_heatmap(Tensor::zeros({3, 3})).to_vector()) CHECK(v == 1);
  CHECK_THROWS_WITH(explain::attribution_heatmap(Tensor::zeros({3, 2, 2})), Contains("(H,W) or (1,H,W)"));
}
