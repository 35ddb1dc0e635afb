// The `mxai` command line: `mxai <command> [options]`, `mxai <command> --help`.
#include <cstdio>
#include <malloc.h>
#include <unistd.h>
#include <exception>
#include <iostream>

#include "apps/cli.h"
#include "apps/commands.h"
#include "autodiff/tensor.h"
#include "experiments/distributed.h"

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

static int run(int argc, char** argv, FILE* errors);

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

// On every rank but 0 of an MPI job: stdout and stderr go nowhere (rank 0 prints for the job), and the returned
// stream is the real stderr, kept for this rank's own errors.
static FILE* quiet_unless_root() {
  if (mxai::experiments::distributed::is_root()) return stderr;
  FILE* errors = fdopen(dup(fileno(stderr)), "w");
  if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr) || !errors)
    mxai::experiments::distributed::abort_job("mxai: cannot silence rank " +
                                              std::to_string(mxai::experiments::distributed::rank()), 1);
  return errors;
}

// A command's error ends the whole job (every rank stops, not just this one), naming the rank that failed.
static int fail(FILE* errors, const std::string& name, const std::string& what) {
  namespace distributed = mxai::experiments::distributed;
  const std::string rank = distributed::ranks() > 1 ? " (rank " + std::to_string(distributed::rank()) + ")" : "";
  std::fprintf(errors, "mxai %s%s: %s\n", name.c_str(), rank.c_str(), what.c_str());
  std::fflush(errors);
  if (distributed::ranks() > 1) distributed::abort_job("mxai: ending all ranks", 1);
  return 1;
}

int main(int argc, char** argv) {
  keep_freed_memory();
  mxai::experiments::distributed::start(argc, argv);
  FILE* errors = quiet_unless_root();
  const int status = run(argc, argv, errors);
  std::fflush(stdout);
  mxai::experiments::distributed::stop();
  return status;
}

static int run(int argc, char** argv, FILE* errors) {
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
      return fail(errors, name, std::string("error: ") + e.what());
    } catch (const std::exception& e) {
      return fail(errors, name, std::string("unexpected error: ") + e.what());
    }
  }
  std::fprintf(stderr, "mxai: unknown command '%s'\n\n", name.c_str());
  print_usage();
  return 2;
}
