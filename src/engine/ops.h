#pragma once
// Every op of the engine, for code that wants them all.

#include "engine/autograd/grad_mode.h"
#include "engine/ops/activation.h"
#include "engine/ops/conv.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/index.h"
#include "engine/ops/linalg.h"
#include "engine/ops/loss.h"
#include "engine/ops/norm.h"
#include "engine/ops/pad.h"
#include "engine/ops/reduce.h"
#include "engine/ops/shape.h"
#include "engine/tensor.h"
