// The titles of index.html: the report's own, and each data set's section title keyed by the data set's
// results.json key ("mnist32", "fashion-mnist"), so the pipeline need not name what it measured.
#pragma once

#include <string>

namespace mxai::report {

// The report's <title> and <h1>.
std::string report_title();

// The section title of the data set with results.json key `dataset_key`; the key itself for a data set the report
// has no title for, so a new data set still gets a heading.
std::string dataset_title(const std::string& dataset_key);

}  // namespace mxai::report
