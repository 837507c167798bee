#pragma once
// The training workspace: run, pause and step through training and watch what every layer does.
// (Contract skeleton; the page part builds it: toolbar, configuration, layout of the views in
// ui/train/, checkpoint saving and `nnscope --train CONFIG.json --steps N --screenshot`.)

#include "ui/workspace.h"

namespace nnscope::ui {

class TrainSession;

class TrainPage : public Workspace {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);
    ~TrainPage() override;

    QString title() const override { return tr("Training"); }
    void shutdown() override;

    TrainSession* session() const { return session_; }

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
