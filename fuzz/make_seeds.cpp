// Writes the seed corpora of the file-format targets (fuzz/targets_files.h) into fuzz/corpus/<target>/: small but
// valid files, each made the way the tests make them (tests/unit/test_datasets_helpers.h) or by mxai's own writers
// (save_module, save_manifold_split, encode_png), so the fuzzers start from inputs every parser accepts. Rerun it
// when a format changes:  build-fuzz/make_seeds fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/image_write.h"
#include "fuzz/targets_files.h"
#include "tests/unit/test_datasets_helpers.h"

#include <stb_image_write.h>  // the implementation is in datasets/stb_impl.cpp

using namespace mxai;
using mxai_test::write_bytes;

namespace {

std::string cifar_records(int count) {
  std::string out;
  for (int r = 0; r < count; ++r) {
    out.push_back(static_cast<char>(r % 10));
    for (int k = 0; k < 3072; ++k) out.push_back(static_cast<char>((r * 13 + k) % 256));
  }
  return out;
}

std::string fer_pixels(int value) {
  std::string pixels;
  for (int k = 0; k < 2304; ++k) pixels += (k ? " " : "") + std::to_string((value + k) % 256);
  return pixels;
}

std::string fer_row(int emotion, int value, const char* usage) {
  return std::to_string(emotion) + "," + fer_pixels(value) + "," + usage + "\n";
}

void append_jpeg(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

std::string gradient_image_bytes(int channels, bool jpeg) {
  const int w = 6, h = 5;
  std::vector<unsigned char> pixels;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c) pixels.push_back(static_cast<unsigned char>(40 * x + 30 * y + 70 * c));
  std::string out;
  if (jpeg) {
    stbi_write_jpg_to_func(append_jpeg, &out, w, h, channels, pixels.data(), 90);
  } else {
    std::vector<real> planar(pixels.size());
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < channels; ++c)
          planar[static_cast<size_t>((c * h + y) * w + x)] = pixels[static_cast<size_t>((y * w + x) * channels + c)] / real(255);
    out = encode_png(Tensor::from({channels, h, w}, planar));
  }
  return out;
}

vae::ManifoldSample small_sample(bool with_tangent) {
  const int64_t n = 3, d = 16, k = 2;
  vae::ManifoldSample s;
  std::vector<real> images(n * d), z(n * k), tangent(n * d * k, 0);
  for (size_t i = 0; i < images.size(); ++i) images[i] = static_cast<real>(i % 7) / 7;
  for (size_t i = 0; i < z.size(); ++i) z[i] = static_cast<real>(i) - 2;
  s.images = Tensor::from({n, 1, 4, 4}, images);
  s.z = Tensor::from({n, k}, z);
  s.labels = {0, 1, 1};
  s.drawn = 5;
  if (with_tangent) {
    for (int64_t i = 0; i < n; ++i)
      for (int64_t c = 0; c < k; ++c) tangent[static_cast<size_t>((i * d + c) * k + c)] = 1;  // e_c, orthonormal
    s.tangent = Tensor::from({n, d, k}, tangent);
    s.rank = {2, 2, 1};
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds <corpus directory, e.g. fuzz/corpus>\n");
    return 2;
  }
  const std::string root = argv[1];
  const auto at = [&](const std::string& target, const std::string& name) { return root + "/" + target + "/" + name; };

  const std::string images = mxai_test::idx_images_bytes(2, 3, 4);
  write_bytes(at("idx", "images.idx"), images);
  mxai_test::write_gzip(at("idx", "images.idx.gz"), images);
  write_bytes(at("idx", "labels.idx"), mxai_test::idx_labels_bytes({3, 1, 4}));
  mxai_test::write_gzip(at("idx", "labels.idx.gz"), mxai_test::idx_labels_bytes({0, 9}));

  write_bytes(at("cifar10", "two_records.bin"), cifar_records(2));

  write_bytes(at("fer2013", "three_rows.csv"), "emotion,pixels,Usage\n" + fer_row(0, 0, "Training") +
                                                   fer_row(3, 100, "PublicTest") + fer_row(6, 200, "PrivateTest"));
  // Columns in another order, Windows line ends, no Usage of the "train" split.
  write_bytes(at("fer2013", "reordered_crlf.csv"), "Usage,emotion,pixels\r\nPublicTest,2," + fer_pixels(7) + "\r\n");

  write_bytes(at("image", "grey.png"), gradient_image_bytes(1, false));
  write_bytes(at("image", "rgba.png"), gradient_image_bytes(4, false));
  write_bytes(at("image", "rgb.jpg"), gradient_image_bytes(3, true));
  write_bytes(at("image", "grey.jpg"), gradient_image_bytes(1, true));

  std::filesystem::create_directories(root + "/model");
  nn::save_module(*fuzz::model_for_fuzzing(), at("model", "linear_batchnorm.safetensors"),
                  {{"format", "fuzz"}, {"saved_by", "fuzz/make_seeds"}, {"in_features", "4"}});

  std::filesystem::create_directories(root + "/manifold_split");
  vae::save_manifold_split(at("manifold_split", "train.safetensors"), small_sample(false), "train", 2);
  vae::save_manifold_split(at("manifold_split", "test.safetensors"), small_sample(true), "test", 2);
  std::printf("seeds written under %s\n", root.c_str());
  return 0;
}
