#include "io/pickle/globals.h"

#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace nnscope::io::pickle {

namespace {

struct NamedDType {
    std::string_view name;
    DType dtype;
};

// Storage class names without their "torch." / "torch.cuda." prefix.
constexpr std::array<NamedDType, 10> storage_dtypes{{
    {"FloatStorage", DType::Float32},
    {"DoubleStorage", DType::Float64},
    {"HalfStorage", DType::Float16},
    {"BFloat16Storage", DType::BFloat16},
    {"LongStorage", DType::Int64},
    {"IntStorage", DType::Int32},
    {"ShortStorage", DType::Int16},
    {"CharStorage", DType::Int8},
    {"ByteStorage", DType::UInt8},
    {"BoolStorage", DType::Bool},
}};

// Known storage classes nnscope cannot hold: allowed as names, refused when a tensor uses them.
constexpr std::array<std::string_view, 7> foreign_storages{
    "ComplexFloatStorage", "ComplexDoubleStorage", "QInt8Storage",   "QUInt8Storage",
    "QInt32Storage",       "QUInt4x2Storage",      "QUInt2x4Storage"};

constexpr std::array<NamedDType, 10> dtype_globals{{
    {"float32", DType::Float32},
    {"float64", DType::Float64},
    {"float16", DType::Float16},
    {"bfloat16", DType::BFloat16},
    {"int64", DType::Int64},
    {"int32", DType::Int32},
    {"int16", DType::Int16},
    {"int8", DType::Int8},
    {"uint8", DType::UInt8},
    {"bool", DType::Bool},
}};

constexpr std::array<std::string_view, 3> complex_dtypes{"complex32", "complex64", "complex128"};

constexpr std::array<std::string_view, 10> tensor_classes{
    "FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor",
    "IntTensor",   "ShortTensor",  "CharTensor", "ByteTensor",     "BoolTensor"};

template <class Range> bool contains(const Range& range, std::string_view name) {
    for (const auto& item : range)
        if (item == name) return true;
    return false;
}

ValuePtr make_global(std::string_view module, std::string_view name, GlobalId id,
                     std::optional<DType> dtype = std::nullopt) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::Global;
    v->global = id;
    v->dtype = dtype;
    v->text = std::string(module) + "." + std::string(name);
    return v;
}

std::optional<GlobalId> torch_utils_function(std::string_view name) {
    if (name == "_rebuild_tensor") return GlobalId::RebuildTensor;
    if (name == "_rebuild_tensor_v2") return GlobalId::RebuildTensorV2;
    if (name == "_rebuild_parameter") return GlobalId::RebuildParameter;
    if (name == "_rebuild_parameter_with_state") return GlobalId::RebuildParameterWithState;
    if (name == "_rebuild_meta_tensor_no_storage") return GlobalId::RebuildMetaTensor;
    if (name == "_rebuild_sparse_tensor" || name == "_rebuild_sparse_csr_tensor")
        return GlobalId::RebuildSparse;
    return std::nullopt;
}

// A storage class named with or without the CUDA prefix (CUDA checkpoints load on the CPU).
std::optional<ValuePtr> storage_global(std::string_view module, std::string_view name) {
    if (module != "torch" && module != "torch.cuda") {
        if (module == "torch.storage" && name == "UntypedStorage")
            return make_global(module, name, GlobalId::StorageType, DType::UInt8);
        return std::nullopt;
    }
    if (name == "UntypedStorage" && module == "torch")
        return make_global(module, name, GlobalId::StorageType, DType::UInt8);
    for (const auto& [storage, dtype] : storage_dtypes)
        if (name == storage) return make_global(module, name, GlobalId::StorageType, dtype);
    if (contains(foreign_storages, name)) return make_global(module, name, GlobalId::StorageType);
    if (contains(tensor_classes, name)) return make_global(module, name, GlobalId::TensorType);
    return std::nullopt;
}

const Value& arg(const Value& args, std::size_t i, std::string_view fn) {
    if (args.kind != Kind::Tuple)
        throw PickleError(std::string(fn) + " expects a tuple of arguments, got " +
                          std::string(kind_name(args.kind)));
    if (i >= args.items.size())
        throw PickleError(std::string(fn) + " expects at least " + std::to_string(i + 1) +
                          " arguments, got " + std::to_string(args.items.size()));
    return *args.items[i];
}

