// Tied weights (one tensor under two names) and the requires_grad / persistence flags, in files
// written by PyTorch itself (tests/golden/gen_tied.py): the module tree counts a shared tensor
// once per module as sum(p.numel() for p in m.parameters()) does, the totals count it once, the
// tensor table says which tensor it shares storage with, the flags are what the file records and
// "unknown" otherwise, and the worker streams the tied name's statistics without reading it twice.

#include "io/open_model.h"
#include "session/document_snapshot.h"
#include "session/session_controller.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/summary_model.h"
#include "ui/models/tensor_table_model.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <map>

using namespace nnscope;

namespace {

std::filesystem::path golden(const QString& file) {
    return std::filesystem::path(NNSCOPE_GOLDEN_DIR) / "tied" / file.toStdString();
}

QJsonObject expected() {
    QFile file(QString::fromStdString(golden(QStringLiteral("expected.json")).string()));
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read tied/expected.json");
    return QJsonDocument::fromJson(file.readAll()).object();
}

session::DocumentSnapshotPtr snapshot_of(const QString& file) {
    const auto path = golden(file);
    return std::make_shared<const session::DocumentSnapshot>(
        session::make_document_snapshot(io::open_model(path), path.string()));
}

const session::TensorRow* row_named(const session::DocumentSnapshot& s, const QString& name) {
    for (const auto& t : s.tensors)
        if (t.name == name.toStdString()) return &t;
    return nullptr;
}

// JSON null: the file does not say; true or false otherwise.
std::optional<bool> flag(const QJsonValue& value) {
    if (value.isNull()) return std::nullopt;
    return value.toBool();
}

} // namespace

class TestTiedTensors : public QObject {
    Q_OBJECT
private slots:
    void countsAndFlags_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("state_dict") << QStringLiteral("state_dict.pt");
        QTest::newRow("keep_vars checkpoint") << QStringLiteral("params.pt");
        QTest::newRow("torchscript") << QStringLiteral("script.pt");
    }

    void countsAndFlags() {
        QFETCH(QString, file);
        const QJsonObject want = expected().value(file).toObject();
        const auto s = snapshot_of(file);

        const qint64 parameters = want.value(QStringLiteral("parameters")).toInteger();
        QCOMPARE(s->modules.front().total_parameters, parameters);
        QCOMPARE(s->by_role.at(io::TensorRole::Parameter).elements, parameters);
        QCOMPARE(s->shared_names, std::int64_t(1));
        const QJsonObject modules = want.value(QStringLiteral("modules")).toObject();
        for (auto it = modules.begin(); it != modules.end(); ++it) {
            const QJsonArray counts = it.value().toArray();
            const int m = s->module_index(it.key().toStdString());
            // A state_dict implies modules from tensor names: one without tensors is not there.
            if (m < 0 && counts.at(1).toInteger() == 0) continue;
            QVERIFY2(m >= 0, qPrintable(it.key()));
            const auto& row = s->modules[std::size_t(m)];
            QCOMPARE(row.own_parameters, counts.at(0).toInteger());
            QCOMPARE(row.total_parameters, counts.at(1).toInteger());
        }

        const QJsonObject tensors = want.value(QStringLiteral("tensors")).toObject();
        QCOMPARE(s->tensors.size(), std::size_t(tensors.size()));
        for (auto it = tensors.begin(); it != tensors.end(); ++it) {
            const session::TensorRow* row = row_named(*s, it.key());
            QVERIFY2(row, qPrintable(it.key()));
            const QJsonObject facts = it.value().toObject();
            QCOMPARE(QString::fromStdString(row->shares_with),
                     facts.value(QStringLiteral("shares_with")).toString());
            QCOMPARE(row->requires_grad, flag(facts.value(QStringLiteral("requires_grad"))));
            QCOMPARE(row->persistent, flag(facts.value(QStringLiteral("persistent"))));
        }
    }

    void modelsShowTheTieAndTheFlags() {
        const auto s = snapshot_of(QStringLiteral("script.pt"));
        ui::TensorTableModel table;
        QAbstractItemModelTester table_tester(
            &table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        table.setDocument(s);
        table.setModule(QString());
        const auto flags = [&](const QString& name) {
            return table.index(table.rowOfTensor(name), ui::TensorTableModel::Flags)
                .data()
                .toString();
        };
        QCOMPARE(flags(QStringLiteral("head.weight")),
                 QStringLiteral("requires_grad · shares storage with embed.weight"));
        QCOMPARE(flags(QStringLiteral("embed.weight")), QStringLiteral("requires_grad"));
        QCOMPARE(flags(QStringLiteral("scale")), QStringLiteral("no grad"));
        QCOMPARE(flags(QStringLiteral("mask")), QStringLiteral("persistent"));

        ui::TensorTableModel detached;
        QAbstractItemModelTester detached_tester(
            &detached, QAbstractItemModelTester::FailureReportingMode::QtTest);
        detached.setDocument(snapshot_of(QStringLiteral("state_dict.pt")));
        detached.setModule(QString());
        QCOMPARE(detached
                     .index(detached.rowOfTensor(QStringLiteral("head.weight")),
                            ui::TensorTableModel::Flags)
                     .data()
                     .toString(),
                 QStringLiteral("unknown · shares storage with embed.weight"));

        ui::ModuleTreeModel tree;
        QAbstractItemModelTester tree_tester(
            &tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tree.setDocument(s);
        const QModelIndex root = tree.index(0, ui::ModuleTreeModel::TotalParameters);
        QCOMPARE(root.data().toString(), QLocale().toString(269));

        ui::SummaryModel summary;
        QAbstractItemModelTester summary_tester(
            &summary, QAbstractItemModelTester::FailureReportingMode::QtTest);
        summary.setDocument(s);
        QCOMPARE(summary.value(QStringLiteral("File"), QStringLiteral("parameters")),
                 QLocale().toString(269));
        QCOMPARE(summary.value(QStringLiteral("File"), QStringLiteral("shared names")),
                 QStringLiteral("1 (tied tensors, counted once)"));
    }

    void workerStreamsTheTiedNamesStatistics() {
        session::SessionController controller;
        QSignalSpy stats(&controller, &session::SessionController::statsReady);
        QSignalSpy finished(&controller, &session::SessionController::statsFinished);
        controller.open(QString::fromStdString(golden(QStringLiteral("script.pt")).string()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        std::map<std::string, session::TensorStats> merged;
        for (const auto& args : stats) {
            const auto batch = args.at(0).value<session::StatsBatchPtr>();
            merged.insert(batch->stats.begin(), batch->stats.end());
        }
        QCOMPARE(merged.size(), std::size_t(12));
        const QJsonObject want = expected().value(QStringLiteral("embed_weight_stats")).toObject();
        for (const char* name : {"embed.weight", "head.weight"}) {
            const session::TensorStats& got = merged.at(name);
            for (const auto& [key, value] :
                 {std::pair{"min", got.min}, std::pair{"max", got.max}, std::pair{"mean", got.mean},
                  std::pair{"std", got.std}}) {
                const double ref = want.value(QLatin1String(key)).toDouble();
                QVERIFY2(std::abs(value - ref) <= 1e-5 + 1e-4 * std::abs(ref),
                         qPrintable(QStringLiteral("%1 %2: %3 vs %4")
                                        .arg(QLatin1String(name), QLatin1String(key))
                                        .arg(value)
                                        .arg(ref)));
            }
        }
    }
};

QTEST_MAIN(TestTiedTensors)
#include "tst_tied_tensors.moc"
