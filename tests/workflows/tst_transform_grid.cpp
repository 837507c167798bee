// workflows::make_transform_grid against torchvision 0.14 (tests/golden/gen_transform_grid.py,
// grid.safetensors): samples by seeds, each cell's drawn parameters exactly and every stage of
// the Compose within one level; stages change nothing of the result; the index list the lab's
// line edit takes; the short captions of what was drawn.

#include "data/transform_cli_golden.h"
#include "data/transforms/parse_transform.h"
#include "data/transforms_golden.h"
#include "workflows/transform_grid.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

const GoldenFile& gridGolden() {
    static const GoldenFile file("transforms/grid.safetensors");
    return file;
}

nlohmann::json gridMeta() {
    return nlohmann::json::parse(gridGolden().metadata("grid"));
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestTransformGrid : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::shared_ptr<data::MnistDataset> dataset_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::writeTransformCliMnist(dir_.path().toStdString());
        dataset_ = data::MnistDataset::mnist(dir_.path().toStdString(), data::Split::Train);
    }

    void matchesTorchvisionCellByCell() {
        const auto meta = gridMeta();
        const auto transform = data::parse_transform(meta["pipeline"].get<std::string>());
        const auto indices = meta["indices"].get<std::vector<std::int64_t>>();
        const auto seeds = meta["seeds"].get<std::vector<std::uint64_t>>();
        const auto grid = workflows::make_transform_grid(*dataset_, indices, *transform, seeds);
        QVERIFY(grid);
        QCOMPARE(grid->cells.size(), std::size_t{12});
        QCOMPARE(grid->indices, indices);
        QCOMPARE(grid->seeds, seeds);
        for (std::size_t k = 0; k < grid->cells.size(); ++k) {
            const auto& want = meta["cells"][k];
            const auto& cell = grid->at(k / seeds.size(), k % seeds.size());
            QCOMPARE(cell.index, want["index"].get<std::int64_t>());
            QCOMPARE(cell.seed, want["seed"].get<std::uint64_t>());
            const auto& p = cell.preview;
            QCOMPARE(p.drawn.size(), want["drawn"].size());
            for (std::size_t i = 0; i < p.drawn.size(); ++i) {
                const auto& values = want["drawn"][i][1];
                QCOMPARE(p.drawn[i].transform, want["drawn"][i][0].get<std::string>());
                for (const auto& [key, value] : p.drawn[i].values)
                    std::visit(
                        [&, &key = key](auto v) {
                            if constexpr (std::is_same_v<decltype(v), bool>)
                                QCOMPARE(v, values.at(key).get<bool>());
                            else
                                QCOMPARE(static_cast<double>(v), values.at(key).get<double>());
                        },
                        value);
            }
            QCOMPARE(p.stages.size(), meta["stages"].size());
            for (std::size_t s = 0; s < p.stages.size(); ++s) {
                QCOMPARE(p.stages[s].title, meta["stages"][s].get<std::string>());
                const Tensor expected =
                    gridGolden().tensor("cell" + std::to_string(k) + "/stage" + std::to_string(s));
                QCOMPARE(shape_to_string(p.stages[s].image.shape()),
                         shape_to_string(expected.shape()));
                QVERIFY2(test::maxAbsDiff(p.stages[s].image, expected) <= 1.0,
                         qPrintable(QStringLiteral("cell %1 stage %2").arg(k).arg(s)));
            }
            QCOMPARE(p.stages.back().image.to_vector(), p.after.to_vector());
        }
        // Different seeds draw differently: the grid is not one image repeated.
        QVERIFY(grid->at(0, 0).preview.drawn[1].values[0].second !=
                grid->at(0, 1).preview.drawn[1].values[0].second);
    }

    // With or without stages, the same draws and the same image: what nnscope-cli transform shows.
    void stagesChangeNothing() {
        const auto t = data::parse_transform(
            "Compose([RandomCrop(24, padding=2), ToTensor(), RandomVerticalFlip()])");
        for (std::uint64_t seed : {0, 1, 2, 99}) {
            const auto a = workflows::preview_transform(*dataset_, 1, *t, seed);
            const auto b = workflows::preview_transform(*dataset_, 1, *t, seed, true);
            QCOMPARE(a.after.to_vector(), b.after.to_vector());
            QCOMPARE(a.drawn.size(), b.drawn.size());
            for (std::size_t i = 0; i < a.drawn.size(); ++i)
                QCOMPARE(a.drawn[i].to_string(), b.drawn[i].to_string());
            QCOMPARE(b.stages.size(), std::size_t{3});
            QCOMPARE(b.stages[1].title, std::string("ToTensor()"));
            QVERIFY(b.stages[1].drawn.empty());
            QCOMPARE(shape_to_string(b.stages[0].image.shape()), std::string("[24, 24]"));
        }
        // A single transform is one stage.
        const auto single = data::parse_transform("RandomRotation(10)");
        const auto p = workflows::preview_transform(*dataset_, 0, *single, 5, true);
        QCOMPARE(p.stages.size(), std::size_t{1});
        QCOMPARE(p.stages[0].title, single->repr());
    }

    void refusesAnIndexOutsideTheDataSet() {
        const auto t = data::parse_transform("RandomRotation(10)");
        QCOMPARE(errorOf([&] {
                     workflows::make_transform_grid(*dataset_, {0, 3}, *t, {1});
                 }),
                 QStringLiteral("sample 3 is not in MNIST (3 samples)"));
        std::atomic<bool> cancel{true};
        QVERIFY(!workflows::make_transform_grid(*dataset_, {0}, *t, {1}, &cancel));
    }

    void parsesIndexLists_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::addColumn<QString>("error");
        QTest::newRow("range") << "0-7" << QList<qint64>{0, 1, 2, 3, 4, 5, 6, 7} << "";
        QTest::newRow("mixed") << " 12, 3-5 ,40" << QList<qint64>{12, 3, 4, 5, 40} << "";
        QTest::newRow("one") << "99" << QList<qint64>{99} << "";
        QTest::newRow("backwards") << "7-3" << QList<qint64>{} << "the range 7-3 runs backwards";
        QTest::newRow("word") << "1, x" << QList<qint64>{} << "'x' is not an index or a range a-b";
        QTest::newRow("outside") << "98-100" << QList<qint64>{}
                                 << "index 100 is outside the data set's 100 samples";
        QTest::newRow("negative") << "-1" << QList<qint64>{}
                                  << "index -1 is outside the data set's 100 samples";
        QTest::newRow("empty") << " , " << QList<qint64>{} << "no sample index given (e.g. 0-7)";
        QTest::newRow("too many") << "0-64" << QList<qint64>{} << "at most 64 samples at once";
    }
    void parsesIndexLists() {
        QFETCH(QString, text);
        QFETCH(QList<qint64>, expected);
        QFETCH(QString, error);
        std::vector<std::int64_t> got;
        QCOMPARE(errorOf([&] { got = workflows::parse_index_list(text.toStdString(), 100); }),
                 error);
        QCOMPARE(QList<qint64>(got.begin(), got.end()), expected);
    }

    void columnsOfSeedsOrEpochs() {
        QCOMPARE(workflows::consecutive_seeds(41, 3), (std::vector<std::uint64_t>{41, 42, 43}));
        workflows::LoaderAnalysis a;
        a.epochs.resize(2);
        a.epochs[0].base_seed = 1234;
        a.epochs[1].base_seed = 7;
        QCOMPARE(workflows::epoch_seeds(a, 4), (std::vector<std::uint64_t>{1234, 7}));
    }

    void describesWhatWasDrawn() {
        const std::vector<data::Drawn> drawn = {
            {"RandomCrop", {{"top", std::int64_t{3}}, {"left", std::int64_t{1}}}},
            {"RandomRotation", {{"angle", -12.345}}},
            {"RandomHorizontalFlip", {{"flipped", true}}},
            {"RandomVerticalFlip", {{"flipped", false}}}};
        QCOMPARE(workflows::describe_drawn(drawn),
                 (std::vector<std::string>{"crop top=3 left=1", "angle -12.3\u00b0", "flipped",
                                           "not v-flipped"}));
    }
};

QTEST_GUILESS_MAIN(TestTransformGrid)
#include "tst_transform_grid.moc"
