// The training workspace's per-module views react to the session's signals with the history's real
// values: the module tree's live numbers and highlight and its breakpoint actions, the hooks
// panel's interventions (with their PyTorch lines) and breakpoints list, the distribution bands,
// the step histogram with NaN/Inf bars and the step-range brush, the gradient norms, update
// ratios and the gradient-flow chart. No worker runs: the history is filled with records made from
// real tensors, and the session's signals are emitted as its progress would.

#include "engine/tensor.h"
#include "ui/lab/lab_plot.h"
#include "ui/models/train_module_model.h"
#include "ui/tensor_view/histogram_plot.h"
#include "ui/train/band_plot.h"
#include "ui/train/band_plot_brush.h"
#include "ui/train/breakpoint_dialog.h"
#include "ui/train/distributions_view.h"
#include "ui/train/distributions_view_step.h"
#include "ui/train/gradient_flow_view.h"
#include "ui/train/hooks_panel.h"
#include "ui/train/module_tree.h"
#include "ui/train/train_session.h"
#include "workflows/train_breakpoints.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <qcustomplot.h>

using namespace nnscope;
using ui::TrainSession;
using workflows::Stream;

namespace {

// The session's history, filled as the session fills it from the worker's progress (the views only
// read it through history()).
workflows::TrainingHistory& historyOf(TrainSession& session) {
    return const_cast<workflows::TrainingHistory&>(session.history());
}

// 64 values 0..63 plus `nan` NaNs: a histogram of one count per bin over [0, 63].
workflows::StreamStats ramp(double offset, int nan = 0) {
    std::vector<double> v;
    for (int i = 0; i < 64; ++i)
        v.push_back(offset + i);
    for (int i = 0; i < nan; ++i)
        v.push_back(NAN);
    return workflows::stream_stats(Tensor::from_vector(v, {std::int64_t(v.size())}), 64);
}

workflows::StreamStats reluOut(int zeros) {
    std::vector<double> v(100, 1.0);
    for (int i = 0; i < zeros; ++i)
        v[std::size_t(i)] = 0;
    return workflows::stream_stats(Tensor::from_vector(v, {100}), 64);
}

// Step s of a two-layer model: fc (Linear) -> act (ReLU); fc's gradient NaN at step 3.
workflows::StepRecord record(std::int64_t s) {
    workflows::StepRecord r;
    r.step = s;
    r.loss = 2.0 / double(s + 1);
    r.lr = 0.1;
    r.observed = true;
    workflows::ModuleStepStats fc;
    fc.module = "fc";
    fc.type = "Linear";
    fc.activation = ramp(double(s));
    fc.gradient = ramp(-32, s == 3 ? 5 : 0);
    workflows::ModuleStepStats act;
    act.module = "act";
    act.type = "ReLU";
    act.activation = reluOut(int(10 * s));
    r.modules = {fc, act};
    auto param = [s](const std::string& name, double grad, double weight, double update) {
        workflows::ParamStepStats p;
        p.name = name;
        p.grad_norm = grad * double(s + 1);
        p.weight_norm = weight;
        p.update_norm = update;
        return p;
    };
    r.params = {param("fc.weight", 3, 10, 0.01), param("fc.bias", 4, 2, 0.002)};
    return r;
}

// Steps [first, last) arrive in one progress.
// NNSCOPE_SHOTS=DIR saves each view as DIR/NAME.png, to look at.
void shoot(QWidget& widget, const char* name) {
    const QString dir = qEnvironmentVariable("NNSCOPE_SHOTS");
    if (dir.isEmpty()) return;
    QCoreApplication::processEvents();
    widget.grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

void fill(TrainSession& session, int last, int first = 0) {
    auto progress = std::make_shared<session::TrainProgress>();
    for (int s = first; s < last; ++s) {
        progress->steps.push_back(record(s));
        historyOf(session).append(progress->steps.back());
    }
    progress->step = last;
    emit session.progressed(*progress);
}

} // namespace

class TestTrainViews : public QObject {
    Q_OBJECT
private slots:
    void moduleTreeFollowsTheRun() {
        TrainSession session;
        ui::TrainModuleTree tree(&session);
        tree.model()->setModules({{"", "Net", 0, 0, false},
                                  {"fc", "Linear", 1, 650, true},
                                  {"act", "ReLU", 1, 0, true}});
        fill(session, 5);
        // The latest observed step's numbers: step 4 of record().
        const QModelIndex act = tree.model()->indexOfPath(QStringLiteral("act"));
        QCOMPARE(tree.model()->numbersStep(), std::int64_t(4));
        QCOMPARE(act.siblingAtColumn(ui::TrainModuleModel::Dead)
                     .data(ui::TrainModuleModel::ValueRole)
                     .toDouble(),
                 0.4);
        const QModelIndex fc = tree.model()->indexOfPath(QStringLiteral("fc"));
        QCOMPARE(fc.siblingAtColumn(ui::TrainModuleModel::GradNorm)
                     .data(ui::TrainModuleModel::ValueRole)
                     .toDouble(),
                 25.0); // sqrt(15^2 + 20^2)
        QCOMPARE(fc.siblingAtColumn(ui::TrainModuleModel::ActMean)
                     .data(ui::TrainModuleModel::ValueRole)
                     .toDouble(),
                 35.5); // mean of 4..67

        // Paused at a hook of act: act is highlighted; at a parameter's gradient: its module.
        session::TrainPaused paused;
        paused.state = workflows::RunState::PausedAtEvent;
        workflows::HookEvent event;
        event.module = "act";
        event.kind = workflows::HookKind::Forward;
        paused.event = event;
        emit session.paused(paused);
        QCOMPARE(tree.model()->highlighted(), QStringLiteral("act"));
        event.module = "fc.weight";
        event.kind = workflows::HookKind::ParamGrad;
        paused.event = event;
        emit session.paused(paused);
        QCOMPARE(tree.model()->highlighted(), QStringLiteral("fc"));
        tree.resize(700, 200);
        tree.show();
        shoot(tree, "module_tree");

        // Selecting a row selects the module for the session, and the other way round.
        QSignalSpy selected(&session, &TrainSession::moduleSelected);
        tree.view()->setCurrentIndex(act);
        QCOMPARE(session.selectedModule(), QStringLiteral("act"));
        QCOMPARE(selected.count(), 1);
        session.selectModule(QStringLiteral("fc"));
        QCOMPARE(tree.view()->currentIndex(), fc);

        // The context menu's breakpoints.
        tree.breakOnForward(QStringLiteral("fc"));
        tree.breakOnBackward(QStringLiteral("act"));
        QCOMPARE(session.breakpoints().size(), std::size_t(2));
        QCOMPARE(workflows::to_string(session.breakpoints()[0]), std::string("forward:fc"));
        QCOMPARE(workflows::to_string(session.breakpoints()[1]), std::string("backward:act"));
        // Break when...: the dialog's condition becomes the session's breakpoint once accepted.
        tree.breakWhen(QStringLiteral("fc"));
        auto* dialog = tree.findChild<ui::BreakpointDialog*>();
        QVERIFY(dialog);
        const workflows::Breakpoint want = workflows::parse_breakpoint("fc.backward.std<0.001");
        dialog->setBreakpoint(want);
        QCOMPARE(dialog->breakpoint(), want);
        dialog->accept();
        QCOMPARE(session.breakpoints().size(), std::size_t(3));
        QCOMPARE(session.breakpoints()[2], want);

        // A condition on the gradient of a module's output (a tensor hook on it).
        ui::BreakpointDialog grad_dialog(QStringLiteral("fc"));
        const workflows::Breakpoint on_grad =
            workflows::parse_breakpoint("fc.output_grad.max_abs>10");
        grad_dialog.setBreakpoint(on_grad);
        QCOMPARE(grad_dialog.breakpoint(), on_grad);
        bool said = false;
        for (const QLabel* label : grad_dialog.findChildren<QLabel*>())
            said = said || label->text().contains(QStringLiteral("of fc's output grad is"));
        QVERIFY(said);
    }

