// Safetensors reading and writing: golden files written by PyTorch (gen_safetensors.py) for every
// dtype and edge shape, byte-exact agreement with the Python writer, round trips, every malformed
// header the reader must reject with a message naming the problem, and truncated/corrupted files
// that must fail cleanly instead of crashing.

#include "io/safetensors.h"
#include "io/tensor_bytes.h"
#include "support/files.h"
#include "support/golden.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <limits>

using namespace nnscope;
using nnscope::test::GoldenFile;
using nnscope::test::read_bytes;
using nnscope::test::write_bytes;

namespace {

const std::vector<double> kFloats = {
    1.5,     -0.0,    INFINITY, -INFINITY, NAN,  1e-45, 1e-300, 3.4028234663852886e38,
    65504.0, 65520.0, 6e-8,     1.0 / 3.0, -2.5, 0.1,   1e-5,   3.0e4};

std::string golden_path(const char* name) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/safetensors/" + name;
}

std::string length_prefix(std::uint64_t n) {
    std::string prefix(8, '\0');
    for (int i = 0; i < 8; ++i)
        prefix[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return prefix;
}

// A file from a header text and a data buffer, the length prefix computed unless given.
std::string make_file(const std::string& json, const std::string& data) {
    return length_prefix(json.size()) + json + data;
}

// A tensor over the given raw little-endian bytes, whatever the dtype.
Tensor raw_tensor(DType dtype, const Shape& shape, const std::vector<std::uint8_t>& bytes) {
    auto storage = Storage::allocate(bytes.size());
    if (!bytes.empty()) std::memcpy(storage->data(), bytes.data(), bytes.size());
    return Tensor::from_storage(storage, dtype, shape, contiguous_strides(shape), 0);
}

Tensor doubles(const Tensor& t) {
    return Tensor::from_vector(io::to_double_values(t), t.shape(), DType::Float64);
}

// The message of the std::runtime_error `fn` throws; empty when it throws nothing.
template <class Fn> QString error_of(Fn&& fn) {
    try {
        fn();
    } catch (const std::runtime_error& error) {
        return QString::fromStdString(error.what());
    }
    return QString();
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void floatsMatchPyTorch();
    void narrowFormatsDecodeLikePyTorch();
    void integersAndBools();
    void metadataAndOrder();
    void shapesScalarsAndEmpty();
    void headerOnlyMatchesFullRead();
    void writerMatchesReferenceBytes();
    void roundTripEveryDtypeAndNonContiguous();
    void headerOrderIsIrrelevant();
    void misalignedAndOddBoolsAreCopied();
    void tensorsAreOwnedAndOutliveFile();
    void malformed_data();
    void malformed();
    void writerRejectsBadNames();
    void truncatedFilesNeverCrash();
    void corruptedBytesNeverCrash();
    void goldenFileErrorsNameFileAndTensor();
    void allcloseReportsMismatch();
};

void TestSafetensors::floatsMatchPyTorch() {
    GoldenFile golden("safetensors/dtypes.safetensors");
    const Shape shape{static_cast<std::int64_t>(kFloats.size())};
    NNSCOPE_COMPARE_TENSORS_EXACT(golden.tensor("f64"),
                                  Tensor::from_vector(kFloats, shape, DType::Float64));
    // double -> float rounds to nearest even in both C++ and PyTorch; 1e-300 flushes to 0.
    std::vector<float> narrowed;
    for (double v : kFloats)
        narrowed.push_back(static_cast<float>(v));
    const Tensor f32 = golden.tensor("f32");
    QCOMPARE(f32.dtype(), DType::Float32);
    QCOMPARE(std::memcmp(f32.data_ptr<float>(), narrowed.data(), narrowed.size() * 4), 0);
    NNSCOPE_COMPARE_TENSORS_EXACT(doubles(f32), golden.tensor("f32_as_f64"));
    NNSCOPE_COMPARE_TENSORS_EXACT(doubles(golden.tensor("randn_f32")),
                                  golden.tensor("randn_f32_as_f64"));
    NNSCOPE_COMPARE_TENSORS_EXACT(io::to_float32(golden.tensor("f64")),
                                  golden.tensor("f64_as_f32"));
}

void TestSafetensors::narrowFormatsDecodeLikePyTorch() {
    GoldenFile golden("safetensors/dtypes.safetensors");
    for (const char* name : {"f16", "bf16"}) {
        const Tensor t = golden.tensor(name);
        QCOMPARE(t.dtype(), std::string(name) == "f16" ? DType::Float16 : DType::BFloat16);
        NNSCOPE_COMPARE_TENSORS_EXACT(doubles(t), golden.tensor(std::string(name) + "_as_f64"));
        NNSCOPE_COMPARE_TENSORS_EXACT(io::to_float32(t),
                                      golden.tensor(std::string(name) + "_as_f32"));
    }
    // Spot checks from the IEEE formats themselves: 65520 overflows binary16, 6e-8 is subnormal.
    const std::vector<double> f16 = io::to_double_values(golden.tensor("f16"));
    QVERIFY(std::isinf(f16[9]) && f16[9] > 0);
    QCOMPARE(f16[10], std::ldexp(1.0, -24));
    QVERIFY(std::signbit(f16[1]) && f16[1] == 0.0);
    NNSCOPE_COMPARE_TENSORS_EXACT(io::to_float32(golden.tensor("i64")),
                                  golden.tensor("i64_as_f32"));
}

void TestSafetensors::integersAndBools() {
    GoldenFile golden("safetensors/dtypes.safetensors");
    const Tensor i64 = golden.tensor("i64");
    const std::int64_t expected64[] = {std::numeric_limits<std::int64_t>::min(),
                                       std::numeric_limits<std::int64_t>::max(),
                                       0,
                                       -1,
                                       123456789012345,
                                       (std::int64_t{1} << 53) + 1};
    QCOMPARE(i64.dtype(), DType::Int64);
    QCOMPARE(i64.numel(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(i64.data_ptr<std::int64_t>()[i], expected64[i]);

    struct Case {
        const char* name;
        DType dtype;
        std::vector<double> values;
    };
    const Case cases[] = {
        {"i32", DType::Int32, {-2147483648.0, 2147483647.0, 0, -7}},
        {"i16", DType::Int16, {-32768, 32767, 0, 300}},
        {"i8", DType::Int8, {-128, 127, 0, -1}},
        {"u8", DType::UInt8, {0, 255, 1, 128}},
        {"bool", DType::Bool, {1, 0, 0, 1, 1}},
    };
    for (const auto& c : cases) {
        const Tensor t = golden.tensor(c.name);
        QCOMPARE(t.dtype(), c.dtype);
        QCOMPARE(io::to_double_values(t), c.values);
    }
}

void TestSafetensors::metadataAndOrder() {
    GoldenFile golden("safetensors/dtypes.safetensors");
    QCOMPARE(golden.metadata("generator"), std::string("gen_safetensors.py"));
    QCOMPARE(golden.metadata("unicode"), std::string("ünïcödé ✓"));
    QCOMPARE(golden.metadata("empty"), std::string());
    QVERIFY(golden.hasMetadata("torch"));
    QVERIFY(!golden.hasMetadata("missing"));
    const std::vector<std::string> expected = {
        "f64",        "f32",        "f16",         "bf16",        "i64",
        "i32",        "i16",        "i8",          "u8",          "bool",
        "randn_f32",  "f32_as_f64", "f16_as_f64",  "bf16_as_f64", "randn_f32_as_f64",
        "f64_as_f32", "f16_as_f32", "bf16_as_f32", "i64_as_f32"};
    QCOMPARE(golden.names(), expected); // the Python writer's order is the data order
}

void TestSafetensors::shapesScalarsAndEmpty() {
    GoldenFile golden("safetensors/shapes.safetensors");
    const Tensor scalar = golden.tensor("scalar_f32");
    QCOMPARE(scalar.dim(), 0);
    QCOMPARE(scalar.numel(), 1);
    QCOMPARE(io::to_double_values(scalar), std::vector<double>{3.25});
    QCOMPARE(io::to_double_values(golden.tensor("scalar_bool")), std::vector<double>{1});
    QCOMPARE(golden.tensor("scalar_i64").data_ptr<std::int64_t>()[0], std::int64_t{-42});

    const Tensor empty = golden.tensor("empty_2x0x3");
    QCOMPARE(empty.shape(), (Shape{2, 0, 3}));
    QCOMPARE(empty.numel(), 0);
    QCOMPARE(golden.tensor("empty_0_i64").shape(), (Shape{0}));
    QCOMPARE(golden.tensor("empty_0_i64").dtype(), DType::Int64);

    const Tensor transposed = golden.tensor("transposed_4x3");
    QCOMPARE(transposed.shape(), (Shape{4, 3}));
    QCOMPARE(io::to_double_values(transposed),
             (std::vector<double>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
    const Tensor four = golden.tensor("four_d");
    QCOMPARE(four.shape(), (Shape{2, 3, 1, 2}));
    QCOMPARE(four.dtype(), DType::Int32);
    QCOMPARE(io::to_double_values(four)[11], 11.0);
}

void TestSafetensors::headerOnlyMatchesFullRead() {
    const std::string path = golden_path("dtypes.safetensors");
    const io::SafetensorsHeader header = io::read_safetensors_header(path);
    const io::SafetensorsFile file(path);
    QCOMPARE(header.entries.size(), file.header().entries.size());
    QCOMPARE(header.metadata, file.metadata());
    QCOMPARE(header.file_size, static_cast<std::uint64_t>(read_bytes(path).size()));
    QCOMPARE(header.header_length % 8, std::uint64_t{0});
    for (std::size_t i = 0; i < header.entries.size(); ++i) {
        const auto& a = header.entries[i];
        const auto& b = file.header().entries[i];
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.dtype, b.dtype);
        QCOMPARE(a.shape, b.shape);
        QCOMPARE(a.begin, b.begin);
        QCOMPARE(a.end, b.end);
    }
    const io::SafetensorsEntry* bf16 = header.find("bf16");
    QVERIFY(bf16);
    QCOMPARE(bf16->shape, (Shape{static_cast<std::int64_t>(kFloats.size())}));
    QCOMPARE(bf16->nbytes(), kFloats.size() * 2);
    QVERIFY(!header.find("nope"));
}

void TestSafetensors::writerMatchesReferenceBytes() {
    // The same tensors and metadata as reference() in gen_safetensors.py.
    const io::NamedTensors tensors = {
        {"weight", Tensor::from_vector({0, 0.25, 0.5, 0.75, 1.0, 1.25}, {2, 3}, DType::Float32)},
        {"bias", Tensor::from_vector({-1.0, 0.5}, {2}, DType::Float64)},
        {"mask", raw_tensor(DType::Bool, {3}, {1, 0, 1})},
        {"idx", Tensor::from_int64({7}, {1, 1})},
        // binary16 of 1, -2, 0.5: 0x3c00, 0xc000, 0x3800, little-endian
        {"half", raw_tensor(DType::Float16, {3}, {0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38})},
    };
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("out.safetensors")).toStdString();
    io::save_safetensors(path, tensors, {{"format", "pt"}, {"note", "ünïcode"}});
    const std::string written = read_bytes(path);
    const std::string reference = read_bytes(golden_path("reference.safetensors"));
    QCOMPARE(written.size(), reference.size());
    QVERIFY(written == reference);
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path + ".partial")));
}

