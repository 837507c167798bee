// nnscope-cli: the headless front of nnscope's libraries, for scripts, tests and benchmarks.

#include "cli/commands.h"
#include "data/config_error.h"

#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

namespace {

void usage(std::ostream& out) {
    out << "usage: nnscope-cli <command> [options]\n\ncommands:\n";
    for (const auto& command : nnscope::cli::commands())
        out << "  " << command.name << "\t" << command.summary << "\n";
    out << "\n'nnscope-cli <command> --help' describes a command's options.\n";
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
    if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
        usage(argc < 2 ? std::cerr : std::cout);
        return argc < 2 ? 2 : 0;
    }
    const std::string_view name = argv[1];
    for (const auto& command : nnscope::cli::commands()) {
        if (command.name != name) continue;
        try {
            return command.run(nnscope::cli::Args(argc - 2, argv + 2));
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
    std::cerr << "nnscope-cli: unknown command '" << name << "'\n";
    usage(std::cerr);
    return 2;
}
