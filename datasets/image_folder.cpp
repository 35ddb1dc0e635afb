#include "datasets/image_folder.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "datasets/image_read.h"
#include "datasets/transforms.h"

namespace fs = std::filesystem;

namespace mxai {

namespace {

bool is_image_file(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

}  // namespace

Dataset load_image_folder(const std::string& root, const ImageFolderOptions& options) {
  if ((options.height == 0) != (options.width == 0) || options.height < 0 || options.width < 0)
    throw Error("image folder '" + root + "': requested size " + std::to_string(options.height) + "x" +
                std::to_string(options.width) + ", expected both positive or both 0 (keep the files' size)");
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw Error("image folder '" + root + "' does not exist or is not a directory");

  std::vector<std::string> class_names;
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (entry.is_directory(ec) && !is_hidden(entry.path())) class_names.push_back(entry.path().filename().string());
  if (ec) throw Error("cannot list image folder '" + root + "': " + ec.message());
  std::sort(class_names.begin(), class_names.end());
  if (class_names.empty())
    throw Error("image folder '" + root + "' has no class subfolders (expected root/<class_name>/*.png|jpg)");

  std::vector<std::pair<std::string, int64_t>> files;  // (path, label)
  for (size_t label = 0; label < class_names.size(); ++label) {
    std::vector<std::string> paths;
    for (const auto& entry : fs::directory_iterator(fs::path(root) / class_names[label], ec))
      if (entry.is_regular_file(ec) && !is_hidden(entry.path()) && is_image_file(entry.path()))
        paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    for (std::string& path : paths) files.emplace_back(std::move(path), static_cast<int64_t>(label));
  }
  if (files.empty())
    throw Error("image folder '" + root + "' has " + std::to_string(class_names.size()) +
                " class subfolders but no .png/.jpg/.jpeg/.bmp images in them");

  Tensor images;
  int64_t height = options.height, width = options.width;
  std::vector<int64_t> labels;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i].first;
    Tensor image = read_image(path, options.channels);  // (C,h,w)
    if (height == 0) {
      height = image.size(1);
      width = image.size(2);
    }
    if (image.size(1) != height || image.size(2) != width) {
      if (options.height == 0)
        throw Error("image '" + path + "' is " + std::to_string(image.size(1)) + "x" + std::to_string(image.size(2)) +
                    " but '" + files[0].first + "' is " + std::to_string(height) + "x" + std::to_string(width) +
                    "; request a size (height, width) to resize them all");
      image = resize_bilinear(image, height, width);
    }
    if (!images.defined())
      images = Tensor::empty({static_cast<int64_t>(files.size()), options.channels, height, width});
    std::memcpy(images.data() + static_cast<int64_t>(i) * image.numel(), image.data(),
                static_cast<size_t>(image.numel()) * sizeof(real));
    labels.push_back(files[i].second);
  }

  Dataset data;
  fs::path root_path(root);
  if (root_path.filename().empty()) root_path = root_path.parent_path();
  data.name = options.name.empty() ? root_path.filename().string() : options.name;
  data.images = images;
  data.labels = std::move(labels);
  data.num_classes = static_cast<int64_t>(class_names.size());
  data.class_names = std::move(class_names);
  return data;
}

}  // namespace mxai
