// The training workspace's module tree model under QAbstractItemModelTester: the tree from dotted
// paths, the live numbers of an observed step (dead units only for ReLUs, a module's own
// parameters' gradient norm), updates as dataChanged without a reset, the highlighted module, and
// a 2,000-module model kept cheap to update while the training tree shows it.

#include "ui/models/train_module_model.h"
#include "ui/train/module_tree.h"
#include "ui/train/train_session.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTreeView>
#include <QtTest>
#include <cmath>

using namespace nnscope;
using ui::TrainModuleModel;

namespace {

session::TrainModuleInfo info(const std::string& path, const std::string& type) {
    session::TrainModuleInfo m;
    m.path = path;
    m.type = type;
    m.depth = path.empty() ? 0 : 1 + std::int64_t(std::count(path.begin(), path.end(), '.'));
    return m;
}

std::vector<session::TrainModuleInfo> nested() {
    return {info("", "Net"),
            info("features", "Sequential"),
            info("features.0", "Conv2d"),
            info("features.1", "ReLU"),
            info("head", "Linear"),
            info("head.drop", "Dropout")};
}

workflows::StreamStats streamOf(double mean, double std, std::int64_t numel, std::int64_t zeros) {
    workflows::StreamStats s;
    s.stats.numel = s.stats.finite = numel;
    s.stats.mean = mean;
    s.stats.std = std;
    s.stats.zeros = zeros;
    return s;
}

workflows::ModuleStepStats moduleStats(const std::string& path, const std::string& type,
                                       std::optional<workflows::StreamStats> act,
                                       std::optional<workflows::StreamStats> grad) {
    workflows::ModuleStepStats m;
    m.module = path;
    m.type = type;
    m.activation = std::move(act);
    m.gradient = std::move(grad);
    return m;
}

workflows::ParamStepStats param(const std::string& name, double grad_norm) {
    workflows::ParamStepStats p;
    p.name = name;
    p.grad_norm = grad_norm;
    p.weight_norm = 1;
    p.update_norm = 0.01;
    return p;
}

double valueAt(const TrainModuleModel& model, const QString& path, int column) {
    const QModelIndex i = model.indexOfPath(path);
    return model.data(i.siblingAtColumn(column), TrainModuleModel::ValueRole).toDouble();
}

QString textAt(const TrainModuleModel& model, const QString& path, int column) {
    return model.data(model.indexOfPath(path).siblingAtColumn(column)).toString();
}

} // namespace

class TestTrainModuleModel : public QObject {
    Q_OBJECT
private slots:
    void treeFromDottedPaths() {
        TrainModuleModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModules(nested());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.data(root).toString(), QStringLiteral("model"));
        QCOMPARE(model.rowCount(root), 2);
        const QModelIndex features = model.index(0, 0, root);
        QCOMPARE(model.data(features).toString(), QStringLiteral("features"));
        QCOMPARE(model.rowCount(features), 2);
        const QModelIndex relu = model.index(1, 0, features);
        QCOMPARE(model.data(relu).toString(), QStringLiteral("1"));
        QCOMPARE(model.data(relu.siblingAtColumn(TrainModuleModel::Type)).toString(),
                 QStringLiteral("ReLU"));
        QCOMPARE(model.pathOf(relu), QStringLiteral("features.1"));
        QCOMPARE(model.parent(relu), features);
        QCOMPARE(model.indexOfPath(QStringLiteral("head.drop")).parent(),
                 model.indexOfPath(QStringLiteral("head")));
        QVERIFY(!model.indexOfPath(QStringLiteral("nope")).isValid());

