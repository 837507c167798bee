#pragma once
// A configuration value that is wrong, naming the field it is about so that each front end can
// point at it its own way: the CLI as --batch-size, the window next to the field, JSON as
// "batch_size". The message names fields as {name} (letters, digits, _ . -); what() shows them as
// the plain name. {{ is a literal brace; a brace around anything else stays as it is.

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nnscope::data {

class ConfigError : public std::invalid_argument {
public:
    // BadValue: the value itself is not understood (an unknown data set, a missing path, text
    // that is not a number). Rule: PyTorch refuses the value or combination with this message.
    enum class Kind { BadValue, Rule };

    ConfigError(std::string field, std::string message, Kind kind = Kind::BadValue);

    const std::string& field() const { return field_; }
    Kind kind() const { return kind_; }
    // The message with each {name} replaced by label(name).
    std::string message(const std::function<std::string(std::string_view)>& label) const;
    // `text` as a message template that shows it unchanged (each { doubled).
    static std::string literal(std::string_view text);

private:
    std::string field_, template_;
    Kind kind_;
};

} // namespace nnscope::data
