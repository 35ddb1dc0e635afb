// Fuzz targets for the loaders that take a path rather than bytes: IDX, CIFAR-10, FER2013, model files and
// manifold splits. Each writes the input to a file in a private temporary directory and calls the loader as mxai
// does, so what is fuzzed is the real entry point (read, gunzip, parse, validate) and not a copy of its core.
// The image decoder takes bytes and is fuzzed directly. Same contract as fuzz/targets.h: return or throw Error.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "datasets/cifar10.h"
#include "datasets/fer2013.h"
#include "datasets/idx.h"
#include "datasets/image_read.h"
#include "datasets/transforms.h"
#include "fuzz/targets.h"
#include "nn/batchnorm.h"
#include "nn/linear.h"
#include "nn/model_file.h"
#include "nn/sequential.h"
#include "vae/manifold_dataset.h"

namespace mxai::fuzz {

// One directory per process (CTest runs the smoke test beside other tests), removed at exit.
inline std::string scratch_file(const std::string& name) {
  static const std::string dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "mxai-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) invariant_failed("scratch", "cannot create a temporary directory");
    static const std::string removed_at_exit = pattern;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(removed_at_exit, ec);
    });
    return pattern;
  }();
  return dir + "/" + name;
}

inline std::string write_scratch(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratch_file(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) invariant_failed("scratch", "cannot write " + path);
  return path;
}

// IDX images and labels, raw or gzip'd (read_maybe_gzip decides by the magic, so gzip seeds reach the inflater and
// then the IDX parser). The file is read as both kinds; at most one can succeed.
inline int idx(const uint8_t* data, size_t size) {
  const std::string path = write_scratch("data-idx", data, size);
  int accepted = 0;
  try {
    const Tensor images = read_idx_images(path, /*transposed=*/size % 2 == 1);
    if (images.dim() != 4 || images.numel() == 0) invariant_failed("idx", "accepted images of an empty shape");
    ++accepted;
  } catch (const Error&) {
  }
  try {
    read_idx_labels(path);
    ++accepted;
  } catch (const Error&) {
  }
  if (accepted > 1) invariant_failed("idx", "one file read as both images and labels");
  return 0;
}

inline int cifar10(const uint8_t* data, size_t size) {
  const std::string path = write_scratch("data_batch_1.bin", data, size);
  try {
    const Dataset d = load_cifar10_files({path});
    if (d.images.size(0) != static_cast<int64_t>(d.labels.size()))
      invariant_failed("cifar10", "image and label counts differ");
  } catch (const Error&) {
  }
  return 0;
}

inline int fer2013(const uint8_t* data, size_t size) {
  const std::string path = write_scratch("fer2013.csv", data, size);
  for (const char* split : {"all", "train"}) {
    try {
      const Dataset d = load_fer2013(path, split);
      if (d.images.size(0) != static_cast<int64_t>(d.labels.size()))
        invariant_failed("fer2013", "image and label counts differ");
    } catch (const Error&) {
    }
  }
  return 0;
}

// PNG, JPEG, BMP, ... through stb, then the bilinear resize the image-folder loader applies to odd-sized images:
// the folder loader parses nothing else (class and file names come from the file system, not from bytes).
inline int image(const uint8_t* data, size_t size) {
  const int64_t channels = size ? 1 + data[size - 1] % 4 : 3;  // the last byte, which rarely matters to decoders
  try {
    const Tensor img = decode_image(std::string(reinterpret_cast<const char*>(data), size), channels, "fuzz.img");
    if (img.dim() != 3 || img.size(0) != channels) invariant_failed("image", "decoded to the wrong shape");
    resize_bilinear(reshape(img, {1, img.size(0), img.size(1), img.size(2)}), 5, 7);
  } catch (const Error&) {
  }
  return 0;
}

// A model file loaded into a module with parameters and buffers of two dtypes (BatchNorm's I64 counter), as
// load_module does for every classifier, VAE and autoencoder mxai reads; fuzz/make_seeds.cpp writes the seed.
inline std::shared_ptr<nn::Module> model_for_fuzzing() {
  Generator init(0);
  return std::make_shared<nn::Sequential>(std::initializer_list<std::shared_ptr<nn::Module>>{
      std::make_shared<nn::Linear>(4, 3, init), std::make_shared<nn::BatchNorm2d>(3)});
}

inline int model(const uint8_t* data, size_t size) {
  const std::string path = write_scratch("model.safetensors", data, size);
  static const std::shared_ptr<nn::Module> module = model_for_fuzzing();
  try {
    const nn::Metadata m = nn::load_module(*module, path);
    nn::metadata_integer(m, "in_features", path, "fuzz", "fuzz/make_seeds");
  } catch (const Error&) {
  }
  return 0;
}

// The generated data set's split files (vae/manifold_dataset.h), with and without the tangent bases required.
inline int manifold_split(const uint8_t* data, size_t size) {
  const std::string path = write_scratch("split.safetensors", data, size);
  try {
    const vae::LoadedManifoldSplit s = vae::load_manifold_split_file(path, /*require_tangent=*/size % 2 == 0);
    if (s.sample.images.size(0) != static_cast<int64_t>(s.sample.labels.size()))
      invariant_failed("manifold_split", "image and label counts differ");
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace mxai::fuzz
