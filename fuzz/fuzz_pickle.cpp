// The restricted unpickler alone, in memory: the last byte's low bit picks the TorchScript mode
// (so real pickles seed the corpus as they are), persistent ids become inert storages, and the
// result is rendered and walked into a document as the readers do.
#include "fuzz_input.h"
#include "io/pickle/document_builder.h"
#include "io/pickle/unpickler.h"

#include <cstring>
#include <exception>

namespace {

using namespace nnscope;
using namespace nnscope::io::pickle;

// Every storage the pickle names holds zeros, as many elements as it claims up to a bound.
class ZeroStorages : public StorageProvider {
public:
    std::shared_ptr<Storage> storage(const StorageRef& ref) const override {
        const std::uint64_t limit = std::uint64_t(1) << 20;
        const std::uint64_t count = static_cast<std::uint64_t>(ref.offset + ref.numel);
        if (count > limit) throw std::runtime_error("storage too large for the fuzz target");
        auto s = Storage::allocate(count * element_size(ref.dtype));
        if (s->nbytes()) std::memset(s->data(), 0, s->nbytes());
        return s;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    UnpicklerOptions options;
    options.torchscript = data[size - 1] & 1;
    options.persistent_load = [](const Value& pid) {
        if (pid.kind != Kind::Tuple || pid.items.size() < 5) throw PickleError("bad id");
        const Value& type = *pid.items[1];
        const Value& numel = *pid.items[4];
        if (type.kind != Kind::Global || !type.dtype || numel.kind != Kind::Int ||
            numel.integer < 0)
            throw PickleError("bad id");
        auto ref = std::make_shared<StorageRef>();
        ref->dtype = *type.dtype;
        ref->numel = numel.integer;
        ref->key = to_display(*pid.items[2]);
        auto v = std::make_shared<Value>();
        v->kind = Kind::Storage;
        v->storage = std::move(ref);
        return v;
    };
    try {
        const auto result = unpickle(reinterpret_cast<const std::byte*>(data), size, options);
        to_display(*result.value, 1000);
        io::ModelDocument document;
        DocumentOptions document_options;
        document_options.torchscript = options.torchscript;
        add_to_document(document, *result.value, std::make_shared<ZeroStorages>(),
                        document_options);
        for (const auto& entry : document.tensors)
            fuzz::touch(entry.load());
    } catch (const std::exception&) {
    }
    return 0;
}
