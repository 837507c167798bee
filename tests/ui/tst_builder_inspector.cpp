// The model builder's live inspector (issue #17) with a real model, Sequential(Flatten,
// LazyLinear(32), ReLU, Linear(32, 10)) with a non-persistent buffer: once the worker answers,
// the Tensors table marks the buffer as not saved, the dry run fixes the LazyLinear to 784 for
// 1x1x28x28, and the default kaiming rule changes the Linear weights' histogram; the rules
// editor refuses unknown types and schemes, Apply runs the edited rules, a typed shape is
// validated, a called ModuleList shows PyTorch's error and a spec that does not build says why.
// Every model runs under QAbstractItemModelTester. The widget is grabbed at 800 and 500 px
// wide into /tmp (builder_inspector_*.png) for a look.

#include "io/architecture.h"
#include "support/builder_spec.h"
#include "ui/builder/apply_rules_model.h"
#include "ui/builder/before_after_histogram.h"
#include "ui/builder/builder_inspector.h"
#include "ui/builder/dry_run_model.h"
#include "ui/builder/inspector_apply_tab.h"
#include "ui/builder/inspector_dry_run_tab.h"
#include "ui/builder/registered_tensors_model.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QtTest>
#include <qcustomplot.h>

using namespace nnscope;
using ui::ApplyRulesModel;
using ui::BuilderInspector;
using ui::DryRunModel;
using ui::RegisteredTensorsModel;

namespace {

const char* const kSpec = test::kBuilderSpec;

io::ModuleSpec spec(const char* json = kSpec) {
    return io::parse_architecture(json);
}

// Waits for the answer to everything asked so far.
bool settled(BuilderInspector& v) {
    return QTest::qWaitFor([&] { return v.inspection() && !v.isBusy(); }, 20000);
}

int rowOf(const QAbstractItemModel& m, int column, const QString& text) {
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, column).data().toString().trimmed() == text) return r;
    return -1;
}

QTreeWidgetItem* stepItem(QTreeWidget* tree, const QString& title) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == title) return tree->topLevelItem(i);
    return nullptr;
}

