// TransformedDataset through a DataLoader against PyTorch: the same shuffled order, the same
// per-sample random crops, rotations and flips, with num_workers = 0 (transforms draw from the
// default generator after the base seed and the sampler) and 2 (each worker draws from its own
// generator seeded base_seed + worker id, as PyTorch reseeds torch's default generator in each
// worker process). Goldens: tests/golden/gen_transforms.py (loader.safetensors).

#include "data/dataloader.h"
#include "data/dataloader_iterator.h"
#include "data/tensor_dataset.h"
#include "data/transforms/parse_transform.h"
#include "data/transforms/transformed_dataset.h"
#include "data_golden.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using namespace nnscope::data;
using nnscope::test::GoldenFile;

namespace {

const GoldenFile& golden() {
    static const GoldenFile file("transforms/loader.safetensors");
    return file;
}

Tensor concat(const std::vector<Tensor>& parts) {
    std::vector<double> values;
    Shape shape = parts.at(0).shape();
    shape[0] = 0;
    for (const auto& p : parts) {
        const auto v = p.to_vector();
        values.insert(values.end(), v.begin(), v.end());
        shape[0] += p.size(0);
    }
    return Tensor::from_vector(values, shape, parts[0].dtype());
}

} // namespace

class TestTransformLoader : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<int>("index");
        const auto runs = nlohmann::json::parse(golden().metadata("loaders"));
        for (std::size_t k = 0; k < runs.size(); ++k)
            QTest::newRow(runs[k]["name"].get<std::string>().c_str()) << static_cast<int>(k);
    }
    void matchesPyTorch() {
        QFETCH(int, index);
        const auto run =
            nlohmann::json::parse(golden().metadata("loaders"))[static_cast<std::size_t>(index)];
        const std::string name = run["name"].get<std::string>();
        auto base = std::make_shared<TensorDataset>(std::vector<Tensor>{
            golden().tensor("loader/images"), golden().tensor("loader/labels")});
        auto dataset = std::make_shared<TransformedDataset>(
            base, parse_transform(run["pipeline"].get<std::string>()));
        DataLoaderOptions o;
        o.batch_size = run["batch_size"].get<int>();
        o.shuffle = true;
        o.num_workers = run["num_workers"].get<int>();
        manual_seed(static_cast<std::uint64_t>(run["default_seed"].get<int>()));
        if (run["generator"].get<bool>())
            o.generator =
                std::make_shared<Generator>(static_cast<std::uint64_t>(run["seed"].get<int>()));
        DataLoader loader(dataset, o);
        std::vector<Tensor> images, labels;
        auto it = loader.iter();
        while (auto batch = it->next()) {
            images.push_back(batch->data[0].tensor());
            labels.push_back(batch->data[1].tensor());
        }
        QCOMPARE(concat(labels).to_int64_vector(),
                 golden().tensor(name + "/labels").to_int64_vector());
        const auto got = concat(images).to_vector();
        const auto want = golden().tensor(name + "/images").to_vector();
        QCOMPARE(got.size(), want.size());
        double worst = 0;
        for (std::size_t i = 0; i < got.size(); ++i)
            worst = std::max(worst, std::fabs(got[i] - want[i]));
        QVERIFY2(worst <= 1e-6, qPrintable(QStringLiteral("max |difference| %1").arg(worst)));
    }

    // Outside a worker the transform draws from the default generator; get() with an explicit
    // generator reports what it drew and leaves the label alone.
    void drawsAndLabels() {
        auto base = std::make_shared<TensorDataset>(std::vector<Tensor>{
            golden().tensor("loader/images"), golden().tensor("loader/labels")});
        const TransformedDataset ds(base, parse_transform("RandomCrop(20)"));
        manual_seed(7);
        const Sample a = ds.get(3);
        Generator gen(7);
        std::vector<Drawn> drawn;
        const Sample b = ds.get(3, gen, &drawn);
        QCOMPARE(a[0].tensor().to_vector(), b[0].tensor().to_vector());
        QCOMPARE(a[1].tensor().to_int64_vector(), base->get(3)[1].tensor().to_int64_vector());
        QCOMPARE(drawn.size(), std::size_t{1});
        QCOMPARE(ds.label(3), base->label(3));
        QCOMPARE(ds.size(), std::int64_t{12});
        QCOMPARE(shape_to_string(a[0].tensor().shape()), std::string("[1, 20, 20]"));
    }

    void notAnImage() {
        const TransformedDataset ds(std::make_shared<RangeDataset>(3),
                                    parse_transform("RandomHorizontalFlip()"));
        QCOMPARE(nnscope::test::errorOf([&] { ds.get(1); }),
                 QStringLiteral("RangeDataset sample 1 is a int, not an image tensor or an "
                                "(image, ...) tuple to transform"));
    }
};

QTEST_GUILESS_MAIN(TestTransformLoader)
#include "tst_transform_loader.moc"