std::int64_t int_value(const Value& v, std::string_view what) {
    if (v.kind == Kind::Int) return v.integer;
    if (v.kind == Kind::Bool) return v.boolean ? 1 : 0;
    throw PickleError(std::string(what) + " must be an int, got " + std::string(kind_name(v.kind)));
}

bool bool_value(const Value& v, std::string_view what) {
    if (v.kind == Kind::Bool) return v.boolean;
    if (v.kind == Kind::Int) return v.integer != 0;
    throw PickleError(std::string(what) + " must be a bool, got " + std::string(kind_name(v.kind)));
}

Shape int_tuple(const Value& v, std::string_view what) {
    if (v.kind != Kind::Tuple && v.kind != Kind::List)
        throw PickleError(std::string(what) + " must be a tuple of ints, got " +
                          std::string(kind_name(v.kind)));
    Shape out;
    out.reserve(v.items.size());
    for (const auto& item : v.items)
        out.push_back(int_value(*item, what));
    return out;
}

// A call of (or an instance of) something the unpickler does not know: kept as data, never made.
ValuePtr make_placeholder(std::string name, const Value& args) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::Placeholder;
    v->text = std::move(name);
    if (args.kind != Kind::Tuple)
        throw PickleError(v->text + " needs a tuple of arguments, got " +
                          std::string(kind_name(args.kind)));
    v->items = args.items;
    v->depth = static_cast<std::uint16_t>(args.depth + 1);
    return v;
}

// Checks what Tensor::from_storage will check, without overflow, so that a hostile shape is a
// clear error at open time rather than at load time.
void check_view(const TensorRef& t, std::int64_t storage_numel) {
    if (t.shape.size() != t.strides.size())
        throw PickleError("tensor size " + shape_to_string(t.shape) + " and stride " +
                          shape_to_string(t.strides) + " differ in length");
    if (t.shape.size() > 64)
        throw PickleError("tensor has " + std::to_string(t.shape.size()) + " dimensions");
    if (t.offset < 0) throw PickleError("negative storage offset " + std::to_string(t.offset));
    std::int64_t last = t.offset;
    std::int64_t numel = 1;
    bool overflow = false;
    for (std::size_t d = 0; d < t.shape.size(); ++d) {
        if (t.shape[d] < 0 || t.strides[d] < 0)
            throw PickleError("tensor size " + shape_to_string(t.shape) + " / stride " +
                              shape_to_string(t.strides) + " has a negative entry");
        overflow |= __builtin_mul_overflow(numel, t.shape[d], &numel);
        std::int64_t reach = 0;
        if (t.shape[d] > 0) {
            overflow |= __builtin_mul_overflow(t.shape[d] - 1, t.strides[d], &reach);
            overflow |= __builtin_add_overflow(last, reach, &last);
        }
    }
    if (overflow)
        throw PickleError("tensor of size " + shape_to_string(t.shape) + ", stride " +
                          shape_to_string(t.strides) + " overflows 64-bit indexing");
    if (numel > 0 && t.storage && last >= storage_numel)
        throw PickleError("tensor of size " + shape_to_string(t.shape) + ", stride " +
                          shape_to_string(t.strides) + " at offset " + std::to_string(t.offset) +
                          " reaches past its storage of " + std::to_string(storage_numel) +
                          " elements");
}

ValuePtr make_tensor(std::shared_ptr<const TensorRef> ref) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::Tensor;
    v->tensor = std::move(ref);
    return v;
}

