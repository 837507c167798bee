#pragma once
// One view of a DataLoader lab configuration (a tab of its column): the index order, the draw
// counts, the batches, the transform preview, the loading speed. The column hands every view the
// configuration each time it changes and is valid, and the newest analysis of it when the
// column's analysis job delivers one; a view that needs more (images, timings) runs its own job
// and computes only while it is visible.

#include "data/loader_config.h"
#include "workflows/loader_analysis.h"

#include <QString>
#include <QWidget>

namespace nnscope::ui {

class LabView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // The tab's title.
    virtual QString title() const = 0;
    // A configuration that validate()s; what the view shows of the previous one stays until the
    // new results arrive. Views that show only the analysis need not override it.
    virtual void setConfiguration(const data::DataLoaderConfig& config) { (void)config; }
    // The newest analysis of that configuration (never null).
    virtual void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) { (void)analysis; }
    // Whether a result this view asked for has not arrived yet (`nnscope --lab --screenshot`
    // waits until no view of a visible tab is busy).
    virtual bool isBusy() const { return false; }
    // Stops the view's jobs; called before the window closes.
    virtual void shutdown() {}

signals:
    void busyChanged(bool busy);
};

} // namespace nnscope::ui
