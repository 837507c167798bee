// Saving as PyTorch zip .pt: our reader reads our writer's output back identically (names, order,
// dtypes, shapes, strides, offsets, values bit for bit, shared storages); PyTorch 1.13's
// torch.load(weights_only=True) read the committed golden file identically
// (gen_saved_by_nnscope.py) and we still write that file's exact records; with torch installed,
// PyTorch reads a fresh file too. Bad input fails without leaving a file behind.

#include "io/pytorch_archive.h"
#include "io/pytorch_writer.h"
#include "io/tensor_bytes.h"
#include "io/zip_reader.h"
#include "support/golden.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <map>

using namespace nnscope;

namespace {

const std::string golden_dir = std::string(NNSCOPE_GOLDEN_DIR) + "/saved_by_nnscope/";

// A tensor of `dtype` holding exactly these element bytes (any bit pattern, float16 included).
template <class T> Tensor raw(DType dtype, const Shape& shape, const std::vector<T>& values) {
    Tensor t = Tensor::empty(shape, dtype);
    Q_ASSERT(element_size(dtype) == sizeof(T));
    if (!values.empty()) std::memcpy(t.storage()->data(), values.data(), values.size() * sizeof(T));
    return t;
}

// Every dtype, a storage shared by a tensor, its transpose and a row, special floats, a 0-dim and
// an empty tensor.
io::NamedTensors varied_tensors() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    Tensor base =
        Tensor::from_vector({nan, inf, -0.0, 1.5, -2.25, 3e-39, 7, 8, 9, 10, 11, 12}, {3, 4});
    return {
        {"shared.base", base},
        {"shared.transposed", base.t()},
        {"shared.row", base.select(0, 1)},
        {"float64", Tensor::from_vector({1.0 / 3.0, -1e300, 5e-324}, {3}, DType::Float64)},
        {"float16", raw<std::uint16_t>(DType::Float16, {2, 2}, {0x3c00, 0x7c00, 0x8001, 0x7e01})},
        {"bfloat16", raw<std::uint16_t>(DType::BFloat16, {3}, {0x3f80, 0xff80, 0x0001})},
        {"int8", raw<std::int8_t>(DType::Int8, {3}, {-128, 0, 127})},
        {"int16", raw<std::int16_t>(DType::Int16, {3}, {-32768, 7, 32767})},
        {"int32", raw<std::int32_t>(DType::Int32, {3}, {INT32_MIN, 5, INT32_MAX})},
        {"int64", raw<std::int64_t>(DType::Int64, {3}, {INT64_MIN, 1, INT64_MAX})},
        {"uint8", raw<std::uint8_t>(DType::UInt8, {3}, {0, 200, 255})},
        {"bool", raw<std::uint8_t>(DType::Bool, {1, 3}, {1, 0, 1})},
        {"scalar", Tensor::scalar(3.5)},
        {"empty", Tensor::zeros({0, 3})},
    };
}

// More entries than one SETITEMS batch (1000) and memo indices past 255 (LONG_BINPUT/BINGET).
io::NamedTensors many_tensors(int count) {
    io::NamedTensors tensors;
    for (int i = 0; i < count; ++i)
        tensors.emplace_back("many." + std::to_string(i),
                             Tensor::from_vector({double(i), -double(i)}, {2}));
    return tensors;
}

io::NamedTensors read_back(const std::string& path, io::ModelDocument* document_out = nullptr) {
    io::ModelDocument document = io::open_pytorch_file(path);
    io::NamedTensors tensors;
    for (const auto& entry : document.tensors)
        tensors.emplace_back(entry.name, entry.load());
    if (document_out) *document_out = std::move(document);
    return tensors;
}

std::string join(const Shape& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? "," : "") + std::to_string(values[i]);
    return out;
}

// Identical names in order, dtypes, shapes, values; strides and offsets too unless the writer
// compacted the tensor.
void compare_tensors(const io::NamedTensors& actual, const io::NamedTensors& expected,
                     bool layout) {
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual[i].first, expected[i].first);
        NNSCOPE_COMPARE_TENSORS_EXACT(actual[i].second, expected[i].second);
        if (layout) {
            QCOMPARE(actual[i].second.strides(), expected[i].second.strides());
            QCOMPARE(actual[i].second.offset(), expected[i].second.offset());
        }
    }
}

