// nnscope-cli loader against PyTorch 1.13's DataLoader order (the loader goldens of
// tests/golden/gen_data.py), its summary, errors and exit codes.

#include "cli/cli_runner.h"
#include "data_golden.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

struct Parsed {
    std::vector<std::int64_t> indices, lengths, labels;
    QJsonObject summary;
};

Parsed parse(const QString& out) {
    Parsed p;
    for (const QString& line : out.split('\n', Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        if (o.contains("summary")) {
            p.summary = o["summary"].toObject();
            continue;
        }
        const QJsonArray idx = o["indices"].toArray();
        for (const auto v : idx)
            p.indices.push_back(v.toInteger());
        for (const auto v : o["labels"].toArray())
            p.labels.push_back(v.toInteger());
        p.lengths.push_back(idx.size());
    }
    return p;
}

} // namespace

class TestCliLoader : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorchOrder() {
        const GoldenFile file("data/loader.safetensors");
        int checked = 0;
        for (const auto& c : test::casesOf(file)) {
            if (!c.contains("sampler") || !c["generator"].get<bool>() || c["batch_size"].is_null())
                continue;
            const std::int64_t n = c["n"];
            QStringList args{"loader",
                             "--dataset",
                             QString("range:%1").arg(n),
                             "--batch-size",
                             QString::number(c["batch_size"].get<std::int64_t>()),
                             "--seed",
                             QString::fromStdString(c["seed"].get<std::string>()),
                             "--epochs",
                             "3",
                             "--json"};
            if (c["shuffle"].get<bool>()) args << "--shuffle";
            if (c["drop_last"].get<bool>()) args << "--drop-last";
            const std::string sampler = c["sampler"];
            if (sampler == "random-replacement")
                args << "--sampler"
                     << "random"
                     << "--replacement"
                     << "--num-samples"
                     << "30";
            else if (sampler == "subset")
                args << "--sampler"
                     << "subset-random"
                     << "--subset"
                     << "5:17";
            else if (sampler == "weighted") {
                QStringList w;
                for (std::int64_t i = 0; i < n; ++i)
                    w << QString::number(i % 3 + 1);
                args << "--sampler"
                     << "weighted"
                     << "--weights" << w.join(',') << "--num-samples"
                     << "20";
            } else if (sampler == "distributed")
                args << "--sampler"
                     << "distributed"
                     << "--num-replicas"
                     << "3"
                     << "--rank"
                     << "1"
                     << "--sampler-seed"
                     << "11";
            // Every other case runs with two workers: the order must not change.
            if (checked % 2)
                args << "--num-workers"
                     << "2";
            const auto r = test::run_cli(args);
            NNSCOPE_EXPECT_CLI_OK(r);
            const Parsed p = parse(r.out);
            const std::string name = c["name"];
            if (p.indices != test::goldenInts(file, name + "/indices"))
                QFAIL(qPrintable("order differs for " + args.join(' ')));
            QCOMPARE(p.lengths, test::goldenInts(file, name + "/lengths"));
            QCOMPARE(p.labels, p.indices); // range: the label of sample i is i
            QCOMPARE(p.summary["batches"].toInteger(), static_cast<qint64>(p.lengths.size()));
            ++checked;
        }
        QVERIFY(checked >= 20);
    }

    void summaryCountsDuplicatesAndClasses() {
        const auto r = test::run_cli({"loader", "--dataset", "range:4", "--batch-size", "3",
                                      "--sampler", "random", "--replacement", "--num-samples", "40",
                                      "--seed", "1", "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        const Parsed p = parse(r.out);
        QCOMPARE(p.summary["samples"].toInteger(), 40);
        QCOMPARE(p.summary["duplicates"].toInteger(), 36); // 4 distinct values in 40 draws
        qint64 total = 0;
        for (const auto v : p.summary["per_class"].toObject())
            total += v.toInteger();
        QCOMPARE(total, 40);
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("sampler+shuffle")
            << QStringList{"--dataset", "range:5", "--shuffle", "--sampler", "random"} << 1
            << "sampler option is mutually exclusive with shuffle";
        QTest::newRow("None+drop_last")
            << QStringList{"--dataset", "range:5", "--batch-size", "0", "--drop-last"} << 1
            << "batch_size=None option disables auto-batching";
        QTest::newRow("rank") << QStringList{"--dataset",      "range:5",
                                             "--sampler",      "distributed",
                                             "--num-replicas", "4",
                                             "--rank",         "5"}
                              << 1 << "Invalid rank 5, rank should be in the interval [0, 3]";
        QTest::newRow("num_samples")
            << QStringList{"--dataset", "range:5", "--sampler", "random", "--num-samples", "0"} << 1
            << "num_samples should be a positive integer value, but got num_samples=0";
        QTest::newRow("workers") << QStringList{"--dataset", "range:5", "--num-workers", "-1"} << 1
                                 << "num_workers option should be non-negative";
        QTest::newRow("dataset") << QStringList{"--dataset", "cifar"} << 2 << "unknown --dataset";
        QTest::newRow("mnist path") << QStringList{"--dataset", "mnist:/nonexistent"} << 1
                                    << "cannot find train-images-idx3-ubyte";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto r = test::run_cli(QStringList{"loader"} + args);
        QCOMPARE(r.exit_code, code);
        QVERIFY2(r.err.contains(message), qPrintable(test::describe(r)));
    }

    void fashionMnistWithWorkers() {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        const auto r = test::run_cli({"loader", "--dataset", "fashion-mnist", "--split", "test",
                                      "--batch-size", "1000", "--num-workers", "2", "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        const Parsed p = parse(r.out);
        QCOMPARE(p.summary["batches"].toInteger(), 10);
        // The test split has 1000 images of each class (counted with numpy from the file).
        for (const auto v : p.summary["per_class"].toObject())
            QCOMPARE(v.toInteger(), 1000);
        QCOMPARE(std::vector<std::int64_t>(p.labels.begin(), p.labels.begin() + 5),
                 (std::vector<std::int64_t>{9, 2, 1, 1, 6}));
    }
};

QTEST_GUILESS_MAIN(TestCliLoader)
#include "tst_cli_loader.moc"
