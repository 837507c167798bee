#include "ui/pages/train_page.h"

#include "ui/train/train_session.h"

namespace nnscope::ui {

TrainPage::TrainPage(QWidget* parent)
    : Workspace(parent)
    , session_(new TrainSession(this)) {}

TrainPage::~TrainPage() = default;

void TrainPage::shutdown() {}

} // namespace nnscope::ui
