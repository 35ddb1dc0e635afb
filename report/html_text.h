// Text for index.html: escaping and the number formats the tables use. Every string that reaches the page from a
// RunResults goes through escape(), so a label like "a<b & c" shows as written instead of breaking the markup.
#pragma once

#include <string>

namespace mxai::report {

// Escapes & < > " ' for element content and quoted attribute values alike.
std::string escape(const std::string& text);

// A relative path for src="...": percent-encodes everything but unreserved characters and '/', then escapes.
std::string escape_url_path(const std::string& path);

// printf-style number, or an en dash when NaN/infinite (a table cell should never read "nan").
std::string format_number(double v, const char* format = "%.3f");
std::string format_percent(double fraction);  // 0.9038 -> "90.38%"
std::string format_duration(double seconds);  // "0.8 s", "3m 39s", "1h 02m"

}  // namespace mxai::report
