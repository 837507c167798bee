// AUTOMOC finds a header's Q_OBJECT through its .cpp: this file gives LabView its moc.
#include "ui/lab/lab_view.h"
