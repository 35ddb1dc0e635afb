// An explicit random number generator. Every random op takes one, so results depend only on the seed.
// The generator (splitmix64-seeded xoshiro256**) and the normal sampler (Box-Muller) are our own, so draws are
// the same on every platform and standard library.
#pragma once

#include <cstdint>

#include "autodiff/tensor.h"

namespace mxai {

class Generator {
 public:
  explicit Generator(uint64_t seed = 0) { this->seed(seed); }
  void seed(uint64_t seed);
  uint64_t next_u64();
  double uniform();                       // [0, 1)
  double normal();                        // N(0, 1)
  uint64_t below(uint64_t n);             // uniform integer in [0, n)
  Generator split();                      // an independent stream (for per-thread or per-item use)

 private:
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

Tensor randn(const Shape& shape, Generator& gen);                       // N(0, 1)
Tensor rand(const Shape& shape, Generator& gen, real lo = 0, real hi = 1);  // U[lo, hi)

}  // namespace mxai
