#pragma once
// The bytes behind one or more tensors. Views share a Storage; it never knows their shapes.

#include <cstddef>
#include <memory>

namespace nnscope {

class Storage {
public:
    // Fresh, 64-byte aligned, uninitialised bytes.
    static std::shared_ptr<Storage> allocate(std::size_t nbytes);
    // Bytes owned elsewhere (a memory-mapped file, a decoded archive); `owner` keeps them alive.
    static std::shared_ptr<Storage> wrap(std::byte* data, std::size_t nbytes,
                                         std::shared_ptr<const void> owner);

    std::byte* data() const { return data_; }
    std::size_t nbytes() const { return nbytes_; }

private:
    Storage(std::byte* data, std::size_t nbytes, std::shared_ptr<const void> owner)
        : data_(data)
        , nbytes_(nbytes)
        , owner_(std::move(owner)) {}

    std::byte* data_;
    std::size_t nbytes_;
    std::shared_ptr<const void> owner_;
};

} // namespace nnscope
