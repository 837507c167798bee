#pragma once
// A CSV reader that splits records exactly as Python's csv.reader (excel dialect, strict=False)
// does over a file opened in text mode, which is how torchtext reads AG_NEWS: "\r\n" and "\r"
// first become "\n" (universal newlines, also inside quoted fields), fields are separated by ',',
// a field that starts with '"' is quoted (a doubled quote inside stands for one quote, newlines
// and commas are kept), a quote inside an unquoted field is an ordinary character, and text after
// a closing quote is appended to the field. An empty line is a record with no fields.
//
// One deliberate difference: Python accepts a quoted field left open at the end of the file; we
// throw, since it always means a damaged file.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::data {

struct CsvRecord {
    std::int64_t line = 0; // 1-based line on which the record starts
    std::vector<std::string> fields;
};

// A malformed file: the message names the file, the line and the problem.
class CsvError : public std::runtime_error {
public:
    CsvError(const std::string& source, std::int64_t line, const std::string& problem);
    std::int64_t line() const { return line_; }

private:
    std::int64_t line_;
};

// Parses CSV text. `source` names the text in errors (usually the file's path). Throws CsvError
// for invalid UTF-8 (torchtext opens the files as UTF-8) and for an unterminated quoted field.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& source);

// The bytes of a file; throws std::runtime_error naming it when it cannot be read.
std::string read_text_file(const std::string& path);

// Reads and parses a file; throws std::runtime_error when it cannot be read.
std::vector<CsvRecord> read_csv_file(const std::string& path);

} // namespace nnscope::data
