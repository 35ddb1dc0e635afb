// The safetensors reader and writer: exact byte layout, round trips, foreign dtypes, and an Error naming the file
// and the problem for every kind of bad file. Also the JSON reader underneath.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "autodiff/file_io.h"
#include "autodiff/ops.h"
#include "autodiff/json.h"
#include "nn/nn.h"
#include "safetensors_test_helpers.h"

using namespace mxai;
using namespace mxai::nn;
using mxai_test::decode_error;
using mxai_test::file_bytes;
using mxai_test::le64;
using TempDir = mxai_test::SafetensorsTempDir;

namespace {

std::string float_bytes(std::initializer_list<float> values) {
  std::string s;
  for (float f : values) s.append(reinterpret_cast<const char*>(&f), 4);
  return s;
}

}  // namespace

TEST_CASE("safetensors byte layout: length prefix, sorted JSON header, padding, raw data", "[nn][safetensors]") {
  TempDir dir;
  const std::string path = dir.file("t.safetensors");
  const Tensor b = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor a = Tensor::scalar(real(-1.5));
  save_safetensors(path, {{"b", b}, {"a", a}}, {{"format", "pt"}});
  const std::string bytes = read_file(path);

  const std::string want_header =
      R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},)"
      R"("b":{"dtype":"F32","shape":[2,3],"data_offsets":[4,28]}})";
  const size_t padded = (want_header.size() + 7) / 8 * 8;
  REQUIRE(bytes.size() == 8 + padded + 28);
  CHECK(bytes.substr(0, 8) == le64(padded));
  CHECK(bytes.substr(8, want_header.size()) == want_header);
  CHECK(bytes.substr(8 + want_header.size(), padded - want_header.size()) ==
        std::string(padded - want_header.size(), ' '));
  CHECK(bytes.substr(8 + padded) == float_bytes({-1.5f, 1, 2, 3, 4, 5, 6}));

  const SafetensorsContents back = load_safetensors(path);
  CHECK(back.metadata == Metadata{{"format", "pt"}});
  CHECK(back.tensors.at("a").shape() == Shape{});
  CHECK(back.tensors.at("a").item() == real(-1.5));
  CHECK(back.tensors.at("b").shape() == Shape{2, 3});
  CHECK(back.tensors.at("b").to_vector() == b.to_vector());
  CHECK(back.dtypes.at("b") == DType::F32);
  CHECK(std::fopen((path + ".tmp." + std::to_string(getpid())).c_str(), "r") == nullptr);  // written atomically
}

TEST_CASE("safetensors round trip of a whole model, with I64 buffers, empty tensors and odd names", "[nn][safetensors]") {
  TempDir dir;
  auto net = make_classifier("vgg", 3, 8, 8, 5, 1);
  Generator gen(2);
  net->forward(randn({2, 3, 8, 8}, gen));  // move the running statistics
  save_module(*net, dir.file("vgg.safetensors"), {{"arch", "vgg"}});
  const SafetensorsContents raw = load_safetensors(dir.file("vgg.safetensors"));
  CHECK(raw.dtypes.at("features.1.num_batches_tracked") == DType::I64);
  CHECK(raw.tensors.at("features.1.num_batches_tracked").item() == 1);

  auto other = make_classifier("vgg", 3, 8, 8, 5, 99);
  CHECK(load_module(*other, dir.file("vgg.safetensors")) == Metadata{{"arch", "vgg"}});
  for (const auto& [name, t] : net->state_dict()) {
    INFO(name);
    CHECK(other->state_dict().at(name).to_vector() == t.to_vector());
  }

  const TensorMap odd{{"with \"quotes\"\n", Tensor::ones({1})}, {"empty", Tensor::zeros({0, 3})}};
  save_safetensors(dir.file("odd.safetensors"), odd, {{"note", "ünïcode \\ \t"}});
  const SafetensorsContents back = load_safetensors(dir.file("odd.safetensors"));
  CHECK(back.tensors.at("with \"quotes\"\n").item() == 1);
  CHECK(back.tensors.at("empty").shape() == Shape{0, 3});
  CHECK(back.metadata.at("note") == "ünïcode \\ \t");
}

TEST_CASE("safetensors reads F64, F16, BF16 and integer dtypes", "[nn][safetensors]") {
  std::string data;
  const double d[2] = {0.25, -3.5};
  data.append(reinterpret_cast<const char*>(d), 16);                       // F64 [0,16)
  const uint16_t half[4] = {0x3C00, 0xC000, 0x7BFF, 0x0001};               // 1, -2, 65504, 2^-24
  data.append(reinterpret_cast<const char*>(half), 8);                     // F16 [16,24)
  const uint16_t bf16[2] = {0x3F80, 0xC0A0};                               // 1, -5
  data.append(reinterpret_cast<const char*>(bf16), 4);                     // BF16 [24,28)
  const int64_t i64[1] = {-7};
  data.append(reinterpret_cast<const char*>(i64), 8);                      // I64 [28,36)
  data.append("\x01\x00", 2);                                              // BOOL [36,38)
  const std::string header =
      R"({"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"h":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]},)"
      R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[24,28]},"i":{"dtype":"I64","shape":[],"data_offsets":[28,36]},)"
      R"("m":{"dtype":"BOOL","shape":[2],"data_offsets":[36,38]}})";
  const SafetensorsContents c = decode_safetensors(file_bytes(header, data), "mixed");
  CHECK(c.tensors.at("d").to_vector() == std::vector<real>{real(0.25), real(-3.5)});
  CHECK(c.tensors.at("h").to_vector() == std::vector<real>{1, -2, 65504, real(std::ldexp(1.0, -24))});
  CHECK(c.tensors.at("b").to_vector() == std::vector<real>{1, -5});
  CHECK(c.tensors.at("i").item() == -7);
  CHECK(c.tensors.at("m").to_vector() == std::vector<real>{1, 0});
  CHECK(c.dtypes.at("h") == DType::F16);
  CHECK(c.metadata.empty());
}

