// A folder of images sorted into one subfolder per class: root/<class_name>/*.png|jpg|jpeg|bmp. Classes are the
// subfolder names in byte order (so label i is the i-th name), files are read in name order.
#pragma once

#include <cstdint>
#include <string>

#include "datasets/dataset.h"

namespace mxai {

struct ImageFolderOptions {
  int64_t channels = 3;  // 1 (grey) or 3 (RGB) whatever the files hold; also 2 or 4 for alpha
  int64_t height = 0;    // 0 (with width 0): every image must share the first image's size
  int64_t width = 0;     // otherwise every image is resized (bilinear) to height x width
  std::string name;      // data set name; empty: the root's folder name
};

// images (N,C,H,W), labels (N), class_names = the subfolder names. Throws Error naming the file (with stb's
// reason) for an unreadable image, and naming the root when it holds no class folders or no images.
Dataset load_image_folder(const std::string& root, const ImageFolderOptions& options = {});

}  // namespace mxai
