// A deterministic, seconds-long stand-in for the fuzzers of fuzz/: every target of fuzz/targets.h runs on its seed
// corpus (fuzz/corpus/<target>) and on a few thousand mutations of it (bit flips, boundary bytes and numbers,
// insertions, deletions, truncations, a rewritten length prefix). A target returns or throws mxai::Error; a crash,
// a sanitizer report or a broken invariant (the target aborts) fails the test. Under the sanitizer build this is
// what checks the parsers for memory errors and undefined behaviour on every CTest run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "autodiff/file_io.h"
#include "fuzz/targets.h"
#include "fuzz/targets_files.h"

using namespace mxai;

namespace {

using Target = int (*)(const uint8_t*, size_t);

// The files of fuzz/<kind>/<target>, in name order; an absent directory is an empty list.
std::vector<std::string> files(const std::string& kind, const std::string& target) {
  const std::filesystem::path dir = std::string(MXAI_SOURCE_DIR) + "/fuzz/" + kind + "/" + target;
  std::vector<std::filesystem::path> paths;
  if (!std::filesystem::is_directory(dir)) return {};
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file()) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());  // directory order is not deterministic
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(read_file(p.string()));
  return out;
}

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  std::string mutate(std::string s) {
    const int rounds = 1 + static_cast<int>(below(4));
    for (int r = 0; r < rounds; ++r) step(s);
    return s;
  }

 private:
  size_t below(size_t n) { return n ? static_cast<size_t>(rng_() % n) : 0; }

  void step(std::string& s) {
    static const char kBytes[] = {'\0', '\xff', '\x7f', '\x80', '{', '}', '"', '[', ']', ',', ':', '0', '9', '-',
                                  '\\', 'e', '.', ' ', '\xc3', '\xed'};
    static const char* kNumbers[] = {"0", "-1", "1", "8", "9223372036854775807", "9223372036854775808",
                                     "18446744073709551615", "4294967296", "1e308", "-0", "2.5", "100000001"};
    switch (below(9)) {
      case 0:
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1u << below(8));
        break;
      case 1:
        if (!s.empty()) s[below(s.size())] = kBytes[below(sizeof kBytes)];
        break;
      case 2: s.insert(below(s.size() + 1), 1, kBytes[below(sizeof kBytes)]); break;
      case 3:
        if (!s.empty()) {
          const size_t at = below(s.size());
          s.erase(at, 1 + below(std::min<size_t>(16, s.size() - at)));
        }
        break;
      case 4: s.resize(below(s.size() + 1)); break;
      case 5:
        if (!s.empty()) {
          const size_t at = below(s.size()), len = 1 + below(std::min<size_t>(32, s.size() - at));
          s.insert(below(s.size() + 1), s.substr(at, len));
        }
        break;
      case 6: {  // replace a run of digits with a boundary number
        std::vector<size_t> starts;
        for (size_t i = 0; i < s.size(); ++i)
          if (s[i] >= '0' && s[i] <= '9' && (i == 0 || s[i - 1] < '0' || s[i - 1] > '9')) starts.push_back(i);
        if (starts.empty()) break;
        const size_t at = starts[below(starts.size())];
        size_t end = at;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
        s.replace(at, end - at, kNumbers[below(sizeof kNumbers / sizeof *kNumbers)]);
        break;
      }
      case 7:  // a new 8-byte length prefix: off by a little, or anything
        if (s.size() >= 8) {
          uint64_t n = 0;
          std::memcpy(&n, s.data(), 8);
          const uint64_t choices[] = {n + 1, n - 1, n + 8, 0, 100'000'000, 100'000'001, ~uint64_t{0}, s.size() - 8u};
          n = choices[below(8)];
          std::memcpy(&s[0], &n, 8);
        }
        break;
      default:  // swap two bytes
        if (s.size() >= 2) std::swap(s[below(s.size())], s[below(s.size())]);
    }
  }

  std::mt19937_64 rng_;
};

std::vector<std::string> seeds(const std::string& target) { return files("corpus", target); }

// Every input a fuzzer found a bug with (fuzz/regressions/<target>/) must now return or throw Error; before its
// fix each crashed under the sanitizers, and the unit test named in fuzz/README.md checks the error without them.
void replay_regressions(const std::string& name, Target target) {
  for (const std::string& input : files("regressions", name))
    target(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

// Runs every seed and `mutations` mutations in all, spread evenly over the seeds (at least one each), so a corpus
// that grows (the model and split corpora hold ~100 seeds) does not grow the suite's time with it.
void smoke(const std::string& name, Target target, int mutations) {
  replay_regressions(name, target);
  const std::vector<std::string> corpus = seeds(name);
  REQUIRE_FALSE(corpus.empty());
  const int mutations_per_seed = std::max(1, mutations / static_cast<int>(corpus.size()));
  Mutator mutator(0x5eed ^ std::hash<std::string>{}(name));
  int64_t runs = 0;
  for (const std::string& seed : corpus) {
    target(reinterpret_cast<const uint8_t*>(seed.data()), seed.size());
    for (int i = 0; i < mutations_per_seed; ++i) {
      const std::string input = mutator.mutate(seed);
      target(reinterpret_cast<const uint8_t*>(input.data()), input.size());
      ++runs;
    }
  }
  CHECK(runs == static_cast<int64_t>(corpus.size()) * mutations_per_seed);
}

}  // namespace

TEST_CASE("fuzz smoke: safetensors decoding survives mutated files", "[fuzz][safetensors]") {
  for (const std::string& seed : seeds("safetensors")) CHECK_NOTHROW(nn::decode_safetensors(seed, "seed"));
  smoke("safetensors", fuzz::safetensors, 8000);
}

TEST_CASE("fuzz smoke: the JSON reader survives mutated text", "[fuzz][json]") { smoke("json", fuzz::json, 4000); }

TEST_CASE("fuzz smoke: the npm digit arrays survive mutated text", "[fuzz][datasets]") {
  smoke("json_numbers", fuzz::json_numbers, 4000);
}

TEST_CASE("fuzz smoke: gunzip survives mutated streams", "[fuzz][datasets]") { smoke("gunzip", fuzz::gunzip, 2000); }

// The file loaders go through a temporary file per input, so they get fewer mutations (the model target at 500 a
// seed took 21 s of the suite's minute).
TEST_CASE("fuzz smoke: IDX files, raw and gzip'd, survive mutation", "[fuzz][datasets]") { smoke("idx", fuzz::idx, 4000); }

TEST_CASE("fuzz smoke: CIFAR-10 batches survive mutation", "[fuzz][datasets]") { smoke("cifar10", fuzz::cifar10, 1600); }

TEST_CASE("fuzz smoke: FER2013 CSVs survive mutation", "[fuzz][datasets]") { smoke("fer2013", fuzz::fer2013, 2600); }

TEST_CASE("fuzz smoke: PNG, JPEG and BMP decoding survives mutation", "[fuzz][datasets]") {
  smoke("image", fuzz::image, 330000);
}

TEST_CASE("fuzz smoke: model files survive mutation", "[fuzz][nn]") { smoke("model", fuzz::model, 6000); }

TEST_CASE("fuzz smoke: manifold split files survive mutation", "[fuzz][vae]") {
  smoke("manifold_split", fuzz::manifold_split, 6000);
}