// Whether tensors i and j share storage, for every pair, agrees between the two lists.
void compare_sharing(const io::NamedTensors& actual, const io::NamedTensors& expected) {
    for (std::size_t i = 0; i < actual.size(); ++i)
        for (std::size_t j = i + 1; j < actual.size(); ++j) {
            if (expected[i].second.numel() == 0 || expected[j].second.numel() == 0) continue;
            const bool want = expected[i].second.storage() == expected[j].second.storage();
            const bool got = actual[i].second.storage() == actual[j].second.storage();
            if (want != got)
                QFAIL(qPrintable(QStringLiteral("sharing of %1 and %2 differs")
                                     .arg(QString::fromStdString(expected[i].first),
                                          QString::fromStdString(expected[j].first))));
        }
}

// What PyTorch read (a safetensors file written by gen_saved_by_nnscope.py) against what we wrote.
void compare_with_torch_reading(const std::string& torch_read, const io::NamedTensors& written) {
    const io::SafetensorsFile file(torch_read);
    QCOMPARE(file.metadata().at("container"), std::string("collections.OrderedDict"));
    QCOMPARE(file.names().size(), written.size());
    std::map<std::string, const Tensor*> storage_owner; // PyTorch's storage index -> our tensor
    for (std::size_t i = 0; i < written.size(); ++i) {
        const auto& [name, tensor] = written[i];
        QCOMPARE(file.names()[i], name);
        NNSCOPE_COMPARE_TENSORS_EXACT(file.tensor(name), tensor);
        QCOMPARE(file.metadata().at("stride:" + name), join(tensor.strides()));
        QCOMPARE(file.metadata().at("offset:" + name), std::to_string(tensor.offset()));
        QCOMPARE(file.metadata().at("requires_grad:" + name), std::string("0"));
        if (tensor.numel() == 0) continue;
        const auto [it, first] =
            storage_owner.emplace(file.metadata().at("storage:" + name), &tensor);
        if (!first) QVERIFY2(it->second->storage() == tensor.storage(), name.c_str());
    }
}

} // namespace

