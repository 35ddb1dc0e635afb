// The MNIST256 rank histogram of experiments/tangent_ranks.h against the tangent bases it summarises.
#include <catch2/catch.hpp>

#include "autodiff/ops.h"
#include "experiments/tangent_ranks.h"
#include "test_explain_models.h"

using namespace mxai;

TEST_CASE("tangent_rank_histogram counts each point's rank, in chunks, under the reference's rule", "[experiments]") {
  const mxai_test::SmallConvDecoder conv(4, 11);
  const vae::Decoder decoder = conv.decoder();
  Generator gen(12);
  const Tensor z = randn({7, 4}, gen);
  const vae::TangentSpace direct = vae::tangent_basis(decoder, z);
  for (int64_t chunk : {1, 3, 25}) {
    const experiments::TangentRankHistogram h = experiments::tangent_rank_histogram(decoder, z, 6, 6, chunk);
    CHECK(h.d == 36);
    CHECK(h.rcond == Approx(36 * 1.1920929e-7));
    std::vector<int64_t> counts(5, 0);
    for (int64_t r : direct.rank) ++counts[static_cast<size_t>(r)];
    CHECK(h.counts == counts);
    REQUIRE(h.mean_singular_values.size() == 4);
    CHECK(h.mean_singular_values[0] == Approx(1));
    for (size_t j = 1; j < 4; ++j) CHECK(h.mean_singular_values[j] <= h.mean_singular_values[j - 1]);
  }
  CHECK_THROWS_WITH(experiments::tangent_rank_histogram(decoder, Tensor::zeros({0, 4}), 6, 6),
                    Catch::Matchers::Contains("(N,k)"));
}
