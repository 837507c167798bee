#include "data/jpeg_file.h"

#include "data/image_file.h"

#include <csetjmp>
#include <cstdio> // jpeglib.h needs FILE
#include <jpeglib.h>
#include <stdexcept>
#include <vector>

namespace nnscope::data {

namespace {

// Larger images are refused before their pixels are allocated (a forged header can claim
// 65500 x 65500).
constexpr std::size_t kMaxBytes = std::size_t{1} << 29;

struct JpegError {
    jpeg_error_mgr pub; // first: libjpeg sees a jpeg_error_mgr*
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void fail(j_common_ptr cinfo) {
    auto* error = reinterpret_cast<JpegError*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, error->message);
    std::longjmp(error->jump, 1);
}

// Warnings (level -1) are corrupt or truncated data: an error here. Trace messages are dropped.
void emit(j_common_ptr cinfo, int level) {
    if (level < 0) fail(cinfo);
}

struct Decoded {
    int height = 0, width = 0, channels = 0;
    bool too_large = false;
    const char* refused = nullptr; // a colour space this reader does not convert
};

// Every libjpeg call is here, behind the setjmp: its only locals are trivially destructible,
// so a longjmp out of libjpeg skips no destructor. `pixels` (the caller's) receives [H, W, C].
// False when libjpeg failed: error->message says why.
bool decode(jpeg_decompress_struct* cinfo, JpegError* error, std::string_view bytes,
            std::vector<std::uint8_t>* pixels, Decoded* out) {
    if (setjmp(error->jump)) return false;
    jpeg_create_decompress(cinfo);
    jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(cinfo, TRUE);
    if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) {
        out->refused = "a CMYK JPEG (only greyscale and RGB/YCbCr ones are read)";
        return false;
    }
    cinfo->out_color_space = cinfo->num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_calc_output_dimensions(cinfo);
    const std::size_t row =
        std::size_t{cinfo->output_width} * static_cast<std::size_t>(cinfo->out_color_components);
    if (row == 0 || cinfo->output_height > kMaxBytes / row) {
        out->too_large = true;
        out->height = static_cast<int>(cinfo->output_height);
        out->width = static_cast<int>(cinfo->output_width);
        return false;
    }
    jpeg_start_decompress(cinfo);
    pixels->resize(row * cinfo->output_height);
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW line = pixels->data() + row * cinfo->output_scanline;
        jpeg_read_scanlines(cinfo, &line, 1);
    }
    jpeg_finish_decompress(cinfo);
    out->height = static_cast<int>(cinfo->output_height);
    out->width = static_cast<int>(cinfo->output_width);
    out->channels = cinfo->output_components;
    return true;
}

} // namespace

bool looks_like_jpeg(std::string_view bytes) {
    return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
           static_cast<unsigned char>(bytes[1]) == 0xD8 &&
           static_cast<unsigned char>(bytes[2]) == 0xFF;
}

Tensor decode_jpeg(std::string_view bytes, const std::string& what) {
    jpeg_decompress_struct cinfo{}; // zeroed: destroying it is safe even if creation failed
    JpegError error{};
    cinfo.err = jpeg_std_error(&error.pub);
    error.pub.error_exit = fail;
    error.pub.emit_message = emit;
    std::vector<std::uint8_t> pixels;
    Decoded d;
    bool ok = false;
    try {
        ok = decode(&cinfo, &error, bytes, &pixels, &d);
    } catch (...) { // std::bad_alloc from the pixels
        jpeg_destroy_decompress(&cinfo);
        throw;
    }
    jpeg_destroy_decompress(&cinfo);
    if (d.too_large)
        throw std::runtime_error("cannot read JPEG '" + what + "': " + std::to_string(d.width) +
                                 "x" + std::to_string(d.height) +
                                 " pixels is larger than this reader takes");
    if (d.refused) throw std::runtime_error("cannot read JPEG '" + what + "': " + d.refused);
    if (!ok) throw std::runtime_error("cannot read JPEG '" + what + "': " + error.message);
    const std::int64_t h = d.height, w = d.width, c = d.channels;
    Tensor hwc = Tensor::empty({h, w, c}, DType::UInt8);
    std::copy(pixels.begin(), pixels.end(), hwc.data_ptr<std::uint8_t>());
    return hwc.permute({2, 0, 1}).contiguous();
}

Tensor read_jpeg(const std::string& path) {
    return decode_jpeg(read_file_bytes(path), path);
}

} // namespace nnscope::data
