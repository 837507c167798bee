#pragma once
// Reads any tensor's elements in row-major order, chunk by chunk, as a run of values of one C++
// type: a contiguous tensor of that type is read in place, anything else (a strided view, another
// dtype) is gathered and converted into a buffer of at most one chunk. Used by tensor_stats.cpp.

#include "engine/half.h"
#include "engine/stats/tensor_stats.h"
#include "engine/tensor.h"

#include <algorithm>
#include <type_traits>
#include <vector>

namespace nnscope::stats::detail {

inline void check_stop(const StopRequested& stop) {
    if (stop && stop()) throw StatsCancelled();
}

// Walks a strided tensor with an odometer over its dimensions; next() copies the next `count`
// elements, converted to Dst, into `out`.
template <class Src, class Dst> class StridedReader {
public:
    StridedReader(const Tensor& t, float (*widen)(std::uint16_t))
        : base_(reinterpret_cast<const Src*>(t.storage()->data()))
        , shape_(t.shape().empty() ? Shape{1} : t.shape())
        , strides_(t.shape().empty() ? Shape{1} : t.strides())
        , index_(shape_.size(), 0)
        , position_(t.offset())
        , widen_(widen) {}

    void next(Dst* out, std::int64_t count) {
        const std::size_t last = shape_.size() - 1;
        const std::int64_t stride = strides_[last];
        while (count > 0) {
            const std::int64_t run = std::min(count, shape_[last] - index_[last]);
            for (std::int64_t k = 0; k < run; ++k)
                *out++ = read(base_[position_ + k * stride]);
            count -= run;
            index_[last] += run;
            position_ += run * stride;
            if (index_[last] < shape_[last]) continue;
            for (std::size_t d = last + 1; d-- > 0;) { // carry into the outer dimensions
                position_ -= index_[d] * strides_[d];
                index_[d] = 0;
                if (d == 0) break;
                ++index_[d - 1];
                position_ += strides_[d - 1];
                if (index_[d - 1] < shape_[d - 1]) break;
            }
        }
    }

private:
    Dst read(Src value) const {
        if constexpr (std::is_same_v<Src, std::uint16_t>)
            return static_cast<Dst>(widen_(value));
        else
            return static_cast<Dst>(value);
    }

    const Src* base_;
    Shape shape_, strides_, index_;
    std::int64_t position_;
    float (*widen_)(std::uint16_t);
};

// Calls fn(const T* values, n) over the whole tensor with T = float for float32, double for every
// other dtype, asking `stop` before each chunk.
template <class T, class Src, class Fn>
void read_chunks(const Tensor& t, const StopRequested& stop, float (*widen)(std::uint16_t),
                 Fn&& fn) {
    const std::int64_t n = t.numel();
    if constexpr (std::is_same_v<Src, T>) {
        if (t.is_contiguous()) { // read in place
            const T* data = reinterpret_cast<const T*>(t.storage()->data()) + t.offset();
            for (std::int64_t start = 0; start < n; start += chunk_elements) {
                check_stop(stop);
                fn(data + start, std::min(chunk_elements, n - start));
            }
            return;
        }
    }
    StridedReader<Src, T> reader(t, widen);
    std::vector<T> buffer(static_cast<std::size_t>(std::min(chunk_elements, n)));
    for (std::int64_t start = 0; start < n; start += chunk_elements) {
        check_stop(stop);
        const std::int64_t length = std::min(chunk_elements, n - start);
        reader.next(buffer.data(), length);
        fn(static_cast<const T*>(buffer.data()), length);
    }
}

// fn receives float values for float32 tensors, double values for all others.
template <class Fn> void for_each_chunk(const Tensor& t, const StopRequested& stop, Fn&& fn) {
    switch (t.dtype()) {
    case DType::Float32:
        return read_chunks<float, float>(t, stop, nullptr, fn);
    case DType::Float64:
        return read_chunks<double, double>(t, stop, nullptr, fn);
    case DType::Float16:
        return read_chunks<double, std::uint16_t>(t, stop, half_to_float, fn);
    case DType::BFloat16:
        return read_chunks<double, std::uint16_t>(t, stop, bfloat16_to_float, fn);
    case DType::Int64:
        return read_chunks<double, std::int64_t>(t, stop, nullptr, fn);
    case DType::Int32:
        return read_chunks<double, std::int32_t>(t, stop, nullptr, fn);
    case DType::Int16:
        return read_chunks<double, std::int16_t>(t, stop, nullptr, fn);
    case DType::Int8:
        return read_chunks<double, std::int8_t>(t, stop, nullptr, fn);
    case DType::UInt8:
        return read_chunks<double, std::uint8_t>(t, stop, nullptr, fn);
    case DType::Bool:
        return read_chunks<double, bool>(t, stop, nullptr, fn);
    }
}

} // namespace nnscope::stats::detail
