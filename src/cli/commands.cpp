#include "cli/commands.h"

#include "cli/subcommands.h"

#include <iostream>

namespace nnscope::cli {

namespace {

int run_version(Args args) {
    args.finish();
    std::cout << version_text << "\n";
    return 0;
}

const Command& version_command() {
    static const Command command{
        "version", "print the version of nnscope-cli", {}, "", run_version};
    return command;
}

} // namespace

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        version_command(), summary_command(),        run_command(),   bench_command(),
        loader_command(),  transform_command(),      train_command(), convert_command(),
        diff_command(),    export_pytorch_command(),
    };
    return all;
}

const Command* find_command(std::string_view name) {
    for (const Command& command : commands())
        if (command.name == name) return &command;
    return nullptr;
}

} // namespace nnscope::cli
