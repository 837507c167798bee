// Datasets (range, tensor, subset, concat) and default_collate against PyTorch 1.13
// (collate goldens: tests/golden/gen_data.py).

#include "data/collate.h"
#include "data/concat_dataset.h"
#include "data/subset.h"
#include "data/tensor_dataset.h"
#include "data_golden.h"
#include "support/golden.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;
using nnscope::test::errorOf;
using nnscope::test::GoldenFile;

class TestDatasets : public QObject {
    Q_OBJECT

private slots:
    void rangeTensorSubsetConcat() {
        auto range = std::make_shared<RangeDataset>(5);
        QCOMPARE(range->size(), 5);
        QCOMPARE(range->get(3).integer(), 3);
        QVERIFY(errorOf([&] { range->get(5); }).contains("index 5 is out of range"));

        const Tensor x = Tensor::arange(12, DType::Float32).reshape({4, 3});
        const Tensor y = Tensor::from_int64({7, 8, 9, 10}, {4});
        auto tensors = std::make_shared<TensorDataset>(std::vector{x, y});
        QCOMPARE(tensors->size(), 4);
        const Sample s = tensors->get(2);
        QCOMPARE(s[0].tensor().to_vector(), (std::vector<double>{6, 7, 8}));
        QCOMPARE(s[1].tensor().item(), 9.0);
        QVERIFY(errorOf([&] {
                    TensorDataset({x, Tensor::zeros({3})});
                }).startsWith("Size mismatch between tensors"));

        Subset subset(range, {4, 0, 2});
        QCOMPARE(subset.size(), 3);
        QCOMPARE(subset.get(0).integer(), 4);
        QCOMPARE(subset.label(2).value(), 2);

        ConcatDataset concat(
            {range, std::make_shared<RangeDataset>(0), std::make_shared<RangeDataset>(3)});
        QCOMPARE(concat.size(), 8);
        QCOMPARE(concat.cumulative_sizes(), (std::vector<std::int64_t>{5, 5, 8}));
        QCOMPARE(concat.get(4).integer(), 4);
        QCOMPARE(concat.get(5).integer(), 0); // skips the empty one, as bisect_right does
        QCOMPARE(concat.get(-1).integer(), 2);
        QCOMPARE(errorOf([&] { concat.get(-9); }),
                 QStringLiteral("absolute value of index should not exceed dataset length"));
        QCOMPARE(errorOf([] { ConcatDataset({}); }),
                 QStringLiteral("datasets should not be an empty iterable"));
    }

    void collateGolden() {
        const GoldenFile file("data/collate.safetensors");
        const Tensor in = file.tensor("tensors/in");
        std::vector<Sample> tensors, tuples, dicts;
        for (std::int64_t i = 0; i < 3; ++i) {
            const Tensor a = in.select(0, i);
            tensors.emplace_back(a);
            tuples.push_back(Sample::tuple({a, Sample(i), Sample(static_cast<double>(i) / 4)}));
            dicts.push_back(Sample::dict(
                {{"x", a},
                 {"y",
                  Sample::tuple({Sample(i), Sample::tuple({Sample(i * 2), Sample(i * 3)})})}}));
        }
        NNSCOPE_COMPARE_TENSORS_EXACT(default_collate(tensors).tensor(),
                                      file.tensor("tensors/out"));
        NNSCOPE_COMPARE_TENSORS_EXACT(default_collate({Sample(3), Sample(-1), Sample(7)}).tensor(),
                                      file.tensor("ints/out"));
        NNSCOPE_COMPARE_TENSORS_EXACT(
            default_collate({Sample(0.5), Sample(1.25), Sample(-2.0)}).tensor(),
            file.tensor("floats/out"));
        const Sample tuple = default_collate(tuples);
        for (std::size_t k = 0; k < 3; ++k)
            NNSCOPE_COMPARE_TENSORS_EXACT(tuple[k].tensor(),
                                          file.tensor("tuple/" + std::to_string(k)));
        const Sample dict = default_collate(dicts);
        NNSCOPE_COMPARE_TENSORS_EXACT(dict["x"].tensor(), file.tensor("dict/x"));
        NNSCOPE_COMPARE_TENSORS_EXACT(dict["y"][0].tensor(), file.tensor("dict/y/0"));
        NNSCOPE_COMPARE_TENSORS_EXACT(dict["y"][1][0].tensor(), file.tensor("dict/y/1/0"));
        NNSCOPE_COMPARE_TENSORS_EXACT(dict["y"][1][1].tensor(), file.tensor("dict/y/1/1"));
        std::vector<Sample> bytes;
        for (std::int64_t i = 0; i < 4; ++i) {
            Tensor t = Tensor::from_int64({i, 255 - i}, {2}).to(DType::UInt8);
            bytes.emplace_back(t);
        }
        NNSCOPE_COMPARE_TENSORS_EXACT(default_collate(bytes).tensor(), file.tensor("uint8/out"));
    }

    void collateErrors() {
        QCOMPARE(errorOf([] {
                     default_collate(
                         {Sample::tuple({Sample(1)}), Sample::tuple({Sample(1), Sample(2)})});
                 }),
                 QStringLiteral("each element in list of batch should be of equal size"));
        QVERIFY(errorOf([] {
                    default_collate({Sample(Tensor::zeros({2})), Sample(Tensor::zeros({3}))});
                }).contains("stack"));
        const Sample strings = default_collate({Sample("a"), Sample("b")});
        QCOMPARE(strings[1].text(), std::string("b"));
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
