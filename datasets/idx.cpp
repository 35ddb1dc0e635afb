#include "datasets/idx.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>

#include "datasets/gzip.h"

namespace fs = std::filesystem;

namespace mxai {

namespace {

constexpr uint32_t kImagesMagic = 2051;  // 0x00000803: unsigned bytes, 3 dimensions
constexpr uint32_t kLabelsMagic = 2049;  // 0x00000801: unsigned bytes, 1 dimension

uint32_t read_be32(const std::string& bytes, size_t offset) {
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[offset + i])); };
  return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}

std::string describe_magic(uint32_t magic) {
  if (magic == kImagesMagic) return "2051 (an IDX images file)";
  if (magic == kLabelsMagic) return "2049 (an IDX labels file)";
  char hex[16];
  std::snprintf(hex, sizeof(hex), "0x%08x", magic);
  return std::to_string(magic) + " (" + hex + ", not an unsigned-byte IDX images or labels file)";
}

struct IdxArray {
  std::vector<int64_t> dims;
  std::string bytes;  // the whole (decompressed) file
  size_t data_offset = 0;
};

// Reads a file, checks its magic and that its length is exactly header + product(dims).
IdxArray read_idx(const std::string& path, uint32_t expected_magic) {
  IdxArray idx;
  idx.bytes = read_maybe_gzip(path);
  const std::string& bytes = idx.bytes;
  const std::string expected = describe_magic(expected_magic);
  if (bytes.size() < 4)
    throw Error("'" + path + "' is too short for an IDX file: " + std::to_string(bytes.size()) +
                " bytes, expected at least a 4-byte magic number " + expected);
  const uint32_t magic = read_be32(bytes, 0);
  if (magic != expected_magic)
    throw Error("'" + path + "': wrong IDX magic number: expected " + expected + ", found " + describe_magic(magic));
  const size_t ndim = magic & 0xff;
  const size_t header = 4 + 4 * ndim;
  if (bytes.size() < header)
    throw Error("'" + path + "' is truncated inside its IDX header: expected " + std::to_string(header) +
                " header bytes, file has " + std::to_string(bytes.size()));
  uint64_t expected_data = 1;
  std::string dims_text;
  for (size_t d = 0; d < ndim; ++d) {
    const uint32_t size = read_be32(bytes, 4 + 4 * d);
    idx.dims.push_back(size);
    dims_text += (d ? "x" : "") + std::to_string(size);
    // Dimensions are 32-bit each, so a product beyond 2^40 bytes is nonsense from a corrupt header. Checked
    // before multiplying: 2048 x 50331648 x 1610612736 wraps to exactly 0 (found by fuzz/ target idx).
    if (size != 0 && expected_data > (uint64_t{1} << 40) / size)
      throw Error("'" + path + "': IDX header claims dimensions " + dims_text + "..., far larger than any real file");
    expected_data *= size;
    if (expected_data > (uint64_t{1} << 40))
      throw Error("'" + path + "': IDX header claims dimensions " + dims_text + "..., far larger than any real file");
  }
  const uint64_t actual_data = bytes.size() - header;
  if (actual_data != expected_data) {
    const bool short_file = actual_data < expected_data;
    throw Error("'" + path + "': IDX header says " + dims_text + " = " + std::to_string(expected_data) +
                " data bytes but the file has " + std::to_string(actual_data) +
                (short_file ? " (truncated)" : " (trailing bytes after the data)"));
  }
  idx.data_offset = header;
  return idx;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Tensor read_idx_images(const std::string& path, bool transposed) {
  const IdxArray idx = read_idx(path, kImagesMagic);
  const int64_t n = idx.dims[0], h = idx.dims[1], w = idx.dims[2];
  if (n == 0) throw Error("'" + path + "': IDX images file holds no images (count 0 in the header)");
  if (h == 0 || w == 0)
    throw Error("'" + path + "': IDX images are " + std::to_string(h) + "x" + std::to_string(w) +
                ", expected non-empty");
  const int64_t out_h = transposed ? w : h, out_w = transposed ? h : w;
  Tensor images = Tensor::empty({n, 1, out_h, out_w});
  const unsigned char* src = reinterpret_cast<const unsigned char*>(idx.bytes.data() + idx.data_offset);
  real* dst = images.data();
  const int64_t plane = h * w;
#pragma omp parallel for schedule(static) if (n > 256)
  for (int64_t i = 0; i < n; ++i) {
    const unsigned char* in = src + i * plane;
    real* out = dst + i * plane;
    if (transposed) {
      // Stored column-major: byte (y, x) of the file is pixel (x, y) of the image.
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) out[x * out_w + y] = static_cast<real>(in[y * w + x]) / real(255);
    } else {
      for (int64_t k = 0; k < plane; ++k) out[k] = static_cast<real>(in[k]) / real(255);
    }
  }
  return images;
}

