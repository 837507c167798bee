#include "io/pickle/unpickler.h"

#include "io/pickle/opcodes.h"

#include <cstring>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace nnscope::io::pickle {

namespace {

using namespace opcodes;

class Machine {
public:
    Machine(const std::byte* data, std::size_t size, const UnpicklerOptions& options)
        : data_(data)
        , size_(size)
        , options_(options) {}

    UnpickleResult run();
    std::size_t opcode_position() const { return op_pos_; }

private:
    // --- input ---------------------------------------------------------------------------
    const std::byte* take(std::size_t n) {
        if (n > size_ - pos_)
            throw PickleError("needs " + std::to_string(n) + " bytes but only " +
                              std::to_string(size_ - pos_) + " remain (truncated?)");
        const std::byte* p = data_ + pos_;
        pos_ += n;
        return p;
    }
    std::uint64_t read_le(std::size_t n) {
        const std::byte* p = take(n);
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;)
            v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
        return v;
    }
    std::string read_line() {
        const std::size_t limit = std::min<std::size_t>(size_ - pos_, 4096);
        const void* nl = std::memchr(data_ + pos_, '\n', limit);
        if (!nl) throw PickleError("unterminated or over-long name line");
        const std::size_t n = static_cast<const std::byte*>(nl) - (data_ + pos_);
        std::string line(reinterpret_cast<const char*>(data_ + pos_), n);
        pos_ += n + 1;
        return line;
    }
    std::string read_text(std::uint64_t n) {
        if (n > size_ - pos_)
            throw PickleError("string of " + std::to_string(n) + " bytes but only " +
                              std::to_string(size_ - pos_) + " remain (truncated?)");
        const std::byte* p = take(static_cast<std::size_t>(n));
        return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    }

    // --- values --------------------------------------------------------------------------
    ValuePtr make(Kind kind) {
        if (++values_ > options_.max_values)
            throw PickleError("more than " + std::to_string(options_.max_values) +
                              " objects: refusing to build them");
        auto v = std::make_shared<Value>();
        v->kind = kind;
        return v;
    }
    ValuePtr make_int(std::int64_t i) {
        auto v = make(Kind::Int);
        v->integer = i;
        return v;
    }
    ValuePtr make_text(Kind kind, std::string text) {
        auto v = make(kind);
        v->text = std::move(text);
        return v;
    }

    // Nests `child` into `parent`: seals it and checks the depth.
    void adopt(Value& parent, const ValuePtr& child) {
        if (child.get() == &parent) throw PickleError("a container may not contain itself");
        child->sealed = true;
        const std::size_t depth = std::size_t(child->depth) + 1;
        if (depth > options_.max_depth)
            throw PickleError("containers nested deeper than " +
                              std::to_string(options_.max_depth) + " levels");
        if (depth > parent.depth) parent.depth = static_cast<std::uint16_t>(depth);
    }
    // The container SETITEM(S) / APPEND(S) change: `v` itself, or for a placeholder (an instance
    // of a dict or list subclass) the contents it collects. Call settle() afterwards.
    Value& mutable_target(Value& v, Kind expected, const char* op) {
        if (v.kind != Kind::Placeholder) {
            check_mutable(v, expected, op);
            return v;
        }
        if (v.sealed)
            throw PickleError(std::string(op) +
                              " changes an object after it was nested (a cycle?): refused");
        if (!v.contents) v.contents = make(expected);
        check_mutable(*v.contents, expected, op);
        return *v.contents;
    }
    // A placeholder's depth after its contents grew.
    void settle(Value& v) {
        if (v.kind != Kind::Placeholder || !v.contents) return;
        const std::size_t depth = std::size_t(v.contents->depth) + 1;
        if (depth > options_.max_depth)
            throw PickleError("containers nested deeper than " +
                              std::to_string(options_.max_depth) + " levels");
        if (depth > v.depth) v.depth = static_cast<std::uint16_t>(depth);
    }
    void check_mutable(const Value& v, Kind expected, const char* op) {
        if (v.kind != expected)
            throw PickleError(std::string(op) + " needs a " + std::string(kind_name(expected)) +
                              ", got " + std::string(kind_name(v.kind)));
        if (v.sealed)
            throw PickleError(std::string(op) +
                              " changes a container after it was nested (a cycle?): refused");
    }
    void dict_set(Value& dict, const ValuePtr& key, const ValuePtr& value) {
        const auto identity = key_identity(*key);
        if (!identity)
            throw PickleError("unhashable dict key of type " + std::string(kind_name(key->kind)));
        adopt(dict, key);
        adopt(dict, value);
        if (!dict.index)
            dict.index = std::make_unique<std::unordered_map<std::string, std::size_t>>();
        const auto [it, inserted] = dict.index->emplace(*identity, dict.items.size());
        if (inserted) {
            dict.items.push_back(key);
            dict.items.push_back(value);
        } else {
            dict.items[it->second + 1] = value;
        }
    }