void TestSafetensors::roundTripEveryDtypeAndNonContiguous() {
    GoldenFile golden("safetensors/dtypes.safetensors");
    io::NamedTensors tensors;
    for (const auto& name : golden.names())
        tensors.emplace_back(name, golden.tensor(name));
    // A transposed view (strides {1, 3}) and an offset view must be written row-major.
    auto storage = Storage::allocate(12 * sizeof(float));
    for (int i = 0; i < 12; ++i)
        reinterpret_cast<float*>(storage->data())[i] = float(i);
    tensors.emplace_back("zz_transposed",
                         Tensor::from_storage(storage, DType::Float32, {4, 3}, {1, 4}, 0));
    tensors.emplace_back("zz_offset", Tensor::from_storage(storage, DType::Float32, {2}, {5}, 1));
    tensors.emplace_back("scalar", Tensor::from_storage(storage, DType::Float32, {}, {}, 7));
    tensors.emplace_back("empty", Tensor::from_storage(storage, DType::Float32, {3, 0}, {0, 1}, 0));

    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("rt.safetensors")).toStdString();
    io::save_safetensors(path, tensors, {{"a", "1"}, {"b", ""}});
    const io::SafetensorsContents back = io::load_safetensors(path);
    QCOMPARE(back.metadata, (io::SafetensorsMetadata{{"a", "1"}, {"b", ""}}));
    QCOMPARE(back.tensors.size(), tensors.size());
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        QCOMPARE(back.tensors[i].first, tensors[i].first); // written in the order given
        NNSCOPE_COMPARE_TENSORS_EXACT(back.tensors[i].second, tensors[i].second);
    }
    const io::SafetensorsFile file(path);
    QCOMPARE(io::to_double_values(file.tensor("zz_transposed")),
             (std::vector<double>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
    QCOMPARE(io::to_double_values(file.tensor("zz_offset")), (std::vector<double>{1, 6}));
    QCOMPARE(io::to_double_values(file.tensor("scalar")), std::vector<double>{7});
}

void TestSafetensors::headerOrderIsIrrelevant() {
    // "b" is listed first but its bytes come second: names() follows the data.
    const std::string json = R"({"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]},)"
                             R"("a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}})";
    const std::string data("\x01\x00\x00\x00\x02\x00\x00\x00", 8);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("order.safetensors")).toStdString();
    write_bytes(path, make_file(json, data));
    const io::SafetensorsFile file(path);
    QCOMPARE(file.names(), (std::vector<std::string>{"a", "b"}));
    QCOMPARE(file.tensor("a").data_ptr<std::int32_t>()[0], 1);
    QCOMPARE(file.tensor("b").data_ptr<std::int32_t>()[0], 2);
    QVERIFY(file.metadata().empty());
}

