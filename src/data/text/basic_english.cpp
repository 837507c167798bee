#include "data/text/basic_english.h"

#include <array>
#include <cstdint>
#include <utility>

namespace nnscope::data {

namespace {

// Decodes one code point at s[i] (the text is assumed valid UTF-8; a stray byte is taken as is).
char32_t decode(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (i + static_cast<std::size_t>(extra) >= s.size()) extra = 0;
    char32_t cp = extra == 0   ? c
                  : extra == 1 ? (c & 0x1Fu)
                  : extra == 2 ? (c & 0x0Fu)
                               : (c & 0x07u);
    for (int k = 0; k < extra; ++k)
        cp = (cp << 6) |
             (static_cast<unsigned char>(s[i + 1 + static_cast<std::size_t>(k)]) & 0x3Fu);
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

void encode(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Python's simple lowercase mapping for the blocks listed in the header.
char32_t lower(char32_t c) {
    if (c >= U'A' && c <= U'Z') return c + 0x20;
    if (c < 0xC0) return c;
    if (c <= 0xDE) return c == 0xD7 ? c : c + 0x20;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x178) return 0xFF;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 ? c + 1 : c;
        if (c == 0x138 || c == 0x149 || c == 0x17F) return c;
        return c % 2 ? c : c + 1;
    }
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 0x25;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 0x3F;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    return c;
}

bool is_python_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string lowercase(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (std::size_t i = 0; i < line.size();) {
        if (static_cast<unsigned char>(line[i]) < 0x80) { // the common case
            const char c = line[i++];
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 0x20) : c);
            continue;
        }
        const char32_t cp = decode(line, i);
        if (cp == 0x130) { // İ: Python's full mapping gives "i" + combining dot above
            out.push_back('i');
            encode(0x307, out);
        } else {
            encode(lower(cp), out);
        }
    }
    return out;
}

std::string replace_all(const std::string& text, std::string_view from, std::string_view to) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t pos = 0;
    for (std::size_t hit; (hit = text.find(from, pos)) != std::string::npos;
         pos = hit + from.size()) {
        out.append(text, pos, hit - pos);
        out.append(to);
    }
    out.append(text, pos, std::string::npos);
    return out;
}

// torchtext's _patterns / _replacements, in order (all but the last are literal strings; the
// last, \s+ -> " ", changes nothing that split() would not).
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> substitutions = {{
    {"'", " '  "},
    {"\"", ""},
    {".", " . "},
    {"<br />", " "},
    {",", " , "},
    {"(", " ( "},
    {")", " ) "},
    {"!", " ! "},
    {"?", " ? "},
    {";", " "},
    {":", " "},
}};

} // namespace

std::string basic_english_normalize(std::string_view line) {
    std::string text = lowercase(line);
    for (const auto& [from, to] : substitutions)
        if (text.find(from) != std::string::npos) text = replace_all(text, from, to);
    return text;
}

std::vector<std::string> basic_english_tokenize(std::string_view line) {
    const std::string text = basic_english_normalize(line);
    std::vector<std::string> tokens;
    std::string current;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const char32_t cp = static_cast<unsigned char>(text[i]) < 0x80
                                ? static_cast<char32_t>(text[i++])
                                : decode(text, i);
        if (is_python_space(cp)) {
            if (!current.empty()) tokens.push_back(std::move(current));
            current.clear();
        } else {
            current.append(text, start, i - start);
        }
    }
    if (!current.empty()) tokens.push_back(std::move(current));
    return tokens;
}

} // namespace nnscope::data
