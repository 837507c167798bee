// The training page's own widgets without a run: the confusion matrix (counts, names, hover, the
// square-root colour scale), the overhead meter, the state label's text and the configuration
// form (values round trip, only the chosen optimizer's arguments, errors under their fields).

#include "ui/lab/config_form.h"
#include "ui/lab/lab_plot.h"
#include "ui/train/confusion_view.h"
#include "ui/train/overhead_meter.h"
#include "ui/train/train_config_form.h"
#include "ui/train/train_toolbar.h"

#include <QLineEdit>
#include <QSpinBox>
#include <QtTest>
#include <cmath>
#include <qcustomplot.h>

using namespace nnscope;

class TestTrainPageViews : public QObject {
    Q_OBJECT
private slots:
    void confusionCountsAndNames();
    void confusionWithoutMatrix();
    void overheadShare();
    void stateText();
    void formRoundTrip();
    void formShowsOnlyTheOptimizersArguments();
    void formErrorsUnderTheirFields();
};

void TestTrainPageViews::confusionCountsAndNames() {
    ui::ConfusionView view;
    view.resize(500, 400);
    view.show();
    workflows::EvalRecord e;
    e.step = 40;
    e.classes = 3;
    e.samples = 20;
    e.confusion = {5, 1, 0, 2, 6, 0, 0, 1, 5}; // row = true
    view.setEvaluation(e, {"cat", "dog", "bird"});
    QCOMPARE(view.count(1, 0), 2);
    QCOMPARE(view.count(2, 1), 1);
    QCOMPARE(view.count(3, 0), -1);
    // The cell (predicted 0, true 1) holds sqrt(2) on a scale up to sqrt(6).
    QCOMPARE(view.colorMap()->data()->cell(0, 1), std::sqrt(2.0));
    QCOMPARE(view.colorMap()->dataRange().upper, std::sqrt(6.0));
    QVERIFY2(view.plot()->note().contains(QStringLiteral("16 of 20")),
             qPrintable(view.plot()->note()));
    QVERIFY(view.plot()->message().isEmpty());
    QCustomPlot& p = *view.plot()->plot();
    p.replot();
    const QPointF cell(p.xAxis->coordToPixel(0), p.yAxis->coordToPixel(1));
    QCOMPARE(view.plot()->hoverTextAt(cell), QStringLiteral("true 1 (dog), predicted 0 (cat): 2"));
}

void TestTrainPageViews::confusionWithoutMatrix() {
    ui::ConfusionView view;
    workflows::EvalRecord e;
    e.classes = 3;
    e.confusion = {1, 2}; // not 3 x 3
    view.setEvaluation(e, {});
    QVERIFY(!view.plot()->message().isEmpty());
    QCOMPARE(view.count(0, 0), -1);
}

void TestTrainPageViews::overheadShare() {
    QCOMPARE(ui::overheadShare(3, 1), 0.25);
    QCOMPARE(ui::overheadShare(0, 0), 0.0);
    QCOMPARE(ui::overheadShare(std::nan(""), 2), 1.0);
    ui::OverheadMeter meter;
    meter.setSeconds(9, 1, 120);
    QCOMPARE(meter.share(), 0.1);
    QCOMPARE(meter.text(), QStringLiteral("hooks and statistics 10.0%"));
    meter.clear();
    QCOMPARE(meter.share(), 0.0);
}

void TestTrainPageViews::stateText() {
    using workflows::RunState;
    QCOMPARE(ui::runStateText(RunState::Ready, 0, std::nullopt), QStringLiteral("ready"));
    QCOMPARE(ui::runStateText(RunState::Running, 12, std::nullopt),
             QStringLiteral("running, step 12"));
    session::TrainPaused paused;
    paused.state = RunState::PausedAtEvent;
    paused.step = 17;
    workflows::HookEvent event;
    event.module = "3";
    event.module_type = "Linear";
    event.kind = workflows::HookKind::Backward;
    paused.event = event;
    QCOMPARE(ui::runStateText(RunState::PausedAtEvent, 17, paused),
             QStringLiteral("paused at 3 (Linear) backward, step 17"));
    paused.event.reset();
    paused.state = RunState::Paused;
    QCOMPARE(ui::runStateText(RunState::Paused, 17, paused),
             QStringLiteral("paused before step 17"));
    workflows::BreakHit hit;
    hit.message = "step 17: grad_input of 3 (Linear) has 12 NaN";
    paused.hit = hit;
    QCOMPARE(ui::runStateText(RunState::Paused, 17, paused),
             QStringLiteral("paused: step 17: grad_input of 3 (Linear) has 12 NaN"));
    QCOMPARE(ui::runStateText(RunState::Stopped, 40, std::nullopt),
             QStringLiteral("stopped at step 40"));
}

