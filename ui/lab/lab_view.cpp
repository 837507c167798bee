#include "ui/lab/lab_view.h"
