// The JSON form of data::DataLoaderConfig: round trip of every sampler and argument, PyTorch's
// argument names, defaults for missing keys, and every reading error naming the field and the
// value.

#include "data/loader_config_json.h"
#include "loader_config_test.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;
using namespace nnscope::test;
using nlohmann::json;

class TestLoaderConfigJson : public QObject {
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
        c.worker_init_fn = WorkerInitChoice::SeedNumpy;
        QTest::newRow("every loader argument") << c;
        SubsetArgs listed, from_to;
        listed.indices = std::vector<std::int64_t>{29, 3, 3, 0};
        from_to.range = std::pair<std::int64_t, std::int64_t>{5, 23};
        c.part = listed;
        QTest::newRow("part indices") << c;
        c.part = from_to;
        QTest::newRow("part range") << c;
        c.part = RandomSplitArgs{{0.8, 0.2}, 42, 1};
        QTest::newRow("random_split fractions") << c;
        c.part = RandomSplitArgs{{0.1, 0.30000000000000004, 0.6}, (std::uint64_t{1} << 63) + 1, 2};
        QTest::newRow("random_split exact doubles") << c;
        c.part = RandomSplitArgs{{10, 5, 15}, 0, 0};
        QTest::newRow("random_split counts") << c;
        QTest::newRow("sequential") << withSampler(SequentialSamplerArgs{});
        QTest::newRow("random") << withSampler(RandomSamplerArgs{true, 30});
        SubsetRandomSamplerArgs indices, range; // the sampler's own subset
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
        QCOMPARE(
            j.dump(),
            std::string(
                R"({"dataset":"range:25","split":"train","subset":null,"batch_size":4,)"
                R"("shuffle":false,"sampler":{"kind":"weighted","weights":)"
                R"("class-balanced","num_samples":20,"replacement":true},)"
                R"("batch_sampler":null,"drop_last":false,"num_workers":0,)"
                R"("collate_fn":"default","pin_memory":false,"timeout":0.0,"worker_init_fn":"none",)"
                R"("generator":5,"prefetch_factor":2,"persistent_workers":false,)"
                R"("transform":"","epochs":1})"));
        // Missing keys keep their defaults; a sampler without arguments may be its name.
        QVERIFY(loader_config_from_json(json::object()) == DataLoaderConfig{});
        const auto s = loader_config_from_json(json::parse(R"({"sampler": "sequential"})"));
        QVERIFY(std::holds_alternative<SequentialSamplerArgs>(s.sampler));
        // The dataset part as loader_config_json.h's example writes it; counts stay integers.
        DataLoaderConfig p;
        p.part = RandomSplitArgs{{8, 2}, 42, 0};
        QCOMPARE(loader_config_to_json(p)["subset"].dump(),
                 std::string(R"({"random_split":{"lengths":[8,2],"seed":42,"part":0}})"));
        p.part = RandomSplitArgs{{0.8, 0.2}, 42, 0};
        QCOMPARE(loader_config_to_json(p)["subset"].dump(),
                 std::string(R"({"random_split":{"lengths":[0.8,0.2],"seed":42,"part":0}})"));
        const auto read = loader_config_from_json(
            json::parse(R"({"subset": {"range": [2, 5]}, "worker_init_fn": "seed-numpy"})"));
        QCOMPARE(std::get<SubsetArgs>(read.part).range,
                 (std::optional<std::pair<std::int64_t, std::int64_t>>{{2, 5}}));
        QVERIFY(read.worker_init_fn == WorkerInitChoice::SeedNumpy);
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
        QTest::newRow("subset key")
            << R"({"subset": {"indexes": [1]}})"
            << "subset.indexes"
            << "unknown key 'subset.indexes' (known: indices, random_split, "
               "range)";
        QTest::newRow("subset not an object")
            << R"({"subset": [1, 2]})"
            << "subset"
            << R"(subset expects an object ({"indices": [...]}, {"range": [begin, end]} or )";
        QTest::newRow("subset indices of text") << R"({"subset": {"indices": [1, "2"]}})"
                                                << "subset.indices"
                                                << R"(indices expects an integer, got "2")";
        QTest::newRow("subset range of one") << R"({"subset": {"range": [4]}})"
                                             << "subset.range"
                                             << "range expects [begin, end], got [4]";
        QTest::newRow("random_split beside indices")
            << R"({"subset": {"random_split": {"lengths": [1]}, "indices": [1]}})"
            << "subset.indices"
            << "unknown key 'subset.indices' (known: random_split)";
        QTest::newRow("random_split key")
            << R"({"subset": {"random_split": {"lengths": [1], "generator": 3}}})"
            << "subset.random_split.generator"
            << "unknown key 'subset.random_split.generator' (known: lengths, part, seed)";
        QTest::newRow("random_split lengths")
            << R"({"subset": {"random_split": {"lengths": "0.8,0.2"}}})"
            << "subset.random_split.lengths"
            << R"(lengths expects a list, got "0.8,0.2")";
        QTest::newRow("random_split seed")
            << R"({"subset": {"random_split": {"lengths": [1], "seed": -4}}})"
            << "subset.random_split.seed"
            << "seed expects a non-negative integer, got -4";
        QTest::newRow("random_split part") << R"({"subset": {"random_split": {"lengths": [1], )"
                                              R"("part": 1.5}}})"
                                           << "subset.random_split.part"
                                           << "part expects an integer, got 1.5";
        QTest::newRow("worker_init_fn") << R"({"worker_init_fn": "seed-random"})"
                                        << "worker_init_fn"
                                        << R"(worker_init_fn expects "none" or "seed-numpy", got )"
                                           R"("seed-random")";
        QTest::newRow("worker_init_fn type") << R"({"worker_init_fn": null})"
                                             << "worker_init_fn"
                                             << "worker_init_fn expects a string, got null";
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
};

QTEST_GUILESS_MAIN(TestLoaderConfigJson)
#include "tst_loader_config_json.moc"
