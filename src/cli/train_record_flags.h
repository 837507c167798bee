#pragma once
// `nnscope-cli train --record OUT.jsonl [--record-every K]`: the run's statistics as JSON lines
// (workflows/train_record.h; the README's "Training records" gives the schema), one line per
// recorded step and one per evaluation.

#include "cli/commands.h"
#include "workflows/train_probe.h"

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace nnscope::cli {

Option record_option();
Option record_every_option();

struct RecordFlags {
    std::optional<std::string> path;
    std::int64_t every = 1;
};

// UsageError for --record-every below 1 or without --record.
RecordFlags record_flags(Args& args);

// The open file and the recorder observing the run; lives as long as the run trains.
class Recording {
public:
    // std::runtime_error naming the file when it cannot be written.
    Recording(const std::string& path, workflows::TrainingRun& run, std::int64_t every);
    void write(const workflows::Evaluation& evaluation);

private:
    std::string path_;
    std::ofstream out_;
    std::unique_ptr<workflows::TrainRecorder> recorder_;
};

// A Recording when --record was given, else nullptr.
std::unique_ptr<Recording> start_recording(const RecordFlags& flags, workflows::TrainingRun& run);

} // namespace nnscope::cli
