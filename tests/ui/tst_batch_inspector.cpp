// The lab's "Batches" tab (ui/lab/batch_inspector.h): for an analysed configuration it loads the
// chosen (epoch, batch) in its own job and shows the batch's images after the transforms with
// their labels (the library's batch, checked against PyTorch in tests/workflows/
// tst_batch_samples), repeats and padding marked; AG_NEWS batches as a table of tokens shown as
// words (BatchTokenModel, under QAbstractItemModelTester); errors are shown, nothing runs hidden.

#include "data/transform_cli_golden.h"
#include "ui/lab/batch_inspector.h"
#include "ui/lab/batch_token_model.h"
#include "ui/lab/image_tile_grid.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <set>

using namespace nnscope;
using nnscope::ui::BatchInspector;

class TestBatchInspector : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    data::DataLoaderConfig pictures() const {
        data::DataLoaderConfig c;
        c.dataset = "mnist:" + dir_.filePath(QStringLiteral("mnist")).toStdString();
        c.batch_size = 2;
        c.shuffle = true;
        c.generator_seed = 3;
        c.transform = "Compose([RandomCrop(24), RandomHorizontalFlip()])";
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

    static bool waitIdle(BatchInspector& v) {
        return QTest::qWaitFor([&] { return !v.isBusy(); }, 20000);
    }

