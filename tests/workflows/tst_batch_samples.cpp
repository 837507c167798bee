// workflows::load_batch_samples: each batch of a configured loader with random transforms equals
// what PyTorch's DataLoader yields (tests/golden/gen_transform_grid.py, batches.safetensors), with
// two workers and in the main process, in both epochs; AG_NEWS batches as token ids and words for
// the padding and offsets collate functions; batch_marks for repeats and padding.

#include "data/transform_cli_golden.h"
#include "data/transforms_golden.h"
#include "workflows/batch_samples.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

const GoldenFile& batchesGolden() {
    static const GoldenFile file("transforms/batches.safetensors");
    return file;
}

} // namespace

class TestBatchSamples : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    data::DataLoaderConfig pictures(int workers) const {
        data::DataLoaderConfig c;
        c.dataset = "mnist:" + dir_.filePath(QStringLiteral("mnist")).toStdString();
        c.batch_size = 2;
        c.shuffle = true;
        c.generator_seed = 7;
        c.num_workers = workers;
        c.transform = nlohmann::json::parse(batchesGolden().metadata("loaders"))[0]["pipeline"];
        c.epochs = 2;
        return c;
    }

    data::DataLoaderConfig news(data::CollateChoice collate) const {
        data::DataLoaderConfig c;
        c.dataset = "ag-news:" + dir_.filePath(QStringLiteral("news")).toStdString();
        c.batch_size = 2;
        c.collate_fn = collate;
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir(dir_.path()).mkpath(QStringLiteral("mnist")));
        QVERIFY(QDir(dir_.path()).mkpath(QStringLiteral("news")));
        test::writeTransformCliMnist(dir_.filePath(QStringLiteral("mnist")).toStdString());
        const std::string news = dir_.filePath(QStringLiteral("news")).toStdString();
        std::ofstream(news + "/train.csv")
            << "1,Stocks rise,markets rise again\n2,Cup final,the final ends\n3,Chips,new chips\n";
        std::ofstream(news + "/test.csv") << "1,a,b\n";
    }

    // Every batch of both epochs, with random crops, rotations and flips, as PyTorch's loader.
    void matchesPyTorchsLoader_data() {
        QTest::addColumn<int>("workers");
        QTest::addColumn<int>("epoch");
        QTest::addColumn<int>("batch");
        for (int w : {2, 0})
            for (int e = 0; e < 2; ++e)
                for (int b = 0; b < 2; ++b)
                    QTest::addRow("w%d e%d b%d", w, e, b) << w << e << b;
    }
    void matchesPyTorchsLoader() {
        QFETCH(int, workers);
        QFETCH(int, epoch);
        QFETCH(int, batch);
        const auto s = workflows::load_batch_samples({pictures(workers), epoch, batch});
        QVERIFY(s);
        const std::string key = "w" + std::to_string(workers) + "/e" + std::to_string(epoch) + "b" +
                                std::to_string(batch);
        const Tensor images = batchesGolden().tensor(key + "/images");
        QCOMPARE(s->indices, batchesGolden().tensor(key + "/indices").to_int64_vector());
        QCOMPARE(s->epoch, epoch);
        QCOMPARE(s->batch, batch);
        QCOMPARE(static_cast<std::int64_t>(s->images.size()), images.size(0));
        for (std::size_t k = 0; k < s->images.size(); ++k) {
            QCOMPARE(shape_to_string(s->images[k].shape()), std::string("[1, 28, 28]"));
            QVERIFY2(test::maxAbsDiff(s->images[k], images.select(0, std::int64_t(k))) < 1e-5,
                     qPrintable(QString::number(k)));
        }
        const auto labels = test::transformCliGolden().tensor("cli/labels").to_int64_vector();
        for (std::size_t k = 0; k < s->size(); ++k)
            QCOMPARE(s->labels[k], labels[std::size_t(s->indices[k])]);
        QCOMPARE(s->class_names.size(), std::size_t{10});
    }

    void refusesABatchTheLoaderDoesNotHave() {
        try {
            workflows::load_batch_samples({pictures(0), 1, 2});
            QFAIL("no error");
        } catch (const std::out_of_range& e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("the loader has no batch 2 in epoch 1"));
        }
        std::atomic<bool> cancel{true};
        QVERIFY(!workflows::load_batch_samples({pictures(0), 0, 0}, &cancel));
    }

    // The tokens the model gets, padded to a matrix or concatenated with offsets.
    void showsTextAsTokens() {
        const auto padded =
            workflows::load_batch_samples({news(data::CollateChoice::Padding), 0, 0});
        QVERIFY(padded && padded->vocab);
        QCOMPARE(shape_to_string(padded->ids.shape()), std::string("[2, 5]"));
        QCOMPARE(padded->lengths.to_int64_vector(), (std::vector<std::int64_t>{5, 5}));
        auto words = [&](const workflows::BatchSamples& s, std::size_t row) {
            std::string out;
            for (auto id : s.tokens(row))
                out += (out.empty() ? "" : " ") + s.vocab->lookup_token(id);
            return out;
        };
        QCOMPARE(words(*padded, 0), std::string("stocks rise markets rise again"));
        QCOMPARE(padded->labels, (std::vector<std::int64_t>{0, 1}));

        const auto flat = workflows::load_batch_samples({news(data::CollateChoice::Offsets), 0, 1});
        QVERIFY(flat);
        QCOMPARE(flat->indices, (std::vector<std::int64_t>{2}));
        QCOMPARE(flat->offsets.to_int64_vector(), (std::vector<std::int64_t>{0}));
        QCOMPARE(words(*flat, 0), std::string("chips new chips"));
        QVERIFY(flat->images.empty());

        // The default collate keeps the strings.
        const auto plain =
            workflows::load_batch_samples({news(data::CollateChoice::Default), 0, 0});
        QVERIFY(plain);
        QCOMPARE(plain->values.size(), std::size_t{2});
    }

    void marksRepeatsAndPadding() {
        workflows::LoaderAnalysis a;
        a.epochs.resize(1);
        a.epochs[0].order = {4, 1, 4, 0, 1, 1};
        a.epochs[0].batch_sizes = {2, 2, 2};
        a.epochs[0].padding = {0, 0, 0, 0, 1, 1};
        const auto m = workflows::batch_marks(a, 0, 1);
        QCOMPARE(m.size(), std::size_t{2});
        QVERIFY(m[0].repeat && !m[0].padding);
        QVERIFY(!m[1].repeat && !m[1].padding);
        const auto last = workflows::batch_marks(a, 0, 2);
        QVERIFY(last[0].repeat && last[0].padding);
        QVERIFY(last[1].repeat && last[1].padding);
        QVERIFY(workflows::batch_marks(a, 0, 3).empty());
        QVERIFY(workflows::batch_marks(a, 1, 0).empty());
    }
};

QTEST_GUILESS_MAIN(TestBatchSamples)
#include "tst_batch_samples.moc"
