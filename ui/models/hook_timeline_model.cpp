#include "ui/models/hook_timeline_model.h"

#include "ui/tensor_view/tensor_text.h"

#include <QFont>
#include <QStringList>

namespace nnscope::ui {

using workflows::HookEvent;
using workflows::HookKind;

QString shapesText(const HookEvent& event, bool inputs) {
    const auto& shapes = inputs ? event.input_shapes : event.output_shapes;
    const auto& tensors = inputs ? event.inputs : event.outputs;
    const bool backward = workflows::is_backward(event.kind);
    QStringList parts;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        const bool none = backward && (i < tensors.size() ? !tensors[i].defined()
                                                          : tensors.empty() && shapes[i].empty());
        parts << (none ? QStringLiteral("None") : shapeText(shapes[i]));
    }
    return parts.join(QStringLiteral(", "));
}

QString registrationLine(const HookEvent& event) {
    const std::string line = workflows::hook_registration(event.kind); // "m.register_..."
    const auto dot = line.find('.');
    const QString call = QString::fromStdString(dot == std::string::npos ? line : line.substr(dot));
    const QString path = QString::fromStdString(event.module);
    if (event.kind == HookKind::ParamGrad)
        return QStringLiteral("model.get_parameter(\"%1\")").arg(path) + call;
    if (path.isEmpty()) return QStringLiteral("model") + call;
    return QStringLiteral("model.get_submodule(\"%1\")").arg(path) + call;
}

HookTimelineModel::HookTimelineModel(QObject* parent)
    : QAbstractTableModel(parent) {}

bool HookTimelineModel::extends(const session::TrainPaused& paused) const {
    if (paused.step != step_ || paused.timeline.size() < events_.size()) return false;
    for (std::size_t i = 0; i < events_.size(); ++i) {
        const HookEvent &a = events_[i], &b = paused.timeline[i];
        if (a.seq != b.seq || a.kind != b.kind || a.module != b.module) return false;
    }
    return true;
}

void HookTimelineModel::setPaused(const session::TrainPaused& paused) {
    const std::optional<std::int64_t> current =
        paused.event ? std::optional(paused.event->seq) : std::nullopt;
    if (!extends(paused)) {
        beginResetModel();
        events_ = paused.timeline;
        step_ = paused.step;
        current_ = current;
        endResetModel();
        return;
    }
    const int old_current = current_ ? rowOfSeq(*current_) : -1;
    if (paused.timeline.size() > events_.size()) {
        beginInsertRows({}, rowCount(), static_cast<int>(paused.timeline.size()) - 1);
        events_.insert(events_.end(),
                       paused.timeline.begin() + static_cast<std::ptrdiff_t>(events_.size()),
                       paused.timeline.end());
        endInsertRows();
    }
    current_ = current;
    const int new_current = current_ ? rowOfSeq(*current_) : -1;
    if (old_current != new_current) {
        markRow(old_current);
        markRow(new_current);
    }
}

void HookTimelineModel::clear() {
    beginResetModel();
    events_.clear();
    step_ = -1;
    current_.reset();
    endResetModel();
}

void HookTimelineModel::markRow(int row) {
    if (row < 0 || row >= rowCount()) return;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::FontRole});
}

const HookEvent* HookTimelineModel::event(int row) const {
    if (row < 0 || row >= rowCount()) return nullptr;
    return &events_[static_cast<std::size_t>(row)];
}

int HookTimelineModel::rowOfSeq(std::int64_t seq) const {
    // Rows are in seq order; a timeline need not start at 0, so look rather than index.
    for (std::size_t i = 0; i < events_.size(); ++i)
        if (events_[i].seq == seq) return static_cast<int>(i);
    return -1;
}

int HookTimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(events_.size());
}

int HookTimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HookTimelineModel::display(const HookEvent& e, int column) const {
    switch (Column(column)) {
    case Seq:
        return static_cast<qlonglong>(e.seq);
    case Module:
        return e.module.empty() ? tr("(model)") : QString::fromStdString(e.module);
    case Type:
        return QString::fromStdString(e.module_type);
    case Hook:
        return QString::fromUtf8(workflows::hook_kind_name(e.kind));
    case Inputs:
        return shapesText(e, true);
    case Outputs:
        return shapesText(e, false);
    case Operation:
        return QString::fromStdString(e.operation);
    case Registration:
        return registrationLine(e);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant HookTimelineModel::data(const QModelIndex& index, int role) const {
    const HookEvent* e = index.isValid() ? event(index.row()) : nullptr;
    if (!e) return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*e, index.column());
    case SeqRole:
        return static_cast<qlonglong>(e->seq);
    case Qt::ToolTipRole:
        return QStringLiteral("%1\n%2").arg(QString::fromStdString(workflows::describe_place(*e)),
                                            registrationLine(*e));
    case Qt::FontRole:
        if (current_ && e->seq == *current_) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Seq) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant HookTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case Seq:
            return tr("#");
        case Module:
            return tr("Module");
        case Type:
            return tr("Type");
        case Hook:
            return tr("Hook");
        case Inputs:
            return tr("Inputs / grad_input");
        case Outputs:
            return tr("Output / grad_output");
        case Operation:
            return tr("Operation");
        case Registration:
            return tr("PyTorch");
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case Inputs:
            return tr("Forward hooks: the shapes of the module's inputs. Backward hooks: of "
                      "grad_input (None where PyTorch passes None).");
        case Outputs:
            return tr("Forward hooks: the output's shape. Backward hooks: grad_output's. A "
                      "parameter's gradient hook: the gradient's.");
        case Operation:
            return tr("The autograd node (grad_fn) of the output in forward, the node running in "
                      "backward.");
        case Registration:
            return tr("The PyTorch line that registers this hook.");
        default:
            return {};
        }
    }
    return {};
}

} // namespace nnscope::ui