    static void analyse(BatchInspector& v, const data::DataLoaderConfig& c) {
        v.setConfiguration(c);
        v.setAnalysis(workflows::analyse_loader(c));
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

    void showsTheImagesOfTheChosenBatch() {
        BatchInspector v;
        QCOMPARE(v.title(), QStringLiteral("Batches"));
        v.resize(800, 500);
        v.show();
        analyse(v, pictures());
        QVERIFY(v.isBusy());
        QVERIFY(waitIdle(v));
        QVERIFY(v.samples());
        QCOMPARE(v.grid()->tileCount(), 2);
        v.setBatch(1, 1); // the last batch of epoch 1: one sample
        QVERIFY(waitIdle(v));
        const auto want = workflows::load_batch_samples({pictures(), 1, 1});
        QCOMPARE(v.samples()->indices, want->indices);
        QCOMPARE(v.grid()->tileCount(), 1);
        const auto& tile = v.grid()->tile(0);
        QCOMPARE(tile.image.size(), QSize(24, 24));
        QCOMPARE(tile.lines.value(0), QStringLiteral("#%1").arg(want->indices[0]));
        const auto label = want->labels[0];
        QCOMPARE(tile.lines.value(1),
                 QString::fromStdString(want->class_names[std::size_t(label)]));
        QVERIFY(!tile.mark.isValid());
        QVERIFY2(v.infoText().startsWith(
                     QStringLiteral("Epoch 1, batch 1 of 2, loaded in the main process: 1 sample")),
                 qPrintable(v.infoText()));
        // The batch spin box follows the epoch's batch count.
        QCOMPARE(v.findChildren<QSpinBox*>().at(1)->maximum(), 1);
        v.setBatch(0, 0);
        QVERIFY(waitIdle(v));
        v.grab().save(QStringLiteral("/tmp/preview_batch.png"));
        v.shutdown();
    }

    void marksRepeats() {
        auto c = pictures();
        c.shuffle = false;
        data::RandomSamplerArgs random;
        random.replacement = true;
        random.num_samples = 6;
        c.sampler = random;
        c.batch_size = 6;
        c.transform.clear();
        c.epochs = 1;
        BatchInspector v;
        v.show();
        analyse(v, c);
        QVERIFY(waitIdle(v));
        const auto& s = *v.samples();
        QCOMPARE(v.grid()->tileCount(), 6);
        std::set<std::int64_t> seen;
        int repeats = 0;
        for (int k = 0; k < 6; ++k) {
            const bool repeat = !seen.insert(s.indices[std::size_t(k)]).second;
            repeats += repeat;
            QCOMPARE(v.grid()->tile(k).mark.isValid(), repeat);
            QCOMPARE(v.grid()->tile(k).lines.contains(QStringLiteral("repeat")), repeat);
        }
        QVERIFY(repeats >= 3); // 6 draws from 3 samples
        QVERIFY2(
            v.infoText().contains(QStringLiteral("%1 drawn earlier in the epoch").arg(repeats)),
            qPrintable(v.infoText()));
        v.shutdown();
    }

    void showsTextAsAPaddedTokenMatrix() {
        BatchInspector v;
        v.resize(800, 400);
        v.show();
        QAbstractItemModelTester tester(v.tokenModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        analyse(v, news(data::CollateChoice::Padding));
        QVERIFY(waitIdle(v));
        auto* m = v.tokenModel();
        QCOMPARE(m->rowCount(), 2);
        QCOMPARE(m->columnCount(), 3 + 5);
        QCOMPARE(m->headerData(2, Qt::Horizontal).toString(), QStringLiteral("length"));
        QCOMPARE(m->index(0, 0).data().toString(), QStringLiteral("0"));
        QCOMPARE(m->index(0, 2).data().toLongLong(), 5);
        QStringList words;
        for (int c = 3; c < 8; ++c)
            words << m->index(0, c).data().toString();
        QCOMPARE(words.join(QLatin1Char(' ')), QStringLiteral("stocks rise markets rise again"));
        const auto& vocab = *v.samples()->vocab;
        QCOMPARE(m->index(0, 4).data(ui::BatchTokenModel::kIdRole).toLongLong(), vocab["rise"]);
        QCOMPARE(m->index(0, 4).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("id %1").arg(vocab["rise"]));
        QVERIFY(v.infoText().contains(QStringLiteral("ids int64 [2, 5], padded")));
        v.grab().save(QStringLiteral("/tmp/preview_tokens.png"));

        // Offsets: the last batch holds one sample, its span of the flat ids.
        analyse(v, news(data::CollateChoice::Offsets));
        v.setBatch(0, 1);
        QVERIFY(waitIdle(v));
        QCOMPARE(m->rowCount(), 1);
        QCOMPARE(m->headerData(2, Qt::Horizontal).toString(), QStringLiteral("offset"));
        QCOMPARE(m->index(0, 2).data().toLongLong(), 0);
        QCOMPARE(m->index(0, 3).data().toString(), QStringLiteral("chips"));
        QCOMPARE(m->index(0, 5).data().toString(), QStringLiteral("chips"));
        QVERIFY(v.infoText().contains(QStringLiteral("text int64 [3] + offsets int64 [1]")));
        v.shutdown();
    }

    void greysThePadding() {
        auto s = std::make_shared<workflows::BatchSamples>();
        s->indices = {4, 9};
        s->labels = {0, 1};
        s->collate = data::CollateChoice::Padding;
        s->ids = Tensor::from_int64({5, 6, 7, 8, 1, 1}, {2, 3});
        s->lengths = Tensor::from_int64({3, 1}, {2});
        ui::BatchTokenModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setSamples(s, {{false, false}, {true, true}});
        QCOMPARE(m.index(1, 0).data().toString(), QStringLiteral("9 (padding)"));
        QVERIFY(!m.index(1, 3).data(Qt::ForegroundRole).isValid());
        QVERIFY(m.index(1, 4).data(Qt::ForegroundRole).isValid());
        QCOMPARE(m.index(1, 5).data().toString(), QStringLiteral("1")); // no vocab: the id
        m.setSamples(nullptr);
        QCOMPARE(m.rowCount(), 0);
    }

    void showsErrorsAndStaysIdleWhileHidden() {
        BatchInspector v;
        analyse(v, pictures());
        QVERIFY(!v.isBusy()); // hidden: nothing loads
        QVERIFY(!v.samples());
        v.show();
        QVERIFY(v.isBusy());
        QVERIFY(waitIdle(v));
        QVERIFY(v.samples());
        auto broken = pictures();
        auto analysis = workflows::analyse_loader(broken);
        // The files vanish between the analysis and the loading.
        QVERIFY(QDir(dir_.filePath(QStringLiteral("mnist"))).removeRecursively());
        v.setAnalysis(analysis);
        QVERIFY(waitIdle(v));
        QVERIFY2(v.infoText().contains(QStringLiteral("train-images-idx3-ubyte")),
                 qPrintable(v.infoText()));
        test::writeTransformCliMnist(dir_.filePath(QStringLiteral("mnist")).toStdString());
        v.shutdown();
    }
};

QTEST_MAIN(TestBatchInspector)
#include "tst_batch_inspector.moc"
