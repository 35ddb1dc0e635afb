// `mxai reproduce`: the whole pipeline of both papers from the installed data, restartable, ending in
// DIR/index.html and DIR/results.json.
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "apps/cli.h"
#include "apps/commands.h"
#include "autodiff/file_io.h"
#include "experiments/progress.h"
#include "experiments/reproduce_datasets.h"
#include "explain/summary_statistics.h"
#include "report/report.h"
#include "report/titles.h"

namespace mxai::cmd {

namespace {

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
  return buf;
}

double mean_of(const std::vector<double>& v) { return explain::summarize(v).mean; }
double median_of(const std::vector<double>& v) { return explain::summarize(v).median; }

// The headline numbers on stdout: what the README shows.
void print_summary(const experiments::RunResults& report) {
  for (const auto& ds : report.datasets) {
    std::printf("\n%s (d = %lld, k = %lld; random vector: sqrt(k/d) = %.3f)\n", report::dataset_title(ds.key).c_str(),
                static_cast<long long>(ds.d), static_cast<long long>(ds.k), ds.random_baseline);
    std::printf("  mean tangent fraction        ");
    for (const auto& m : ds.models) std::printf("%12s", m.key.c_str());
    std::printf("\n");
    if (ds.models.empty()) continue;
    for (size_t i = 0; i < ds.models.front().methods.size(); ++i) {
      std::printf("  %-28s", ds.models.front().methods[i].key.c_str());
      for (const auto& m : ds.models) std::printf("%12.3f", mean_of(m.methods[i].fractions));
      std::printf("\n");
    }
    std::printf("  %-28s", "test accuracy");
    for (const auto& m : ds.models) std::printf("%11.2f%%", 100 * m.accuracy);
    std::printf("\n");
    if (ds.has_taig) {
      std::printf("  TAIG (%s model, %zu points)  median      mean\n", ds.taig.model_key.c_str(),
                  ds.taig.methods.empty() ? size_t{0} : ds.taig.methods.front().fractions.size());
      for (const auto& m : ds.taig.methods)
        std::printf("  %-28s%7.3f%10.3f\n", m.key.c_str(), median_of(m.fractions), mean_of(m.fractions));
    }
    for (const auto* findings : {&ds.findings, &ds.taig.findings})
      for (const auto& f : *findings)
        std::printf("  [%s] %s: %s %+.4f, 95%% CI [%+.4f, %+.4f]\n", explain::verdict_name(f.verdict).c_str(),
                    f.claim.c_str(), f.statistic.c_str(), f.difference, f.ci_low, f.ci_high);
  }
}

}  // namespace

int reproduce(const Args& args) {
  cli::Options opts("reproduce",
                    "Run both papers' experiments end to end: VAE -> generated MNIST32 with exact tangent spaces -> "
                    "standard and adversarial LeNets -> attributions and their tangent-space alignment; the same on "
                    "Fashion-MNIST with an autoencoder; TAIG's optimised base-points. A finished stage is reused when "
                    "its settings, seed and inputs are unchanged and its files are intact.");
  opts.value("preset", "quick", "quick (under 20 minutes on 2 cores), reference (every known setting of the "
                                 "reference code, docs/presets.md; projected 18-36 hours on 2 cores) or smoke "
                                 "(toy sizes)")
      .value("out", "", "output directory (default: runs/<preset>)")
      .value("seed", "0", "random seed of every stage", cli::Int::at_least(0))
      .value("threads", "0", "OpenMP threads (0: all cores); results are deterministic given seed and threads",
             cli::Int::between(0, 1024))
      .value("only", "", "run one data set: mnist32 or fashion-mnist")
      .value("eval-points", "0", "test points explained and scored per data set and model (0: the preset's)",
             cli::Int::at_least(0))
      .flag("no-taig", "skip the TAIG section")
      .flag("force", "recompute every stage even if its recorded output matches its settings")
      .flag("quiet", "no progress output (a stage that is recomputed over old files still says why)");
  if (!opts.parse(args)) return 0;
  if (opts.integer("threads") > 0) omp_set_num_threads(static_cast<int>(opts.integer("threads")));
  const std::string only = opts.str("only");
  if (!only.empty() && only != "mnist32" && only != "fashion-mnist")
    throw Error("--only must be mnist32 or fashion-mnist, got '" + only + "'");

  experiments::ReproduceContext ctx;
  ctx.preset = experiments::reproduce_preset(opts.str("preset"));
  if (const int64_t eval_points = opts.integer("eval-points"); eval_points > 0) ctx.preset.eval_points = eval_points;
  ctx.dir = opts.str("out").empty() ? "runs/" + ctx.preset.name : opts.str("out");
  ctx.seed = static_cast<uint64_t>(opts.integer("seed"));
  ctx.quiet = opts.has("quiet");
  ctx.taig = !opts.has("no-taig");
  ctx.threads = omp_get_max_threads();
  // A run killed with SIGKILL (or a full disk) leaves write_file_atomic's temporary files; this run rewrites
  // every file it needs, so they are only clutter.
  if (const int stale = remove_stale_temp_files(ctx.dir); stale > 0 && !ctx.quiet)
    std::fprintf(stderr, "removed %d temporary file(s) left in %s by an interrupted run\n", stale, ctx.dir.c_str());
  experiments::StageRunner runner(opts.has("force"), ctx.quiet);
  ctx.runner = &runner;
  experiments::make_directories(ctx.dir);

  const auto start = std::chrono::steady_clock::now();
  experiments::RunResults report;
  report.preset = ctx.preset.name;
  report.seed = ctx.seed;
  report.threads = ctx.threads;
  report.version = MXAI_VERSION;
  report.created = now_iso();
  report.settings = ctx.preset.describe();
  if (only.empty() || only == "mnist32") report.datasets.push_back(experiments::reproduce_mnist32(ctx));
  if (only.empty() || only == "fashion-mnist") report.datasets.push_back(experiments::reproduce_fashion_mnist(ctx));
  report.stages = runner.stages();
  const double total = seconds_since(start);
  report.stages.push_back({"total", total, false});

  report::write_results_json(report, ctx.dir + "/results.json");
  report::write_index_html(report, ctx.dir + "/index.html");
  print_summary(report);
  std::printf("\nreport: %s/index.html, numbers: %s/results.json (wall time %s)\n", ctx.dir.c_str(),
              ctx.dir.c_str(), format_duration(total).c_str());
  return 0;
}

}  // namespace mxai::cmd
