// Inputs that crashed, hung or exhausted memory in the readers (found by the fuzz targets in fuzz/
// or while writing them), rebuilt here byte by byte so that each fix stays proven without a
// fuzzer: every one must end in a clear exception, quickly.

#include "data/idx_file.h"
#include "io/native_model.h"
#include "io/open_model.h"
#include "support/errors.h"
#include "support/files.h"
#include "support/protobuf_bytes.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdint>
#include <string>

using namespace nnscope;
using nnscope::test::error_message;
using nnscope::test::field_bytes;
using nnscope::test::field_varint;

namespace {

std::string write_file(const QTemporaryDir& dir, const char* name, const std::string& bytes) {
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    test::write_bytes(path, bytes);
    return path;
}

std::string golden(const char* name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/fuzz_regressions/" + name;
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

// A safetensors file of header JSON only (the bytes after it are the caller's).
std::string safetensors(const std::string& header_json, const std::string& data = "") {
    std::string out(8, '\0');
    std::uint64_t n = header_json.size();
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
    return out + header_json + data;
}

// A native model whose architecture JSON is `architecture` (quotes escaped into the metadata).
std::string native_model(const std::string& architecture) {
    std::string escaped;
    for (const char c : architecture)
        escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
    return safetensors(R"({"__metadata__":{"nnscope.architecture":")" + escaped +
                       R"(","nnscope.seed":"0"}})");
}

// ModelProto{ir_version 8, graph{node{name = node_name}, initializer{name, FLOAT [1]}}}.
std::string onnx_model(const std::string& node_name, const std::string& initializer_name) {
    const std::string node = field_bytes(3, node_name) + field_bytes(4, "Relu");
    const std::string initializer = field_varint(1, 1) + field_varint(2, 1) +
                                    field_bytes(8, initializer_name) +
                                    field_bytes(9, std::string(4, '\0'));
    const std::string graph = field_bytes(1, node) + field_bytes(5, initializer);
    return field_varint(1, 8) + field_bytes(7, graph);
}

// Architectures whose modules, or one argument's lists, nest `depth` deep.
std::string deep_modules(std::size_t depth) {
    return repeat(R"({"type":"Sequential","children":[["0",)", depth) + R"({"type":"ReLU"})" +
           repeat("]]}", depth);
}
std::string deep_lists(std::size_t depth) {
    return R"({"type":"Linear","in_features":)" + repeat("[", depth) + repeat("]", depth) + "}";
}

