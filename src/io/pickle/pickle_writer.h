#pragma once
// Emits protocol-2 pickle opcodes as Python's pickler writes them for the values torch.save
// pickles: BINUNICODE strings and GLOBALs memoized (BINPUT/BINGET) so each is spelled once,
// BININT1/BININT2/BININT/LONG1 integers, EMPTY_TUPLE/TUPLE1-3/MARK..TUPLE tuples, and
// OrderedDicts as GLOBAL + EMPTY_TUPLE + REDUCE followed by SETITEM(S) in batches of 1000. It
// only writes opcodes that PyTorch 1.13's weights_only unpickler accepts (no BINFLOAT).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace nnscope::io::pickle {

class PickleWriter {
public:
    PickleWriter(); // PROTO 2

    void global(std::string_view module, std::string_view name);
    void string(std::string_view text); // must be valid UTF-8
    void integer(std::int64_t value);
    void boolean(bool value);
    void none();
    void mark();
    // Closes a tuple of `size` items: call begin_tuple(size) before pushing them.
    void begin_tuple(std::size_t size);
    void end_tuple(std::size_t size);
    void reduce();        // callable args -> callable(*args)
    void persistent_id(); // BINPERSID: the tuple on the stack names an external object
    void stop();

    // An OrderedDict of `count` items; push_item(i) pushes the i-th key and then its value.
    void ordered_dict(std::size_t count, const std::function<void(std::size_t)>& push_item);

    const std::string& bytes() const { return out_; }

private:
    void put_memo(std::string key);
    bool get_memo(const std::string& key);

    std::string out_;
    std::map<std::string, std::uint32_t> memo_;
};

} // namespace nnscope::io::pickle
