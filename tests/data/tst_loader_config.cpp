// data::DataLoaderConfig: its JSON form (round trip, defaults, every reading error naming the
// field and the value), the PyTorch rules validate() enforces with PyTorch's messages, the
// factory's own checks, and that the loader it builds draws exactly PyTorch 1.13's batches (the
// loader goldens of tests/golden/gen_data.py), with or without workers.

#include "data/config_error.h"
#include "data/dataloader_iterator.h"
#include "data/loader_config_json.h"
#include "data/loader_factory.h"
#include "data_golden.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;
using nlohmann::json;
using test::GoldenFile;

Q_DECLARE_METATYPE(nnscope::data::DataLoaderConfig)

namespace {

// The field and message of the ConfigError fn throws ("<no error>" / "<other: ...>" else).
std::pair<std::string, std::string> configError(const std::function<void()>& fn,
                                                ConfigError::Kind* kind = nullptr) {
    try {
        fn();
    } catch (const ConfigError& e) {
        if (kind) *kind = e.kind();
        return {e.field(), e.what()};
    } catch (const std::exception& e) {
        return {"<other>", e.what()};
    }
    return {"<none>", "<no error>"};
}

DataLoaderConfig withSampler(SamplerConfig s) {
    DataLoaderConfig c;
    c.dataset = "range:25";
    c.batch_size = 4;
    c.sampler = std::move(s);
    return c;
}

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
    void roundTrip_data() {
        QTest::addColumn<DataLoaderConfig>("config");
        QTest::newRow("defaults") << DataLoaderConfig{};
        DataLoaderConfig c;
        c.dataset = "fashion-mnist";
        c.test_split = true;
        c.batch_size.reset();
        c.num_workers = 3;
        c.pin_memory = true;
        c.timeout = 2.5;
        c.generator_seed = (std::uint64_t{1} << 63) + 5;
        c.prefetch_factor = 4;
        c.persistent_workers = true;
        c.transform = "Compose([RandomCrop(28, padding=4), ToTensor()])";
        c.epochs = 3;
        QTest::newRow("every loader argument") << c;
        QTest::newRow("sequential") << withSampler(SequentialSamplerArgs{});
        QTest::newRow("random") << withSampler(RandomSamplerArgs{true, 30});
        SubsetRandomSamplerArgs indices, range;
        indices.indices = std::vector<std::int64_t>{3, 1, 4};
        range.range = std::pair<std::int64_t, std::int64_t>{5, 17};
        QTest::newRow("subset indices") << withSampler(indices);
        QTest::newRow("subset range") << withSampler(range);
        for (auto kind : {SampleWeights::Kind::ClassBalanced, SampleWeights::Kind::PerSample,
                          SampleWeights::Kind::PerClass, SampleWeights::Kind::Listed}) {
            const std::vector<double> v = kind == SampleWeights::Kind::ClassBalanced
                                              ? std::vector<double>{}
                                              : std::vector<double>{0.5, 2, 1};
            QTest::newRow(("weighted " + std::to_string(static_cast<int>(kind))).c_str())
                << withSampler(WeightedSamplerArgs{{kind, v}, 7, false});
        }
        QTest::newRow("distributed")
            << withSampler(DistributedSamplerArgs{4, 3, false, 9, true, 2});
        DataLoaderConfig b;
        b.batch_sampler = BatchSamplerArgs{5, true};
        b.sampler = RandomSamplerArgs{};
        QTest::newRow("batch sampler") << b;
        DataLoaderConfig text;
        text.dataset = "ag-news:/data";
        text.collate_fn = CollateChoice::Offsets;
        QTest::newRow("offsets") << text;
        text.collate_fn = CollateChoice::Padding;
        QTest::newRow("padding") << text;
    }
    void roundTrip() {
        QFETCH(DataLoaderConfig, config);
        const std::string text = loader_config_to_json(config).dump(2);
        const DataLoaderConfig back = loader_config_from_json(json::parse(text));
        QVERIFY2(back == config, text.c_str());
        // nlohmann's own conversions go the same way.
        const json j = config;
        QVERIFY(j.get<DataLoaderConfig>() == config);
    }