void TestTrainPageViews::formRoundTrip() {
    ui::TrainConfigForm form;
    workflows::TrainingConfig c;
    c.model = "/tmp/some_model.safetensors";
    c.loader.dataset = "range:100:mod=10";
    c.loader.batch_size = 16;
    c.loader.epochs = 3;
    c.loss.name = "cross_entropy";
    c.loss.label_smoothing = 0.1;
    c.optimizer.name = "adamw";
    c.optimizer.lr = 0.002;
    c.optimizer.weight_decay = 0.05;
    c.optimizer.betas = {0.8, 0.99};
    c.optimizer.eps = 1e-6;
    c.optimizer.amsgrad = true;
    c.init.scheme = "normal";
    c.init.std = 0.02;
    c.seed = 18446744073709551615ULL;
    c.eval_every = 50;
    c.eval_limit = 500;
    form.setConfiguration(c);
    QCOMPARE(form.configuration(), c);
    c.model = "cnn";
    c.optimizer = {};
    c.optimizer.momentum = 0.9;
    c.optimizer.nesterov = true;
    c.eval_limit.reset();
    form.setConfiguration(c);
    QCOMPARE(form.configuration(), c);
    const auto valid = form.validConfiguration();
    QVERIFY2(valid.has_value(), qPrintable(form.errorText()));
}

void TestTrainPageViews::formShowsOnlyTheOptimizersArguments() {
    ui::TrainConfigForm form;
    form.show();
    workflows::TrainingConfig c;
    form.setConfiguration(c); // sgd
    const auto visible = [&](const char* field) {
        for (auto* w : form.findChildren<QWidget*>())
            if (w->property("trainField").toString() == QLatin1String(field)) return w->isVisible();
        return false;
    };
    QVERIFY(visible("momentum"));
    QVERIFY(!visible("eps"));
    c.optimizer.name = "adam";
    form.setConfiguration(c);
    QVERIFY(!visible("momentum"));
    QVERIFY(visible("eps"));
}

void TestTrainPageViews::formErrorsUnderTheirFields() {
    ui::TrainConfigForm form;
    workflows::TrainingConfig c;
    c.loader.dataset = "range:100";
    c.optimizer.nesterov = true; // PyTorch: nesterov needs momentum > 0 and dampening 0
    form.setConfiguration(c);
    QVERIFY(!form.validConfiguration());
    QVERIFY2(form.errorText().contains(QStringLiteral("nesterov"), Qt::CaseInsensitive),
             qPrintable(form.errorText()));
    // Text that is not a seed is named.
    c.optimizer.nesterov = false;
    form.setConfiguration(c);
    form.findChild<QLineEdit*>(QStringLiteral("train.seed"))->setText(QStringLiteral("abc"));
    QVERIFY(!form.validConfiguration());
    QVERIFY2(form.errorText().contains(QStringLiteral("seed")), qPrintable(form.errorText()));
    // A loader value PyTorch refuses goes under the loader's field.
    form.findChild<QLineEdit*>(QStringLiteral("train.seed"))->setText(QStringLiteral("7"));
    auto* transform = form.loaderForm()->findChild<QLineEdit*>(QStringLiteral("transform"));
    transform->setText(QStringLiteral("Normalize(("));
    QVERIFY(!form.validConfiguration());
    QVERIFY2(form.loaderForm()->errorText().contains(QStringLiteral("column")),
             qPrintable(form.errorText()));
    // A valid one clears them all.
    transform->clear();
    form.loaderForm()->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(2);
    const auto valid = form.validConfiguration();
    QVERIFY2(valid.has_value(), qPrintable(form.errorText()));
    QCOMPARE(valid->seed, 7u);
    QCOMPARE(valid->loader.epochs, 2);
    QVERIFY(form.errorText().isEmpty());
}

QTEST_MAIN(TestTrainPageViews)
#include "tst_train_page_views.moc"