// _rebuild_tensor(storage, storage_offset, size, stride[, requires_grad, backward_hooks, ...])
ValuePtr rebuild_tensor(const Value& args, bool v2) {
    const std::string_view fn = v2 ? "_rebuild_tensor_v2" : "_rebuild_tensor";
    const Value& storage = arg(args, 0, fn);
    if (storage.kind == Kind::Placeholder) // data in a form nnscope cannot read: keep the call
        return make_placeholder("torch._utils." + std::string(fn), args);
    if (storage.kind != Kind::Storage)
        throw PickleError(std::string(fn) + ": first argument must be a storage, got " +
                          std::string(kind_name(storage.kind)));
    auto ref = std::make_shared<TensorRef>();
    ref->storage = storage.storage;
    ref->dtype = storage.storage->dtype;
    ref->offset = int_value(arg(args, 1, fn), "storage offset");
    ref->shape = int_tuple(arg(args, 2, fn), "tensor size");
    ref->strides = int_tuple(arg(args, 3, fn), "tensor stride");
    if (v2) ref->requires_grad = bool_value(arg(args, 4, fn), "requires_grad");
    check_view(*ref, storage.storage->numel);
    return make_tensor(std::move(ref));
}

ValuePtr as_parameter(const Value& data, bool requires_grad) {
    if (data.kind != Kind::Tensor)
        throw PickleError("Parameter data must be a tensor, got " +
                          std::string(kind_name(data.kind)));
    auto ref = std::make_shared<TensorRef>(*data.tensor);
    ref->is_parameter = true;
    ref->requires_grad = requires_grad;
    return make_tensor(std::move(ref));
}

ValuePtr make_string(std::string text) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::String;
    v->text = std::move(text);
    return v;
}

// Python 3 pickles a bytes object for protocol 2 as _codecs.encode(text, 'latin1'): `text` is
// UTF-8 of the code points 0-255, one per byte.
ValuePtr latin1_bytes(const Value& args) {
    const Value& text = arg(args, 0, "_codecs.encode");
    const Value& encoding = arg(args, 1, "_codecs.encode");
    if (text.kind != Kind::String || encoding.kind != Kind::String ||
        (encoding.text != "latin1" && encoding.text != "latin-1"))
        throw PickleError("_codecs.encode expects (str, 'latin1'), got " + to_display(args, 80));
    auto v = std::make_shared<Value>();
    v->kind = Kind::Bytes;
    v->text.reserve(text.text.size());
    for (std::size_t i = 0; i < text.text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text.text[i]);
        if (c < 0x80) {
            v->text += static_cast<char>(c);
        } else if ((c == 0xc2 || c == 0xc3) && i + 1 < text.text.size()) {
            v->text += static_cast<char>(((c & 0x03) << 6) | (text.text[++i] & 0x3f));
        } else {
            throw PickleError("_codecs.encode: text is not latin-1");
        }
    }
    return v;
}

ValuePtr make_set(const Value& args) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::Set;
    if (args.kind == Kind::Tuple && !args.items.empty()) {
        const Value& items = *args.items[0];
        if (items.kind != Kind::List && items.kind != Kind::Tuple && items.kind != Kind::Set)
            throw PickleError("set() expects a list, got " + std::string(kind_name(items.kind)));
        v->items = items.items;
        v->depth = items.depth;
    }
    return v;
}

ValuePtr make_object(const Value& cls, const Value& args) {
    auto v = std::make_shared<Value>();
    v->kind = Kind::Object;
    v->text = cls.text;
    if (args.kind == Kind::Tuple) v->items = args.items;
    v->depth = args.depth;
    return v;
}

} // namespace

std::string_view storage_class_name(DType dtype) {
    for (const auto& [storage, d] : storage_dtypes)
        if (d == dtype) return storage;
    throw std::invalid_argument("no PyTorch storage class for dtype " +
                                std::string(dtype_name(dtype)));
}

std::optional<DType> storage_type_dtype(std::string_view name) {
    for (std::string_view prefix : {"torch.cuda.", "torch."}) {
        if (name.substr(0, prefix.size()) != prefix) continue;
        const std::string_view rest = name.substr(prefix.size());
        for (const auto& [storage, dtype] : storage_dtypes)
            if (rest == storage) return dtype;
        if (rest == "UntypedStorage") return DType::UInt8;
    }
    if (name == "torch.storage.UntypedStorage") return DType::UInt8;
    return std::nullopt;
}

