// workflows::TrainingRun on small learnable data sets (learnable_data.h): the same numbers as
// `nnscope-cli train` gave before the training moved out of it (read from main's binary on these
// very files: regression pins that the move changed nothing, not PyTorch's values; PyTorch
// parity of the training step is checked op by op by the goldens and end to end by
// bench/train.sh), step by step, observers in order, cancellation between batches, evaluate() on a
// few samples, saving, the seeding rules, and every configuration error naming its field.

#include "data/config_error.h"
#include "data/text/ag_news.h"
#include "data/text/vocab_metadata.h"
#include "engine/generator.h"
#include "workflows/learnable_data.h"
#include "workflows/learnable_training.h"
#include "workflows/training_run.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace nnscope;
using namespace nnscope::workflows;

Q_DECLARE_METATYPE(nnscope::workflows::TrainingConfig)

// A float32 training trajectory against the value the CLI printed (in an optimised build): equal
// to 1e-6 relative. The ASan preset builds at -O1, where the compiler keeps some float sums in
// another order, and after a few hundred steps the losses differ in the eighth digit.
#define COMPARE_LOSS(actual, expected)                                                             \
    do {                                                                                           \
        const double a_ = (actual), e_ = (expected);                                               \
        QVERIFY2(                                                                                  \
            std::abs(a_ - e_) <= 1e-6 * std::abs(e_),                                              \
            qPrintable(QString::number(a_, 'g', 17) + " vs " + QString::number(e_, 'g', 17)));     \
    } while (false)

namespace {

// Every epoch, then the test split.
Evaluation trainFully(TrainingRun& run) {
    while (run.run_epoch()) {
    }
    return run.evaluate();
}

} // namespace