    void hooksPanelAttachesAndLists() {
        TrainSession session;
        ui::HooksPanel panel(&session);
        QVERIFY(panel.shownInterventions().empty());
        session.selectModule(QStringLiteral("fc"));
        using Kind = workflows::HookIntervention::Kind;
        QVERIFY(panel.attach(Kind::ScaleGrad, 0.5));
        QVERIFY(panel.attach(Kind::InputNoise, 0.1));
        QCOMPARE(session.interventions().size(), std::size_t(2));
        QCOMPARE(session.interventions()[0].module, std::string("fc"));
        QCOMPARE(session.interventions()[0].value, 0.5);
        QCOMPARE(panel.shownInterventions().size(), std::size_t(2));
        QCOMPARE(panel.shownLines()[0],
                 QString::fromStdString(workflows::pytorch_line(session.interventions()[0])));
        QVERIFY(panel.shownLines()[0].contains(QStringLiteral("register_full_backward_hook")));
        QVERIFY(panel.shownLines()[1].contains(QStringLiteral("register_forward_pre_hook")));
        // A max norm that is not positive is refused, with the reason.
        QVERIFY(!panel.attach(Kind::ClipGradNorm, -1));
        QVERIFY(!panel.errorText().isEmpty());
        QCOMPARE(session.interventions().size(), std::size_t(2));
        // Another module shows only its own; removing through the handle.
        session.selectModule(QStringLiteral("act"));
        QVERIFY(panel.shownInterventions().empty());
        session.selectModule(QStringLiteral("fc"));
        session.removeIntervention(panel.shownInterventions()[0]);
        QCOMPARE(panel.shownInterventions().size(), std::size_t(1));
        QVERIFY(panel.shownLines()[0].contains(QStringLiteral("register_forward_pre_hook")));

        // Breakpoints: listed as people read them, enabled by their check box, removable.
        workflows::Breakpoint b;
        b.kind = workflows::Breakpoint::Kind::Forward;
        b.module = "fc";
        session.addBreakpoint(b);
        session.addBreakpoint(workflows::parse_breakpoint("loss>5"));
        QListWidget* list = panel.breakpointList();
        QCOMPARE(list->count(), 2);
        QCOMPARE(list->item(0)->text(), QString::fromStdString(workflows::describe(b)));
        QCOMPARE(list->item(0)->checkState(), Qt::Checked);
        list->item(0)->setCheckState(Qt::Unchecked);
        QVERIFY(!session.breakpoints()[0].enabled);
        QVERIFY(session.breakpoints()[1].enabled);
        QCOMPARE(list->item(0)->checkState(), Qt::Unchecked);
        panel.resize(360, 600);
        panel.show();
        shoot(panel, "hooks_panel");
        panel.removeBreakpoint(0);
        QCOMPARE(session.breakpoints().size(), std::size_t(1));
        QCOMPARE(workflows::to_string(session.breakpoints()[0]),
                 workflows::to_string(workflows::parse_breakpoint("loss>5")));
        QCOMPARE(list->count(), 1);
    }

