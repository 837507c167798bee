#include "data/read_cancel.h"

namespace nnscope::data {

namespace {
thread_local const std::atomic<bool>* current_flag = nullptr;
} // namespace

ReadCancelScope::ReadCancelScope(const std::atomic<bool>* flag)
    : previous_(current_flag) {
    current_flag = flag;
}

ReadCancelScope::~ReadCancelScope() {
    current_flag = previous_;
}

void throw_if_read_cancelled() {
    if (current_flag && current_flag->load(std::memory_order_relaxed)) throw ReadCancelled();
}

} // namespace nnscope::data
