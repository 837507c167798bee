// Contract stub: the session part implements TrainControl (see train_control.h).
#include "session/train_control.h"
