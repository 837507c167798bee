// The training page, offscreen: it is the window's third page (Ctrl+3) and builds its views only
// when they are first shown; a small run (a subset of Fashion-MNIST) starts from the form, steps a
// batch and the toolbar and the scalars show that step; a checkpoint is saved; the brush zooms;
// the browser's "Train This Model" opens the page on the model file; closing the window while the
// run waits inside backward returns promptly; nnscope --train --steps --screenshot pictures it.

#include "train_test_support.h"
#include "ui/lab/lab_plot.h"
#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/compare_page.h"
#include "ui/pages/train_page.h"
#include "ui/train/confusion_view.h"
#include "ui/train/scalars_view.h"
#include "ui/train/train_config_form.h"
#include "ui/train/train_session.h"
#include "ui/train/train_toolbar.h"
#include "workflows/training_config_json.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using ui::TrainPage;
using ui::TrainSession;
using workflows::RunCommand;
using workflows::RunState;

namespace {

// The small run, evaluated every 2 steps (the Scalars view has points to draw).
workflows::TrainingConfig smallRun() {
    workflows::TrainingConfig c = test::smallFashionRun(0);
    c.eval_every = 2;
    return c;
}

int indexOf(const ui::MainWindow& window, const QWidget* page) {
    for (int i = 0; i < window.workspaceCount(); ++i)
        if (window.workspace(i) == page) return i;
    return -1;
}

} // namespace

class TestTrainPage : public QObject {
    Q_OBJECT
private slots:
    void isTheThirdPage();
    void viewsAreBuiltWhenShown();
    void invalidFormStartsNothing();
    void stepsABatchAndShowsIt();
    void savesACheckpoint();
    void configurationFilesRoundTrip();
    void trainThisModel();
    void closingWhilePausedInBackwardIsPrompt();
    void screenshot();
};

void TestTrainPage::isTheThirdPage() {
    ui::MainWindow window(nullptr, false);
    QVERIFY(window.workspaceCount() >= 4);
    QVERIFY(qobject_cast<TrainPage*>(window.workspace(2)));
    QVERIFY(qobject_cast<ui::ComparePage*>(window.workspace(3)));
    QCOMPARE(window.workspace(2)->title(), QStringLiteral("Training"));
    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window.currentWorkspace(), window.workspace(2));
}

void TestTrainPage::viewsAreBuiltWhenShown() {
    TrainPage page;
    QVERIFY(!page.isBuilt(TrainPage::Scalars));
    page.resize(1024, 640);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(page.isBuilt(TrainPage::Scalars)); // the tab shown
    QVERIFY(!page.isBuilt(TrainPage::Distributions));
    QVERIFY(!page.isBuilt(TrainPage::Batch));
    page.views()->setCurrentIndex(TrainPage::HookTimeline);
    QVERIFY(page.isBuilt(TrainPage::HookTimeline));
    QVERIFY(!page.isBuilt(TrainPage::GradientFlow));
    // Everything fits a 1,024 px window: no panel pushes the page wider.
    QVERIFY2(page.minimumSizeHint().width() <= 1024,
             qPrintable(QString::number(page.minimumSizeHint().width())));
}

void TestTrainPage::invalidFormStartsNothing() {
    TrainPage page;
    auto c = smallRun();
    c.optimizer.nesterov = true; // without momentum: PyTorch refuses it
    page.setConfiguration(c);
    QSignalSpy started(page.session(), &TrainSession::started);
    QVERIFY(!page.startRun());
    QVERIFY(page.form()->errorText().contains(QStringLiteral("nesterov"), Qt::CaseInsensitive));
    QVERIFY(page.status().text.contains(QStringLiteral("nesterov"), Qt::CaseInsensitive));
    QVERIFY(!page.session()->isActive());
}

void TestTrainPage::stepsABatchAndShowsIt() {
    REQUIRE_FASHION_MNIST();
    TrainPage page;
    page.resize(1280, 800);
    page.show();
    page.setConfiguration(smallRun());
    page.session()->setObserveEveryStep(true);
    QSignalSpy started(page.session(), &TrainSession::started);
    QSignalSpy paused(page.session(), &TrainSession::paused);
    // Step batch with no run yet starts one from the form and trains its first batch.
    page.toolbar()->stepBatchAction()->trigger();
    QVERIFY(started.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(!paused.isEmpty(), 30000); // may come with started
    QCOMPARE(page.session()->state(), RunState::Paused);
    QCOMPARE(page.session()->history().losses().size(), 1u);
    QVERIFY2(page.toolbar()->stateText().contains(QStringLiteral("step 1")),
             qPrintable(page.toolbar()->stateText()));
    QVERIFY(page.toolbar()->runAction()->isEnabled());
    QVERIFY(!page.toolbar()->pauseAction()->isEnabled());
    auto* scalars = qobject_cast<ui::ScalarsView*>(page.view(TrainPage::Scalars));
    QVERIFY(scalars);
    scalars->refresh();
    QVERIFY2(scalars->lossPlot()->note().startsWith(QStringLiteral("1 steps")),
             qPrintable(scalars->lossPlot()->note()));
    // A second batch reaches the evaluation every 2 steps: accuracy and the confusion matrix.
    paused.clear();
    page.toolbar()->stepBatchAction()->trigger();
    QVERIFY(paused.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(!page.session()->history().evaluations().empty(), 30000);
    scalars->refresh();
    QVERIFY2(scalars->evaluationPlot()->note().contains(QStringLiteral("accuracy")),
             qPrintable(scalars->evaluationPlot()->note()));
    QCOMPARE(scalars->confusion()->count(0, 0) >= 0, true);
    // The brush: a drag from 0.6 to 1.4 covers step 1 only.
    scalars->brush(0.6, 1.4);
    QCOMPARE(page.session()->stepRange()->first, 1);
    QCOMPARE(page.session()->stepRange()->second, 1);
    scalars->brush(0.2, 0.4); // narrower than a step: nothing changes
    QCOMPARE(page.session()->stepRange()->first, 1);
    page.toolbar()->stopAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(page.session()->state(), RunState::Stopped, 10000);
}

void TestTrainPage::savesACheckpoint() {
    REQUIRE_FASHION_MNIST();
    TrainPage page;
    page.setConfiguration(smallRun());
    QSignalSpy started(page.session(), &TrainSession::started);
    QSignalSpy saved(page.session(), &TrainSession::checkpointSaved);
    QVERIFY(page.startRun());
    QVERIFY(started.wait(30000));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("weights.pt"));
    page.toolbar()->saveCheckpointTo(path);
    QVERIFY(saved.wait(30000));
    const auto result = saved.front().front().value<session::CheckpointSaved>();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.request.format, session::CheckpointFormat::Pytorch);
    QVERIFY(QFileInfo(path).size() > 0);
    QVERIFY2(page.status().text.contains(QStringLiteral("weights.pt")),
             qPrintable(page.status().text));
}

