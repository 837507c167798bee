#pragma once
// The module tree of a training run: one row per module of TrainStarted::modules (the root on
// top, children from the dotted paths), its type, and live numbers from the latest observed step
// (activation mean and std, the dead-unit fraction of a ReLU, the std of the gradient w.r.t. the
// output and the 2-norm of the module's own parameters' gradients). The module that runs while
// stepping is shown highlighted. A new step only changes the number columns (dataChanged, never a
// reset), so the tree keeps its expansion and selection while training.

#include "session/train_job.h"
#include "workflows/train_record.h"

#include <QAbstractItemModel>
#include <string>
#include <unordered_map>
#include <vector>

namespace nnscope::ui {

class TrainModuleModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Type, ActMean, ActStd, Dead, GradStd, GradNorm, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // the module's dotted path ("" the root)
        ValueRole,                   // a number column's value as a double (NaN: none)
        HighlightRole,               // true on the highlighted module
    };

    // What the number columns show for one module (NaN: not observed at that step).
    struct Numbers {
        double act_mean, act_std, dead, grad_std, grad_norm;
    };

    explicit TrainModuleModel(QObject* parent = nullptr);

    // A new run's tree (a reset: nothing of the old run's tree survives).
    void setModules(const std::vector<session::TrainModuleInfo>& modules);
    // The numbers of an observed step; modules the record leaves out show none. `shown` (column-0
    // indexes, e.g. the rows a view shows) limits the dataChanged signals to those rows, so 2,000
    // modules cost what the screen shows: a view asks data() afresh for a row it scrolls to. Null:
    // one signal per group of siblings, every row.
    void setNumbers(const workflows::StepRecord& record,
                    const std::vector<QModelIndex>* shown = nullptr);
    // The module shown highlighted ("" the root; none when `path` is null or unknown).
    void setHighlighted(const QString& path);
    QString highlighted() const;
    std::int64_t numbersStep() const { return numbers_step_; }

    const Numbers& numbers(int module) const { return numbers_[std::size_t(module)]; }
    int moduleCount() const { return int(modules_.size()); }
    // The index of the module at a dotted path (column 0); invalid when absent.
    QModelIndex indexOfPath(const QString& path) const;
    QString pathOf(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node {
        session::TrainModuleInfo info;
        QString name; // the last part of the path
        int parent = -1;
        int row = 0; // in the parent
        std::vector<int> children;
    };
    int moduleOf(const std::string& path) const;
    QModelIndex indexOfModule(int module, int column) const;
    double value(int module, int column) const;

    std::vector<Node> modules_;
    std::vector<int> roots_;
    std::vector<Numbers> numbers_;
    std::unordered_map<std::string, int> by_path_;
    std::int64_t numbers_step_ = -1;
    int highlighted_ = -1;
};

} // namespace nnscope::ui
