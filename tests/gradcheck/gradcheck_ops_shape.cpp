// Gradient checks (float64) of the shape ops. They are linear, so on their own the Hessian is zero; each one is
// also run under curved(y) = y * tanh(y), which makes the double backward differentiate the op's backward (the
// adjoint op: inverse permute, sum_to, pad, scatter_add, ...) with a gradient that itself carries a graph.
#include "gradcheck/gradcheck_ops_common.h"

using namespace mxai;
using namespace mxai::testing;

namespace {

using Inputs = std::vector<Tensor>;

// The op alone and under curved(): two check_op runs per case.
void check_linear_op(const std::string& label, const TensorFunction& op, const Inputs& inputs) {
  check_op(label, op, inputs);
  check_op("curved(" + label + ")", [op](const Inputs& in) { return curved(op(in)); }, inputs);
}

}  // namespace

TEST_CASE("gradcheck reshape and flatten", "[gradcheck][shape]") {
  const Tensor x = normal({2, 3, 4}, 1);
  check_linear_op("reshape (6,4)", [](const Inputs& in) { return reshape(in[0], {6, 4}); }, {x});
  check_linear_op("reshape (4,-1)", [](const Inputs& in) { return reshape(in[0], {4, -1}); }, {x});
  check_linear_op("reshape (24)", [](const Inputs& in) { return reshape(in[0], {24}); }, {x});
  check_linear_op("reshape to its own shape", [](const Inputs& in) { return reshape(in[0], {2, 3, 4}); }, {x});
  check_linear_op("reshape adding unit axes",
                  [](const Inputs& in) { return reshape(narrow(in[0], 0, 0, 1), {1, 1, 3, 4}); }, {x});
  check_linear_op("reshape (1,1) to ()", [](const Inputs& in) { return reshape(in[0], {}); }, {normal({1, 1}, 22)});
  check_linear_op("flatten", [](const Inputs& in) { return flatten(in[0]); }, {x});
  check_linear_op("flatten from 0", [](const Inputs& in) { return flatten(in[0], 0); }, {x});
  check_linear_op("flatten from 2", [](const Inputs& in) { return flatten(in[0], 2); }, {x});
  check_linear_op("flatten from -2", [](const Inputs& in) { return flatten(in[0], -2); }, {x});
}

TEST_CASE("gradcheck permute and transpose", "[gradcheck][shape]") {
  const Tensor x = normal({2, 3, 4}, 2);
  const std::vector<std::vector<int64_t>> orders = {{0, 2, 1}, {2, 0, 1}, {1, 2, 0}, {2, 1, 0}, {0, 1, 2}};
  for (const auto& order : orders)
    check_linear_op("permute " + shape_str(order), [order](const Inputs& in) { return permute(in[0], order); }, {x});
  check_linear_op("transpose 0 2", [](const Inputs& in) { return transpose(in[0], 0, 2); }, {x});
  check_linear_op("transpose -1 -2", [](const Inputs& in) { return transpose(in[0], -1, -2); }, {x});
  check_linear_op("transpose 2-D", [](const Inputs& in) { return transpose(in[0], 0, 1); }, {normal({3, 5}, 3)});
}

TEST_CASE("gradcheck expand", "[gradcheck][shape]") {
  check_linear_op("expand (3,1) to (2,3,4)", [](const Inputs& in) { return expand(in[0], {2, 3, 4}); },
                  {normal({3, 1}, 4)});
  check_linear_op("expand () to (2,2)", [](const Inputs& in) { return expand(in[0], {2, 2}); }, {normal({}, 5)});
  check_linear_op("expand (1) to (5)", [](const Inputs& in) { return expand(in[0], {5}); }, {normal({1}, 6)});
  check_linear_op("expand (2,1,3) to (2,4,3)", [](const Inputs& in) { return expand(in[0], {2, 4, 3}); },
                  {normal({2, 1, 3}, 7)});
  check_linear_op("expand to its own shape", [](const Inputs& in) { return expand(in[0], {2, 3}); },
                  {normal({2, 3}, 8)});
}

