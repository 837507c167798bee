#pragma once
// What PyTorch's repr prints for a module's constructor attributes (its extra_repr), computed from
// the module's pickled __dict__: "in_features=784, out_features=512, bias=True" for a Linear,
// "3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False" for a Conv2d. Common
// torch.nn classes follow PyTorch 1.13's extra_repr; any other class lists its plain public
// attributes as key=value.

#include "io/pickle/value.h"

#include <string>
#include <string_view>

namespace nnscope::io::pickle {

// `class_name` is the bare class name ("Conv2d"); `dict` the module's __dict__ (a Dict).
std::string module_extra_repr(std::string_view class_name, const Value& dict);

// A value as Python's str() prints it: strings without quotes, everything else as its repr.
std::string python_str(const Value& value);

} // namespace nnscope::io::pickle
