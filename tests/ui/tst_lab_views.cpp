// The DataLoader lab's heatmaps, offscreen: hand-built analyses (2 epochs of range:6 with a known
// order, a DistributedSampler's ranks with padding, workers with repeating streams) checked
// through the colour-map cells, padding marks and hover texts; analyse_loader's own analysis of a
// range:N configuration drawn cell for cell; the worker table under QAbstractItemModelTester;
// the exports.

#include "lab_test_support.h"
#include "ui/lab/lab_plot.h"
#include "ui/lab/lab_views.h"
#include "ui/lab/order_view.h"
#include "ui/lab/ranks_view.h"
#include "ui/lab/workers_view.h"
#include "ui/models/lab_worker_model.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>

using namespace nnscope;
using namespace lab_test;

class TestLabViews : public QObject {
    Q_OBJECT
private slots:
    void viewsInTabOrder();
    void orderHeatmapHoldsEveryIndex();
    void orderHoverReadsEpochPositionBatchIndexLabel();
    void orderReducedResolutionAveragesCells();
    void orderOfAnalysedLoader();
    void ranksExplainWithoutDistributedSampler();
    void ranksMarkPaddingAndCountRepeats();
    void workersExplainWithoutWorkers();
    void workersShowRepeatingStreams();
    void exportsWriteEveryFormat();
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
    // 1500 positions in at most 600 cells: 3 positions a cell, each its first position's index.
    QCOMPARE(view.map().perCell(), 3);
    const QCPColorMap& map = *view.map().colorMap();
    QCOMPARE(map.data()->keySize(), 500);
    QCOMPARE(cell(map, 0, 0), 1499.0);
    QCOMPARE(cell(map, 499, 0), 2.0);
    QVERIFY(view.plot()->note().contains(QStringLiteral("first of 3")));
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

void TestLabViews::ranksExplainWithoutDistributedSampler() {
    ui::RanksView view;
    auto ranks = std::make_shared<LoaderAnalysis>(*range6());
    ranks->ranks = {{0, {{0, 2, 4}}, {{0, 0, 0}}}, {1, {{1, 3, 5}}, {{0, 0, 0}}}};
    view.setAnalysis(ranks);
    QCOMPARE(view.map().rows().size(), std::size_t(2));
    ranks.reset();
    view.setAnalysis(range6());
    QVERIFY(view.plot()->message().contains(QStringLiteral("not a DistributedSampler")));
    // The map lets go of the previous analysis's rows (which the view no longer holds).
    QVERIFY(view.map().rows().empty());
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
        {0, 0, 100, 3, {0, 1, 2}, same, {0.1, 0.2, 0.3}},
        {0, 1, 101, 3, {3, 4, 5}, same, {0.4, 0.5, 0.6}},
        {1, 0, 200, 2, {3, 1}, {same[0], same[1]}, {0.7, 0.8}},
        {1, 1, 201, 2, {5, 0}, {same[0], same[1]}, {0.9, 0.05}},
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

QTEST_MAIN(TestLabViews)
#include "tst_lab_views.moc"
