#include "io/module_rebuild.h"

#include "io/module_build.h"
#include "io/pickle/module_record_pickle.h"
#include "io/pickle/module_tree.h"
#include "io/pytorch_archive.h"
#include "io/torchscript_record.h"

#include <stdexcept>

namespace nnscope::io {

namespace {

std::string file_prefix(const std::filesystem::path& path) {
    return "PyTorch file '" + path.string() + "': ";
}

std::shared_ptr<const ModuleRecord> root_record(const std::filesystem::path& path,
                                                const PytorchObject& object,
                                                const std::string& module_path) {
    const pickle::Value& root = *object.root;
    if (object.torchscript && root.kind == pickle::Kind::Object)
        return torchscript_module_record(root, object);
    if (!object.torchscript && pickle::is_pickled_module(root))
        return pickle::pickled_module_record(root, object.storages);
    // A checkpoint dict holding whole modules ({"model": model, "epoch": 3}): its modules rebuild
    // by path ("model", "model.features").
    if (!object.torchscript && root.kind == pickle::Kind::Dict) {
        auto checkpoint = std::make_shared<ModuleRecord>();
        checkpoint->qualified_name = "dict";
        std::string names;
        for (std::size_t i = 0; i + 1 < root.items.size(); i += 2) {
            const auto name = pickle::as_text(*root.items[i]);
            if (name && pickle::is_pickled_module(*root.items[i + 1])) {
                names += (names.empty() ? "" : ", ") + *name;
                checkpoint->children.emplace_back(
                    *name,
                    pickle::pickled_module_record(*root.items[i + 1], object.storages, *name));
            }
        }
        if (!names.empty() && !module_path.empty()) return checkpoint;
        if (!names.empty())
            throw std::invalid_argument(file_prefix(path) + "holds a dict whose entries " + names +
                                        " are modules: rebuild one by its module path (e.g. '" +
                                        checkpoint->children.front().first + "')");
    }
    const std::string what =
        root.kind == pickle::Kind::Dict
            ? "a dict (a state_dict or a checkpoint): tensors without the modules that use them"
            : pickle::to_display(root, 80);
    throw std::invalid_argument(file_prefix(path) + "holds no module to run but " + what +
                                "; pair the weights with an architecture instead "
                                "(--architecture NAME, or --architecture torchvision:resnet18)");
}

} // namespace

std::shared_ptr<nn::Module> rebuild_pytorch_module(const std::filesystem::path& path,
                                                   const std::string& module_path) {
    const PytorchObject object = read_pytorch_object(path);
    try {
        const auto record = find_record(root_record(path, object, module_path), module_path);
        return build_module(*record);
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        if (what.starts_with(file_prefix(path))) throw;
        throw std::invalid_argument(file_prefix(path) + what);
    }
}

} // namespace nnscope::io
