// The hook timeline's item model under QAbstractItemModelTester, over synthetic paused steps of a
// two-layer MLP: the columns' texts, None in grad_input, the PyTorch registration lines, the bold
// current event, and stepping event by event appending rows instead of resetting the model.

#include "ui/models/hook_timeline_model.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QtTest>

using namespace nnscope;
using ui::HookTimelineModel;
using workflows::HookEvent;
using workflows::HookKind;

namespace {

HookEvent makeEvent(std::int64_t seq, std::string module, std::string type, HookKind kind,
                    std::vector<std::vector<std::int64_t>> in,
                    std::vector<std::vector<std::int64_t>> out, std::string op = {}) {
    HookEvent e;
    e.step = 3;
    e.seq = seq;
    e.module = std::move(module);
    e.module_type = std::move(type);
    e.kind = kind;
    e.input_shapes = std::move(in);
    e.output_shapes = std::move(out);
    e.operation = std::move(op);
    return e;
}

// Step 3 of Sequential(Linear(784, 32), ReLU(), Linear(32, 10)) on a batch of 8, in PyTorch's
// order: forward pre-hook and forward hook of each module, then backward from the last layer,
// with the parameters' gradient hooks as autograd reaches them.
std::vector<HookEvent> mlp_step() {
    return {
        makeEvent(0, "0", "Linear", HookKind::ForwardPre, {{8, 784}}, {}),
        makeEvent(1, "0", "Linear", HookKind::Forward, {{8, 784}}, {{8, 32}}, "AddmmBackward0"),
        makeEvent(2, "1", "ReLU", HookKind::ForwardPre, {{8, 32}}, {}),
        makeEvent(3, "1", "ReLU", HookKind::Forward, {{8, 32}}, {{8, 32}}, "ReluBackward0"),
        makeEvent(4, "2", "Linear", HookKind::ForwardPre, {{8, 32}}, {}),
        makeEvent(5, "2", "Linear", HookKind::Forward, {{8, 32}}, {{8, 10}}, "AddmmBackward0"),
        makeEvent(6, "2", "Linear", HookKind::Backward, {{8, 32}}, {{8, 10}}, "AddmmBackward0"),
        makeEvent(7, "2.weight", "Linear", HookKind::ParamGrad, {}, {{10, 32}}),
        makeEvent(8, "1", "ReLU", HookKind::Backward, {{8, 32}}, {{8, 32}}, "ReluBackward0"),
        // The first layer's input needs no gradient: PyTorch passes grad_input = (None,).
        makeEvent(9, "0", "Linear", HookKind::Backward, {{}}, {{8, 32}}, "AddmmBackward0"),
    };
}

session::TrainPaused paused(std::int64_t step, std::size_t events, bool at_event = true) {
    session::TrainPaused p;
    p.step = step;
    auto all = mlp_step();
    for (auto& e : all)
        e.step = step;
    p.timeline.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(events));
    if (at_event && events > 0) {
        p.state = workflows::RunState::PausedAtEvent;
        p.event = p.timeline.back();
    }
    return p;
}

QString text(const HookTimelineModel& model, int row, int column) {
    return model.data(model.index(row, column)).toString();
}

bool bold(const HookTimelineModel& model, int row) {
    return model.data(model.index(row, 0), Qt::FontRole).value<QFont>().bold();
}

} // namespace