void TestSafetensors::misalignedAndOddBoolsAreCopied() {
    // A 13-byte header puts the data at file offset 21: the float64 is misaligned.
    std::string json = R"({"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},)"
                       R"("m":{"dtype":"BOOL","shape":[2],"data_offsets":[8,10]}})";
    while ((8 + json.size()) % 8 != 5)
        json += ' ';
    double value = -3.75;
    std::string data(reinterpret_cast<const char*>(&value), 8);
    data += std::string("\x02\x00", 2); // a bool byte of 2 must read as true
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("odd.safetensors")).toStdString();
    write_bytes(path, make_file(json, data));
    const io::SafetensorsFile file(path);
    const Tensor x = file.tensor("x");
    QCOMPARE(reinterpret_cast<std::uintptr_t>(x.data_ptr<double>()) % alignof(double),
             std::uintptr_t{0});
    QCOMPARE(x.data_ptr<double>()[0], -3.75);
    const Tensor m = file.tensor("m");
    QCOMPARE(std::to_integer<int>(m.storage()->data()[0]), 1);
    QCOMPARE(std::to_integer<int>(m.storage()->data()[1]), 0);
}

void TestSafetensors::tensorsAreOwnedAndOutliveFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("cow.safetensors")).toStdString();
    io::save_safetensors(path, {{"w", Tensor::from_vector({1, 2, 3}, {3}, DType::Float32)}});
    const std::string before = read_bytes(path);
    Tensor w;
    {
        const io::SafetensorsFile file(path);
        w = file.tensor("w");
    }
    w.data_ptr<float>()[1] = 42.0f; // the tensor's memory is its own
    QCOMPARE(io::to_double_values(w), (std::vector<double>{1, 42, 3}));
    QVERIFY(read_bytes(path) == before);
}

