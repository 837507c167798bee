#pragma once
// Turns an unpickled object (a state_dict, a nested checkpoint, a TorchScript module tree, a whole
// pickled nn.Module) into a ModelDocument: every tensor reachable is listed under its dotted path
// with a lazy loader, plain values and placeholders become metadata (an argparse.Namespace's
// fields as "args.lr"), TorchScript objects and pickled modules become modules.

#include "io/model_document.h"
#include "io/pickle/value.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::io::pickle {

// Hands out the bytes of a storage (the whole storage called ref.key); thread-safe.
class StorageProvider {
public:
    virtual ~StorageProvider() = default;
    virtual std::shared_ptr<Storage> storage(const StorageRef& ref) const = 0;
};

// The tensor a TensorRef describes, viewing the provider's storage (or a copy of the bytes the
// pickle itself carries).
Tensor load_tensor(const StorageProvider& provider, const TensorRef& ref);

// An entry for `ref` named `name`: shape, dtype, where its data lives and a lazy loader. The role
// is left Unknown for the caller to set.
TensorEntry tensor_entry(const TensorRef& ref, std::string name,
                         std::shared_ptr<const StorageProvider> storages);

// What a TorchScript class's source says about its attributes.
struct ScriptClassInfo {
    bool found = false; // the class was found in code/
    std::vector<std::string> parameters;
    std::vector<std::string> buffers;
};

struct DocumentOptions {
    bool torchscript = false;
    // TorchScript only: looks a qualified class name up in the archive's code/.
    std::function<ScriptClassInfo(const std::string& qualified_name)> class_info;
    std::string prefix; // prepended to every path ("constants" for constants.pkl)
    std::size_t max_metadata = 10000;
    std::size_t max_visits = 20'000'000; // shared sub-objects are walked once per path
};

void add_to_document(ModelDocument& document, const Value& root,
                     std::shared_ptr<const StorageProvider> storages,
                     const DocumentOptions& options);

// "__torch__.torch.nn.modules.linear.___torch_mangle_0.Linear" -> "Linear" (the class name)
std::string script_type_name(std::string_view qualified_name);

// Reads `__parameters__ = [...]` and `__buffers__ = [...]` of `class <name>(` in TorchScript's
// printed Python source, textually (the source is never run).
ScriptClassInfo parse_script_class(std::string_view source, std::string_view class_name);

// The text of `class <name>(` in TorchScript's printed source, from its header line to the next
// line that starts in column 0; nullopt when the source has no such class.
std::optional<std::string_view> script_class_body(std::string_view source,
                                                  std::string_view class_name);

} // namespace nnscope::io::pickle
