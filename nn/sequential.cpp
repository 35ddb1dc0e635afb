#include "nn/sequential.h"

namespace mxai::nn {

Sequential::Sequential(std::initializer_list<std::shared_ptr<Module>> modules) {
  for (const auto& m : modules) add(m);
}

Sequential& Sequential::add(std::shared_ptr<Module> module) {
  register_module(std::to_string(size()), std::move(module));
  return *this;
}

std::shared_ptr<Module> Sequential::operator[](size_t index) const {
  if (index >= size())
    throw Error("Sequential index " + std::to_string(index) + " out of range (size " + std::to_string(size()) + ")");
  return named_children()[index].second;
}

Tensor Sequential::forward(const Tensor& x) {
  Tensor y = x;
  for (const auto& [name, module] : named_children()) y = module->forward(y);
  return y;
}

}  // namespace mxai::nn