void TestSafetensors::malformed_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("problem");
    const auto file = [](const std::string& json, const std::string& data = std::string()) {
        const std::string bytes = make_file(json, data);
        return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
    };
    const auto f32 = [](const std::string& fields) {
        return R"({"t":{"dtype":"F32",)" + fields + "}}";
    };
    const std::string four(4, '\0'), eight(8, '\0'), twelve(12, '\0');

    QTest::newRow("too small") << QByteArray("abc", 3) << QStringLiteral("too small");
    QTest::newRow("length beyond file") << QByteArray::fromStdString(length_prefix(500) + "{}")
                                        << QStringLiteral("larger than the file");
    QTest::newRow("length over 100 MB")
        << QByteArray::fromStdString(length_prefix(100'000'001) + "{}")
        << QStringLiteral("exceeds the limit");
    QTest::newRow("length 2^64-1") << QByteArray::fromStdString(length_prefix(~0ull) + "{}")
                                   << QStringLiteral("exceeds the limit");
    QTest::newRow("invalid json") << file(R"({"t": {)") << QStringLiteral("not valid JSON");
    QTest::newRow("invalid utf-8") << file("{\"\xff\":1}") << QStringLiteral("not valid JSON");
    QTest::newRow("not an object") << file("[1, 2]") << QStringLiteral("not a JSON object");
    QTest::newRow("entry not object")
        << file(R"({"t":3})") << QStringLiteral("entry must be an object");
    QTest::newRow("missing dtype") << file(R"({"t":{"shape":[1],"data_offsets":[0,4]}})", four)
                                   << QStringLiteral("missing field 'dtype'");
    QTest::newRow("missing shape")
        << file(f32(R"("data_offsets":[0,4])"), four) << QStringLiteral("missing field 'shape'");
    QTest::newRow("missing offsets")
        << file(f32(R"("shape":[1])"), four) << QStringLiteral("missing field 'data_offsets'");
    QTest::newRow("unknown dtype")
        << file(R"({"t":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}})", "x")
        << QStringLiteral("unknown dtype \"F8_E4M3\"");
    QTest::newRow("dtype not string")
        << file(R"({"t":{"dtype":4,"shape":[1],"data_offsets":[0,4]}})", four)
        << QStringLiteral("dtype must be a string");
    QTest::newRow("negative extent")
        << file(f32(R"("shape":[-1],"data_offsets":[0,4])"), four)
        << QStringLiteral("shape entry must be a non-negative integer");
    QTest::newRow("fractional extent") << file(f32(R"("shape":[2.5],"data_offsets":[0,4])"), four)
                                       << QStringLiteral("non-negative integer");
    QTest::newRow("shape not array") << file(f32(R"("shape":4,"data_offsets":[0,4])"), four)
                                     << QStringLiteral("shape must be an array");
    QTest::newRow("shape overflow")
        << file(f32(R"("shape":[4294967296,4294967296],"data_offsets":[0,4])"), four)
        << QStringLiteral("overflows");
    QTest::newRow("extent beyond int64")
        << file(f32(R"("shape":[9223372036854775808],"data_offsets":[0,4])"), four)
        << QStringLiteral("overflows");
    QTest::newRow("offsets arity") << file(f32(R"("shape":[1],"data_offsets":[0])"), four)
                                   << QStringLiteral("data_offsets must be an array [begin, end]");
    QTest::newRow("negative offset") << file(f32(R"("shape":[1],"data_offsets":[-4,0])"), four)
                                     << QStringLiteral("data_offsets begin must be a non-negative");
    QTest::newRow("end before begin") << file(f32(R"("shape":[0],"data_offsets":[4,0])"), four)
                                      << QStringLiteral("end before they begin");
    QTest::newRow("size mismatch") << file(f32(R"("shape":[3],"data_offsets":[0,8])"), eight)
                                   << QStringLiteral("hold 8 bytes but shape [3] of F32 needs 12");
    QTest::newRow("past the end") << file(f32(R"("shape":[3],"data_offsets":[0,12])"), eight)
                                  << QStringLiteral("run past the end of the 8-byte data buffer");
    QTest::newRow("overlap")
        << file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                twelve)
        << QStringLiteral("tensor 'b': data_offsets [4, 12] overlap: tensor 'a' ends at 8");
    QTest::newRow("gap") << file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                 R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                                 twelve)
                         << QStringLiteral("tensor 'b': data_offsets [8, 12] leave a gap");
    QTest::newRow("gap at start") << file(f32(R"("shape":[1],"data_offsets":[4,8])"), eight)
                                  << QStringLiteral("leave a gap: the data buffer starts at 0");
    QTest::newRow("trailing bytes")
        << file(f32(R"("shape":[1],"data_offsets":[0,4])"), eight)
        << QStringLiteral("tensors cover 4 bytes but the data buffer has 8");
    QTest::newRow("duplicate name")
        << file(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                R"("a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                "xy")
        << QStringLiteral("duplicate tensor name 'a'");
    QTest::newRow("duplicate field")
        << file(R"({"a":{"dtype":"U8","dtype":"I8","shape":[1],"data_offsets":[0,1]}})", "x")
        << QStringLiteral("duplicate key 'dtype'");
    QTest::newRow("metadata not object")
        << file(R"({"__metadata__":[1]})") << QStringLiteral("__metadata__ must be an object");
    QTest::newRow("metadata value not string")
        << file(R"({"__metadata__":{"k":1}})") << QStringLiteral("value of 'k' must be a string");
}

