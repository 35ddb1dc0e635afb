// The captions of the report's PNG figures, worded from what the pipeline recorded about each figure (its kind, the
// explained model, the methods of its columns): the wording is the report's, the facts are the pipeline's.
#pragma once

#include <string>

#include "report/report.h"

namespace mxai::report {

// The caption shown under `figure` in index.html (and used as its alt text).
std::string figure_caption(const Figure& figure);

}  // namespace mxai::report
