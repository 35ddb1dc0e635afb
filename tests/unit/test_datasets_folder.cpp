// Class-per-subfolder image folders and the load_dataset registry.
#include <stb_image_write.h>

#include <catch2/catch.hpp>

#include "datasets/image_folder.h"
#include "datasets/image_write.h"
#include "datasets/registry.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai_test;
using Catch::Matchers::Contains;

namespace {

// An RGB image (3,h,w) whose red channel is `red` everywhere, green 0, blue 1.
Tensor solid_rgb(int64_t h, int64_t w, real red) {
  Tensor image = Tensor::zeros({3, h, w});
  for (int64_t i = 0; i < h * w; ++i) {
    image.data()[i] = red;
    image.data()[2 * h * w + i] = 1;
  }
  return image;
}

// write_png, after creating the folders on the way (write_png itself never creates folders).
void write_png_in_place(const std::string& path, const Tensor& image) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  write_png(path, image);
}

}  // namespace

TEST_CASE("image folders load classes in name order, grey or RGB, resized on request", "[datasets]") {
  TempDir dir;
  write_png_in_place(dir.file("pets/zebra/b.png"), solid_rgb(6, 4, real(0.2)));
  write_png_in_place(dir.file("pets/zebra/a.png"), solid_rgb(6, 4, real(0.6)));
  write_png_in_place(dir.file("pets/cat/x.png"), solid_rgb(6, 4, real(1)));
  write_bytes(dir.file("pets/cat/notes.txt"), "not an image");  // ignored: not an image extension
  {
    // A grey JPEG through stb's writer: lossy, so only checked loosely.
    std::vector<unsigned char> grey(6 * 4, 128);
    std::filesystem::create_directories(dir.file("pets/dog"));
    REQUIRE(stbi_write_jpg(dir.file("pets/dog/d.JPG").c_str(), 4, 6, 1, grey.data(), 95));
  }

  const Dataset rgb = load_image_folder(dir.file("pets"));
  REQUIRE(rgb.images.shape() == Shape{4, 3, 6, 4});
  CHECK(rgb.class_names == std::vector<std::string>{"cat", "dog", "zebra"});
  CHECK(rgb.labels == std::vector<int64_t>{0, 1, 2, 2});
  CHECK(rgb.num_classes == 3);
  CHECK(rgb.name == "pets");
  CHECK(rgb.images.at({0, 0, 3, 3}) == Approx(1));
  CHECK(rgb.images.at({2, 0, 0, 0}) == Approx(153 / 255.0));  // a.png sorts before b.png
  CHECK(rgb.images.at({3, 0, 0, 0}) == Approx(51 / 255.0));
  CHECK(rgb.images.at({3, 2, 5, 3}) == Approx(1));
  CHECK(rgb.images.at({1, 1, 2, 2}) == Approx(128 / 255.0).margin(0.02));  // grey JPEG -> R = G = B

  ImageFolderOptions grey;
  grey.channels = 1;
  grey.height = 3;
  grey.width = 5;
  const Dataset small = load_image_folder(dir.file("pets"), grey);
  REQUIRE(small.images.shape() == Shape{4, 1, 3, 5});
  // stb's luma for RGB (1, 0, 1) is (77 * 255 + 29 * 255) >> 8 = 105.
  CHECK(small.images.at({0, 0, 1, 2}) == Approx(105 / 255.0));

  // Through the registry: a folder with train/ and test/ subfolders picks the split's subfolder.
  write_png_in_place(dir.file("split/train/a/1.png"), solid_rgb(2, 2, 0));
  write_png_in_place(dir.file("split/train/b/1.png"), solid_rgb(2, 2, 1));
  write_png_in_place(dir.file("split/test/a/1.png"), solid_rgb(2, 2, 0));
  LoadOptions load;
  load.image_size = 8;
  load.channels = 1;
  CHECK(load_dataset("folder:" + dir.file("split"), "train", load).images.shape() == Shape{2, 1, 8, 8});
  CHECK(load_dataset("folder:" + dir.file("split"), "test", load).labels == std::vector<int64_t>{0});
  load.size_mode = SizeMode::PadCrop;
  const Dataset padded = load_dataset("folder:" + dir.file("split"), "train", load);
  CHECK(padded.images.shape() == Shape{2, 1, 8, 8});
  CHECK(padded.images.at({1, 0, 0, 0}) == 0);
  CHECK(load_dataset("folder:" + dir.file("pets"), "train").size() == 4);
  CHECK_THROWS_WITH(load_dataset("folder:" + dir.file("pets"), "test"), Contains("no 'test' subfolder"));
}

TEST_CASE("image folder errors name the file and the reason", "[datasets]") {
  TempDir dir;
  SECTION("unreadable image") {
    write_png_in_place(dir.file("root/a/good.png"), solid_rgb(2, 2, 0));
    write_bytes(dir.file("root/b/broken.png"), "\x89PNG\r\n\x1a\n but then nothing sensible");
    CHECK_THROWS_WITH(load_image_folder(dir.file("root")),
                      Contains("cannot decode image") && Contains("broken.png") && Contains("': "));
  }
  SECTION("mixed sizes without a requested size") {
    write_png_in_place(dir.file("root/a/1.png"), solid_rgb(2, 2, 0));
    write_png_in_place(dir.file("root/a/2.png"), solid_rgb(3, 2, 0));
    CHECK_THROWS_WITH(load_image_folder(dir.file("root")),
                      Contains("2.png") && Contains("is 3x2") && Contains("1.png") && Contains("is 2x2"));
  }
  SECTION("no class folders, no images, no folder") {
    std::filesystem::create_directories(dir.file("empty"));
    CHECK_THROWS_WITH(load_image_folder(dir.file("empty")), Contains("empty") && Contains("no class subfolders"));
    std::filesystem::create_directories(dir.file("hollow/a"));
    CHECK_THROWS_WITH(load_image_folder(dir.file("hollow")), Contains("no .png/.jpg"));
    CHECK_THROWS_WITH(load_image_folder(dir.file("absent")), Contains("absent") && Contains("does not exist"));
  }
}

TEST_CASE("load_dataset rejects unknown names and explains missing data", "[datasets]") {
  CHECK_THROWS_WITH(load_dataset("imagenet", "train"), Contains("unknown data set 'imagenet'") && Contains("mnist") &&
                                                           Contains("fashion-mnist") && Contains("cifar10:<dir>") &&
                                                           Contains("fer2013:<csv>") && Contains("folder:<dir>"));
  CHECK_THROWS_WITH(load_dataset("cifar10:", "train"), Contains("expected a path after 'cifar10:'"));
  CHECK_THROWS_WITH(load_dataset("fashion-mnist", "val"), Contains("unknown split 'val'"));
  TempDir dir;
  CHECK_THROWS_WITH(load_dataset(dir.str(), "train"), Contains(dir.str()) && Contains("holds no IDX files"));
  write_bytes(dir.file("t10k-images-idx3-ubyte"), idx_images_bytes(2, 3, 3));
  write_bytes(dir.file("t10k-labels-idx1-ubyte"), idx_labels_bytes({0, 1}));
  LoadOptions to4;
  to4.image_size = 4;
  CHECK(load_dataset(dir.str(), "test", to4).images.shape() == Shape{2, 1, 4, 4});
  CHECK(load_dataset("idx:" + dir.str(), "test").images.shape() == Shape{2, 1, 3, 3});
}
