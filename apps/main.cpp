// The `mxai` command line: `mxai <command> [options]`, `mxai <command> --help`.
#include <cstdio>
#include <malloc.h>
#include <exception>
#include <iostream>

#include "apps/cli.h"
#include "apps/commands.h"
#include "autodiff/tensor.h"

namespace mxai::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"reproduce", "run both papers' experiments end to end and write an HTML report (the main job)",
       cmd::reproduce},
      {"explain", "attributions of a classifier and their tangent-space alignment", cmd::explain},
      {"roar", "remove and retrain: accuracy as the pixels each method ranks first are removed", cmd::roar},
      {"taig", "optimise IG base-points for tangential alignment (TAIG) and compare methods", cmd::taig},
      {"train-classifier", "train an image classifier (lenet, vgg, resnet) and save it as safetensors",
       cmd::train_classifier},
      {"eval-classifier", "report a saved classifier's accuracy", cmd::eval_classifier},
      {"info", "list the tensors and metadata of a safetensors file", cmd::info},
      {"train-vae", "train the Burgess VAE whose decoder defines the generated data's manifold", cmd::train_vae},
      {"make-manifold-dataset", "sample a labelled data set from a VAE decoder, with exact tangent bases",
       cmd::make_manifold_dataset},
      {"tangent-space", "compute and check decoder tangent bases, with timing and ranks", cmd::tangent_space},
      {"train-autoencoder", "train a convolutional autoencoder estimating the manifold of real images",
       cmd::train_autoencoder},
      {"demo", "train a small network on two interleaved spirals with the autodiff engine", cmd::demo},
  };
  return table;
}

}  // namespace mxai::cli

static void print_usage() {
  std::cout << "usage: mxai <command> [options]\n\ncommands:\n";
  for (const auto& c : mxai::cli::commands()) {
    std::string name = "  " + c.name;
    name.resize(24, ' ');
    std::cout << name << c.summary << "\n";
  }
  std::cout << "\n`mxai <command> --help` describes a command's options; `mxai --version` prints the version.\n";
}

// glibc hands large freed blocks back to the kernel, and the next allocation of the same size page-faults them
// in again: on this VM that costs more than the arithmetic. Keep freed memory in the process instead (the same
// setting the PyTorch reference benchmark uses).
static void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 256 << 20);
}

int main(int argc, char** argv) {
  keep_freed_memory();
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" ||
      std::string(argv[1]) == "help") {
    print_usage();
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  if (name == "--version" || name == "version") {
    std::cout << "mxai " << MXAI_VERSION << "\n";
    return 0;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : mxai::cli::commands()) {
    if (c.name != name) continue;
    try {
      return c.run(args);
    } catch (const mxai::Error& e) {
      std::fprintf(stderr, "mxai %s: error: %s\n", name.c_str(), e.what());
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mxai %s: unexpected error: %s\n", name.c_str(), e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "mxai: unknown command '%s'\n\n", name.c_str());
  print_usage();
  return 2;
}
