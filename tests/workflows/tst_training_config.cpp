// workflows::TrainingConfig as JSON (training_config_json.h): the header's schema read as
// written, round trips of the defaults and of a configuration where every field differs, missing
// keys taking the training run's defaults (not the bare DataLoader's), and every unknown key,
// wrong type and refused value named by its field.

#include "data/config_error.h"
#include "workflows/training_config_json.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>

using namespace nnscope;
using namespace nnscope::workflows;
using Json = nlohmann::json;

namespace {

// Every field away from its default.
TrainingConfig everythingChanged() {
    TrainingConfig c;
    c.model = "cnn";
    c.loader.dataset = "mnist:/data/mnist";
    c.loader.part = data::RandomSplitArgs{{0.75, 0.25}, 42, 1};
    c.loader.batch_size = 1;
    c.loader.shuffle = false;
    c.loader.sampler =
        data::WeightedSamplerArgs{data::parse_sample_weights("class-balanced"), 500, true};
    c.loader.batch_sampler = data::BatchSamplerArgs{32, true};
    c.loader.num_workers = 2;
    c.loader.generator_seed = 9;
    c.loader.transform = "RandomHorizontalFlip()";
    c.loader.epochs = 3;
    c.loss = {"cross_entropy", 0.1};
    c.optimizer.name = "adamw";
    c.optimizer.lr = 3e-4;
    c.optimizer.weight_decay = 0.05;
    c.optimizer.betas = {0.8, 0.99};
    c.optimizer.eps = 1e-6;
    c.optimizer.amsgrad = true;
    c.init = {"normal", 0.02};
    c.seed = 123;
    c.eval_every = 50;
    c.eval_limit = 1000;
    return c;
}

// JSON written with ' for " (moc cannot read raw string literals).
Json parse(std::string text) {
    std::replace(text.begin(), text.end(), '\'', '"');
    return Json::parse(text);
}

QString fieldOf(const Json& j) {
    try {
        training_config_from_json(j);
    } catch (const data::ConfigError& e) {
        return QString::fromStdString(e.field()) + ": " + e.what();
    }
    return "no error";
}

} // namespace

class TestTrainingConfig : public QObject {
    Q_OBJECT

private slots:
    // The example of training_config_json.h, as a user would copy it.
    void headerExampleReads() {
        const auto c = training_config_from_json(
            parse("{'model': 'mlp',"
                  " 'loader': {'dataset': 'fashion-mnist', 'batch_size': 64, 'shuffle': true},"
                  " 'loss': {'name': 'cross_entropy', 'label_smoothing': 0},"
                  " 'optimizer': {'name': 'sgd', 'lr': 0.1, 'momentum': 0, 'dampening': 0,"
                  "               'nesterov': false, 'weight_decay': 0, 'betas': [0.9, 0.999],"
                  "               'eps': 1e-8, 'amsgrad': false},"
                  " 'init': {'scheme': 'default', 'std': 0.01}, 'seed': 0, 'eval_every': 0,"
                  " 'eval_limit': null}"));
        TrainingConfig expected;
        expected.optimizer.weight_decay = 0.0;
        QVERIFY(c == expected);
    }

    void defaultsRoundTrip() {
        const TrainingConfig defaults;
        const auto j = training_config_to_json(defaults);
        QCOMPARE(j["loader"]["dataset"], "fashion-mnist");
        QCOMPARE(j["loader"]["batch_size"], 64);
        QCOMPARE(j["loader"]["shuffle"], true);
        QVERIFY(j["optimizer"]["weight_decay"].is_null()); // the optimizer's own default
        QVERIFY(training_config_from_json(Json(j)) == defaults);
        QVERIFY(training_config_from_json(Json::object()) == defaults);
    }

    void everyFieldRoundTrips() {
        const TrainingConfig c = everythingChanged();
        validate(c);
        const auto text = training_config_to_json(c).dump();
        QVERIFY(training_config_from_json(Json::parse(text)) == c);
        QCOMPARE(c.batch_size(), std::int64_t{32}); // the batch_sampler's
        QCOMPARE(c.eval_batch_size(), std::int64_t{1000});
    }

    // Missing keys are the training run's defaults, and they give way where PyTorch would refuse
    // them beside what the file chose.
    void missingKeysTakeTrainingDefaults() {
        const auto c = training_config_from_json(
            parse("{'loader': {'dataset': 'mnist:/m'}, 'optimizer': {'name': 'adam'}}"));
        QCOMPARE(c.loader.batch_size, std::optional<std::int64_t>(64));
        QVERIFY(c.loader.shuffle);
        QCOMPARE(c.optimizer.lr, 1e-3);
        const auto sampled = training_config_from_json(
            parse("{'loader': {'sampler': {'kind': 'random', 'num_samples': 10}}}"));
        QVERIFY(!sampled.loader.shuffle);
        QCOMPARE(sampled.loader.batch_size, std::optional<std::int64_t>(64));
        const auto batched =
            training_config_from_json(parse("{'loader': {'batch_sampler': {'batch_size': 8}}}"));
        QVERIFY(!batched.loader.shuffle);
        QCOMPARE(batched.loader.batch_size, std::optional<std::int64_t>(1));
        QCOMPARE(batched.batch_size(), std::int64_t{8});
        // Said explicitly, PyTorch's refusal stands.
        QVERIFY(fieldOf(parse("{'loader': {'shuffle': true, 'sampler': 'random'}}"))
                    .startsWith("loader.sampler: sampler option is mutually exclusive"));
    }

