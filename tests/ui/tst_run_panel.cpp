// The browser's Run panel (issue #16) on the bundled cnn: a random input run with a backward from
// a class score through the worker; selecting a module shows its recorded output (and, asked for,
// its output gradient) in the tensor view, value for value what a direct workflows::run_model of
// the same input gives; the tree marks the recorded modules; the top-k rows are the direct run's;
// the saliency overlay is drawn; a cancel delivers nothing; bad inputs are said in the panel. A
// data set sample (MNIST's test split from ../shared through a DataLoader configuration) runs
// with its label as the loss's class, the data set's class names and a one-channel saliency.

#include "data/loader_config_json.h"
#include "io/safetensors.h"
#include "session/run_model_job.h"
#include "support/files.h"
#include "support/golden.h"
#include "ui/browser_test_support.h"
#include "ui/models/module_tree_model.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/run_panel.h"
#include "ui/tensor_view/tensor_view.h"
#include "workflows/predictions.h"

#include <QFile>
#include <QLabel>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

using namespace nnscope;
using test::cnn_file;
using test::open_and_settle;
using ui::BrowserPage;
using ui::RunPanel;

namespace {

// What the panel's request runs, done here directly: the same model, seed and backward.
workflows::RunResult direct_run(std::int64_t target) {
    session::RunModelRequest r;
    r.model = cnn_file().toStdString();
    r.input = session::RunModelRequest::Input::Random;
    r.backward = workflows::BackwardFrom::ClassScore;
    r.target = target;
    const auto model = workflows::open_runnable_model(r.model);
    const workflows::RunInput input = session::read_run_input(r, model);
    workflows::RunRequest how;
    how.backward = r.backward;
    how.target = target;
    return workflows::run_model(*model.module, input.input, how);
}

// The snapshot's first 2-D slice equals tensor[0, 0] (a [1, C, H, W] tensor) within float32's
// rounding of the tensor's scale; its statistics are the tensor's.
void compare_snapshot(const session::TensorSnapshot& s, const Tensor& expected) {
    const Tensor t = expected.contiguous();
    QCOMPARE(s.shape, t.shape());
    const float* v = t.data_ptr<float>();
    const std::int64_t n = t.numel();
    double lo = v[0], hi = v[0], sum = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        lo = std::min<double>(lo, v[i]);
        hi = std::max<double>(hi, v[i]);
        sum += v[i];
    }
    const double scale = std::max(std::abs(lo), std::abs(hi));
    QVERIFY(scale > 0); // a test on all zeros would prove nothing
    const double tol = 1e-5 * scale;
    QVERIFY(std::abs(s.stats.min - lo) <= tol);
    QVERIFY(std::abs(s.stats.max - hi) <= tol);
    QVERIFY(std::abs(s.stats.mean - sum / static_cast<double>(n)) <= tol);
    const std::int64_t h = t.size(2), w = t.size(3);
    QCOMPARE(s.slice.rows, h);
    QCOMPARE(s.slice.cols, w);
    QVERIFY(!s.slice.sampled());
    for (std::int64_t i = 0; i < h * w; ++i)
        QVERIFY2(
            std::abs(s.slice.values[i] - v[i]) <= tol,
            qPrintable(
                QStringLiteral("element %1: %2 vs %3").arg(i).arg(s.slice.values[i]).arg(v[i])));
}

// A DataLoader configuration JSON file in `dir`.
QString write_config(const QTemporaryDir& dir, const QString& name, const QByteArray& json) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(json);
    return path;
}

QString shown_name(const BrowserPage& page) {
    const auto& s = page.currentSnapshot();
    return s ? QString::fromStdString(s->name) : QString();
}

} // namespace

