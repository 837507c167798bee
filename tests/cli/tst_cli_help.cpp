// nnscope-cli's help: `help`, `--help`, `--version`, `help COMMAND` and every subcommand's
// --help / -h print their usage and exit 0, every option explained; an unknown option is named as
// unknown. The subcommands are walked from `nnscope-cli help`'s list, itself printed from the
// command table, so a new subcommand is covered without editing this test.

#include "cli/cli_runner.h"

#include <QRegularExpression>
#include <QtTest>

using nnscope::test::run_cli;

namespace {

// The command names `nnscope-cli help` lists under "commands:".
QStringList listed_commands() {
    const auto result = run_cli({QStringLiteral("help")});
    QStringList names;
    bool in_list = false;
    for (const QString& line : result.out.split(QLatin1Char('\n'))) {
        if (line == QLatin1String("commands:")) {
            in_list = true;
            continue;
        }
        if (!in_list) continue;
        if (line.isEmpty()) break;
        static const QRegularExpression entry(QStringLiteral("^  ([a-z-]+)  +\\S"));
        if (const auto m = entry.match(line); m.hasMatch()) names.append(m.captured(1));
    }
    return names;
}

// The "options:" and "arguments:" rows of a --help text as name -> explanation; a row whose
// explanation is empty maps to "".
QMap<QString, QString> explained(const QString& help) {
    QMap<QString, QString> rows;
    QString current;
    bool in_table = false;
    for (const QString& line : help.split(QLatin1Char('\n'))) {
        if (line == QLatin1String("options:") || line == QLatin1String("arguments:")) {
            in_table = true;
            continue;
        }
        if (!in_table) continue;
        if (line.isEmpty()) {
            in_table = false;
            continue;
        }
        if (line.startsWith(QLatin1String("  ")) && line[2] != QLatin1Char(' ')) {
            const QString cell = line.mid(2);
            const qsizetype gap = cell.indexOf(QLatin1String("  "));
            current = (gap < 0 ? cell : cell.left(gap)).trimmed();
            rows[current] = gap < 0 ? QString() : cell.mid(gap).trimmed();
        } else if (!current.isEmpty()) {
            rows[current] += line.trimmed();
        }
    }
    return rows;
}

} // namespace

