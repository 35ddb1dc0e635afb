// The toolchain guard: does the compiler, with one of mxai's flag sets, get short constant vectors right?
//
// GCC 12.2 compiles std::vector<double>{1,1,0,0} into {1,1,1,1} (a broadcast of the first value) when its SLP
// vectoriser may use AVX-512 or tunes for Sapphire Rapids; see cmake/mxai_isa.cmake. tests/CMakeLists.txt builds
// this file once per flag set the library uses (MXAI_FLAG_SETS) and CTest runs each build before any other test.
// A failure means code built with those flags computes wrong values on this machine.
//
// MXAI_GUARD_LEVEL says which instruction set the flags need: 0 none, 1 AVX2, 2 AVX-512 (exit 77, "skipped", on a
// CPU without it), 3 a baseline unit whose functions carry target attributes: the cases then also run inside
// functions with target("avx2,fma") and target("avx512f,...") attributes, as the direct-convolution tiles do.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

int failures = 0;

template <class To, class From>
__attribute__((noinline)) std::vector<To> convert(const std::vector<From>& v) {
  return std::vector<To>(v.begin(), v.end());
}

template <class T>
void expect(const char* where, const char* name, const std::vector<T>& got, const std::vector<double>& want) {
  bool same = got.size() == want.size();
  for (size_t i = 0; same && i < got.size(); ++i) same = static_cast<double>(got[i]) == want[i];
  if (same) return;
  ++failures;
  std::printf("FAIL %s %s: got", where, name);
  for (const T& x : got) std::printf(" %g", static_cast<double>(x));
  std::printf(", want");
  for (double x : want) std::printf(" %g", x);
  std::printf("\n");
}

// The numbers a case should give, parsed from its text, which no constant folding can touch.
std::vector<double> parse(const char* text) {
  std::vector<double> v;
  for (char* end = nullptr;; text = end + (*end == ',')) {
    const double x = std::strtod(text, &end);
    if (end == text) return v;
    v.push_back(x);
  }
}

namespace plain {
#define MXAI_GUARD_ATTR
#include "guard_cases.inc"
#undef MXAI_GUARD_ATTR
}  // namespace plain

#if MXAI_GUARD_LEVEL == 3 && defined(__x86_64__)
namespace avx2_attribute {
#define MXAI_GUARD_ATTR [[gnu::target("avx2,fma")]]
#include "guard_cases.inc"
#undef MXAI_GUARD_ATTR
}  // namespace avx2_attribute
namespace avx512_attribute {
#define MXAI_GUARD_ATTR [[gnu::target("avx512f,avx512vl,avx512bw,avx512dq")]]
#include "guard_cases.inc"
#undef MXAI_GUARD_ATTR
}  // namespace avx512_attribute
#endif

[[maybe_unused]] bool cpu_has(int level) {
#if defined(__x86_64__)
  if (level == 1) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (level == 2)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
#endif
  return level == 0;
}

}  // namespace

int main() {
#if MXAI_GUARD_LEVEL == 1 || MXAI_GUARD_LEVEL == 2
  if (!cpu_has(MXAI_GUARD_LEVEL)) {
    std::printf("skipped: this CPU lacks the instruction set of these flags\n");
    return 77;
  }
#endif
  plain::run("plain");
#if MXAI_GUARD_LEVEL == 3 && defined(__x86_64__)
  if (cpu_has(1)) avx2_attribute::run("target(avx2)");
  if (cpu_has(2)) avx512_attribute::run("target(avx512)");
#endif
  std::printf("%s: %d wrong conversions\n", failures ? "FAILED" : "ok", failures);
  return failures ? 1 : 0;
}
