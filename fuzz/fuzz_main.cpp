// One libFuzzer entry point per target in fuzz/targets.h, chosen with -DMXAI_FUZZ_TARGET=<name> (fuzz/CMakeLists.txt
// builds fuzz_safetensors, fuzz_json, fuzz_json_numbers and fuzz_gunzip from this file).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"

#ifndef MXAI_FUZZ_TARGET
#error "define MXAI_FUZZ_TARGET as one of the functions of fuzz/targets.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return mxai::fuzz::MXAI_FUZZ_TARGET(data, size);
}
