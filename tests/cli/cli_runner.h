#pragma once
// Runs the built nnscope-cli (NNSCOPE_CLI) as a user would, for the tst_cli_* tests.

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>
#include <functional>
#include <string>

namespace nnscope::test {

struct CliResult {
    int exit_code = -1;
    bool crashed = false;
    QString out;
    QString err;
};

// `environment`: the process's environment (default: this test's own). `in_child`, when given,
// runs in the child between fork and exec (to drop privileges or set a resource limit).
inline CliResult
run_cli(const QStringList& arguments, int timeout_ms = 120000,
        const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
        std::function<void()> in_child = {}) {
    QProcess process;
    process.setProcessEnvironment(environment);
    if (in_child) process.setChildProcessModifier(std::move(in_child));
    process.start(QStringLiteral(NNSCOPE_CLI), arguments);
    CliResult result;
    if (!process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("nnscope-cli timed out");
        result.crashed = true;
        return result;
    }
    result.crashed = process.exitStatus() != QProcess::NormalExit;
    result.exit_code = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

inline QString golden_cli(const QString& name) {
    return QStringLiteral(NNSCOPE_GOLDEN_DIR "/cli/") + name;
}

inline QString describe(const CliResult& r) {
    return QStringLiteral("exit %1%2\nstdout: %3\nstderr: %4")
        .arg(r.exit_code)
        .arg(r.crashed ? QStringLiteral(" (crashed)") : QString())
        .arg(r.out.left(2000), r.err.left(2000));
}

} // namespace nnscope::test

#define NNSCOPE_EXPECT_CLI_OK(result)                                                              \
    do {                                                                                           \
        if ((result).crashed || (result).exit_code != 0)                                           \
            QFAIL(qPrintable(::nnscope::test::describe(result)));                                  \
    } while (false)
