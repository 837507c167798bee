// The DataLoader lab's analysis plots, offscreen: hand-built analyses (2 epochs of range:6 with a
// known order, a DistributedSampler's ranks with padding, workers with repeating streams) checked
// through the plots' data (colour-map cells, bar values, marks), the hover texts and the exports;
// analyse_loader's own analysis of range:N configurations drawn cell for cell; the worker table
// under QAbstractItemModelTester; the redraw time of a 60,000 x 3-epoch analysis printed.

#include "data/loader_config_json.h"
#include "ui/lab/composition_view.h"
#include "ui/lab/draws_view.h"
#include "ui/lab/index_map.h"
#include "ui/lab/lab_plot.h"
#include "ui/lab/lab_views.h"
#include "ui/lab/order_view.h"
#include "ui/lab/ranks_view.h"
#include "ui/lab/workers_view.h"
#include "ui/models/lab_worker_model.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

using namespace nnscope;
using workflows::LoaderAnalysis;
using workflows::LoaderAnalysisPtr;

namespace {

// range:6 over two epochs: epoch 0 sequential in batches of 4 and 2, epoch 1 shuffled in
// batches of 4 with drop_last dropping 2 and 4; labels 0, 0, 0, 1, 1, 2 (classes "a", "b", "c").
std::shared_ptr<LoaderAnalysis> range6() {
    auto a = std::make_shared<LoaderAnalysis>();
    a->dataset = "range:6";
    a->dataset_size = 6;
    a->labels = {0, 0, 0, 1, 1, 2};
    a->class_names = {"a", "b", "c"};
    a->class_counts = {3, 2, 1};
    workflows::EpochDraw e0;
    e0.epoch = 0;
    e0.order = {0, 1, 2, 3, 4, 5};
    e0.batch_sizes = {4, 2};
    e0.worker = {-1, -1};
    workflows::EpochDraw e1;
    e1.epoch = 1;
    e1.order = {3, 1, 5, 0};
    e1.batch_sizes = {4};
    e1.dropped = {2, 4};
    e1.worker = {-1};
    a->epochs = {e0, e1};
    a->draw_counts = {2, 2, 1, 2, 1, 2};
    a->drawn_per_class = {4, 3, 3};
    return a;
}

// Lays a view out at `width` x 500 on the offscreen screen and draws its plots once.
void show(QWidget& view, int width = 800) {
    view.resize(width, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (auto* plot : view.findChildren<QCustomPlot*>())
        plot->replot(QCustomPlot::rpImmediateRefresh);
}

// The pixel of plot coordinates (key, value) on a plot's main axes.
QPointF pixel(const QCustomPlot& plot, double key, double value) {
    return {plot.xAxis->coordToPixel(key), plot.yAxis->coordToPixel(value)};
}

double cell(const QCPColorMap& map, int key, int value) {
    return map.data()->cell(key, value);
}

QVector<double> barValues(const QCPBars& bars) {
    QVector<double> out;
    for (auto it = bars.data()->constBegin(); it != bars.data()->constEnd(); ++it)
        out << it->value;
    return out;
}

QString readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// What analyse_loader makes of a JSON configuration.
LoaderAnalysisPtr analyse(const char* json) {
    return workflows::analyse_loader(data::loader_config_from_json(nlohmann::json::parse(json)));
}

} // namespace

class TestLabViews : public QObject {
    Q_OBJECT
private slots:
    void viewsInTabOrder();
    void orderHeatmapHoldsEveryIndex();
    void orderHoverReadsEpochPositionBatchIndexLabel();
    void orderReducedResolutionAveragesCells();
    void orderOfAnalysedLoader();
    void drawsByIndexMarkRepeatsAndNeverDrawn();
    void drawsHistogramForLargeDataSets();
    void classesDrawnAgainstExpected();
    void classesExplainWhenUnknown();
    void compositionStacksClassesAndDropped();
    void compositionGroupsThousandsOfBatches();
    void ranksExplainWithoutDistributedSampler();
    void ranksMarkPaddingAndCountRepeats();
    void workersExplainWithoutWorkers();
    void workersShowRepeatingStreams();
    void exportsWriteEveryFormat();
    void redrawOf60000x3();
    void grabsAtColumnWidths();
};

void TestLabViews::viewsInTabOrder() {
    QWidget parent;
    const auto views = ui::make_lab_views(&parent);
    QStringList titles;
    for (auto* v : views)
        titles << v->title();
    // The plots come first; the other parts' tabs (batches, transforms, speed) follow.
    QCOMPARE(titles.mid(0, 5), (QStringList{QStringLiteral("Order"), QStringLiteral("Draws"),
                                            QStringLiteral("Batches composition"),
                                            QStringLiteral("Ranks"), QStringLiteral("Workers")}));
}

void TestLabViews::orderHeatmapHoldsEveryIndex() {
    ui::OrderView view;
    view.setAnalysis(range6());
    const QCPColorMap& map = *view.map().colorMap();
    QCOMPARE(map.data()->keySize(), 6);
    QCOMPARE(map.data()->valueSize(), 2);
    QCOMPARE(view.map().perCell(), 1);
    for (int p = 0; p < 6; ++p)
        QCOMPARE(cell(map, p, 0), double(p));
    const double shuffled[] = {3, 1, 5, 0};
    for (int p = 0; p < 4; ++p)
        QCOMPARE(cell(map, p, 1), shuffled[p]);
    // Epoch 1 is shorter (drop_last): its last two cells are blank, not index 0.
    QVERIFY(std::isnan(cell(map, 4, 1)));
    QVERIFY(std::isnan(cell(map, 5, 1)));
    QCOMPARE(view.plot()->message(), QString());
    QVERIFY(view.plot()->note().contains(QStringLiteral("0 to 5")));
}

void TestLabViews::orderHoverReadsEpochPositionBatchIndexLabel() {
    ui::OrderView view;
    view.setAnalysis(range6());
    show(view);
    const QCustomPlot& plot = *view.plot()->plot();
    QCOMPARE(view.plot()->hoverTextAt(pixel(plot, 2, 1)),
             QStringLiteral("epoch 1, position 2, batch 0, index 5, label 2 (c)"));
    QCOMPARE(view.plot()->hoverTextAt(pixel(plot, 5, 0)),
             QStringLiteral("epoch 0, position 5, batch 1, index 5, label 2 (c)"));
    // Past the end of the shorter epoch there is nothing to read.
    QCOMPARE(view.plot()->hoverTextAt(pixel(plot, 5, 1)), QString());
}

void TestLabViews::orderReducedResolutionAveragesCells() {
    auto a = std::make_shared<LoaderAnalysis>();
    a->dataset_size = 1500;
    a->labels.assign(1500, -1);
    workflows::EpochDraw e;
    for (std::int64_t i = 0; i < 1500; ++i)
        e.order.push_back(1499 - i);
    e.batch_sizes = {1500};
    a->epochs = {e};
    ui::OrderView view;
    view.setAnalysis(a);
    // 1500 positions in at most 600 cells: 3 positions a cell, each the mean of its indices.
    QCOMPARE(view.map().perCell(), 3);
    const QCPColorMap& map = *view.map().colorMap();
    QCOMPARE(map.data()->keySize(), 500);
    QCOMPARE(cell(map, 0, 0), 1498.0);
    QCOMPARE(cell(map, 499, 0), 1.0);
    QVERIFY(view.plot()->note().contains(QStringLiteral("mean index of 3")));
    show(view);
    // The hover still reads the exact position.
    QCOMPARE(view.plot()->hoverTextAt(pixel(*view.plot()->plot(), 1000, 0)),
             QStringLiteral("epoch 0, position 1000, batch 0, index 499"));
}

void TestLabViews::orderOfAnalysedLoader() {
    const auto a = analyse(
        R"({"dataset": "range:10", "batch_size": 3, "shuffle": true, "generator": 7, "epochs": 3})");
    QVERIFY(a);
    ui::OrderView view;
    view.setAnalysis(a);
    const QCPColorMap& map = *view.map().colorMap();
    QCOMPARE(map.data()->valueSize(), 3);
    for (int e = 0; e < 3; ++e)
        for (int p = 0; p < 10; ++p)
            QCOMPARE(cell(map, p, e), double(a->epochs[std::size_t(e)].order[std::size_t(p)]));
    // Shuffled epochs differ from each other.
    QVERIFY(a->epochs[0].order != a->epochs[1].order);
}

void TestLabViews::drawsByIndexMarkRepeatsAndNeverDrawn() {
    // Replacement: index 1 twice in epoch 0, 0, 4 and 5 never.
    auto a = std::make_shared<LoaderAnalysis>(*range6());
    a->epochs.resize(1);
    a->epochs[0].order = {1, 1, 2, 3};
    a->epochs[0].batch_sizes = {4};
    a->draw_counts = {0, 2, 1, 1, 0, 0};
    a->duplicates = 1;
    a->never_drawn = 3;
    a->drawn_per_class = {3, 1, 0};
    ui::DrawsView view;
    view.setAnalysis(a);
    QVERIFY(view.byIndex());
    QCOMPARE(barValues(*view.drawnBars()), (QVector<double>{0, 0, 1, 1, 0, 0}));
    QCOMPARE(barValues(*view.repeatedBars()), (QVector<double>{0, 2, 0, 0, 0, 0}));
    QVector<double> never;
    for (auto it = view.neverMarks()->data()->constBegin();
         it != view.neverMarks()->data()->constEnd(); ++it)
        never << it->key;
    QCOMPARE(never, (QVector<double>{0, 4, 5}));
    const QString note = view.drawsPlot()->note();
    QVERIFY2(note.contains(QStringLiteral("3 never drawn, 1 drawn twice or more in one epoch (1 "
                                          "repeated draws)")),
             qPrintable(note));
    QVERIFY(note.contains(QStringLiteral("Never drawn: 0, 4, 5.")));
    show(view);
    QCOMPARE(view.drawsPlot()->hoverTextAt(pixel(*view.drawsPlot()->plot(), 1, 1)),
             QStringLiteral("index 1, label 0 (a): drawn 2 times, twice or more in one epoch"));
}

void TestLabViews::drawsHistogramForLargeDataSets() {
    // 300 samples, 2 epochs: 100 drawn twice, 150 once, 50 never; 20 of those drawn 3 times.
    auto a = std::make_shared<LoaderAnalysis>();
    a->dataset_size = 300;
    a->labels.assign(300, -1);
    a->draw_counts.assign(300, 0);
    workflows::EpochDraw e0, e1;
    for (std::int64_t i = 0; i < 250; ++i)
        e0.order.push_back(i);
    for (std::int64_t i = 0; i < 100; ++i)
        e1.order.push_back(i);
    for (std::int64_t i = 0; i < 20; ++i)
        e1.order.push_back(i); // repeated within epoch 1
    for (auto* e : {&e0, &e1}) {
        e->batch_sizes = {std::int64_t(e->order.size())};
        for (auto i : e->order)
            ++a->draw_counts[std::size_t(i)];
    }
    a->epochs = {e0, e1};
    ui::DrawsView view;
    view.setAnalysis(a);
    QVERIFY(!view.byIndex());
    // By draw count 0, 1, 2, 3: never (red), within the epochs (plain), more (orange).
    QCOMPARE(barValues(*view.neverBars()), (QVector<double>{50, 0, 0, 0}));
    QCOMPARE(barValues(*view.drawnBars()), (QVector<double>{0, 150, 80, 0}));
    QCOMPARE(barValues(*view.repeatedBars()), (QVector<double>{0, 0, 0, 20}));
    QCOMPARE(view.drawsCsv(), QStringLiteral("draws,samples\n0,50\n1,150\n2,80\n3,20\n"));
    QVERIFY(view.drawsPlot()->note().contains(QStringLiteral("50 never drawn, 20 drawn twice")));
}

void TestLabViews::classesDrawnAgainstExpected() {
    ui::DrawsView view;
    view.setAnalysis(range6());
    // 10 drawn; shares 3/6, 2/6, 1/6.
    QCOMPARE(barValues(*view.classDrawnBars()), (QVector<double>{4, 3, 3}));
    const auto expected = barValues(*view.classExpectedBars());
    QCOMPARE(expected.size(), 3);
    QCOMPARE(expected[0], 5.0);
    QVERIFY(qFuzzyCompare(expected[1], 10.0 / 3));
    QVERIFY(qFuzzyCompare(expected[2], 10.0 / 6));
    auto ticker = view.classesPlot()->plot()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().values(),
             (QList<QString>{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    show(view);
    QCOMPARE(view.classesPlot()->hoverTextAt(pixel(*view.classesPlot()->plot(), 2, 1)),
             QStringLiteral("class 2 (c): drawn 3, expected 1.7 (1 in the data set), 80.0%"));
    QVERIFY(view.classesCsv().startsWith(
        QStringLiteral("class,name,in_dataset,drawn,expected\n0,a,3,4,5\n")));
}

void TestLabViews::classesExplainWhenUnknown() {
    auto a = std::make_shared<LoaderAnalysis>(*range6());
    a->class_counts.clear();
    a->drawn_per_class.clear();
    ui::DrawsView view;
    view.setAnalysis(a);
    QVERIFY(view.classesPlot()->message().contains(QStringLiteral("more than 100 classes")));
    QCOMPARE(view.drawsPlot()->message(), QString());
}

void TestLabViews::compositionStacksClassesAndDropped() {
    ui::CompositionView view;
    view.setAnalysis(range6());
    QCOMPARE(int(view.stacks().size()), 3);
    // Epoch 0: batch [0 1 2 3] holds 3 a + 1 b, batch [4 5] 1 b + 1 c.
    QCOMPARE(barValues(*view.stacks()[0]), (QVector<double>{3, 0}));
    QCOMPARE(barValues(*view.stacks()[1]), (QVector<double>{1, 1}));
    QCOMPARE(barValues(*view.stacks()[2]), (QVector<double>{0, 1}));
    QVERIFY(!view.droppedBar()->visible());
    QVERIFY(view.plot()->note().contains(QStringLiteral("2 batches of 4 samples, the last of 2")));
    view.setEpoch(1);
    // Epoch 1: [3 1 5 0] = 2 a, 1 b, 1 c; drop_last dropped 2 and 4.
    QCOMPARE(barValues(*view.stacks()[0]), (QVector<double>{2}));
    QCOMPARE(barValues(*view.stacks()[1]), (QVector<double>{1}));
    QCOMPARE(barValues(*view.stacks()[2]), (QVector<double>{1}));
    QVERIFY(view.droppedBar()->visible());
    QCOMPARE(barValues(*view.droppedBar()), (QVector<double>{2}));
    QCOMPARE(view.droppedBar()->data()->constBegin()->key, 1.0);
    QVERIFY2(view.plot()->note().contains(QStringLiteral("drop_last dropped 2 samples (hatched): "
                                                         "2, 4.")),
             qPrintable(view.plot()->note()));
    show(view);
    const QCustomPlot& plot = *view.plot()->plot();
    QCOMPARE(view.plot()->hoverTextAt(pixel(plot, 0, 1)),
             QStringLiteral("batch 0: 4 samples: 2 x 0 (a), 1 x 1 (b), 1 x 2 (c)"));
    QCOMPARE(view.plot()->hoverTextAt(pixel(plot, 1, 1)),
             QStringLiteral("dropped by drop_last: 2, 4"));
    QCOMPARE(
        view.csvText(),
        QStringLiteral("epoch,batch,size,class_0,class_1,class_2\n1,0,4,2,1,1\n1,dropped,2\n"));
}

void TestLabViews::compositionGroupsThousandsOfBatches() {
    // 1,000 batches of 2 over labels alternating 0, 1: grouped 3 a bar, 1 of each class per batch.
    auto a = std::make_shared<LoaderAnalysis>();
    a->dataset_size = 2000;
    for (std::int64_t i = 0; i < 2000; ++i)
        a->labels.push_back(i % 2);
    a->class_counts = {1000, 1000};
    workflows::EpochDraw e;
    for (std::int64_t i = 0; i < 2000; ++i)
        e.order.push_back(i);
    e.batch_sizes.assign(1000, 2);
    a->epochs = {e};
    ui::CompositionView view;
    view.setAnalysis(a);
    QCOMPARE(view.perBar(), 3);
    const auto zero = barValues(*view.stacks()[0]);
    QCOMPARE(zero.size(), 334);
    QCOMPARE(zero.front(), 1.0);
    QCOMPARE(zero.back(), 1.0); // the last group holds one batch
    QVERIFY(view.plot()->note().contains(QStringLiteral("1000 batches of 2 samples")));
}

void TestLabViews::ranksExplainWithoutDistributedSampler() {
    ui::RanksView view;
    view.setAnalysis(range6());
    QVERIFY(view.plot()->message().contains(QStringLiteral("not a DistributedSampler")));
}

void TestLabViews::ranksMarkPaddingAndCountRepeats() {
    // DistributedSampler(range:5, num_replicas=2, shuffle=False): rank 0 draws 0 2 4, rank 1
    // draws 1 3 and pads with 0.
    auto a = std::make_shared<LoaderAnalysis>(*range6());
    a->dataset_size = 5;
    a->labels = {0, 0, 0, 1, 1};
    workflows::RankDraw r0{0, {{0, 2, 4}}, {{0, 0, 0}}};
    workflows::RankDraw r1{1, {{1, 3, 0}}, {{0, 0, 1}}};
    a->ranks = {r0, r1};
    const auto overlaps = ui::rankOverlaps(*a);
    QCOMPARE(overlaps.size(), std::size_t(1));
    QCOMPARE(overlaps[0].draws, 6);
    QCOMPARE(overlaps[0].padding, 1);
    QCOMPARE(overlaps[0].repeated, 1);
    ui::RanksView view;
    view.setAnalysis(a);
    const QCPColorMap& map = *view.map().colorMap();
    QCOMPARE(map.data()->valueSize(), 2);
    QCOMPARE(cell(map, 1, 0), 2.0);
    QCOMPARE(cell(map, 2, 1), 0.0);
    const auto* marks = view.map().paddingMarks();
    QVERIFY(marks->visible());
    QCOMPARE(marks->data()->size(), 1);
    QCOMPARE(marks->data()->constBegin()->key, 2.0);
    QCOMPARE(marks->data()->constBegin()->value, 1.0);
    QVERIFY2(view.plot()->note().contains(QStringLiteral("6 draws, of which 1 padding (red "
                                                         "crosses); 1 draws repeat")),
             qPrintable(view.plot()->note()));
    show(view);
    QCOMPARE(view.plot()->hoverTextAt(pixel(*view.plot()->plot(), 2, 1)),
             QStringLiteral("epoch 0, rank 1, position 2, index 0, label 0 (a) (padding: a repeat "
                            "that evens out the ranks)"));
    QVERIFY(view.csvText().endsWith(QStringLiteral("0,1,2,0,1\n")));
}

void TestLabViews::workersExplainWithoutWorkers() {
    ui::WorkersView view;
    view.setAnalysis(range6());
    QVERIFY(view.plot()->message().contains(QStringLiteral("num_workers = 0")));
    QCOMPARE(view.model()->rowCount(), 0);
}

void TestLabViews::workersShowRepeatingStreams() {
    // Two workers over two epochs: unseeded every stream starts alike; seeded they differ.
    auto a = std::make_shared<LoaderAnalysis>(*range6());
    a->config.num_workers = 2;
    const std::vector<double> same = {0.5488135, 0.71518937, 0.60276338};
    a->workers = {
        {0, 0, 100, {0, 1, 2}, same, {0.1, 0.2, 0.3}},
        {0, 1, 101, {3, 4, 5}, same, {0.4, 0.5, 0.6}},
        {1, 0, 200, {3, 1}, {same[0], same[1]}, {0.7, 0.8}},
        {1, 1, 201, {5, 0}, {same[0], same[1]}, {0.9, 0.05}},
    };
    QCOMPARE(ui::repeatedStreams(a->workers, false), (std::vector<int>{-1, 0, 0, 0}));
    QCOMPARE(ui::repeatedStreams(a->workers, true), (std::vector<int>{-1, -1, -1, -1}));
    ui::WorkersView view;
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setAnalysis(a);
    QCOMPARE(view.unseededMap()->data()->keySize(), 3);
    QCOMPARE(view.unseededMap()->data()->valueSize(), 4);
    for (int r = 0; r < 4; ++r)
        QCOMPARE(view.unseededMap()->data()->cell(1, r), same[1]);
    QCOMPARE(view.seededMap()->data()->cell(2, 1), 0.6);
    QVERIFY(std::isnan(view.seededMap()->data()->cell(2, 3))); // epoch 1's streams are shorter
    QVERIFY2(view.plot()->note().contains(QStringLiteral(
                 "Unseeded, 3 of 4 rows repeat an earlier row's draws; seeded per worker, 0.")),
             qPrintable(view.plot()->note()));

    const auto* model = view.model();
    QCOMPARE(model->rowCount(), 4);
    using C = ui::LabWorkerModel;
    QCOMPARE(model->index(1, C::TorchSeed).data().toString(), QStringLiteral("101"));
    QCOMPARE(model->index(1, C::Samples).data().toInt(), 3);
    QCOMPARE(model->index(1, C::Samples).data(Qt::ToolTipRole).toString(),
             QStringLiteral("3, 4, 5"));
    QCOMPARE(model->index(1, C::Unseeded).data().toString(),
             QStringLiteral("0.5488, 0.7152, 0.6028"));
    QCOMPARE(model->index(3, C::Repeats).data().toString(), QStringLiteral("epoch 0, worker 0"));
    QCOMPARE(model->index(0, C::Repeats).data().toString(), QString());
    QVERIFY(view.csvText().startsWith(
        QStringLiteral("epoch,worker,torch_seed,sample,index,unseeded,seeded\n"
                       "0,0,100,0,0,0.5488135,0.1\n")));
    QVERIFY(view.csvText().endsWith(QStringLiteral("1,1,201,1,0,0.71518937,0.05\n")));
    view.setAnalysis(range6()); // back to no workers: rows go, the tester checks the reset
    QCOMPARE(model->rowCount(), 0);
}

void TestLabViews::exportsWriteEveryFormat() {
    QTemporaryDir dir;
    ui::OrderView view;
    view.setAnalysis(range6());
    show(view);
    const QString png = dir.filePath(QStringLiteral("order.png"));
    const QString pdf = dir.filePath(QStringLiteral("order.pdf"));
    const QString csv = dir.filePath(QStringLiteral("order.csv"));
    view.plot()->exportPng(png, QSize(640, 360));
    view.plot()->exportPdf(pdf);
    view.plot()->exportCsv(csv);
    QCOMPARE(QImage(png).size(), QSize(640, 360));
    QVERIFY(readFile(pdf).startsWith(QStringLiteral("%PDF")));
    const QString text = readFile(csv);
    QVERIFY2(text.startsWith(QStringLiteral("# Index order of range:6 (6 samples), 2 epochs\n"
                                            "epoch,position,batch,index,label\n0,0,0,0,0\n")),
             qPrintable(text));
    QVERIFY(text.endsWith(QStringLiteral("1,3,0,0,0\n")));
    QCOMPARE(text.count(QLatin1Char('\n')), 2 + 10);
    // A bad path is an error naming the file.
    try {
        view.plot()->exportCsv(dir.filePath(QStringLiteral("missing/order.csv")));
        QFAIL("no error for a folder that does not exist");
    } catch (const std::runtime_error& e) {
        QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("missing/order.csv")));
    }
    // A view showing a message has no values to write.
    ui::RanksView ranks;
    ranks.setAnalysis(range6());
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             ranks.plot()->exportCsv(dir.filePath(QStringLiteral("ranks.csv"))));
}

