// nnscope-cli diff on the checkpoints of tests/golden/gen_diff.py: the text lists the matched
// pairs largest change first with torch's figures and then the rows that could not be compared;
// the JSON holds torch's figures and histograms for every pair; a folder lists each tensor per
// epoch in natural order; usage errors exit 2 and unreadable files 1, naming the problem.

#include "cli/cli_runner.h"
#include "support/diff_golden.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>

using nnscope::test::CliResult;
using nnscope::test::run_cli;

namespace {

QString golden(const char* file) {
    return nnscope::test::diff_golden(file);
}

QJsonObject expected() {
    return nnscope::test::diff_expected();
}

QJsonObject json_of(const CliResult& r) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) qWarning("%s", qPrintable(error.errorString()));
    return doc.object();
}

bool close(double actual, double expected) {
    return std::abs(actual - expected) <= 1e-15 + 1e-12 * std::abs(expected);
}

} // namespace

class TestCliDiff : public QObject {
    Q_OBJECT
private slots:
    void textListsLargestChangeFirst();
    void jsonEqualsTorch();
    void sortAndTop();
    void folderInNaturalOrder();
    void usageAndErrors();
};

void TestCliDiff::textListsLargestChangeFirst() {
    const CliResult r = run_cli({QStringLiteral("diff"), golden("a.pt"), golden("b.pt")});
    NNSCOPE_EXPECT_CLI_OK(r);
    const QStringList lines = r.out.split(QLatin1Char('\n'));
    QVERIFY2(lines.value(1).endsWith(QStringLiteral("(\"module.\" stripped)")), qPrintable(r.out));
    QCOMPARE(lines.value(2),
             QStringLiteral("7 matched, 1 with another shape, 1 only in A, 1 only in B"));
    // Header, then the pairs by change: the NaN pair (0.7411), the dtype pair, then the MLP's.
    QVERIFY(lines.value(4).startsWith(QStringLiteral("Tensor ")));
    QVERIFY2(lines.value(5).startsWith(QStringLiteral("extra.nan ")), qPrintable(r.out));
    QVERIFY(lines.value(5).contains(QStringLiteral("1 NaN/Inf pair left out")));
    QVERIFY(lines.value(6).contains(QStringLiteral("float32 -> float64, compared as float64")));
    QVERIFY2(lines.value(7).startsWith(QStringLiteral("2.bias ")), qPrintable(r.out));
    // torch: relative 0.13427589, cosine 0.99888914 (4 and 6 significant digits)
    QVERIFY(lines.value(7).contains(QStringLiteral(" 0.1343 ")));
    QVERIFY(lines.value(7).contains(QStringLiteral(" 0.998889 ")));
    // Columns aligned: every table row as wide up to its Differing column.
    const qsizetype end = lines.value(4).indexOf(QStringLiteral("Differing")) + 9;
    for (int i = 5; i <= 11; ++i)
        QCOMPARE(lines.value(i).indexOf(QLatin1Char('/')) < end, true);
    QVERIFY(
        r.out.contains(QStringLiteral("shape differs: extra.shape  A [3, 4] float32  B [4, 3]")));
    QVERIFY(r.out.contains(QStringLiteral("only in A: extra.only_a")));
    QVERIFY(r.out.contains(QStringLiteral("only in B: extra.only_b")));
}

void TestCliDiff::jsonEqualsTorch() {
    const CliResult r =
        run_cli({QStringLiteral("diff"), golden("a.pt"), golden("b.pt"), QStringLiteral("--json"),
                 QStringLiteral("--bins"), QStringLiteral("16")});
    NNSCOPE_EXPECT_CLI_OK(r);
    const QJsonObject j = json_of(r);
    QCOMPARE(j[QStringLiteral("stripped_prefix")].toObject()[QStringLiteral("b")].toBool(), true);
    const QJsonObject pairs = expected()[QStringLiteral("pairs")].toObject();
    const QJsonArray tensors = j[QStringLiteral("tensors")].toArray();
    QCOMPARE(tensors.size(), 10);
    int checked = 0;
    for (const QJsonValue& value : tensors) {
        const QJsonObject t = value.toObject();
        const QString name = t[QStringLiteral("name")].toString();
        if (!pairs.contains(name)) continue;
        const QJsonObject e = pairs[name].toObject();
        for (const char* key : {"max_abs", "cosine"})
            QVERIFY2(close(t[QLatin1String(key)].toDouble(), e[QLatin1String(key)].toDouble()),
                     qPrintable(name + QLatin1Char(' ') + QLatin1String(key)));
        QVERIFY(close(t[QStringLiteral("relative_change")].toDouble(),
                      e[QStringLiteral("relative")].toDouble()));
        QCOMPARE(t[QStringLiteral("differing")].toInt(), e[QStringLiteral("differing")].toInt());
        QCOMPARE(t[QStringLiteral("histogram")].toObject()[QStringLiteral("counts")].toArray(),
                 e[QStringLiteral("histc")].toArray());
        ++checked;
    }
    QCOMPARE(checked, pairs.size());
    // The rows without figures still say what they are.
    const QJsonObject last = tensors.last().toObject();
    QCOMPARE(last[QStringLiteral("status")].toString(), QStringLiteral("only in B"));
    QVERIFY(last[QStringLiteral("shape_a")].isNull());
    QCOMPARE(last[QStringLiteral("shape_b")].toArray(), QJsonArray({2}));
}

