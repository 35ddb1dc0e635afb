#include "datasets/cifar10.h"

#include <filesystem>

#include "autodiff/file_io.h"

namespace fs = std::filesystem;

namespace mxai {

namespace {

constexpr int64_t kSide = 32;
constexpr int64_t kImageBytes = 3 * kSide * kSide;
constexpr int64_t kRecordBytes = 1 + kImageBytes;

}  // namespace

const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> names = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                 "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

Dataset load_cifar10_files(const std::vector<std::string>& paths, const std::string& name) {
  std::vector<std::string> contents;
  int64_t total = 0;
  for (const std::string& path : paths) {
    contents.push_back(read_file(path));
    const int64_t size = static_cast<int64_t>(contents.back().size());
    if (size == 0 || size % kRecordBytes != 0)
      throw Error("'" + path + "': CIFAR-10 batch size " + std::to_string(size) +
                  " bytes is not a positive multiple of the record size " + std::to_string(kRecordBytes) +
                  " (1 label byte + 3072 pixel bytes)");
    total += size / kRecordBytes;
  }
  Dataset data;
  data.name = name;
  data.num_classes = 10;
  data.class_names = cifar10_class_names();
  data.images = Tensor::empty({total, 3, kSide, kSide});
  data.labels.reserve(static_cast<size_t>(total));
  real* dst = data.images.data();
  for (size_t f = 0; f < contents.size(); ++f) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(contents[f].data());
    const int64_t records = static_cast<int64_t>(contents[f].size()) / kRecordBytes;
    for (int64_t r = 0; r < records; ++r) {
      const unsigned char* record = bytes + r * kRecordBytes;
      if (record[0] >= 10)
        throw Error("'" + paths[f] + "': record " + std::to_string(r) + " has label " + std::to_string(record[0]) +
                    ", expected 0..9");
      data.labels.push_back(record[0]);
      // The record's channel-major pixel layout is already (C,H,W).
      for (int64_t k = 0; k < kImageBytes; ++k) *dst++ = static_cast<real>(record[1 + k]) / real(255);
    }
  }
  return data;
}

Dataset load_cifar10(const std::string& dir, const std::string& split) {
  std::vector<std::string> names;
  if (split == "train") {
    for (int i = 1; i <= 5; ++i) names.push_back("data_batch_" + std::to_string(i) + ".bin");
  } else if (split == "test") {
    names.push_back("test_batch.bin");
  } else {
    throw Error("CIFAR-10: unknown split '" + split + "', expected 'train' or 'test'");
  }
  std::error_code ec;
  fs::path root(dir);
  if (!fs::exists(root / names[0], ec) && fs::is_directory(root / "cifar-10-batches-bin", ec))
    root /= "cifar-10-batches-bin";
  std::vector<std::string> paths;
  for (const std::string& name : names) {
    const fs::path path = root / name;
    if (!fs::is_regular_file(path, ec))
      throw Error("CIFAR-10 " + split + " file '" + path.string() + "' is missing (expected " +
                  (split == "train" ? "data_batch_1.bin .. data_batch_5.bin" : "test_batch.bin") +
                  " from the binary version, cifar-10-binary.tar.gz, unpacked in '" + dir + "')");
    paths.push_back(path.string());
  }
  return load_cifar10_files(paths, "cifar10/" + split);
}

}  // namespace mxai