class TestCliHelp : public QObject {
    Q_OBJECT

private slots:
    void generalHelp_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("help") << QStringList{QStringLiteral("help")};
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")};
        QTest::newRow("-h") << QStringList{QStringLiteral("-h")};
    }

    void generalHelp() {
        QFETCH(QStringList, arguments);
        const auto result = run_cli(arguments);
        NNSCOPE_EXPECT_CLI_OK(result);
        QVERIFY(result.out.startsWith(QLatin1String("usage: nnscope-cli <command>")));
        QVERIFY(listed_commands().contains(QStringLiteral("summary")));
    }

    void version_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("--version") << QStringList{QStringLiteral("--version")};
        QTest::newRow("version") << QStringList{QStringLiteral("version")};
    }

    void version() {
        QFETCH(QStringList, arguments);
        const auto result = run_cli(arguments);
        NNSCOPE_EXPECT_CLI_OK(result);
        QCOMPARE(result.out, QStringLiteral("nnscope-cli 0.1.0\n"));
    }

    void everyCommandsHelp_data() {
        QTest::addColumn<QString>("command");
        const QStringList commands = listed_commands();
        QVERIFY(commands.size() >= 8);
        for (const QString& command : commands)
            QTest::newRow(qPrintable(command)) << command;
    }

    // `help C`, `C --help` and `C -h` print the same usage, exit 0, and explain every option the
    // usage line names.
    void everyCommandsHelp() {
        QFETCH(QString, command);
        const auto help = run_cli({QStringLiteral("help"), command});
        NNSCOPE_EXPECT_CLI_OK(help);
        QVERIFY2(help.out.startsWith(QStringLiteral("usage: nnscope-cli ") + command),
                 qPrintable(help.out));
        for (const QString& flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
            const auto same = run_cli({command, flag});
            NNSCOPE_EXPECT_CLI_OK(same);
            QCOMPARE(same.out, help.out);
        }
        const QMap<QString, QString> rows = explained(help.out);
        QVERIFY2(rows.contains(QStringLiteral("-h, --help")), qPrintable(help.out));
        for (auto it = rows.begin(); it != rows.end(); ++it)
            QVERIFY2(!it.value().isEmpty(), qPrintable(command + ": " + it.key() + " unexplained"));
        // Every option of the usage line has its row.
        const QString usage = help.out.left(help.out.indexOf(QLatin1String("\n\n")));
        static const QRegularExpression option(QStringLiteral("--[a-z-]+"));
        for (auto m = option.globalMatch(usage); m.hasNext();) {
            const QString name = m.next().captured();
            const bool listed = std::any_of(rows.keyBegin(), rows.keyEnd(), [&](const QString& k) {
                const QString key = k.section(QStringLiteral(", "), -1); // "-o, --output PATH"
                return key == name || key.startsWith(name + QLatin1Char(' '));
            });
            QVERIFY2(listed, qPrintable(command + ": " + name + " not explained"));
        }
    }

    void everyCommandNamesAnUnknownOption_data() { everyCommandsHelp_data(); }

    void everyCommandNamesAnUnknownOption() {
        QFETCH(QString, command);
        const auto result = run_cli({command, QStringLiteral("--no-such-option")});
        QCOMPARE(result.exit_code, 2);
        QVERIFY2(result.err.contains(QStringLiteral("unknown option '--no-such-option'")),
                 qPrintable(result.err));
    }

    // The report that started this: a misspelt flag said "missing FILE".
    void misspeltFlagIsNamed() {
        const auto result = run_cli(
            {QStringLiteral("summary"), QStringLiteral("--jsn"), QStringLiteral("model.pt")});
        QCOMPARE(result.exit_code, 2);
        QCOMPARE(result.err, QStringLiteral("nnscope-cli summary: unknown option '--jsn' (see "
                                            "'nnscope-cli summary --help')\n"));
    }

    void optionValues() {
        // A missing value, a value given to a flag, and --name=value.
        auto result = run_cli({QStringLiteral("loader"), QStringLiteral("--dataset")});
        QCOMPARE(result.exit_code, 2);
        QVERIFY2(result.err.contains(QStringLiteral("option --dataset needs a value (SPEC)")),
                 qPrintable(result.err));
        result = run_cli(
            {QStringLiteral("summary"), QStringLiteral("--json=yes"), QStringLiteral("x.pt")});
        QCOMPARE(result.exit_code, 2);
        QVERIFY(result.err.contains(QStringLiteral("option --json takes no value")));
        result = run_cli({QStringLiteral("loader"), QStringLiteral("--dataset=range:3"),
                          QStringLiteral("--batch-size=2")});
        NNSCOPE_EXPECT_CLI_OK(result);
        QVERIFY2(result.out.contains(QStringLiteral("indices [0,1]")), qPrintable(result.out));
    }

    void unknownCommands() {
        auto result = run_cli({QStringLiteral("summry")});
        QCOMPARE(result.exit_code, 2);
        QVERIFY(result.err.contains(QStringLiteral("unknown command 'summry'")));
        result = run_cli({QStringLiteral("help"), QStringLiteral("summry")});
        QCOMPARE(result.exit_code, 2);
        QVERIFY(result.err.contains(QStringLiteral("unknown command 'summry'")));
        result = run_cli({});
        QCOMPARE(result.exit_code, 2);
        QVERIFY(result.err.startsWith(QLatin1String("usage: nnscope-cli")));
    }

    void unexpectedPositional() {
        const auto result = run_cli({QStringLiteral("version"), QStringLiteral("extra")});
        QCOMPARE(result.exit_code, 2);
        QVERIFY(result.err.contains(QStringLiteral("unexpected argument 'extra'")));
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_cli_help.moc"
