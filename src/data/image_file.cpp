#include "data/image_file.h"

#include "data/jpeg_file.h"
#include "data/png_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nnscope::data {

std::string read_file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read '" + path + "': " + std::strerror(errno));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read '" + path + "': read error");
    return std::move(bytes).str();
}

Tensor read_image(const std::string& path) {
    const std::string bytes = read_file_bytes(path);
    static constexpr char png_magic[] = "\x89PNG\r\n\x1a\n";
    if (bytes.compare(0, 8, png_magic, 8) == 0) return read_png(path);
    if (looks_like_jpeg(bytes)) return decode_jpeg(bytes, path);
    throw std::runtime_error("'" + path + "' is neither a PNG nor a JPEG image (by its first " +
                             "bytes)");
}

} // namespace nnscope::data
