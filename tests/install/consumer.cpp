// Integrated Gradients of a linear model F(x) = w . x from the zero base-point is exactly x * w (the gradient is
// constant along the path), so an installed mxai must reproduce it to rounding, and its completeness delta is 0.
#include <cmath>
#include <cstdio>

#include "autodiff/ops.h"
#include "explain/integrated_gradients.h"

int main() {
  using namespace mxai;
  const Tensor w = Tensor::from({3, 2}, {1, -1, 2, 0, -3, 4});  // (D,K) = (3,2): logit k = sum_i x_i w[i,k]
  const explain::Model model = [w](const Tensor& x) { return matmul(x, w); };  // (N,3) -> (N,2)
  const Tensor x = Tensor::from({1, 3}, {0.5, 1, 2});
  const explain::IntegratedGradientsResult r = explain::IntegratedGradients(model).attribute(x, Tensor(), {1});
  const float expected[3] = {0.5f * -1, 1 * 0, 2 * 4};
  double error = std::abs(r.delta.item());
  for (int i = 0; i < 3; ++i) error = std::max(error, double(std::abs(r.attributions.data()[i] - expected[i])));
  std::printf("IG of class 1: %g %g %g (expected %g %g %g), delta %g\n", r.attributions.data()[0],
              r.attributions.data()[1], r.attributions.data()[2], expected[0], expected[1], expected[2],
              r.delta.item());
  return error < 1e-5 ? 0 : 1;
}
