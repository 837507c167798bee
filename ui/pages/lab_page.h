#pragma once
// The DataLoader lab: configurations side by side (A and B always, more can be added), each a
// ConfigColumn with its form, summary and view tabs, analysed on its own worker. A toolbar adds
// and removes columns, copies A to B, swaps them, applies a preset comparison (its explanation in
// a banner above the columns) and opens or saves a column's configuration as JSON. Choosing a
// tab in one column chooses it in all. The configurations are remembered between runs.

#include "data/loader_config.h"
#include "ui/lab/config_column.h"
#include "ui/workspace.h"

#include <vector>

class QLabel;
class QSplitter;
class QToolBar;

namespace nnscope::ui {

class LabPage : public Workspace {
    Q_OBJECT
public:
    static constexpr int kMinColumns = 2;

    // `views` makes each column's tabs (make_lab_views by default; tests give their own).
    explicit LabPage(QWidget* parent = nullptr, ConfigColumn::ViewFactory views = {});
    ~LabPage() override;

    QString title() const override { return tr("DataLoader lab"); }
    void cancel() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void shutdown() override;

    // A: Fashion-MNIST when Debian's package is installed, else range:1000:mod=10, in shuffled
    // batches of 64 over 3 epochs; B the same without shuffling.
    static data::DataLoaderConfig defaultConfiguration(int column);

    int columnCount() const { return static_cast<int>(columns_.size()); }
    ConfigColumn* column(int index) const { return columns_.at(static_cast<std::size_t>(index)); }
    ConfigColumn* addColumn(const data::DataLoaderConfig& config);
    // Refused (false) while only kMinColumns are left.
    bool removeColumn(int index);
    void copyColumn(int from, int to);
    void swapColumns(int a, int b);
    // Hides every column's form (and the forms of columns added later), leaving the summaries
    // and views.
    void setFormsHidden(bool hidden);
    bool formsHidden() const { return forms_hidden_; }
    // Sets A and B to the configurations given and drops the other columns.
    void setConfigurations(const std::vector<data::DataLoaderConfig>& configs);
    // A workflows::lab_presets() name; false for an unknown one.
    bool applyPreset(const QString& name);
    QString bannerText() const;

    // "" on success, else why (the file, then the JSON or configuration error).
    QString openJson(int column, const QString& path);
    QString saveJson(int column, const QString& path) const;
    // The column's configuration as the PyTorch script of `nnscope-cli loader --emit-pytorch`.
    QString savePyTorchScript(int column, const QString& path) const;

    // Any column busy (an edit or analysis pending, a busy view of its shown tab).
    bool isComputing() const;

signals:
    // Every column has its analysis and no view of a shown tab is busy.
    void settled();

private:
    void buildToolBar();
    void renameColumns();
    void syncTabs(int index);
    void showBanner(const QString& text);
    void updateStatus();

    ConfigColumn::ViewFactory views_;
    std::vector<ConfigColumn*> columns_;
    QToolBar* toolbar_ = nullptr;
    QLabel* banner_ = nullptr;
    QSplitter* splitter_ = nullptr;
    bool syncing_ = false;
    bool computing_ = false; // as the status text last said
    bool forms_hidden_ = false;
};

} // namespace nnscope::ui
