// results.json: the numbers of the report for programs. The shape is documented in report/report.h; keys come in
// a fixed order so two runs diff cleanly.
#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/file_io.h"
#include "explain/summary_statistics.h"
#include "report/json_writer.h"
#include "report/paper_references.h"
#include "report/report.h"

namespace mxai::report {

namespace {

void write_summary(JsonWriter& json, const std::vector<double>& values) {
  const explain::SummaryStatistics s = explain::summarize(values);
  json.begin_object(true);
  json.key("mean").number(s.mean);
  json.key("median").number(s.median);
  json.key("q25").number(s.q25);
  json.key("q75").number(s.q75);
  json.key("n").integer(s.n);
  json.key("n_nan").integer(s.n_nan);
  json.end_object();
}

// An object of named summaries: a TAIG run's diagnostics, a method's faithfulness metrics.
using NamedValues = std::pair<const char*, const std::vector<double>*>;
void write_summaries(JsonWriter& json, std::initializer_list<NamedValues> named) {
  json.begin_object();
  for (const auto& [name, values] : named) {
    json.key(name);
    write_summary(json, *values);
  }
  json.end_object();
}

// Lists of records (findings, references, rank histograms, stages) become arrays of one-line objects.
template <typename Item, typename WriteFields>
void write_records(JsonWriter& json, const std::vector<Item>& items, WriteFields write_fields) {
  json.begin_array();
  for (const Item& item : items) {
    json.begin_object(true);
    write_fields(item);
    json.end_object();
  }
  json.end_array();
}

// Lists of things with a `key` (methods, models, ROAR curves, data sets) become objects keyed by it, in list order.
template <typename Item, typename WriteValue>
void write_keyed(JsonWriter& json, const std::vector<Item>& items, WriteValue write_value) {
  json.begin_object();
  for (const Item& item : items) {
    json.key(item.key);
    write_value(item);
  }
  json.end_object();
}

void write_methods(JsonWriter& json, const std::vector<MethodScores>& methods) {
  write_keyed(json, methods, [&](const MethodScores& method) { write_summary(json, method.fractions); });
}

void write_settings(JsonWriter& json, const std::vector<std::pair<std::string, std::string>>& settings) {
  json.begin_object();
  for (const auto& [name, value] : settings) {
    json.key(name);
    json.string(value);
  }
  json.end_object();
}

// A one-line array of numbers: ROAR's fractions and accuracies, a rank histogram's singular values.
void write_numbers(JsonWriter& json, const std::vector<double>& values) {
  json.begin_array(true);
  for (double v : values) json.number(v);
  json.end_array();
}

void write_findings(JsonWriter& json, const std::vector<Finding>& findings) {
  write_records(json, findings, [&](const Finding& finding) {
    json.key("claim").string(finding.claim);
    json.key("verdict").string(explain::verdict_name(finding.verdict));
    json.key("holds").boolean(finding.verdict == explain::Verdict::Holds);
    json.key("statistic").string(finding.statistic);
    json.key("difference").number(finding.difference);
    json.key("ci95");
    json.begin_array(true);
    json.number(finding.ci_low);
    json.number(finding.ci_high);
    json.end_array();
    json.key("n").integer(finding.n);
    json.key("detail").string(finding.detail);
  });
}

void write_references(JsonWriter& json, const DatasetResults& dataset) {
  write_records(json, paper_references(dataset.key), [&](const Reference& reference) {
    json.key("what").string(reference.what);
    json.key("value").number(reference.value);
    json.key("source").string(reference.source);
    if (const auto ours = counterpart(dataset, reference)) json.key("ours").number(*ours);
  });
}

void write_taig(JsonWriter& json, const TaigResults& taig) {
  json.begin_object();
  json.key("model").string(taig.model_key);
  json.key("methods");
  write_methods(json, taig.methods);
  json.key("diagnostics");
  write_summaries(json, {{"distance", &taig.diagnostics.distance},
                         {"output_gap", &taig.diagnostics.output_gap},
                         {"completeness_gap", &taig.diagnostics.completeness_gap},
                         {"iterations", &taig.diagnostics.iterations}});
  json.key("initial_mu");
  write_summary(json, taig.diagnostics.initial_mu);
  json.key("steps");
  write_summary(json, taig.diagnostics.iterations);
  for (const auto& [level, fraction] : taig.reached_fraction) {
    // "reached_target_fraction" is the 0.9 level (the claim's threshold); every level also under its own name.
    if (level == 0.9) json.key("reached_target_fraction").number(fraction);
    char name[48];
    std::snprintf(name, sizeof name, "reached_%g_fraction", level);
    json.key(name).number(fraction);
  }
  json.key("settings");
  write_settings(json, taig.settings);
  json.key("findings");
  write_findings(json, taig.findings);
  json.end_object();
}

void write_faithfulness(JsonWriter& json, const DatasetResults& dataset) {
  json.begin_object();
  json.key("model").string(dataset.faithfulness_model);
  json.key("points").integer(dataset.faithfulness_points);
  json.key("sensitivity_points").integer(dataset.faithfulness_sensitivity_points);
  json.key("methods");
  write_keyed(json, dataset.faithfulness, [&](const FaithfulnessScores& method) {
    write_summaries(json, {{"infidelity", &method.infidelity},
                           {"sensitivity_max", &method.sensitivity_max},
                           {"deletion_auc", &method.deletion_auc},
                           {"insertion_auc", &method.insertion_auc}});
  });
  json.end_object();
}

void write_roar(JsonWriter& json, const RoarResults& roar) {
  json.begin_object();
  json.key("fractions");
  write_numbers(json, roar.fractions);
  json.key("accuracy");
  write_keyed(json, roar.curves, [&](const RoarCurve& curve) { write_numbers(json, curve.accuracy); });
  json.key("settings");
  write_settings(json, roar.settings);
  json.end_object();
}

void write_tangent_ranks(JsonWriter& json, const std::vector<TangentRankHistogram>& histograms) {
  write_records(json, histograms, [&](const TangentRankHistogram& h) {
    json.key("height").integer(h.height);
    json.key("width").integer(h.width);
    json.key("d").integer(h.d);
    json.key("rcond").number(h.rcond);
    json.key("counts");
    json.begin_array(true);
    for (int64_t c : h.counts) json.integer(c);
    json.end_array();
    json.key("mean_singular_values");
    write_numbers(json, h.mean_singular_values);
  });
}

void write_dataset(JsonWriter& json, const DatasetResults& dataset) {
  json.begin_object();
  json.key("d").integer(dataset.d);
  json.key("k").integer(dataset.k);
  json.key("random_baseline").number(dataset.random_baseline);
  json.key("random_exact").number(dataset.random_exact);
  json.key("models");
  write_keyed(json, dataset.models, [&](const ModelResults& model) {
    json.begin_object();
    json.key("accuracy").number(model.accuracy);
    json.key("methods");
    write_methods(json, model.methods);
    json.end_object();
  });
  json.key("references");
  write_references(json, dataset);
  json.key("findings");
  write_findings(json, dataset.findings);
  if (!dataset.tangent_ranks.empty()) {
    json.key("tangent_ranks");
    write_tangent_ranks(json, dataset.tangent_ranks);
  }
  if (dataset.has_taig) {
    json.key("taig");
    write_taig(json, dataset.taig);
  }
  if (!dataset.faithfulness.empty()) {
    json.key("faithfulness");
    write_faithfulness(json, dataset);
  }
  if (dataset.has_roar) {
    json.key("roar");
    write_roar(json, dataset.roar);
  }
  json.end_object();
}

}  // namespace

void write_results_json(const RunResults& report, const std::string& path) {
  JsonWriter json;
  json.begin_object();
  json.key("preset").string(report.preset);
  json.key("seed").unsigned_integer(report.seed);
  json.key("threads").integer(report.threads);
  json.key("version").string(report.version);
  json.key("created").string(report.created);
  json.key("settings");
  write_settings(json, report.settings);
  json.key("stages");
  write_records(json, report.stages, [&](const StageOutcome& stage) {
    json.key("name").string(stage.name);
    json.key("seconds").number(stage.seconds);
    json.key("reused").boolean(stage.reused);
  });
  json.key("datasets");
  write_keyed(json, report.datasets, [&](const DatasetResults& dataset) { write_dataset(json, dataset); });
  json.end_object();
  write_file_atomic(path, json.str());
}

std::string roar_json(const RoarResults& roar) {
  JsonWriter json;
  write_roar(json, roar);
  return json.str() + "\n";
}

}  // namespace mxai::report
