#pragma once
// The confusion matrix of one evaluation as a heatmap: rows are the true classes, columns the
// predicted ones, named by the data set's class names, each cell's count written in it (up to a
// dozen classes), the diagonal's share in the note, the hover naming the cell.

#include "workflows/train_record.h"

#include <QWidget>
#include <string>
#include <vector>

class QCPColorMap;

namespace nnscope::ui {

class LabPlot;

class ConfusionView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionView(QWidget* parent = nullptr);

    // An evaluation without a matrix (classes 0) shows why there is none.
    void setEvaluation(const workflows::EvalRecord& evaluation,
                       const std::vector<std::string>& class_names);
    void clear();

    LabPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }
    // The count at (true, predicted); -1 outside the matrix.
    std::int64_t count(std::int64_t truth, std::int64_t predicted) const;

private:
    QString hoverText(const QPointF& pos) const;

    LabPlot* plot_;
    QCPColorMap* map_;
    workflows::EvalRecord evaluation_;
    std::vector<std::string> names_;
};

} // namespace nnscope::ui