void TestSafetensors::malformed() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
    write_bytes(path.toStdString(), bytes.toStdString());
    const QString full = error_of([&] { io::SafetensorsFile file(path.toStdString()); });
    const QString header = error_of([&] { io::read_safetensors_header(path.toStdString()); });
    for (const QString& message : {full, header}) {
        if (!message.contains(problem) || !message.contains(path))
            QFAIL(qPrintable(QStringLiteral("expected an error naming '%1' and the file, got '%2'")
                                 .arg(problem, message)));
    }
}

void TestSafetensors::writerRejectsBadNames() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("w.safetensors")).toStdString();
    const Tensor t = Tensor::from_vector({1}, {1}, DType::Float32);
    for (const io::NamedTensors& bad :
         {io::NamedTensors{{"a", t}, {"a", t}}, io::NamedTensors{{"", t}},
          io::NamedTensors{{"__metadata__", t}}, io::NamedTensors{{"u", Tensor()}}}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, io::save_safetensors(path, bad));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             io::save_safetensors(path + "/no/such/dir/x", {{"a", t}}));
    // An empty file list is still a valid file: "{}" padded to 8 bytes.
    io::save_safetensors(path, {});
    QCOMPARE(read_bytes(path), length_prefix(8) + "{}      ");
    QVERIFY(io::SafetensorsFile(path).names().empty());
}

