#include "engine/storage.h"

#include <cstdlib>
#include <new>

namespace nnscope {

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
