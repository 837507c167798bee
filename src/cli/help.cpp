// --help of every subcommand, printed from its option table (commands.h).

#include "cli/commands.h"

#include <algorithm>
#include <sstream>

namespace nnscope::cli {

namespace {

constexpr std::size_t line_width = 100;

// The words of `text` on lines of at most line_width characters, the first starting at column
// `first_column`, the others after `indent` spaces; a newline in `text` starts a new line.
std::string wrapped(std::string_view text, std::size_t first_column, std::size_t indent) {
    std::string out;
    std::size_t column = first_column;
    bool line_empty = true;
    const auto new_line = [&] {
        out += '\n' + std::string(indent, ' ');
        column = indent;
        line_empty = true;
    };
    for (std::size_t start = 0; start < text.size();) {
        if (text[start] == '\n' || text[start] == ' ') {
            if (text[start++] == '\n') new_line();
            continue;
        }
        const std::size_t end = std::min(text.find_first_of(" \n", start), text.size());
        const std::string_view word = text.substr(start, end - start);
        if (!line_empty && column + 1 + word.size() > line_width) new_line();
        if (!line_empty) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        line_empty = false;
        start = end;
    }
    return out;
}

std::string label(const Option& o) {
    if (o.is_positional) return std::string(o.name);
    std::string text = "--" + std::string(o.name);
    if (!o.alias.empty()) text = "-" + std::string(o.alias) + ", " + text;
    if (!o.placeholder.empty()) text += " " + std::string(o.placeholder);
    return text;
}

// The usage line's arguments; a unit's inner space is \x1f so that wrapping keeps
// "[--batch-size N]" on one line.
std::string synopsis(const Command& command) {
    std::string text;
    for (const Option& o : command.options) {
        std::string unit = o.required ? label(o) : "[" + label(o) + "]";
        std::replace(unit.begin(), unit.end(), ' ', '\x1f');
        text += (text.empty() ? "" : " ") + unit;
    }
    return text;
}

void print_table(std::ostream& out,
                 const std::vector<std::pair<std::string, std::string_view>>& rows) {
    std::size_t width = 0;
    for (const auto& [name, help] : rows)
        width = std::max(width, name.size());
    width = std::min<std::size_t>(width, 24) + 4;
    for (const auto& [name, help] : rows) {
        std::string line = "  " + name;
        if (line.size() + 2 > width) {
            out << line << "\n";
            line.clear();
        }
        line.resize(width, ' ');
        out << line << wrapped(help, width, width) << "\n";
    }
}

} // namespace

void print_help(std::ostream& out, const Command& command) {
    const std::string head = "usage: nnscope-cli " + std::string(command.name);
    std::string args = wrapped(synopsis(command), head.size() + 1, head.size() + 1);
    std::replace(args.begin(), args.end(), '\x1f', ' ');
    out << head << (args.empty() ? "" : " " + args) << "\n\n"
        << wrapped(command.summary, 0, 0) << "\n";
    std::vector<std::pair<std::string, std::string_view>> arguments, options;
    for (const Option& o : command.options)
        (o.is_positional ? arguments : options).emplace_back(label(o), o.help);
    options.emplace_back("-h, --help", "print this help and exit");
    if (!arguments.empty()) {
        out << "\narguments:\n";
        print_table(out, arguments);
    }
    out << "\noptions:\n";
    print_table(out, options);
    if (!command.details.empty()) out << "\n" << wrapped(command.details, 0, 0) << "\n";
}

void print_commands(std::ostream& out) {
    out << "usage: nnscope-cli <command> [options]\n"
           "       nnscope-cli help [<command>]\n"
           "       nnscope-cli --version\n\ncommands:\n";
    std::vector<std::pair<std::string, std::string_view>> rows;
    for (const Command& command : commands())
        rows.emplace_back(std::string(command.name), command.summary);
    print_table(out, rows);
    out << "\n'nnscope-cli help <command>' or 'nnscope-cli <command> --help' explains a command's "
           "options.\n";
}

} // namespace nnscope::cli