    // --- stack ---------------------------------------------------------------------------
    void push(ValuePtr v) {
        if (stack_.size() >= options_.max_values)
            throw PickleError("stack grows past " + std::to_string(options_.max_values));
        stack_.push_back(std::move(v));
    }
    ValuePtr pop() {
        if (stack_.size() <= floor()) throw PickleError("stack underflow");
        ValuePtr v = std::move(stack_.back());
        stack_.pop_back();
        return v;
    }
    ValuePtr& top() {
        if (stack_.size() <= floor()) throw PickleError("stack underflow");
        return stack_.back();
    }
    std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    std::vector<ValuePtr> pop_mark() {
        if (marks_.empty()) throw PickleError("no MARK to pop to");
        const std::size_t start = marks_.back();
        marks_.pop_back();
        std::vector<ValuePtr> items(std::make_move_iterator(stack_.begin() + start),
                                    std::make_move_iterator(stack_.end()));
        stack_.resize(start);
        return items;
    }
    ValuePtr make_tuple(std::vector<ValuePtr> items) {
        if (items.empty()) return empty_tuple_;
        auto t = make(Kind::Tuple);
        for (const auto& item : items)
            adopt(*t, item);
        t->items = std::move(items);
        return t;
    }
    void memo_put(std::uint64_t index) {
        if (memo_.size() >= options_.max_values && !memo_.count(index))
            throw PickleError("memo grows past " + std::to_string(options_.max_values));
        memo_[index] = top();
    }
    ValuePtr memo_get(std::uint64_t index) {
        const auto it = memo_.find(index);
        if (it == memo_.end())
            throw PickleError("memo entry " + std::to_string(index) + " was never stored");
        return it->second;
    }

    void push_global(const std::string& module, const std::string& name) {
        push(resolve_global(module, name, options_.torchscript));
        ++values_;
    }
    void step(std::uint8_t op);

    const std::byte* data_;
    std::size_t size_;
    const UnpicklerOptions& options_;
    std::size_t pos_ = 0;
    std::size_t op_pos_ = 0;
    std::size_t values_ = 0;
    bool stopped_ = false;
    std::vector<ValuePtr> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint64_t, ValuePtr> memo_;
    ValuePtr result_;
    // Immutable singletons: an input of many NONEs costs no memory per opcode beyond the stack.
    ValuePtr none_ = std::make_shared<Value>();
    ValuePtr empty_tuple_ = [] {
        auto v = std::make_shared<Value>();
        v->kind = Kind::Tuple;
        return v;
    }();
};

UnpickleResult Machine::run() {
    while (!stopped_) {
        op_pos_ = pos_;
        if (pos_ >= size_) throw PickleError("ends before STOP (truncated?)");
        step(std::to_integer<std::uint8_t>(data_[pos_++]));
    }
    return {result_, pos_};
}

