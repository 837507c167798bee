#include "cli/train_progress.h"

#include <cstdio>
#include <iomanip>

namespace nnscope::cli {

TrainProgress::TrainProgress(std::ostream& out, bool terminal, std::int64_t every,
                             std::int64_t epochs, std::int64_t batches_per_epoch)
    : out_(out)
    , terminal_(terminal)
    , every_(every)
    , epochs_(epochs)
    , batches_(batches_per_epoch) {}

void TrainProgress::start_epoch(std::int64_t epoch) {
    epoch_ = epoch;
    batch_ = samples_ = count_ = 0;
    loss_sum_ = 0;
    epoch_start_ = last_draw_ = Clock::now();
}

void TrainProgress::batch_done(std::int64_t batch, std::int64_t samples, double loss) {
    batch_ = batch + 1;
    samples_ += samples;
    loss_sum_ += loss;
    ++count_;
    if (terminal_) {
        const auto now = Clock::now();
        if (now - last_draw_ >= std::chrono::milliseconds(100)) {
            last_draw_ = now;
            print(false);
        }
    } else if (every_ > 0 && batch_ % every_ == 0 && batch_ < batches_) {
        print(false);
    }
}

void TrainProgress::end_epoch() {
    print(true);
}

void TrainProgress::print(bool final_line) {
    const double seconds = std::chrono::duration<double>(Clock::now() - epoch_start_).count();
    const double rate = seconds > 0 ? static_cast<double>(samples_) / seconds : 0;
    if (terminal_) out_ << "\r\033[K";
    out_ << "epoch " << epoch_ + 1 << "/" << epochs_ << "  batch " << batch_ << "/" << batches_
         << "  loss " << std::fixed << std::setprecision(4) << running_loss() << "  "
         << std::setprecision(0) << rate << " samples/s" << std::defaultfloat;
    if (!terminal_ || final_line) out_ << "\n";
    out_ << std::flush;
}

} // namespace nnscope::cli
