// The lab views at full size: the redraw time of a 60,000 x 3-epoch analysis (printed, not
// asserted), and every view grabbed at the width of one of two columns (500 px) and of a wide one
// (800 px), failing when a view will not fit; $NNSCOPE_LAB_GRABS names a folder for the pictures.

#include "lab_test_support.h"
#include "ui/lab/lab_views.h"
#include "ui/lab/order_view.h"

#include <QElapsedTimer>
#include <random>

using namespace nnscope;
using namespace lab_test;

class TestLabViewsBench : public QObject {
    Q_OBJECT
private slots:
    void redrawOf60000x3();
    void grabsAtColumnWidths();
};

void TestLabViewsBench::redrawOf60000x3() {
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

void TestLabViewsBench::grabsAtColumnWidths() {
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
            workflows::WorkerStream s{e,         w, std::uint64_t(4242 + 100 * e + w), 192, {},
                                      inherited, {}};
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

QTEST_MAIN(TestLabViewsBench)
#include "tst_lab_views_bench.moc"