std::unique_ptr<QAbstractItemModelTester> tester(QAbstractItemModel* m) {
    return std::make_unique<QAbstractItemModelTester>(
        m, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

} // namespace

class TstBuilderInspector : public QObject {
    Q_OBJECT
private slots:
    void showsWhatTheModelRegistersRunsAndApplies() {
        BuilderInspector v;
        v.resize(800, 600);
        v.show();
        const auto t1 = tester(v.tensorsModel());
        const auto t2 = tester(v.dryRunModel());
        const auto t3 = tester(v.rulesModel());
        v.setModel(spec(), 5);
        QCOMPARE(v.statusText(), QStringLiteral("computing..."));
        QVERIFY(settled(v));
        QCOMPARE(v.statusText(), QString());

        // Tensors: the non-persistent buffer is listed, not saved, and visibly marked.
        const RegisteredTensorsModel& tensors = *v.tensorsModel();
        const int noise = rowOf(tensors, RegisteredTensorsModel::Key, QStringLiteral("noise"));
        QVERIFY(noise >= 0);
        QCOMPARE(tensors.index(noise, RegisteredTensorsModel::Kind).data().toString(),
                 QStringLiteral("buffer, persistent=False"));
        QCOMPARE(tensors.index(noise, RegisteredTensorsModel::Saved).data().toString(),
                 QStringLiteral("no"));
        QVERIFY(tensors.index(noise, 0).data(Qt::FontRole).value<QFont>().italic());
        const int weight = rowOf(tensors, RegisteredTensorsModel::Key, QStringLiteral("3.weight"));
        QCOMPARE(tensors.index(weight, RegisteredTensorsModel::Saved).data().toString(),
                 QStringLiteral("yes"));
        QCOMPARE(tensors.index(weight, RegisteredTensorsModel::Shape).data().toString(),
                 QStringLiteral("[10, 32]"));
        const int lazy = rowOf(tensors, RegisteredTensorsModel::Key, QStringLiteral("1.weight"));
        QCOMPARE(tensors.index(lazy, RegisteredTensorsModel::Shape).data().toString(),
                 QStringLiteral("not yet (lazy)"));
        QVERIFY(!v.savedKeys()->findItems(QStringLiteral("3.weight"), Qt::MatchExactly).isEmpty());
        const auto left_out =
            v.savedKeys()->findItems(QStringLiteral("noise: not saved"), Qt::MatchStartsWith);
        QCOMPARE(left_out.size(), 1);
        QVERIFY(v.countsText().startsWith(QStringLiteral("330 parameters")));

        // Dry run: the LazyLinear's in_features got fixed to 784 by the 1x1x28x28 input.
        const DryRunModel& run = *v.dryRunModel();
        QCOMPARE(run.rowCount(), 5);
        const int linear = rowOf(run, DryRunModel::Layer, QStringLiteral("1 (Linear: 1-2)"));
        QVERIFY(linear >= 0);
        QCOMPARE(run.index(linear, DryRunModel::InputShape).data().toString(),
                 QStringLiteral("[1, 784]"));
        QCOMPARE(run.index(linear, DryRunModel::Params).data().toString(),
                 QStringLiteral("25,120"));
        QVERIFY(
            run.index(linear, DryRunModel::Note).data().toString().contains(QStringLiteral("784")));
        QVERIFY2(run.footerText().contains(QStringLiteral("output [1, 10]")),
                 qPrintable(run.footerText()));
        QVERIFY(run.footerText().startsWith(QStringLiteral("Total params: 25,450")));

        // apply: the default kaiming rule changed 3.weight, visited after its siblings.
        auto* tab = v.applyTab();
        auto* step = stepItem(tab->steps(), QStringLiteral("3 (Linear)"));
        QVERIFY(step);
        QCOMPARE(step->childCount(), 2);
        QCOMPARE(step->child(0)->data(0, ui::InspectorApplyTab::KeyRole).toString(),
                 QStringLiteral("3.weight"));
        QCOMPARE(tab->steps()->topLevelItem(tab->steps()->topLevelItemCount() - 1)->text(0),
                 QStringLiteral("(root) Sequential"));
        QVERIFY(tab->scriptText().contains(QStringLiteral("model.apply(init)")));
        QVERIFY(tab->selectTensor(QStringLiteral("3.weight")));
        QVERIFY2(tab->histogram()->caption().contains(QStringLiteral("std")) &&
                     !tab->histogram()->caption().contains(QStringLiteral("unchanged")),
                 qPrintable(tab->histogram()->caption()));
        const auto& inspection = *v.inspection();
        const int k = inspection.valueIndex("3.weight");
        QVERIFY(inspection.after[std::size_t(k)].stats.std >
                2 * inspection.before[std::size_t(k)].stats.std);
        QVERIFY(tab->histogram()->afterBars()->data()->size() > 0);
        QVERIFY(tab->selectTensor(QStringLiteral("noise")));
        QVERIFY(tab->histogram()->caption().contains(QStringLiteral("unchanged")));
        QVERIFY(!tab->selectTensor(QStringLiteral("1.weight"))); // lazy: no values yet

        // Screenshots of each tab at two widths, for a look (not compared).
        tab->selectTensor(QStringLiteral("3.weight"));
        for (int width : {800, 500}) {
            v.resize(width, 600);
            for (int i = 0; i < v.tabs()->count(); ++i) {
                v.tabs()->setCurrentIndex(i);
                QTest::qWait(30);
                v.grab().save(
                    QStringLiteral("/tmp/builder_inspector_%1_%2.png")
                        .arg(v.tabs()->tabText(i).replace(QLatin1Char(' '), QLatin1Char('_')))
                        .arg(width));
            }
        }
        v.shutdown();
    }

    void rulesEditorAndApply() {
        BuilderInspector v;
        const auto t = tester(v.rulesModel());
        ApplyRulesModel& rules = *v.rulesModel();
        QCOMPARE(rules.rowCount(), 4);
        QCOMPARE(v.applyTab()->applyButton()->text(), QStringLiteral("Apply"));
        QVERIFY(ApplyRulesModel::moduleTypes().contains(QStringLiteral("LazyLinear")));
        QCOMPARE(ApplyRulesModel::moduleTypes().first(), QStringLiteral("*"));
        QVERIFY(
            !rules.setData(rules.index(0, ApplyRulesModel::ModuleType), QStringLiteral("Nope")));
        QVERIFY(!rules.setData(rules.index(0, ApplyRulesModel::Scheme), QStringLiteral("kaiming")));
        QVERIFY(!rules.setData(rules.index(0, ApplyRulesModel::Tensor), QStringLiteral("a.b")));
        // kaiming takes neither a nor b; constant takes a.
        QVERIFY(!(rules.flags(rules.index(0, ApplyRulesModel::A)) & Qt::ItemIsEditable));
        QCOMPARE(rules.index(0, ApplyRulesModel::A).data().toString(), QStringLiteral("--"));
        QVERIFY(rules.setData(rules.index(0, ApplyRulesModel::Scheme), QStringLiteral("constant")));
        QVERIFY(rules.flags(rules.index(0, ApplyRulesModel::A)) & Qt::ItemIsEditable);
        QVERIFY(rules.setData(rules.index(0, ApplyRulesModel::A), 0.5));
        QCOMPARE(rules.index(0, ApplyRulesModel::A).data().toString(), QStringLiteral("0.5"));
        QVERIFY(rules.removeRows(1, 3));
        QVERIFY(rules.insertRows(1, 1));
        QCOMPARE(rules.rules().at(1).module_type, std::string("*"));
        QVERIFY(rules.removeRows(1, 1));

        v.setModel(spec(), 1);
        QVERIFY(settled(v));
        QCOMPARE(v.applyTab()->applyButton()->text(), QStringLiteral("Apply (edited)"));
        v.applyTab()->applyButton()->click();
        QCOMPARE(v.applyTab()->applyButton()->text(), QStringLiteral("Apply"));
        QVERIFY(v.isBusy());
        QVERIFY(settled(v));
        const auto& r = *v.inspection();
        QCOMPARE(r.request.rules.size(), std::size_t(1));
        const auto& after = r.after[std::size_t(r.valueIndex("3.weight"))].stats;
        QCOMPARE(after.min, 0.5);
        QCOMPARE(after.max, 0.5);
        QVERIFY(v.applyTab()->scriptText().contains(
            QStringLiteral("nn.init.constant_(m.weight, 0.5)")));
        v.shutdown();
    }

    void inputShapeIsValidatedAsTyped() {
        BuilderInspector v;
        const auto t = tester(v.dryRunModel());
        v.setModel(spec(), 0);
        QVERIFY(settled(v));
        auto* edit = v.dryRunTab()->shapeEdit();
        edit->setText(QStringLiteral("2xabc"));
        QVERIFY(v.dryRunTab()->messageText().contains(QStringLiteral("'abc' is not a size")));
        QVERIFY(settled(v));
        QVERIFY(!v.inspection()->dry_run); // no shape, no run
        QCOMPARE(v.dryRunModel()->rowCount(), 0);
        edit->setText(QStringLiteral("3x5x4"));
        QVERIFY(v.dryRunTab()->messageText().isEmpty());
        QVERIFY(settled(v));
        const DryRunModel& run = *v.dryRunModel();
        const int linear = rowOf(run, DryRunModel::Layer, QStringLiteral("1 (Linear: 1-2)"));
        QVERIFY(linear >= 0);
        QCOMPARE(run.index(linear, DryRunModel::InputShape).data().toString(),
                 QStringLiteral("[3, 20]"));
        QVERIFY(
            run.index(linear, DryRunModel::Note).data().toString().contains(QStringLiteral("20")));
        v.shutdown();
    }

    void calledModuleListShowsPyTorchsError() {
        BuilderInspector v;
        const auto t = tester(v.dryRunModel());
        v.setModel(spec(R"({"type": "ModuleList", "children": [
            ["0", {"type": "Linear", "in_features": 4, "out_features": 2}]]})"),
                   0);
        v.dryRunTab()->setInputShape(QStringLiteral("1x4"));
        QVERIFY(settled(v));
        const DryRunModel& run = *v.dryRunModel();
        QCOMPARE(run.rowCount(), 3); // ModuleList, its Linear, the error
        QVERIFY(run.isErrorRow(2));
        const QString error = run.index(2, DryRunModel::Note).data().toString();
        QVERIFY2(error.contains(QStringLiteral("missing the required \"forward\" function")),
                 qPrintable(error));
        QVERIFY(run.index(2, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(run.footerText().contains(QStringLiteral("the forward stopped")));
        v.shutdown();
    }

    void specThatDoesNotBuildSaysWhy() {
        BuilderInspector v;
        auto bad = spec();
        bad.children[3].spec.arguments.front().second = nn::Value(std::int64_t(-1));
        v.setModel(bad, 0);
        QVERIFY(settled(v));
        QVERIFY2(v.statusText().startsWith(QStringLiteral("The model does not build: ")) &&
                     v.statusText().contains(QStringLiteral("module '3' (Linear)")),
                 qPrintable(v.statusText()));
        QCOMPARE(v.tensorsModel()->rowCount(), 0);
        QCOMPARE(v.dryRunModel()->rowCount(), 0);
        v.setModel(spec(), 0);
        QVERIFY(settled(v));
        QCOMPARE(v.statusText(), QString());
        v.shutdown();
    }

    // Twenty quick edits are one request after the debounce: the last seed is the one shown.
    void burstOfEditsIsDebounced() {
        BuilderInspector v;
        int shown = 0;
        connect(&v, &BuilderInspector::inspected, this, [&] { ++shown; });
        for (std::uint64_t seed = 0; seed < 20; ++seed)
            v.setModel(spec(), seed);
        QVERIFY(settled(v));
        QTest::qWait(300);
        QCOMPARE(shown, 1);
        QCOMPARE(v.inspection()->request.seed, std::uint64_t(19));
        v.shutdown();
        v.setModel(spec(), 1); // after shutdown: nothing asked, nothing breaks
        QVERIFY(!v.isBusy());
    }
};

QTEST_MAIN(TstBuilderInspector)
#include "tst_builder_inspector.moc"
