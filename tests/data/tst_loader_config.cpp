// data::DataLoaderConfig: the PyTorch rules validate() enforces with PyTorch's messages, the
// factory's own checks, labelled ranges, and that the loader it builds draws exactly PyTorch
// 1.13's batches (the loader goldens of tests/golden/gen_data.py), with or without workers. Its
// JSON form is tested in tst_loader_config_json.

#include "data/config_error.h"
#include "data/dataloader_iterator.h"
#include "data/loader_factory.h"
#include "data_golden.h"
#include "loader_config_test.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using namespace nnscope::data;
using nlohmann::json;
using test::configError;
using test::GoldenFile;
using test::withSampler;

namespace {

// The configuration of a loader golden case, as gen_data.py builds its DataLoader.
DataLoaderConfig configOf(const json& c) {
    DataLoaderConfig config;
    config.dataset = "range:" + std::to_string(c["n"].get<std::int64_t>());
    config.batch_size = c["batch_size"].is_null()
                            ? std::nullopt
                            : std::optional<std::int64_t>(c["batch_size"].get<std::int64_t>());
    config.shuffle = c["shuffle"];
    config.drop_last = c["drop_last"];
    config.epochs = 3;
    const std::string sampler = c["sampler"];
    if (sampler == "random-replacement") {
        config.sampler = RandomSamplerArgs{true, 30};
    } else if (sampler == "subset") {
        SubsetRandomSamplerArgs a;
        a.range = std::pair<std::int64_t, std::int64_t>{5, 17};
        config.sampler = a;
    } else if (sampler == "weighted") {
        std::vector<double> w;
        for (std::int64_t i = 0; i < c["n"].get<std::int64_t>(); ++i)
            w.push_back(static_cast<double>(i % 3 + 1));
        config.sampler = WeightedSamplerArgs{{SampleWeights::Kind::PerSample, w}, 20, true};
    } else if (sampler == "distributed") {
        config.sampler = DistributedSamplerArgs{3, 1, true, 11, false, 0};
    }
    return config;
}

} // namespace

