// A Tensor is a handle: copying it shares the same storage and the same graph node, like a PyTorch tensor
// or a flashlight Variable. Data is always contiguous, row-major, of scalar type `real` (float32 in the
// normal build, float64 in the build the gradient checks use).
//
// Usage (compiled and run by the test header_examples:usage):
// ```cpp
// #include "autodiff/ops.h"
// mxai::Tensor x = mxai::Tensor::from({2}, {3, 4}).requires_grad_();  // a leaf, shape (2)
// mxai::Tensor y = mxai::sum(x * x);                                   // () = 9 + 16, with a graph back to x
// y.backward();                                                        // x.grad() = 2 x = (6, 8)
// assert(y.item() == 25 && x.grad().to_vector() == std::vector<mxai::real>({6, 8}));
// ```
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mxai {

#ifdef MXAI_DOUBLE
using real = double;
#else
using real = float;
#endif

using Shape = std::vector<int64_t>;

std::string shape_str(const Shape& shape);  // "(2,3,4)"
int64_t shape_numel(const Shape& shape);

// Every user-facing failure (bad shapes, bad files, bad arguments) is an mxai::Error with a full message.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Node;
class Tensor;

// An allocator that leaves new elements uninitialised, so Tensor::empty does not pay for zeroing memory every
// kernel overwrites anyway.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using Storage = std::vector<real, UninitializedAllocator<real>>;

struct TensorImpl {
  Shape shape;
  std::shared_ptr<Storage> storage;
  bool requires_grad = false;
  std::shared_ptr<Node> grad_fn;      // null for leaves and constants
  std::shared_ptr<TensorImpl> grad;   // accumulated by Tensor::backward on leaves
};

class Tensor {
 public:
  Tensor() = default;  // undefined: no storage
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // Factories. Values are copied; `from` checks that the count matches the shape.
  static Tensor empty(const Shape& shape);  // uninitialised
  static Tensor zeros(const Shape& shape);
  static Tensor ones(const Shape& shape);
  static Tensor full(const Shape& shape, real value);
  static Tensor from(const Shape& shape, std::vector<real> values);
  static Tensor scalar(real value);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  int64_t dim() const { return static_cast<int64_t>(shape().size()); }
  int64_t size(int64_t axis) const;  // negative axes count from the end
  int64_t numel() const;

  real* data();
  const real* data() const;
  std::vector<real> to_vector() const;
  real item() const;  // the single value of a one-element tensor
  real& at(std::initializer_list<int64_t> index);
  real at(std::initializer_list<int64_t> index) const;

  // Autograd.
  bool requires_grad() const { return impl_ && impl_->requires_grad; }
  Tensor& requires_grad_(bool on = true);
  bool is_leaf() const { return !impl_ || !impl_->grad_fn; }
  const std::shared_ptr<Node>& grad_fn() const;
  Tensor grad() const;  // undefined until a backward pass reaches this leaf
  void set_grad(const Tensor& g);
  void zero_grad();  // drops .grad, like PyTorch's set_to_none
  // Accumulates d(this)/d(leaf) into every leaf's .grad. `grad_output` defaults to 1 for a scalar.
  void backward(const Tensor& grad_output = Tensor(), bool retain_graph = false,
                bool create_graph = false) const;

  Tensor detach() const;  // same storage, no graph
  Tensor clone() const;   // new storage, no graph

  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

 private:
  std::shared_ptr<TensorImpl> impl_;
};

// When on, Tensor::empty fills new buffers with NaN, so a kernel that leaves an entry unwritten produces NaN
// that the gradient checks catch. Off by default (it costs a pass over memory).
void set_debug_nan_fill(bool on);
bool debug_nan_fill();

// Prints shape and values (abbreviated beyond 64 elements), e.g. "Tensor(2,2) [1, 2, 3, 4]".
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace mxai