void TestSafetensors::truncatedFilesNeverCrash() {
    const std::string full = read_bytes(golden_path("reference.safetensors"));
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("cut.safetensors")).toStdString();
    for (std::size_t size = 0; size < full.size(); ++size) {
        write_bytes(path, full.substr(0, size));
        const QString message = error_of([&] { io::SafetensorsFile file(path); });
        if (message.isEmpty())
            QFAIL(qPrintable(QStringLiteral("accepted a %1-byte prefix").arg(size)));
        QVERIFY(!error_of([&] { io::read_safetensors_header(path); }).isEmpty());
    }
    write_bytes(path, full);
    QCOMPARE(io::SafetensorsFile(path).names().size(), std::size_t{5});
}

void TestSafetensors::corruptedBytesNeverCrash() {
    // Every byte of a valid file replaced by a few values: the reader either accepts the file
    // (data bytes are free-form) or throws; it never crashes or reads out of bounds.
    const std::string full = read_bytes(golden_path("reference.safetensors"));
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("bad.safetensors")).toStdString();
    int rejected = 0;
    for (std::size_t i = 0; i < full.size(); ++i) {
        for (char replacement : {'\0', '\xff', '9', '"'}) {
            std::string bytes = full;
            bytes[i] = replacement;
            write_bytes(path, bytes);
            try {
                const io::SafetensorsFile file(path);
                for (const auto& [name, tensor] : file.tensors())
                    io::to_double_values(tensor);
            } catch (const std::runtime_error&) {
                ++rejected;
            }
        }
    }
    QVERIFY(rejected > 0);
}