TEST_CASE("gradcheck sum_to", "[gradcheck][shape]") {
  const Tensor x = normal({2, 3, 4}, 9);
  check_linear_op("sum_to (3,1)", [](const Inputs& in) { return sum_to(in[0], {3, 1}); }, {x});
  check_linear_op("sum_to ()", [](const Inputs& in) { return sum_to(in[0], {}); }, {x});
  check_linear_op("sum_to (1,4)", [](const Inputs& in) { return sum_to(in[0], {1, 4}); }, {x});
  check_linear_op("sum_to (2,1,4)", [](const Inputs& in) { return sum_to(in[0], {2, 1, 4}); }, {x});
  check_linear_op("sum_to its own shape", [](const Inputs& in) { return sum_to(in[0], {2, 3, 4}); }, {x});
}

TEST_CASE("gradcheck narrow", "[gradcheck][shape]") {
  const Tensor x = normal({3, 4, 5}, 10);
  check_linear_op("narrow axis 0", [](const Inputs& in) { return narrow(in[0], 0, 1, 2); }, {x});
  check_linear_op("narrow axis 1", [](const Inputs& in) { return narrow(in[0], 1, 0, 3); }, {x});
  check_linear_op("narrow axis -1", [](const Inputs& in) { return narrow(in[0], -1, 2, 3); }, {x});
  check_linear_op("narrow to length 0 then concat",
                  [](const Inputs& in) { return concat({narrow(in[0], 1, 4, 0), narrow(in[0], 1, 1, 1)}, 1); }, {x});
  check_linear_op("narrow the whole axis", [](const Inputs& in) { return narrow(in[0], 2, 0, 5); }, {x});
}

TEST_CASE("gradcheck concat", "[gradcheck][shape]") {
  const Tensor a = normal({2, 3}, 11), b = normal({2, 1}, 12), c = normal({2, 2}, 13);
  check_linear_op("concat axis 1, three inputs",
                  [](const Inputs& in) { return concat({in[0], in[1], in[2]}, 1); }, {a, b, c});
  check_linear_op("concat axis -1", [](const Inputs& in) { return concat({in[0], in[1]}, -1); }, {a, b});
  check_linear_op("concat axis 0", [](const Inputs& in) { return concat({in[0], in[1]}, 0); },
                  {normal({1, 3}, 14), normal({2, 3}, 15)});
  check_linear_op("concat of one tensor with itself", [](const Inputs& in) { return concat({in[0], in[0]}, 0); },
                  {a});
  check_linear_op("concat 3-D middle axis", [](const Inputs& in) { return concat({in[0], in[1]}, 1); },
                  {normal({2, 1, 3}, 16), normal({2, 2, 3}, 17)});
}

TEST_CASE("gradcheck pad", "[gradcheck][shape]") {
  const Tensor x = normal({2, 3, 2}, 18);
  check_linear_op("pad all axes", [](const Inputs& in) { return pad(in[0], {{1, 0}, {0, 2}, {1, 1}}); }, {x});
  check_linear_op("pad leading axis only, value 0.5",
                  [](const Inputs& in) { return pad(in[0], {{2, 1}}, 0.5); }, {x});
  check_linear_op("pad middle axis, value -3",
                  [](const Inputs& in) { return pad(in[0], {{0, 0}, {1, 2}}, -3); }, {x});
  check_linear_op("pad by nothing", [](const Inputs& in) { return pad(in[0], {{0, 0}}); }, {x});
}

TEST_CASE("gradcheck gather_flat and scatter_add_flat", "[gradcheck][shape]") {
  const Tensor x = normal({2, 3}, 19);
  // Repeats (2 and 0 twice) make the scatter in the backward accumulate; entry 3 is never read.
  const Index index = make_index({2, 0, 5, 2, 1, 0, 4, 2});
  check_linear_op("gather_flat with repeats", [index](const Inputs& in) { return gather_flat(in[0], index, {2, 4}); },
                  {x});
  check_linear_op("gather_flat to a vector", [index](const Inputs& in) { return gather_flat(in[0], index, {8}); },
                  {x});
  check_linear_op("scatter_add_flat with repeats",
                  [index](const Inputs& in) { return scatter_add_flat(in[0], index, {2, 3}); }, {normal({2, 4}, 20)});
  check_linear_op("scatter_add_flat to a longer vector",
                  [index](const Inputs& in) { return scatter_add_flat(in[0], index, {7}); }, {normal({8}, 21)});
}
