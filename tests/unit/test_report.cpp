// The report writer: results.json has the documented shape and valid JSON for every input (NaN -> null),
// index.html carries the numbers, escapes report text and holds well-formed inline SVG, and both files appear
// atomically. Set MXAI_REPORT_DEMO_DIR to keep the synthetic demo report there for a look in a browser.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "autodiff/file_io.h"
#include "autodiff/tensor.h"
#include "datasets/image_write.h"
#include "autodiff/json.h"
#include "report/density_plot.h"
#include "report/html_text.h"
#include "report/json_writer.h"
#include "report/kde.h"
#include "report/palette.h"
#include "report/report.h"

using namespace mxai;
using namespace mxai::report;
namespace fs = std::filesystem;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// A finding with a made-up statistic: difference 0.05 with interval [0.01, 0.09] when it holds, its mirror when it
// does not, and [-0.02, 0.03] for a tie.
Finding make_finding(const std::string& claim, explain::Verdict verdict, const std::string& detail) {
  Finding f;
  f.claim = claim;
  f.verdict = verdict;
  f.detail = detail;
  f.statistic = "mean difference";
  f.n = 300;
  const double sign = verdict == explain::Verdict::DoesNotHold ? -1 : 1;
  f.difference = verdict == explain::Verdict::Tie ? 0.005 : sign * 0.05;
  f.ci_low = verdict == explain::Verdict::Tie ? -0.02 : verdict == explain::Verdict::Holds ? 0.01 : -0.09;
  f.ci_high = verdict == explain::Verdict::Tie ? 0.03 : verdict == explain::Verdict::Holds ? 0.09 : -0.01;
  return f;
}

class ReportDir {
 public:
  ReportDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("mxai_report_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~ReportDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(path_)) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  fs::path path_;
};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Fractions with the shape of real ones: sqrt of a Beta(a, b) sample.
std::vector<double> beta_fractions(double a, double b, int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> ga(a, 1.0), gb(b, 1.0);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    const double x = ga(rng), y = gb(rng);
    out.push_back(std::sqrt(x / (x + y)));
  }
  return out;
}

// A small report with known numbers: the "gradient" fractions have median 0.25 and one NaN.
RunResults known_report() {
  RunResults report;
  report.preset = "quick";
  report.seed = 18446744073709551615ull;  // the largest seed must survive as an exact integer
  report.threads = 2;
  report.version = "0.1.0";
  report.created = "2025-01-02T03:04:05Z";
  report.settings = {{"evaluation points", "4"}, {"note", "a<b & \"c\""}};
  report.stages = {{"train VAE", 12.5, false}, {"generate MNIST32", 0, true}};

  DatasetResults dataset;
  dataset.key = "mnist32";
  dataset.provenance.source = ManifoldSource::VaeGenerated;
  dataset.provenance.real_train = 500;
  dataset.provenance.latent_dim = 10;
  dataset.provenance.generated_train = 300;
  dataset.provenance.generated_test = 5;
  dataset.d = 1024;
  dataset.k = 10;
  dataset.random_baseline = std::sqrt(10.0 / 1024.0);
  dataset.random_exact = 0.0962;
  ModelResults standard{"standard", "LeNet", 0.9725, {}};
  standard.methods.push_back({"gradient", "Gradient", {0.1, 0.2, 0.3, 0.4, kNaN}});
  standard.methods.push_back({"smoothgrad", "SmoothGrad <σ 0.02>", {kNaN, kNaN}});
  dataset.models.push_back(standard);
  dataset.findings.push_back(
      make_finding("every method above the random baseline", explain::Verdict::Holds, "median 0.25 vs 0.099"));
  dataset.findings.push_back(
      make_finding("adversarial above standard", explain::Verdict::DoesNotHold, "no adversarial model"));
  dataset.findings.push_back(make_finding("SmoothGrad above the gradient", explain::Verdict::Tie, "0.7049 vs 0.7046"));
  dataset.has_taig = true;
  dataset.taig.model_key = "standard";
  dataset.taig.methods.push_back({"ig_zero", "IG, zero base-point", {0.2, 0.4}});
  dataset.taig.methods.push_back({"ig_optimal", "IG, optimal base-point", {0.9, 0.95, 1.0}});
  dataset.taig.diagnostics = {{1.0, 2.0, 3.0}, {0.5, 0.5, 0.5}, {-0.01, 0.02, kNaN}, {10, 20, 30}, {0.3, 0.4, 0.5}};
  dataset.taig.reached_fraction = {{0.9, 1.0}, {0.95, 2.0 / 3}};
  dataset.taig.findings.push_back(
      make_finding("optimal base-point median >= 0.9", explain::Verdict::Holds, "median 0.95"));
  dataset.taig.settings = {{"iterations", "200"}};
  report.datasets.push_back(dataset);
  return report;
}