class TestRunPanel : public QObject {
    Q_OBJECT
private slots:
    void runShowsModuleOutputs() {
        BrowserPage page;
        page.resize(1400, 900);
        page.show();
        QVERIFY(open_and_settle(page, cnn_file()));
        RunPanel& panel = *page.runPanel();
        page.showRunPanel();
        QVERIFY(page.sideTabs()->currentWidget()->isAncestorOf(&panel)); // its scroll area
        panel.setInput(RunPanel::InputKind::Random);
        panel.setBackward(RunPanel::Backward::ClassScore, 3);
        QVERIFY(panel.run());
        QVERIFY(panel.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(panel.result() != nullptr, 30000);
        QVERIFY2(!panel.messageIsError(), qPrintable(panel.message()));
        const workflows::RunResult direct = direct_run(3);

        // The tree marks what the run recorded.
        const QModelIndex conv = page.moduleModel()->indexOfPath(QStringLiteral("0"));
        QVERIFY(conv.data(ui::ModuleTreeModel::RecordedRole).toBool());

        // Selecting a module: its output, then its output gradient, in the tensor view.
        QVERIFY(page.selectModule(QStringLiteral("0")));
        QCOMPARE(page.runModuleShown(), QStringLiteral("0"));
        QTRY_COMPARE(shown_name(page), QStringLiteral("0 — output"));
        QVERIFY(page.tensorView()->hasSnapshot());
        compare_snapshot(*page.currentSnapshot(), direct.find("0")->output);
        if (QTest::currentTestFailed()) return;
        // Its role: the module's output, said in the view's header (not "unknown").
        QCOMPARE(page.currentSnapshot()->role, io::TensorRole::Output);
        QVERIFY2(page.tensorView()->headerText().endsWith(QStringLiteral("output of 0")),
                 qPrintable(page.tensorView()->headerText()));
        panel.setShow(RunPanel::Show::Gradient);
        QTRY_COMPARE(shown_name(page), QStringLiteral("0 — gradient"));
        compare_snapshot(*page.currentSnapshot(), direct.find("0")->grad);
        if (QTest::currentTestFailed()) return;
        QCOMPARE(page.currentSnapshot()->role, io::TensorRole::OutputGradient);
        QVERIFY2(page.tensorView()->headerText().endsWith(QStringLiteral("gradient of 0's output")),
                 qPrintable(page.tensorView()->headerText()));
        // Another module, still the gradient.
        QVERIFY(page.selectModule(QStringLiteral("3")));
        QTRY_COMPARE(shown_name(page), QStringLiteral("3 — gradient"));
        compare_snapshot(*page.currentSnapshot(), direct.find("3")->grad);
        if (QTest::currentTestFailed()) return;
        // Stored tensors again: the table's first tensor of module 3, a parameter.
        panel.setShow(RunPanel::Show::StoredTensors);
        QTRY_VERIFY(page.currentSnapshot() && page.currentSnapshot()->name.rfind("3.", 0) == 0);
        QVERIFY(!page.runModuleShown());

        // The top-k: the direct run's classes in order, probabilities summing to at most one.
        const auto top = workflows::top_k(direct.output, 5, {});
        QCOMPARE(panel.predictionsView()->topLevelItemCount(), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(panel.predictionsView()->topLevelItem(i)->data(0, Qt::UserRole).toLongLong(),
                     top[static_cast<std::size_t>(i)].index);
        // The saliency over the input (28x28, drawn larger).
        QVERIFY(!panel.saliencyLabel()->pixmap().isNull());
        QVERIFY(panel.result()->saliency.defined());
        QCOMPARE(panel.result()->saliency.shape(), (Shape{28, 28}));
    }

    // An image decoded by QImage in the window gives the model the input libpng's decoding gives
    // (a PNG is lossless), resized and cropped as the custom preset says; the saliency is blended
    // over that image.
    void imageInputMatchesDirectRead() {
        BrowserPage page;
        QVERIFY(open_and_settle(page, cnn_file()));
        RunPanel& panel = *page.runPanel();
        const QString photo = QStringLiteral(NNSCOPE_GOLDEN_DIR "/image_input/photo.png");
        panel.setInput(RunPanel::InputKind::Image, photo);
        panel.setPreset(QStringLiteral("custom"));
        panel.setCustomPreprocess(32, 28, QStringLiteral("0.5"), QStringLiteral("0.25"));
        panel.setBackward(RunPanel::Backward::Loss, 4);
        QVERIFY(panel.run());
        QTRY_VERIFY_WITH_TIMEOUT(panel.result() != nullptr, 30000);
        workflows::ImagePreprocess pre;
        pre.resize = 32;
        pre.crop = 28;
        pre.mean = {0.5};
        pre.std = {0.25};
        const workflows::RunInput direct = workflows::image_run_input(photo.toStdString(), pre, 1);
        const Tensor got = panel.result()->input.input.contiguous();
        const Tensor want = direct.input.contiguous();
        QCOMPARE(got.shape(), (Shape{1, 1, 28, 28}));
        QCOMPARE(want.shape(), got.shape());
        for (std::int64_t i = 0; i < got.numel(); ++i)
            QCOMPARE(got.data_ptr<float>()[i], want.data_ptr<float>()[i]);
        QVERIFY(panel.result()->run.objective.has_value()); // the loss against label 4
        QCOMPARE(panel.result()->saliency.shape(), (Shape{28, 28}));
        QVERIFY(!panel.saliencyLabel()->pixmap().isNull());
    }

    // Sample 12 of MNIST's test split: the input the data set gives, its label the loss's class
    // unless another is chosen, the classes named as MNIST names them, the saliency of the one
    // channel over the digit.
    void datasetSampleRun() {
        if (!test::haveShared("datasets/mnist"))
            QSKIP("../shared/datasets/mnist is absent (set NNSCOPE_SHARED_DIR to the shared "
                  "folder to use it)");
        QTemporaryDir dir;
        const std::string spec = "mnist:" + (test::sharedDir() + "/datasets/mnist").toStdString();
        const QString config = write_config(
            dir, QStringLiteral("mnist.json"),
            QByteArray::fromStdString(nlohmann::json{{"dataset", spec}, {"split", "test"}}.dump()));
        BrowserPage page;
        QVERIFY(open_and_settle(page, cnn_file()));
        RunPanel& panel = *page.runPanel();
        panel.setBackward(RunPanel::Backward::Loss, 4);
        panel.setInput(RunPanel::InputKind::DatasetSample, config);
        QCOMPARE(panel.targetSpin()->value(), RunPanel::kLabel); // the sample's label by default
        QCOMPARE(panel.targetSpin()->text(), QStringLiteral("label"));
        QVERIFY(panel.sampleSpin()->isEnabled());
        panel.setSample(12);
        QVERIFY(panel.run());
        QTRY_VERIFY_WITH_TIMEOUT(panel.result() != nullptr, 30000);
        QVERIFY2(!panel.messageIsError(), qPrintable(panel.message()));

        const auto direct =
            workflows::dataset_run_input(data::loader_config_from_file(config.toStdString()), 12);
        QVERIFY(direct.label.has_value());
        const auto& result = *panel.result();
        QCOMPARE(result.input.label, direct.label);
        QCOMPARE(result.target, direct.label);
        const Tensor got = result.input.input.contiguous(), want = direct.input.contiguous();
        QCOMPARE(got.shape(), (Shape{1, 1, 28, 28}));
        for (std::int64_t i = 0; i < got.numel(); ++i)
            QCOMPARE(got.data_ptr<float>()[i], want.data_ptr<float>()[i]);
        const QString label_name =
            QString::fromStdString(direct.class_names[static_cast<std::size_t>(*direct.label)]);
        QVERIFY2(panel.message().contains(
                     QStringLiteral("label %1 (%2)").arg(*direct.label).arg(label_name)),
                 qPrintable(panel.message()));
        QVERIFY2(panel.message().contains(QStringLiteral("loss vs label %1").arg(*direct.label)),
                 qPrintable(panel.message()));
        // The loss is cross-entropy against the label, as a direct run computes it.
        const auto model = workflows::open_runnable_model(cnn_file().toStdString());
        workflows::RunRequest how;
        how.backward = workflows::BackwardFrom::Loss;
        how.target = *direct.label;
        const auto run = workflows::run_model(*model.module, direct.input, how);
        QVERIFY(result.run.objective.has_value());
        QCOMPARE(*result.run.objective, *run.objective);
        // The classes by MNIST's names.
        const auto top = workflows::top_k(run.output, 5, direct.class_names);
        QCOMPARE(panel.predictionsView()->topLevelItemCount(), 5);
        for (int i = 0; i < 5; ++i) {
            const auto& p = top[static_cast<std::size_t>(i)];
            QVERIFY(!p.name.empty());
            // MNIST's names ("7 - seven") start with the class: shown once.
            QCOMPARE(panel.predictionsView()->topLevelItem(i)->text(1),
                     QString::fromStdString(p.name));
        }
        // The saliency of the one channel, drawn over the digit.
        QCOMPARE(result.saliency.shape(), (Shape{28, 28}));
        QVERIFY(!panel.saliencyLabel()->pixmap().isNull());

        // Another class chosen: the class score of that class, not the label's.
        panel.setBackward(RunPanel::Backward::ClassScore, 2);
        QVERIFY(panel.run());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning() && panel.result(), 30000);
        QTRY_VERIFY(panel.result()->target == std::optional<std::int64_t>(2));
        QVERIFY2(panel.message().contains(QStringLiteral("score of class 2")),
                 qPrintable(panel.message()));
    }

    // What is wrong with a data set input is said in the panel, in words.
    void datasetErrorsAreSaid_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("sample");
        QTest::addColumn<int>("backward");
        QTest::addColumn<QString>("words");
        QTest::newRow("not JSON") << QByteArray("{dataset") << 0 << 0
                                  << QStringLiteral("is not a DataLoader configuration");
        QTest::newRow("unknown key") << QByteArray(R"({"dataset": "range:25", "colour": 1})") << 0
                                     << 0 << QStringLiteral("colour");
        QTest::newRow("out of range")
            << QByteArray(R"({"dataset": "range:25"})") << 25 << 0
            << QStringLiteral("sample 25 is out of range: RangeDataset has 25 samples (0 to 24)");
        QTest::newRow("not a tensor") << QByteArray(R"({"dataset": "range:25"})") << 3 << 0
                                      << QStringLiteral("not a tensor a model can take");
    }

