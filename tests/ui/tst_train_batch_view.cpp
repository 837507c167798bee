// The training workspace's batch view (ui/train/batch_view.h) over synthetic batches: one tile per
// sample with its pixels, true and predicted labels by class name, wrong predictions framed in
// red and counted, "Only wrong", colour images, and batches whose sizes disagree refused with a
// message instead of a crash; then the batch a real run (TrainJob) sends.

#include "session/train_fixture.h"
#include "ui/lab/image_tile_grid.h"
#include "ui/train/batch_view.h"

#include <QCheckBox>
#include <QtTest>

using namespace nnscope;
using ui::BatchView;

namespace {

const std::vector<std::string> kNames = {"T-shirt/top", "Trouser", "Pullover"};

// Three grey 2 x 2 images: sample k has pixel (0, 0) = k / 2 and the others 0, 1, 0.25.
session::TrainBatchView greyBatch() {
    session::TrainBatchView b;
    b.step = 17;
    b.channels = 1;
    b.height = 2;
    b.width = 2;
    for (int k = 0; k < 3; ++k)
        b.pixels.insert(b.pixels.end(), {float(k) / 2, 0.f, 1.f, 0.25f});
    b.labels = {0, 1, 2};
    b.predicted = {0, 2, 2};
    return b;
}

} // namespace

class TestTrainBatchView : public QObject {
    Q_OBJECT
private slots:
    void tilesWithLabels() {
        BatchView view(nullptr);
        view.showBatch(greyBatch(), kNames);
        const auto* grid = view.grid();
        QCOMPARE(grid->tileCount(), 3);
        QCOMPARE(grid->tile(0).lines, QStringList({QStringLiteral("true: T-shirt/top"),
                                                   QStringLiteral("pred: T-shirt/top")}));
        QCOMPARE(grid->tile(1).lines,
                 QStringList({QStringLiteral("true: Trouser"), QStringLiteral("pred: Pullover")}));
        QCOMPARE(grid->tile(2).lines.at(1), QStringLiteral("pred: Pullover"));
        for (int k = 0; k < 3; ++k) {
            const QImage& image = grid->tile(k).image;
            QCOMPARE(image.size(), QSize(2, 2));
            QCOMPARE(image.format(), QImage::Format_Grayscale8);
            QCOMPARE(qGray(image.pixel(0, 0)), qRound(255.0 * k / 2));
            QCOMPARE(qGray(image.pixel(1, 0)), 0);
            QCOMPARE(qGray(image.pixel(0, 1)), 255);
        }
        QCOMPARE(view.tileSamples(), std::vector<int>({0, 1, 2}));
    }

    void wrongOnesMarked() {
        BatchView view(nullptr);
        view.showBatch(greyBatch(), kNames);
        QCOMPARE(view.wrongCount(), 1);
        QVERIFY(!view.grid()->tile(0).mark.isValid());
        QCOMPARE(view.grid()->tile(1).mark, QColor(200, 30, 30));
        QVERIFY(!view.grid()->tile(2).mark.isValid());
        QVERIFY2(
            view.infoText().contains(QStringLiteral("Step 17: 3 samples, 1 wrong (67% right)")),
            qPrintable(view.infoText()));

        view.onlyWrongBox()->setChecked(true);
        QCOMPARE(view.grid()->tileCount(), 1);
        QCOMPARE(view.tileSamples(), std::vector<int>({1}));
        QCOMPARE(view.grid()->tile(0).lines.at(0), QStringLiteral("true: Trouser"));
        QCOMPARE(view.wrongCount(), 1);
        view.onlyWrongBox()->setChecked(false);
        QCOMPARE(view.grid()->tileCount(), 3);
    }

    // As many columns as the width holds: more when wider, at least one.
    void columnsFollowTheWidth() {
        session::TrainBatchView b = greyBatch();
        for (int k = 3; k < 40; ++k) {
            b.pixels.insert(b.pixels.end(), {0.f, 0.f, 1.f, 0.25f});
            b.labels.push_back(k % 3);
            b.predicted.push_back(k % 3);
        }
        BatchView view(nullptr);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showBatch(b, kNames);
        const int wide = view.columns();
        QVERIFY2(wide >= 6, qPrintable(QString::number(wide)));
        QVERIFY(view.grid()->width() <= 1200);
        view.resize(500, 600);
        QTRY_VERIFY(view.columns() < wide);
        QVERIFY(view.columns() >= 1);
        QVERIFY2(view.grid()->sizeHint().width() <= 500,
                 qPrintable(QString::number(view.grid()->sizeHint().width())));
        view.resize(60, 600);
        QTRY_COMPARE(view.columns(), 1);
    }