std::string plain_safetensors(const std::string& tensor_name) {
    // (No raw string here: moc loses its way in one that follows an escaped quote.)
    return safetensors("{\"" + tensor_name +
                           "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                       std::string(4, '\0'));
}

std::string dotted(std::size_t parts) {
    return repeat("a.", parts - 1) + "a";
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    // Found while writing fuzz_idx: the reader allocated (and zeroed) whatever the header promised
    // before reading any data: 1 GiB for a 20-byte file, std::bad_alloc for a terabyte, and a
    // product of sizes that wrapped around. Now sizes must not overflow and memory grows only with
    // the data actually read.
    void idxHeaderPromisesMoreThanTheFile() {
        QTemporaryDir dir;
        QElapsedTimer timer;
        timer.start();
        const std::string huge = write_file(
            dir, "huge",
            std::string("\x00\x00\x08\x03", 4) + std::string("\x00\x00\x40\x00", 4) +
                std::string("\x00\x00\x40\x00", 4) + std::string("\x00\x00\x00\x04", 4) + "data");
        QVERIFY(error_message([&] { data::read_idx_uint8(huge, 3); }).find("promises 1073741824") !=
                std::string::npos);
        const std::string tera = write_file(
            dir, "tera",
            std::string("\x00\x00\x08\x03", 4) + std::string("\x00\x00\xff\xff", 4) +
                std::string("\x00\x00\xff\xff", 4) + std::string("\x00\x00\x00\xff", 4) + "data");
        QVERIFY(error_message([&] { data::read_idx_uint8(tera, 3); }).find("truncated") !=
                std::string::npos);
        const std::string wraps = write_file(
            dir, "wraps", std::string("\x00\x00\x08\x03", 4) + std::string(12, '\xff') + "data");
        QVERIFY(error_message([&] { data::read_idx_uint8(wraps, 3); }).find("overflow") !=
                std::string::npos);
        QVERIFY(timer.elapsed() < 5000);
    }

    // Found by a seed written for fuzz_native_model: the architecture parser recursed once per
    // nesting level, so modules (or argument lists) nested 50000 deep overflowed the stack. Both
    // now stop at 128 levels with an error naming where.
    void nativeArchitectureNestsTooDeep() {
        QTemporaryDir dir;
        QElapsedTimer timer;
        timer.start();
        for (const char* name :
             {"native_deep_modules.safetensors", "native_deep_lists.safetensors"}) {
            const std::string message = error_message([&] { io::load_native_model(golden(name)); });
            QVERIFY2(message.find("nest deeper than 128 levels") != std::string::npos,
                     message.c_str());
        }
        const std::string modules =
            write_file(dir, "modules.safetensors", native_model(deep_modules(50000)));
        QVERIFY(error_message([&] { io::open_model(modules); }).find("modules nest deeper") !=
                std::string::npos);
        const std::string lists =
            write_file(dir, "lists.safetensors", native_model(deep_lists(50000)));
        QVERIFY(error_message([&] { io::open_model(lists); }).find("lists nest deeper") !=
                std::string::npos);
        // The limit leaves real depths alone: 128 levels of Sequential still build.
        const std::string fine =
            write_file(dir, "fine.safetensors", native_model(deep_modules(127)));
        QCOMPARE(error_message([&] { io::open_model(fine); }), std::string("<no error>"));
        QVERIFY(timer.elapsed() < 10000);
    }

    // Found by fuzz_open_model's hand-made seeds: every level of a dotted name becomes a module
    // path, so a name of n dots asked for n paths of up to n bytes. A 400 KB ONNX node scope or
    // tensor name (ONNX or safetensors) took over 2 GB and 20 s. Names deeper than 128 levels are
    // now refused when the file is opened, before any path is built.
    void dottedNamesNestTooDeep() {
        for (const char* name :
             {"onnx_deep_scope.onnx", "onnx_deep_initializer.onnx", "deep_name.safetensors"}) {
            const std::string message = error_message([&] { io::open_model(golden(name)); });
            QVERIFY2(message.find("nests 300 levels deep") != std::string::npos, message.c_str());
            QVERIFY2(message.find(golden(name)) == 0, message.c_str()); // names the file
        }
        QTemporaryDir dir;
        QElapsedTimer timer;
        timer.start();
        const std::string scope =
            write_file(dir, "scope.onnx", onnx_model("/" + dotted(200000) + "/Relu", "w"));
        QVERIFY(error_message([&] { io::open_model(scope); }).find("node scope 'a.a.a") !=
                std::string::npos);
        const std::string initializer =
            write_file(dir, "initializer.onnx", onnx_model("/Relu", dotted(200000)));
        QVERIFY(error_message([&] { io::open_model(initializer); }).find("nests 200000 levels") !=
                std::string::npos);
        const std::string plain =
            write_file(dir, "plain.safetensors", plain_safetensors(dotted(200000)));
        QVERIFY(error_message([&] { io::open_model(plain); }).find("nests 200000 levels") !=
                std::string::npos);
        // 128 levels are still read.
        const std::string fine =
            write_file(dir, "fine.onnx", onnx_model("/" + dotted(128) + "/Relu", dotted(128)));
        QCOMPARE(error_message([&] { io::open_model(fine); }), std::string("<no error>"));
        QVERIFY(timer.elapsed() < 10000);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