void TestTrainPage::configurationFilesRoundTrip() {
    TrainPage page;
    auto c = smallRun();
    c.optimizer.name = "adam";
    c.optimizer.lr = 0.003;
    c.seed = 11;
    page.setConfiguration(c);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.json"));
    QCOMPARE(page.saveConfig(path), QString());
    QCOMPARE(workflows::read_training_config(path.toStdString()), c);
    page.setConfiguration(workflows::TrainingConfig{});
    QCOMPARE(page.openConfig(path), QString());
    QCOMPARE(page.form()->configuration(), c);
    // A bad file is named, and the form keeps what it had.
    QFile bad(dir.filePath(QStringLiteral("bad.json")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"optimizer": {"name": "rmsprop"}})");
    bad.close();
    const QString error = page.openConfig(bad.fileName());
    QVERIFY2(error.contains(QStringLiteral("rmsprop")) ||
                 error.contains(QStringLiteral("optimizer")),
             qPrintable(error));
    QCOMPARE(page.form()->configuration(), c);
}

void TestTrainPage::trainThisModel() {
    ui::MainWindow window(nullptr, false);
    window.show();
    QSignalSpy shown(window.browser(), &ui::BrowserPage::documentShown);
    const QString mlp =
        QStringLiteral(NNSCOPE_RESOURCES_DIR) + QStringLiteral("/models/mlp.safetensors");
    if (!QFileInfo::exists(mlp)) QSKIP("the bundled mlp is not in resources/models");
    window.openFile(mlp);
    QVERIFY(shown.wait(30000));
    QAction* train = window.browser()->trainAction();
    QVERIFY(train->isEnabled());
    QVERIFY(window.browser()->viewActions().contains(train));
    train->trigger();
    auto* page = qobject_cast<TrainPage*>(window.currentWorkspace());
    QVERIFY(page);
    QCOMPARE(QString::fromStdString(page->form()->configuration().model), mlp);
    QCOMPARE(indexOf(window, page), 2);
}

void TestTrainPage::closingWhilePausedInBackwardIsPrompt() {
    REQUIRE_FASHION_MNIST();
    auto window = std::make_unique<ui::MainWindow>(nullptr, false);
    auto* page = qobject_cast<TrainPage*>(window->workspace(2));
    window->showWorkspace(2);
    window->show();
    page->setConfiguration(smallRun());
    QSignalSpy started(page->session(), &TrainSession::started);
    QVERIFY(page->startRun());
    QVERIFY(started.wait(30000));
    bool in_backward = false;
    for (int i = 0; i < 40 && !in_backward; ++i) {
        QSignalSpy paused(page->session(), &TrainSession::paused);
        page->toolbar()->stepEventAction()->trigger();
        QVERIFY(paused.wait(30000));
        const auto& at = page->session()->pausedAt();
        in_backward = at && at->event && workflows::is_backward(at->event->kind);
    }
    QVERIFY(in_backward);
    QVERIFY2(page->toolbar()->stateText().startsWith(QStringLiteral("paused at")),
             qPrintable(page->toolbar()->stateText()));
    QElapsedTimer timer;
    timer.start();
    window->close();
    window.reset();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestTrainPage::screenshot() {
    REQUIRE_FASHION_MNIST();
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("run.json"));
    workflows::write_training_config(config.toStdString(), smallRun());
    const QString out = dir.filePath(QStringLiteral("train.png"));
    QProcess process;
    process.start(QStringLiteral(NNSCOPE_GUI),
                  {QStringLiteral("--train"), config, QStringLiteral("--steps"),
                   QStringLiteral("3"), QStringLiteral("--screenshot"), out,
                   QStringLiteral("--width"), QStringLiteral("1024")});
    QVERIFY(process.waitForFinished(120000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QImage picture(out);
    QCOMPARE(picture.width(), 1024);
    // A configuration that cannot be read is named, exit code 1.
    process.start(QStringLiteral(NNSCOPE_GUI),
                  {QStringLiteral("--train"), dir.filePath(QStringLiteral("missing.json")),
                   QStringLiteral("--screenshot"), out});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 1);
    QVERIFY(process.readAllStandardError().contains("missing.json"));
}

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"
