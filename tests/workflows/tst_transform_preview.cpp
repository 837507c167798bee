// workflows::preview_transform against torchvision 0.14 (tests/golden/gen_transforms.py,
// cli.safetensors): on a small MNIST-like data set written here, the stored picture, the drawn
// parameters exactly, and the transformed image within one level (a float image within 1/255).

#include "data/transform_cli_golden.h"
#include "data/transforms/parse_transform.h"
#include "data/transforms_golden.h"
#include "engine/random.h"
#include "workflows/transform_preview.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

class TestTransformPreview : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::shared_ptr<data::MnistDataset> dataset_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const std::string d = dir_.path().toStdString();
        test::writeTransformCliMnist(d);
        dataset_ = data::MnistDataset::mnist(d, data::Split::Train);
    }

    void matchesTorchvision_data() { test::addTransformCliRows(); }
    void matchesTorchvision() {
        QFETCH(int, run);
        const auto r = test::transformCliRuns()[static_cast<std::size_t>(run)];
        const auto index = r["index"].get<std::int64_t>();
        const auto transform = data::parse_transform(r["pipeline"].get<std::string>());
        const workflows::TransformPreview p = workflows::preview_transform(
            *dataset_, index, *transform, r["seed"].get<std::uint64_t>());

        QCOMPARE(
            p.label,
            test::transformCliGolden().tensor("cli/labels").to_int64_vector()[std::size_t(index)]);
        QCOMPARE(p.class_name, dataset_->classes()[static_cast<std::size_t>(p.label)]);
        QCOMPARE(p.before.to_vector(), test::transformCliGolden()
                                           .tensor("cli/images")
                                           .select(0, index)
                                           .unsqueeze(0)
                                           .to_vector());

        // Drawn parameters exactly as torchvision drew them.
        QCOMPARE(p.drawn.size(), r["drawn"].size());
        for (std::size_t i = 0; i < p.drawn.size(); ++i) {
            const auto& [name, values] = std::pair{r["drawn"][i][0], r["drawn"][i][1]};
            QCOMPARE(p.drawn[i].transform, name.get<std::string>());
            QCOMPARE(p.drawn[i].values.size(), values.size());
            for (const auto& [key, value] : p.drawn[i].values) {
                const auto& want = values.at(key);
                std::visit(
                    [&](auto v) {
                        if constexpr (std::is_same_v<decltype(v), bool>)
                            QCOMPARE(v, want.get<bool>());
                        else
                            QCOMPARE(static_cast<double>(v), want.get<double>());
                    },
                    value);
            }
        }

        const Tensor expected =
            test::transformCliGolden().tensor("cli" + std::to_string(run) + "/after");
        QCOMPARE(shape_to_string(p.after.shape()), shape_to_string(expected.shape()));
        QCOMPARE(dtype_name(p.after.dtype()), dtype_name(expected.dtype()));
        const double tol = p.after.dtype() == DType::UInt8 ? 1.0 : 1.0 / 255 + 1e-6;
        QVERIFY2(test::maxAbsDiff(p.after, expected) <= tol,
                 qPrintable(QString::number(test::maxAbsDiff(p.after, expected))));
    }

    // The preview draws from its own generator: the default one is left alone.
    void leavesTheDefaultGeneratorAlone() {
        manual_seed(5);
        const auto expected = randint(0, 1000, {3}, default_generator()).to_int64_vector();
        manual_seed(5);
        const auto t = data::parse_transform("RandomRotation(30)");
        const auto a = workflows::preview_transform(*dataset_, 0, *t, 1);
        QCOMPARE(randint(0, 1000, {3}, default_generator()).to_int64_vector(), expected);
        const auto b = workflows::preview_transform(*dataset_, 0, *t, 1);
        QCOMPARE(a.after.to_vector(), b.after.to_vector());
        QVERIFY_THROWS_EXCEPTION(std::out_of_range,
                                 workflows::preview_transform(*dataset_, 3, *t, 1));
    }
};

QTEST_GUILESS_MAIN(TestTransformPreview)
#include "tst_transform_preview.moc"