void TestSafetensors::goldenFileErrorsNameFileAndTensor() {
    GoldenFile golden("safetensors/shapes.safetensors");
    QVERIFY(golden.has("four_d"));
    QVERIFY(!golden.has("nope"));
    try {
        golden.tensor("nope");
        QFAIL("no exception for a missing tensor");
    } catch (const std::out_of_range& error) {
        const QString message = QString::fromStdString(error.what());
        QVERIFY2(message.contains(QStringLiteral("nope")) &&
                     message.contains(QStringLiteral("shapes.safetensors")),
                 qPrintable(message));
    }
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, golden.metadata("nope"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, GoldenFile("safetensors/missing.safetensors"));
}

void TestSafetensors::allcloseReportsMismatch() {
    const Tensor expected =
        Tensor::from_vector({1, 2, NAN, INFINITY, 5, 6}, {2, 3}, DType::Float32);
    const Tensor near = Tensor::from_vector({1.00001, 2, NAN, INFINITY, 5, 6.0005}, {2, 3});
    QVERIFY(test::allclose(near, expected)); // 6.0005 - 6 <= 1e-5 + 1e-4 * 6
    QString why;
    const Tensor far = Tensor::from_vector({1, 2, NAN, INFINITY, 5.1, 6}, {2, 3});
    QVERIFY(!test::allclose(far, expected, 1e-5, 1e-4, &why));
    QVERIFY2(why.contains(QStringLiteral("[1, 1]")) && why.contains(QStringLiteral("5.0999999")) &&
                 why.contains(QStringLiteral("max abs error")),
             qPrintable(why));
    const Tensor nan_vs_number = Tensor::from_vector({1, 2, 3, INFINITY, 5, 6}, {2, 3});
    QVERIFY(!test::allclose(nan_vs_number, expected, 1e-5, 1e-4, &why));
    QVERIFY2(why.contains(QStringLiteral("[0, 2]")), qPrintable(why));
    const Tensor neg_inf = Tensor::from_vector({1, 2, NAN, -INFINITY, 5, 6}, {2, 3});
    QVERIFY(!test::allclose(neg_inf, expected));
    QVERIFY(!test::allclose(expected.reshape({6}), expected, 1e-5, 1e-4, &why));
    QVERIFY2(why.contains(QStringLiteral("[6]")) && why.contains(QStringLiteral("[2, 3]")),
             qPrintable(why));
    QVERIFY(!test::allclose(Tensor::from_vector({1}, {1}, DType::Float64),
                            Tensor::from_vector({1}, {1}, DType::Float32), 1e-5, 1e-4, &why));
    QVERIFY2(why.contains(QStringLiteral("dtype")), qPrintable(why));

    QVERIFY(test::equal_exact(expected, expected));
    const Tensor zero = Tensor::from_vector({0.0}, {1});
    const Tensor minus_zero = Tensor::from_vector({-0.0}, {1});
    QVERIFY(test::allclose(zero, minus_zero));
    QVERIFY(!test::equal_exact(zero, minus_zero, &why)); // bit-exact sees the sign
    QVERIFY2(why.contains(QStringLiteral("[0]")), qPrintable(why));
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