std::vector<int64_t> read_idx_labels(const std::string& path) {
  const IdxArray idx = read_idx(path, kLabelsMagic);
  const unsigned char* src = reinterpret_cast<const unsigned char*>(idx.bytes.data() + idx.data_offset);
  return std::vector<int64_t>(src, src + idx.dims[0]);
}

Dataset load_idx(const std::string& images_path, const std::string& labels_path, const IdxOptions& options) {
  bool transposed = options.transpose == IdxTranspose::Yes;
  if (options.transpose == IdxTranspose::Auto)
    transposed = lower(fs::path(images_path).filename().string()).find("emnist") != std::string::npos;
  Dataset data;
  data.images = read_idx_images(images_path, transposed);
  data.labels = read_idx_labels(labels_path);
  if (static_cast<int64_t>(data.labels.size()) != data.images.size(0))
    throw Error("IDX count mismatch: images file '" + images_path + "' holds " + std::to_string(data.images.size(0)) +
                " images but labels file '" + labels_path + "' holds " + std::to_string(data.labels.size()) +
                " labels");
  const int64_t max_label = *std::max_element(data.labels.begin(), data.labels.end());
  data.num_classes = options.num_classes > 0 ? options.num_classes : max_label + 1;
  if (max_label >= data.num_classes)
    throw Error("'" + labels_path + "': label " + std::to_string(max_label) + " is outside the " +
                std::to_string(data.num_classes) + " classes requested");
  data.name = options.name.empty() ? fs::path(images_path).filename().string() : options.name;
  return data;
}

IdxFiles find_idx_files(const std::string& dir, const std::string& split) {
  std::vector<std::string> image_keys, label_keys;
  if (split == "train") {
    image_keys = {"train-images"};
    label_keys = {"train-labels"};
  } else if (split == "test") {
    image_keys = {"t10k-images", "test-images"};
    label_keys = {"t10k-labels", "test-labels"};
  } else {
    throw Error("IDX directory '" + dir + "': unknown split '" + split + "', expected 'train' or 'test'");
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error("IDX directory '" + dir + "' does not exist or is not a directory");

  // Keyed by the name without ".gz" so a raw and a gzip'd copy of one file count once (raw preferred).
  std::map<std::string, std::string> images, labels;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string file = entry.path().filename().string();
    const std::string name = lower(file);
    const bool gz = name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0;
    const std::string key = gz ? name.substr(0, name.size() - 3) : name;
    const auto matches = [&](const std::vector<std::string>& keys, const char* kind) {
      if (name.find(kind) == std::string::npos) return false;
      for (const std::string& k : keys)
        if (name.find(k) != std::string::npos) return true;
      return false;
    };
    auto* target = matches(image_keys, "idx3") ? &images : matches(label_keys, "idx1") ? &labels : nullptr;
    if (!target) continue;
    auto found = target->find(key);
    if (found == target->end() || !gz) (*target)[key] = entry.path().string();
  }
  const auto pick = [&](const std::map<std::string, std::string>& found, const std::string& what,
                        const std::string& example) {
    if (found.empty())
      throw Error("IDX directory '" + dir + "' has no " + split + " " + what + " file (expected a name like '" +
                  example + "' or '" + example + ".gz')");
    if (found.size() > 1) {
      std::string list;
      for (const auto& [key, path] : found) list += (list.empty() ? "" : ", ") + path;
      throw Error("IDX directory '" + dir + "' has " + std::to_string(found.size()) + " candidate " + split + " " +
                  what + " files (" + list + "); keep one variant per directory");
    }
    return found.begin()->second;
  };
  const std::string prefix = split == "train" ? "train" : "t10k";
  return {pick(images, "images", prefix + "-images-idx3-ubyte"), pick(labels, "labels", prefix + "-labels-idx1-ubyte")};
}

bool looks_like_idx_dir(const std::string& dir) {
  for (const char* split : {"train", "test"}) {
    try {
      find_idx_files(dir, split);
      return true;
    } catch (const Error&) {
    }
  }
  return false;
}

Dataset load_idx_dir(const std::string& dir, const std::string& split, const IdxOptions& options) {
  const IdxFiles files = find_idx_files(dir, split);
  IdxOptions named = options;
  fs::path dir_path(dir);
  if (dir_path.filename().empty()) dir_path = dir_path.parent_path();  // "a/b/" names itself "b"
  if (named.name.empty()) named.name = dir_path.filename().string() + "/" + split;
  return load_idx(files.images, files.labels, named);
}

}  // namespace mxai
