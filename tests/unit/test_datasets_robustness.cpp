// Bad input must end in an mxai::Error, never a crash: every truncation and random corruptions of each format.
#include <catch2/catch.hpp>
#include <functional>

#include "autodiff/random.h"
#include "datasets/fer2013.h"
#include "datasets/idx.h"
#include "datasets/image_read.h"
#include "datasets/image_write.h"
#include "datasets/json_numbers.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai_test;

namespace {

// Runs `load` on every prefix of `good` and on `flips` copies with random bytes replaced; each run must either
// succeed or throw mxai::Error. Returns how many runs threw.
int survive_bad_bytes(const std::string& good, const std::function<void(const std::string&)>& load, int flips = 200) {
  int errors = 0;
  const auto attempt = [&](const std::string& bytes) {
    try {
      load(bytes);
    } catch (const Error&) {
      ++errors;
    }
  };
  for (size_t length = 0; length < good.size(); ++length) attempt(good.substr(0, length));
  Generator gen(1234);
  for (int i = 0; i < flips; ++i) {
    std::string bytes = good;
    for (int k = 0; k < 3; ++k) bytes[gen.below(bytes.size())] = static_cast<char>(gen.below(256));
    attempt(bytes);
  }
  return errors;
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
  CHECK(survive_bad_bytes(raw, via_file(dir.file("i"), [&] { read_idx_images(dir.file("i")); })) >=
        static_cast<int>(raw.size()));
  write_gzip(dir.file("g.gz"), raw);
  const std::string gz = read_file_for_test(dir.file("g.gz"));
  CHECK(survive_bad_bytes(gz, via_file(dir.file("g"), [&] { read_idx_images(dir.file("g")); })) >=
        static_cast<int>(gz.size()));
  const std::string labels = idx_labels_bytes({1, 2, 3});
  survive_bad_bytes(labels, via_file(dir.file("l"), [&] { read_idx_labels(dir.file("l")); }));
}

TEST_CASE("JSON, FER2013 and image decoding survive corrupt input", "[datasets]") {
  TempDir dir;
  const std::string json = "{ \"data\": [0, 0.25, 1e-3, 0.5, 1] }";
  survive_bad_bytes(
      json, [](const std::string& bytes) { parse_json_data_array(bytes, "d.json"); }, 2000);

  std::string pixels;
  for (int i = 0; i < 2304; ++i) pixels += (i ? " " : "") + std::to_string(i % 256);
  const std::string csv = "emotion,pixels,Usage\n3," + pixels + ",Training\n";
  // Every prefix of a 9 kB row is slow to no purpose: the header and the first pixels are where parsing branches.
  const auto fer = via_file(dir.file("f.csv"), [&] { load_fer2013(dir.file("f.csv"), "all"); });
  survive_bad_bytes(csv.substr(0, 200), fer, 0);
  survive_bad_bytes(csv, fer, 100);

  Tensor image = Tensor::empty({3, 6, 5});
  for (int64_t i = 0; i < image.numel(); ++i) image.data()[i] = static_cast<real>(i % 7) / 6;
  const std::string png = encode_png(image);
  survive_bad_bytes(
      png, [](const std::string& bytes) { decode_image(bytes, 3, "x.png"); }, 2000);
}
