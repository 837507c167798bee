// The DataLoader lab's bar plots, offscreen: draw counts by index and as a histogram with the
// never-drawn and repeated samples marked, the classes drawn against expected, the batches'
// stacked class composition with what drop_last dropped, checked through the bars' values, the
// notes, the hover texts and the CSV.

#include "lab_test_support.h"
#include "ui/lab/composition_view.h"
#include "ui/lab/draws_view.h"
#include "ui/lab/lab_plot.h"

using namespace nnscope;
using namespace lab_test;

class TestLabBars : public QObject {
    Q_OBJECT
private slots:
    void drawsByIndexMarkRepeatsAndNeverDrawn();
    void drawsHistogramForLargeDataSets();
    void classesDrawnAgainstExpected();
    void classesExplainWhenUnknown();
    void compositionStacksClassesAndDropped();
    void compositionGroupsThousandsOfBatches();
};

void TestLabBars::drawsByIndexMarkRepeatsAndNeverDrawn() {
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

void TestLabBars::drawsHistogramForLargeDataSets() {
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

void TestLabBars::classesDrawnAgainstExpected() {
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

void TestLabBars::classesExplainWhenUnknown() {
    auto a = std::make_shared<LoaderAnalysis>(*range6());
    a->class_counts.clear();
    a->drawn_per_class.clear();
    ui::DrawsView view;
    view.setAnalysis(a);
    QVERIFY(view.classesPlot()->message().contains(QStringLiteral("more than 100 classes")));
    QCOMPARE(view.drawsPlot()->message(), QString());
}

void TestLabBars::compositionStacksClassesAndDropped() {
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

void TestLabBars::compositionGroupsThousandsOfBatches() {
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

QTEST_MAIN(TestLabBars)
#include "tst_lab_bars.moc"
