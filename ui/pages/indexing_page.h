#pragma once
// The Indexing page (issue #17): torch.index_select, torch.gather and F.embedding on a small
// tensor the learner edits, each output element in the colour of the input element it copies;
// selecting a cell shows what it is linked to (an output cell: its source and the index element
// that chose it; an input cell: every output copied from it). A call PyTorch refuses shows
// PyTorch's exception word for word, the offending index cells red. Below, a backward with an
// output gradient the learner edits: the input's gradient with each element's fan-in, so that
// repeated indices visibly accumulate (scatter-add). The line above the grids is the same call
// in PyTorch, to copy.

#include "ui/indexing/index_links.h"
#include "ui/workspace.h"
#include "workflows/index_trace.h"

#include <optional>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace nnscope::ui {

class RefusalPanel;
class TensorEditor;
class TensorGridModel;
class TensorGridView;

class IndexingPage : public Workspace {
    Q_OBJECT
public:
    explicit IndexingPage(QWidget* parent = nullptr);

    QString title() const override { return tr("Indexing"); }

    // The op with its starting example (each op's own: a repeated index, so that the gradient
    // shows a fan-in of 2).
    void setOp(workflows::IndexOp op);
    workflows::IndexOp op() const;
    void setDim(int dim);
    void setPaddingIdx(std::optional<std::int64_t> padding);

    // Which grid a chosen element is in; choosing one marks what it is linked to.
    enum class Grid { Input, Index, Output, GradOutput, GradInput };
    void choose(Grid grid, std::int64_t flat);
    // The mouse over an element shows its links until it leaves (flat -1): then the chosen
    // element's links again.
    void hover(Grid grid, std::int64_t flat);

    TensorEditor* inputEditor() const { return input_; }
    TensorEditor* indexEditor() const { return index_; }
    TensorEditor* gradOutputEditor() const { return grad_output_; }
    TensorGridModel* outputModel() const { return output_model_; }
    TensorGridModel* gradInputModel() const { return grad_input_model_; }
    TensorGridView* outputView() const { return output_view_; }
    RefusalPanel* refusalPanel() const { return refusal_; }
    // The last trace (forward, and the backward when the input is floating and nothing refused).
    const workflows::IndexTrace& trace() const { return trace_; }
    QString callText() const;
    // The whole computation as a Python script (what "Copy as Python" puts on the clipboard).
    QString pythonText() const;
    QString linkText() const;
    QString gradientNote() const;

private:
    void buildLayout();
    void loadExample(workflows::IndexOp op);
    std::optional<std::int64_t> paddingIdx() const;
    workflows::IndexTraceRequest request() const;
    void recompute();
    void showRefusal();
    void showOutput();
    void showGradient(workflows::IndexTraceRequest request);
    void updateCall();
    void showLinks(Grid grid, std::int64_t flat);
    void describe(Grid grid, std::int64_t flat, const std::vector<std::int64_t>& outputs);
    void clearMarks();
    void fitRows();

    QComboBox* op_box_;
    QSpinBox* dim_box_;
    QSpinBox* padding_box_;
    QLineEdit* call_line_;
    QLabel* formula_;
    QLabel* link_note_;
    QLabel* grad_note_;
    QLabel* grad_title_ = nullptr;
    QGridLayout* grids_ = nullptr;
    TensorEditor* input_;
    TensorEditor* index_;
    TensorEditor* grad_output_;
    TensorGridModel* output_model_;
    TensorGridView* output_view_;
    TensorGridModel* grad_input_model_;
    TensorGridView* grad_input_view_;
    RefusalPanel* refusal_;
    workflows::IndexTrace trace_;
    IndexLinks links_;
    std::optional<std::pair<Grid, std::int64_t>> chosen_;
    bool loading_ = false;
};

} // namespace nnscope::ui
