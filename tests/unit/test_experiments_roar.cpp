// ROAR on toy data whose label sits in four known pixels: removing them (the informative ranking) must drop the
// retrained model to chance, removing the same number of other pixels must not.
#include <catch2/catch.hpp>

#include "autodiff/random.h"
#include "experiments/roar.h"

using namespace mxai;
using namespace mxai::experiments;
using Catch::Matchers::Contains;

namespace {

// n images (n,1,8,8): background noise in [0, 0.5]; the 2x2 patch at rows 2-3, columns 5-6 is 1 for class 1 and 0
// for class 0.
Dataset patch_data(int64_t n, uint64_t seed) {
  Generator gen(seed);
  Dataset data;
  data.name = "patch toy";
  data.num_classes = 2;
  data.images = rand({n, 1, 8, 8}, gen, 0, real(0.5));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t label = i % 2;
    data.labels.push_back(label);
    for (int64_t r = 2; r < 4; ++r)
      for (int64_t c = 5; c < 7; ++c) data.images.data()[i * 64 + r * 8 + c] = static_cast<real>(label);
  }
  return data;
}

// 1 on the patch and 0 elsewhere, or the reverse.
Tensor patch_importance(int64_t n, bool on_patch) {
  Tensor t = Tensor::full({n, 1, 8, 8}, on_patch ? 0 : 1);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t r = 2; r < 4; ++r)
      for (int64_t c = 5; c < 7; ++c) t.data()[i * 64 + r * 8 + c] = on_patch ? 1 : 0;
  return t;
}

}  // namespace

TEST_CASE("remove_top_fraction zeroes exactly the top round(f * D) entries, ties by index", "[experiments][roar]") {
  const Tensor images = Tensor::full({2, 1, 2, 2}, 0.5);
  const Tensor importance = Tensor::from({2, 1, 2, 2}, {4, 1, 3, 2, /* all tied: */ 1, 1, 1, 1});
  const Tensor half = remove_top_fraction(images, importance, 0.5);
  CHECK(std::vector<real>(half.data(), half.data() + 8) == std::vector<real>{0, 0.5, 0, 0.5, 0, 0, 0.5, 0.5});
  const Tensor none = remove_top_fraction(images, importance, 0);
  CHECK(std::vector<real>(none.data(), none.data() + 8) == std::vector<real>(8, 0.5));
  const Tensor all = remove_top_fraction(images, importance, 1);
  CHECK(std::vector<real>(all.data(), all.data() + 8) == std::vector<real>(8, 0));
  CHECK(images.data()[0] == real(0.5));  // the input is left as it was
  CHECK_THROWS_WITH(remove_top_fraction(images, importance, 1.5), Contains("[0, 1]"));
  CHECK_THROWS_WITH(remove_top_fraction(images, Tensor::ones({2, 4}), 0.5), Contains("importance (2,4)"));
}

TEST_CASE("the tangent mass of an axis-aligned basis marks its pixels", "[experiments][roar]") {
  Tensor basis = Tensor::zeros({1, 4, 2});
  basis.data()[1 * 2 + 0] = 1;  // e_1
  basis.data()[3 * 2 + 1] = 1;  // e_3
  const Tensor mass = tangent_mass(basis, {1, 1, 2, 2});
  CHECK(std::vector<real>(mass.data(), mass.data() + 4) == std::vector<real>{0, 1, 0, 1});
}

TEST_CASE("ROAR: removing the pixels the label lives in drops accuracy to chance, removing others does not",
          "[experiments][roar]") {
  const Dataset train = patch_data(256, 1), test = patch_data(128, 2);
  const std::vector<RoarRanking> rankings = {
      {"informative", "the patch first", patch_importance(256, true), patch_importance(128, true)},
      {"uninformative", "the patch last", patch_importance(256, false), patch_importance(128, false)}};
  RoarSettings settings;
  settings.fractions = {0, 0.1, 0.5};
  settings.training.epochs = 4;
  settings.training.batch_size = 16;
  settings.training.lr = 3e-3;
  settings.quiet = true;
  const RoarResults r = run_roar(train, test, rankings, settings);
  REQUIRE(r.curves.size() == 2);
  CHECK(r.fractions == settings.fractions);
  const auto& informative = r.curves[0].accuracy;
  const auto& uninformative = r.curves[1].accuracy;
  REQUIRE(informative.size() == 3);
  CHECK(informative[0] == uninformative[0]);  // one model with nothing removed
  CHECK(informative[0] > 0.95);
  CHECK(informative[1] < 0.65);    // 6 of 64 pixels removed: the 4 of the patch among them
  CHECK(uninformative[1] > 0.95);  // 6 background pixels removed
  CHECK(uninformative[2] > 0.95);  // 32 background pixels removed, the patch still there

  CHECK_THROWS_WITH(run_roar(train, test, rankings, RoarSettings{{0.1, 0.2}, {}, true}), Contains("start at 0"));
  CHECK_THROWS_WITH(check_roar_fractions({0, 0.5, 0.5}), Contains("increase within [0, 1], got 0.5"));
  const std::vector<RoarRanking> wrong = {{"bad", "", patch_importance(10, true), patch_importance(128, true)}};
  CHECK_THROWS_WITH(run_roar(train, test, wrong, settings), Contains("'bad'"));
}
