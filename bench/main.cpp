// mxai-bench [--only NAME[,NAME...]] [--quick] [--reps N] [--simd LEVEL] [--list]
// The PyTorch anchor's workloads on mxai; stdout: one JSON line per workload, stderr: progress and checks.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "autodiff/simd.h"
#include "autodiff/tensor.h"
#include "bench/workloads.h"

using namespace mxai;
using namespace mxai::bench;

namespace {

const std::vector<WorkloadEntry>& workloads() {
  static const std::vector<WorkloadEntry> table = {
      {"sgemm_2048", setup_sgemm_2048},
      {"conv2d_forward", setup_conv2d_forward},
      {"conv2d_backward", setup_conv2d_backward},
      {"conv2d_backward_input", setup_conv2d_backward_input},
      {"conv2d_backward_weight", setup_conv2d_backward_weight},
      {"classifier_train_step", setup_classifier_train_step},
      {"vae_train_step", setup_vae_train_step},
      {"integrated_gradients", setup_integrated_gradients},
      {"smoothgrad", setup_smoothgrad},
      {"decoder_jacobian", setup_decoder_jacobian},
      {"pgd_adversarial_train_step", setup_pgd_adversarial_train_step},
      {"taig_step", setup_taig_step},
  };
  return table;
}

// The same malloc setting as apps/main.cpp and the anchor's tuned config: freed blocks stay in the process,
// because re-faulting them from the kernel costs more than the arithmetic on this VM.
void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 256 << 20);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  for (std::string p; std::getline(in, p, ',');)
    if (!p.empty()) parts.push_back(p);
  return parts;
}

int usage(int code) {
  std::cerr << "usage: mxai-bench [--only NAME[,NAME...]] [--quick] [--reps N] [--simd LEVEL] [--list]\n"
               "  --only   run only these workloads (exact names, comma separated)\n"
               "  --quick  3 timed reps instead of 7\n"
               "  --reps   number of timed reps\n"
               "  --simd   run the per-ISA kernels at this level: portable, avx2 or avx512 (default: the CPU's best)\n"
               "  --list   print the workload names\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();
  int reps = 7;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") reps = 3;
    else if (a == "--reps" && i + 1 < argc) reps = std::atoi(argv[++i]);
    else if (a == "--only" && i + 1 < argc) only = split(argv[++i]);
    else if (a == "--simd" && i + 1 < argc) {
      const std::string level = argv[++i];
      bool known = false;
      for (const auto l : {kernels::SimdLevel::portable, kernels::SimdLevel::avx2, kernels::SimdLevel::avx512})
        if (level == kernels::simd_level_name(l)) {
          if (l > kernels::best_simd_level()) {
            std::cerr << "mxai-bench: this CPU does not support --simd " << level << "\n";
            return 2;
          }
          kernels::set_simd_level(l);
          known = true;
        }
      if (!known) return usage(2);
    }
    else if (a == "--list") {
      for (const auto& w : workloads()) std::cout << w.name << "\n";
      return 0;
    } else if (a == "--help" || a == "-h") return usage(0);
    else return usage(2);
  }
  if (reps < 1) return usage(2);
  for (const std::string& name : only) {
    bool known = false;
    for (const auto& w : workloads()) known = known || w.name == name;
    if (!known) {
      std::cerr << "mxai-bench: unknown workload '" << name << "'; --list shows the names\n";
      return 2;
    }
  }
  log(std::string("per-ISA kernels: ") + kernels::simd_level_name(kernels::simd_level()));
  const auto t_all = std::chrono::steady_clock::now();
  try {
    for (const auto& w : workloads()) {
      if (!only.empty() && std::find(only.begin(), only.end(), w.name) == only.end()) continue;
      const auto t0 = std::chrono::steady_clock::now();
      run_workload(w, reps);
      log("  " + w.name + ": " +
          std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) + " s");
    }
  } catch (const std::exception& e) {
    std::cerr << "mxai-bench: error: " << e.what() << "\n";
    return 1;
  }
  log("total " + std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count()) +
      " s");
  return 0;
}