void TestLabViews::redrawOf60000x3() {
    // Fashion-MNIST's size: 60,000 samples, 10 classes, 3 shuffled epochs in batches of 64, a
    // DistributedSampler's 2 ranks and 4 workers' streams.
    auto a = std::make_shared<LoaderAnalysis>();
    a->dataset = "fashion-mnist";
    a->dataset_size = 60000;
    a->config.num_workers = 4;
    for (std::int64_t i = 0; i < 60000; ++i)
        a->labels.push_back(i % 10);
    a->class_counts.assign(10, 6000);
    a->draw_counts.assign(60000, 3);
    a->drawn_per_class.assign(10, 18000);
    std::mt19937_64 random(5);
    for (int k = 0; k < 3; ++k) {
        workflows::EpochDraw e;
        e.epoch = k;
        for (std::int64_t i = 0; i < 60000; ++i)
            e.order.push_back(i);
        std::shuffle(e.order.begin(), e.order.end(), random);
        e.batch_sizes.assign(937, 64);
        e.batch_sizes.push_back(32);
        a->epochs.push_back(e);
    }
    for (int r = 0; r < 2; ++r) {
        workflows::RankDraw rank{r, {}, {}};
        for (const auto& e : a->epochs) {
            std::vector<std::int64_t> mine;
            for (std::size_t p = std::size_t(r); p < e.order.size(); p += 2)
                mine.push_back(e.order[p]);
            rank.order.push_back(mine);
            rank.padding.emplace_back(mine.size(), 0);
        }
        a->ranks.push_back(rank);
    }
    std::uniform_real_distribution<double> uniform;
    for (int k = 0; k < 3; ++k)
        for (int w = 0; w < 4; ++w) {
            workflows::WorkerStream s{k, w, std::uint64_t(1000 + w), {}, {}, {}};
            for (std::int64_t i = 0; i < 15000; ++i) {
                s.indices.push_back(i);
                s.unseeded.push_back(uniform(random));
                s.seeded.push_back(uniform(random));
            }
            a->workers.push_back(s);
        }
    QWidget parent;
    parent.resize(800, 600);
    const auto views = ui::make_lab_views(&parent);
    parent.show();
    QVERIFY(QTest::qWaitForWindowExposed(&parent));
    for (auto* v : views) {
        v->resize(800, 600);
        v->show();
    }
    for (int round = 0; round < 2; ++round) { // the second round reuses the plots' items
        for (auto* v : views) {
            QElapsedTimer timer;
            timer.start();
            v->setAnalysis(a);
            const qint64 set = timer.nsecsElapsed();
            for (auto* plot : v->findChildren<QCustomPlot*>())
                plot->replot(QCustomPlot::rpImmediateRefresh);
            qInfo("%s: setAnalysis %.1f ms, replot %.1f ms", qPrintable(v->title()),
                  double(set) / 1e6, double(timer.nsecsElapsed() - set) / 1e6);
        }
    }
    auto* order = qobject_cast<ui::OrderView*>(views[0]);
    QVERIFY(order);
    QCOMPARE(order->map().perCell(), 100);
}

