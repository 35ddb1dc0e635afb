// Shape ops: they move values around without arithmetic. Each one's backward is its adjoint: reshape <-> reshape,
// permute <-> inverse permute, expand <-> sum_to, narrow <-> pad, gather <-> scatter-add.
#include <algorithm>
#include <numeric>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

namespace mxai {

namespace {

int64_t normalize_axis(int64_t axis, int64_t rank, const char* op, const Shape& shape) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw Error(std::string(op) + ": axis " + std::to_string(axis) + " out of range for shape " + shape_str(shape));
  return a;
}

std::vector<int64_t> contiguous_strides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

// Walks an array of `shape` in row-major order, one innermost row at a time, calling
// f(flat_index_of_row_start, offset, row_length, row_stride), where offset is the row start's multi-index dotted
// with `strides`. Adjacent axes that step as one (stride[i] == stride[i+1] * shape[i+1]) are merged first, so
// the common patterns (bias broadcasts, batch sums, last-axis copies) become a few long rows.
template <class F>
void for_each_strided_row(const Shape& shape, const std::vector<int64_t>& strides, F f) {
  const int64_t n = shape_numel(shape);
  if (n == 0) return;
  Shape dims;
  std::vector<int64_t> steps;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    if (!dims.empty() && steps.back() == strides[i] * shape[i]) {
      dims.back() *= shape[i];
      steps.back() = strides[i];
    } else {
      dims.push_back(shape[i]);
      steps.push_back(strides[i]);
    }
  }
  if (dims.empty()) {
    f(0, 0, 1, 0);
    return;
  }
  const int64_t d = static_cast<int64_t>(dims.size()), row = dims[d - 1], row_stride = steps[d - 1];
  std::vector<int64_t> counter(d, 0);
  int64_t offset = 0;
  for (int64_t start = 0; start < n; start += row) {
    f(start, offset, row, row_stride);
    for (int64_t axis = d - 2; axis >= 0; --axis) {
      offset += steps[axis];
      if (++counter[axis] < dims[axis]) break;
      offset -= steps[axis] * dims[axis];
      counter[axis] = 0;
    }
  }
}

// Flat indices come from callers (max, pooling, user code); an unchecked one would read or write out of bounds.
[[noreturn]] void index_error(const char* op, int64_t index, const Shape& shape) {
  throw Error(std::string(op) + ": flat index " + std::to_string(index) + " out of range for shape " +
              shape_str(shape) + " (" + std::to_string(shape_numel(shape)) + " values)");
}

}  // namespace

Tensor reshape(const Tensor& x, Shape shape) {
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) throw Error("reshape: more than one -1 in " + shape_str(shape));
      infer = static_cast<int64_t>(i);
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0) {
    // Checked here: left at -1, the shape would be reported as an invalid "negative size" instead.
    if (known == 0 || x.numel() % known != 0)
      throw Error("reshape: cannot view shape " + shape_str(x.shape()) + " (" + std::to_string(x.numel()) +
                  " values) as " + shape_str(shape));
    shape[infer] = x.numel() / known;
  }
  if (shape_numel(shape) != x.numel())
    throw Error("reshape: cannot view shape " + shape_str(x.shape()) + " (" + std::to_string(x.numel()) +
                " values) as " + shape_str(shape));
  if (shape == x.shape()) return x;
  Tensor y = x.detach();
  y.impl()->shape = shape;
  return record("reshape", {x}, y, [](const BackwardArgs& c) {
    return std::vector<Tensor>{reshape(c.gout, c.inputs[0].shape())};
  });
}

Tensor flatten(const Tensor& x, int64_t start_axis) {
  const int64_t a = normalize_axis(start_axis, x.dim(), "flatten", x.shape());
  Shape s(x.shape().begin(), x.shape().begin() + a);
  s.push_back(-1);
  return reshape(x, s);
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& order) {
  const Shape& in = x.shape();
  std::vector<int64_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> identity(in.size());
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity)
    throw Error("permute: order " + shape_str(order) + " is not a permutation of the axes of " + shape_str(in));
  if (order == identity) return x;
  const std::vector<int64_t> in_strides = contiguous_strides(in);
  Shape out(in.size());
  std::vector<int64_t> strides(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    out[i] = in[order[i]];
    strides[i] = in_strides[order[i]];
  }
  Tensor y = Tensor::empty(out);
  const real* px = x.data();
  real* py = y.data();
  for_each_strided_row(out, strides, [&](int64_t i, int64_t offset, int64_t len, int64_t step) {
    for (int64_t j = 0; j < len; ++j) py[i + j] = px[offset + j * step];
  });
  std::vector<int64_t> inverse(order.size());
  for (size_t i = 0; i < order.size(); ++i) inverse[order[i]] = static_cast<int64_t>(i);
  return record("permute", {x}, y, [inverse](const BackwardArgs& c) {
    return std::vector<Tensor>{permute(c.gout, inverse)};
  });
}

