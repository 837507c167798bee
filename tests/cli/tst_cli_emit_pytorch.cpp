// `nnscope-cli loader ... --emit-pytorch` as a user runs it: the script for the options given
// (the flags become the same DataLoaderConfig as for --json), run by /usr/bin/python3 when it has
// torch, prints what `loader --json` prints; a configuration loader refuses writes no script.
// The emitter itself is tested in tests/workflows/tst_pytorch_script.

#include "cli/cli_runner.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using nnscope::test::run_cli;

class TestCliEmitPytorch : public QObject {
    Q_OBJECT

    const QStringList distributed{QStringLiteral("loader"),
                                  QStringLiteral("--dataset"),
                                  QStringLiteral("range:23:mod=3"),
                                  QStringLiteral("--batch-size"),
                                  QStringLiteral("2"),
                                  QStringLiteral("--sampler"),
                                  QStringLiteral("distributed"),
                                  QStringLiteral("--num-replicas"),
                                  QStringLiteral("4"),
                                  QStringLiteral("--rank"),
                                  QStringLiteral("3"),
                                  QStringLiteral("--epoch"),
                                  QStringLiteral("1"),
                                  QStringLiteral("--epochs"),
                                  QStringLiteral("3")};

private slots:
    void printsTheScriptOfTheFlags() {
        const auto r = run_cli(distributed + QStringList{QStringLiteral("--emit-pytorch")});
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(r.out.startsWith(QStringLiteral("# A torch.utils.data.DataLoader")));
        QVERIFY(r.out.contains(QStringLiteral("dataset = LabelledRangeDataset([i % 3 for i in "
                                              "range(23)])\n")));
        QVERIFY(r.out.contains(QStringLiteral("    num_replicas=4,\n    rank=3,\n")));
        QVERIFY(r.out.contains(QStringLiteral("        sampler.set_epoch(1 + epoch)\n")));
    }

    void pytorchPrintsTheJsonLines() {
        QProcess probe;
        probe.start(QStringLiteral("/usr/bin/python3"),
                    {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
            QSKIP("/usr/bin/python3 cannot import torch (python3-torch): the script is not run");
        const auto script = run_cli(distributed + QStringList{QStringLiteral("--emit-pytorch")});
        QCOMPARE(script.exit_code, 0);
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-")});
        python.write(script.out.toUtf8());
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(120000));
        const QString err = QString::fromUtf8(python.readAllStandardError());
        QVERIFY2(python.exitCode() == 0, qPrintable(err));
        const auto json = run_cli(distributed + QStringList{QStringLiteral("--json")});
        QCOMPARE(json.exit_code, 0);
        QCOMPARE(QString::fromUtf8(python.readAllStandardOutput()), json.out);
    }

    void refusesWhatLoaderRefuses() {
        auto r =
            run_cli({QStringLiteral("loader"), QStringLiteral("--dataset"),
                     QStringLiteral("range:5"), QStringLiteral("--batch-size"), QStringLiteral("0"),
                     QStringLiteral("--drop-last"), QStringLiteral("--emit-pytorch")});
        QCOMPARE(r.exit_code, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(QStringLiteral("mutually exclusive with drop_last")),
                 qPrintable(r.err));
        r = run_cli({QStringLiteral("loader"), QStringLiteral("--dataset"),
                     QStringLiteral("mnist:/nonexistent"), QStringLiteral("--emit-pytorch")});
        QCOMPARE(r.exit_code, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(QStringLiteral("cannot find train-images-idx3-ubyte")),
                 qPrintable(r.err));
    }

    void helpListsTheOption() {
        const auto r = run_cli({QStringLiteral("help"), QStringLiteral("loader")});
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("--emit-pytorch")), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCliEmitPytorch)
#include "tst_cli_emit_pytorch.moc"
