#pragma once
// Reads the top-k table `nnscope-cli run` prints ("rank  probability  class  name" and one line
// per class), for the tst_cli_run_* tests.

#include <QRegularExpression>
#include <QString>
#include <vector>

namespace nnscope::test {

struct PrintedPrediction {
    int rank = 0;
    double probability = 0;
    qint64 index = 0;
    QString name;
};

inline std::vector<PrintedPrediction> printed_predictions(const QString& out) {
    static const QRegularExpression line(
        QStringLiteral("^\\s*(\\d+)\\s+([0-9.]+)\\s+(\\d+)(?:  (.*))?$"),
        QRegularExpression::MultilineOption);
    std::vector<PrintedPrediction> rows;
    const int table = out.indexOf(QStringLiteral("rank  probability  class  name"));
    if (table < 0) return rows;
    auto it = line.globalMatch(out.mid(table));
    while (it.hasNext()) {
        const auto m = it.next();
        rows.push_back({m.captured(1).toInt(), m.captured(2).toDouble(), m.captured(3).toLongLong(),
                        m.captured(4)});
    }
    return rows;
}

} // namespace nnscope::test
