#include "datasets/dataset.h"

#include <algorithm>
#include <cstring>

namespace mxai {

int64_t Dataset::size() const { return images.defined() ? images.size(0) : 0; }
int64_t Dataset::channels() const { return images.size(1); }
int64_t Dataset::height() const { return images.size(2); }
int64_t Dataset::width() const { return images.size(3); }

Tensor gather_images(const Tensor& images, const std::vector<int64_t>& indices) {
  if (!images.defined() || images.dim() != 4)
    throw Error("gather_images: expected images (N,C,H,W), got " +
                (images.defined() ? shape_str(images.shape()) : std::string("an undefined tensor")));
  const int64_t n = images.size(0);
  const int64_t per_image = images.numel() / std::max<int64_t>(n, 1);
  Shape out_shape = images.shape();
  out_shape[0] = static_cast<int64_t>(indices.size());
  Tensor out = Tensor::empty(out_shape);
  const real* src = images.data();
  real* dst = out.data();
  for (size_t i = 0; i < indices.size(); ++i) {
    const int64_t index = indices[i];
    if (index < 0 || index >= n)
      throw Error("gather_images: index " + std::to_string(index) + " is out of range for " + std::to_string(n) +
                  " images");
    std::memcpy(dst + static_cast<int64_t>(i) * per_image, src + index * per_image,
                static_cast<size_t>(per_image) * sizeof(real));
  }
  return out;
}

Dataset Dataset::subset(const std::vector<int64_t>& indices) const {
  Dataset out;
  out.name = name;
  out.num_classes = num_classes;
  out.class_names = class_names;
  out.images = gather_images(images, indices);
  out.labels.reserve(indices.size());
  for (int64_t index : indices) out.labels.push_back(labels[static_cast<size_t>(index)]);
  return out;
}

Dataset Dataset::first(int64_t n) const {
  if (n <= 0 || n >= size()) return *this;
  std::vector<int64_t> indices(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) indices[static_cast<size_t>(i)] = i;
  return subset(indices);
}

void Dataset::validate() const {
  const std::string who = "data set '" + name + "'";
  if (!images.defined()) throw Error(who + " has no images tensor");
  if (images.dim() != 4) throw Error(who + ": images must be (N,C,H,W), got " + shape_str(images.shape()));
  if (static_cast<int64_t>(labels.size()) != images.size(0))
    throw Error(who + ": " + std::to_string(images.size(0)) + " images but " + std::to_string(labels.size()) +
                " labels");
  if (num_classes <= 0) throw Error(who + ": num_classes must be positive, got " + std::to_string(num_classes));
  if (!class_names.empty() && static_cast<int64_t>(class_names.size()) != num_classes)
    throw Error(who + ": " + std::to_string(class_names.size()) + " class names for " + std::to_string(num_classes) +
                " classes");
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= num_classes)
      throw Error(who + ": label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) +
                  " is outside [0, " + std::to_string(num_classes) + ")");
}

std::vector<int64_t> class_counts(const Dataset& data) {
  std::vector<int64_t> counts(static_cast<size_t>(std::max<int64_t>(data.num_classes, 0)), 0);
  for (int64_t label : data.labels)
    if (label >= 0 && label < data.num_classes) ++counts[static_cast<size_t>(label)];
  return counts;
}

}  // namespace mxai
