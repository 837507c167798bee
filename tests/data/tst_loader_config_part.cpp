// The data set part of a DataLoaderConfig (Subset, random_split) against real PyTorch 1.13
// (tests/golden/data/loader_config.json from gen_data.py): random_split's lengths rule, parts,
// warnings and errors; the batches of a DataLoader over a part; labels and class names that pass
// through the Subset.

#include "data/dataloader_iterator.h"
#include "data/dataset_part.h"
#include "data/loader_factory.h"
#include "data/mnist.h"
#include "data/random_split.h"
#include "loader_config_test.h"

#include <QtTest>
#include <filesystem>

using namespace nnscope;
using namespace nnscope::data;
using nlohmann::json;

namespace {

std::uint64_t seedOf(const json& c) {
    return static_cast<std::uint64_t>(std::stoull(c.at("seed").get<std::string>()));
}

} // namespace

class TestLoaderConfigPart : public QObject {
    Q_OBJECT

private slots:
    // random_split(range(n), lengths, generator=torch.Generator().manual_seed(seed)).
    void randomSplitMatchesPyTorch() {
        int checked = 0;
        for (const json& c : test::loaderConfigGolden().at("random_split")) {
            const auto n = c.at("n").get<std::int64_t>();
            const auto lengths = c.at("lengths").get<std::vector<double>>();
            const std::string name = c.dump();
            RandomSplitArgs args{lengths, seedOf(c), 0};
            DatasetPartResult result;
            std::string error;
            try {
                result = take_dataset_part(std::make_shared<RangeDataset>(n), args);
            } catch (const ConfigError& e) {
                error = e.what();
                QCOMPARE(e.field(), std::string("subset.random_split.lengths"));
            }
            if (c.contains("error")) {
                QCOMPARE(error, c.at("error").get<std::string>());
            } else {
                QVERIFY2(error.empty(), error.c_str());
                const auto parts = c.at("parts").get<std::vector<std::vector<std::int64_t>>>();
                for (std::size_t p = 0; p < parts.size(); ++p) {
                    args.part = static_cast<std::int64_t>(p);
                    const auto part = take_dataset_part(std::make_shared<RangeDataset>(n), args);
                    const auto& subset = dynamic_cast<const Subset&>(*part.dataset);
                    QVERIFY2(subset.indices() == parts[p], name.c_str());
                }
                QCOMPARE(result.warnings, c.at("warnings").get<std::vector<std::string>>());
            }
            ++checked;
        }
        QCOMPARE(checked, 15);
    }

    // DataLoader(part, 4, shuffle, generator=torch.Generator().manual_seed(5)) over two epochs,
    // part a Subset or a random_split part of range(30) labelled i % 3.
    void loaderOverPartMatchesPyTorch() {
        int checked = 0;
        for (const json& c : test::loaderConfigGolden().at("parts")) {
            DataLoaderConfig config;
            config.dataset = "range:" + std::to_string(c.at("n").get<int>()) + ":mod=3";
            const std::string kind = c.at("subset");
            if (kind == "indices") {
                SubsetArgs a;
                a.indices = c.at("indices").get<std::vector<std::int64_t>>();
                config.part = a;
            } else if (kind == "range") {
                SubsetArgs a;
                a.range = std::pair{c.at("range")[0].get<std::int64_t>(),
                                    c.at("range")[1].get<std::int64_t>()};
                config.part = a;
            } else {
                config.part = RandomSplitArgs{c.at("lengths").get<std::vector<double>>(),
                                              c.at("split_seed").get<std::uint64_t>(),
                                              c.at("part").get<std::int64_t>()};
            }
            config.batch_size = 4;
            config.shuffle = c.at("shuffle").get<bool>();
            config.generator_seed = 5;
            BuiltLoader b = build_loader(config);
            const auto& subset = dynamic_cast<const Subset&>(*b.source);
            json batches = json::array();
            for (std::int64_t e = 0; e < 2; ++e) {
                auto it = b.start_epoch(e);
                while (auto batch = it->next()) {
                    std::vector<std::int64_t> ids, labels;
                    for (const auto i : batch->indices) {
                        ids.push_back(subset.indices()[static_cast<std::size_t>(i)]);
                        labels.push_back(b.source->label(i).value_or(-1)); // through the Subset
                    }
                    // The collated samples are the underlying data set's (i, i % 3).
                    QCOMPARE(batch->data[0].tensor().to_int64_vector(), ids);
                    QCOMPARE(batch->data[1].tensor().to_int64_vector(), labels);
                    batches.push_back({ids, labels});
                }
            }
            QVERIFY2(batches == c.at("batches"), c.dump().c_str());
            ++checked;
        }
        QCOMPARE(checked, 10);
    }

    // An empty part is PyTorch's warning, kept with the built loader.
    void emptySplitWarns() {
        DataLoaderConfig c;
        c.part = RandomSplitArgs{{0, 1}, 5, 1};
        const BuiltLoader b = build_loader(c);
        QCOMPARE(b.source->size(), std::int64_t{10});
        QCOMPARE(b.warnings, std::vector<std::string>{
                                 "Length of split at index 0 is 0. This might result in an empty "
                                 "dataset."});
        c.part = std::monostate{};
        QVERIFY(build_loader(c).warnings.empty());
    }

    // The lab names the classes of a part by the whole data set's names.
    void classNamesThroughSubsets() {
        if (!std::filesystem::exists(MnistDataset::fashion_mnist_default_dir))
            QSKIP("Fashion-MNIST is not installed (Debian's dataset-fashion-mnist)");
        DataLoaderConfig c;
        c.dataset = "fashion-mnist";
        c.test_split = true;
        c.part = RandomSplitArgs{{0.01, 0.99}, 3, 0};
        const BuiltLoader b = build_loader(c);
        QCOMPARE(b.source->size(), std::int64_t{100});
        const auto names = class_names(*b.source);
        QCOMPARE(names.size(), std::size_t{10});
        QCOMPARE(names.front(), std::string("T-shirt/top"));
        QVERIFY(b.source->label(0).has_value());
        QVERIFY(class_names(RangeDataset(3)).empty());
    }
};

QTEST_GUILESS_MAIN(TestLoaderConfigPart)
#include "tst_loader_config_part.moc"
