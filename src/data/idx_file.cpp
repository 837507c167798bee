#include "data/idx_file.h"

#include "data/read_cancel.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <zlib.h>

namespace nnscope::data {

namespace {

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

std::uint32_t big_endian(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

} // namespace

IdxArray read_idx_uint8(const std::string& path, int ndim) {
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
    if (!file) throw std::runtime_error(path + ": cannot open the file: " + std::strerror(errno));
    auto read = [&](void* dst, std::size_t n) -> std::size_t {
        std::size_t done = 0;
        while (done < n) {
            const auto chunk = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
            const int got = gzread(file.get(), static_cast<char*>(dst) + done, chunk);
            if (got < 0) throw std::runtime_error(path + ": corrupt gzip data");
            if (got == 0) break;
            done += static_cast<std::size_t>(got);
        }
        return done;
    };
    unsigned char header[4];
    if (read(header, 4) != 4) throw std::runtime_error(path + ": truncated: no IDX header");
    const std::uint32_t magic = big_endian(header);
    const std::uint32_t expected = 0x00000800u | static_cast<std::uint32_t>(ndim);
    if (magic != expected)
        throw std::runtime_error(path + ": bad magic number " + hex32(magic) + ", expected " +
                                 hex32(expected) + " (IDX, unsigned bytes, " +
                                 std::to_string(ndim) + " dimensions)");
    IdxArray out;
    std::size_t count = 1;
    for (int d = 0; d < ndim; ++d) {
        unsigned char size[4];
        if (read(size, 4) != 4) throw std::runtime_error(path + ": truncated IDX header");
        out.dims.push_back(big_endian(size));
        if (__builtin_mul_overflow(count, std::size_t{big_endian(size)}, &count))
            throw std::runtime_error(path + ": IDX sizes overflow");
    }
    // Memory grows with the data actually read, never with what the header promises: a corrupt
    // or hostile header must not allocate gigabytes. Chunks of 1 MB (a few milliseconds of
    // inflating) are where a cancelled job stops reading (data/read_cancel.h).
    constexpr std::size_t chunk = std::size_t(1) << 20;
    std::size_t got = 0;
    while (got < count) {
        throw_if_read_cancelled();
        const std::size_t want = std::min(chunk, count - got);
        out.data.resize(got + want);
        const std::size_t n = read(out.data.data() + got, want);
        got += n;
        if (n < want) break;
    }
    if (got != count)
        throw std::runtime_error(path + ": truncated: the header promises " +
                                 std::to_string(count) + " bytes of data, the file has " +
                                 std::to_string(got));
    unsigned char extra;
    if (read(&extra, 1) != 0)
        throw std::runtime_error(path + ": more data than the header's " + std::to_string(count) +
                                 " bytes");
    return out;
}

} // namespace nnscope::data