    void labelsWithoutNamesAndNoPredictions() {
        BatchView view(nullptr);
        auto b = greyBatch();
        b.labels = {0, 7, -1};
        b.predicted.clear();
        view.showBatch(b, kNames);
        QCOMPARE(view.grid()->tileCount(), 3);
        QCOMPARE(view.grid()->tile(1).lines, QStringList({QStringLiteral("true: 7")}));
        QCOMPARE(view.grid()->tile(2).lines, QStringList({QStringLiteral("true: -1")}));
        QCOMPARE(view.wrongCount(), 0);
        for (int k = 0; k < 3; ++k)
            QVERIFY(!view.grid()->tile(k).mark.isValid());
        QVERIFY2(view.infoText().contains(QStringLiteral("not predicted yet")),
                 qPrintable(view.infoText()));
    }

    void colourImages() {
        session::TrainBatchView b;
        b.step = 2;
        b.channels = 3;
        b.height = 1;
        b.width = 2;
        b.pixels = {1.f, 0.f, 0.f, 1.f, 0.f, 0.f}; // R plane, G plane, B plane
        b.labels = {1};
        b.predicted = {1};
        BatchView view(nullptr);
        view.showBatch(b, kNames);
        QCOMPARE(view.grid()->tileCount(), 1);
        const QImage& image = view.grid()->tile(0).image;
        QCOMPARE(image.pixelColor(0, 0), QColor(255, 0, 0));
        QCOMPARE(image.pixelColor(1, 0), QColor(0, 255, 0));
        QVERIFY2(view.infoText().contains(QStringLiteral("Step 2: 1 sample, 0 wrong (100% right)")),
                 qPrintable(view.infoText()));
    }

    void aRealBatch() {
        test::TrainData data;
        QVERIFY(data.valid());
        session::TrainRequest r = data.mlp();
        r.initial = workflows::RunCommand::Run;
        r.observe_every_step = true;
        r.pause_after_steps = 3;
        test::Trainer t;
        t.start(r);
        QTRY_VERIFY_WITH_TIMEOUT(!t.paused.empty(), 20000);
        session::TrainProgressPtr last;
        for (const auto& p : t.progress)
            if (p->batch) last = p;
        QVERIFY(last);
        const session::TrainBatchView& b = *last->batch;
        BatchView view(nullptr);
        view.showBatch(b, t.started.at(0).class_names);
        QCOMPARE(view.grid()->tileCount(), 16); // batch_size 16
        QCOMPARE(view.grid()->tile(0).image.size(), QSize(28, 28));
        int wrong = 0;
        for (int k = 0; k < 16; ++k) {
            const auto label = b.labels[std::size_t(k)], guess = b.predicted[std::size_t(k)];
            const auto& names = t.started[0].class_names;
            QCOMPARE(view.grid()->tile(k).lines.at(0),
                     QStringLiteral("true: ") + QString::fromStdString(names[std::size_t(label)]));
            QCOMPARE(view.grid()->tile(k).mark.isValid(), label != guess);
            wrong += label != guess;
        }
        QCOMPARE(view.wrongCount(), wrong);
        t.command(workflows::RunCommand::Stop);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
    }

    void disagreeingSizesAreRefused() {
        BatchView view(nullptr);
        view.showBatch(greyBatch(), kNames);
        auto b = greyBatch();
        b.pixels.pop_back();
        view.showBatch(b, kNames);
        QCOMPARE(view.grid()->tileCount(), 0);
        QVERIFY2(
            view.infoText().contains(QStringLiteral("11 pixel values for 3 images of 1 x 2 x 2")),
            qPrintable(view.infoText()));
        // The refused batch is gone: toggling the filter draws nothing old.
        view.onlyWrongBox()->setChecked(true);
        QCOMPARE(view.grid()->tileCount(), 0);

        b = greyBatch();
        b.predicted = {1};
        view.showBatch(b, kNames);
        QVERIFY2(view.infoText().contains(QStringLiteral("1 predictions for 3 labels")),
                 qPrintable(view.infoText()));
        b = greyBatch();
        b.channels = 0;
        view.showBatch(b, kNames);
        QVERIFY2(view.infoText().contains(QStringLiteral("0 x 2 x 2")),
                 qPrintable(view.infoText()));
        QCOMPARE(view.grid()->tileCount(), 0);
    }
};

QTEST_MAIN(TestTrainBatchView)
#include "tst_train_batch_view.moc"
