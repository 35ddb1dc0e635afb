#include "datasets/fer2013.h"

#include <algorithm>
#include <cctype>

#include "autodiff/file_io.h"

namespace mxai {

namespace {

constexpr int64_t kSide = 48;
constexpr int64_t kPixels = kSide * kSide;

std::string trim(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string out = text.substr(begin, end - begin);
  if (out.size() >= 2 && out.front() == '"' && out.back() == '"') out = out.substr(1, out.size() - 2);
  return out;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// FER2013 fields never contain commas, so a plain split (with optional surrounding quotes) is exact.
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  size_t begin = 0;
  while (true) {
    const size_t comma = line.find(',', begin);
    fields.push_back(trim(line.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin)));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return fields;
}

std::string usage_for_split(const std::string& split) {
  if (split == "train") return "Training";
  if (split == "val") return "PublicTest";
  if (split == "test") return "PrivateTest";
  return split;
}

}  // namespace

const std::vector<std::string>& fer2013_class_names() {
  static const std::vector<std::string> names = {"Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"};
  return names;
}

Dataset load_fer2013(const std::string& csv_path, const std::string& split) {
  const std::string text = read_file(csv_path);
  const std::string where = "'" + csv_path + "'";
  size_t pos = 0;
  int64_t line_number = 0;
  const auto next_line = [&](std::string& line) {
    if (pos >= text.size()) return false;
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = end + 1;
    ++line_number;
    return true;
  };

  std::string line;
  if (!next_line(line)) throw Error(where + " is empty; expected a FER2013 CSV with header emotion,pixels,Usage");
  const std::vector<std::string> header = split_fields(line);
  int64_t emotion_col = -1, pixels_col = -1, usage_col = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = lower(header[i]);
    if (name == "emotion") emotion_col = static_cast<int64_t>(i);
    if (name == "pixels") pixels_col = static_cast<int64_t>(i);
    if (name == "usage") usage_col = static_cast<int64_t>(i);
  }
  if (emotion_col < 0 || pixels_col < 0)
    throw Error(where + ": expected a header with columns emotion,pixels,Usage, found '" + line + "'");
  const bool all = split == "all";
  const std::string wanted_usage = usage_for_split(split);
  if (usage_col < 0 && !all)
    throw Error(where + " has no Usage column, so it cannot be split into '" + split + "'; use split 'all'");

  std::vector<unsigned char> pixels;
  std::vector<int64_t> labels;
  std::vector<std::string> usages_seen;
  while (next_line(line)) {
    if (trim(line).empty()) continue;
    const std::string at = where + " line " + std::to_string(line_number);
    const std::vector<std::string> fields = split_fields(line);
    if (fields.size() != header.size())
      throw Error(at + ": expected " + std::to_string(header.size()) + " comma-separated fields, found " +
                  std::to_string(fields.size()));
    if (usage_col >= 0) {
      const std::string& usage = fields[static_cast<size_t>(usage_col)];
      if (std::find(usages_seen.begin(), usages_seen.end(), usage) == usages_seen.end()) usages_seen.push_back(usage);
      if (!all && usage != wanted_usage) continue;
    }
    const std::string& emotion = fields[static_cast<size_t>(emotion_col)];
    if (emotion.size() != 1 || emotion[0] < '0' || emotion[0] > '6')
      throw Error(at + ": expected an emotion label 0..6, found '" + emotion + "'");
    const std::string& field = fields[static_cast<size_t>(pixels_col)];
    int64_t count = 0;
    size_t i = 0;
    while (true) {
      while (i < field.size() && field[i] == ' ') ++i;
      if (i >= field.size()) break;
      int value = 0;
      const size_t begin = i;
      while (i < field.size() && field[i] >= '0' && field[i] <= '9' && i - begin < 4)
        value = value * 10 + (field[i++] - '0');
      if (i == begin || (i < field.size() && field[i] != ' ') || value > 255) {
        size_t end = field.find(' ', begin);
        throw Error(at + ": pixel " + std::to_string(count) + " is '" + field.substr(begin, end - begin) +
                    "', expected an integer 0..255");
      }
      if (count < kPixels) pixels.push_back(static_cast<unsigned char>(value));
      ++count;
    }
    if (count != kPixels)
      throw Error(at + ": expected " + std::to_string(kPixels) + " pixels (48x48), found " + std::to_string(count));
    labels.push_back(emotion[0] - '0');
  }
  if (labels.empty()) {
    std::string seen;
    for (const std::string& usage : usages_seen) seen += (seen.empty() ? "" : ", ") + usage;
    throw Error(where + ": no rows for split '" + split + "' (Usage '" + wanted_usage +
                "'); Usage values found: " + (seen.empty() ? std::string("none") : seen));
  }

  Dataset data;
  data.name = "fer2013/" + split;
  data.num_classes = 7;
  data.class_names = fer2013_class_names();
  data.labels = std::move(labels);
  const int64_t n = static_cast<int64_t>(data.labels.size());
  data.images = Tensor::empty({n, 1, kSide, kSide});
  real* dst = data.images.data();
  for (size_t k = 0; k < pixels.size(); ++k) dst[k] = static_cast<real>(pixels[k]) / real(255);
  return data;
}

}  // namespace mxai