void TestCliDiff::sortAndTop() {
    // Options before the files read as well as after them.
    const CliResult r = run_cli({QStringLiteral("diff"), QStringLiteral("--json"),
                                 QStringLiteral("--sort"), QStringLiteral("name"), golden("a.pt"),
                                 QStringLiteral("--top"), QStringLiteral("2"), golden("b.pt")});
    NNSCOPE_EXPECT_CLI_OK(r);
    const QJsonArray tensors = json_of(r)[QStringLiteral("tensors")].toArray();
    QCOMPARE(tensors.size(), 2);
    QCOMPARE(tensors[0].toObject()[QStringLiteral("name")].toString(), QStringLiteral("0.bias"));
    QCOMPARE(tensors[1].toObject()[QStringLiteral("name")].toString(), QStringLiteral("0.weight"));
    const CliResult text = run_cli({QStringLiteral("diff"), golden("a.pt"), golden("b.pt"),
                                    QStringLiteral("--top"), QStringLiteral("1")});
    NNSCOPE_EXPECT_CLI_OK(text);
    QVERIFY2(text.out.contains(QStringLiteral("(9 more rows; see --top)")), qPrintable(text.out));
}

void TestCliDiff::folderInNaturalOrder() {
    const CliResult r = run_cli({QStringLiteral("diff"), golden("epochs")});
    NNSCOPE_EXPECT_CLI_OK(r);
    QVERIFY(r.out.startsWith(QStringLiteral("3 checkpoints in ")));
    const qsizetype e1 = r.out.indexOf(QStringLiteral("epoch_1.pt"));
    const qsizetype e2 = r.out.indexOf(QStringLiteral("epoch_2.pt"));
    const qsizetype e10 = r.out.indexOf(QStringLiteral("epoch_10.pt"));
    QVERIFY(e1 >= 0 && e1 < e2 && e2 < e10);
    const CliResult j =
        run_cli({QStringLiteral("diff"), golden("epochs"), QStringLiteral("--json")});
    NNSCOPE_EXPECT_CLI_OK(j);
    const QJsonObject doc = json_of(j);
    QCOMPARE(doc[QStringLiteral("files")].toArray(),
             QJsonArray({QStringLiteral("epoch_1.pt"), QStringLiteral("epoch_2.pt"),
                         QStringLiteral("epoch_10.pt")}));
    const QJsonObject want =
        expected()[QStringLiteral("epochs")].toObject()[QStringLiteral("tensors")].toObject();
    for (const QJsonValue& value : doc[QStringLiteral("tensors")].toArray()) {
        const QJsonObject t = value.toObject();
        const QJsonObject e = want[t[QStringLiteral("name")].toString()].toObject();
        const QJsonArray change = t[QStringLiteral("change")].toArray();
        QVERIFY(change[0].isNull()); // no previous checkpoint (NaN is written as null)
        for (int i = 1; i < 3; ++i)
            QVERIFY(std::abs(change[i].toDouble() -
                             e[QStringLiteral("change")].toArray()[i].toDouble()) < 1e-9);
    }
}

void TestCliDiff::usageAndErrors() {
    const CliResult help = run_cli({QStringLiteral("diff"), QStringLiteral("--help")});
    NNSCOPE_EXPECT_CLI_OK(help);
    QVERIFY(help.out.startsWith(QStringLiteral("usage: nnscope-cli diff A [B]")));
    const CliResult missing = run_cli({QStringLiteral("diff"), golden("a.pt")});
    QCOMPARE(missing.exit_code, 2);
    QVERIFY2(missing.err.contains(QStringLiteral("missing B")), qPrintable(missing.err));
    const CliResult sort = run_cli({QStringLiteral("diff"), golden("a.pt"), golden("b.pt"),
                                    QStringLiteral("--sort"), QStringLiteral("size")});
    QCOMPARE(sort.exit_code, 2);
    QVERIFY(sort.err.contains(QStringLiteral("--sort is change or name")));
    const CliResult folder_sort = run_cli({QStringLiteral("diff"), golden("epochs"),
                                           QStringLiteral("--sort"), QStringLiteral("name")});
    QCOMPARE(folder_sort.exit_code, 2);
    QVERIFY(folder_sort.err.contains(QStringLiteral("not to a folder")));
    const CliResult absent = run_cli({QStringLiteral("diff"), golden("a.pt"), golden("absent.pt")});
    QCOMPARE(absent.exit_code, 1);
    QVERIFY2(absent.err.contains(QStringLiteral("absent.pt")), qPrintable(absent.err));
    QVERIFY(!absent.crashed);
    const CliResult not_model =
        run_cli({QStringLiteral("diff"), golden("a.pt"), golden("expected.json")});
    QCOMPARE(not_model.exit_code, 1);
    QVERIFY2(not_model.err.contains(QStringLiteral("expected.json")), qPrintable(not_model.err));
}

QTEST_GUILESS_MAIN(TestCliDiff)
#include "tst_cli_diff.moc"
