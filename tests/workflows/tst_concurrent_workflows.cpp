// Two workflows at once draw what each draws alone: a training run (init, shuffling, a random
// transform on the main thread) and a DataLoader-lab simulation (a shuffled loader and a random
// sampler, neither with a generator of its own) run in two threads, while the test thread draws
// from the process-wide default generator, and give bit for bit the losses, weights and batches
// that each gives run alone. Each workflow makes its own generator the default on its thread
// (DefaultGeneratorScope); without that, all three would share one stream and this test fails.

#include "data/loader_config.h"
#include "engine/random.h"
#include "workflows/learnable_data.h"
#include "workflows/loader_simulation.h"
#include "workflows/training_run.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

struct TrainingRecord {
    std::vector<double> losses;
    std::vector<double> weights; // every parameter after training, in order
    double accuracy = 0;
    bool operator==(const TrainingRecord&) const = default;
};

TrainingRecord train(const TrainingConfig& config) {
    TrainingRun run(config);
    TrainingRecord r;
    run.on_batch = [&](const BatchResult& b) { r.losses.push_back(b.loss); };
    while (run.run_epoch()) {
    }
    r.accuracy = run.evaluate().accuracy;
    for (const auto& p : run.model().parameters()) {
        const auto values = p.to_vector();
        r.weights.insert(r.weights.end(), values.begin(), values.end());
    }
    return r;
}

std::vector<std::int64_t> simulate(const data::DataLoaderConfig& config) {
    LoaderSimulation simulation(config);
    std::vector<std::int64_t> drawn;
    simulation.on_batch = [&](const LoaderBatch& b) {
        drawn.insert(drawn.end(), b.indices.begin(), b.indices.end());
    };
    simulation.run();
    return drawn;
}

} // namespace

class TestConcurrentWorkflows : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    TrainingConfig training_;
    data::DataLoaderConfig shuffled_, sampled_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
        training_.model = "mlp";
        training_.loader.dataset = "mnist:" + dir_.filePath("idx").toStdString();
        limit_samples(training_, 96);
        training_.loader.batch_size = 16;
        training_.loader.epochs = 2;
        training_.seed = 5;
        training_.loader.transform = "RandomCrop(28, padding=3)";
        shuffled_.dataset = "range:500";
        shuffled_.batch_size = 7;
        shuffled_.shuffle = true;
        shuffled_.epochs = 3;
        sampled_ = shuffled_;
        sampled_.shuffle = false;
        sampled_.sampler = data::RandomSamplerArgs{true, 300};
    }

    void eachAloneIsRepeatable() {
        QCOMPARE(train(training_), train(training_));
        QCOMPARE(simulate(shuffled_), simulate(shuffled_));
        // Not vacuous: the shuffled loader and the sampler do draw.
        QVERIFY(simulate(shuffled_) != simulate(sampled_));
        auto sequential = shuffled_;
        sequential.shuffle = false;
        QVERIFY(simulate(sequential) != simulate(shuffled_));
    }

    void atOnceEqualsOneAfterTheOther() {
        const TrainingRecord trained = train(training_);
        const auto shuffled = simulate(shuffled_);
        const auto sampled = simulate(sampled_);
        QVERIFY(!trained.losses.empty());
        for (int round = 0; round < 3; ++round) {
            std::atomic<bool> done{false};
            TrainingRecord trained_at_once;
            std::vector<std::int64_t> shuffled_at_once, sampled_at_once;
            std::thread a([&] { trained_at_once = train(training_); });
            std::thread b([&] {
                shuffled_at_once = simulate(shuffled_);
                sampled_at_once = simulate(sampled_);
            });
            std::thread noise([&] {
                // Someone else drawing from the process-wide default meanwhile.
                while (!done)
                    rand({64}, default_generator());
            });
            a.join();
            b.join();
            done = true;
            noise.join();
            QCOMPARE(trained_at_once, trained);
            QCOMPARE(shuffled_at_once, shuffled);
            QCOMPARE(sampled_at_once, sampled);
        }
    }

    // The process-wide default is neither read nor advanced by a workflow.
    void theProcessDefaultIsUntouched() {
        manual_seed(11);
        const auto expected = rand({8}, default_generator()).to_vector();
        manual_seed(11);
        train(training_);
        simulate(shuffled_);
        QCOMPARE(rand({8}, default_generator()).to_vector(), expected);
    }
};

QTEST_GUILESS_MAIN(TestConcurrentWorkflows)
#include "tst_concurrent_workflows.moc"
