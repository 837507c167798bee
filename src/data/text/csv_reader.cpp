#include "data/text/csv_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace nnscope::data {

namespace {

// Python's text mode: "\r\n" and a lone "\r" read as "\n".
std::string universal_newlines(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r') {
            out.push_back(text[i]);
            continue;
        }
        out.push_back('\n');
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
    return out;
}

// The line of the first byte that is not well-formed UTF-8 (overlong forms, surrogates and code
// points past U+10FFFF included, as Python's decoder rejects them), or 0 when all are valid.
std::int64_t first_invalid_utf8_line(std::string_view text) {
    std::int64_t line = 1;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned c = s[i];
        if (c < 0x80) {
            if (c == '\n') ++line;
            ++i;
            continue;
        }
        int extra = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return line;
        }
        if (i + static_cast<std::size_t>(extra) >= n) return line; // truncated sequence
        for (int k = 1; k <= extra; ++k) {
            const unsigned b = s[i + static_cast<std::size_t>(k)];
            if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return line;
        }
        i += static_cast<std::size_t>(extra) + 1;
    }
    return 0;
}

} // namespace

CsvError::CsvError(const std::string& source, std::int64_t line, const std::string& problem)
    : std::runtime_error(source + ":" + std::to_string(line) + ": " + problem)
    , line_(line) {}

std::vector<CsvRecord> parse_csv(std::string_view raw, const std::string& source) {
    if (const auto bad = first_invalid_utf8_line(raw))
        throw CsvError(source, bad, "not valid UTF-8 text");
    const std::string text = universal_newlines(raw);

    // The states of CPython's Modules/_csv.c that a dialect without escapechar reaches.
    enum class State { StartRecord, StartField, InField, InQuoted, QuoteInQuoted };
    State state = State::StartRecord;
    std::vector<CsvRecord> records;
    CsvRecord record;
    std::string field;
    std::int64_t line = 1;
    auto save_field = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
    };
    auto end_record = [&] {
        records.push_back(std::move(record));
        record = CsvRecord{};
        state = State::StartRecord;
    };
    for (const char c : text) {
        switch (state) {
        case State::StartRecord:
            record.line = line;
            if (c == '\n') {
                end_record(); // an empty line: a record without fields
                break;
            }
            state = State::StartField;
            [[fallthrough]];
        case State::StartField:
            if (c == '\n') {
                save_field();
                end_record();
            } else if (c == '"') {
                state = State::InQuoted;
            } else if (c == ',') {
                save_field();
            } else {
                field.push_back(c);
                state = State::InField;
            }
            break;
        case State::InField:
            if (c == '\n') {
                save_field();
                end_record();
            } else if (c == ',') {
                save_field();
                state = State::StartField;
            } else {
                field.push_back(c);
            }
            break;
        case State::InQuoted:
            if (c == '"')
                state = State::QuoteInQuoted;
            else
                field.push_back(c);
            break;
        case State::QuoteInQuoted:
            if (c == '"') {
                field.push_back('"'); // a doubled quote
                state = State::InQuoted;
            } else if (c == ',') {
                save_field();
                state = State::StartField;
            } else if (c == '\n') {
                save_field();
                end_record();
            } else {
                field.push_back(c); // strict=False keeps text after the closing quote
                state = State::InField;
            }
            break;
        }
        if (c == '\n') ++line;
    }
    if (state == State::InQuoted)
        throw CsvError(source, record.line,
                       "unterminated quoted field (the file ends inside quotes opened on this "
                       "record)");
    if (state != State::StartRecord) { // the last line had no newline
        save_field();
        end_record();
    }
    return records;
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read '" + path + "'");
    return buffer.str();
}

std::vector<CsvRecord> read_csv_file(const std::string& path) {
    return parse_csv(read_text_file(path), path);
}

} // namespace nnscope::data
