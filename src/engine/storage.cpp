#include "engine/storage.h"

#include <cstdlib>
#include <new>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nnscope {

namespace {
// A training step frees and reallocates the same multi-megabyte buffers every step. glibc would
// serve those with mmap and hand them back on free, so every step page-faults them in again
// (measured: a third of the cnn step). Keep such blocks in the heap for reuse instead.
[[maybe_unused]] const bool heap_policy = [] {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    return true;
}();
} // namespace

std::shared_ptr<Storage> Storage::allocate(std::size_t nbytes) {
    constexpr std::size_t alignment = 64;
    const std::size_t rounded = (nbytes + alignment - 1) / alignment * alignment;
    void* raw = std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
    if (!raw) throw std::bad_alloc();
    std::shared_ptr<const void> owner(raw, [](const void* p) { std::free(const_cast<void*>(p)); });
    return std::shared_ptr<Storage>(
        new Storage(static_cast<std::byte*>(raw), nbytes, std::move(owner)));
}

std::shared_ptr<Storage> Storage::wrap(std::byte* data, std::size_t nbytes,
                                       std::shared_ptr<const void> owner) {
    return std::shared_ptr<Storage>(new Storage(data, nbytes, std::move(owner)));
}

} // namespace nnscope
