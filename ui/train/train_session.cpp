// Contract stub: the page part implements TrainSession (see train_session.h).
#include "ui/train/train_session.h"

#include "session/job_controller.h"

namespace nnscope::ui {

TrainSession::TrainSession(QObject* parent)
    : QObject(parent) {}

TrainSession::~TrainSession() = default;

} // namespace nnscope::ui