    void distributionsShowBandsAndSteps() {
        TrainSession session;
        ui::DistributionsView view(&session);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        session.selectModule(QStringLiteral("fc"));
        fill(session, 6);

        ui::BandPlot* act = view.activationPlot();
        QCOMPARE(act->pointCount(), std::size_t(6));
        QCOMPARE(view.gradientPlot()->pointCount(), std::size_t(6));
        // Step 2's output is 2..65, one value a bin: the percentiles lie on a straight line.
        const std::vector<double> bands = act->bandsAt(2);
        QCOMPARE(bands.size(), std::size_t(9));
        QCOMPARE(bands.front(), 2.0);
        QCOMPARE(bands.back(), 65.0);
        QVERIFY(std::abs(bands[4] - (2.0 + 63.0 * 0.5)) < 63.0 / 64);
        for (std::size_t q = 1; q < bands.size(); ++q)
            QVERIFY(bands[q] >= bands[q - 1]);
        QVERIFY(act->hoverTextAt(act->plot()->xAxis->coordToPixel(2))
                    .startsWith(QStringLiteral("step 2: median")));

        // The step histogram: step 3's gradient has 5 NaN, drawn as their own bar.
        view.showStep(Stream::Gradient, 3);
        ui::StepHistogram* step = view.stepHistogram();
        QCOMPARE(step->nonFiniteCounts(), (std::vector<double>{5, 0, 0}));
        shoot(view, "distributions");
        QCOMPARE(step->histogram()->shownBins(), 64);
        QVERIFY(step->title().contains(QStringLiteral("step 3")));
        view.showStep(Stream::Activation, 1);
        QCOMPARE(step->nonFiniteCounts(), (std::vector<double>{0, 0, 0}));

        // Zeros over steps: act (a ReLU) loses 10 units a step.
        session.selectModule(QStringLiteral("act"));
        QCustomPlot* zeros = view.zerosPlot()->plot();
        QCOMPARE(zeros->graph(0)->data()->size(), 6);
        QCOMPARE(zeros->graph(0)->data()->at(5)->value, 0.5);
        QVERIFY(zeros->graph(0)->name().contains(QStringLiteral("dead")));

        // The brush: dragging across steps 1..3 of a plot shows those steps in every plot.
        session.selectModule(QStringLiteral("fc"));
        ui::StepBrush brush(act->plot(), &session);
        brush.brushPixels(act->plot()->xAxis->coordToPixel(0.6),
                          act->plot()->xAxis->coordToPixel(3.4));
        QCOMPARE(session.stepRange(), (std::make_pair(std::int64_t(1), std::int64_t(3))));
        QCOMPARE(act->pointCount(), std::size_t(3));
        QCOMPARE(view.gradientPlot()->pointCount(), std::size_t(3));
        QVERIFY(act->plot()->xAxis->range().lower > 0.0);
        QVERIFY(act->plot()->xAxis->range().upper < 4.0);
        // A drag narrower than a step is a click: the step's histogram.
        QSignalSpy clicked(&brush, &ui::StepBrush::stepClicked);
        brush.brushPixels(act->plot()->xAxis->coordToPixel(2.0),
                          act->plot()->xAxis->coordToPixel(2.1));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked[0][0].value<std::int64_t>(), std::int64_t(2));
        session.setStepRange(std::nullopt);
        QCOMPARE(act->pointCount(), std::size_t(6));

