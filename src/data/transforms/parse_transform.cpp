// A small recursive-descent parser for the Python subset torchvision pipelines are written in,
// then a table that binds arguments to each transform's signature as Python would.

#include "data/transforms/parse_transform.h"

#include "data/transforms/center_crop.h"
#include "data/transforms/compose.h"
#include "data/transforms/normalize.h"
#include "data/transforms/random_crop.h"
#include "data/transforms/random_flip.h"
#include "data/transforms/random_rotation.h"
#include "data/transforms/resize.h"
#include "data/transforms/to_tensor.h"
#include "engine/nn/value.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <optional>

namespace nnscope::data {

using nn::EnumMember;
using nn::Value;

TransformParseError::TransformParseError(const std::string& message, std::string_view text,
                                         std::size_t column)
    : std::invalid_argument(message + " at column " + std::to_string(column) + "\n  " +
                            std::string(text) + "\n  " + std::string(column - 1, ' ') + "^")
    , message_(message)
    , column_(column) {}

namespace {

// An expression: a literal, a list/tuple of expressions, or a call.
struct Expr {
    enum class Kind { Literal, Sequence, Call } kind = Kind::Literal;
    Value literal;
    std::vector<Expr> items; // Sequence
    bool tuple = false;
    std::string callee; // Call
    // Arguments as two parallel lists (a name is empty for a positional one): a vector of
    // pair<string, Expr> inside Expr needs Expr complete, which clang with libstdc++ refuses.
    std::vector<std::string> arg_names;
    std::vector<Expr> arg_values;
    std::size_t column = 1;
};

class Parser {
public:
    explicit Parser(std::string_view text)
        : text_(text) {}

    Expr parse_all() {
        Expr e = expression();
        skip_space();
        if (pos_ < text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
        return e;
    }

    [[noreturn]] void fail(const std::string& message) const { fail_at(message, pos_ + 1); }
    [[noreturn]] void fail_at(const std::string& message, std::size_t column) const {
        throw TransformParseError(message, text_, column);
    }

private:
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
    }
    bool accept(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    void expect(char c, const char* context) {
        if (!accept(c))
            fail(std::string("expected '") + c + "' " + context +
                 (pos_ < text_.size() ? ", got '" + std::string(1, text_[pos_]) + "'"
                                      : ", got the end of the text"));
    }
    static bool ident_char(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    }
    std::string identifier() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && ident_char(text_[pos_]))
            ++pos_;
        return std::string(text_.substr(start, pos_ - start));
    }

    Expr expression() {
        skip_space();
        Expr e;
        e.column = pos_ + 1;
        if (pos_ >= text_.size()) fail("expected a value, got the end of the text");
        const char c = text_[pos_];
        if (c == '[' || c == '(') return sequence();
        if (c == '\'' || c == '"') {
            e.literal = string_literal();
            return e;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
            e.literal = number();
            return e;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return name_or_call();
        fail("unexpected '" + std::string(1, c) + "'");
    }

    Expr sequence() {
        Expr e;
        e.column = pos_ + 1;
        const char open = text_[pos_++];
        const char close = open == '[' ? ']' : ')';
        e.kind = Expr::Kind::Sequence;
        e.tuple = open == '(';
        bool comma = false;
        while (!accept(close)) {
            e.items.push_back(expression());
            comma = accept(',');
            if (!comma) {
                expect(close, open == '[' ? "to close the list" : "to close the tuple");
                break;
            }
        }
        // (x) is x in parentheses; (x,) is a tuple.
        if (e.tuple && e.items.size() == 1 && !comma) return e.items[0];
        return e;
    }

    Value string_literal() {
        const char q = text_[pos_];
        const std::size_t start = pos_++;
        std::string s;
        while (pos_ < text_.size() && text_[pos_] != q) {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
            s += text_[pos_++];
        }
        if (pos_ >= text_.size()) fail_at("unterminated string", start + 1);
        ++pos_;
        return Value(s);
    }

    Value number() {
        const std::size_t start = pos_;
        if (text_[pos_] == '+' || text_[pos_] == '-') ++pos_;
        skip_space();
        const std::size_t digits = pos_;
        bool is_float = false;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (std::isdigit(static_cast<unsigned char>(c)) || c == '_') {
                ++pos_;
            } else if (c == '.') {
                is_float = true;
                ++pos_;
            } else if ((c == 'e' || c == 'E') && pos_ > digits) {
                is_float = true;
                ++pos_;
                if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            } else {
                break;
            }
        }
        std::string body;
        for (std::size_t i = digits; i < pos_; ++i)
            if (text_[i] != '_') body += text_[i];
        const bool negative = text_[start] == '-';
        if (body.empty() || body == ".") fail_at("expected a number", start + 1);
        if (is_float) {
            double v = 0;
            const auto r = std::from_chars(body.data(), body.data() + body.size(), v);
            if (r.ec != std::errc() || r.ptr != body.data() + body.size())
                fail_at("malformed number '" + body + "'", start + 1);
            return Value(negative ? -v : v);
        }
        std::int64_t v = 0;
        const auto r = std::from_chars(body.data(), body.data() + body.size(), v);
        if (r.ec != std::errc() || r.ptr != body.data() + body.size())
            fail_at("malformed or too large integer '" + body + "'", start + 1);
        return Value(negative ? -v : v);
    }

