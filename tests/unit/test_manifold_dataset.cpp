// The generated data set: rejection sampling by labeler confidence, tangent bases, the split files.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "autodiff/file_io.h"
#include "autodiff/ops.h"
#include "nn/safetensors.h"
#include "vae/manifold_dataset.h"

using namespace mxai;
using namespace mxai::vae;

namespace {

constexpr int64_t kLatent = 3, kSide = 4, kClasses = 10;

// z (N,3) -> (N,1,4,4): a fixed linear map, so the tangent space at every point is its column space.
Decoder linear_decoder() {
  Generator gen(21);
  const Tensor a = randn({kLatent, kSide * kSide}, gen);
  return [a](const Tensor& z) { return reshape(matmul(z, a), {z.size(0), 1, kSide, kSide}); };
}

// Logits that make class (sign pattern of the first pixel) certain: p = 1 for one class.
Labeler certain_labeler() {
  return [](const Tensor& x) {
    const int64_t n = x.size(0);
    Tensor logits = Tensor::full({n, kClasses}, -1000);
    for (int64_t i = 0; i < n; ++i) logits.data()[i * kClasses + (x.data()[i * kSide * kSide] > 0 ? 3 : 8)] = 1000;
    return logits;
  };
}

// Equal logits: p = 0.1 for every class, so max(p)^2 = 1%.
Labeler uniform_labeler() {
  return [](const Tensor& x) { return Tensor::zeros({x.size(0), kClasses}); };
}

std::string temp_path(const std::string& name) { return std::string(MXAI_SOURCE_DIR) + "/build-tmp-" + name; }

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name) : path(temp_path(name)) {}
  ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("accept_by_confidence keeps u < max(p)^2", "[vae][manifold]") {
  const Tensor p = Tensor::from({3, 2}, {0.5, 0.5, 0.9, 0.1, 0.2, 0.8});
  CHECK(accept_by_confidence(p, {0.24, 0.80, 0.65}) == std::vector<bool>{true, true, false});
  CHECK(accept_by_confidence(p, {0.26, 0.82, 0.63}) == std::vector<bool>{false, false, true});
  CHECK_THROWS_AS(accept_by_confidence(p, {0.1}), Error);
}

TEST_CASE("a certain labeler accepts every draw; uniform probabilities 0.1 accept about 1%", "[vae][manifold]") {
  SamplerOptions o;
  o.batch_size = 64;
  o.seed = 3;
  const ManifoldSample all = sample_manifold(linear_decoder(), certain_labeler(), kLatent, 100, o);
  CHECK(all.drawn == 100);
  REQUIRE(all.images.shape() == Shape{100, 1, kSide, kSide});
  CHECK(all.z.shape() == Shape{100, kLatent});
  for (int64_t i = 0; i < 100; ++i) CHECK(all.labels[i] == (all.images.data()[i * kSide * kSide] > 0 ? 3 : 8));

  o.batch_size = 1000;
  const ManifoldSample rare = sample_manifold(linear_decoder(), uniform_labeler(), kLatent, 100, o);
  const double rate = 100.0 / static_cast<double>(rare.drawn);
  INFO("acceptance " << rate << " from " << rare.drawn << " draws");
  CHECK(rate == Approx(0.01).epsilon(0.25));  // 100 successes: the relative sd of the estimate is 10%
}

TEST_CASE("sampling is a function of the seed; images are the decodes of the stored codes", "[vae][manifold]") {
  SamplerOptions o;
  o.batch_size = 50;
  o.seed = 7;
  const Decoder decoder = linear_decoder();
  // Accept about half: the labeler's confidence depends on the image.
  const Labeler labeler = [](const Tensor& x) {
    const int64_t n = x.size(0);
    Tensor logits = Tensor::zeros({n, 2});
    for (int64_t i = 0; i < n; ++i) logits.data()[i * 2] = 3 * x.data()[i * kSide * kSide];
    return logits;
  };
  const ManifoldSample a = sample_manifold(decoder, labeler, kLatent, 120, o);
  const ManifoldSample b = sample_manifold(decoder, labeler, kLatent, 120, o);
  CHECK(a.z.to_vector() == b.z.to_vector());
  CHECK(a.images.to_vector() == b.images.to_vector());
  CHECK(a.labels == b.labels);
  CHECK(a.drawn == b.drawn);
  CHECK(a.drawn > 120);
  const std::vector<real> again = decoder(a.z).to_vector(), stored = a.images.to_vector();
  for (size_t i = 0; i < stored.size(); ++i) CHECK(stored[i] == Approx(again[i]).margin(1e-5));
  o.seed = 8;
  CHECK(sample_manifold(decoder, labeler, kLatent, 120, o).z.to_vector() != a.z.to_vector());
  o.max_empty_rounds = 3;  // 1,000 equal classes: acceptance 1e-6, nothing in 150 draws
  CHECK_THROWS_AS(sample_manifold(decoder, [](const Tensor& x) { return Tensor::zeros({x.size(0), 1000}); },
                                  kLatent, 1, o),
                  Error);  // never confident: gives up with a message instead of looping forever
}

