// safetensors_max_diff A B: for every tensor of A, its name and the largest absolute difference from the tensor of
// the same name in B, one per line. Exit 1 (naming the tensor) when the names or shapes differ, 2 on bad usage.
// The MPI tests use it to compare a sharded run's outputs with a one-process run's.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nn/safetensors.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: safetensors_max_diff A.safetensors B.safetensors\n");
    return 2;
  }
  try {
    const auto a = mxai::nn::load_safetensors(argv[1]), b = mxai::nn::load_safetensors(argv[2]);
    if (a.tensors.size() != b.tensors.size()) {
      std::printf("%s holds %zu tensors, %s holds %zu\n", argv[1], a.tensors.size(), argv[2], b.tensors.size());
      return 1;
    }
    for (const auto& [name, x] : a.tensors) {
      auto it = b.tensors.find(name);
      if (it == b.tensors.end() || it->second.shape() != x.shape()) {
        std::printf("%s: missing or of another shape in %s\n", name.c_str(), argv[2]);
        return 1;
      }
      double worst = 0;
      for (int64_t i = 0; i < x.numel(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(x.data()[i]) - it->second.data()[i]));
      std::printf("%s %.3g\n", name.c_str(), worst);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "safetensors_max_diff: %s\n", e.what());
    return 2;
  }
  return 0;
}