const json::Value& at(const json::Value& object, const std::string& key) {
  const json::Value* found = object.find(key);
  INFO("key " << key);
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

TEST_CASE("JsonWriter nests, separates and writes non-finite numbers as null", "[report]") {
  JsonWriter json;
  json.begin_object();
  json.key("a").number(1.5);
  json.key("nan").number(kNaN);
  json.key("inf").number(-std::numeric_limits<double>::infinity());
  json.key("list");
  json.begin_array(true);
  json.integer(-3);
  json.string("x\"y\n");
  json.boolean(false);
  json.null();
  json.end_array();
  json.key("empty");
  json.begin_object();
  json.end_object();
  json.end_object();
  const json::Value doc = json::parse(json.str());
  CHECK(at(doc, "a").number == 1.5);
  CHECK(at(doc, "nan").kind == json::Value::Kind::Null);
  CHECK(at(doc, "inf").kind == json::Value::Kind::Null);
  REQUIRE(at(doc, "list").items.size() == 4);
  CHECK(at(doc, "list").items[1].string == "x\"y\n");
  CHECK(at(doc, "empty").members.empty());
  CHECK(json.str().find("[-3, \"x\\\"y\\n\", false, null]") != std::string::npos);

  JsonWriter misuse;
  misuse.begin_object();
  CHECK_THROWS_AS(misuse.integer(1), Error);  // a value without a key
  CHECK_THROWS_AS(misuse.str(), Error);       // unclosed
  CHECK_THROWS_AS(misuse.end_array(), Error);
}

TEST_CASE("results.json has the documented shape, summary numbers and nulls", "[report]") {
  ReportDir dir;
  write_results_json(known_report(), dir.file("results.json"));
  CHECK(dir.names() == std::vector<std::string>{"results.json"});  // renamed into place, no temp file left
  const json::Value doc = json::parse(read_file(dir.file("results.json")));

  CHECK(at(doc, "preset").string == "quick");
  CHECK(at(doc, "seed").is_integer == false);  // above int64: still written as exact digits
  CHECK(read_file(dir.file("results.json")).find("\"seed\": 18446744073709551615") != std::string::npos);
  CHECK(at(doc, "threads").integer == 2);
  CHECK(at(at(doc, "settings"), "note").string == "a<b & \"c\"");
  REQUIRE(at(doc, "stages").items.size() == 2);
  CHECK(at(at(doc, "stages").items[1], "reused").boolean);

  const auto& mnist = at(at(doc, "datasets"), "mnist32");
  CHECK(at(mnist, "d").integer == 1024);
  CHECK(at(mnist, "k").integer == 10);
  CHECK(at(mnist, "random_baseline").number == Approx(0.0988212));
  CHECK(at(mnist, "random_exact").number == Approx(0.0962));
  const auto& standard = at(at(mnist, "models"), "standard");
  CHECK(at(standard, "accuracy").number == Approx(0.9725));
  const auto& gradient = at(at(standard, "methods"), "gradient");
  std::vector<std::string> keys;
  for (const auto& [key, value] : gradient.members) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"mean", "median", "q25", "q75", "n", "n_nan"});
  CHECK(at(gradient, "mean").number == Approx(0.25));
  CHECK(at(gradient, "median").number == Approx(0.25));
  CHECK(at(gradient, "q25").number == Approx(0.175));
  CHECK(at(gradient, "q75").number == Approx(0.325));
  CHECK(at(gradient, "n").integer == 4);
  CHECK(at(gradient, "n_nan").integer == 1);
  const auto& smoothgrad = at(at(standard, "methods"), "smoothgrad");
  CHECK(at(smoothgrad, "mean").kind == json::Value::Kind::Null);
  CHECK(at(smoothgrad, "n").integer == 0);
  CHECK(at(smoothgrad, "n_nan").integer == 2);

  // The papers' MNIST32 numbers (report/paper_references.h), each beside ours where this run has it: the standard
  // model's mean gradient fraction, no adversarial model here, the exact random expectation.
  const auto& references = at(mnist, "references").items;
  REQUIRE(references.size() == 3);
  CHECK(at(references[0], "value").number == Approx(0.3118));
  CHECK(at(references[0], "ours").number == Approx(0.25));
  CHECK(at(references[1], "value").number == Approx(0.6754));
  CHECK(references[1].find("ours") == nullptr);
  CHECK(at(references[2], "ours").number == Approx(0.0962));
  REQUIRE(at(mnist, "findings").items.size() == 3);
  const auto& holds = at(mnist, "findings").items[0];
  CHECK(at(holds, "verdict").string == "holds");
  CHECK(at(holds, "holds").boolean);
  CHECK(at(holds, "difference").number == Approx(0.05));
  REQUIRE(at(holds, "ci95").items.size() == 2);
  CHECK(at(holds, "ci95").items[0].number == Approx(0.01));
  CHECK(at(holds, "ci95").items[1].number == Approx(0.09));
  CHECK(at(holds, "n").integer == 300);
  CHECK(at(holds, "statistic").string == "mean difference");
  CHECK(at(at(mnist, "findings").items[1], "verdict").string == "does not hold");
  CHECK_FALSE(at(at(mnist, "findings").items[1], "holds").boolean);
  CHECK(at(at(mnist, "findings").items[2], "verdict").string == "tie");
  CHECK_FALSE(at(at(mnist, "findings").items[2], "holds").boolean);

  const auto& taig = at(mnist, "taig");
  CHECK(at(taig, "model").string == "standard");
  CHECK(at(at(at(taig, "methods"), "ig_optimal"), "median").number == Approx(0.95));
  const auto& diagnostics = at(taig, "diagnostics");
  CHECK(at(at(diagnostics, "distance"), "median").number == Approx(2.0));
  CHECK(at(at(diagnostics, "completeness_gap"), "n_nan").integer == 1);
  CHECK(at(at(diagnostics, "iterations"), "mean").number == Approx(20.0));
  CHECK(at(diagnostics, "output_gap").find("q75") != nullptr);
  CHECK(at(at(taig, "settings"), "iterations").string == "200");
  CHECK(at(taig, "findings").items.size() == 1);
  CHECK(at(taig, "reached_target_fraction").number == Approx(1.0));
  CHECK(at(taig, "reached_0.95_fraction").number == Approx(2.0 / 3));
  CHECK(at(at(taig, "initial_mu"), "median").number == Approx(0.4));
  CHECK(at(at(taig, "steps"), "mean").number == Approx(20.0));
}

