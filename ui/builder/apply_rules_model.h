#pragma once
// The builder inspector's apply(fn) rules, editable (issue #17): one row per rule "for every
// MODULE TYPE, nn.init.SCHEME_(m.TENSOR)" with the scheme's arguments a and b
// (workflows/apply_rules.h). The module type is one of the engine's types or "*", the scheme one
// of apply_rules' schemes: setData refuses anything else. a and b are editable only where the
// scheme takes them (constant: a; normal, uniform: a, b; xavier: b = gain) and shown as "--"
// elsewhere. Rows are added and removed with insertRows / removeRows.

#include "workflows/apply_rules.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <vector>

namespace nnscope::ui {

class ApplyRulesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ModuleType, Tensor, Scheme, A, B, ColumnCount };

    explicit ApplyRulesModel(QObject* parent = nullptr);

    void setRules(std::vector<workflows::InitRule> rules);
    const std::vector<workflows::InitRule>& rules() const { return rules_; }
    // Appends a rule (insertRows does the same with a "*" / "weight" / "zeros" one).
    void addRule(const workflows::InitRule& rule);

    // "*" then nn::module_type_names(); the schemes of workflows::init_scheme_names().
    static const QStringList& moduleTypes();
    static QStringList schemes();
    // Whether the scheme reads a / b.
    static bool takesA(const std::string& scheme);
    static bool takesB(const std::string& scheme);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool insertRows(int row, int count, const QModelIndex& parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

signals:
    void rulesChanged();

private:
    bool editable(const QModelIndex& index) const;

    std::vector<workflows::InitRule> rules_;
};

} // namespace nnscope::ui
