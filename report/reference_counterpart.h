// Our number beside a paper's number: the mean tangent fraction that a Reference names by model and method.
#pragma once

#include <optional>

#include "report/report.h"

namespace mxai::report {

// Empty when the reference names no counterpart or names one this run did not produce.
std::optional<double> counterpart(const DatasetResults& dataset, const Reference& reference);

}  // namespace mxai::report