TEST_CASE("manifold split files: round trip with tangents, and clear errors for bad files", "[vae][manifold]") {
  SamplerOptions o;
  o.batch_size = 32;
  ManifoldSample s = sample_manifold(linear_decoder(), certain_labeler(), kLatent, 20, o);
  add_tangent_spaces(s, linear_decoder());
  REQUIRE(s.tangent.shape() == Shape{20, kSide * kSide, kLatent});
  CHECK(s.rank == std::vector<int64_t>(20, kLatent));

  TempFile file("manifold-split.safetensors");
  save_manifold_split(file.path, s, "test", kClasses, {{"vae", "v.safetensors"}});
  const LoadedManifoldSplit back = load_manifold_split_file(file.path, /*require_tangent=*/true);
  CHECK(back.sample.images.to_vector() == s.images.to_vector());
  CHECK(back.sample.z.to_vector() == s.z.to_vector());
  CHECK(back.sample.tangent.to_vector() == s.tangent.to_vector());
  CHECK(back.sample.labels == s.labels);
  CHECK(back.sample.rank == s.rank);
  CHECK(back.metadata.at("k") == "3");
  CHECK(back.metadata.at("d") == "16");
  CHECK(back.metadata.at("vae") == "v.safetensors");
  CHECK(back.metadata.at("min_rank") == "3");
  CHECK(back.metadata.at("rank_deficient") == "0");
  CHECK(nn::load_safetensors(file.path).dtypes.at("labels") == nn::DType::I64);

  SECTION("a train split has no tangents, and requiring them fails") {
    ManifoldSample train = s;
    train.tangent = Tensor();
    train.rank.clear();
    save_manifold_split(file.path, train, "train", kClasses);
    CHECK_FALSE(load_manifold_split_file(file.path).sample.tangent.defined());
    CHECK_THROWS_WITH(load_manifold_split_file(file.path, true), Catch::Contains("has no tangent bases"));
  }
  SECTION("a wrong shape names the file, the tensor, expected and actual") {
    nn::SafetensorsContents c = nn::load_safetensors(file.path);
    c.tensors["z"] = Tensor::zeros({20, 4});
    nn::save_safetensors(file.path, c.tensors, c.metadata, c.dtypes);
    CHECK_THROWS_WITH(load_manifold_split_file(file.path),
                      Catch::Contains(file.path) && Catch::Contains("'z'") && Catch::Contains("(20,3)") &&
                          Catch::Contains("(20,4)"));
  }
  SECTION("tangent bases of the wrong size") {
    nn::SafetensorsContents c = nn::load_safetensors(file.path);
    c.tensors["tangent"] = Tensor::zeros({20, 3, 16});
    nn::save_safetensors(file.path, c.tensors, c.metadata, c.dtypes);
    CHECK_THROWS_WITH(load_manifold_split_file(file.path), Catch::Contains("'tangent' should be (20,16,3)"));
  }
  SECTION("labels out of range or not integers") {
    nn::SafetensorsContents c = nn::load_safetensors(file.path);
    c.tensors["labels"].data()[0] = 10;
    nn::save_safetensors(file.path, c.tensors, c.metadata, c.dtypes);
    CHECK_THROWS_WITH(load_manifold_split_file(file.path), Catch::Contains("label 10 outside [0,10)"));
    c.dtypes.erase("labels");
    nn::save_safetensors(file.path, c.tensors, c.metadata, c.dtypes);
    CHECK_THROWS_WITH(load_manifold_split_file(file.path), Catch::Contains("should hold integers"));
  }
  SECTION("not a manifold split at all") {
    nn::save_safetensors(file.path, {{"weight", Tensor::zeros({2})}});
    CHECK_THROWS_WITH(load_manifold_split_file(file.path), Catch::Contains("is not a manifold split"));
    write_file_atomic(file.path, "garbage");
    CHECK_THROWS_AS(load_manifold_split_file(file.path), Error);
  }
}

TEST_CASE("add_tangent_spaces pads rank-deficient bases to k columns", "[vae][manifold][tangent]") {
  // The third latent is ignored: every Jacobian has rank 2, so tangent_basis returns 2 columns; the file keeps 3.
  const Decoder flat = [](const Tensor& z) { return reshape(narrow(z, 1, 0, 2) * real(2), {z.size(0), 1, 1, 2}); };
  ManifoldSample s;
  Generator gen(1);
  s.z = randn({4, 3}, gen);
  s.images = flat(s.z);
  s.labels = {0, 1, 0, 1};
  add_tangent_spaces(s, flat);
  REQUIRE(s.tangent.shape() == Shape{4, 2, 3});
  CHECK(s.rank == std::vector<int64_t>{2, 2, 2, 2});
  for (int64_t p = 0; p < 4; ++p)
    for (int64_t r = 0; r < 2; ++r) CHECK(s.tangent.data()[(p * 2 + r) * 3 + 2] == 0);
}