        // Hidden, it only marks itself stale; shown again, it draws once.
        view.hide();
        const int before = view.redraws();
        fill(session, 7, 6);
        QCOMPARE(view.redraws(), before);
        view.show();
        QCOMPARE(view.redraws(), before + 1);
    }

    void gradientFlowShowsNormsAndBars() {
        TrainSession session;
        ui::GradientFlowView view(&session);
        view.resize(900, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.flowPlot()->message().isEmpty()); // nothing recorded yet
        fill(session, 4);
        session.selectModule(QStringLiteral("fc"));
        QCOMPARE(view.shownParams(), (std::vector<std::string>{"fc.weight", "fc.bias"}));
        QCustomPlot* norms = view.normsPlot()->plot();
        QCOMPARE(norms->graphCount(), 4); // grad and weight norm of each
        QCOMPARE(norms->graph(0)->data()->size(), 4);
        QCOMPARE(norms->graph(0)->data()->at(3)->value, 12.0); // fc.weight's grad at step 3
        QCOMPARE(norms->graph(1)->data()->at(0)->value, 10.0);
        QCOMPARE(norms->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QCustomPlot* ratio = view.ratioPlot()->plot();
        QCOMPARE(ratio->graphCount(), 2);
        QCOMPARE(ratio->graph(0)->data()->at(0)->value, 0.001);
        QCOMPARE(ratio->graph(1)->data()->at(0)->value, 0.001);

        // One bar per layer at the latest observed step: fc's gradient norm sqrt(12^2 + 16^2).
        QCOMPARE(view.flowStep(), std::optional<std::int64_t>(3));
        QCOMPARE(view.flowLayers(), std::vector<std::string>{"fc"});
        QCOMPARE(view.flowValues(), std::vector<double>{20.0});
        shoot(view, "gradient_flow");
        // A module without parameters says so instead of an empty plot.
        session.selectModule(QStringLiteral("act"));
        QVERIFY(view.shownParams().empty());
        QVERIFY(view.normsPlot()->message().contains(QStringLiteral("no parameters")));
    }
};

QTEST_MAIN(TestTrainViews)
#include "tst_train_views.moc"
