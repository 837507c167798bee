#pragma once
// The progress line of `nnscope-cli train` on stderr: epoch, batch / total, running loss and
// samples per second. On a terminal one line is redrawn at most ten times a second; otherwise
// (a log, a pipe) a line is written every `every` batches and at the end of each epoch.

#include <chrono>
#include <cstdint>
#include <ostream>

namespace nnscope::cli {

class TrainProgress {
public:
    TrainProgress(std::ostream& out, bool terminal, std::int64_t every, std::int64_t epochs,
                  std::int64_t batches_per_epoch);
    void start_epoch(std::int64_t epoch);
    // After batch `batch` (0-based) of `samples` samples with this loss.
    void batch_done(std::int64_t batch, std::int64_t samples, double loss);
    void end_epoch();
    double running_loss() const { return count_ ? loss_sum_ / static_cast<double>(count_) : 0; }

private:
    using Clock = std::chrono::steady_clock;
    void print(bool final_line);

    std::ostream& out_;
    bool terminal_;
    std::int64_t every_, epochs_, batches_;
    std::int64_t epoch_ = 0, batch_ = 0, samples_ = 0, count_ = 0;
    double loss_sum_ = 0;
    Clock::time_point epoch_start_, last_draw_;
};

} // namespace nnscope::cli
