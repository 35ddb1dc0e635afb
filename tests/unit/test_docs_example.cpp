// The worked example of docs/autodiff.md, compiled and run. The text between the BEGIN/END markers is copied
// verbatim into the doc; the second test case fails if the two drift apart.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;

// BEGIN DOCS EXAMPLE
TEST_CASE("docs/autodiff.md worked example", "[docs]") {
  // f(x) = sum(x^3) at x = (1, 2): gradient 3x^2, Hessian diag(6x).
  Tensor x = Tensor::from({2}, {1, 2}).requires_grad_();
  Tensor y = sum(x * x * x);

  // First order, keeping a graph of the gradient so it can be differentiated again.
  Tensor g = grad({y}, {x}, {}, /*create_graph=*/true)[0];
  CHECK(g.to_vector() == std::vector<real>{3, 12});

  // Hessian-vector product H v: differentiate <g, v> once more.
  Tensor v = Tensor::from({2}, {1, -1});
  Tensor hv = grad({sum(g * v)}, {x})[0];
  CHECK(hv.to_vector() == std::vector<real>{6, -12});

  // grad() left x.grad alone; backward() accumulates into it, pass after pass.
  CHECK_FALSE(x.grad().defined());
  Tensor z = sum(x * x);
  z.backward(Tensor(), /*retain_graph=*/true);
  z.backward();  // the graph is freed after this one
  CHECK(x.grad().to_vector() == std::vector<real>{4, 8});

  // Forward mode by double backward: J v for t -> t * t is 2 t v.
  auto [fx, jv] = jvp([](const Tensor& t) { return t * t; }, x.detach(), v);
  CHECK(jv.to_vector() == std::vector<real>{2, -4});
}
// END DOCS EXAMPLE

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The text strictly between the line containing `begin` and the next line starting with `end`.
std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  const size_t b = text.find(begin);
  REQUIRE(b != std::string::npos);
  const size_t start = text.find('\n', b) + 1;
  const size_t stop = text.find("\n" + end, start);
  REQUIRE(stop != std::string::npos);
  return text.substr(start, stop + 1 - start);
}

}  // namespace

TEST_CASE("docs/autodiff.md shows the example exactly as it is compiled", "[docs]") {
  const std::string source = read_text(MXAI_SOURCE_DIR "/tests/unit/test_docs_example.cpp");
  const std::string doc = read_text(MXAI_SOURCE_DIR "/docs/autodiff.md");
  const std::string code = between(source, "// BEGIN DOCS EXAMPLE", "// END DOCS EXAMPLE");
  const size_t marker = doc.find("<!-- compiled as tests/unit/test_docs_example.cpp -->");
  REQUIRE(marker != std::string::npos);
  const std::string shown = between(doc.substr(marker), "```cpp", "```");
  CHECK(shown == code);
}
