// The Run panel pairs a state_dict with an architecture, as nnscope-cli run --architecture
// [--non-strict] does: the bundled cnn's tensors saved as a plain safetensors state_dict (no
// modules) are refused alone, with the Architecture box named; paired with the native cnn they
// run and load_state_dict's report is shown; with a key missing, strict loading fails with
// PyTorch's "Missing key(s)" text and non-strict loading runs and reports _IncompatibleKeys.

#include "io/model_document.h"
#include "io/open_model.h"
#include "io/safetensors.h"
#include "ui/browser_test_support.h"
#include "ui/pages/architecture_picker.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/run_panel.h"

#include <QComboBox>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using test::cnn_file;
using test::open_and_settle;
using ui::BrowserPage;
using ui::RunPanel;

namespace {

// The cnn's state_dict as a plain safetensors file, without the tensors named in `drop`.
QString write_state_dict(const QTemporaryDir& dir, const QString& name, const std::string& drop) {
    const io::ModelDocument document = io::open_model(cnn_file().toStdString());
    io::NamedTensors tensors;
    for (const auto& entry : document.tensors)
        if (entry.name != drop) tensors.emplace_back(entry.name, entry.load());
    const QString path = dir.filePath(name);
    io::save_safetensors(path.toStdString(), tensors);
    return path;
}

// Runs the panel to its end: true when a result arrived, false when the run failed.
bool run_to_end(RunPanel& panel) {
    if (!panel.run()) return false;
    if (!QTest::qWaitFor([&] { return !panel.isRunning(); }, 30000)) return false;
    return panel.result() != nullptr;
}

} // namespace

class TestRunPanelArchitecture : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void pickerLists() {
        ui::ArchitecturePicker picker;
        QCOMPARE(picker.architecture(), std::string());
        QVERIFY(picker.strict());
        QVERIFY(picker.combo()->findText(QStringLiteral("torchvision:resnet18")) > 0);
        picker.setArchitecture(QStringLiteral("  torchvision:vgg11 "));
        QCOMPARE(picker.architecture(), std::string("torchvision:vgg11"));
    }

    void stateDictNeedsArchitecture() {
        const QString file = write_state_dict(dir_, QStringLiteral("cnn_state.safetensors"), "");
        BrowserPage page;
        page.resize(1400, 900);
        QVERIFY(open_and_settle(page, file));
        RunPanel& panel = *page.runPanel();
        panel.setInput(RunPanel::InputKind::Random);
        // Class 0 of a random input is class 0, not "label" (a data set sample's own).
        panel.setBackward(RunPanel::Backward::ClassScore, 0);
        QCOMPARE(panel.targetSpin()->text(), QStringLiteral("0"));
        panel.setBackward(RunPanel::Backward::ClassScore, 1);

        QVERIFY(!run_to_end(panel));
        QVERIFY(panel.messageIsError());
        QVERIFY2(panel.message().contains(QLatin1String("no modules to run them")),
                 qPrintable(panel.message()));
        QVERIFY2(panel.message().contains(QLatin1String("Architecture box")),
                 qPrintable(panel.message()));

        panel.architecturePicker()->setArchitecture(cnn_file());
        QVERIFY2(run_to_end(panel), qPrintable(panel.message()));
        QVERIFY2(!panel.messageIsError(), qPrintable(panel.message()));
        QVERIFY2(panel.message().contains(
                     QLatin1String("load_state_dict: <All keys matched successfully>")),
                 qPrintable(panel.message()));
        QVERIFY(!panel.result()->run.modules.empty());
        QCOMPARE(panel.result()->model_kind, "state_dict + " + cnn_file().toStdString());
    }

    void missingKeyStrictAndNot() {
        const io::ModelDocument cnn = io::open_model(cnn_file().toStdString());
        const std::string dropped = cnn.tensors.back().name;
        const QString file =
            write_state_dict(dir_, QStringLiteral("cnn_missing.safetensors"), dropped);
        BrowserPage page;
        page.resize(1400, 900);
        QVERIFY(open_and_settle(page, file));
        RunPanel& panel = *page.runPanel();
        panel.setInput(RunPanel::InputKind::Random);
        panel.architecturePicker()->setArchitecture(cnn_file());

        QVERIFY(!run_to_end(panel));
        const QString missing = QStringLiteral("Missing key(s) in state_dict: \"%1\"")
                                    .arg(QString::fromStdString(dropped));
        QVERIFY2(panel.message().contains(missing), qPrintable(panel.message()));
        QVERIFY2(panel.message().contains(QLatin1String("Error(s) in loading state_dict for")),
                 qPrintable(panel.message()));

        panel.architecturePicker()->setStrict(false);
        QVERIFY2(run_to_end(panel), qPrintable(panel.message()));
        const QString report =
            QStringLiteral("_IncompatibleKeys(missing_keys=['%1'], unexpected_keys=[])")
                .arg(QString::fromStdString(dropped));
        QVERIFY2(panel.message().contains(report), qPrintable(panel.message()));
    }
};

QTEST_MAIN(TestRunPanelArchitecture)
#include "tst_run_panel_architecture.moc"
