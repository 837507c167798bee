// Issue #14's promise: the engine gives the same bytes for any number of threads.
// - The golden tests (every op PyTorch's numbers check) run three times, with 1, 2 and 3 engine
//   threads and NNSCOPE_PARALLEL_FORCE_SPLIT=1, so that even their small tensors are cut across
//   the team; each run records every tensor it compares (support/result_dump.h) and the three
//   records must be equal byte for byte.
// - A few training steps of the mlp and the cnn at batch 64 (sizes where the kernels split by
//   themselves), with SGD and Adam: parameters, gradients and losses equal byte for byte.

#include "engine/parallel.h"
#include "support/result_dump.h"
#include "workflows/learnable_data.h"
#include "workflows/learnable_training.h"
#include "workflows/training_run.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

using namespace nnscope;

namespace {

// Restores the engine's thread setting when a test ends, passed or not.
struct ThreadSetting {
    int saved = parallel::configured_threads();
    ~ThreadSetting() { parallel::set_num_threads(saved); }
};

// Everything a training run's steps leave behind, as bytes.
std::string run_bytes(const workflows::TrainingConfig& config, int steps) {
    workflows::TrainingRun run(config);
    std::string out;
    for (int s = 0; s < steps; ++s) {
        const auto step = run.step();
        if (!step) break;
        out.append(reinterpret_cast<const char*>(&step->loss), sizeof step->loss);
    }
    for (const auto& [name, p] : run.model().named_parameters()) {
        for (const Tensor& t : {p, p.grad()}) {
            if (!t.defined()) continue;
            const Tensor c = t.contiguous();
            out += name;
            out.append(static_cast<const char*>(c.raw_data()),
                       static_cast<std::size_t>(c.numel()) * element_size(c.dtype()));
        }
    }
    return out;
}

} // namespace

class TestThreadDeterminism : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string images_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
        images_ = dir_.filePath("idx").toStdString();
    }

    void goldenTestsGiveTheSameBytes_data() {
        QTest::addColumn<QString>("executable");
        for (const QString& name :
             QStringLiteral(NNSCOPE_DETERMINISM_TESTS).split(QLatin1Char(','), Qt::SkipEmptyParts))
            QTest::newRow(qPrintable(name)) << name;
    }

    void goldenTestsGiveTheSameBytes() {
        QFETCH(QString, executable);
        const QString program =
            QCoreApplication::applicationDirPath() + QLatin1Char('/') + executable;
        QVERIFY2(QFileInfo::exists(program), qPrintable(program));
        std::vector<std::vector<test::ResultRecord>> runs;
        for (int threads : {1, 2, 3}) {
            const QString dump = dir_.filePath(executable + QStringLiteral(".%1.bin").arg(threads));
            QFile::remove(dump);
            QProcess p;
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("NNSCOPE_THREADS"), QString::number(threads));
            env.insert(QStringLiteral("NNSCOPE_PARALLEL_FORCE_SPLIT"), QStringLiteral("1"));
            env.insert(QStringLiteral("NNSCOPE_RESULT_DUMP"), dump);
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(program, {});
            QVERIFY2(p.waitForFinished(240000), qPrintable(executable + QStringLiteral(" hung")));
            QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                     qPrintable(executable +
                                QStringLiteral(" with %1 threads failed:\n").arg(threads) +
                                QString::fromLocal8Bit(p.readAll().right(3000))));
            runs.push_back(test::read_results(dump.toStdString()));
        }
        QVERIFY2(!runs[0].empty(), "the test compared no tensor with a golden value");
        for (std::size_t r = 1; r < runs.size(); ++r) {
            const auto& a = runs[0];
            const auto& b = runs[r];
            for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
                QVERIFY2(a[i].name == b[i].name,
                         qPrintable(QStringLiteral("record %1: '%2' with 1 thread, '%3' with %4")
                                        .arg(i)
                                        .arg(QString::fromStdString(a[i].name),
                                             QString::fromStdString(b[i].name))
                                        .arg(r + 1)));
                QVERIFY2(a[i].bytes == b[i].bytes,
                         qPrintable(QStringLiteral("%1: different bytes with 1 and %2 threads")
                                        .arg(QString::fromStdString(a[i].name))
                                        .arg(r + 1)));
            }
            QCOMPARE(b.size(), a.size());
        }
        qInfo("%s: %zu tensors, equal for 1, 2 and 3 threads", qPrintable(executable),
              runs[0].size());
    }

    void trainingStepsGiveTheSameBytes_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("optimizer");
        QTest::newRow("mlp sgd momentum") << "mlp"
                                          << "sgd";
        QTest::newRow("mlp adam") << "mlp"
                                  << "adam";
        QTest::newRow("cnn sgd momentum") << "cnn"
                                          << "sgd";
        QTest::newRow("cnn adamw") << "cnn"
                                   << "adamw";
    }

    void trainingStepsGiveTheSameBytes() {
        QFETCH(QString, model);
        QFETCH(QString, optimizer);
        ThreadSetting restore;
        auto config = test::learnable_mlp(images_, 192, 64, 3);
        config.model = model.toStdString();
        config.optimizer.name = optimizer.toStdString();
        config.optimizer.lr = optimizer == QLatin1String("sgd") ? 0.05 : 1e-3;
        if (optimizer == QLatin1String("sgd")) config.optimizer.momentum = 0.9;
        std::string first;
        for (int threads : {1, 2, 3}) {
            parallel::set_num_threads(threads);
            const std::string bytes = run_bytes(config, 3);
            QVERIFY(bytes.size() > 1000);
            if (threads == 1)
                first = bytes;
            else
                QVERIFY2(bytes == first,
                         qPrintable(QStringLiteral("%1 threads changed the bytes").arg(threads)));
        }
    }
};

QTEST_GUILESS_MAIN(TestThreadDeterminism)
#include "tst_thread_determinism.moc"