Tensor transpose(const Tensor& x, int64_t a, int64_t b) {
  std::vector<int64_t> order(x.dim());
  std::iota(order.begin(), order.end(), 0);
  std::swap(order[normalize_axis(a, x.dim(), "transpose", x.shape())],
            order[normalize_axis(b, x.dim(), "transpose", x.shape())]);
  return permute(x, order);
}

Tensor expand(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  if (shape.size() < x.shape().size() || broadcast_shapes(x.shape(), shape) != shape)
    throw Error("expand: shape " + shape_str(x.shape()) + " cannot be broadcast to " + shape_str(shape));
  // Strides of x seen from the output: 0 on broadcast axes.
  std::vector<int64_t> strides(shape.size(), 0);
  const std::vector<int64_t> in_strides = contiguous_strides(x.shape());
  const size_t lead = shape.size() - x.shape().size();
  for (size_t i = 0; i < x.shape().size(); ++i) strides[lead + i] = x.shape()[i] == 1 ? 0 : in_strides[i];
  Tensor y = Tensor::empty(shape);
  const real* px = x.data();
  real* py = y.data();
  for_each_strided_row(shape, strides, [&](int64_t i, int64_t offset, int64_t len, int64_t step) {
    if (step == 0) std::fill_n(py + i, len, px[offset]);
    else
      for (int64_t j = 0; j < len; ++j) py[i + j] = px[offset + j * step];
  });
  return record("expand", {x}, y, [](const BackwardArgs& c) {
    return std::vector<Tensor>{sum_to(c.gout, c.inputs[0].shape())};
  });
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  if (shape.size() > x.shape().size() || broadcast_shapes(shape, x.shape()) != x.shape())
    throw Error("sum_to: shape " + shape_str(x.shape()) + " cannot be summed to " + shape_str(shape));
  // Each element of x adds into the output element it was broadcast from.
  std::vector<int64_t> strides(x.shape().size(), 0);
  const std::vector<int64_t> out_strides = contiguous_strides(shape);
  const size_t lead = x.shape().size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i) strides[lead + i] = shape[i] == 1 ? 0 : out_strides[i];
  Tensor y = Tensor::zeros(shape);
  const real* px = x.data();
  real* py = y.data();
  for_each_strided_row(x.shape(), strides, [&](int64_t i, int64_t offset, int64_t len, int64_t step) {
    if (step == 0) {
      real acc = 0;
      for (int64_t j = 0; j < len; ++j) acc += px[i + j];
      py[offset] += acc;
    } else {
      for (int64_t j = 0; j < len; ++j) py[offset + j * step] += px[i + j];
    }
  });
  return record("sum_to", {x}, y, [](const BackwardArgs& c) {
    return std::vector<Tensor>{expand(c.gout, c.inputs[0].shape())};
  });
}

Tensor narrow(const Tensor& x, int64_t axis, int64_t start, int64_t length) {
  const int64_t a = normalize_axis(axis, x.dim(), "narrow", x.shape());
  const int64_t size = x.shape()[a];
  if (start < 0 || length < 0 || start + length > size)
    throw Error("narrow: range [" + std::to_string(start) + ", " + std::to_string(start + length) +
                ") out of bounds for axis " + std::to_string(axis) + " of shape " + shape_str(x.shape()));
  if (start == 0 && length == size) return x;
  Shape out = x.shape();
  out[a] = length;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < a; ++i) outer *= x.shape()[i];
  for (int64_t i = a + 1; i < x.dim(); ++i) inner *= x.shape()[i];
  Tensor y = Tensor::empty(out);
  for (int64_t o = 0; o < outer; ++o)
    std::copy_n(x.data() + (o * size + start) * inner, length * inner, y.data() + o * length * inner);
  return record("narrow", {x}, y, [a, start, length](const BackwardArgs& c) {
    std::vector<std::pair<int64_t, int64_t>> pads(a + 1, {0, 0});
    pads[a] = {start, c.inputs[0].shape()[a] - start - length};
    return std::vector<Tensor>{pad(c.gout, pads)};
  });
}

