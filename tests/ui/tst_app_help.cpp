// `nnscope --help` and `nnscope --version` answer on a machine without a display: no
// QT_QPA_PLATFORM, no DISPLAY, no WAYLAND_DISPLAY (before, the QApplication aborted first).

#include <QProcess>
#include <QProcessEnvironment>
#include <QtTest>

class TestAppHelp : public QObject {
    Q_OBJECT

private:
    static QProcess* start(const QString& option) {
        auto* process = new QProcess;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
            env.remove(QString::fromLatin1(name));
        process->setProcessEnvironment(env);
        process->start(QStringLiteral(NNSCOPE_GUI), {option});
        return process;
    }

private slots:
    void helpWithoutADisplay() {
        std::unique_ptr<QProcess> process(start(QStringLiteral("--help")));
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(process->exitCode(), 0);
        const QString out = QString::fromLocal8Bit(process->readAllStandardOutput());
        for (const char* needle :
             {"Usage:", "--screenshot <OUT.png>", "--page <N>", "--width <W>", "--version", "FILE"})
            QVERIFY2(out.contains(QLatin1String(needle)), needle);
    }

    void versionWithoutADisplay() {
        std::unique_ptr<QProcess> process(start(QStringLiteral("--version")));
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitCode(), 0);
        QCOMPARE(QString::fromLocal8Bit(process->readAllStandardOutput()).trimmed(),
                 QStringLiteral("nnscope 0.1.0"));
    }
};

QTEST_GUILESS_MAIN(TestAppHelp)
#include "tst_app_help.moc"
