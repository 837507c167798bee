#pragma once
// The thread-determinism check's recorder: when NNSCOPE_RESULT_DUMP names a file, every tensor a
// test compares with a golden value (NNSCOPE_COMPARE_TENSORS, NNSCOPE_COMPARE_TENSORS_EXACT) is
// appended to it, with the test function, data tag and a running number. tst_thread_determinism
// runs the golden tests with 1, 2 and 3 engine threads and compares these files byte for byte.

#include "engine/tensor.h"

#include <string>

namespace nnscope::test {

// Appends `actual` (dtype, shape, contiguous bytes) under the current test's name; nothing when
// NNSCOPE_RESULT_DUMP is unset.
void record_result(const Tensor& actual);

// One record of a dump file, as read back by the determinism test.
struct ResultRecord {
    std::string name;  // "<function>/<data tag>#<n>"
    std::string bytes; // dtype, shape and values as written
};

// Reads a dump file (none when it does not exist); throws std::runtime_error naming the file
// when a record is torn.
std::vector<ResultRecord> read_results(const std::string& path);

} // namespace nnscope::test