    Expr name_or_call() {
        Expr e;
        e.column = pos_ + 1;
        std::vector<std::string> parts{identifier()};
        while (pos_ + 1 < text_.size() && text_[pos_] == '.' && ident_char(text_[pos_ + 1])) {
            ++pos_;
            parts.push_back(identifier());
        }
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == '(') {
            ++pos_;
            e.kind = Expr::Kind::Call;
            e.callee = parts.back(); // transforms.RandomCrop -> RandomCrop
            bool keyword_seen = false;
            while (!accept(')')) {
                skip_space();
                const std::size_t arg_pos = pos_;
                std::string name;
                // name=value: look ahead for an identifier followed by '=' (not '==').
                if (pos_ < text_.size() &&
                    (std::isalpha(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
                    const std::size_t save = pos_;
                    std::string id = identifier();
                    skip_space();
                    if (pos_ < text_.size() && text_[pos_] == '=' &&
                        (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '=')) {
                        ++pos_;
                        name = id;
                    } else {
                        pos_ = save;
                    }
                }
                if (name.empty() && keyword_seen)
                    fail_at("positional argument follows keyword argument", arg_pos + 1);
                if (!name.empty()) keyword_seen = true;
                Expr value = expression();
                if (!name.empty()) value.column = arg_pos + 1;
                e.arg_names.push_back(name);
                e.arg_values.push_back(std::move(value));
                if (!accept(',')) {
                    expect(')', ("to close " + e.callee + "(").c_str());
                    break;
                }
            }
            return e;
        }
        const std::string& last = parts.back();
        if (parts.size() == 1) {
            if (last == "True")
                e.literal = Value(true);
            else if (last == "False")
                e.literal = Value(false);
            else if (last == "None")
                e.literal = Value();
            else
                fail_at("unknown name '" + last + "' (write strings in quotes)", e.column);
            return e;
        }
        e.literal = Value(EnumMember{parts[parts.size() - 2], last});
        return e;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

// One transform's signature: parameter names with defaults (nullopt: required).
struct Signature {
    std::vector<std::pair<std::string, std::optional<Value>>> params;
    // Builds the transform from the bound arguments (by parameter order); Compose alone takes
    // the raw expressions, everything else plain values.
    std::function<TransformPtr(const std::vector<Value>&)> build;
};

const std::map<std::string, Signature>& signatures() {
    static const std::map<std::string, Signature> table = [] {
        std::map<std::string, Signature> t;
        const Value bilinear = EnumMember{"InterpolationMode", "BILINEAR"};
        const Value nearest = EnumMember{"InterpolationMode", "NEAREST"};
        t["ToTensor"] = {{}, [](const auto&) { return std::make_shared<ToTensor>(); }};
        t["Normalize"] = {
            {{"mean", std::nullopt}, {"std", std::nullopt}, {"inplace", false}},
            [](const auto& a) { return std::make_shared<Normalize>(a[0], a[1], a[2].as_bool()); }};
        t["Resize"] = {
            {{"size", std::nullopt},
             {"interpolation", bilinear},
             {"max_size", Value()},
             {"antialias", Value()}},
            [](const auto& a) { return std::make_shared<Resize>(a[0], a[1], a[2], a[3]); }};
        t["CenterCrop"] = {{{"size", std::nullopt}},
                           [](const auto& a) { return std::make_shared<CenterCrop>(a[0]); }};
        t["RandomCrop"] = {{{"size", std::nullopt},
                            {"padding", Value()},
                            {"pad_if_needed", false},
                            {"fill", 0},
                            {"padding_mode", "constant"}},
                           [](const auto& a) {
                               return std::make_shared<RandomCrop>(a[0], a[1], a[2].as_bool(), a[3],
                                                                   a[4].as_string());
                           }};
        t["RandomRotation"] = {{{"degrees", std::nullopt},
                                {"interpolation", nearest},
                                {"expand", false},
                                {"center", Value()},
                                {"fill", 0}},
                               [](const auto& a) {
                                   return std::make_shared<RandomRotation>(
                                       a[0], a[1], a[2].as_bool(), a[3], a[4]);
                               }};
        t["RandomHorizontalFlip"] = {{{"p", 0.5}}, [](const auto& a) {
                                         return std::make_shared<RandomHorizontalFlip>(a[0]);
                                     }};
        t["RandomVerticalFlip"] = {
            {{"p", 0.5}}, [](const auto& a) { return std::make_shared<RandomVerticalFlip>(a[0]); }};
        t["Compose"] = {{{"transforms", std::nullopt}}, nullptr};
        return t;
    }();
    return table;
}

Value to_value(const Expr& e, const Parser& p) {
    if (e.kind == Expr::Kind::Call)
        p.fail_at("a transform (" + e.callee + ") is not allowed here", e.column);
    if (e.kind == Expr::Kind::Literal) return e.literal;
    std::vector<Value> items;
    for (const auto& i : e.items)
        items.push_back(to_value(i, p));
    return e.tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
}

TransformPtr build(const Expr& e, const Parser& p) {
    if (e.kind != Expr::Kind::Call)
        p.fail_at("expected a transform such as RandomCrop(28), got a value", e.column);
    const auto& table = signatures();
    const auto it = table.find(e.callee);
    if (it == table.end()) {
        std::string known;
        for (const auto& [name, sig] : table)
            known += (known.empty() ? "" : ", ") + name;
        p.fail_at("unknown transform '" + e.callee + "' (known: " + known + ")", e.column);
    }
    const Signature& sig = it->second;
    std::vector<const Expr*> bound(sig.params.size(), nullptr);
    std::size_t positional = 0;
    for (std::size_t a = 0; a < e.arg_names.size(); ++a) {
        const std::string& name = e.arg_names[a];
        const Expr& value = e.arg_values[a];
        std::size_t index = 0;
        if (name.empty()) {
            if (positional >= sig.params.size())
                p.fail_at(e.callee + "() takes " + std::to_string(sig.params.size()) +
                              " positional argument" + (sig.params.size() == 1 ? "" : "s") +
                              " but more were given",
                          value.column);
            index = positional++;
        } else {
            const auto found = std::find_if(sig.params.begin(), sig.params.end(),
                                            [&](const auto& param) { return param.first == name; });
            if (found == sig.params.end()) {
                std::string accepted;
                for (const auto& param : sig.params)
                    accepted += (accepted.empty() ? "" : ", ") + param.first;
                p.fail_at(e.callee + "() got an unexpected keyword argument '" + name +
                              "' (it takes " + (accepted.empty() ? "none" : accepted) + ")",
                          value.column);
            }
            index = static_cast<std::size_t>(found - sig.params.begin());
        }
        if (bound[index])
            p.fail_at(e.callee + "() got multiple values for argument '" + sig.params[index].first +
                          "'",
                      value.column);
        bound[index] = &value;
    }
    for (std::size_t i = 0; i < sig.params.size(); ++i)
        if (!bound[i] && !sig.params[i].second)
            p.fail_at(e.callee + "() missing required argument '" + sig.params[i].first + "'",
                      e.column);

    if (e.callee == "Compose") {
        const Expr& list = *bound[0];
        if (list.kind != Expr::Kind::Sequence)
            p.fail_at("Compose() takes a list of transforms", list.column);
        std::vector<TransformPtr> items;
        for (const auto& item : list.items)
            items.push_back(build(item, p));
        return std::make_shared<Compose>(std::move(items));
    }
    std::vector<Value> values;
    for (std::size_t i = 0; i < sig.params.size(); ++i)
        values.push_back(bound[i] ? to_value(*bound[i], p) : *sig.params[i].second);
    try {
        return sig.build(values);
    } catch (const TransformParseError&) {
        throw;
    } catch (const std::invalid_argument& err) {
        std::string msg = err.what();
        // Messages of the transforms name themselves already; the accessors' do not.
        if (msg.rfind(e.callee, 0) != 0) msg = e.callee + ": " + msg;
        p.fail_at(msg, e.column);
    }
}

} // namespace

TransformPtr parse_transform(std::string_view text) {
    Parser parser(text);
    const Expr e = parser.parse_all();
    return build(e, parser);
}

std::vector<std::string> known_transforms() {
    std::vector<std::string> names;
    for (const auto& [name, sig] : signatures())
        names.push_back(name);
    return names;
}

} // namespace nnscope::data
