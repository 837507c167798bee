// nnscope-cli transform as a user runs it: on a small MNIST-like data set written here, the
// PNGs it writes are real PNGs of the right size, before.png holds the stored picture and
// after.png torchvision's result (tests/golden/gen_transforms.py, cli.safetensors), and the
// JSON line reports torchvision's drawn parameters. Then its usage errors.

#include "cli/cli_runner.h"
#include "data/png_file.h"
#include "data_golden.h"
#include "transforms_golden.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

using namespace nnscope;
using nnscope::test::GoldenFile;
using nnscope::test::maxAbsDiff;
using nnscope::test::run_cli;

namespace {

const GoldenFile& golden() {
    static const GoldenFile file("transforms/cli.safetensors");
    return file;
}

void writeIdx(const QString& path, std::uint32_t magic, const std::vector<std::uint32_t>& dims,
              const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    auto be32 = [&](std::uint32_t v) {
        const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
        out.write(b, 4);
    };
    be32(magic);
    for (auto d : dims)
        be32(d);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> bytesOf(const Tensor& t) {
    std::vector<std::uint8_t> out;
    for (double v : t.to_vector())
        out.push_back(static_cast<std::uint8_t>(v));
    return out;
}

} // namespace

class TestTransformCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString data_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        data_ = dir_.filePath(QStringLiteral("mnist"));
        QVERIFY(QDir().mkpath(data_));
        writeIdx(data_ + "/train-images-idx3-ubyte", 0x803, {3, 28, 28},
                 bytesOf(golden().tensor("cli/images")));
        writeIdx(data_ + "/train-labels-idx1-ubyte", 0x801, {3},
                 bytesOf(golden().tensor("cli/labels")));
    }

    void matchesTorchvision_data() {
        QTest::addColumn<int>("run");
        const auto runs = nlohmann::json::parse(golden().metadata("runs"));
        for (std::size_t k = 0; k < runs.size(); ++k)
            QTest::newRow(runs[k]["pipeline"].get<std::string>().c_str()) << static_cast<int>(k);
    }
    void matchesTorchvision() {
        QFETCH(int, run);
        const auto r =
            nlohmann::json::parse(golden().metadata("runs"))[static_cast<std::size_t>(run)];
        const QString out = dir_.filePath(QStringLiteral("out%1").arg(run));
        const auto result =
            run_cli({"transform", "--dataset", "mnist:" + data_, "--index",
                     QString::number(r["index"].get<int>()), "--transform",
                     QString::fromStdString(r["pipeline"].get<std::string>()), "--seed",
                     QString::number(r["seed"].get<int>()), "--out", out});
        NNSCOPE_EXPECT_CLI_OK(result);
        const auto line = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(line["index"].toInt(), r["index"].get<int>());
        QCOMPARE(line["label"].toInt(),
                 golden().tensor("cli/labels").to_int64_vector()[r["index"].get<std::size_t>()]);

        // Drawn parameters exactly as torchvision drew them.
        const auto drawn = line["drawn"].toArray();
        QCOMPARE(static_cast<std::size_t>(drawn.size()), r["drawn"].size());
        for (qsizetype i = 0; i < drawn.size(); ++i) {
            const auto& [name, values] = std::pair{r["drawn"][static_cast<std::size_t>(i)][0],
                                                   r["drawn"][static_cast<std::size_t>(i)][1]};
            const QJsonObject d = drawn[i].toObject();
            QCOMPARE(d["transform"].toString().toStdString(), name.get<std::string>());
            for (const auto& [key, v] : values.items()) {
                if (v.is_boolean())
                    QCOMPARE(d[QString::fromStdString(key)].toBool(), v.get<bool>());
                else
                    QCOMPARE(d[QString::fromStdString(key)].toDouble(), v.get<double>());
            }
        }

        // Real PNG files: the signature, then what libpng decodes.
        for (const char* name : {"before.png", "after.png"}) {
            QFile f(out + "/" + name);
            QVERIFY2(f.open(QIODevice::ReadOnly), name);
            QCOMPARE(f.read(8), QByteArray("\x89PNG\r\n\x1a\n", 8));
        }
        const Tensor before = data::read_png((out + "/before.png").toStdString());
        const Tensor stored =
            golden().tensor("cli/images").select(0, r["index"].get<std::int64_t>()).unsqueeze(0);
        QCOMPARE(shape_to_string(before.shape()), std::string("[1, 28, 28]"));
        QCOMPARE(before.to_vector(), stored.to_vector());

        const Tensor after = data::read_png((out + "/after.png").toStdString());
        Tensor expected = golden().tensor("cli" + std::to_string(run) + "/after");
        if (expected.dim() == 2) expected = expected.unsqueeze(0);
        QCOMPARE(shape_to_string(after.shape()), shape_to_string(expected.shape()));
        // What the PNG should hold: uint8 as is, floats in [0, 1] times 255, other float ranges
        // stretched from min..max to 0..255 (as the JSON line says).
        const QString scaling = line["after"].toObject()["png_scaling"].toString();
        auto v = expected.to_vector();
        if (expected.dtype() != DType::UInt8) {
            const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
            const bool stretch = *lo < 0 || *hi > 1;
            QCOMPARE(scaling, stretch ? QStringLiteral("min-max") : QStringLiteral("x255"));
            const double a = stretch ? *lo : 0, b = stretch ? *hi : 1;
            for (double& x : v)
                x = std::round((x - a) / (b - a) * 255);
        } else {
            QCOMPARE(scaling, QStringLiteral("none"));
        }
        const Tensor want = Tensor::from_vector(v, expected.shape());
        QVERIFY2(maxAbsDiff(after, want) <= 1.0,
                 qPrintable(QStringLiteral("max |difference| %1").arg(maxAbsDiff(after, want))));
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no index") << QStringList{"--transform", "ToTensor()", "--out", "x"} << 2
                                  << "transform needs --index I";
        QTest::newRow("no transform")
            << QStringList{"--index", "0", "--out", "x"} << 2 << "transform needs --transform";
        QTest::newRow("bad pipeline")
            << QStringList{"--index", "0", "--transform", "RandomCrop(28, paddin=4)", "--out", "x"}
            << 2
            << "--transform: RandomCrop() got an unexpected keyword argument 'paddin' (it takes "
               "size, padding, pad_if_needed, fill, padding_mode) at column 16";
        QTest::newRow("index out of range")
            << QStringList{"--index", "3", "--transform", "ToTensor()", "--out", "x"} << 2
            << "--index 3 is out of range for MNIST (train) of 3 samples";
        QTest::newRow("crop larger than the image")
            << QStringList{"--index", "0", "--transform", "RandomCrop(30)", "--out", "x"} << 1
            << "Required crop size (30, 30) is larger than input image size (28, 28)";
    }
    void usageErrors() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QStringList args{"transform", "--dataset", "mnist:" + data_};
        args += arguments;
        const auto result = run_cli(args);
        QCOMPARE(result.exit_code, exitCode);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
    }

    void rangeHoldsNoImages() {
        const auto result = run_cli({"transform", "--dataset", "range:5", "--index", "0",
                                     "--transform", "ToTensor()", "--out", dir_.path()});
        QCOMPARE(result.exit_code, 2);
        QVERIFY2(result.err.contains("--dataset 'range:5' holds no images"),
                 qPrintable(result.err));
    }
};

QTEST_GUILESS_MAIN(TestTransformCli)
#include "tst_transform_cli.moc"