TEST_CASE("a data set without TAIG has no taig key", "[report]") {
  RunResults report = known_report();
  report.datasets[0].has_taig = false;
  ReportDir dir;
  write_results_json(report, dir.file("results.json"));
  const json::Value doc = json::parse(read_file(dir.file("results.json")));
  CHECK(at(at(doc, "datasets"), "mnist32").find("taig") == nullptr);
}

TEST_CASE("faithfulness and ROAR appear in results.json and index.html", "[report]") {
  RunResults report = known_report();
  DatasetResults& dataset = report.datasets[0];
  dataset.models[0].methods.push_back({"gradcam", "Grad-CAM", {0.7, 0.8}});
  dataset.faithfulness_model = "LeNet";
  dataset.faithfulness_points = 2;
  dataset.faithfulness_sensitivity_points = 1;
  dataset.faithfulness = {{"gradient", "Gradient", {1e-6, 3e-6}, {0.25, 0.5}, {0.25, 0.75}, {0.5, 1.0}},
                          {"latent_ig", "Latent IG", {2e-6, 2e-6}, {kNaN, kNaN}, {0.5, 0.5}, {0.25, 0.25}}};
  dataset.has_roar = true;
  dataset.roar.fractions = {0, 0.5};
  dataset.roar.curves = {{"gradient", "Gradient", {0.97, 0.4125}}, {"random", "random order", {0.97, 0.9}}};
  dataset.roar.settings = {{"epochs", "2"}};
  ReportDir dir;
  write_results_json(report, dir.file("results.json"));
  const json::Value doc = json::parse(read_file(dir.file("results.json")));
  const json::Value& mnist = at(at(doc, "datasets"), "mnist32");
  const json::Value& faithful = at(mnist, "faithfulness");
  CHECK(at(faithful, "points").number == 2);
  CHECK(at(faithful, "sensitivity_points").number == 1);
  CHECK(at(at(at(at(faithful, "methods"), "gradient"), "sensitivity_max"), "median").number == Approx(0.375));
  CHECK(at(at(at(at(faithful, "methods"), "latent_ig"), "sensitivity_max"), "n_nan").number == 2);
  const json::Value& roar = at(mnist, "roar");
  CHECK(at(roar, "fractions").items.size() == 2);
  CHECK(at(at(roar, "accuracy"), "gradient").items[1].number == Approx(0.4125));
  CHECK(read_file(dir.file("results.json")).find("\"epochs\": \"2\"") != std::string::npos);
  CHECK(roar_json(dataset.roar).find("\"random\": [0.97, 0.9]") != std::string::npos);

  write_index_html(report, dir.file("index.html"));
  const std::string html = read_file(dir.file("index.html"));
  CHECK(html.find("Faithfulness of every method (LeNet)") != std::string::npos);
  CHECK(html.find("On the first 2 evaluation points, and max sensitivity on the first 1 only") != std::string::npos);
  // gradient: infidelity median 2e-06, sensitivity 0.375, deletion mean 0.5, insertion mean 0.75; latent IG: a dash.
  CHECK(html.find("<td>2e-06</td><td>0.375</td><td>0.500</td><td>0.750</td></tr>") != std::string::npos);
  CHECK(html.find("<td>2e-06</td><td>\u2013</td><td>0.500</td><td>0.250</td>") != std::string::npos);
  CHECK(html.find("Remove and retrain (ROAR)") != std::string::npos);
  CHECK(html.find("<td>0.4125</td>") != std::string::npos);
  CHECK(html.find("id=\"roar-1\"") != std::string::npos);
  CHECK(html.find("id=\"plot-1-1-further-clip\"") != std::string::npos);  // Grad-CAM in its own density plot
  CHECK(count(html, "<svg") == 4);  // the model's two density plots, ROAR, TAIG
  CHECK(count(html, "<svg") == count(html, "</svg>"));
  CHECK(count(html, "<table") == count(html, "</table>"));
}

