// nnscope-cli export-pytorch MODEL.safetensors [-o model.py]: a native model's architecture as a
// PyTorch script whose build(seed) gives nnscope's initial weights (workflows/
// pytorch_model_export.h does the work).

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "workflows/pytorch_model_export.h"

#include <filesystem>
#include <iostream>

namespace nnscope::cli {

namespace {

int run(Args args) {
    const std::filesystem::path out = args.option_or("output", "model.py");
    const std::filesystem::path in = args.positional("MODEL");
    args.finish();
    workflows::export_pytorch_model(in, out);
    std::cout << "wrote " << out.string() << "\n";
    return 0;
}

} // namespace

const Command& export_pytorch_command() {
    static const Command command{
        "export-pytorch",
        "write a native model as a PyTorch script (model.py) with the same initial weights",
        {positional("MODEL", "a native model file (.safetensors with an nnscope architecture)"),
         with_alias(value("output", "PATH", "the script to write (default: model.py)"), "o")},
        "The script defines the same module tree with torch.nn: class Net (a subclass of the "
        "root's class: same child names, registration order, extra parameters and buffers) and "
        "build(seed), whose initial state_dict equals nnscope's initial weights for that seed bit "
        "for bit (build's default seed is the file's). Trained weights are not in the script. "
        "Module types that are not torch.nn classes (torchvision's blocks) are refused.",
        run};
    return command;
}

} // namespace nnscope::cli
