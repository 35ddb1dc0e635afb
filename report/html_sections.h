// The per-data-set parts of index.html: the alignment results (tables, densities, references, figures) and the
// TAIG comparison. `index` numbers the data set for unique element ids.
#pragma once

#include <string>

#include "report/report.h"

namespace mxai::report {

std::string dataset_section(const DatasetResults& dataset, size_t index);
std::string taig_section(const DatasetResults& dataset, size_t index);
// The faithfulness table (empty when the data set has none) and the ROAR figure and table (empty without ROAR).
std::string faithfulness_block(const DatasetResults& dataset);
std::string roar_block(const DatasetResults& dataset, size_t index);

// The element id of a data set's section, for the table of contents.
std::string dataset_anchor(size_t index);

}  // namespace mxai::report
