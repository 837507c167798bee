#pragma once
// Builds a Transform from a pipeline written as in torchvision, e.g.
//   Compose([RandomCrop(28, padding=4), RandomRotation(30), RandomHorizontalFlip(0.5)])
//   Normalize((0.1307,), (0.3081,))
//   Resize(32, interpolation=InterpolationMode.NEAREST)
// Positional and keyword arguments bind as in Python; values are ints, floats, strings,
// True/False/None, lists, tuples and InterpolationMode members. A "transforms." or "T." prefix
// is accepted. Errors name the transform, the argument and the column.

#include "data/transforms/transform.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::data {

class TransformParseError : public std::invalid_argument {
public:
    // `column` is 1-based; what() holds the message, the text and a caret under the column.
    TransformParseError(const std::string& message, std::string_view text, std::size_t column);
    std::size_t column() const { return column_; }
    const std::string& message() const { return message_; }

private:
    std::string message_;
    std::size_t column_;
};

// Throws TransformParseError for a syntax error, an unknown transform or argument, a missing
// or repeated argument, or an argument the transform refuses (its message, with the column of
// the call).
TransformPtr parse_transform(std::string_view text);

// The transform names parse_transform knows, in alphabetical order.
std::vector<std::string> known_transforms();

} // namespace nnscope::data