        // A list without the root (a sub-tree): the top-level modules are the roots.
        model.setModules({info("a", "Linear"), info("a.b", "ReLU"), info("c", "Linear")});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
    }

    void numbersOfAnObservedStep() {
        TrainModuleModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModules(nested());
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        workflows::StepRecord record;
        record.step = 17;
        record.observed = true;
        record.modules.push_back(moduleStats("features.0", "Conv2d", streamOf(0.25, 1.5, 100, 0),
                                             streamOf(0.0, 0.002, 100, 0)));
        record.modules.push_back(
            moduleStats("features.1", "ReLU", streamOf(0.4, 0.6, 200, 50), std::nullopt));
        record.modules.push_back(
            moduleStats("head", "Linear", streamOf(-1.0, 2.0, 10, 5), std::nullopt));
        record.params = {param("features.0.weight", 3), param("features.0.bias", 4),
                         param("head.weight", 2)};
        model.setNumbers(record);

        QCOMPARE(reset.count(), 0);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.numbersStep(), std::int64_t(17));
        const QString conv = QStringLiteral("features.0"), relu = QStringLiteral("features.1");
        QCOMPARE(valueAt(model, conv, TrainModuleModel::ActMean), 0.25);
        QCOMPARE(valueAt(model, conv, TrainModuleModel::ActStd), 1.5);
        QCOMPARE(valueAt(model, conv, TrainModuleModel::GradStd), 0.002);
        QCOMPARE(valueAt(model, conv, TrainModuleModel::GradNorm), 5.0); // sqrt(3^2 + 4^2)
        // Zeros of a ReLU are dead units; zeros of a Linear's output are not.
        QVERIFY(std::isnan(valueAt(model, conv, TrainModuleModel::Dead)));
        QCOMPARE(valueAt(model, relu, TrainModuleModel::Dead), 0.25);
        QCOMPARE(textAt(model, relu, TrainModuleModel::Dead), QStringLiteral("25.0%"));
        QVERIFY(std::isnan(valueAt(model, QStringLiteral("head"), TrainModuleModel::Dead)));
        QCOMPARE(valueAt(model, QStringLiteral("head"), TrainModuleModel::GradNorm), 2.0);
        // Not observed: nothing shown, not a zero.
        QVERIFY(std::isnan(valueAt(model, QStringLiteral("head.drop"), TrainModuleModel::ActMean)));
        QCOMPARE(textAt(model, QStringLiteral("head.drop"), TrainModuleModel::ActMean), QString());
        QCOMPARE(textAt(model, conv, TrainModuleModel::ActStd), QStringLiteral("1.5"));

        // The next step replaces the numbers: a module it leaves out shows none.
        workflows::StepRecord next;
        next.step = 18;
        next.observed = true;
        next.modules.push_back(
            moduleStats("features.1", "ReLU", streamOf(0.5, 0.7, 200, 100), std::nullopt));
        model.setNumbers(next);
        QCOMPARE(valueAt(model, relu, TrainModuleModel::Dead), 0.5);
        QVERIFY(std::isnan(valueAt(model, conv, TrainModuleModel::ActMean)));
        QVERIFY(std::isnan(valueAt(model, conv, TrainModuleModel::GradNorm)));
        QCOMPARE(reset.count(), 0);
    }

    void highlightsTheRunningModule() {
        TrainModuleModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModules(nested());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setHighlighted(QStringLiteral("head"));
        QCOMPARE(model.highlighted(), QStringLiteral("head"));
        QCOMPARE(changed.count(), 1);
        const QModelIndex head = model.indexOfPath(QStringLiteral("head"));
        QVERIFY(model.data(head, TrainModuleModel::HighlightRole).toBool());
        QVERIFY(model.data(head, Qt::FontRole).value<QFont>().bold());
        QVERIFY(model.data(head, Qt::BackgroundRole).isValid());
        model.setHighlighted(QString()); // "" would be the root: a null string is none
        QCOMPARE(changed.count(), 2);
        QVERIFY(!model.data(head, TrainModuleModel::HighlightRole).toBool());
        model.setHighlighted(QStringLiteral(""));
        QVERIFY(model.data(model.index(0, 0), TrainModuleModel::HighlightRole).toBool());
        model.setHighlighted(QStringLiteral("unknown"));
        QCOMPARE(model.highlighted(), QString());
    }

    // 2,000 modules (a Sequential of 400 blocks of 4): a new step's numbers reach a shown tree
    // without a reset and cheaply enough for 30 updates a second. The bound is loose: the machine
    // is shared.
    void twoThousandModules() {
        std::vector<session::TrainModuleInfo> modules{info("", "Sequential")};
        for (int b = 0; b < 400; ++b) {
            const std::string block = std::to_string(b);
            modules.push_back(info(block, "Block"));
            modules.push_back(info(block + ".fc", "Linear"));
            modules.push_back(info(block + ".act", "ReLU"));
            modules.push_back(info(block + ".norm", "LayerNorm"));
            modules.push_back(info(block + ".drop", "Dropout"));
        }
        QCOMPARE(modules.size(), std::size_t(2001));
        ui::TrainSession session;
        ui::TrainModuleTree tree(&session);
        TrainModuleModel& model = *tree.model();
        model.setModules(modules);
        tree.view()->expandAll();
        tree.resize(800, 600);
        tree.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tree));
        const std::vector<QModelIndex> shown = tree.shownRows();
        QVERIFY(shown.size() > 5 && shown.size() < 100);

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const int steps = 30;
        std::vector<std::shared_ptr<session::TrainProgress>> progress;
        for (int s = 0; s < steps; ++s) {
            auto p = std::make_shared<session::TrainProgress>();
            workflows::StepRecord record;
            record.step = s;
            record.observed = true;
            for (const auto& m : modules)
                record.modules.push_back(
                    moduleStats(m.path, m.type, streamOf(s, 1, 64, 16), streamOf(0, 0.1, 64, 0)));
            for (int b = 0; b < 400; ++b)
                record.params.push_back(param(std::to_string(b) + ".fc.weight", 1.0 + s));
            p->steps.push_back(std::move(record));
            progress.push_back(std::move(p));
        }
        QElapsedTimer timer;
        timer.start();
        for (const auto& p : progress) {
            emit session.progressed(*p);
            QCoreApplication::processEvents();
        }
        const double ms_per_step = double(timer.elapsed()) / steps;
        qInfo("2,000 modules: %.2f ms per step (numbers and repaint)", ms_per_step);
        QVERIFY2(ms_per_step < 50, qPrintable(QString::number(ms_per_step)));
        QCOMPARE(reset.count(), 0);
        // Only the shown rows were signalled: the 2,000 rows' numbers are still all current.
        QVERIFY(changed.count() <= steps * int(shown.size()));
        QCOMPARE(valueAt(model, QStringLiteral("399.act"), TrainModuleModel::Dead), 0.25);
        QCOMPARE(valueAt(model, QStringLiteral("123.fc"), TrainModuleModel::GradNorm), 30.0);
        QCOMPARE(valueAt(model, QStringLiteral("7"), TrainModuleModel::ActMean), 29.0);
    }
};

QTEST_MAIN(TestTrainModuleModel)
#include "tst_train_module_model.moc"
