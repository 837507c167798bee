#pragma once
// A module's own extra tensor, declared as a PyTorch user's __init__ declares it after the
// module's constructor (and so after its children) has run:
//   self.scale = nn.Parameter(torch.ones(8))                     # a parameter
//   self.scale = nn.Parameter(torch.ones(8), requires_grad=False)
//   self.register_buffer("mask", torch.zeros(4))                 # a persistent buffer
//   self.register_buffer("tmp", torch.randn(4), persistent=False)  # not in the state_dict
// Any module may carry them, containers included. Module::declare_tensor checks the name as
// PyTorch's register_parameter / register_buffer do, makes the initial value (randn / rand draw
// from the default generator at that moment, as torch.randn / torch.rand would), registers it
// and remembers the declaration so that describe_module (io/architecture.h) writes it back.

#include "engine/dtype.h"
#include "engine/tensor.h"

#include <string>
#include <string_view>
#include <vector>

namespace nnscope::nn {

class Module;

struct TensorDeclaration {
    enum class Kind { Parameter, Buffer };
    // zeros, ones, full(fill), arange (torch.arange(numel).reshape(shape)), randn, rand, and
    // explicit row-major values.
    enum class Init { Zeros, Ones, Full, Arange, Randn, Rand, Values };

    std::string name;
    Kind kind = Kind::Parameter;
    bool requires_grad = true; // a parameter's
    bool persistent = true;    // a buffer's: false keeps it out of the state_dict
    Shape shape;
    DType dtype = DType::Float32;
    Init init = Init::Zeros;
    double fill = 0;            // Init::Full
    std::vector<double> values; // Init::Values

    bool operator==(const TensorDeclaration& other) const = default;
};

// "zeros", "ones", "full", "arange", "randn", "rand", "values".
std::string_view init_name(TensorDeclaration::Init init);
// Throws std::invalid_argument listing the names above.
TensorDeclaration::Init init_from_name(std::string_view name);
// The dtypes a declaration may have: float32, float64, int64.
bool is_declarable_dtype(DType dtype);

// The declaration's own consistency (dtype, shape, values' count, randn/rand on a floating dtype,
// a parameter requiring grad of a floating dtype), without the name checks that need the module.
// Throws std::invalid_argument naming the tensor.
void check_declaration(const TensorDeclaration& declaration);

// The initial value (randn / rand draw from the calling thread's default generator).
Tensor make_declared_value(const TensorDeclaration& declaration);

// Whether `name` is an attribute of the Python object of a torch.nn module of this type apart
// from its parameters, buffers and children (its methods, "training", its constructor's
// arguments ...): PyTorch refuses to register a tensor under such a name.
bool is_python_attribute(const Module& module, const std::string& name);

} // namespace nnscope::nn
