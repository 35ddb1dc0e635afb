// The report of `mxai reproduce`: the results of one run (experiments/results.h), written two ways --
// DIR/results.json for programs and DIR/index.html (opens from disk, no network: tables, inline-SVG density plots,
// PNG heat maps) for people.
#pragma once

#include <string>

#include "experiments/results.h"

namespace mxai::report {

// The report's vocabulary is the pipeline's results.
using experiments::DataProvenance;
using experiments::DatasetResults;
using experiments::FaithfulnessScores;
using experiments::Figure;
using experiments::FigureKind;
using experiments::Finding;
using experiments::ManifoldSource;
using experiments::MethodScores;
using experiments::ModelResults;
using experiments::RoarCurve;
using experiments::RoarResults;
using experiments::RunResults;
using experiments::StageOutcome;
using experiments::TaigDiagnostics;
using experiments::TaigResults;
using experiments::TangentRankHistogram;

// Both write to a temporary file and rename, so a crash leaves the previous file or none.
// results.json: {"preset", "seed", "threads", "settings": {...}, "stages": [...],
//   "datasets": {"<key>": {"d", "k", "random_baseline", "random_exact",
//     "models": {"<model>": {"accuracy", "methods": {"<method>": {"mean","median","q25","q75","n","n_nan"}}}},
//     "references": [...], "findings": [...],
//     "taig": {"model", "methods": {...same summary...}, "diagnostics": {"distance": {summary}, ...},
//              "settings": {...}, "findings": [...]},
//     "faithfulness": {"model", "points", "sensitivity_points", "methods": {"<method>": {"infidelity": {summary}, "sensitivity_max",
//                      "deletion_auc", "insertion_auc"}}},
//     "roar": {"fractions": [...], "accuracy": {"<method>": [one per fraction]}, "settings": {...}}}}}
void write_results_json(const RunResults& report, const std::string& path);
// The "roar" object of results.json alone (fractions, accuracy per ranking, settings), as `mxai roar` writes it.
std::string roar_json(const RoarResults& roar);
// index.html in the directory of `path`; figure PNGs are referenced relative to it.
void write_index_html(const RunResults& report, const std::string& path);

}  // namespace mxai::report
