// Gives lab_view.h a source file of the same name, so that AUTOMOC runs moc on its Q_OBJECT.
#include "ui/lab/lab_view.h"
