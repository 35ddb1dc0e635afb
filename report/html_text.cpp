#include "report/html_text.h"

#include <cmath>
#include <cstdio>

namespace mxai::report {

std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_url_path(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : path) {
    const unsigned char u = static_cast<unsigned char>(c);
    const bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~' || c == '/';
    if (keep) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += hex[u >> 4];
      encoded += hex[u & 0xF];
    }
  }
  return escape(encoded);
}

std::string format_number(double v, const char* format) {
  if (!std::isfinite(v)) return "\u2013";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return "\u2013";
  return format_number(100 * fraction, "%.2f") + "%";
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "\u2013";
  char buffer[64];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
  } else if (seconds < 3600) {
    const long total = std::lround(seconds);
    std::snprintf(buffer, sizeof buffer, "%ldm %02lds", total / 60, total % 60);
  } else {
    const long minutes = std::lround(seconds / 60);
    std::snprintf(buffer, sizeof buffer, "%ldh %02ldm", minutes / 60, minutes % 60);
  }
  return buffer;
}

}  // namespace mxai::report