ValuePtr resolve_global(std::string_view module, std::string_view name, bool torchscript) {
    if (module == "collections" && name == "OrderedDict")
        return make_global(module, name, GlobalId::OrderedDict);
    if (module == "_codecs" && name == "encode")
        return make_global(module, name, GlobalId::CodecsEncode);
    if (module == "builtins" || module == "__builtin__") {
        if (name == "bytes") return make_global(module, name, GlobalId::Bytes);
        if (name == "set" || name == "frozenset") return make_global(module, name, GlobalId::Set);
    }
    if (module == "torch._utils")
        if (auto id = torch_utils_function(name)) return make_global(module, name, *id);
    if (module == "torch._tensor" && name == "_rebuild_from_type_v2")
        return make_global(module, name, GlobalId::RebuildFromTypeV2);
    if (module == "torch.nn.parameter" && name == "Parameter")
        return make_global(module, name, GlobalId::Parameter);
    if (module == "torch.serialization" && name == "_get_layout")
        return make_global(module, name, GlobalId::GetLayout);
    if (module == "torch") {
        if (name == "Size") return make_global(module, name, GlobalId::TorchSize);
        if (name == "Tensor") return make_global(module, name, GlobalId::TorchTensor);
        if (name == "device") return make_global(module, name, GlobalId::Device);
        for (const auto& [dtype_name, dtype] : dtype_globals)
            if (name == dtype_name) return make_global(module, name, GlobalId::Dtype, dtype);
        if (contains(complex_dtypes, name)) return make_global(module, name, GlobalId::Dtype);
    }
    if (auto storage = storage_global(module, name)) return *storage;
    if (module == "torch.jit._pickle") {
        if (name == "build_intlist" || name == "build_tensorlist" || name == "build_doublelist" ||
            name == "build_boollist")
            return make_global(module, name, GlobalId::JitList);
        if (name == "restore_type_tag")
            return make_global(module, name, GlobalId::JitRestoreTypeTag);
    }
    if (torchscript) {
        if (module == "builtins" && name == "complex")
            return make_global(module, name, GlobalId::Complex);
        if (module == "__torch__" || module.substr(0, 10) == "__torch__.")
            return make_global(module, name, GlobalId::ScriptClass);
    }
    return make_global(module, name, GlobalId::Unknown);
}

