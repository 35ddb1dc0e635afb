// Progress reporting for long work. On a terminal: one bar redrawn in place with counts, rate, ETA and the
// caller's metrics. Otherwise (pipes, CI, log files): plain lines, few enough for a log -- one at about every 10%
// and one at the end, or for an epoch of a training loop only the one at its end. Nothing with --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mxai {

bool stderr_is_terminal();

class Progress {
 public:
  // What a bar leaves in a log when stderr is not a terminal.
  enum class LogLines {
    EveryTenth,  // a line at about every 10% and one at the end
    FinalOnly,   // only the line at the end: one line per epoch for the training loops
  };
  Progress(std::string label, int64_t total, bool quiet, LogLines log_lines = LogLines::EveryTenth);
  ~Progress();
  void update(int64_t done, const std::string& metrics = "");
  void finish(const std::string& metrics = "");
  double elapsed_seconds() const;

 private:
  void draw(int64_t done, const std::string& metrics, bool final_line);
  std::string label_;
  int64_t total_;
  bool quiet_, interactive_, finished_ = false;
  LogLines log_lines_;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// Wall-clock seconds since `start` (steady clock).
double seconds_since(std::chrono::steady_clock::time_point start);

// "1m05s", "3.2s"
std::string format_duration(double seconds);

}  // namespace mxai