TEST_CASE("every malformed safetensors file is rejected with the file name and the problem", "[nn][safetensors]") {
  const std::string good_entry = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::string data = float_bytes({1, 2});
  REQUIRE(decode_error(file_bytes(good_entry, data)) == "(no error)");

  const auto check = [](const std::string& bytes, const std::string& expected) {
    const std::string msg = decode_error(bytes);
    INFO(msg);
    CHECK_THAT(msg, Catch::Contains("'model.safetensors'"));
    CHECK_THAT(msg, Catch::Contains(expected));
  };
  check("", "shorter than the 8-byte header length");
  check(std::string("\x10\x00\x00", 3), "3 bytes, shorter than the 8-byte header length");
  check(le64(1000) + good_entry, "header length 1000 exceeds the file size");
  check(le64(UINT64_MAX) + good_entry, "exceeds the file size");
  check(file_bytes(R"({"w":{"dtype":"F32",)", data), "header is not valid JSON");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} x)", data), "trailing characters");
  check(file_bytes(R"([1,2])", data), "header must be a JSON object, got array");
  check(file_bytes(R"({"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}})", data), "tensor 'w' has unknown dtype 'Q4'");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}})", data),
        "data_offsets [0, 12] out of range (the data section has 8 bytes)");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,4]}})", data), "out of range");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", data),
        "data_offsets [0, 8] span 8 bytes but shape (3) of F32 needs 12");
  check(file_bytes(R"({"w":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}})", data), "of F64 needs 16");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", data), "non-negative integers");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}})", data),
        "too large");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[2]}})", data), "data_offsets must be an array");
  check(file_bytes(R"({"w":{"shape":[2],"data_offsets":[0,8]}})", data), "missing or non-string dtype");
  check(file_bytes(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data),
        "appears twice");
  check(file_bytes(R"({"__metadata__":{"k":1}})", ""), "__metadata__ value of 'k' must be a string");

  TempDir dir;
  CHECK_THROWS_WITH(load_safetensors(dir.file("missing.safetensors")), Catch::Contains("missing.safetensors"));
  write_file_atomic(dir.file("short.safetensors"), "abc");
  CHECK_THROWS_WITH(load_safetensors(dir.file("short.safetensors")),
                    Catch::Contains("short.safetensors") && Catch::Contains("shorter than"));
}

TEST_CASE("load_module names the file when the state does not fit the model", "[nn][safetensors]") {
  TempDir dir;
  auto small = make_classifier("lenet", 1, 8, 8, 3, 1);
  save_module(*small, dir.file("lenet8.safetensors"));
  auto big = make_classifier("lenet", 1, 12, 12, 3, 1);
  CHECK_THROWS_WITH(load_module(*big, dir.file("lenet8.safetensors")),
                    Catch::Contains("lenet8.safetensors") && Catch::Contains("fc1.weight: expected shape (128,1024), got (128,256)"));
  auto resnet = make_classifier("resnet", 1, 8, 8, 3, 1);
  CHECK_THROWS_WITH(load_module(*resnet, dir.file("lenet8.safetensors")),
                    Catch::Contains("missing keys: bn1.weight, bn1.bias") && Catch::Contains("unexpected keys: conv1.bias"));
  CHECK_THROWS_WITH(save_module(*small, dir.file("no/such/dir/x.safetensors")), Catch::Contains("no/such/dir"));
}

TEST_CASE("json reader: values, escapes, errors with byte offsets", "[nn][json]") {
  const json::Value v = json::parse(R"( {"a": [1, -2.5e1, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "o": {}} )");
  REQUIRE(v.kind == json::Value::Kind::Object);
  const json::Value& a = *v.find("a");
  CHECK(a.items.size() == 5);
  CHECK(a.items[0].is_integer);
  CHECK(a.items[0].integer == 1);
  CHECK_FALSE(a.items[1].is_integer);
  CHECK(a.items[1].number == -25);
  CHECK(a.items[2].boolean);
  CHECK(a.items[4].kind == json::Value::Kind::Null);
  CHECK(v.find("s")->string == "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(v.find("o")->members.empty());
  CHECK(v.find("zz") == nullptr);

  CHECK_THROWS_WITH(json::parse(R"({"a" 1})"), Catch::Contains("byte 5") && Catch::Contains("expected ':'"));
  CHECK_THROWS_WITH(json::parse("[01]"), Catch::Contains("expected ']'"));
  CHECK_THROWS_WITH(json::parse("\"abc"), Catch::Contains("unterminated string"));
  CHECK_THROWS_WITH(json::parse("\"\\q\""), Catch::Contains("invalid escape"));
  CHECK_THROWS_WITH(json::parse(""), Catch::Contains("unexpected end of input"));
  CHECK_THROWS_WITH(json::parse(std::string(100, '[') + std::string(100, ']')), Catch::Contains("nesting deeper"));
  CHECK(json::quote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
  CHECK(json::parse(json::quote("tab\there \x1f")).string == "tab\there \x1f");
}