class TestPytorchWriter : public QObject {
    Q_OBJECT

private slots:
    void roundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("model.pt")).toStdString();
        io::NamedTensors written = varied_tensors();
        for (auto& item : many_tensors(1300))
            written.push_back(std::move(item));
        io::save_pytorch_state_dict(path, written);
        io::ModelDocument document;
        const io::NamedTensors read = read_back(path, &document);
        QCOMPARE(document.format, io::ModelFormat::PytorchZip);
        QCOMPARE(document.metadata.at("nnscope.archive_root"), std::string("archive"));
        QCOMPARE(document.metadata.at("nnscope.archive_version"), std::string("3"));
        QVERIFY(!document.metadata.count("nnscope.byteorder")); // 1.13 writes none
        compare_tensors(read, written, true);
        compare_sharing(read, written);
    }

    // Every record's data starts at a multiple of 64 bytes, as in PyTorch's own archives, so
    // tensors map in place; records are STORED.
    void recordsAligned() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("model.pt")).toStdString();
        io::save_pytorch_state_dict(path, varied_tensors());
        const io::ZipReader zip(path);
        QStringList names;
        for (const auto& entry : zip.entries()) {
            names << QString::fromStdString(entry.name);
            QVERIFY(entry.stored);
            if (entry.size) QCOMPARE(zip.data_offset(entry) % 64, 0u);
        }
        QCOMPARE(names.first(), QStringLiteral("archive/data.pkl"));
        QCOMPARE(names.last(), QStringLiteral("archive/version"));
        QCOMPARE(names.size(), 2 + 12); // the three shared views use one storage
    }

    void compactWhenNotSharing() {
        QTemporaryDir dir;
        const std::string shared = dir.filePath(QStringLiteral("shared.pt")).toStdString();
        const std::string compact = dir.filePath(QStringLiteral("compact.pt")).toStdString();
        const Tensor big = Tensor::from_vector(std::vector<double>(10000, 1.0), {100, 100});
        const io::NamedTensors written = {{"column", big.select(1, 7)},
                                          {"block", big.narrow(0, 2, 3)}};
        io::save_pytorch_state_dict(shared, written);
        io::PytorchSaveOptions options;
        options.keep_shared_storage = false;
        io::save_pytorch_state_dict(compact, written, options);
        QVERIFY(std::filesystem::file_size(compact) < 4000);
        QVERIFY(std::filesystem::file_size(shared) > 40000);
        const io::NamedTensors read = read_back(compact);
        compare_tensors(read, written, false);
        for (const auto& [name, t] : read) {
            QVERIFY(t.is_contiguous());
            QCOMPARE(t.offset(), 0);
        }
        QVERIFY(read[0].second.storage() != read[1].second.storage());
        compare_tensors(read_back(shared), written, true);
    }

    // A storage viewed with two dtypes, or not a whole number of elements, cannot be one PyTorch
    // storage: such tensors get their own.
    void unshareableStorages() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("model.pt")).toStdString();
        auto storage = Storage::allocate(10);
        for (int i = 0; i < 10; ++i)
            storage->data()[i] = std::byte(i * 17);
        const io::NamedTensors written = {
            {"as_float", Tensor::from_storage(storage, DType::Float32, {2}, {1}, 0)},
            {"as_int16", Tensor::from_storage(storage, DType::Int16, {5}, {1}, 0)},
            {"as_uint8", Tensor::from_storage(storage, DType::UInt8, {10}, {1}, 0)},
        };
        io::save_pytorch_state_dict(path, written);
        compare_tensors(read_back(path), written, false);
    }

    void refusesBadInput_data() {
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty name") << QStringLiteral("empty tensor name");
        QTest::newRow("duplicate") << QStringLiteral("duplicate tensor name 'a'");
        QTest::newRow("undefined") << QStringLiteral("tensor 'u' is undefined");
    }

    void refusesBadInput() {
        QFETCH(QString, problem);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        io::NamedTensors tensors = {{"a", Tensor::ones({2})}};
        if (tag == QLatin1String("empty name")) tensors.emplace_back("", Tensor::ones({1}));
        if (tag == QLatin1String("duplicate")) tensors.emplace_back("a", Tensor::ones({1}));
        if (tag == QLatin1String("undefined")) tensors.emplace_back("u", Tensor());
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("model.pt")).toStdString();
        try {
            io::save_pytorch_state_dict(path, tensors);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(problem), e.what());
            QVERIFY2(QString::fromUtf8(e.what()).contains(QString::fromStdString(path)), e.what());
        }
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void unwritableDirectory() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("missing/model.pt")).toStdString();
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 io::save_pytorch_state_dict(path, varied_tensors()));
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    // The committed saved.pt was written by `nnscope-cli convert input.pt saved.pt` and read by
    // PyTorch 1.13 (torch_read.safetensors). Converting input.pt again must give the same records
    // byte for byte, so what PyTorch read still applies to what we write today.
    void goldenStillWritten() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("saved.pt")).toStdString();
        io::save_pytorch_state_dict(path, read_back(golden_dir + "input.pt"));
        const io::ZipReader fresh(path);
        const io::ZipReader golden(golden_dir + "saved.pt");
        QCOMPARE(fresh.entries().size(), golden.entries().size());
        for (std::size_t i = 0; i < fresh.entries().size(); ++i) {
            const io::ZipEntry& a = fresh.entries()[i];
            const io::ZipEntry& b = golden.entries()[i];
            QCOMPARE(a.name, b.name);
            QVERIFY2(fresh.read(a, 1 << 20) == golden.read(b, 1 << 20), a.name.c_str());
        }
    }

    // What PyTorch read from the committed file is exactly what our reader finds in it.
    void goldenReadByPytorch() {
        compare_with_torch_reading(golden_dir + "torch_read.safetensors",
                                   read_back(golden_dir + "saved.pt"));
    }

    // The live check: PyTorch loads a file written now, when python3-torch is installed. Python
    // starts once (importing torch takes seconds): a missing torch shows in its error.
    void readByPytorchNow() {
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("model.pt"));
        const QString out = dir.filePath(QStringLiteral("torch_read.safetensors"));
        io::NamedTensors written = varied_tensors();
        for (auto& item : many_tensors(1300))
            written.push_back(std::move(item));
        io::save_pytorch_state_dict(pt.toStdString(), written);
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral(NNSCOPE_GOLDEN_DIR "/gen_saved_by_nnscope.py"),
                      QStringLiteral("--read"), pt, out});
        const bool started = python.waitForStarted();
        QVERIFY(!started || python.waitForFinished(300000));
        const QByteArray errors = python.readAllStandardError();
        if (!started || errors.contains("No module named 'torch'"))
            QSKIP("/usr/bin/python3 with torch is not installed: the committed golden result "
                  "(goldenReadByPytorch) stands in");
        QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
                 errors.constData());
        compare_with_torch_reading(out.toStdString(), written);
    }
};

QTEST_GUILESS_MAIN(TestPytorchWriter)
#include "tst_pytorch_writer.moc"
