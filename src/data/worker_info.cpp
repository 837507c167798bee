#include "data/worker_info.h"

namespace nnscope::data {

namespace {
thread_local const WorkerInfo* current = nullptr;
}

const WorkerInfo* get_worker_info() {
    return current;
}
void set_worker_info(const WorkerInfo* info) {
    current = info;
}

} // namespace nnscope::data
