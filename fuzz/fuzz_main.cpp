// One libFuzzer entry point per target in fuzz/targets.h, chosen with -DMXAI_FUZZ_TARGET=<name> (fuzz/CMakeLists.txt
// builds one fuzz_<target> per name in MXAI_FUZZ_TARGETS from this file).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"
#include "fuzz/targets_files.h"

#ifndef MXAI_FUZZ_TARGET
#error "define MXAI_FUZZ_TARGET as one of the functions of fuzz/targets.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return mxai::fuzz::MXAI_FUZZ_TARGET(data, size);
}