void Machine::step(std::uint8_t op) {
    if (const auto refused = refused_opcode(op))
        throw UnsafePickleError(refused->first, std::string("refused opcode ") + refused->first +
                                                    ": it stands for " + refused->second +
                                                    ", which cannot be represented");
    switch (op) {
    case PROTO: {
        const auto version = read_le(1);
        if (version > 5) throw PickleError("unsupported protocol " + std::to_string(version));
        return;
    }
    case FRAME:
        read_le(8); // framing only groups opcodes; the data follows inline
        return;
    case STOP:
        result_ = pop();
        stopped_ = true;
        return;
    case MARK:
        if (marks_.size() >= options_.max_depth)
            throw PickleError("more than " + std::to_string(options_.max_depth) + " open MARKs");
        marks_.push_back(stack_.size());
        return;
    case POP:
        if (stack_.size() > floor()) {
            pop();
        } else {
            pop_mark();
        }
        return;
    case POP_MARK:
        pop_mark();
        return;
    case DUP:
        push(top());
        return;
    case NONE:
        push(none_);
        return;
    case NEWTRUE:
    case NEWFALSE: {
        auto v = make(Kind::Bool);
        v->boolean = op == NEWTRUE;
        push(v);
        return;
    }
    case BININT:
        push(make_int(static_cast<std::int32_t>(read_le(4))));
        return;
    case BININT1:
        push(make_int(static_cast<std::int64_t>(read_le(1))));
        return;
    case BININT2:
        push(make_int(static_cast<std::int64_t>(read_le(2))));
        return;
    case LONG1:
    case LONG4: {
        const std::uint64_t n = read_le(op == LONG1 ? 1 : 4);
        std::string bytes = read_text(n);
        if (n <= 8) {
            std::uint64_t raw = 0;
            for (std::size_t i = n; i-- > 0;)
                raw = (raw << 8) | static_cast<unsigned char>(bytes[i]);
            if (n > 0 && n < 8 && (static_cast<unsigned char>(bytes[n - 1]) & 0x80))
                raw |= ~std::uint64_t(0) << (8 * n); // sign-extend
            push(make_int(static_cast<std::int64_t>(raw)));
        } else {
            push(make_text(Kind::BigInt, std::move(bytes)));
        }
        return;
    }
    case BINFLOAT: {
        const std::uint64_t be = read_le(8); // stored big-endian
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits = (bits << 8) | ((be >> (8 * i)) & 0xff);
        auto v = make(Kind::Float);
        std::memcpy(&v->real, &bits, sizeof bits);
        push(v);
        return;
    }
    case SHORT_BINSTRING:
    case SHORT_BINBYTES:
        push(make_text(Kind::Bytes, read_text(read_le(1))));
        return;
    case BINSTRING: {
        const auto n = static_cast<std::int32_t>(read_le(4));
        if (n < 0) throw PickleError("negative string length");
        push(make_text(Kind::Bytes, read_text(static_cast<std::uint64_t>(n))));
        return;
    }
    case BINBYTES:
        push(make_text(Kind::Bytes, read_text(read_le(4))));
        return;
    case BINBYTES8:
        push(make_text(Kind::Bytes, read_text(read_le(8))));
        return;
    case SHORT_BINUNICODE:
        push(make_text(Kind::String, read_text(read_le(1))));
        return;
    case BINUNICODE:
        push(make_text(Kind::String, read_text(read_le(4))));
        return;
    case BINUNICODE8:
        push(make_text(Kind::String, read_text(read_le(8))));
        return;
    case EMPTY_TUPLE:
        push(empty_tuple_);
        return;
    case TUPLE:
        push(make_tuple(pop_mark()));
        return;
    case TUPLE1:
    case TUPLE2:
    case TUPLE3: {
        const std::size_t n = op - TUPLE1 + 1;
        if (stack_.size() < floor() + n) throw PickleError("stack underflow");
        std::vector<ValuePtr> items(std::make_move_iterator(stack_.end() - n),
                                    std::make_move_iterator(stack_.end()));
        stack_.resize(stack_.size() - n);
        push(make_tuple(std::move(items)));
        return;
    }
    case EMPTY_LIST:
        push(make(Kind::List));
        return;
    case LIST: {
        auto list = make(Kind::List);
        auto items = pop_mark();
        for (const auto& item : items)
            adopt(*list, item);
        list->items = std::move(items);
        push(list);
        return;
    }
    case APPEND: {
        ValuePtr item = pop();
        Value& list = mutable_target(*top(), Kind::List, "APPEND");
        adopt(list, item);
        list.items.push_back(std::move(item));
        settle(*top());
        return;
    }
    case APPENDS: {
        auto items = pop_mark();
        Value& list = mutable_target(*top(), Kind::List, "APPENDS");
        for (const auto& item : items)
            adopt(list, item);
        list.items.insert(list.items.end(), items.begin(), items.end());
        settle(*top());
        return;
    }
    case EMPTY_DICT:
        push(make(Kind::Dict));
        return;
    case DICT: {
        auto items = pop_mark();
        if (items.size() % 2) throw PickleError("DICT with an odd number of items");
        auto dict = make(Kind::Dict);
        for (std::size_t i = 0; i < items.size(); i += 2)
            dict_set(*dict, items[i], items[i + 1]);
        push(dict);
        return;
    }
    case SETITEM: {
        ValuePtr value = pop();
        ValuePtr key = pop();
        Value& dict = mutable_target(*top(), Kind::Dict, "SETITEM");
        dict_set(dict, key, value);
        settle(*top());
        return;
    }
    case SETITEMS: {
        auto items = pop_mark();
        if (items.size() % 2) throw PickleError("SETITEMS with an odd number of items");
        Value& dict = mutable_target(*top(), Kind::Dict, "SETITEMS");
        for (std::size_t i = 0; i < items.size(); i += 2)
            dict_set(dict, items[i], items[i + 1]);
        settle(*top());
        return;
    }
    case EMPTY_SET:
        push(make(Kind::Set));
        return;
    case ADDITEMS: {
        auto items = pop_mark();
        Value& set = *top();
        check_mutable(set, Kind::Set, "ADDITEMS");
        for (const auto& item : items)
            adopt(set, item);
        set.items.insert(set.items.end(), items.begin(), items.end());
        return;
    }
    case FROZENSET: {
        auto set = make(Kind::Set);
        auto items = pop_mark();
        for (const auto& item : items)
            adopt(*set, item);
        set->items = std::move(items);
        push(set);
        return;
    }
    case BINPUT:
        memo_put(read_le(1));
        return;
    case LONG_BINPUT:
        memo_put(read_le(4));
        return;
    case MEMOIZE:
        memo_put(memo_.size());
        return;
    case BINGET:
        push(memo_get(read_le(1)));
        return;
    case LONG_BINGET:
        push(memo_get(read_le(4)));
        return;
    case GLOBAL: {
        const std::string module = read_line();
        const std::string name = read_line();
        push_global(module, name);
        return;
    }
    case INST: { // module.name(*args since MARK), as protocol 0 instantiates: a placeholder
        const std::string module = read_line();
        const std::string name = read_line();
        ValuePtr cls = resolve_global(module, name, options_.torchscript);
        ++values_;
        push(apply_newobj(*cls, *make_tuple(pop_mark())));
        return;
    }
    case OBJ: { // MARK cls *args OBJ, as protocol 1 instantiates
        auto items = pop_mark();
        if (items.empty()) throw PickleError("OBJ without a class");
        ValuePtr cls = items.front();
        items.erase(items.begin());
        push(apply_newobj(*cls, *make_tuple(std::move(items))));
        return;
    }
    case STACK_GLOBAL: {
        const ValuePtr name = pop();
        const ValuePtr module = pop();
        if (module->kind != Kind::String || name->kind != Kind::String)
            throw PickleError("STACK_GLOBAL needs two strings");
        push_global(module->text, name->text);
        return;
    }
    case REDUCE: {
        ValuePtr args = pop();
        ValuePtr& callable = top();
        args->sealed = true;
        callable = apply_reduce(*callable, *args);
        return;
    }
    case NEWOBJ: {
        ValuePtr args = pop();
        ValuePtr& cls = top();
        args->sealed = true;
        cls = apply_newobj(*cls, *args);
        return;
    }
    case NEWOBJ_EX: { // cls.__new__(cls, *args, **kwargs): keyword arguments follow the others
        ValuePtr kwargs = pop();
        ValuePtr args = pop();
        ValuePtr& cls = top();
        if (kwargs->kind != Kind::Dict) throw PickleError("NEWOBJ_EX needs a dict of kwargs");
        args->sealed = true;
        kwargs->sealed = true;
        cls = apply_newobj(*cls, *args);
        if (!kwargs->items.empty()) {
            if (cls->kind != Kind::Placeholder)
                throw PickleError("NEWOBJ_EX passes keywords to " + to_display(*cls, 80));
            adopt(*cls, kwargs);
            cls->items.push_back(kwargs);
        }
        return;
    }
    case BUILD: {
        ValuePtr state = pop();
        ValuePtr& inst = top();
        if (inst->sealed) throw PickleError("BUILD changes an object after it was nested");
        apply_build(inst, state);
        adopt(*inst, state);
        return;
    }
    case BINPERSID: {
        ValuePtr pid = pop();
        if (!options_.persistent_load)
            throw UnsafePickleError("BINPERSID", "refused opcode BINPERSID: this pickle may "
                                                 "not refer to outside data");
        pid->sealed = true;
        ValuePtr loaded = options_.persistent_load(*pid);
        ++values_;
        push(std::move(loaded));
        return;
    }
    case INT:
    case LONG:
    case FLOAT:
    case STRING:
    case UNICODE:
    case GET:
    case PUT:
    case BYTEARRAY8:
        throw PickleError("text-protocol opcode '" + std::string(1, static_cast<char>(op)) +
                          "' is not supported");
    default:
        throw PickleError("unknown opcode 0x" + [op] {
            const char* hex = "0123456789abcdef";
            return std::string{hex[op >> 4], hex[op & 15]};
        }());
    }
}

} // namespace

UnpickleResult unpickle(const std::byte* data, std::size_t size, const UnpicklerOptions& options) {
    Machine machine(data, size, options);
    try {
        return machine.run();
    } catch (const UnsafePickleError&) {
        throw;
    } catch (const PickleError& e) {
        throw PickleError("pickle byte " + std::to_string(machine.opcode_position()) + ": " +
                          e.what());
    } catch (const std::logic_error& e) { // invalid_argument / out_of_range from helpers
        throw PickleError("pickle byte " + std::to_string(machine.opcode_position()) + ": " +
                          e.what());
    }
}

} // namespace nnscope::io::pickle
