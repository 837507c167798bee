#include "cli/shape_flag.h"

#include "cli/commands.h"

#include <sstream>

namespace nnscope::cli {

Shape parse_shape_flag(const std::string& text, const std::string& flag) {
    Shape shape;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        try {
            std::size_t used = 0;
            const long long v = std::stoll(item, &used);
            if (used != item.size() || v <= 0) throw std::invalid_argument(item);
            shape.push_back(v);
        } catch (const std::exception&) {
            throw UsageError("--" + flag + " expects positive integers separated by commas, got '" +
                             text + "'");
        }
    }
    if (shape.empty()) throw UsageError("--" + flag + " is empty");
    return shape;
}

} // namespace nnscope::cli