ValuePtr apply_reduce(const Value& callable, const Value& args) {
    if (callable.kind == Kind::Placeholder) // calling what a call returned: still only data
        return make_placeholder(callable.text + "(...)", args);
    if (callable.kind != Kind::Global)
        throw PickleError("REDUCE needs a callable global, got " +
                          std::string(kind_name(callable.kind)));
    const std::string& fn = callable.text;
    switch (callable.global) {
    case GlobalId::Unknown:
        return make_placeholder(fn, args);
    case GlobalId::CodecsEncode:
        return latin1_bytes(args);
    case GlobalId::Bytes: {
        if (args.kind != Kind::Tuple || !args.items.empty())
            throw PickleError("bytes() takes no arguments here");
        auto v = std::make_shared<Value>();
        v->kind = Kind::Bytes;
        return v;
    }
    case GlobalId::Set:
        return make_set(args);
    case GlobalId::OrderedDict: {
        if (args.kind != Kind::Tuple || !args.items.empty())
            throw PickleError("OrderedDict() takes no arguments here");
        auto v = std::make_shared<Value>();
        v->kind = Kind::Dict;
        v->ordered = true;
        return v;
    }
    case GlobalId::RebuildTensor:
        return rebuild_tensor(args, false);
    case GlobalId::RebuildTensorV2:
        return rebuild_tensor(args, true);
    case GlobalId::RebuildParameter:
    case GlobalId::RebuildParameterWithState:
        return as_parameter(arg(args, 0, fn), bool_value(arg(args, 1, fn), "requires_grad"));
    case GlobalId::Parameter: {
        const bool requires_grad = args.kind == Kind::Tuple && args.items.size() > 1
                                       ? bool_value(*args.items[1], "requires_grad")
                                       : true;
        return as_parameter(arg(args, 0, fn), requires_grad);
    }
    case GlobalId::RebuildFromTypeV2: {
        const Value& func = arg(args, 0, fn);
        const Value& type = arg(args, 1, fn);
        const Value& inner = arg(args, 2, fn);
        if (func.kind != Kind::Global || func.global == GlobalId::RebuildFromTypeV2)
            throw PickleError(fn + ": first argument must be a rebuild function");
        ValuePtr result = apply_reduce(func, inner);
        if (type.kind == Kind::Global && type.global == GlobalId::Parameter &&
            result->kind == Kind::Tensor)
            return as_parameter(*result, result->tensor->requires_grad);
        if (type.kind != Kind::Global)
            throw PickleError(fn + ": tensor type " + to_display(type) + " is not a class");
        return result; // a subclass's own attributes (args[3]) are not needed to show the data
    }
    case GlobalId::RebuildMetaTensor: {
        const Value& dtype = arg(args, 0, fn);
        if (dtype.kind != Kind::Global || dtype.global != GlobalId::Dtype || !dtype.dtype)
            throw PickleError(fn + ": unsupported dtype " + to_display(dtype));
        auto ref = std::make_shared<TensorRef>();
        ref->dtype = *dtype.dtype;
        ref->shape = int_tuple(arg(args, 1, fn), "tensor size");
        ref->strides = int_tuple(arg(args, 2, fn), "tensor stride");
        ref->requires_grad = bool_value(arg(args, 3, fn), "requires_grad");
        check_view(*ref, 0);
        return make_tensor(std::move(ref));
    }
    case GlobalId::TorchSize:
    case GlobalId::JitList:
    case GlobalId::JitRestoreTypeTag: {
        const Value& first = arg(args, 0, fn);
        if (callable.global == GlobalId::JitRestoreTypeTag) return args.items[0];
        if (first.kind != Kind::Tuple && first.kind != Kind::List)
            throw PickleError(fn + " expects a tuple or list, got " +
                              std::string(kind_name(first.kind)));
        return args.items[0];
    }
    case GlobalId::GetLayout: {
        const Value& layout = arg(args, 0, fn);
        if (layout.kind != Kind::String)
            throw PickleError("_get_layout expects a layout name, got " + to_display(layout));
        return make_string(layout.text);
    }
    case GlobalId::Device: {
        const Value& type = arg(args, 0, fn);
        if (type.kind != Kind::String) throw PickleError("torch.device expects a string");
        std::string text = type.text;
        if (args.items.size() > 1) text += ":" + to_display(*args.items[1]);
        return make_string(text);
    }
    case GlobalId::Complex: {
        auto v = std::make_shared<Value>();
        v->kind = Kind::Tuple;
        v->items = args.kind == Kind::Tuple ? args.items : std::vector<ValuePtr>{};
        v->depth = args.depth;
        return v;
    }
    case GlobalId::ScriptClass:
        return make_object(callable, args);
    case GlobalId::RebuildSparse: // shown as the call: nnscope reads strided tensors only
        return make_placeholder(fn, args);
    case GlobalId::TorchTensor:
    case GlobalId::Dtype:
    case GlobalId::StorageType:
    case GlobalId::TensorType:
        break;
    }
    throw PickleError("'" + fn + "' cannot be called while reading tensor data");
}

ValuePtr apply_newobj(const Value& cls, const Value& args) {
    if (cls.kind == Kind::Global) {
        if (cls.global == GlobalId::Parameter || cls.global == GlobalId::OrderedDict ||
            cls.global == GlobalId::Set)
            return apply_reduce(cls, args);
        if (cls.global == GlobalId::ScriptClass) return make_object(cls, args);
        if (cls.global == GlobalId::Unknown) return make_placeholder(cls.text, args);
    }
    throw PickleError("NEWOBJ cannot instantiate " + to_display(cls));
}

void apply_build(ValuePtr& inst, const ValuePtr& state) {
    switch (inst->kind) {
    case Kind::Object:
    case Kind::Placeholder:
        if (inst->state) throw PickleError("BUILD applied twice to " + inst->text);
        inst->state = state;
        return;
    case Kind::Dict: // an OrderedDict's attributes (a state_dict's _metadata): not needed
        return;
    case Kind::Tensor:
        if (inst->tensor->is_parameter) return; // Parameter.__setstate__: attributes only
        throw PickleError("BUILD on a plain tensor (legacy set_) is not supported");
    default:
        throw PickleError("BUILD cannot update a " + std::string(kind_name(inst->kind)));
    }
}

} // namespace nnscope::io::pickle
