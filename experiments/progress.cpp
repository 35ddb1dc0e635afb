#include "experiments/progress.h"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace mxai {

bool stderr_is_terminal() {
  const char* ci = std::getenv("CI");
  if (ci && *ci && std::string(ci) != "false" && std::string(ci) != "0") return false;
  return ::isatty(STDERR_FILENO) == 1;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string format_duration(double seconds) {
  char buf[32];
  if (seconds < 60) std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  else if (seconds < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", int(seconds) / 60, int(seconds) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", int(seconds) / 3600, (int(seconds) % 3600) / 60);
  return buf;
}

Progress::Progress(std::string label, int64_t total, bool quiet, LogLines log_lines)
    : label_(std::move(label)), total_(total), quiet_(quiet), interactive_(stderr_is_terminal()),
      log_lines_(log_lines), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() {
  if (!finished_ && interactive_ && !quiet_) std::fputc('\n', stderr);
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(int64_t done, const std::string& metrics) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  if (interactive_) {
    if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
    last_draw_ = now;
    draw(done, metrics, false);
  } else {
    if (done >= total_ || log_lines_ == LogLines::FinalOnly) return;  // finish() prints the last line
    const int decile = total_ > 0 ? static_cast<int>(10 * done / total_) : 0;
    if (decile == last_decile_) return;
    last_decile_ = decile;
    draw(done, metrics, true);
  }
}

void Progress::finish(const std::string& metrics) {
  if (finished_) return;
  finished_ = true;
  if (quiet_) return;
  draw(total_, metrics, true);
}

void Progress::draw(int64_t done, const std::string& metrics, bool final_line) {
  const double elapsed = elapsed_seconds();
  const double fraction = total_ > 0 ? static_cast<double>(done) / total_ : 1.0;
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  std::string line = label_ + " " + std::to_string(done) + "/" + std::to_string(total_);
  if (interactive_) {
    const int width = 24, filled = static_cast<int>(fraction * width);
    line = label_ + " [" + std::string(filled, '#') + std::string(width - filled, '.') + "] " + std::to_string(done) +
           "/" + std::to_string(total_);
  }
  line += "  " + format_duration(elapsed);
  if (done < total_) line += " eta " + format_duration(eta);
  if (!metrics.empty()) line += "  " + metrics;
  if (interactive_) {
    std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final_line && done >= total_ ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace mxai
