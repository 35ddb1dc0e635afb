// The content-keyed stage cache of `mxai reproduce` (experiments/stage_runner.h, experiments/stage_cache.h) on toy stages:
// A (seeded) -> B (reads A's output, two outputs) and C (independent). An identical rerun reuses everything; a
// changed seed or setting recomputes that stage and its dependents only, and says why; a truncated or corrupted
// output, a missing or broken record and an interrupted stage are detected and recomputed, never loaded.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "autodiff/file_io.h"
#include "autodiff/tensor.h"
#include "experiments/stage_runner.h"

using namespace mxai;
using namespace mxai::experiments;
namespace fs = std::filesystem;

namespace {

class CacheDir {
 public:
  CacheDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("mxai_stage_cache_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path_);
  }
  ~CacheDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// The toy pipeline. Each stage's output is a pure function of its settings and inputs, like the real stages.
struct Toy {
  explicit Toy(const CacheDir& dir)
      : a(dir.file("a.txt")), b1(dir.file("b1.txt")), b2(dir.file("b2.txt")), c(dir.file("c.txt")) {}

  std::string a, b1, b2, c;
  int seed = 0, scale = 1, c_setting = 7;
  bool force = false;
  bool interrupt_b = false;  // B writes b1, then fails before b2
  std::map<std::string, int> runs;
  std::vector<std::string> log;
  std::map<std::string, bool> reused;

  void run() {
    StageRunner runner(force, /*quiet=*/true);
    struct Finally {
      Toy& toy;
      StageRunner& runner;
      ~Finally() {
        toy.log = runner.log();
        toy.reused.clear();
        for (const auto& s : runner.stages()) toy.reused[s.name] = s.reused;
      }
    } record{*this, runner};

    StageKey ka;
    ka.add("seed", seed);
    runner.run("A", ka, {a}, [&] {
      ++runs["A"];
      write_file_atomic(a, "A drawn with seed " + std::to_string(seed) + "\n");
    });

    StageKey kb;
    kb.add("scale", scale).add("input a.txt", runner.content_hash(a));
    runner.run("B", kb, {b1, b2}, [&] {
      ++runs["B"];
      const std::string in = read_file(a);
      write_file_atomic(b1, "B1 of (" + in + ") x " + std::to_string(scale) + "\n");
      if (interrupt_b) throw Error("interrupted");
      write_file_atomic(b2, "B2 of (" + in + ")\n");
    });

    StageKey kc;
    kc.add("setting", c_setting).add("ratio", 0.25).add("flag", true).add("label", "toy");
    runner.run("C", kc, {c}, [&] {
      ++runs["C"];
      write_file_atomic(c, "C with " + std::to_string(c_setting) + "\n");
    });
  }

