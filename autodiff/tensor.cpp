#include "autodiff/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <ostream>
#include <sstream>

#include "autodiff/graph.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace mxai {

namespace {
// glibc maps every block over its threshold (dynamic, up to 32 MB) afresh and gives heap memory back to the system
// whenever more than twice the last such block lies free at the top. A training step or an explanation batch frees
// its whole graph and then asks for the same sizes again, so every step touched fresh pages: on the 2-core AMD EPYC
// VM, page faults were a third of lesson 5's time (docs/autodiff.md, "Memory"). Blocks under 256 MB now come from
// the heap, and up to 1 GB of free heap is kept for reuse. Set once, before main, for every program that links
// autodiff; GLIBC_TUNABLES still override it.
struct KeepFreedMemory {
  KeepFreedMemory() {
#ifdef __GLIBC__
    if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  }
} keep_freed_memory;
}  // namespace

std::string shape_str(const Shape& shape) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? "," : "") << shape[i];
  os << ")";
  return os.str();
}

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t s : shape) {
    if (s < 0) throw Error("invalid shape " + shape_str(shape) + ": negative size");
    // A corrupt file header can claim any sizes; their product must not wrap (fuzz/ target idx found one).
    if (s != 0 && n > std::numeric_limits<int64_t>::max() / s)
      throw Error("invalid shape " + shape_str(shape) + ": more than 2^63 elements");
    n *= s;
  }
  return n;
}

namespace {
bool g_debug_nan_fill = false;
}
void set_debug_nan_fill(bool on) { g_debug_nan_fill = on; }
bool debug_nan_fill() { return g_debug_nan_fill; }

Tensor Tensor::empty(const Shape& shape) {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape;
  const auto n = static_cast<size_t>(shape_numel(shape));
  impl->storage = g_debug_nan_fill ? std::make_shared<Storage>(n, std::numeric_limits<real>::quiet_NaN())
                                   : std::make_shared<Storage>(n);
  return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& shape) { return full(shape, real(0)); }
Tensor Tensor::ones(const Shape& shape) { return full(shape, real(1)); }

Tensor Tensor::full(const Shape& shape, real value) {
  Tensor t = empty(shape);
  std::fill(t.impl_->storage->begin(), t.impl_->storage->end(), value);
  return t;
}

Tensor Tensor::from(const Shape& shape, std::vector<real> values) {
  if (static_cast<int64_t>(values.size()) != shape_numel(shape))
    throw Error("Tensor::from: shape " + shape_str(shape) + " holds " + std::to_string(shape_numel(shape)) +
                " values, got " + std::to_string(values.size()));
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape;
  impl->storage = std::make_shared<Storage>(values.begin(), values.end());
  return Tensor(std::move(impl));
}

Tensor Tensor::scalar(real value) { return full({}, value); }

static const TensorImpl& checked(const std::shared_ptr<TensorImpl>& impl) {
  if (!impl) throw Error("use of an undefined Tensor");
  return *impl;
}

const Shape& Tensor::shape() const { return checked(impl_).shape; }
int64_t Tensor::numel() const { return static_cast<int64_t>(checked(impl_).storage->size()); }

int64_t Tensor::size(int64_t axis) const {
  int64_t d = dim();
  int64_t a = axis < 0 ? axis + d : axis;
  if (a < 0 || a >= d)
    throw Error("axis " + std::to_string(axis) + " out of range for shape " + shape_str(shape()));
  return shape()[static_cast<size_t>(a)];
}

real* Tensor::data() { return checked(impl_).storage->data(); }
const real* Tensor::data() const { return checked(impl_).storage->data(); }
std::vector<real> Tensor::to_vector() const {
  const Storage& s = *checked(impl_).storage;
  return std::vector<real>(s.begin(), s.end());
}

real Tensor::item() const {
  if (numel() != 1) throw Error("item() needs a one-element tensor, got shape " + shape_str(shape()));
  return data()[0];
}

static int64_t flat_index(const Shape& shape, std::initializer_list<int64_t> index) {
  if (index.size() != shape.size())
    throw Error("index of rank " + std::to_string(index.size()) + " for shape " + shape_str(shape));
  int64_t flat = 0;
  size_t i = 0;
  for (int64_t v : index) {
    if (v < 0 || v >= shape[i]) throw Error("index out of range for shape " + shape_str(shape));
    flat = flat * shape[i] + v;
    ++i;
  }
  return flat;
}

real& Tensor::at(std::initializer_list<int64_t> index) { return data()[flat_index(shape(), index)]; }
real Tensor::at(std::initializer_list<int64_t> index) const { return data()[flat_index(shape(), index)]; }

Tensor& Tensor::requires_grad_(bool on) {
  checked(impl_);
  if (impl_->grad_fn && !on) throw Error("requires_grad_(false) on a non-leaf tensor; use detach()");
  impl_->requires_grad = on;
  return *this;
}

const std::shared_ptr<Node>& Tensor::grad_fn() const { return checked(impl_).grad_fn; }

Tensor Tensor::grad() const { return Tensor(checked(impl_).grad); }
void Tensor::set_grad(const Tensor& g) {
  checked(impl_);
  impl_->grad = g.impl_ptr();
}
void Tensor::zero_grad() {
  checked(impl_);
  impl_->grad.reset();
}

Tensor Tensor::detach() const {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = checked(impl_).shape;
  impl->storage = impl_->storage;
  return Tensor(std::move(impl));
}

Tensor Tensor::clone() const { return Tensor::from(shape(), to_vector()); }

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "Tensor(undefined)";
  os << "Tensor" << shape_str(t.shape()) << " [";
  const int64_t n = t.numel(), shown = std::min<int64_t>(n, 64);
  for (int64_t i = 0; i < shown; ++i) os << (i ? ", " : "") << t.data()[i];
  if (shown < n) os << ", ... (" << n << " values)";
  os << "]";
  if (t.grad_fn()) os << " grad_fn=" << t.grad_fn()->name;
  else if (t.requires_grad()) os << " requires_grad";
  return os;
}

}  // namespace mxai
