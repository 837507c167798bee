// workflows::preview_transform against torchvision 0.14 (tests/golden/gen_transforms.py,
// cli.safetensors): on a small MNIST-like data set written here, the stored picture, the drawn
// parameters exactly, and the transformed image within one level (a float image within 1/255).

#include "data/data_golden.h"
#include "data/png_file.h"
#include "data/transforms/parse_transform.h"
#include "data/transforms_golden.h"
#include "workflows/learnable_data.h"
#include "workflows/transform_preview.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

const GoldenFile& golden() {
    static const GoldenFile file("transforms/cli.safetensors");
    return file;
}

std::vector<std::uint8_t> bytesOf(const Tensor& t) {
    std::vector<std::uint8_t> out;
    for (double v : t.to_vector())
        out.push_back(static_cast<std::uint8_t>(v));
    return out;
}

} // namespace

class TestTransformPreview : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::shared_ptr<data::MnistDataset> dataset_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const std::string d = dir_.path().toStdString();
        test::write_idx(d + "/train-images-idx3-ubyte", 0x803, {3, 28, 28},
                        bytesOf(golden().tensor("cli/images")));
        test::write_idx(d + "/train-labels-idx1-ubyte", 0x801, {3},
                        bytesOf(golden().tensor("cli/labels")));
        dataset_ = data::MnistDataset::mnist(d, data::Split::Train);
    }

    void matchesTorchvision_data() {
        QTest::addColumn<int>("run");
        const auto runs = nlohmann::json::parse(golden().metadata("runs"));
        for (std::size_t k = 0; k < runs.size(); ++k)
            QTest::newRow(runs[k]["pipeline"].get<std::string>().c_str()) << static_cast<int>(k);
    }
    void matchesTorchvision() {
        QFETCH(int, run);
        const auto r =
            nlohmann::json::parse(golden().metadata("runs"))[static_cast<std::size_t>(run)];
        const auto index = r["index"].get<std::int64_t>();
        const auto transform = data::parse_transform(r["pipeline"].get<std::string>());
        const workflows::TransformPreview p = workflows::preview_transform(
            *dataset_, index, *transform, r["seed"].get<std::uint64_t>());

        QCOMPARE(p.label, golden().tensor("cli/labels").to_int64_vector()[std::size_t(index)]);
        QCOMPARE(p.class_name, dataset_->classes()[static_cast<std::size_t>(p.label)]);
        QCOMPARE(p.before.to_vector(),
                 golden().tensor("cli/images").select(0, index).unsqueeze(0).to_vector());

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

        const Tensor expected = golden().tensor("cli" + std::to_string(run) + "/after");
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
