// nnscope-cli train's configuration: every new option reaches the TrainingConfig (read back
// from --save-config), --config FILE.json trains exactly as the options it was saved from and
// refuses options beside it, --eval-every evaluates while training, and the errors name the
// option (or the file and its JSON field).

#include "cli/cli_runner.h"
#include "workflows/learnable_data.h"
#include "workflows/training_config_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace nnscope;
using test::run_cli;

namespace {

QJsonObject lastJson(const test::CliResult& r) {
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject()
                           : QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

} // namespace

class TestCliTrainConfig : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString data_;

    QStringList base() const {
        return {"train",   "--model", "mlp",          "--dataset", data_,
                "--limit", "64",      "--batch-size", "16"};
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")));
        test::write_learnable_data(dir_.path().toStdString());
        data_ = "mnist:" + dir_.filePath("idx");
    }

    // Every option lands in its field of the saved configuration.
    void optionsReachTheConfig() {
        const QString saved = dir_.filePath("all.json");
        const auto r = run_cli({"train",
                                "--model",
                                "cnn",
                                "--dataset",
                                data_,
                                "--subset-range",
                                "0:96",
                                "--sampler",
                                "random",
                                "--replacement",
                                "--num-samples",
                                "48",
                                "--batch-size",
                                "12",
                                "--drop-last",
                                "--loader-seed",
                                "5",
                                "--epochs",
                                "2",
                                "--loss",
                                "cross_entropy",
                                "--label-smoothing",
                                "0.1",
                                "--init",
                                "kaiming_uniform",
                                "--optimizer",
                                "adamw",
                                "--lr",
                                "0.002",
                                "--weight-decay",
                                "0.05",
                                "--betas",
                                "0.8,0.99",
                                "--eps",
                                "1e-6",
                                "--amsgrad",
                                "--seed",
                                "3",
                                "--eval-limit",
                                "32",
                                "--save-config",
                                saved,
                                "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        const workflows::TrainingConfig c = workflows::read_training_config(saved.toStdString());
        QCOMPARE(c.model, std::string("cnn"));
        QVERIFY(
            (c.loader.part == data::DatasetPart{data::SubsetArgs{
                                  std::nullopt, std::pair<std::int64_t, std::int64_t>{0, 96}}}));
        QVERIFY((c.loader.sampler == data::SamplerConfig{data::RandomSamplerArgs{true, 48}}));
        QVERIFY(!c.loader.shuffle); // gave way to the sampler
        QCOMPARE(c.loader.batch_size, std::optional<std::int64_t>(12));
        QVERIFY(c.loader.drop_last);
        QCOMPARE(c.loader.generator_seed, std::optional<std::uint64_t>(5));
        QCOMPARE(c.loader.epochs, std::int64_t{2});
        QCOMPARE(c.loss.label_smoothing, 0.1);
        QCOMPARE(c.init.scheme, std::string("kaiming_uniform"));
        QCOMPARE(c.optimizer.name, std::string("adamw"));
        QCOMPARE(c.optimizer.lr, 0.002);
        QCOMPARE(c.optimizer.weight_decay, std::optional<double>(0.05));
        QCOMPARE(c.optimizer.betas[0], 0.8);
        QCOMPARE(c.optimizer.betas[1], 0.99);
        QCOMPARE(c.optimizer.eps, 1e-6);
        QVERIFY(c.optimizer.amsgrad);
        QCOMPARE(c.seed, std::uint64_t{3});
        QCOMPARE(c.eval_limit, std::optional<std::int64_t>(32));
        const QJsonObject j = lastJson(r);
        QCOMPARE(j["train_samples"].toInt(), 96);
        QCOMPARE(j["test_samples"].toInt(), 32);
        QCOMPARE(j["config"].toObject()["init"].toObject()["scheme"].toString(),
                 QString("kaiming_uniform"));
    }

    // --config FILE trains as the options it was saved from did.
    void configTrainsAsItsOptions() {
        const QString saved = dir_.filePath("sgd.json");
        const auto flags =
            run_cli(base() + QStringList{"--momentum", "0.9", "--nesterov", "--init",
                                         "xavier_normal", "--save-config", saved, "--json"});
        NNSCOPE_EXPECT_CLI_OK(flags);
        const auto file = run_cli({"train", "--config", saved, "--json"});
        NNSCOPE_EXPECT_CLI_OK(file);
        const QJsonObject a = lastJson(flags), b = lastJson(file);
        QCOMPARE(b["train_loss"].toDouble(), a["train_loss"].toDouble());
        QCOMPARE(b["test_loss"].toDouble(), a["test_loss"].toDouble());
        QCOMPARE(b["config"].toObject(), a["config"].toObject());
        // The plain run differs: the options did reach the training.
        const auto plain = run_cli(base() + QStringList{"--json"});
        NNSCOPE_EXPECT_CLI_OK(plain);
        QVERIFY(lastJson(plain)["train_loss"].toDouble() != a["train_loss"].toDouble());
    }

    void evalEvery() {
        const auto r =
            run_cli(base() + QStringList{"--eval-every", "2", "--eval-limit", "20", "--json"});
        QCOMPARE(r.exit_code, 2); // --limit sets the evaluation's limit itself
        QVERIFY2(r.err.contains("--eval-limit cannot be given with --limit"), qPrintable(r.err));
        const auto ok =
            run_cli({"train", "--model", "mlp", "--dataset", data_, "--subset-range", "0:64",
                     "--batch-size", "16", "--eval-every", "2", "--eval-limit", "20", "--json"});
        NNSCOPE_EXPECT_CLI_OK(ok);
        const QJsonArray evaluations = lastJson(ok)["evaluations"].toArray();
        QCOMPARE(evaluations.size(), 2); // after steps 2 and 4
        QCOMPARE(evaluations[0].toObject()["step"].toInt(), 2);
        QCOMPARE(evaluations[1].toObject()["step"].toInt(), 4);
        QCOMPARE(evaluations[1].toObject()["test_samples"].toInt(), 20);
        // The last one is the final evaluation: the same weights.
        QCOMPARE(evaluations[1].toObject()["test_loss"].toDouble(),
                 lastJson(ok)["test_loss"].toDouble());
        QVERIFY2(ok.err.contains("step 2: test loss "), qPrintable(ok.err));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exit_code");
        QTest::addColumn<QString>("message");
        QTest::newRow("config beside options")
            << QStringList{"train", "--config", "x.json", "--lr", "0.1"} << 2
            << "--config x.json gives the whole configuration: --lr cannot be given with it";
        QTest::newRow("config missing")
            << QStringList{"train", "--config", dir_.filePath("none.json")} << 1 << "cannot read ";
        QTest::newRow("betas") << base() + QStringList{"--optimizer", "adam", "--betas", "0.9"} << 2
                               << "--betas expects B1,B2, got '0.9'";
        QTest::newRow("init") << base() + QStringList{"--init", "orthogonal"} << 2
                              << "unknown --init 'orthogonal'";
        QTest::newRow("init std") << base() + QStringList{"--init", "normal", "--init-std", "-1"}
                                  << 2 << "--init-std must be a number of at least 0";
        QTest::newRow("loss") << base() + QStringList{"--loss", "mse"} << 2
                              << "unknown --loss 'mse' (cross_entropy or nll)";
        QTest::newRow("smoothing") << base() + QStringList{"--label-smoothing", "2"} << 2
                                   << "--label-smoothing must be between 0 and 1, got 2.0";
        QTest::newRow("nll smoothing")
            << base() + QStringList{"--loss", "nll", "--label-smoothing", "0.1"} << 2
            << "--label-smoothing applies to --loss cross_entropy only";
        QTest::newRow("nesterov") << base() + QStringList{"--nesterov"} << 2
                                  << "Nesterov momentum requires a momentum";
        QTest::newRow("limit and subset")
            << base() + QStringList{"--subset-range", "0:8"} << 2
            << "--limit cannot be given with --subset-indices, --subset-range or --random-split";
        QTest::newRow("limit too large")
            << QStringList{"train", "--model", "mlp", "--dataset", data_, "--limit", "300"} << 2
            << "--limit: subset index 256 is out of range for a data set of 256 samples";
        QTest::newRow("limit zero")
            << QStringList{"train", "--model", "mlp", "--dataset", data_, "--limit", "0"} << 2
            << "--limit must be at least 1, got 0";
        QTest::newRow("eval limit")
            << QStringList{"train", "--model", "mlp", "--dataset", data_, "--eval-limit", "0"} << 2
            << "--eval-limit must be at least 1, got 0";
        QTest::newRow("sampler and no-shuffle rule")
            << base() + QStringList{"--sampler", "distributed", "--rank", "3"} << 1
            << "Invalid rank 3";
        QTest::newRow("split is not train's")
            << base() + QStringList{"--split", "test"} << 2 << "unknown option '--split'";
        QTest::newRow("loader seed named") << base() + QStringList{"--loader-seed", "x"} << 2
                                           << "--loader-seed expects an integer, got 'x'";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(int, exit_code);
        QFETCH(QString, message);
        const auto r = run_cli(args);
        QVERIFY2(!r.crashed, qPrintable(test::describe(r)));
        QCOMPARE(r.exit_code, exit_code);
        QVERIFY2(r.err.contains(message), qPrintable(test::describe(r)));
        QVERIFY(r.out.isEmpty());
    }

    // A bad value in the file is named by the file and its JSON field.
    void configErrorsNameTheFile() {
        const QString path = dir_.filePath("bad.json");
        std::ofstream(path.toStdString()) << "{\"model\": \"mlp\", \"loader\": {\"dataset\": \""
                                          << data_.toStdString() << "\", \"batch_sise\": 3}}";
        const auto r = run_cli({"train", "--config", path});
        QCOMPARE(r.exit_code, 2);
        QVERIFY2(r.err.contains(path + ": loader.batch_sise: unknown key 'batch_sise'"),
                 qPrintable(r.err));
    }

    void help() {
        const auto r = run_cli({"train", "--help"});
        NNSCOPE_EXPECT_CLI_OK(r);
        for (const char* option : {"--config FILE.json", "--save-config FILE.json", "--no-shuffle",
                                   "--loader-seed S", "--sampler NAME", "--init SCHEME",
                                   "--label-smoothing E", "--eval-every N", "--betas B1,B2"})
            QVERIFY2(r.out.contains(option), option);
        QVERIFY(!r.out.contains("--split train"));
        QVERIFY(!r.out.contains("--collate NAME"));
    }
};

QTEST_GUILESS_MAIN(TestCliTrainConfig)
#include "tst_cli_train_config.moc"
