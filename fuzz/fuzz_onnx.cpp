// ONNX: the protobuf message, graph, attributes (small tensors are read for their text) and every
// initializer, external data included. The input lies alone in a fresh folder, so external data
// can name only the input itself (read as data) or something refused.
//
// The reader cuts initializers' raw_data out of the message before parsing it and views the bytes
// in the file instead (onnx_model.cpp): each tensor it loads from raw_data must hold exactly the
// bytes protobuf itself reads for that initializer, else the target aborts. The module tree built
// from node scopes and initializer users (onnx_tree.cpp) must place every initializer in a listed
// module and count each parameter exactly once, else it aborts too.
#include "fuzz_input.h"
#include "io/model_summary.h"
#include "io/onnx/onnx_model.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <onnx/onnx_pb.h>
#include <set>

namespace {

void compare_with_protobuf(const std::uint8_t* data, std::size_t size,
                           const nnscope::io::ModelDocument& document) {
    onnx::ModelProto whole;
    if (!whole.ParseFromArray(data, static_cast<int>(size))) std::abort(); // the reader took it
    const auto& initializers = whole.graph().initializer();
    if (initializers.size() != static_cast<int>(document.tensors.size())) std::abort();
    for (int i = 0; i < initializers.size(); ++i) {
        const onnx::TensorProto& proto = initializers.Get(i);
        const auto& entry = document.tensors[static_cast<std::size_t>(i)];
        if (!proto.has_raw_data() || proto.data_location() == onnx::TensorProto::EXTERNAL ||
            entry.dtype == nnscope::DType::Bool || !entry.stored_dtype.empty())
            continue;
        nnscope::Tensor t;
        try {
            t = entry.load();
        } catch (const std::exception&) {
            continue; // refused (its size disagrees with its dims, ...)
        }
        const std::string& raw = proto.raw_data();
        if (t.storage()->nbytes() != raw.size() ||
            std::memcmp(t.storage()->data(), raw.data(), raw.size()) != 0)
            std::abort();
    }
}

void check_tree(const nnscope::io::ModelDocument& document) {
    std::set<std::string> listed;
    for (const auto& [path, type] : document.modules)
        listed.insert(path);
    for (const auto& entry : document.tensors) {
        if (entry.module && !entry.module->empty() && !listed.count(*entry.module)) std::abort();
        if (entry.used_by.size() == 1) std::abort(); // listed only when several modules use it
    }
    const nnscope::io::ModelSummary s = nnscope::io::summarize(document);
    std::int64_t own = 0;
    for (const auto& row : s.modules)
        own += row.own_parameters;
    const std::int64_t total = s.role_total(nnscope::io::TensorRole::Parameter).elements;
    if (own != total || s.modules[0].total_parameters != total) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static nnscope::fuzz::NamedInputFile input("model.onnx");
    const std::string& path = input.write(data, size);
    nnscope::io::ModelDocument document;
    try {
        document = nnscope::io::open_onnx_file(path);
    } catch (const std::exception&) {
        return 0;
    }
    nnscope::fuzz::load_all(document);
    compare_with_protobuf(data, size, document);
    check_tree(document);
    return 0;
}