Tensor concat(const std::vector<Tensor>& xs, int64_t axis) {
  if (xs.empty()) throw Error("concat: no tensors");
  const int64_t a = normalize_axis(axis, xs[0].dim(), "concat", xs[0].shape());
  Shape out = xs[0].shape();
  out[a] = 0;
  for (const Tensor& t : xs) {
    Shape expect = xs[0].shape(), got = t.shape();
    if (got.size() != expect.size())
      throw Error("concat: shapes " + shape_str(xs[0].shape()) + " and " + shape_str(t.shape()) + " differ in rank");
    expect[a] = got[a] = 0;
    if (got != expect)
      throw Error("concat along axis " + std::to_string(axis) + ": shapes " + shape_str(xs[0].shape()) + " and " +
                  shape_str(t.shape()) + " differ off that axis");
    out[a] += t.shape()[a];
  }
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < a; ++i) outer *= out[i];
  for (int64_t i = a + 1; i < static_cast<int64_t>(out.size()); ++i) inner *= out[i];
  Tensor y = Tensor::empty(out);
  int64_t offset = 0;
  for (const Tensor& t : xs) {
    const int64_t block = t.shape()[a] * inner;
    for (int64_t o = 0; o < outer; ++o) std::copy_n(t.data() + o * block, block, y.data() + o * out[a] * inner + offset);
    offset += block;
  }
  return record("concat", xs, y, [a](const BackwardArgs& c) {
    std::vector<Tensor> grads;
    int64_t start = 0;
    for (size_t i = 0; i < c.inputs.size(); ++i) {
      const int64_t len = c.inputs[i].shape()[a];
      grads.push_back(c.needs[i] ? narrow(c.gout, a, start, len) : Tensor());
      start += len;
    }
    return grads;
  });
}

Tensor pad(const Tensor& x, const std::vector<std::pair<int64_t, int64_t>>& pads, real value) {
  if (pads.size() > x.shape().size())
    throw Error("pad: " + std::to_string(pads.size()) + " axes of padding for shape " + shape_str(x.shape()));
  Shape out = x.shape();
  bool any = false;
  for (size_t i = 0; i < pads.size(); ++i) {
    if (pads[i].first < 0 || pads[i].second < 0) throw Error("pad: negative padding");
    out[i] += pads[i].first + pads[i].second;
    any = any || pads[i].first || pads[i].second;
  }
  if (!any) return x;
  const std::vector<int64_t> out_strides = contiguous_strides(out);
  int64_t base = 0;
  for (size_t i = 0; i < pads.size(); ++i) base += pads[i].first * out_strides[i];
  Tensor y = Tensor::full(out, value);
  const real* px = x.data();
  real* py = y.data();
  for_each_strided_row(x.shape(), out_strides, [&](int64_t i, int64_t offset, int64_t len, int64_t step) {
    for (int64_t j = 0; j < len; ++j) py[base + offset + j * step] = px[i + j];
  });
  return record("pad", {x}, y, [pads](const BackwardArgs& c) {
    Tensor g = c.gout;
    for (size_t i = 0; i < pads.size(); ++i) g = narrow(g, static_cast<int64_t>(i), pads[i].first, c.inputs[0].shape()[i]);
    return std::vector<Tensor>{g};
  });
}

Tensor gather_flat(const Tensor& x, const Index& index, const Shape& shape) {
  if (static_cast<int64_t>(index->size()) != shape_numel(shape))
    throw Error("gather_flat: " + std::to_string(index->size()) + " indices for output shape " + shape_str(shape));
  Tensor y = Tensor::empty(shape);
  const real* px = x.data();
  real* py = y.data();
  const int64_t* idx = index->data();
  const int64_t n = y.numel(), limit = x.numel();
  for (int64_t i = 0; i < n; ++i) {
    if (idx[i] < 0 || idx[i] >= limit) index_error("gather_flat", idx[i], x.shape());
    py[i] = px[idx[i]];
  }
  return record("gather_flat", {x}, y, [index](const BackwardArgs& c) {
    return std::vector<Tensor>{scatter_add_flat(c.gout, index, c.inputs[0].shape())};
  });
}

Tensor scatter_add_flat(const Tensor& g, const Index& index, const Shape& shape) {
  if (static_cast<int64_t>(index->size()) != g.numel())
    throw Error("scatter_add_flat: " + std::to_string(index->size()) + " indices for " + std::to_string(g.numel()) +
                " values");
  Tensor y = Tensor::zeros(shape);
  const real* pg = g.data();
  real* py = y.data();
  const int64_t* idx = index->data();
  const int64_t n = g.numel(), limit = y.numel();
  for (int64_t i = 0; i < n; ++i) {
    if (idx[i] < 0 || idx[i] >= limit) index_error("scatter_add_flat", idx[i], shape);
    py[idx[i]] += pg[i];
  }
  return record("scatter_add_flat", {g}, y, [index](const BackwardArgs& c) {
    return std::vector<Tensor>{gather_flat(c.gout, index, c.inputs[0].shape())};
  });
}

}  // namespace mxai
