#pragma once
// torchtext's basic_english tokenizer (torchtext.data.utils._basic_english_normalize, 0.14):
// lowercase the line, then in this order replace  '  by " '  ",  remove  " ,  put spaces around
// . , ( ) ! ?,  replace "<br />" ; : by a space, and split on whitespace (Python's str.split()).
//
// Lowercasing follows Python's str.lower() for ASCII, Latin-1, Latin Extended-A (U+0130 becomes
// "i" + U+0307 as in Python), Greek and the basic Cyrillic block; other letters are left as they
// are, and a word-final capital sigma becomes U+03C3 where Python gives U+03C2. Whitespace is
// Python's (str.isspace): ASCII blanks, U+001C-U+001F, U+0085, U+00A0, U+1680, U+2000-U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000. Input is UTF-8.

#include <string>
#include <string_view>
#include <vector>

namespace nnscope::data {

// The lowered and rewritten line before splitting (the regex substitutions applied).
std::string basic_english_normalize(std::string_view line);

std::vector<std::string> basic_english_tokenize(std::string_view line);

} // namespace nnscope::data
