#pragma once
// The model browser's worker side: three job kinds that share one ModelContext (the opened
// document). SessionController registers them on its JobController; a test may register them on
// a JobWorker in its own thread to drive them step by step.
//
//   OpenModelJob   OpenRequest{path}            -> LoadStarted, LoadProgress, Loaded, LoadFailed
//   StatisticsJob  StatisticsRequest{document}  -> StatsBatchPtr (throttled), StatsFinished
//   SnapshotJob    TensorSnapshotRequest{...}   -> TensorSnapshot, SnapshotFailed   (urgent)
//   SliceJob       TensorSliceRequest{...}      -> TensorSlice, SliceFailed         (urgent)

#include "session/model_context.h"
#include "session/open_model_job.h"
#include "session/slice_job.h"
#include "session/snapshot_job.h"
#include "session/statistics_job.h"
