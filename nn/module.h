// The runtime-composed module tree, modelled on torch.nn.Module.
//
// A Module owns named parameters (leaves that require grad), named buffers (state that is saved but not trained,
// such as BatchNorm's running statistics) and named child modules. Names compose with dots exactly as PyTorch's
// state_dict keys do ("features.0.weight", "layer1.0.bn1.running_mean"), so a state dict moves between mxai and
// PyTorch unchanged.
//
// Layers keep their tensors as ordinary public members (`linear.weight`) and register a pointer to each member,
// so a Module is neither copyable nor movable: create modules with std::make_shared and share them.
//
// Usage (compiled and run by the test header_examples:usage):
// ```cpp
// #include "nn/linear.h"
// #include "nn/optim.h"
// mxai::Generator init(0);
// auto layer = std::make_shared<mxai::nn::Linear>(3, 2, init);   // weight (2,3), bias (2), as torch.nn.Linear
// assert(layer->num_parameters() == 8 && layer->named_parameters()[0].first == "weight");
// mxai::nn::SGD optimizer(layer->parameters(), {0.1});
// mxai::Tensor y = layer->forward(mxai::Tensor::ones({4, 3}));  // (4,3) -> (4,2)
// mxai::sum(y).backward();                                      // every parameter's .grad
// optimizer.step();                                             // in place: layer->weight sees the update
// ```
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/tensor.h"
#include "nn/dtype.h"

namespace mxai::nn {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using StateDict = std::map<std::string, Tensor>;

class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // The layer's computation; each override states its shapes.
  virtual Tensor forward(const Tensor& x) = 0;
  Tensor operator()(const Tensor& x) { return forward(x); }
  // The PyTorch class name ("Linear", "Conv2d", ...), used in messages and summaries.
  virtual std::string type_name() const = 0;

  // Parameters and buffers of this module and all descendants, in registration order, with dotted names.
  NamedTensors named_parameters() const;
  std::vector<Tensor> parameters() const;
  NamedTensors named_buffers() const;
  int64_t num_parameters() const;  // total number of parameter entries

  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const { return children_; }
  std::shared_ptr<Module> child(const std::string& name) const;  // throws if absent

  // Training mode switches dropout on and makes BatchNorm use (and update) batch statistics. Recursive.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  void zero_grad();  // drops every parameter's .grad

  // Parameters and buffers under their dotted names. The tensors are detached but share storage with the module,
  // as PyTorch's state_dict() does; clone them to keep a snapshot.
  StateDict state_dict() const;
  // How each state_dict entry is stored in a file: F32 except integer buffers (I64).
  std::map<std::string, DType> state_dtypes() const;

  // Copies values into the existing parameter and buffer storage (so optimizers holding the parameters keep
  // working). Nothing is copied unless every check passes. Always checked: shapes, and, when `dtypes` gives an
  // entry's stored dtype, that a floating tensor is not loaded from integers or vice versa. With `strict`, the
  // names must match exactly; the Error lists every missing and unexpected name.
  void load_state_dict(const StateDict& state, bool strict = true, const std::map<std::string, DType>& dtypes = {});

  // Pointers to the member tensors behind named_parameters() and named_buffers(), for functional_call.
  std::vector<std::pair<std::string, Tensor*>> parameter_slots();
  std::vector<std::pair<std::string, Tensor*>> buffer_slots();

 protected:
  // `slot` must be a member of the derived module; it is made a leaf that requires grad.
  void register_parameter(const std::string& name, Tensor* slot);
  void register_buffer(const std::string& name, Tensor* slot, DType stored = DType::F32);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }

  // Called after train() changes the mode of this module (not its children).
  virtual void on_mode_change() {}

 private:
  struct Entry {
    std::string name;
    Tensor* slot;
    DType stored;
  };
  void add_child(const std::string& name, std::shared_ptr<Module> module);
  void check_new_name(const std::string& name) const;
  template <class F>
  void visit_entries(const std::string& prefix, bool buffers, F&& f) const;

  std::vector<Entry> parameters_;
  std::vector<Entry> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

// Runs module.forward(x) with the named parameters and buffers temporarily replaced by the given tensors, like
// torch.func.functional_call: the result is differentiable with respect to the replacements. Names not given
// keep the module's own tensors; an unknown name or a shape mismatch throws. The originals are restored even if
// forward throws.
Tensor functional_call(Module& module, const StateDict& replacements, const Tensor& x);

}  // namespace mxai::nn
