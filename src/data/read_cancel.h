#pragma once
// Cancelling a long read from far above it. Opening Fashion-MNIST inflates 47 MB of gzip, which
// takes most of a second (several under a sanitizer), and a job closing with its window must not
// wait for that. The job's cancel flag reaches the file readers through the thread that runs the
// job, not through every signature between the job and the reader: a ReadCancelScope on that
// thread names the flag, and a reader calls throw_if_read_cancelled() between chunks.

#include <atomic>
#include <stdexcept>

namespace nnscope::data {

// Thrown by a reader whose thread's cancel flag was raised. Its result would be dropped anyway:
// a cancelled job sends nothing.
struct ReadCancelled : std::runtime_error {
    ReadCancelled()
        : std::runtime_error("reading was cancelled") {}
};

// Makes `flag` (may be null: nothing to ask) the calling thread's read cancel flag for the
// scope's lifetime; scopes nest.
class ReadCancelScope {
public:
    explicit ReadCancelScope(const std::atomic<bool>* flag);
    ~ReadCancelScope();
    ReadCancelScope(const ReadCancelScope&) = delete;
    ReadCancelScope& operator=(const ReadCancelScope&) = delete;

private:
    const std::atomic<bool>* previous_;
};

// Throws ReadCancelled when the calling thread's flag is raised.
void throw_if_read_cancelled();

} // namespace nnscope::data
