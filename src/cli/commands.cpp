#include "cli/commands.h"

#include <iostream>

namespace nnscope::cli {

int run_version(Args args) {
    args.finish();
    std::cout << "nnscope-cli 0.1.0\n";
    return 0;
}

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"version", "print the version", run_version},
    };
    return all;
}

} // namespace nnscope::cli
