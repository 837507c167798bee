#pragma once
// A constructor argument as the builder's form shows and reads it, in Python's spelling: an int
// "4", a float "0.5" (an int typed there stays an int, as Python keeps it), a bool "True", a str
// without quotes ("zeros"), an int or a tuple "3" / "(3, 5)" / "3, 5", a list of floats
// "1.0, 2.5", and "None" where the argument takes None.

#include "engine/nn/registry.h"

#include <QString>

namespace nnscope::ui {

QString argumentText(const nn::Value& value, const nn::ArgumentSpec& spec);

// Throws std::invalid_argument saying what was expected ("expected an int, got 'x'").
nn::Value parseArgumentText(const QString& text, const nn::ArgumentSpec& spec);

} // namespace nnscope::ui