class TestTrainingRun : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string images_, news_;

    TrainingConfig mlp(std::int64_t limit, std::int64_t batch_size, std::uint64_t seed) const {
        return test::learnable_mlp(images_, limit, batch_size, seed);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
        images_ = dir_.filePath("idx").toStdString();
        news_ = dir_.filePath("news").toStdString();
    }

    // `train --model mlp --limit 16 --batch-size 16 --seed 7`: one batch, so its loss is the
    // CLI's train_loss.
    void firstStepMatchesTheCli() {
        TrainingRun run(mlp(16, 16, 7));
        QCOMPARE(run.batches_per_epoch(), std::int64_t{1});
        const auto step = run.step();
        QVERIFY(step.has_value());
        COMPARE_LOSS(step->loss, 2.3236212730407715);
        QCOMPARE(step->samples, std::int64_t{16});
        QVERIFY(run.finished());
        QVERIFY(!run.step().has_value());
        const Evaluation e = run.evaluate();
        COMPARE_LOSS(e.loss, 2.248843193054199);
        QCOMPARE(e.accuracy, 0.4375);
        QCOMPARE(e.samples, std::int64_t{16});
    }

    // `train --model mlp --epochs 2 --batch-size 32 --lr 0.05 --momentum 0.9 --seed 1`.
    void mlpLearnsAsTheCliDid() {
        TrainingConfig c = mlp(256, 32, 1);
        c.loader.part = std::monostate{};
        c.eval_limit.reset();
        c.loader.epochs = 2;
        c.optimizer.lr = 0.05;
        c.optimizer.momentum = 0.9;
        TrainingRun run(c);
        std::optional<EpochResult> last;
        while (auto e = run.run_epoch())
            last = e;
        QVERIFY(last.has_value());
        QCOMPARE(last->epoch, std::int64_t{1});
        QCOMPARE(last->batches, std::int64_t{8});
        COMPARE_LOSS(last->mean_loss, 0.9135511666536331);
        const Evaluation e = run.evaluate();
        COMPARE_LOSS(e.loss, 0.17476731538772583);
        QCOMPARE(e.accuracy, 1.0); // chance is 0.25
        QCOMPARE(run.trained_samples(), std::int64_t{512});
        QVERIFY(run.train_seconds() > 0);
        // Every step's time falls in one of the six phases, and the phases are inside the
        // epochs' wall time (which also holds the epochs' ends); each phase did some work.
        const PhaseSeconds& ph = run.phase_seconds();
        for (double phase : {ph.data, ph.zero_grad, ph.forward, ph.loss, ph.backward, ph.step})
            QVERIFY(phase > 0);
        QVERIFY(ph.total() <= run.train_seconds());

        // The saved file holds the trained weights, not the seeded init, and trains further.
        const std::string out = dir_.filePath("mlp.safetensors").toStdString();
        run.save(out, {{"nnscope.training", "{}"}});
        const io::NativeModel saved = io::load_native_model(out);
        QCOMPARE(saved.loaded_keys.size(), std::size_t{6});
        QVERIFY(saved.initialised_keys.empty());
        QCOMPARE(saved.seed, std::uint64_t{1});
        QCOMPARE(saved.metadata.at("nnscope.training"), std::string("{}"));
        const io::NativeModel init = io::build_native_model(saved.architecture, 1);
        QVERIFY(saved.module->state_dict().at("1.weight").to_vector() !=
                init.module->state_dict().at("1.weight").to_vector());
        TrainingConfig again = mlp(64, 64, 0);
        again.model = out;
        TrainingRun more(again);
        QVERIFY(trainFully(more).accuracy > 0.5);
    }

    // `train --model cnn --limit 64 --batch-size 16 --optimizer adam --seed 2`.
    void cnnWithAdamAsTheCliDid() {
        TrainingConfig c = mlp(64, 16, 2);
        c.model = "cnn";
        c.optimizer.name = "adam";
        c.optimizer.lr = default_learning_rate("adam");
        TrainingRun run(c);
        COMPARE_LOSS(run.run_epoch()->mean_loss, 2.182801067829132);
        COMPARE_LOSS(run.evaluate().loss, 1.8900275230407715);
    }

    // `train --model textcls --dataset ag-news --epochs 5 --batch-size 16 --lr 5`.
    void textClassifierAsTheCliDid() {
        TrainingConfig c;
        c.model = "textcls";
        c.loader.dataset = "ag-news:" + news_;
        c.loader.epochs = 5;
        c.loader.batch_size = 16;
        c.optimizer.lr = 5;
        TrainingRun run(c);
        QCOMPARE(run.data().vocab->size(), std::int64_t{20});
        std::optional<EpochResult> last;
        while (auto e = run.run_epoch())
            last = e;
        COMPARE_LOSS(last->mean_loss, 0.011507562070619315);
        const Evaluation e = run.evaluate();
        COMPARE_LOSS(e.loss, 0.012214431539177895);
        QCOMPARE(e.samples, std::int64_t{64});

        // The file keeps the vocabulary its ids come from (<unk>, <pad>, tokens by frequency),
        // and a later run on fewer rows tokenizes with it.
        const std::string out = dir_.filePath("textcls.safetensors").toStdString();
        run.save(out, {});
        const io::NativeModel saved = io::load_native_model(out);
        QCOMPARE(saved.module->state_dict().at("fc.weight").shape(), (Shape{4, 64}));
        const std::optional<data::Vocab> vocab = data::read_vocab_metadata(saved.metadata);
        QVERIFY(vocab.has_value());
        QCOMPARE(vocab->itos(), data::build_text_vocab(*data::open_ag_news(news_).train).itos());
        QCOMPARE(vocab->lookup_token(0), std::string("<unk>"));
        QCOMPARE(saved.metadata.at("nnscope.tokenizer"), std::string("basic_english"));
        TrainingConfig again = c;
        again.model = out;
        limit_samples(again, 8);
        again.loader.epochs = 1;
        TrainingRun more(again);
        QCOMPARE(more.data().vocab->size(), std::int64_t{20});
    }

    void workersDoNotChangeTheRun() {
        // One after the other: without a generator of its own, a run's model init and its
        // shuffling both draw from the default generator, as the script does.
        auto run = [&](int workers) {
            TrainingConfig c = mlp(96, 16, 7);
            c.loader.num_workers = workers;
            TrainingRun r(c);
            const double train = r.run_epoch()->mean_loss;
            return std::pair{train, r.evaluate().loss};
        };
        QCOMPARE(run(2), run(0));
    }

    // A flip that never fires (p=0 still draws, after the sampler seeded itself) changes
    // nothing; one that always fires does. The test split is never transformed.
    void transformAppliesToTrainingImages() {
        auto loss = [&](const std::string& transform) {
            TrainingConfig c = mlp(64, 16, 0);
            c.loader.transform = transform;
            TrainingRun run(c);
            return std::pair{run.run_epoch()->mean_loss, run.evaluate().samples};
        };
        const auto plain = loss("");
        QCOMPARE(loss("RandomHorizontalFlip(0.0)"), plain);
        const auto flipped = loss("Compose([RandomHorizontalFlip(1.0), RandomCrop(28)])");
        QVERIFY(flipped.first != plain.first);
        QCOMPARE(flipped.second, std::int64_t{64});
    }

    void observersFireInOrder() {
        TrainingConfig c = mlp(48, 16, 3);
        c.loader.epochs = 2;
        TrainingRun run(c);
        QStringList events;
        double sum = 0;
        run.on_batch = [&](const BatchResult& b) {
            events << QStringLiteral("batch %1.%2").arg(b.epoch).arg(b.batch);
            sum += b.loss;
        };
        run.on_epoch = [&](const EpochResult& e) {
            events << QStringLiteral("epoch %1 (%2 batches)").arg(e.epoch).arg(e.batches);
            if (e.epoch == 0) QCOMPARE(e.mean_loss, sum / 3);
        };
        run.on_evaluation = [&](const Evaluation& e) {
            events << QStringLiteral("evaluation of %1").arg(e.samples);
        };
        QCOMPARE(trainFully(run).samples, std::int64_t{48});
        QCOMPARE(events, (QStringList{"batch 0.0", "batch 0.1", "batch 0.2", "epoch 0 (3 batches)",
                                      "batch 1.0", "batch 1.1", "batch 1.2", "epoch 1 (3 batches)",
                                      "evaluation of 48"}));
    }

    // Cancelling stops between batches; the run resumes where it stopped, with the same result
    // as a run that was never interrupted.
    void cancelStopsBetweenBatches() {
        TrainingRun whole(mlp(64, 16, 5));
        const double expected = whole.run_epoch()->mean_loss;

        TrainingRun run(mlp(64, 16, 5));
        int batches = 0;
        run.on_batch = [&](const BatchResult&) { ++batches; };
        run.cancelled = [&] { return batches == 2; };
        QVERIFY(!run.run_epoch().has_value());
        QCOMPARE(batches, 2);
        QCOMPARE(run.trained_samples(), std::int64_t{32});
        QCOMPARE(run.epoch(), std::int64_t{0});
        run.cancelled = {};
        const auto rest = run.run_epoch();
        QVERIFY(rest.has_value());
        QCOMPARE(rest->batches, std::int64_t{4});
        QCOMPARE(rest->mean_loss, expected);
        QVERIFY(run.finished());
        QVERIFY(!run.run_epoch().has_value());
    }

    void evaluateOnAFewSamples() {
        TrainingRun run(mlp(96, 32, 0));
        const Evaluation five = run.evaluate(5);
        QCOMPARE(five.samples, std::int64_t{5});
        QVERIFY(five.complete);
        const double correct = five.accuracy * 5;
        QCOMPARE(correct, std::round(correct));
        QVERIFY(five.loss > 0);
        // The first five samples of the whole evaluation, seen alone.
        QCOMPARE(run.evaluate(96).samples, std::int64_t{96});
        QCOMPARE(run.evaluate(5).loss, five.loss);
        // Its one batch (of up to 1000) is done before the cancel check between batches.
        TrainingConfig c = mlp(96, 32, 0);
        TrainingRun cancelled(c);
        cancelled.cancelled = [] { return true; };
        QCOMPARE(cancelled.evaluate().samples, std::int64_t{96});
        QVERIFY(cancelled.evaluate().complete);
        // In batches of 32, cancelled when first asked (after the first batch): 32 samples, and
        // it says so.
        const Evaluation part = workflows::evaluate(cancelled.model(), cancelled.data(), 32,
                                                    std::nullopt, [] { return true; });
        QCOMPARE(part.samples, std::int64_t{32});
        QVERIFY(!part.complete);
    }

    // DataLoader(generator=g): a run given a generator shuffles from it, the same way each time,
    // and differently from the default generator's order.
    void generatorArgument() {
        auto first = [&](data::GeneratorPtr g) {
            TrainingRun run(mlp(64, 16, 0), std::move(g));
            return run.step()->loss;
        };
        const double a = first(std::make_shared<Generator>(11));
        QCOMPARE(first(std::make_shared<Generator>(11)), a);
        QVERIFY(first(nullptr) != a);
    }

    void lossNotFinite() {
        TrainingConfig c = mlp(64, 16, 0);
        c.optimizer.lr = 1e30;
        TrainingRun run(c);
        try {
            while (run.step()) {
            }
            QFAIL("the loss stayed finite");
        } catch (const LossNotFinite& e) {
            QCOMPARE(e.epoch, std::int64_t{0});
            QVERIFY(e.batch >= 1);
            QVERIFY(QString(e.what()).startsWith("the loss became "));
        }
    }

    void configErrors_data() {
        QTest::addColumn<TrainingConfig>("config");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        const std::string data = "mnist:" + images_;
        auto with = [&](auto change) {
            TrainingConfig c;
            c.model = "mlp";
            c.loader.dataset = data;
            change(c);
            return c;
        };
        QTest::newRow("no model") << with([](auto& c) { c.model.clear(); }) << "model"
                                  << "a training run needs a model";
        QTest::newRow("epochs") << with([](auto& c) { c.loader.epochs = 0; }) << "epochs"
                                << "epochs must be at least 1, got 0";
        QTest::newRow("batch") << with([](auto& c) { c.loader.batch_size = 0; }) << "batch_size"
                               << "batch_size must be at least 1, got 0";
        QTest::newRow("optimizer")
            << with([](auto& c) { c.optimizer.name = "lbfgs"; }) << "optimizer"
            << "unknown optimizer 'lbfgs' (sgd, adam or adamw)";
        QTest::newRow("lr") << with([](auto& c) { c.optimizer.lr = -0.1; }) << "lr"
                            << "lr must be a positive number, got -0.1";
        QTest::newRow("lr nan") << with([](auto& c) { c.optimizer.lr = std::nan(""); }) << "lr"
                                << "lr must be a positive number, got nan";
        QTest::newRow("adam momentum") << with([](auto& c) {
            c.optimizer.name = "adam";
            c.optimizer.lr = 1e-3;
            c.optimizer.momentum = 0.9;
        }) << "momentum"
                                       << "momentum applies to optimizer sgd only";
        QTest::newRow("momentum") << with([](auto& c) { c.optimizer.momentum = -1; }) << "momentum"
                                  << "momentum must not be negative, got -1";
        QTest::newRow("workers") << with([](auto& c) { c.loader.num_workers = -1; })
                                 << "num_workers"
                                 << "num_workers must not be negative";
        QTest::newRow("eval limit") << with([](auto& c) { c.eval_limit = 0; }) << "eval_limit"
                                    << "eval_limit must be at least 1, got 0";
        QTest::newRow("unknown model") << with([](auto& c) { c.model = "resnet"; }) << "model"
                                       << "unknown model 'resnet' (mlp, cnn, textcls, or a "
                                          "native model file)";
        QTest::newRow("textcls on images") << with([](auto& c) { c.model = "textcls"; }) << "model"
                                           << "model textcls needs a text data set (dataset "
                                              "ag-news:PATH)";
        QTest::newRow("mlp on text")
            << with([&](auto& c) { c.loader.dataset = "ag-news:" + news_; }) << "model"
            << "model mlp takes images; use textcls for AG_NEWS";
        QTest::newRow("unknown dataset")
            << with([](auto& c) { c.loader.dataset = "cifar"; }) << "dataset"
            << "unknown dataset 'cifar' (fashion-mnist[:PATH], "
               "mnist:PATH, ag-news:PATH)";
        QTest::newRow("range is no training set")
            << with([](auto& c) { c.loader.dataset = "range:5"; }) << "dataset"
            << "unknown dataset 'range:5'";
        QTest::newRow("bad transform")
            << with([](auto& c) { c.loader.transform = "RandomCrop(28"; }) << "transform"
            << "transform: ";
        QTest::newRow("transform on text")
            << with([&](auto& c) {
                   c.model = "textcls";
                   c.loader.dataset = "ag-news:" + news_;
                   c.loader.transform = "RandomHorizontalFlip()";
               })
            << "transform"
            << "transform applies to image data sets, not to ag-news";
    }
    void configErrors() {
        QFETCH(TrainingConfig, config);
        QFETCH(QString, field);
        QFETCH(QString, message);
        try {
            TrainingRun run(config);
            QFAIL("no error");
        } catch (const data::ConfigError& e) {
            QVERIFY2(QString(e.what()).startsWith(message), e.what());
            QCOMPARE(QString::fromStdString(e.field()), field);
        }
    }

    void unreadableDataIsNoConfigError() {
        TrainingConfig c = mlp(16, 16, 0);
        c.loader.dataset = "mnist:" + images_ + "/none";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, TrainingRun{c});
        try {
            TrainingRun run(c);
        } catch (const data::ConfigError&) {
            QFAIL("a missing file is not a configuration error");
        } catch (const std::runtime_error&) {
        }
    }
};

QTEST_GUILESS_MAIN(TestTrainingRun)
#include "tst_training_run.moc"
