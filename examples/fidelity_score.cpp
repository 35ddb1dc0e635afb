// The scoring step of scripts/ablations.sh (docs/fidelity.md): the mean tangent fraction of one method in a file
// written by `mxai explain --out`, with its 95% percentile-bootstrap interval, and, given a second file scored on
// the same points, the paired difference to it with its interval.
//
//   fidelity_score ROW.safetensors [BASELINE.safetensors] [--method gradient]
//   -> "mean 0.7051 ci 0.7012 0.7090 n 2000" (+ " diff +0.0123 ci +0.0101 +0.0145")
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "autodiff/tensor.h"
#include "explain/paired_comparison.h"
#include "nn/safetensors.h"

using namespace mxai;

namespace {

// tangent_fraction.<method> (N) of an explain file; errors name the file and what was expected.
std::vector<double> fractions(const std::string& path, const std::string& method) {
  const nn::SafetensorsContents file = nn::load_safetensors(path);
  const std::string name = "tangent_fraction." + method;
  const auto found = file.tensors.find(name);
  if (found == file.tensors.end())
    throw Error("'" + path + "' has no tensor '" + name + "' (expected a file written by `mxai explain --out` "
                "with --methods including " + method + ")");
  const std::vector<real> values = found->second.to_vector();
  return std::vector<double>(values.begin(), values.end());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> files;
    std::string method = "gradient";
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--method" && i + 1 < argc) {
        method = argv[++i];
      } else if (arg.rfind("--", 0) == 0) {
        throw Error("unknown option '" + arg + "' (usage: fidelity_score ROW [BASELINE] [--method NAME])");
      } else {
        files.push_back(arg);
      }
    }
    if (files.empty() || files.size() > 2)
      throw Error("expected one or two explain files, got " + std::to_string(files.size()) +
                  " (usage: fidelity_score ROW [BASELINE] [--method NAME])");
    const std::vector<double> row = fractions(files[0], method);
    // The interval of the mean alone: the paired bootstrap against a zero partner resamples exactly the means.
    const explain::PairedComparison mean = explain::compare_paired(row, std::vector<double>(row.size(), 0.0));
    std::printf("mean %.4f ci %.4f %.4f n %lld", mean.difference, mean.ci_low, mean.ci_high,
                static_cast<long long>(mean.n));
    if (files.size() == 2) {
      const std::vector<double> base = fractions(files[1], method);
      if (base.size() != row.size())
        throw Error("'" + files[0] + "' scores " + std::to_string(row.size()) + " points but '" + files[1] +
                    "' scores " + std::to_string(base.size()) + ": a paired difference needs the same points");
      const explain::PairedComparison diff = explain::compare_paired(row, base);
      std::printf(" diff %+.4f ci %+.4f %+.4f", diff.difference, diff.ci_low, diff.ci_high);
    }
    std::printf("\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fidelity_score: error: %s\n", e.what());
    return 1;
  }
}