void TestLabViews::grabsAtColumnWidths() {
    // Each view at the width of one of two columns (~500 px) and of a wide one (~800 px); the
    // pictures go to $NNSCOPE_LAB_GRABS when it names a folder, for a person to look at.
    auto shuffled = analyse(R"({"dataset": "range:600:imbalanced=10", "batch_size": 64,
        "shuffle": true, "generator": 3, "drop_last": true, "epochs": 3})");
    auto weighted = analyse(R"({"dataset": "range:120:imbalanced=4", "batch_size": 16,
        "sampler": {"kind": "weighted", "weights": "class-balanced", "replacement": true},
        "generator": 3, "epochs": 2})");
    QVERIFY(shuffled && weighted);
    auto ranks = std::make_shared<LoaderAnalysis>(*range6());
    ranks->dataset_size = 5;
    ranks->ranks = {{0, {{0, 2, 4}, {3, 0, 2}}, {{0, 0, 0}, {0, 0, 0}}},
                    {1, {{1, 3, 0}, {1, 4, 3}}, {{0, 0, 1}, {0, 0, 1}}}};
    auto named = std::make_shared<LoaderAnalysis>(*shuffled); // Fashion-MNIST's class names
    named->class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    named->class_names.resize(named->class_counts.size());
    shuffled = named;
    auto workers = std::make_shared<LoaderAnalysis>(*shuffled);
    workers->config.num_workers = 3;
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> uniform;
    std::vector<double> inherited(200);
    for (double& d : inherited)
        d = uniform(random);
    for (int e = 0; e < 2; ++e)
        for (int w = 0; w < 3; ++w) {
            workflows::WorkerStream s{e, w, std::uint64_t(4242 + 100 * e + w), {}, inherited, {}};
            for (int k = 0; k < 192; ++k) {
                s.indices.push_back(k * 3 + w);
                s.seeded.push_back(uniform(random));
            }
            s.unseeded.resize(192);
            workers->workers.push_back(s);
        }
    const QString folder = qEnvironmentVariable("NNSCOPE_LAB_GRABS");
    const std::pair<const char*, LoaderAnalysisPtr> cases[] = {
        {"shuffled", shuffled}, {"weighted", weighted}, {"ranks", ranks}, {"workers", workers}};
    for (const auto& [name, analysis] : cases) {
        QWidget parent;
        const auto views = ui::make_lab_views(&parent);
        for (auto* v : views) {
            v->setAnalysis(analysis);
            for (int width : {500, 800}) {
                v->setParent(nullptr);
                show(*v, width);
                const QPixmap picture = v->grab();
                QVERIFY2(picture.width() == width,
                         qPrintable(QStringLiteral("%1 of %2 is %3 px wide at %4")
                                        .arg(v->title(), QLatin1String(name))
                                        .arg(picture.width())
                                        .arg(width)));
                if (!folder.isEmpty())
                    picture.save(QDir(folder).filePath(
                        QStringLiteral("%1_%2_%3.png")
                            .arg(QLatin1String(name), v->title().split(QLatin1Char(' ')).first())
                            .arg(width)));
            }
            delete v;
        }
    }
}

QTEST_MAIN(TestLabViews)
#include "tst_lab_views.moc"
