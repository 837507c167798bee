// nnscope-cli transform as a user runs it: on a small MNIST-like data set written here, the
// PNGs it writes are real PNGs holding the library's preview (workflows/transform_preview.h,
// checked against torchvision in tests/workflows/tst_transform_preview), and the JSON line
// reports its drawn parameters. Then its usage errors.

#include "cli/cli_runner.h"
#include "data/png_file.h"
#include "data/transforms/parse_transform.h"
#include "transform_cli_golden.h"
#include "workflows/transform_preview.h"

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
using nnscope::test::run_cli;

class TestTransformCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString data_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        data_ = dir_.filePath(QStringLiteral("mnist"));
        QVERIFY(QDir().mkpath(data_));
        test::writeTransformCliMnist(data_.toStdString());
    }

    // What the CLI prints and writes is the library's preview (tested against torchvision in
    // tests/workflows/tst_transform_preview), for each golden pipeline.
    void writesThePreview_data() { test::addTransformCliRows(); }
    void writesThePreview() {
        QFETCH(int, run);
        const auto r = test::transformCliRuns()[static_cast<std::size_t>(run)];
        const QString out = dir_.filePath(QStringLiteral("out%1").arg(run));
        const auto result =
            run_cli({"transform", "--dataset", "mnist:" + data_, "--index",
                     QString::number(r["index"].get<int>()), "--transform",
                     QString::fromStdString(r["pipeline"].get<std::string>()), "--seed",
                     QString::number(r["seed"].get<int>()), "--out", out});
        NNSCOPE_EXPECT_CLI_OK(result);
        const auto dataset = data::MnistDataset::mnist(data_.toStdString(), data::Split::Train);
        const auto transform = data::parse_transform(r["pipeline"].get<std::string>());
        const workflows::TransformPreview p = workflows::preview_transform(
            *dataset, r["index"].get<std::int64_t>(), *transform, r["seed"].get<std::uint64_t>());

        const auto line = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(line["index"].toInt(), r["index"].get<int>());
        QCOMPARE(line["label"].toInteger(), p.label);
        QCOMPARE(line["class"].toString().toStdString(), p.class_name);
        QCOMPARE(line["transform"].toString().toStdString(), transform->repr());
        const auto drawn = line["drawn"].toArray();
        QCOMPARE(static_cast<std::size_t>(drawn.size()), p.drawn.size());
        for (qsizetype i = 0; i < drawn.size(); ++i) {
            const auto& d = p.drawn[static_cast<std::size_t>(i)];
            const QJsonObject o = drawn[i].toObject();
            QCOMPARE(o["transform"].toString().toStdString(), d.transform);
            for (const auto& [key, value] : d.values)
                std::visit(
                    [&, &key = key](auto v) {
                        if constexpr (std::is_same_v<decltype(v), bool>)
                            QCOMPARE(o[QString::fromStdString(key)].toBool(), v);
                        else
                            QCOMPARE(o[QString::fromStdString(key)].toDouble(),
                                     static_cast<double>(v));
                    },
                    value);
        }

        // Real PNG files: the signature, then what libpng decodes.
        for (const char* name : {"before.png", "after.png"}) {
            QFile f(out + "/" + name);
            QVERIFY2(f.open(QIODevice::ReadOnly), name);
            QCOMPARE(f.read(8), QByteArray("\x89PNG\r\n\x1a\n", 8));
        }
        QCOMPARE(data::read_png((out + "/before.png").toStdString()).to_vector(),
                 p.before.to_vector());
        bool stretched = false;
        const Tensor shown = data::to_display_uint8(p.after, &stretched);
        const Tensor after = data::read_png((out + "/after.png").toStdString());
        QCOMPARE(shape_to_string(after.shape()), shape_to_string(shown.shape()));
        QCOMPARE(after.to_vector(), shown.to_vector());
        QCOMPARE(line["after"].toObject()["png_scaling"].toString(),
                 p.after.dtype() == DType::UInt8 ? QStringLiteral("none")
                 : stretched                     ? QStringLiteral("min-max")
                                                 : QStringLiteral("x255"));
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