TEST_CASE("index.html carries the numbers, escapes text and has balanced inline SVG", "[report]") {
  ReportDir dir;
  write_index_html(known_report(), dir.file("index.html"));
  CHECK(dir.names() == std::vector<std::string>{"index.html"});
  const std::string html = read_file(dir.file("index.html"));

  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("<td>0.250</td><td>0.250</td><td>0.175</td><td>0.325</td><td>4</td><td>1</td>") !=
        std::string::npos);
  CHECK(html.find("97.25%") != std::string::npos);
  CHECK(html.find("0.0988") != std::string::npos);  // sqrt(k/d)
  CHECK(html.find("<td>0.312</td><td>0.250</td>") != std::string::npos);  // paper beside ours
  CHECK(html.find("MNIST32: generated digits with exact tangent spaces") != std::string::npos);  // report/titles.h
  CHECK(html.find("Generated: 300 training and 5 test images.") != std::string::npos);  // report/dataset_descriptions.h
  CHECK(html.find("a&lt;b &amp; &quot;c&quot;") != std::string::npos);
  CHECK(html.find("<σ") == std::string::npos);
  CHECK(html.find("SmoothGrad &lt;σ 0.02&gt;") != std::string::npos);
  CHECK(html.find("2 of 4</strong> of the papers' claims hold in this run (ties: 1, not holding: 1)") !=
        std::string::npos);
  CHECK(html.find("= tie") != std::string::npos);
  CHECK(html.find("95% CI [+0.0100, +0.0900], n = 300") != std::string::npos);
  CHECK(html.find("does not hold") != std::string::npos);
  CHECK(html.find("reused") != std::string::npos);
  CHECK(html.find("nan") == std::string::npos);  // NaN statistics show as a dash
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // no network resources

  CHECK(count(html, "<svg") == 2);  // one per model, one for TAIG
  CHECK(count(html, "<svg") == count(html, "</svg>"));
  CHECK(count(html, "<table") == count(html, "</table>"));
  CHECK(count(html, "<section") == count(html, "</section>"));
  CHECK(count(html, "<figure") == count(html, "</figure>"));
  CHECK(html.find("id=\"plot-1-1-clip\"") != std::string::npos);
  CHECK(html.find("id=\"plot-1-taig-clip\"") != std::string::npos);
}