    void jsonNamesPyTorchArguments() {
        DataLoaderConfig c = withSampler(WeightedSamplerArgs{{}, 20, true});
        c.generator_seed = 5;
        const auto j = loader_config_to_json(c);
        QCOMPARE(j.dump(),
                 std::string(R"({"dataset":"range:25","split":"train","batch_size":4,)"
                             R"("shuffle":false,"sampler":{"kind":"weighted","weights":)"
                             R"("class-balanced","num_samples":20,"replacement":true},)"
                             R"("batch_sampler":null,"drop_last":false,"num_workers":0,)"
                             R"("collate_fn":"default","pin_memory":false,"timeout":0.0,)"
                             R"("generator":5,"prefetch_factor":2,"persistent_workers":false,)"
                             R"("transform":"","epochs":1})"));
        // Missing keys keep their defaults; a sampler without arguments may be its name.
        QVERIFY(loader_config_from_json(json::object()) == DataLoaderConfig{});
        const auto s = loader_config_from_json(json::parse(R"({"sampler": "sequential"})"));
        QVERIFY(std::holds_alternative<SequentialSamplerArgs>(s.sampler));
    }

    void readingErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an object") << "[1]"
                                       << "config"
                                       << "config expects an object (a DataLoader configuration), "
                                          "got [1]";
        QTest::newRow("unknown key")
            << R"({"batchsize": 4})"
            << "batchsize"
            << "unknown key 'batchsize' (known: batch_sampler, batch_size, collate_fn";
        QTest::newRow("batch_size text") << R"({"batch_size": "4"})"
                                         << "batch_size"
                                         << R"(batch_size expects an integer, got "4")";
        QTest::newRow("shuffle number") << R"({"shuffle": 1})"
                                        << "shuffle"
                                        << "shuffle expects true or false, got 1";
        QTest::newRow("split") << R"({"split": "valid"})"
                               << "split"
                               << R"(split expects "train" or "test", got "valid")";
        QTest::newRow("generator negative") << R"({"generator": -1})"
                                            << "generator"
                                            << "generator expects a non-negative integer, got -1";
        QTest::newRow("num_workers huge") << R"({"num_workers": 9999999999})"
                                          << "num_workers"
                                          << "num_workers expects a 32-bit integer, got 9999999999";
        QTest::newRow("collate")
            << R"({"collate_fn": "stack"})"
            << "collate_fn"
            << R"(collate_fn expects "default", "padding" or "offsets", got "stack")";
        QTest::newRow("sampler kind") << R"({"sampler": {"kind": "shuffled"}})"
                                      << "sampler.kind"
                                      << "kind expects default, sequential, random, "
                                         "subset-random, weighted or distributed, got \"shuffled\"";
        QTest::newRow("sampler key of another kind")
            << R"({"sampler": {"kind": "random", "rank": 1}})"
            << "sampler.rank"
            << "unknown key 'sampler.rank' (known: kind, num_samples, replacement)";
        QTest::newRow("num_samples text")
            << R"({"sampler": {"kind": "random", "num_samples": "x"}})"
            << "sampler.num_samples"
            << R"(num_samples expects an integer, got "x")";
        QTest::newRow("range of three")
            << R"({"sampler": {"kind": "subset-random", "range": [1, 2, 3]}})"
            << "sampler.range"
            << "range expects [begin, end], got [1,2,3]";
        QTest::newRow("indices of text")
            << R"({"sampler": {"kind": "subset-random", "indices": ["a"]}})"
            << "sampler.indices"
            << R"(indices expects an integer, got "a")";
        QTest::newRow("weights") << R"({"sampler": {"kind": "weighted", "weights": "balanced"}})"
                                 << "sampler.weights"
                                 << R"(weights expects "class-balanced", a list,)";
        QTest::newRow("weights of text")
            << R"({"sampler": {"kind": "weighted", "weights": [1, "x"]}})"
            << "sampler.weights"
            << R"(weights expects a number, got "x")";
        QTest::newRow("batch_sampler key") << R"({"batch_sampler": {"size": 3}})"
                                           << "batch_sampler.size"
                                           << "unknown key 'batch_sampler.size'";
        QTest::newRow("rule after reading") << R"({"sampler": "random", "shuffle": true})"
                                            << "sampler"
                                            << "sampler option is mutually exclusive with shuffle";
    }
    void readingErrors() {
        QFETCH(QString, text);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const auto [f, m] =
            configError([&] { loader_config_from_json(json::parse(text.toStdString())); });
        QCOMPARE(QString::fromStdString(f), field);
        QVERIFY2(QString::fromStdString(m).startsWith(message), m.c_str());
    }

    void pytorchRules_data() {
        QTest::addColumn<DataLoaderConfig>("config");
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("rule");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, DataLoaderConfig c, const char* field, bool rule,
                      const char* message) {
            QTest::newRow(name) << c << field << rule << message;
        };
        DataLoaderConfig c;
        c.num_workers = -1;
        row("num_workers", c, "num_workers", true,
            "num_workers option should be non-negative; use num_workers=0 to disable "
            "multiprocessing.");
        c = {};
        c.timeout = -1;
        row("timeout", c, "timeout", true, "timeout option should be non-negative");
        c = {};
        c.prefetch_factor = 4;
        row("prefetch without workers", c, "prefetch_factor", true,
            "prefetch_factor option could only be specified in multiprocessing.let num_workers > "
            "0 to enable multiprocessing.");
        c.num_workers = 2;
        c.prefetch_factor = 0;
        row("prefetch 0", c, "prefetch_factor", true, "prefetch_factor should be positive, got 0");
        c = {};
        c.persistent_workers = true;
        row("persistent", c, "persistent_workers", true,
            "persistent_workers option needs num_workers > 0");
        c = withSampler(RandomSamplerArgs{});
        c.shuffle = true;
        row("sampler and shuffle", c, "sampler", true,
            "sampler option is mutually exclusive with shuffle");
        c = {};
        c.batch_sampler = BatchSamplerArgs{3, false};
        c.batch_size = 4;
        row("batch_sampler and batch_size", c, "batch_sampler", true,
            "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
            "drop_last");
        c.batch_size = 1;
        c.drop_last = true;
        row("batch_sampler and drop_last", c, "batch_sampler", true,
            "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
            "drop_last");
        c = {};
        c.batch_size.reset();
        c.drop_last = true;
        row("None and drop_last", c, "drop_last", true,
            "batch_size=None option disables auto-batching and is mutually exclusive with "
            "drop_last");
        c = {};
        c.batch_size = 0;
        row("batch_size 0", c, "batch_size", true,
            "batch_size should be a positive integer value, but got batch_size=0");
        c = {};
        c.batch_sampler = BatchSamplerArgs{-2, false};
        row("batch_sampler size", c, "batch_sampler.batch_size", true,
            "batch_size should be a positive integer value, but got batch_size=-2");
        row("random num_samples", withSampler(RandomSamplerArgs{false, 0}), "sampler.num_samples",
            true, "num_samples should be a positive integer value, but got num_samples=0");
        row("weighted num_samples", withSampler(WeightedSamplerArgs{{}, -3, true}),
            "sampler.num_samples", true,
            "num_samples should be a positive integer value, but got num_samples=-3");
        row("rank", withSampler(DistributedSamplerArgs{4, 5}), "sampler.rank", true,
            "Invalid rank 5, rank should be in the interval [0, 3]");
        row("negative rank", withSampler(DistributedSamplerArgs{4, -1}), "sampler.rank", true,
            "Invalid rank -1, rank should be in the interval [0, 3]");
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
        QTest::newRow("subset index") << withSampler(out) << "sampler.indices"
                                      << "subset index 25 is out of range for a data set of 25 "
                                         "samples";
        SubsetRandomSamplerArgs range;
        range.range = std::pair<std::int64_t, std::int64_t>{-1, 3};
        QTest::newRow("subset range") << withSampler(range) << "sampler.range"
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
                                  << "sampler.weights"
                                  << "multinomial: probability tensor contains either `inf`, "
                                     "`nan` or element < 0";
        QTest::newRow("all zero") << weighted(SampleWeights::Kind::PerSample,
                                              std::vector<double>(25, 0.0))
                                  << "sampler.weights"
                                  << "multinomial: invalid multinomial distribution (sum of "
                                     "probabilities <= 0)";
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
