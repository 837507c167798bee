#pragma once
// The histograms of one tensor before and after apply(fn) (issue #17's builder), drawn over each
// other on one value axis: before as grey outlined bars, after as filled ones, with a line giving
// both spreads ("std 0.102 -> 0.251"). Small enough for a side panel; the worker made the bins.

#include "session/builder_inspect_job.h"

#include <QWidget>

class QCPBars;
class QCustomPlot;
class QLabel;

namespace nnscope::ui {

class BeforeAfterHistogram : public QWidget {
    Q_OBJECT
public:
    explicit BeforeAfterHistogram(QWidget* parent = nullptr);

    void setValues(const QString& key, const session::TensorValues& before,
                   const session::TensorValues& after);
    void showMessage(const QString& text);

    QString caption() const;
    QCPBars* beforeBars() const { return before_; }
    QCPBars* afterBars() const { return after_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColours();

    QLabel* caption_;
    QCustomPlot* plot_;
    QCPBars* before_;
    QCPBars* after_;
};

} // namespace nnscope::ui
