// The command-line parser's numeric options: each declares its range, and a value outside it (or not a finite
// number at all) stops the command at parse time with the option, the range and the value in the message.
#include <catch2/catch.hpp>

#include <climits>
#include <sstream>

// apps/ builds an executable, not a library; the parser depends on nothing but mxai::Error, so the test compiles
// it in directly.
#include "apps/cli.cpp"

using namespace mxai;
using mxai::cli::Int;
using mxai::cli::Options;
using mxai::cli::Real;

namespace {

Options training_options() {
  Options opts("train", "test command");
  opts.value("epochs", "4", "training epochs", Int::at_least(1))
      .value("image-size", "0", "square size", Int::between(0, 4096))
      .value("steps", "8", "path points", Int::between(1, INT_MAX))
      .value("lr", "0.001", "learning rate", Real::above(0))
      .value("eps", "0", "radius", Real::at_least(0))
      .value("mu", "0.95", "a fraction", Real::positive_fraction())
      .value("share", "0.5", "a fraction", Real::fraction())
      .value("rcond", "-1", "cutoff", Real::any())
      .value("seed", "0", "seed")
      .value("name", "", "a string")
      .flag("quiet", "no output");
  return opts;
}

// The message of parsing `args`, or "(ok)".
std::string parse_error(const std::vector<std::string>& args) {
  Options opts = training_options();
  try {
    opts.parse(args);
  } catch (const Error& e) {
    return e.what();
  }
  return "(ok)";
}

}  // namespace

TEST_CASE("cli: values inside their ranges are accepted and read back", "[cli]") {
  Options opts = training_options();
  REQUIRE(opts.parse({"--epochs", "1", "--image-size=4096", "--lr", "1e-8", "--eps", "0", "--mu", "1", "--share",
                      "0", "--rcond", "-3.5", "--steps", "2147483647"}));
  CHECK(opts.integer("epochs") == 1);
  CHECK(opts.integer("image-size") == 4096);
  CHECK(opts.integer("steps") == INT_MAX);
  CHECK(opts.number("lr") == 1e-8);
  CHECK(opts.number("mu") == 1);
  CHECK(opts.number("share") == 0);
  CHECK(opts.number("rcond") == -3.5);
  CHECK(opts.integer("seed") == 0);  // no declared range: any integer
  CHECK(parse_error({}) == "(ok)");  // the defaults are in range
}

TEST_CASE("cli: a number outside its range names the option, the range and the value", "[cli]") {
  CHECK(parse_error({"--epochs", "0"}) == "--epochs must be an integer >= 1, got '0'");
  CHECK(parse_error({"--image-size", "-4"}) == "--image-size must be an integer in [0, 4096], got '-4'");
  CHECK(parse_error({"--image-size", "100000"}) ==
        "--image-size must be an integer in [0, 4096], got '100000'");
  CHECK(parse_error({"--steps", "3000000000"}) ==
        "--steps must be an integer in [1, 2147483647], got '3000000000'");
  CHECK(parse_error({"--epochs", "99999999999999999999"}) ==
        "--epochs must be an integer >= 1, got '99999999999999999999'");
  CHECK(parse_error({"--lr", "0"}) == "--lr must be a finite number > 0, got '0'");
  CHECK(parse_error({"--lr", "-0.1"}) == "--lr must be a finite number > 0, got '-0.1'");
  CHECK(parse_error({"--eps", "-1e-9"}) == "--eps must be a finite number >= 0, got '-1e-9'");
  CHECK(parse_error({"--mu", "7"}) == "--mu must be a finite number in (0, 1], got '7'");
  CHECK(parse_error({"--mu", "0"}) == "--mu must be a finite number in (0, 1], got '0'");
  CHECK(parse_error({"--share", "1.0001"}) == "--share must be a finite number in [0, 1], got '1.0001'");
}

TEST_CASE("cli: NaN, infinities and overflowing numbers are never accepted", "[cli]") {
  for (const std::string v : {"nan", "NaN", "inf", "-inf", "infinity", "1e999", "-1e999"}) {
    INFO(v);
    CHECK(parse_error({"--lr", v}) == "--lr must be a finite number > 0, got '" + v + "'");
    CHECK(parse_error({"--rcond", v}) == "--rcond must be a finite number, got '" + v + "'");
  }
  // An option declared without a range still refuses non-finite numbers when read as one.
  Options opts("cmd", "");
  opts.value("x", "nan", "unranged");
  REQUIRE(opts.parse({}));
  CHECK_THROWS_WITH(opts.number("x"), "--x must be a finite number, got 'nan'");
}

TEST_CASE("cli: text that is not a number of the declared kind", "[cli]") {
  CHECK(parse_error({"--epochs", "many"}) == "--epochs expects an integer, got 'many'");
  CHECK(parse_error({"--epochs", "2.5"}) == "--epochs expects an integer, got '2.5'");
  CHECK(parse_error({"--epochs", " 3"}) == "--epochs expects an integer, got ' 3'");
  CHECK(parse_error({"--epochs", ""}) == "--epochs expects an integer, got ''");
  CHECK(parse_error({"--lr", "0x1p-3"}) == "--lr expects a number, got '0x1p-3'");
  CHECK(parse_error({"--lr", " 0.1"}) == "--lr expects a number, got ' 0.1'");
  CHECK(parse_error({"--lr", "0.1x"}) == "--lr expects a number, got '0.1x'");
  CHECK(parse_error({"--lr", ""}) == "--lr expects a number, got ''");
  // Unknown options and missing values keep their messages.
  CHECK(parse_error({"--bogus", "1"}) == "unknown option --bogus (see --help)");
  CHECK(parse_error({"--lr"}) == "--lr needs a value");
}

TEST_CASE("cli: --help shows each option's range with its default", "[cli]") {
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  Options opts = training_options();
  const bool go_on = opts.parse({"--help"});
  std::cout.rdbuf(old);
  CHECK_FALSE(go_on);
  const std::string help = captured.str();
  CHECK_THAT(help, Catch::Contains("training epochs (>= 1; default: 4)"));
  CHECK_THAT(help, Catch::Contains("a fraction (in (0, 1]; default: 0.95)"));
  CHECK_THAT(help, Catch::Contains("learning rate (> 0; default: 0.001)"));
  CHECK_THAT(help, Catch::Contains("cutoff (default: -1)"));
}

TEST_CASE("cli: Range describes itself", "[cli]") {
  CHECK(Int::at_least(1).describe() == "an integer >= 1");
  CHECK(Int::between(0, 4096).describe() == "an integer in [0, 4096]");
  CHECK(Real::above(0).describe() == "a finite number > 0");
  CHECK(Real::fraction().describe() == "a finite number in [0, 1]");
  CHECK(Real::positive_fraction().bounds() == "in (0, 1]");
  CHECK(Real::any().describe() == "a finite number");
  CHECK(Real::between(1e-6, 0.5).describe() == "a finite number in [1e-06, 0.5]");
  CHECK_FALSE(Real::positive_fraction().contains(0));
  CHECK(Real::positive_fraction().contains(1));
  CHECK_FALSE(Real::any().contains(std::numeric_limits<double>::quiet_NaN()));
}
