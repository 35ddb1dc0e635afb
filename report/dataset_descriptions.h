// The paragraph under each data set's title in index.html: where its images and tangent spaces come from, worded
// from the facts the pipeline recorded (experiments/results.h DataProvenance).
#pragma once

#include <string>

#include "report/report.h"

namespace mxai::report {

// Empty when the pipeline recorded no provenance (ManifoldSource::Unknown): the section then has no paragraph.
std::string dataset_description(const DataProvenance& provenance);

}  // namespace mxai::report
