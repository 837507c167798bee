#include "ui/lab/tensor_image.h"

#include "data/png_file.h"

namespace nnscope::ui {

QImage tensor_image(const Tensor& image) {
    const Tensor bytes = data::to_display_uint8(image).contiguous();
    const auto channels = bytes.size(0), h = bytes.size(1), w = bytes.size(2);
    const std::uint8_t* p = bytes.data_ptr<std::uint8_t>();
    const bool rgb = channels == 3 || channels == 4;
    QImage out(int(w), int(h), rgb ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
    for (std::int64_t y = 0; y < h; ++y) {
        uchar* line = out.scanLine(int(y));
        for (std::int64_t x = 0; x < w; ++x) {
            if (!rgb) {
                line[x] = p[y * w + x];
                continue;
            }
            for (int c = 0; c < 3; ++c)
                line[3 * x + c] = p[(c * h + y) * w + x];
        }
    }
    return out;
}

} // namespace nnscope::ui