class TestLoaderConfig : public QObject {
    Q_OBJECT

private slots:
    void pytorchRules_data() {
        QTest::addColumn<DataLoaderConfig>("config");
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("rule");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, DataLoaderConfig c, const char* field, bool rule,
                      const QString& message) {
            QTest::newRow(name) << c << field << rule << message;
        };
        using test::torchMessage;
        DataLoaderConfig c;
        c.num_workers = -1;
        row("num_workers", c, "num_workers", true, torchMessage("num_workers"));
        c = {};
        c.timeout = -1;
        row("timeout", c, "timeout", true, torchMessage("timeout"));
        c = {};
        c.prefetch_factor = 4;
        row("prefetch without workers", c, "prefetch_factor", true,
            torchMessage("prefetch_factor"));
        c.num_workers = 2;
        c.prefetch_factor = 0; // PyTorch: a bare `assert prefetch_factor > 0`
        row("prefetch 0", c, "prefetch_factor", true, "prefetch_factor should be positive, got 0");
        c = {};
        c.persistent_workers = true;
        row("persistent", c, "persistent_workers", true, torchMessage("persistent_workers"));
        c = withSampler(RandomSamplerArgs{});
        c.shuffle = true;
        row("sampler and shuffle", c, "sampler", true, torchMessage("sampler and shuffle"));
        c = {};
        c.batch_sampler = BatchSamplerArgs{3, false};
        c.batch_size = 4;
        row("batch_sampler and batch_size", c, "batch_sampler", true,
            torchMessage("batch_sampler and batch_size"));
        c.batch_size = 1;
        c.shuffle = true;
        row("batch_sampler and shuffle", c, "batch_sampler", true,
            torchMessage("batch_sampler and shuffle"));
        c.shuffle = false;
        c.drop_last = true;
        row("batch_sampler and drop_last", c, "batch_sampler", true,
            torchMessage("batch_sampler and drop_last"));
        c = {};
        c.batch_size.reset();
        c.drop_last = true;
        row("None and drop_last", c, "drop_last", true,
            torchMessage("batch_size None and drop_last"));
        c = {};
        c.batch_size = 0;
        row("batch_size 0", c, "batch_size", true, torchMessage("batch_size 0"));
        c = {};
        c.batch_sampler = BatchSamplerArgs{-2, false};
        row("batch_sampler size", c, "batch_sampler.batch_size", true,
            torchMessage("batch_sampler batch_size"));
        row("random num_samples", withSampler(RandomSamplerArgs{false, 0}), "sampler.num_samples",
            true, torchMessage("random num_samples"));
        row("weighted num_samples", withSampler(WeightedSamplerArgs{{}, -3, true}),
            "sampler.num_samples", true, torchMessage("weighted num_samples"));
        row("rank", withSampler(DistributedSamplerArgs{4, 5}), "sampler.rank", true,
            torchMessage("rank"));
        row("negative rank", withSampler(DistributedSamplerArgs{4, -1}), "sampler.rank", true,
            torchMessage("negative rank"));
        row("replicas", withSampler(DistributedSamplerArgs{0, 0}), "sampler.num_replicas", false,
            "num_replicas must be at least 1, got 0");
        SubsetRandomSamplerArgs both;
        both.indices = std::vector<std::int64_t>{1};
        both.range = std::pair<std::int64_t, std::int64_t>{0, 2};
        row("subset both", withSampler(both), "sampler.indices", false,
            "give the subset as indices or as a range, not both");
        SubsetRandomSamplerArgs reversed;
        reversed.range = std::pair<std::int64_t, std::int64_t>{5, 2};
        row("subset reversed", withSampler(reversed), "sampler.range", false,
            "range [5, 2) ends before it begins");
        c = {};
        c.epochs = 0;
        row("epochs", c, "epochs", false, "epochs must be at least 1, got 0");
        // The data set's part (Subset, random_split), checked before the loader's own rules.
        auto parted = [](DatasetPart part) {
            DataLoaderConfig p;
            p.part = std::move(part);
            p.num_workers = -1;
            return p;
        };
        row("split fraction", parted(RandomSplitArgs{{1.5, -0.5}, 0, 0}),
            "subset.random_split.lengths", true, torchMessage("split fraction"));
        row("split negative count", parted(RandomSplitArgs{{-1, 11}, 0, 0}),
            "subset.random_split.lengths", true,
            "random_split: length -1 is neither a count (a whole number, at least 0) nor one of "
            "fractions summing to 1");
        row("split count 2.5", parted(RandomSplitArgs{{2.5, 7.5}, 0, 0}),
            "subset.random_split.lengths", true,
            "random_split: length 2.5 is neither a count (a whole number, at least 0) nor one of "
            "fractions summing to 1");
        row("split without lengths", parted(RandomSplitArgs{{}, 0, 0}),
            "subset.random_split.lengths", false,
            "random_split needs at least one length in lengths");
        row("split part", parted(RandomSplitArgs{{0.5, 0.5}, 0, 2}), "subset.random_split.part",
            false, "random_split part 2 does not exist: the lengths make parts 0 to 1");
        row("split part -1", parted(RandomSplitArgs{{3, 7}, 0, -1}), "subset.random_split.part",
            false, "random_split part -1 does not exist: the lengths make parts 0 to 1");
        SubsetArgs empty;
        row("subset of nothing", parted(empty), "subset.indices", false,
            "a Subset needs its indices or a range");
        SubsetArgs part_both;
        part_both.indices = std::vector<std::int64_t>{1};
        part_both.range = std::pair<std::int64_t, std::int64_t>{0, 2};
        row("subset both ways", parted(part_both), "subset.indices", false,
            "give the subset as indices or as a range, not both");
        SubsetArgs part_reversed;
        part_reversed.range = std::pair<std::int64_t, std::int64_t>{3, 1};
        row("subset reversed range", parted(part_reversed), "subset.range", false,
            "range [3, 1) ends before it begins");
    }
    void pytorchRules() {
        QFETCH(DataLoaderConfig, config);
        QFETCH(QString, field);
        QFETCH(bool, rule);
        QFETCH(QString, message);
        ConfigError::Kind kind{};
        const auto [f, m] = configError([&] { validate(config); }, &kind);
        QCOMPARE(QString::fromStdString(m), message);
        QCOMPARE(QString::fromStdString(f), field);
        QCOMPARE(kind == ConfigError::Kind::Rule, rule);
        // The factory refuses it the same way before opening anything.
        QCOMPARE(configError([&] { build_loader(config); }).second, m);
    }

    // Checks that need the data set.
    void factoryErrors_data() {
        QTest::addColumn<DataLoaderConfig>("config");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        SubsetRandomSamplerArgs out;
        out.indices = std::vector<std::int64_t>{3, 25};
        QTest::newRow("sampler index") << withSampler(out) << "sampler.indices"
                                       << "subset index 25 is out of range for a data set of 25 "
                                          "samples";
        SubsetRandomSamplerArgs range;
        range.range = std::pair<std::int64_t, std::int64_t>{-1, 3};
        QTest::newRow("sampler range") << withSampler(range) << "sampler.range"
                                       << "subset index -1 is out of range for a data set of 25 "
                                          "samples";
        auto weighted = [](SampleWeights::Kind k, std::vector<double> v) {
            return withSampler(WeightedSamplerArgs{{k, std::move(v)}, std::nullopt, true});
        };
        QTest::newRow("per sample count")
            << weighted(SampleWeights::Kind::PerSample, {1, 2}) << "sampler.weights"
            << "weights gives 2 weights per sample for a data set "
               "of 25";
        QTest::newRow("listed") << weighted(SampleWeights::Kind::Listed, {1, 2})
                                << "sampler.weights"
                                << "weights gives 2 weights: neither one per sample (25) nor one "
                                   "per class (class 2 has none)";
        std::vector<double> negative(25, 1.0);
        negative[3] = -1;
        QTest::newRow("negative") << weighted(SampleWeights::Kind::PerSample, negative)
                                  << "sampler.weights" << test::torchMessage("negative weights");
        QTest::newRow("all zero") << weighted(SampleWeights::Kind::PerSample,
                                              std::vector<double>(25, 0.0))
                                  << "sampler.weights" << test::torchMessage("zero weights");
        std::vector<double> nan(25, 1.0);
        nan[7] = std::nan("");
        QTest::newRow("nan") << weighted(SampleWeights::Kind::PerSample, nan) << "sampler.weights"
                             << test::torchMessage("nan weights");
        std::vector<double> inf(25, 1.0);
        inf[0] = HUGE_VAL;
        QTest::newRow("inf") << weighted(SampleWeights::Kind::PerSample, inf) << "sampler.weights"
                             << "invalid multinomial distribution (encountering probability "
                                "entry = infinity or NaN)";
        DataLoaderConfig part;
        part.dataset = "range:25";
        part.part = RandomSplitArgs{{10, 10}, 0, 0};
        QTest::newRow("split sum")
            << part << "subset.random_split.lengths" << test::torchMessage("split sum");
        SubsetArgs listed;
        listed.indices = std::vector<std::int64_t>{0, 25};
        part.part = listed;
        QTest::newRow("subset index") << part << "subset.indices"
                                      << "subset index 25 is out of range for a data set of 25 "
                                         "samples";
        SubsetArgs from_to;
        from_to.range = std::pair<std::int64_t, std::int64_t>{20, 26};
        part.part = from_to;
        QTest::newRow("subset range") << part << "subset.range"
                                      << "subset index 25 is out of range for a data set of 25 "
                                         "samples";
        DataLoaderConfig c;
        c.dataset = "cifar";
        QTest::newRow("dataset") << c << "dataset"
                                 << "unknown dataset 'cifar' (range:N, fashion-mnist[:PATH], "
                                    "mnist:PATH, ag-news:PATH)";
        c.dataset = "range:x";
        QTest::newRow("range") << c << "dataset"
                               << "dataset range:N expects an integer, got 'x'";
        c.dataset = "mnist:";
        QTest::newRow("mnist") << c << "dataset"
                               << "dataset mnist:PATH needs the folder of the IDX files";
        c.dataset = "range:5";
        c.collate_fn = CollateChoice::Padding;
        QTest::newRow("padding on range")
            << c << "collate_fn"
            << "collate_fn padding needs a text data set (ag-news:PATH), got 'range:5'";
        c = {};
        c.transform = "RandomCrop(28";
        QTest::newRow("transform") << c << "transform"
                                   << "transform: ";
        c.dataset = "ag-news:/nowhere";
        c.transform = "RandomHorizontalFlip()";
        QTest::newRow("transform on text")
            << c << "transform"
            << "transform applies to image data sets, not to ag-news";
    }
    void factoryErrors() {
        QFETCH(DataLoaderConfig, config);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const auto [f, m] = configError([&] { build_loader(config); });
        QVERIFY2(QString::fromStdString(m).startsWith(message), m.c_str());
        QCOMPARE(QString::fromStdString(f), field);
    }

    // Each front end names the fields its own way.
    void messagesNameFieldsAsAsked() {
        const ConfigError e("sampler.num_samples", "{num_samples} applies to {sampler} random");
        QCOMPARE(std::string(e.what()), std::string("num_samples applies to sampler random"));
        QCOMPARE(e.message([](std::string_view f) { return "--" + std::string(f); }),
                 std::string("--num_samples applies to --sampler random"));
        QCOMPARE(e.field(), std::string("sampler.num_samples"));
        // Only {name} is a field: a JSON value quoted in the message stays as it is, and
        // literal() keeps any text as it is.
        const auto dashes = [](std::string_view f) { return "--" + std::string(f); };
        const ConfigError json("sampler.weights",
                               R"({weights} expects {"per_class": [...]}, got {"a":1})");
        QCOMPARE(json.message(dashes),
                 std::string(R"(--weights expects {"per_class": [...]}, got {"a":1})"));
        const ConfigError quoted("dataset", ConfigError::literal("unknown dataset '{range}'"));
        QCOMPARE(quoted.message(dashes), std::string("unknown dataset '{range}'"));
        QCOMPARE(std::string(quoted.what()), std::string("unknown dataset '{range}'"));
    }

    void classBalancedWeights() {
        RangeDataset d(4);
        QCOMPARE(resolve_sample_weights({}, d), (std::vector<double>{1, 1, 1, 1}));
        QCOMPARE(resolve_sample_weights({SampleWeights::Kind::PerClass, {1, 2, 3, 4}}, d),
                 (std::vector<double>{1, 2, 3, 4}));
        QCOMPARE(parse_sample_weights("0.5,2"),
                 (SampleWeights{SampleWeights::Kind::Listed, {0.5, 2}}));
        QCOMPARE(configError([] { parse_sample_weights("1,x"); }).second,
                 std::string("weights: 'x' is not a number"));
    }

    // range:N with a label rule: known class distributions to explore samplers on.
    void labelledRanges() {
        DataLoaderConfig c;
        c.dataset = "range:10:mod=3";
        DatasetPtr d = open_config_dataset(c);
        QCOMPARE(d->name(), std::string("LabelledRangeDataset"));
        QCOMPARE(d->label(4), std::optional<std::int64_t>(1));
        const Sample s = d->get(5);
        QCOMPARE(s[0].integer(), std::int64_t{5});
        QCOMPARE(s[1].integer(), std::int64_t{2});
        auto labels = [](const Dataset& ds) {
            std::vector<std::int64_t> out;
            for (std::int64_t i = 0; i < ds.size(); ++i)
                out.push_back(*ds.label(i));
            return out;
        };
        c.dataset = "range:15:imbalanced=4"; // 8, 4, 2, 1
        QCOMPARE(labels(*open_config_dataset(c)),
                 (std::vector<std::int64_t>{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3}));
        c.dataset = "range:100:imbalanced=3"; // 57 + 1 left over, 28, 14
        const auto l = labels(*open_config_dataset(c));
        QCOMPARE(std::count(l.begin(), l.end(), 0), 58);
        QCOMPARE(std::count(l.begin(), l.end(), 1), 28);
        QCOMPARE(std::count(l.begin(), l.end(), 2), 14);
        // Inverse class frequency: the class-balanced weights of the rare class are the largest.
        const auto w = resolve_sample_weights({}, *open_config_dataset(c));
        QCOMPARE(w.front(), 1.0 / 58);
        QCOMPARE(w.back(), 1.0 / 14);

        for (const auto& [spec, message] : std::vector<std::pair<std::string, std::string>>{
                 {"range:5:odd=2", "dataset range:N:RULE takes mod=K or imbalanced=K, got 'odd=2'"},
                 {"range:5:mod", "dataset range:N:RULE takes mod=K or imbalanced=K, got 'mod'"},
                 {"range:5:mod=x", "dataset range:N:mod=K expects an integer, got 'x'"},
                 {"range:5:imbalanced=0",
                  "dataset range:N:imbalanced=K needs 1 to 62 classes, got 0"}}) {
            c.dataset = spec;
            QCOMPARE(configError([&] { open_config_dataset(c); }),
                     (std::pair<std::string, std::string>{"dataset", message}));
        }
    }

    void matchesPyTorchOrder() {
        const GoldenFile file("data/loader.safetensors");
        int checked = 0;
        for (const auto& c : test::casesOf(file)) {
            if (!c.contains("sampler")) continue;
            DataLoaderConfig config = configOf(c);
            // Every other case runs with two workers: the order must not change.
            if (checked % 2) config.num_workers = 2;
            const auto seed = static_cast<std::uint64_t>(std::stoll(c["seed"].get<std::string>()));
            if (c["generator"].get<bool>())
                config.generator_seed = seed;
            else
                manual_seed(seed); // DataLoader without a generator: the default one
            BuiltLoader b = build_loader(config);
            std::vector<std::int64_t> indices, lengths;
            for (std::int64_t e = 0; e < config.epochs; ++e) {
                auto it = b.start_epoch(e);
                while (auto batch = it->next()) {
                    indices.insert(indices.end(), batch->indices.begin(), batch->indices.end());
                    lengths.push_back(static_cast<std::int64_t>(batch->indices.size()));
                }
            }
            const std::string name = c["name"];
            QVERIFY2(indices == test::goldenInts(file, name + "/indices"), name.c_str());
            if (config.batch_size) QCOMPARE(lengths, test::goldenInts(file, name + "/lengths"));
            // The generator is left where PyTorch leaves it.
            QCOMPARE(test::afterDraws(b.generator), test::goldenInts(file, name + "/after"));
            ++checked;
        }
        QVERIFY(checked >= 60);
    }
};

QTEST_GUILESS_MAIN(TestLoaderConfig)
#include "tst_loader_config.moc"