  // The lines the runner wrote about `stage`.
  std::string said(const std::string& stage) const {
    std::string text;
    for (const auto& line : log)
      if (line.rfind("[" + stage + "]", 0) == 0) text += line + "\n";
    return text;
  }
};

void truncate_file(const std::string& path, size_t keep) { write_file_atomic(path, read_file(path).substr(0, keep)); }

}  // namespace

TEST_CASE("FNV-1a 64 matches the published test vectors", "[experiments][stage_cache]") {
  const auto hex = [](const std::string& s) {
    Fnv1a h;
    h.add(s);
    return h.hex();
  };
  CHECK(hex("") == "cbf29ce484222325");
  CHECK(hex("a") == "af63dc4c8601ec8c");
  CHECK(hex("foobar") == "85944171f73967e8");
  Fnv1a split;  // hashing in pieces is hashing the whole
  split.add(std::string("foo"));
  split.add(std::string("bar"));
  CHECK(split.hex() == "85944171f73967e8");

  CacheDir dir;
  write_file_atomic(dir.file("f"), "foobar");
  uint64_t bytes = 0;
  CHECK(hash_file(dir.file("f"), &bytes) == "85944171f73967e8");
  CHECK(bytes == 6);
  CHECK_THROWS_WITH(hash_file(dir.file("missing")), Catch::Contains("missing"));
}

TEST_CASE("a stage key: readable settings, a digest of all of them, and the differences in words",
          "[experiments][stage_cache]") {
  StageKey k1;
  k1.add("seed", uint64_t{0}).add("epochs", int64_t{4}).add("lr", 1e-3).add("loss", "mse").add("cosine", true);
  CHECK(k1.settings().front() == std::make_pair(std::string("stage cache format"), std::to_string(kStageCacheFormat)));
  CHECK(k1.settings().at(3).second == "0.001");
  CHECK(k1.settings().at(5).second == "true");
  StageKey k2 = k1;
  CHECK(k2.digest() == k1.digest());
  StageKey k3;
  k3.add("seed", 1).add("epochs", int64_t{4}).add("lr", 1e-3).add("loss", "mse").add("cosine", true);
  CHECK(k3.digest() != k1.digest());
  CHECK(describe_changes(k1.settings(), k3.settings()) == "seed 0 -> 1");
  CHECK(describe_changes(k1.settings(), k1.settings()).empty());
  CHECK_THROWS_WITH(StageKey().add("seed", 0).add("seed", 1), Catch::Contains("'seed' added twice"));

  // Names and values are kept apart: ("ab", "c") is not ("a", "bc").
  StageKey x, y;
  x.add("ab", "c");
  y.add("a", "bc");
  CHECK(x.digest() != y.digest());

  StageSettings before = {{"a", "1"}, {"b", "2"}, {"gone", "x"}};
  StageSettings now = {{"a", "1"}, {"b", "3"}, {"new", "y"}};
  CHECK(describe_changes(before, now) == "b 2 -> 3, new setting new = y, setting gone = x dropped");
  StageSettings many_before, many_now;
  for (int i = 0; i < 6; ++i) {
    many_before.emplace_back("s" + std::to_string(i), "0");
    many_now.emplace_back("s" + std::to_string(i), "1");
  }
  CHECK(describe_changes(many_before, many_now, 2) == "s0 0 -> 1, s1 0 -> 1, and 4 more");
}

TEST_CASE("a stage record survives the round trip through its file", "[experiments][stage_cache]") {
  CacheDir dir;
  StageRecord r;
  r.stage = "train \"quoted\" stage";
  r.key = "0123456789abcdef";
  r.settings = {{"seed", "0"}, {"input data/train.safetensors", "fedcba9876543210"}, {"odd \\ name\n", "tab\t"}};
  r.outputs = {{"a.bin", 12345678901ull, "00000000000000ff"}, {"sub/b.bin", 0, "cbf29ce484222325"}};
  const std::string path = stage_record_path(dir.file("a.bin"));
  CHECK(path == dir.file("a.bin.stage.json"));
  write_stage_record(path, r);
  const StageRecord back = read_stage_record(path);
  CHECK(back.stage == r.stage);
  CHECK(back.key == r.key);
  CHECK(back.settings == r.settings);
  REQUIRE(back.outputs.size() == 2);
  CHECK(back.outputs[0].file == "a.bin");
  CHECK(back.outputs[0].bytes == 12345678901ull);
  CHECK(back.outputs[1].fnv1a == "cbf29ce484222325");

  write_file_atomic(path, "{\"format\": \"mxai-stage-record\", \"stage\": \"x\"");
  CHECK_THROWS_WITH(read_stage_record(path), Catch::Contains("unreadable"));
  write_file_atomic(path, "{\"format\": \"mxai-stage-record\", \"stage\": \"x\", \"key\": 3}");
  CHECK_THROWS_WITH(read_stage_record(path), Catch::Contains("'key'"));
  CHECK_THROWS_WITH(read_stage_record(dir.file("none.stage.json")), Catch::Contains("none.stage.json"));
}

TEST_CASE("the first run computes every stage, an identical rerun reuses all of them", "[experiments][stage_cache]") {
  CacheDir dir;
  Toy toy(dir);
  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 1}, {"B", 1}, {"C", 1}});
  CHECK(toy.reused == std::map<std::string, bool>{{"A", false}, {"B", false}, {"C", false}});
  CHECK(fs::exists(dir.file("a.txt.stage.json")));
  CHECK(fs::exists(dir.file("b1.txt.stage.json")));  // one record per stage, beside its first output
  CHECK_FALSE(fs::exists(dir.file("b2.txt.stage.json")));

  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 1}, {"B", 1}, {"C", 1}});
  CHECK(toy.reused == std::map<std::string, bool>{{"A", true}, {"B", true}, {"C", true}});
  CHECK_THAT(toy.said("B"), Catch::Contains("reusing"));

  toy.force = true;
  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 2}, {"B", 2}, {"C", 2}});
}

TEST_CASE("a new seed recomputes the seeded stage and its dependents, not the others, and says why",
          "[experiments][stage_cache]") {
  CacheDir dir;
  Toy toy(dir);
  toy.run();
  toy.seed = 1;
  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 2}, {"B", 2}, {"C", 1}});
  CHECK(toy.reused == std::map<std::string, bool>{{"A", false}, {"B", false}, {"C", true}});
  CHECK_THAT(toy.said("A"), Catch::Contains("[A] settings changed (seed 0 -> 1): recomputing"));
  CHECK_THAT(toy.said("B"), Catch::Contains("settings changed (input a.txt "));
  CHECK(read_file(toy.a) == "A drawn with seed 1\n");

  // Back to seed 0: recomputed again (the cache keeps one version per stage), then reused.
  toy.seed = 0;
  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 3}, {"B", 3}, {"C", 1}});
  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 3}, {"B", 3}, {"C", 1}});
}

