#include "cli/train_record_flags.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nnscope::cli {

Option record_option() {
    return value("record", "OUT.jsonl",
                 "write each recorded step's statistics (the loss; every module's output and "
                 "gradient statistics with a 64-bin histogram; every parameter's gradient, "
                 "weight and update norms) and the evaluation as JSON lines");
}

Option record_every_option() {
    return value("record-every", "K", "record steps 0, K, 2K, ... (default 1: every step)");
}

RecordFlags record_flags(Args& args) {
    RecordFlags flags;
    flags.path = args.option("record");
    flags.every = args.int_option_or("record-every", 1);
    if (flags.every < 1)
        throw UsageError("--record-every must be at least 1, got " + std::to_string(flags.every));
    if (args.given("record-every") && !flags.path)
        throw UsageError("--record-every needs --record OUT.jsonl");
    return flags;
}

Recording::Recording(const std::string& path, workflows::TrainingRun& run, std::int64_t every)
    : path_(path)
    , out_(path) {
    if (!out_)
        throw std::runtime_error("train: cannot write --record " + path + ": " +
                                 std::strerror(errno));
    recorder_ = std::make_unique<workflows::TrainRecorder>(run, out_, every);
}

void Recording::write(const workflows::Evaluation& evaluation) {
    recorder_->write(evaluation);
    out_.flush();
    if (!out_) throw std::runtime_error("train: writing --record " + path_ + " failed");
}

std::unique_ptr<Recording> start_recording(const RecordFlags& flags, workflows::TrainingRun& run) {
    if (!flags.path) return nullptr;
    return std::make_unique<Recording>(*flags.path, run, flags.every);
}

} // namespace nnscope::cli
