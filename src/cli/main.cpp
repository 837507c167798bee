// nnscope-cli: the headless front of nnscope's libraries, for scripts, tests and benchmarks.

#include "cli/commands.h"
#include "data/config_error.h"
#include "engine/parallel.h"

#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

namespace {

// `nnscope-cli help [COMMAND]`, `--help`, `-h`: the command list or one command's help.
int help(int argc, char** argv) {
    if (argc < 3) {
        nnscope::cli::print_commands(std::cout);
        return 0;
    }
    if (const auto* command = nnscope::cli::find_command(argv[2])) {
        nnscope::cli::print_help(std::cout, *command);
        return 0;
    }
    std::cerr << "nnscope-cli help: unknown command '" << argv[2] << "'\n";
    nnscope::cli::print_commands(std::cerr);
    return 2;
}

// A configuration field as the option that sets it: "sampler.num_samples" -> "--num-samples".
std::string option_of(std::string_view field) {
    std::string name(field.substr(field.rfind('.') + 1));
    for (char& c : name)
        if (c == '_') c = '-';
    return "--" + name;
}

} // namespace

int main(int argc, char** argv) {
    nnscope::parallel::prepare_wait_policy(argv);
    if (argc < 2) {
        nnscope::cli::print_commands(std::cerr);
        return 2;
    }
    const std::string_view name = argv[1];
    if (name == "help" || name == "--help" || name == "-h") return help(argc, argv);
    if (name == "--version" || name == "-V") {
        std::cout << nnscope::cli::version_text << "\n";
        return 0;
    }
    const auto* command = nnscope::cli::find_command(name);
    if (!command) {
        std::cerr << "nnscope-cli: unknown command '" << name << "'\n";
        nnscope::cli::print_commands(std::cerr);
        return 2;
    }
    if (nnscope::cli::wants_help(argc - 2, argv + 2)) {
        nnscope::cli::print_help(std::cout, *command);
        return 0;
    }
    try {
        return command->run(nnscope::cli::Args(*command, argc - 2, argv + 2));
    } catch (const nnscope::data::ConfigError& error) {
        // A value the library refuses: a usage error, unless PyTorch itself refuses it.
        const bool usage = error.kind() == nnscope::data::ConfigError::Kind::BadValue;
        std::cerr << "nnscope-cli " << name << ": " << (usage ? "" : "error: ")
                  << error.message(option_of) << "\n";
        return usage ? 2 : 1;
    } catch (const nnscope::cli::UsageError& error) {
        std::cerr << "nnscope-cli " << name << ": " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "nnscope-cli " << name << ": error: " << error.what() << "\n";
        return 1;
    }
}
