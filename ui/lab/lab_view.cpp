// lab_view.h is header-only, but its Q_OBJECT needs a moc output: CMake's AUTOMOC scans the
// header that sits next to a source file of the same name, so this file exists for that.
#include "ui/lab/lab_view.h"
