// The lab's "Transforms" tab (ui/lab/transform_grid_view.h): on a small MNIST-like data set, the
// grid shows samples by seeds with the labels and the draws of the library's preview (checked
// against torchvision in tests/workflows/tst_transform_grid), epochs take the analysis' base
// seeds, a click opens the stages, bad indices and text data sets say what is wrong, and a
// hidden tab computes nothing.

#include "data/png_file.h"
#include "data/transform_cli_golden.h"
#include "data/transforms/parse_transform.h"
#include "ui/lab/image_tile_grid.h"
#include "ui/lab/lab_views.h"
#include "ui/lab/transform_grid_view.h"
#include "ui/lab/transform_stage_dialog.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::ui::TransformGridView;

namespace {
const char* kPipeline =
    "Compose([RandomCrop(28, padding=4), RandomRotation(30), RandomHorizontalFlip()])";
}

class TestTransformGridView : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::shared_ptr<data::MnistDataset> dataset_;

    data::DataLoaderConfig config() const {
        data::DataLoaderConfig c;
        c.dataset = "mnist:" + dir_.path().toStdString();
        c.transform = kPipeline;
        return c;
    }

    static bool waitIdle(TransformGridView& v) {
        return QTest::qWaitFor([&] { return !v.isBusy(); }, 20000);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::writeTransformCliMnist(dir_.path().toStdString());
        dataset_ = data::MnistDataset::mnist(dir_.path().toStdString(), data::Split::Train);
    }

    void isTheTransformsTabAfterTheBatches() {
        QWidget parent;
        const auto views = ui::make_lab_views(&parent);
        QStringList titles;
        for (auto* v : views)
            titles << v->title();
        QVERIFY(titles.indexOf(QStringLiteral("Transforms")) >= 0);
        QCOMPARE(titles.indexOf(QStringLiteral("Transforms")),
                 titles.indexOf(QStringLiteral("Batches")) + 1);
        for (auto* v : views)
            v->shutdown();
    }

    void showsSamplesBySeeds() {
        TransformGridView v;
        v.resize(800, 600);
        v.show();
        v.setColumns(TransformGridView::Columns::Seeds, 3, 10);
        v.setSamples(QStringLiteral("2, 0-1"));
        QSignalSpy busy(&v, &ui::LabView::busyChanged);
        v.setConfiguration(config());
        QVERIFY(v.isBusy());
        QVERIFY(waitIdle(v));
        QVERIFY(v.result());
        QCOMPARE(v.grid()->tileCount(), 9);
        QCOMPARE(v.grid()->columns(), 3);
        QCOMPARE(v.grid()->scale(), 3); // 28 px pictures, nearest neighbour, 84 px on screen
        QCOMPARE(v.grid()->tile(0).title, QStringLiteral("seed 10"));
        QCOMPARE(v.grid()->tile(2).title, QStringLiteral("seed 12"));
        QVERIFY(v.grid()->tile(3).title.isEmpty());
        const auto t = data::parse_transform(kPipeline);
        for (int i = 0; i < 9; ++i) {
            const std::int64_t index = std::vector<std::int64_t>{2, 0, 1}[std::size_t(i / 3)];
            const auto p = workflows::preview_transform(*dataset_, index, *t, 10 + i % 3);
            const auto& tile = v.grid()->tile(i);
            QCOMPARE(tile.lines.value(0),
                     QStringLiteral("#%1 %2").arg(index).arg(QString::fromStdString(p.class_name)));
            QCOMPARE(tile.lines.size(), 4); // label, crop, angle, flip
            QCOMPARE(tile.lines.value(1).toStdString(), workflows::describe_drawn(p.drawn)[0]);
            QCOMPARE(tile.lines.value(2).toStdString(), workflows::describe_drawn(p.drawn)[1]);
            QCOMPARE(tile.image.size(), QSize(28, 28));
            const auto shown = data::to_display_uint8(p.after).to_vector();
            QCOMPARE(double(qGray(tile.image.pixel(5, 7))), shown[7 * 28 + 5]);
        }
        QCOMPARE(v.messageText(),
                 QStringLiteral("3 samples by 3 seeds; click an image for its stages."));
        v.shutdown();
    }

    void opensTheStagesOfAClickedCell() {
        TransformGridView v;
        v.resize(800, 600);
        v.show();
        v.setColumns(TransformGridView::Columns::Seeds, 2, 3);
        v.setSamples(QStringLiteral("1"));
        v.setConfiguration(config());
        QVERIFY(waitIdle(v));
        QCOMPARE(v.grid()->tileCount(), 2);
        QSignalSpy clicked(v.grid(), &ui::ImageTileGrid::tileClicked);
        QTest::mouseClick(v.grid(), Qt::LeftButton, {}, v.grid()->imageRect(1).center());
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked[0][0].toInt(), 1);
        auto* dialog = v.findChild<ui::TransformStageDialog*>();
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Sample 1 (1 - one), seed 4"));
        const auto* stages = dialog->stages();
        QCOMPARE(stages->tileCount(), 4); // stored picture and three transforms
        QCOMPARE(stages->tile(0).title, QStringLiteral("stored picture"));
        const auto& compose = v.result()->at(0, 1).preview;
        for (int s = 1; s < 4; ++s)
            QCOMPARE(stages->tile(s).title.toStdString(), compose.stages[std::size_t(s - 1)].title);
        QVERIFY(stages->tile(1).title.startsWith(QStringLiteral("RandomCrop(size=(28, 28)")));
        QCOMPARE(stages->tile(3).lines.value(1), QStringLiteral("28\u00d728"));
        QVERIFY(stages->scale() >= 7);
        dialog->grab().save(QStringLiteral("/tmp/preview_stages.png"));
        v.shutdown();
    }

    // Epoch columns use the base seed of each epoch the analysis drew.
    void takesEpochSeedsFromTheAnalysis() {
        TransformGridView v;
        v.show();
        v.setSamples(QStringLiteral("0"));
        v.setColumns(TransformGridView::Columns::Epochs, 3);
        v.setConfiguration(config());
        QCOMPARE(v.messageText(), QStringLiteral("Waiting for the loader's epochs..."));
        auto a = std::make_shared<workflows::LoaderAnalysis>();
        a->epochs.resize(2);
        a->epochs[0].base_seed = 77;
        a->epochs[1].base_seed = 4242;
        v.setAnalysis(a);
        QVERIFY(waitIdle(v));
        QCOMPARE(v.result()->seeds, (std::vector<std::uint64_t>{77, 4242}));
        QCOMPARE(v.grid()->tile(1).title, QStringLiteral("epoch 1, seed 4242"));
        v.shutdown();
    }

    void saysWhatIsWrong() {
        TransformGridView v;
        v.show();
        v.setConfiguration(config());
        QVERIFY(waitIdle(v));
        v.setSamples(QStringLiteral("5-2"));
        QCOMPARE(v.messageText(), QStringLiteral("Samples: the range 5-2 runs backwards"));
        v.setSamples(QStringLiteral("1, 7"));
        QVERIFY(waitIdle(v));
        QCOMPARE(v.messageText(), QStringLiteral("sample 7 is not in MNIST (3 samples)"));
        auto bad = config();
        bad.transform = "RandomCrop(28, paddin=4)";
        v.setConfiguration(bad);
        QVERIFY(waitIdle(v));
        QVERIFY2(v.messageText().contains(QStringLiteral("paddin")), qPrintable(v.messageText()));
        auto text = config();
        text.dataset = "ag-news:/nowhere";
        text.transform.clear();
        v.setConfiguration(text);
        QVERIFY(!v.isBusy());
        QCOMPARE(v.messageText(),
                 QStringLiteral("Transforms apply to images only: ag-news:/nowhere holds text."));
        QCOMPARE(v.grid()->tileCount(), 0);
        v.shutdown();
    }

    void computesOnlyWhileVisible() {
        TransformGridView v;
        v.setSamples(QStringLiteral("0-2"));
        v.setConfiguration(config());
        QVERIFY(!v.isBusy());
        QVERIFY(!v.result());
        v.show();
        QVERIFY(v.isBusy());
        QVERIFY(waitIdle(v));
        QCOMPARE(v.grid()->tileCount(), 3 * 4);
        // Another batch size changes no image: nothing is computed again.
        const auto shown = v.result();
        auto other = config();
        other.batch_size = 5;
        v.setConfiguration(other);
        QVERIFY(!v.isBusy());
        QCOMPARE(v.result(), shown);
        v.resize(800, 600);
        v.grab().save(QStringLiteral("/tmp/preview_grid.png"));
        v.shutdown();
    }
};

QTEST_MAIN(TestTransformGridView)
#include "tst_transform_grid_view.moc"
