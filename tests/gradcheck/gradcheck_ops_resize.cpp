// Gradient checks (float64) of bilinear resizing: up, down and mixed, alone and composed with a curved function so
// the second-order check goes through the resize's backward.
#include "autodiff/resize.h"
#include "gradcheck/gradcheck_ops_common.h"

using namespace mxai;
using namespace mxai::testing;

namespace {
using Inputs = std::vector<Tensor>;
}

TEST_CASE("gradcheck upsample_bilinear2d", "[gradcheck][resize]") {
  const Tensor x = normal({1, 2, 2, 3}, 1);
  check_op("upsample 2x3 -> 3x5", [](const Inputs& in) { return upsample_bilinear2d(in[0], 3, 5); }, {x});
  check_op("resize 2x3 -> 4x2", [](const Inputs& in) { return upsample_bilinear2d(in[0], 4, 2); }, {x});
  check_op("curved(upsample)", [](const Inputs& in) { return curved(upsample_bilinear2d(in[0], 3, 4)); }, {x});
  const Tensor y = normal({2, 1, 3, 3}, 2);
  check_op("upsample(x * y)", [](const Inputs& in) { return curved(upsample_bilinear2d(in[0] * in[1], 5, 4)); },
           {y, normal({2, 1, 3, 3}, 3)});
}