class TestHookTimelineModel : public QObject {
    Q_OBJECT
private slots:
    void columnsOfAStep() {
        HookTimelineModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPaused(paused(3, 10));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.columnCount(), int(HookTimelineModel::ColumnCount));
        QCOMPARE(model.step(), 3);
        QCOMPARE(text(model, 1, HookTimelineModel::Seq), QStringLiteral("1"));
        QCOMPARE(text(model, 1, HookTimelineModel::Module), QStringLiteral("0"));
        QCOMPARE(text(model, 1, HookTimelineModel::Type), QStringLiteral("Linear"));
        QCOMPARE(text(model, 1, HookTimelineModel::Hook), QStringLiteral("forward"));
        QCOMPARE(text(model, 1, HookTimelineModel::Inputs), QStringLiteral("[8, 784]"));
        QCOMPARE(text(model, 1, HookTimelineModel::Outputs), QStringLiteral("[8, 32]"));
        QCOMPARE(text(model, 1, HookTimelineModel::Operation), QStringLiteral("AddmmBackward0"));
        QCOMPARE(text(model, 0, HookTimelineModel::Hook), QStringLiteral("forward_pre"));
        QCOMPARE(text(model, 0, HookTimelineModel::Outputs), QString());
        QCOMPARE(text(model, 7, HookTimelineModel::Hook), QStringLiteral("grad"));
        QCOMPARE(text(model, 9, HookTimelineModel::Inputs), QStringLiteral("None"));
        QCOMPARE(text(model, 9, HookTimelineModel::Outputs), QStringLiteral("[8, 32]"));
        // A forward hook's empty input shape is a 0-D tensor, not None.
        auto p = paused(3, 1);
        p.timeline[0].input_shapes = {{}};
        model.setPaused(p);
        QCOMPARE(text(model, 0, HookTimelineModel::Inputs), QStringLiteral("[]"));
        QCOMPARE(model.data(model.index(0, 0), HookTimelineModel::SeqRole).toLongLong(), 0);
        QCOMPARE(model.headerData(HookTimelineModel::Inputs, Qt::Horizontal).toString(),
                 QStringLiteral("Inputs / grad_input"));
    }

    void registrationLines() {
        HookTimelineModel model;
        model.setPaused(paused(3, 10));
        QCOMPARE(text(model, 0, HookTimelineModel::Registration),
                 QStringLiteral("model.get_submodule(\"0\").register_forward_pre_hook(hook)"));
        QCOMPARE(text(model, 6, HookTimelineModel::Registration),
                 QStringLiteral("model.get_submodule(\"2\").register_full_backward_hook(hook)"));
        QCOMPARE(text(model, 7, HookTimelineModel::Registration),
                 QStringLiteral("model.get_parameter(\"2.weight\").register_hook(hook)"));
        HookEvent root = makeEvent(0, "", "Sequential", HookKind::LegacyBackward, {}, {});
        QCOMPARE(ui::registrationLine(root), QStringLiteral("model.register_backward_hook(hook)"));
        const QString tip = model.data(model.index(6, 2), Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("2 (Linear) backward")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("register_full_backward_hook")), qPrintable(tip));
    }

    // A tensor hook on a module's output (registered in its forward hook) and the state_dict
    // hooks a checkpoint saved while paused fires: their names, shapes and PyTorch lines; the
    // state_dict rows are appended to the step's timeline.
    void tensorAndStateDictHooks() {
        HookTimelineModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        session::TrainPaused p = paused(3, 7);
        p.timeline.insert(p.timeline.begin() + 6, makeEvent(6, "2", "Linear", HookKind::OutputGrad,
                                                            {}, {{8, 10}}, "AddmmBackward0"));
        for (std::size_t i = 7; i < p.timeline.size(); ++i)
            p.timeline[i].seq = static_cast<std::int64_t>(i);
        for (auto& e : p.timeline)
            e.step = 3;
        p.event = p.timeline.back();
        model.setPaused(p);
        QCOMPARE(text(model, 6, HookTimelineModel::Hook), QStringLiteral("output_grad"));
        QCOMPARE(text(model, 6, HookTimelineModel::Inputs), QString());
        QCOMPARE(text(model, 6, HookTimelineModel::Outputs), QStringLiteral("[8, 10]"));
        QCOMPARE(text(model, 6, HookTimelineModel::Registration),
                 QStringLiteral("model.get_submodule(\"2\").register_forward_hook(lambda m, "
                                "inputs, output: output.register_hook(hook))"));
        const QString tip = model.data(model.index(6, 0), Qt::ToolTipRole).toString();
        QVERIFY2(tip.startsWith(QStringLiteral("grad of 2's output\n")), qPrintable(tip));

        // Saving a checkpoint while paused: state_dict() fires the hooks children first.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const std::int64_t next = p.timeline.back().seq + 1;
        p.timeline.push_back(makeEvent(next, "0", "Linear", HookKind::StateDict, {}, {}));
        p.timeline.push_back(makeEvent(next + 1, "", "Sequential", HookKind::StateDict, {}, {}));
        for (auto& e : p.timeline)
            e.step = 3;
        model.setPaused(p);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(text(model, 8, HookTimelineModel::Hook), QStringLiteral("state_dict"));
        QCOMPARE(text(model, 8, HookTimelineModel::Inputs), QString());
        QCOMPARE(text(model, 9, HookTimelineModel::Module), QStringLiteral("(model)"));
        QCOMPARE(text(model, 8, HookTimelineModel::Registration),
                 QStringLiteral("model.get_submodule(\"0\")._register_state_dict_hook(hook)"));
        QCOMPARE(text(model, 9, HookTimelineModel::Registration),
                 QStringLiteral("model._register_state_dict_hook(hook)"));
        QVERIFY(bold(model, 7)); // still paused at the event it waited at
        HookEvent load = makeEvent(0, "fc", "Linear", HookKind::LoadStateDictPre, {}, {});
        QCOMPARE(ui::registrationLine(load),
                 QStringLiteral("model.get_submodule(\"fc\")._register_load_state_dict_pre_hook("
                                "hook, with_module=True)"));
        load.kind = HookKind::LoadStateDictPost;
        QCOMPARE(ui::registrationLine(load),
                 QStringLiteral("model.get_submodule(\"fc\").register_load_state_dict_post_hook("
                                "hook)"));
    }

    void currentEventIsBold() {
        HookTimelineModel model;
        model.setPaused(paused(3, 4));
        QCOMPARE(model.currentSeq(), std::optional<std::int64_t>(3));
        QVERIFY(bold(model, 3));
        QVERIFY(!bold(model, 2));
        model.setPaused(paused(3, 4, false)); // paused, no longer at an event
        QVERIFY(!model.currentSeq());
        QVERIFY(!bold(model, 3));
    }

    // Step hook event: the same step's timeline grows one event at a time; rows are appended and
    // the bold moves, with no reset. A new step resets.
    void steppingAppends() {
        HookTimelineModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setPaused(paused(3, 1));
        QCOMPARE(resets.count(), 1);
        for (std::size_t n = 2; n <= 10; ++n) {
            model.setPaused(paused(3, n));
            QCOMPARE(model.rowCount(), int(n));
            QVERIFY(bold(model, int(n) - 1));
            QVERIFY(!bold(model, int(n) - 2));
        }
        QCOMPARE(resets.count(), 1);
        QCOMPARE(inserted.count(), 9);
        QCOMPARE(inserted.last().at(1).toInt(), 9); // first row
        QCOMPARE(inserted.last().at(2).toInt(), 9); // last row
        QCOMPARE(changed.count(), 18);              // old and new current row per step
        // The same timeline again changes nothing.
        model.setPaused(paused(3, 10));
        QCOMPARE(resets.count(), 1);
        QCOMPARE(changed.count(), 18);
        // The next step starts over.
        model.setPaused(paused(4, 2));
        QCOMPARE(resets.count(), 2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.step(), 4);
        // A timeline that is not a continuation of the rows (another module) resets too.
        auto other = paused(4, 3);
        other.timeline[1].module = "x";
        model.setPaused(other);
        QCOMPARE(resets.count(), 3);
        QCOMPARE(text(model, 1, HookTimelineModel::Module), QStringLiteral("x"));
        QCOMPARE(model.rowOfSeq(2), 2);
        QCOMPARE(model.rowOfSeq(7), -1);
        QVERIFY(!model.event(3));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.step(), -1);
    }
};

QTEST_MAIN(TestHookTimelineModel)
#include "tst_hook_timeline_model.moc"