    void errorsNameTheField_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown key") << "{'modle': 'mlp'}"
                                     << "modle: unknown key 'modle'";
        QTest::newRow("unknown optimizer key") << "{'optimizer': {'momentun': 0.9}}"
                                               << "optimizer.momentun: unknown key";
        QTest::newRow("unknown loader key") << "{'loader': {'shufle': true}}"
                                            << "loader.shufle: unknown key 'shufle'";
        QTest::newRow("unknown loss key") << "{'loss': {'smoothing': 0.1}}"
                                          << "loss.smoothing: unknown key";
        QTest::newRow("unknown init key") << "{'init': {'gain': 2}}"
                                          << "init.gain: unknown key";
        QTest::newRow("not an object") << "[1]"
                                       << "config: config expects an object";
        QTest::newRow("seed") << "{'seed': -1}"
                              << "seed: seed expects a non-negative integer, got -1";
        QTest::newRow("lr type") << "{'optimizer': {'lr': 'fast'}}"
                                 << "optimizer.lr: lr expects a number, got \"fast\"";
        QTest::newRow("betas") << "{'optimizer': {'name': 'adam', 'betas': [0.9]}}"
                               << "optimizer.betas: betas expects [beta1, beta2]";
        QTest::newRow("eval_limit type") << "{'eval_limit': 'all'}"
                                         << "eval_limit: eval_limit expects an integer";
        QTest::newRow("loader type") << "{'loader': 5}"
                                     << "loader: loader expects an object";
        QTest::newRow("loader value") << "{'loader': {'batch_size': '64'}}"
                                      << "loader.batch_size: batch_size expects";
        QTest::newRow("test split") << "{'loader': {'split': 'test'}}"
                                    << "split: a training run trains on the train split";
        QTest::newRow("batch None") << "{'loader': {'batch_size': null}}"
                                    << "batch_size: a training run needs batches";
        QTest::newRow("padding") << "{'loader': {'collate_fn': 'padding'}}"
                                 << "collate_fn: a training run collates as its model needs";
        QTest::newRow("offsets on images")
            << "{'loader': {'collate_fn': 'offsets'}}"
            << "collate_fn: collate_fn \"offsets\" needs a text data set";
        QTest::newRow("loss") << "{'loss': {'name': 'mse'}}"
                              << "loss: unknown loss 'mse' (cross_entropy or nll)";
        QTest::newRow("smoothing range")
            << "{'loss': {'label_smoothing': 1.5}}"
            << "label_smoothing: label_smoothing must be between 0 and 1, got 1.5";
        QTest::newRow("nll smoothing") << "{'loss': {'name': 'nll', 'label_smoothing': 0.1}}"
                                       << "label_smoothing: label_smoothing applies to loss "
                                          "cross_entropy only";
        QTest::newRow("init") << "{'init': {'scheme': 'orthogonal'}}"
                              << "init: unknown init 'orthogonal'";
        QTest::newRow("init std") << "{'init': {'scheme': 'normal', 'std': -1}}"
                                  << "init_std: init_std must be a number of at least 0, got -1.0";
        QTest::newRow("nesterov") << "{'optimizer': {'nesterov': true}}"
                                  << "nesterov: Nesterov momentum requires a momentum";
        QTest::newRow("amsgrad sgd") << "{'optimizer': {'amsgrad': true}}"
                                     << "amsgrad: amsgrad applies to optimizer";
        QTest::newRow("eval_every") << "{'eval_every': -2}"
                                    << "eval_every: eval_every must not be negative, got -2";
        QTest::newRow("eval_limit") << "{'eval_limit': 0}"
                                    << "eval_limit: eval_limit must be at least 1, got 0";
        QTest::newRow("bad transform") << "{'loader': {'transform': 'RandomCrop(28'}}"
                                       << "transform: transform: ";
    }
    void errorsNameTheField() {
        QFETCH(QString, json);
        QFETCH(QString, error);
        const QString got = fieldOf(parse(json.toStdString()));
        QVERIFY2(got.startsWith(error), qPrintable(got));
    }

    void files() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("run.json").toStdString();
        const TrainingConfig c = everythingChanged();
        write_training_config(path, c);
        QVERIFY(read_training_config(path) == c);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"run.json"}); // no temporary
        std::ofstream(dir.filePath("bad.json").toStdString()) << "{\"model\": ";
        try {
            read_training_config(dir.filePath("bad.json").toStdString());
            QFAIL("no error");
        } catch (const data::ConfigError&) {
            QFAIL("malformed JSON is no configuration error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("bad.json: not valid JSON"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 read_training_config(dir.filePath("none.json").toStdString()));
        QVERIFY_THROWS_EXCEPTION(
            std::runtime_error,
            write_training_config(dir.filePath("no/dir.json").toStdString(), c));
    }

    // limit_samples is the CLI's --limit: a Subset of the first n and the evaluation's limit.
    void limitSamples() {
        TrainingConfig c;
        limit_samples(c, 100);
        QVERIFY(
            (c.loader.part == data::DatasetPart{data::SubsetArgs{
                                  std::nullopt, std::pair<std::int64_t, std::int64_t>{0, 100}}}));
        QCOMPARE(c.eval_limit, std::optional<std::int64_t>(100));
        QVERIFY(training_config_from_json(Json(training_config_to_json(c))) == c);
    }
};

QTEST_GUILESS_MAIN(TestTrainingConfig)
#include "tst_training_config.moc"
