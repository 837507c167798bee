// The hook timeline view (ui/train/hook_timeline_view.h) driven as the session's signals drive it,
// over synthetic paused steps of a small CNN: selecting an event asks for its tensors (only while
// visible, once per event and sample), the answer shows in the tensor view with a chooser of
// inputs / outputs / gradients, a conv output's feature maps follow a chosen sample, stale
// answers are ignored, and stepping event by event follows the run unless the user looks
// elsewhere. Last, a real cnn run (TrainJob on the learnable images) paused at its first
// convolution's forward hook: the view's request is answered by the worker with real tensors.

#include "io/model_document.h"
#include "session/tensor_snapshot.h"
#include "session/train_fixture.h"
#include "ui/models/hook_timeline_model.h"
#include "ui/tensor_view/kernel_grid_view.h"
#include "ui/tensor_view/tensor_view.h"
#include "ui/train/feature_maps.h"
#include "ui/train/hook_timeline_view.h"
#include "ui/train/tensor_inspector.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

using namespace nnscope;
using ui::HookTimelineView;
using workflows::HookEvent;
using workflows::HookKind;

namespace {

HookEvent makeEvent(std::int64_t step, std::int64_t seq, std::string module, std::string type,
                    HookKind kind, std::vector<std::vector<std::int64_t>> in,
                    std::vector<std::vector<std::int64_t>> out) {
    HookEvent e;
    e.step = step;
    e.seq = seq;
    e.module = std::move(module);
    e.module_type = std::move(type);
    e.kind = kind;
    e.input_shapes = std::move(in);
    e.output_shapes = std::move(out);
    return e;
}

// Step `step` of Sequential(Conv2d(1, 3, 3), ReLU(), Flatten(), Linear(75, 10)) on 4 images of
// 7 x 7, its first `n` events, paused at the last.
session::TrainPaused paused(std::int64_t step, std::size_t n) {
    const std::vector<HookEvent> all = {
        makeEvent(step, 0, "0", "Conv2d", HookKind::ForwardPre, {{4, 1, 7, 7}}, {}),
        makeEvent(step, 1, "0", "Conv2d", HookKind::Forward, {{4, 1, 7, 7}}, {{4, 3, 5, 5}}),
        makeEvent(step, 2, "1", "ReLU", HookKind::Forward, {{4, 3, 5, 5}}, {{4, 3, 5, 5}}),
        makeEvent(step, 3, "3", "Linear", HookKind::Forward, {{4, 75}}, {{4, 10}}),
        makeEvent(step, 4, "3", "Linear", HookKind::Backward, {{4, 75}}, {{4, 10}}),
        makeEvent(step, 5, "0", "Conv2d", HookKind::Backward, {{}}, {{4, 3, 5, 5}}),
    };
    session::TrainPaused p;
    p.state = workflows::RunState::PausedAtEvent;
    p.step = step;
    p.timeline.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    p.event = p.timeline.back();
    return p;
}

session::TensorSnapshot snapshot(const std::string& name, const Tensor& t) {
    io::TensorEntry entry;
    entry.name = name;
    entry.shape = t.shape();
    return session::make_tensor_snapshot(entry, t, {});
}

Tensor ramp(const Shape& shape) {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    std::vector<double> values(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = 0.01 * double(i) - 1;
    return Tensor::from_vector(values, shape);
}

// The worker's answer for the conv's forward hook: its input and output, and the maps of `sample`
// as a grid of one group holding the 3 channels.
session::TrainTensorsPtr convTensors(std::int64_t step, std::int64_t sample) {
    auto t = std::make_shared<session::TrainTensors>();
    t->request = {step, 1, sample};
    t->event = paused(step, 2).timeline[1];
    t->inputs.push_back(snapshot("", ramp({4, 1, 7, 7}))); // unnamed: the view names it
    t->outputs.push_back(snapshot("output", ramp({4, 3, 5, 5})));
    session::TensorSnapshot maps = snapshot("output[sample]", ramp({3, 5, 5}));
    session::KernelGrid grid;
    grid.out = 1;
    grid.in = 3;
    grid.kh = grid.kw = 5;
    grid.total_out = 1;
    grid.total_in = 3;
    const auto values = ramp({1, 3, 5, 5}).to_vector();
    grid.values.assign(values.begin(), values.end());
    maps.kernels = grid;
    t->feature_maps = maps;
    return t;
}

session::TensorsRequest lastRequest(const QSignalSpy& spy) {
    return spy.last().at(0).value<session::TensorsRequest>();
}

} // namespace

Q_DECLARE_METATYPE(nnscope::session::TensorsRequest)

class TestHookTimelineView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<session::TensorsRequest>(); }

    void saysWhenItFills() {
        HookTimelineView view(nullptr);
        QVERIFY2(view.statusText().contains(QStringLiteral("fills when the run is paused")),
                 qPrintable(view.statusText()));
        view.showPaused(paused(5, 2));
        QVERIFY2(view.statusText().contains(
                     QStringLiteral("Step 5: 2 hook events so far, paused at 0 (Conv2d) forward")),
                 qPrintable(view.statusText()));
        view.showRunning();
        QVERIFY2(view.statusText().startsWith(QStringLiteral("Running: these are the events of "
                                                             "step 5.")),
                 qPrintable(view.statusText()));
        view.showEnded();
        QCOMPARE(view.statusText(),
                 QStringLiteral("The run has ended; these are the events of step 5."));
        view.clear();
        QCOMPARE(view.model()->rowCount(), 0);
    }

    void selectingAsksForTheTensors() {
        HookTimelineView view(nullptr);
        QSignalSpy requests(&view, &HookTimelineView::tensorsRequested);
        view.showPaused(paused(5, 2)); // hidden: nothing asked yet
        QCOMPARE(view.selectedSeq(), std::optional<std::int64_t>(1));
        QCOMPARE(requests.count(), 0);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(requests.count(), 1);
        auto r = lastRequest(requests);
        QCOMPARE(r.step, 5);
        QCOMPARE(r.seq, 1);
        QCOMPARE(r.sample, 0);
        const auto* inspector = view.inspector();
        QCOMPARE(inspector->registrationText(),
                 QStringLiteral("model.get_submodule(\"0\").register_forward_hook(hook)"));
        QVERIFY(inspector->featureMaps()->isVisible());
        QCOMPARE(inspector->featureMaps()->sampleBox()->maximum(), 3);

        view.selectEvent(0); // a forward pre-hook: no output, no feature maps
        QCOMPARE(requests.count(), 2);
        QCOMPARE(lastRequest(requests).seq, 0);
        QVERIFY(!inspector->featureMaps()->isVisible());
        view.selectEvent(0); // the same again asks nothing
        QCOMPARE(requests.count(), 2);
    }

    void showsTheAnswer() {
        HookTimelineView view(nullptr);
        QSignalSpy requests(&view, &HookTimelineView::tensorsRequested);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showPaused(paused(5, 2));
        QCOMPARE(requests.count(), 1);
        // An answer about another event is stale.
        auto other = std::make_shared<session::TrainTensors>(*convTensors(5, 0));
        other->request.seq = 0;
        other->event.seq = 0;
        view.showTensors(other);
        QCOMPARE(view.inspector()->tensorLabels(), QStringList());

        view.showTensors(convTensors(5, 0));
        const auto* inspector = view.inspector();
        QCOMPARE(inspector->tensorLabels(),
                 QStringList({QStringLiteral("input[0]"), QStringLiteral("output")}));
        QCOMPARE(inspector->chosenLabel(), QStringLiteral("output"));
        QVERIFY2(inspector->tensorView()->headerText().startsWith(QStringLiteral("output")),
                 qPrintable(inspector->tensorView()->headerText()));
        QVERIFY(inspector->tensorView()->hasSnapshot());
        // An activation is not a kernel grid: its maps are the feature maps.
        QVERIFY(!inspector->tensorView()->tabs()->isTabEnabled(int(ui::TensorView::Tab::Kernels)));
        // The maps: one numbered group per channel.
        const auto* grid = inspector->featureMaps()->grid();
        QCOMPARE(grid->outChannels(), 3);
        QCOMPARE(grid->inChannels(), 1);
        QCOMPARE(grid->images().size(), std::size_t(3));
        QVERIFY2(grid->caption().contains(QStringLiteral("Sample 0: 3 channel maps of 5 x 5")),
                 qPrintable(grid->caption()));
        QVERIFY2(grid->legendText().contains(QStringLiteral("maps shown")),
                 qPrintable(grid->legendText()));

        // The user's choice of tensor is kept for the next answer.
        const_cast<ui::TensorInspector*>(inspector)->choose(QStringLiteral("input[0]"));
        QVERIFY(inspector->tensorView()->headerText().contains(QStringLiteral("[4, 1, 7, 7]")));

        // Another sample: a new request; the old sample's answer is stale now.
        inspector->featureMaps()->sampleBox()->setValue(2);
        QCOMPARE(requests.count(), 2);
        QCOMPARE(lastRequest(requests).sample, 2);
        view.showTensors(convTensors(5, 0));
        QVERIFY(inspector->featureMaps()->captionText().startsWith(QStringLiteral("Fetching")));
        view.showTensors(convTensors(5, 2));
        QVERIFY2(inspector->featureMaps()->captionText().startsWith(QStringLiteral("Sample 2")),
                 qPrintable(inspector->featureMaps()->captionText()));
        QCOMPARE(inspector->chosenLabel(), QStringLiteral("input[0]"));

        // Maps too large for a grid say so.
        auto large = std::make_shared<session::TrainTensors>(*convTensors(5, 2));
        large->feature_maps->kernels.reset();
        large->feature_maps->shape = {40, 1, 64, 64};
        inspector->featureMaps()->sampleBox()->setValue(1);
        large->request.sample = 1;
        view.showTensors(large);
        QVERIFY2(inspector->featureMaps()->captionText().contains(
                     QStringLiteral("[40, 1, 64, 64] are too large")),
                 qPrintable(inspector->featureMaps()->captionText()));

        // The worker could not answer: said in place of the plots.
        view.selectEvent(0);
        auto failed = std::make_shared<session::TrainTensors>();
        failed->request = {5, 0, 1};
        failed->event = paused(5, 1).timeline[0];
        failed->error = "the step moved on";
        view.showTensors(failed);
        QCOMPARE(inspector->statusText(), QStringLiteral("the step moved on"));
        QVERIFY(inspector->tensorView()->headerText().contains(QStringLiteral("cannot be shown")));
    }

    void steppingFollowsTheRun() {
        HookTimelineView view(nullptr);
        QSignalSpy requests(&view, &HookTimelineView::tensorsRequested);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (std::size_t n = 1; n <= 3; ++n) {
            view.showPaused(paused(5, n));
            QCOMPARE(view.selectedSeq(), std::optional<std::int64_t>(std::int64_t(n) - 1));
        }
        QCOMPARE(requests.count(), 3);
        view.showRunning(); // between events: nothing is asked while running
        view.selectEvent(0);
        QCOMPARE(requests.count(), 3);
        // The user looks at event 0: stepping on keeps it (appended rows, no reset).
        view.showPaused(paused(5, 4));
        QCOMPARE(view.selectedSeq(), std::optional<std::int64_t>(0));
        QCOMPARE(view.model()->rowCount(), 4);
        QCOMPARE(requests.count(), 4); // now that it waits, the worker is asked
        QCOMPARE(lastRequest(requests).seq, 0);
        view.showPaused(paused(5, 5));
        QCOMPARE(view.selectedSeq(), std::optional<std::int64_t>(0));
        QCOMPARE(requests.count(), 4);
        // The next step follows again.
        view.showPaused(paused(6, 2));
        QCOMPARE(view.selectedSeq(), std::optional<std::int64_t>(1));
        QCOMPARE(lastRequest(requests).step, 6);
        // The PyTorch lines column.
        QVERIFY(view.table()->isColumnHidden(ui::HookTimelineModel::Registration));
        view.pytorchLinesBox()->setChecked(true);
        QVERIFY(!view.table()->isColumnHidden(ui::HookTimelineModel::Registration));
    }

    void aRealPausedRun() {
        test::TrainData data;
        QVERIFY(data.valid());
        session::TrainRequest r = data.mlp();
        r.config.model = "cnn";
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{1}, 20000);
        // Step hook event by hook event to the first convolution's forward hook.
        const auto at_conv = [&] {
            const auto& e = t.paused.back().event;
            return e && e->kind == HookKind::Forward && e->module_type == "Conv2d";
        };
        for (int i = 0; i < 20 && (t.paused.empty() || !at_conv()); ++i) {
            const std::size_t before = t.paused.size();
            t.command(workflows::RunCommand::StepEvent);
            QTRY_VERIFY_WITH_TIMEOUT(t.paused.size() > before, 20000);
        }
        QVERIFY(at_conv());

        HookTimelineView view(nullptr);
        QSignalSpy requests(&view, &HookTimelineView::tensorsRequested);
        connect(&view, &HookTimelineView::tensorsRequested, &t.receiver,
                [&t](const session::TensorsRequest& q) { t.control->request_tensors(q); });
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const session::TrainPaused& p = t.paused.back();
        view.showPaused(p);
        QCOMPARE(view.model()->rowCount(), int(p.timeline.size()));
        QCOMPARE(view.selectedSeq(), std::optional<std::int64_t>(p.event->seq));
        QCOMPARE(requests.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(t.tensors.size(), std::size_t{1}, 20000);
        view.showTensors(t.tensors.back());
        const auto* inspector = view.inspector();
        QCOMPARE(inspector->tensorLabels(),
                 QStringList({QStringLiteral("input[0]"), QStringLiteral("output")}));
        QCOMPARE(inspector->chosenLabel(), QStringLiteral("output"));
        // The conv's output [16, 16, 28, 28]: 16 maps of 28 x 28 for sample 0.
        const auto& shape = p.event->output_shapes.at(0);
        QCOMPARE(shape, (std::vector<std::int64_t>{16, 16, 28, 28}));
        QVERIFY2(inspector->tensorView()->headerText().contains(QStringLiteral("[16, 16, 28, 28]")),
                 qPrintable(inspector->tensorView()->headerText()));
        const auto* grid = inspector->featureMaps()->grid();
        QCOMPARE(grid->outChannels(), 16);
        QCOMPARE(grid->images().size(), std::size_t(16));
        QCOMPARE(grid->images()[0].size(), QSize(28, 28));
        // Another sample: asked for and answered.
        inspector->featureMaps()->sampleBox()->setValue(5);
        QCOMPARE(lastRequest(requests).sample, 5);
        QTRY_COMPARE_WITH_TIMEOUT(t.tensors.size(), std::size_t{2}, 20000);
        QCOMPARE(t.tensors.back()->request.sample, 5);
        view.showTensors(t.tensors.back());
        QVERIFY2(inspector->featureMaps()->captionText().startsWith(QStringLiteral("Sample 5")),
                 qPrintable(inspector->featureMaps()->captionText()));
        t.command(workflows::RunCommand::Stop);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
    }

    void tensorNames() {
        const auto backward = paused(5, 6).timeline[5]; // grad_input = (None,)
        QCOMPARE(ui::tensorLabels(backward, true, 0), QStringList());
        QCOMPARE(ui::tensorLabels(backward, false, 1),
                 QStringList({QStringLiteral("grad_output[0]")}));
        HookEvent two = backward;
        two.input_shapes = {{}, {8, 32}, {32}};
        QCOMPARE(ui::tensorLabels(two, true, 2),
                 QStringList({QStringLiteral("grad_input[1]"), QStringLiteral("grad_input[2]")}));
        QCOMPARE(ui::tensorLabels(two, true, 3),
                 QStringList({QStringLiteral("grad_input[0]"), QStringLiteral("grad_input[1]"),
                              QStringLiteral("grad_input[2]")}));
        HookEvent grad = makeEvent(5, 7, "3.weight", "Linear", HookKind::ParamGrad, {}, {{10, 75}});
        QCOMPARE(ui::tensorLabels(grad, false, 1), QStringList({QStringLiteral("grad")}));
        const auto forward = paused(5, 2).timeline[1];
        QCOMPARE(ui::tensorLabels(forward, false, 1), QStringList({QStringLiteral("output")}));
        QVERIFY(ui::hasFeatureMaps(forward));
        QVERIFY(!ui::hasFeatureMaps(paused(5, 4).timeline[3]));
        QVERIFY(!ui::hasFeatureMaps(backward));
    }
};

QTEST_MAIN(TestHookTimelineView)
#include "tst_hook_timeline_view.moc"