    void datasetErrorsAreSaid() {
        QFETCH(QByteArray, json);
        QFETCH(int, sample);
        QFETCH(int, backward);
        QFETCH(QString, words);
        QTemporaryDir dir;
        BrowserPage page;
        QVERIFY(open_and_settle(page, cnn_file()));
        RunPanel& panel = *page.runPanel();
        panel.setInput(RunPanel::InputKind::DatasetSample,
                       write_config(dir, QStringLiteral("c.json"), json));
        panel.setSample(sample);
        panel.setBackward(static_cast<RunPanel::Backward>(backward), RunPanel::kLabel);
        panel.run();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning() && panel.messageIsError(), 30000);
        QVERIFY2(panel.message().contains(words), qPrintable(panel.message()));
        QVERIFY(!panel.result());
    }

    // The top-k box sets how many predictions are listed (at most the model's classes); the
    // list grows with it up to eight rows, then scrolls.
    void topkSetsTheList() {
        BrowserPage page;
        page.resize(1400, 900);
        page.show();
        QVERIFY(open_and_settle(page, cnn_file()));
        RunPanel& panel = *page.runPanel();
        page.showRunPanel();
        QCOMPARE(panel.topkSpin()->value(), 5);
        QCOMPARE(panel.topkSpin()->minimum(), 1);
        QCOMPARE(panel.topkSpin()->maximum(), 20);
        const int five = panel.predictionsView()->height();
        panel.setTopk(3);
        QVERIFY(panel.predictionsView()->height() < five);
        QVERIFY(panel.run());
        QTRY_VERIFY_WITH_TIMEOUT(panel.result() != nullptr, 30000);
        QCOMPARE(panel.predictionsView()->topLevelItemCount(), 3);
        const auto top = workflows::top_k(panel.result()->run.output, 10);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(panel.predictionsView()->topLevelItem(i)->data(0, Qt::UserRole).toLongLong(),
                     top[static_cast<std::size_t>(i)].index);
        panel.setTopk(8);
        const int eight = panel.predictionsView()->height();
        QVERIFY(eight > five);
        panel.setTopk(20); // the cnn has ten classes: ten rows, in a list no taller than eight's
        QCOMPARE(panel.predictionsView()->height(), eight);
        QVERIFY(panel.run());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning() && panel.result(), 30000);
        QTRY_COMPARE(panel.predictionsView()->topLevelItemCount(), 10);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(panel.predictionsView()->topLevelItem(i)->data(0, Qt::UserRole).toLongLong(),
                     top[static_cast<std::size_t>(i)].index);
    }

    void cancelDeliversNothing() {
        QTemporaryDir dir;
        QString input;
        const QString model = test::slow_model_file(dir.path(), &input);
        BrowserPage page;
        QVERIFY(open_and_settle(page, model));
        RunPanel& panel = *page.runPanel();
        panel.setInput(RunPanel::InputKind::TensorFile, input);
        QVERIFY(panel.run());
        QTest::qWait(50);
        panel.cancelRun();
        QVERIFY(!panel.isRunning());
        QVERIFY(panel.message().contains(QStringLiteral("cancelled")));
        QTest::qWait(1500); // longer than a whole run: nothing may arrive
        QVERIFY(!panel.result());
        QVERIFY(!page.moduleModel()->isRecorded(QStringLiteral("0")));
        // The worker is free: the next run answers.
        QVERIFY(panel.run());
        QTRY_VERIFY_WITH_TIMEOUT(panel.result() != nullptr, 30000);
        QVERIFY(page.moduleModel()->isRecorded(QStringLiteral("46")));
    }

    void badInputsAreSaid_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("words");
        QTest::newRow("wrong shape")
            << int(RunPanel::InputKind::TensorFile) << QStringLiteral("wrong.safetensors")
            << QStringLiteral("The run failed");
        QTest::newRow("not an image")
            << int(RunPanel::InputKind::Image) << QStringLiteral("wrong.safetensors")
            << QStringLiteral("not an image");
        QTest::newRow("no file") << int(RunPanel::InputKind::Image) << QString()
                                 << QStringLiteral("choose an input file");
        QTest::newRow("missing file")
            << int(RunPanel::InputKind::TensorFile) << QStringLiteral("absent.safetensors")
            << QStringLiteral("The run failed");
    }

    void badInputsAreSaid() {
        QFETCH(int, kind);
        QFETCH(QString, file);
        QFETCH(QString, words);
        QTemporaryDir dir;
        io::save_safetensors(dir.filePath(QStringLiteral("wrong.safetensors")).toStdString(),
                             {{"input", Tensor::ones({1, 5})}});
        BrowserPage page;
        QVERIFY(open_and_settle(page, cnn_file()));
        RunPanel& panel = *page.runPanel();
        panel.setInput(static_cast<RunPanel::InputKind>(kind),
                       file.isEmpty() ? QString() : dir.filePath(file));
        panel.run();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning() && panel.messageIsError(), 30000);
        QVERIFY2(panel.message().contains(words), qPrintable(panel.message()));
        QVERIFY(!panel.result());
        qInfo("%s", qPrintable(panel.message()));
    }
};

QTEST_MAIN(TestRunPanel)
#include "tst_run_panel.moc"
