// Samplers against PyTorch 1.13: the same indices bit for bit for the same seed, lengths,
// generator consumption and argument errors. Goldens: tests/golden/gen_data.py.

#include "data/batch_sampler.h"
#include "data/distributed_sampler.h"
#include "data/random_sampler.h"
#include "data/sequential_sampler.h"
#include "data/subset_random_sampler.h"
#include "data/weighted_random_sampler.h"
#include "data_golden.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;
using nnscope::test::errorOf;
using nnscope::test::GoldenFile;

class TestSamplers : public QObject {
    Q_OBJECT

private slots:
    void goldenCases() {
        const GoldenFile file("data/samplers.safetensors");
        const auto cases = test::casesOf(file);
        QVERIFY(cases.size() > 200);
        for (const auto& c : cases) {
            const std::string name = c["name"];
            const std::string kind = c["kind"];
            auto gen = test::generatorOf(c);
            std::vector<std::int64_t> got, lengths;
            auto run_epoch = [&](Sampler& s) {
                const auto idx = s.indices();
                QCOMPARE(static_cast<std::int64_t>(idx.size()), s.size());
                got.insert(got.end(), idx.begin(), idx.end());
                lengths.push_back(static_cast<std::int64_t>(idx.size()));
            };
            if (kind == "random") {
                std::optional<std::int64_t> ns;
                if (!c["num_samples"].is_null()) ns = c["num_samples"].get<std::int64_t>();
                RandomSampler s(c["n"], c["replacement"], ns, gen);
                for (int e = 0; e < 2; ++e)
                    run_epoch(s);
            } else if (kind == "subset") {
                SubsetRandomSampler s(c["indices"].get<std::vector<std::int64_t>>(), gen);
                for (int e = 0; e < 2; ++e)
                    run_epoch(s);
            } else if (kind == "weighted") {
                WeightedRandomSampler s(c["weights"].get<std::vector<double>>(), c["num_samples"],
                                        c["replacement"], gen);
                for (int e = 0; e < 2; ++e)
                    run_epoch(s);
            } else if (kind == "distributed") {
                DistributedSampler s(c["n"], c["num_replicas"], c["rank"], c["shuffle"],
                                     std::stoll(c["seed"].get<std::string>()), c["drop_last"]);
                for (int e = 0; e < 2; ++e) {
                    s.set_epoch(e);
                    run_epoch(s);
                }
            } else if (kind == "batch") {
                BatchSampler s(std::make_shared<SequentialSampler>(c["n"]), c["batch_size"],
                               c["drop_last"]);
                const auto batches = s.batches();
                QCOMPARE(static_cast<std::int64_t>(batches.size()), s.size());
                for (const auto& b : batches) {
                    got.insert(got.end(), b.begin(), b.end());
                    lengths.push_back(static_cast<std::int64_t>(b.size()));
                }
            } else {
                QFAIL(("unknown case kind " + kind).c_str());
            }
            if (got != test::goldenInts(file, name + "/indices"))
                QFAIL(qPrintable(QString::fromStdString("indices differ in " + c.dump())));
            QCOMPARE(lengths, test::goldenInts(file, name + "/lengths"));
            if (test::afterDraws(gen) != test::goldenInts(file, name + "/after"))
                QFAIL(qPrintable(QString::fromStdString("generator use differs in " + c.dump())));
        }
    }

    void lengths() {
        QCOMPARE(SequentialSampler(7).size(), 7);
        QCOMPARE(RandomSampler(7).size(), 7);
        QCOMPARE(RandomSampler(7, true, 100).size(), 100);
        QCOMPARE(SubsetRandomSampler({4, 5, 6}).size(), 3);
        QCOMPARE(WeightedRandomSampler({1, 2}, 9).size(), 9);
        // ceil(10 / 4) = 3 with padding; ceil((10 - 4) / 4) = 2 with drop_last.
        QCOMPARE(DistributedSampler(10, 4, 0).size(), 3);
        QCOMPARE(DistributedSampler(10, 4, 0, true, 0, true).size(), 2);
        QCOMPARE(BatchSampler(std::make_shared<SequentialSampler>(10), 3, false).size(), 4);
        QCOMPARE(BatchSampler(std::make_shared<SequentialSampler>(10), 3, true).size(), 3);
    }

    void distributedPadsByRepetition() {
        // 3 samples over 8 replicas: the list 0, 1, 2 repeats from its start (no shuffle).
        std::vector<std::int64_t> seen;
        for (int rank = 0; rank < 8; ++rank) {
            const auto idx = DistributedSampler(3, 8, rank, false).indices();
            QCOMPARE(idx.size(), std::size_t{1});
            seen.push_back(idx[0]);
        }
        QCOMPARE(seen, (std::vector<std::int64_t>{0, 1, 2, 0, 1, 2, 0, 1}));
    }

    void argumentErrors() {
        QCOMPARE(errorOf([] { RandomSampler(0); }),
                 QStringLiteral("num_samples should be a positive integer value, but got "
                                "num_samples=0"));
        QCOMPARE(errorOf([] { RandomSampler(5, true, -3); }),
                 QStringLiteral("num_samples should be a positive integer value, but got "
                                "num_samples=-3"));
        QCOMPARE(errorOf([] { WeightedRandomSampler({1.0}, 0); }),
                 QStringLiteral("num_samples should be a positive integer value, but got "
                                "num_samples=0"));
        QCOMPARE(errorOf([] { DistributedSampler(10, 4, 5); }),
                 QStringLiteral("Invalid rank 5, rank should be in the interval [0, 3]"));
        QCOMPARE(errorOf([] { DistributedSampler(10, 4, -1); }),
                 QStringLiteral("Invalid rank -1, rank should be in the interval [0, 3]"));
        QCOMPARE(errorOf([] { BatchSampler(std::make_shared<SequentialSampler>(3), 0, false); }),
                 QStringLiteral("batch_size should be a positive integer value, but got "
                                "batch_size=0"));
        // Drawing more than there are without replacement is torch.multinomial's error.
        QVERIFY(errorOf([] {
                    WeightedRandomSampler({1.0, 2.0}, 3, false).indices();
                }).contains(QStringLiteral("cannot sample n_sample > prob_dist.size(-1)")));
        QVERIFY(errorOf([] {
                    RandomSampler(0, true, 4).indices();
                }).contains(QStringLiteral("random_ expects 'from' to be less than 'to'")));
    }
};

QTEST_GUILESS_MAIN(TestSamplers)
#include "tst_samplers.moc"