TEST_CASE("a changed setting invalidates its stage and that stage's dependents only", "[experiments][stage_cache]") {
  CacheDir dir;
  Toy toy(dir);
  toy.run();

  toy.scale = 2;  // B only: nothing depends on B
  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 1}, {"B", 2}, {"C", 1}});
  CHECK_THAT(toy.said("B"), Catch::Contains("settings changed (scale 1 -> 2)"));

  toy.c_setting = 8;  // C only
  toy.run();
  CHECK(toy.runs == std::map<std::string, int>{{"A", 1}, {"B", 2}, {"C", 2}});

  toy.run();
  CHECK(toy.reused == std::map<std::string, bool>{{"A", true}, {"B", true}, {"C", true}});
}

TEST_CASE("a truncated or corrupted output is detected and recomputed, never loaded", "[experiments][stage_cache]") {
  CacheDir dir;
  Toy toy(dir);
  toy.run();
  const std::string b2_before = read_file(toy.b2);

  SECTION("truncated") {
    truncate_file(toy.b2, 5);
    toy.run();
    CHECK(toy.runs == std::map<std::string, int>{{"A", 1}, {"B", 2}, {"C", 1}});
    CHECK_THAT(toy.said("B"), Catch::Contains("b2.txt is truncated or corrupted (5 bytes, recorded") &&
                                  Catch::Contains("): recomputing"));
    CHECK(read_file(toy.b2) == b2_before);
  }
  SECTION("same size, one byte changed") {
    std::string bytes = read_file(toy.b2);
    bytes[3] ^= 1;
    write_file_atomic(toy.b2, bytes);
    toy.run();
    CHECK(toy.runs["B"] == 2);
    CHECK_THAT(toy.said("B"), Catch::Contains("b2.txt is corrupted (content hash"));
    CHECK(read_file(toy.b2) == b2_before);
  }
  SECTION("missing") {
    fs::remove(toy.b2);
    toy.run();
    CHECK(toy.runs["B"] == 2);
    CHECK_THAT(toy.said("B"), Catch::Contains("b2.txt is missing"));
  }
  SECTION("an upstream output: its stage reruns; dependents follow its content") {
    truncate_file(toy.a, 3);
    toy.run();
    CHECK_THAT(toy.said("A"), Catch::Contains("a.txt is truncated or corrupted"));
    // A is deterministic: recomputed, its bytes are what they were, so B's key (which holds A's content hash)
    // still matches and B is reused.
    CHECK(toy.runs == std::map<std::string, int>{{"A", 2}, {"B", 1}, {"C", 1}});
    CHECK(toy.reused["B"]);
  }
  toy.run();
  CHECK(toy.reused == std::map<std::string, bool>{{"A", true}, {"B", true}, {"C", true}});
}

TEST_CASE("outputs without a valid record are recomputed, and so is an interrupted stage", "[experiments][stage_cache]") {
  CacheDir dir;
  Toy toy(dir);
  toy.run();

  SECTION("no record (outputs of an older mxai)") {
    fs::remove(dir.file("a.txt.stage.json"));
    toy.run();
    CHECK(toy.runs["A"] == 2);
    CHECK_THAT(toy.said("A"), Catch::Contains("no record of how") && Catch::Contains("a.txt.stage.json is missing"));
  }
  SECTION("a broken record") {
    write_file_atomic(dir.file("c.txt.stage.json"), "not json");
    toy.run();
    CHECK(toy.runs == std::map<std::string, int>{{"A", 1}, {"B", 1}, {"C", 2}});
    CHECK_THAT(toy.said("C"), Catch::Contains("unreadable"));
  }
  SECTION("a stage that failed half-way left no record") {
    toy.scale = 3;
    toy.interrupt_b = true;
    CHECK_THROWS_WITH(toy.run(), Catch::Contains("interrupted"));
    CHECK_FALSE(fs::exists(dir.file("b1.txt.stage.json")));
    toy.interrupt_b = false;
    toy.run();
    CHECK(toy.runs["B"] == 3);
    CHECK_THAT(toy.said("B"), Catch::Contains("no record of how"));
    CHECK_THAT(read_file(toy.b1), Catch::Contains(" x 3"));
  }
  toy.run();
  CHECK(toy.reused == std::map<std::string, bool>{{"A", true}, {"B", true}, {"C", true}});
}

TEST_CASE("a stage that does not write an output it declared fails", "[experiments][stage_cache]") {
  CacheDir dir;
  StageRunner runner(false, true);
  CHECK_THROWS_WITH(runner.run("lazy", StageKey(), {dir.file("never.bin")}, [] {}),
                    Catch::Contains("did not write its output") && Catch::Contains("never.bin"));
  CHECK_FALSE(fs::exists(dir.file("never.bin.stage.json")));
}
