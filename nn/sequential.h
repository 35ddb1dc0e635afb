// A chain of modules applied in order, like torch.nn.Sequential: children are named "0", "1", ... so their
// parameters appear as "0.weight", "3.bias", and so on.
#pragma once

#include <initializer_list>
#include <memory>

#include "nn/module.h"

namespace mxai::nn {

class Sequential : public Module {
 public:
  Sequential() = default;
  Sequential(std::initializer_list<std::shared_ptr<Module>> modules);

  // Appends a module under the next index; returns *this for chaining.
  Sequential& add(std::shared_ptr<Module> module);
  size_t size() const { return named_children().size(); }
  std::shared_ptr<Module> operator[](size_t index) const;

  // (N,...) -> whatever the last module produces.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Sequential"; }
};

}  // namespace mxai::nn