TEST_CASE("report text helpers escape and format", "[report]") {
  CHECK(escape("<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  CHECK(escape_url_path("mnist 32/a&b.png") == "mnist%2032/a%26b.png");
  CHECK(format_number(kNaN) == "\u2013");
  CHECK(format_number(0.31249) == "0.312");
  CHECK(format_percent(0.9038) == "90.38%");
  CHECK(format_duration(0.84) == "0.8 s");
  CHECK(format_duration(219) == "3m 39s");
  CHECK(format_duration(3720) == "1h 02m");
}

TEST_CASE("Silverman bandwidth and the reflected density on [0,1]", "[report]") {
  // sd sqrt(2.5), IQR 2 -> 0.9 * (2/1.34) * 5^(-1/5)
  CHECK(silverman_bandwidth({0, 1, 2, 3, 4}) == Approx(0.9 * (2 / 1.34) * std::pow(5.0, -0.2)));
  CHECK(silverman_bandwidth({0.5}) == 0);
  CHECK(silverman_bandwidth({0.5, 0.5, 0.5}) == 0);

  const std::vector<std::vector<double>> samples = {beta_fractions(2, 5, 3000, 1), beta_fractions(20, 0.5, 3000, 2),
                                                    {0.0}};
  for (const auto& values : samples) {
    const Density d = unit_interval_density(values);
    double integral = 0;
    for (size_t i = 1; i < d.x.size(); ++i) integral += 0.5 * (d.y[i] + d.y[i - 1]) * (d.x[i] - d.x[i - 1]);
    CHECK(integral == Approx(1.0).epsilon(0.02));  // reflection keeps the mass inside [0,1]
    CHECK(d.bandwidth >= 0.005);
  }
  const Density empty = unit_interval_density({kNaN, kNaN});
  CHECK(empty.n == 0);
  CHECK(empty.y.front() == 0);
}

TEST_CASE("plot colours are distinct for the TAIG methods and stable across plots", "[report]") {
  const std::vector<std::string> taig = {"ig_zero",  "ig_uniform", "ig_max_distance", "ig_gaussian",
                                         "ig_optimal", "gradient", "smoothgrad",     "input_x_gradient"};
  std::vector<std::string> colours = method_colours(taig);
  std::sort(colours.begin(), colours.end());
  CHECK(std::unique(colours.begin(), colours.end()) == colours.end());
  CHECK(method_colours({"gradient"})[0] == method_colours({"smoothgrad", "gradient"})[1]);
  const std::vector<std::string> unknown = method_colours({"gradient", "new_a", "new_b"});
  CHECK(unknown[1] != unknown[0]);
  CHECK(unknown[2] != unknown[1]);
}

TEST_CASE("a density plot clips a spike and labels it", "[report]") {
  std::vector<double> spike(500, 0.999);
  const std::string svg = density_plot_svg({{"broad", "#000000", beta_fractions(2, 5, 500, 3)},
                                            {"spike", "#D55E00", spike, true}},
                                           0.1, "test <plot>", "p");
  CHECK(svg.find("off scale") != std::string::npos);
  CHECK(svg.find("test &lt;plot&gt;") != std::string::npos);
  CHECK(count(svg, "<path") == 2);
  CHECK(svg.find("stroke-dasharray") != std::string::npos);  // the baseline

  // A label too long for the legend is cut at a character boundary (never inside the two-byte sigma) and kept
  // whole as a tooltip.
  const std::string long_label = std::string(44, 'x') + "σσ and more";
  const std::string cut = density_plot_svg({{long_label, "#000000", {0.5}}}, 0.1, "t", "q");
  CHECK(cut.find("<title>" + long_label + "</title>" + std::string(44, 'x') + "…") != std::string::npos);
}

// Not a check so much as a sample: a full report with realistic synthetic data and a PNG figure. With
// MXAI_REPORT_DEMO_DIR set it is written there and kept.
TEST_CASE("demo report with synthetic data", "[report]") {
  ReportDir scratch;
  const char* keep = std::getenv("MXAI_REPORT_DEMO_DIR");
  const std::string out = keep ? keep : scratch.file("");
  fs::create_directories(fs::path(out) / "mnist32");

  RunResults report;
  report.preset = "quick";
  report.seed = 1;
  report.threads = 2;
  report.version = "0.1.0 (demo)";
  report.created = "2025-06-01T12:00:00Z";
  report.settings = {{"VAE epochs", "20"}, {"classifier epochs", "6"}, {"evaluation points", "1000"},
                     {"SmoothGrad", "sigma 0.02, 25 samples"}, {"IG", "50 steps, Gauss-Legendre"}};
  report.stages = {{"train VAE", 412.3, false},        {"generate MNIST32", 0, true},
                   {"train standard LeNet", 61.0, false}, {"train adversarial LeNet", 250.5, false},
                   {"explain and measure", 95.2, false},  {"TAIG", 241.0, false}};

  DatasetResults ds;
  ds.key = "mnist32";
  ds.provenance = {ManifoldSource::VaeGenerated, 60000, 10, "lenet", 60000, 10000, "-123.4"};
  ds.d = 1024;
  ds.k = 10;
  ds.random_baseline = std::sqrt(10.0 / 1024.0);
  ds.random_exact = 0.0972;
  auto methods = [&](double shift, uint64_t seed) {
    return std::vector<MethodScores>{
        {"gradient", "Gradient", beta_fractions(8 + shift, 18, 1000, seed)},
        {"input_x_gradient", "Input x Gradient", beta_fractions(7 + shift, 14, 1000, seed + 1)},
        {"integrated_gradients", "Integrated Gradients (zero base-point)",
         beta_fractions(9 + shift, 12, 1000, seed + 2)},
        {"integrated_gradients_path", "IG without (x - base-point) factor",
         beta_fractions(9 + shift, 15, 1000, seed + 3)},
        {"smoothgrad", "SmoothGrad (sigma 0.02, 25 samples)", beta_fractions(10 + shift, 12, 1000, seed + 4)},
    };
  };
  ds.models.push_back({"standard", "LeNet", 0.9725, methods(0, 10)});
  ds.models.push_back({"adversarial", "LeNet, l2 PGD eps 2", 0.951, methods(12, 20)});
  ds.findings = {
      make_finding("every method above the random baseline", explain::Verdict::Holds, "lowest median 0.33 vs 0.099"),
      make_finding("IG and SmoothGrad are more aligned than the raw gradient", explain::Verdict::Holds,
                   "median 0.46, 0.47 vs 0.55"),
      make_finding("the adversarial model is more aligned than the standard one", explain::Verdict::DoesNotHold,
                   "gradient median 0.55 (adversarial) vs 0.56 (standard)")};

  // A tiny heat-map grid as the example figure.
  Tensor grid = Tensor::empty({3, 1, 8, 8});
  for (int64_t i = 0; i < grid.numel(); ++i) grid.data()[i] = static_cast<real>((i * 37 % 64) / 63.0);
  const ImageSize size = write_png_grid((fs::path(out) / "mnist32/examples_standard.png").string(), grid, 3);
  CHECK(size.width == 32);
  CHECK(size.height == 12);
  ds.figures = {{"mnist32/examples_standard.png", FigureKind::ManifoldMethodExamples, "LeNet", {"gradient"},
                 size.width, size.height},
                {"mnist32/missing.png", FigureKind::FurtherMethodExamples, "LeNet", {"gradcam"}}};

  ds.has_taig = true;
  ds.taig.model_key = "standard";
  ds.taig.methods = {{"ig_zero", "IG, zero base-point", beta_fractions(9, 12, 300, 30)},
                     {"ig_uniform", "IG, uniform-noise base-point", beta_fractions(6, 14, 300, 31)},
                     {"ig_max_distance", "IG, maximum-distance base-point", beta_fractions(5, 15, 300, 32)},
                     {"ig_gaussian", "IG, Gaussian base-point", beta_fractions(7, 13, 300, 33)},
                     {"ig_optimal", "IG, optimal base-point (TAIG)", beta_fractions(60, 0.8, 300, 34)},
                     {"gradient", "Gradient", beta_fractions(8, 18, 300, 35)},
                     {"smoothgrad", "SmoothGrad", beta_fractions(10, 12, 300, 36)},
                     {"input_x_gradient", "Input x Gradient", beta_fractions(7, 14, 300, 37)}};
  ds.taig.diagnostics.distance = beta_fractions(5, 5, 300, 40);
  ds.taig.diagnostics.output_gap = beta_fractions(3, 3, 300, 41);
  ds.taig.diagnostics.completeness_gap = {0.001, -0.002, 0.0005};
  ds.taig.diagnostics.iterations = {200, 150, 87};
  ds.taig.findings = {
      make_finding("the optimal base-point's median is at least 0.9", explain::Verdict::Holds, "median 0.96"),
      make_finding("the optimal base-point beats every other method", explain::Verdict::Holds,
                   "next best: SmoothGrad, 0.67")};
  ds.taig.settings = {{"iterations", "200"}, {"optimizer", "Adam, lr 0.01"}};
  ds.taig.figures = {{"mnist32/examples_standard.png", FigureKind::TaigExamples, "", {"ig_zero", "ig_optimal"},
                      size.width, size.height}};
  report.datasets.push_back(ds);

  write_results_json(report, (fs::path(out) / "results.json").string());
  write_index_html(report, (fs::path(out) / "index.html").string());
  const std::string html = read_file((fs::path(out) / "index.html").string());
  CHECK(count(html, "<svg") == 3);
  CHECK(html.find("width=\"256\" height=\"96\"") != std::string::npos);  // the 32x12 grid, zoomed 8x
  CHECK(html.find("mnist32/missing.png was not written") != std::string::npos);
  json::parse(read_file((fs::path(out) / "results.json").string()));
}
