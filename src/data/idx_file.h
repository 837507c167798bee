#pragma once
// IDX files (the MNIST format: big-endian magic 0x0000 TT NN, NN big-endian uint32 sizes, then
// the data), read raw or gzip-compressed (zlib reads plain files transparently).

#include <cstdint>
#include <string>
#include <vector>

namespace nnscope::data {

struct IdxArray {
    std::vector<std::int64_t> dims;
    std::vector<std::uint8_t> data; // unsigned bytes (type 0x08), row-major
};

// Reads an unsigned-byte IDX file with `ndim` dimensions. Throws std::runtime_error naming the
// file for a missing file, a wrong magic number, or data shorter or longer than the header says.
IdxArray read_idx_uint8(const std::string& path, int ndim);

} // namespace nnscope::data
