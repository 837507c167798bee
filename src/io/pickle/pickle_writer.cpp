#include "io/pickle/pickle_writer.h"

#include <algorithm>
#include <stdexcept>

namespace nnscope::io::pickle {

namespace {

// Python's pickler writes dict items in batches of this many (pickle.Pickler._BATCHSIZE).
constexpr std::size_t batch_size = 1000;

void append_le(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

} // namespace

PickleWriter::PickleWriter() {
    out_ = "\x80\x02"; // PROTO 2
}

void PickleWriter::put_memo(std::string key) {
    const auto index = static_cast<std::uint32_t>(memo_.size());
    memo_.emplace(std::move(key), index);
    if (index < 256) {
        out_.push_back('q'); // BINPUT
        out_.push_back(static_cast<char>(index));
    } else {
        out_.push_back('r'); // LONG_BINPUT
        append_le(out_, index, 4);
    }
}

bool PickleWriter::get_memo(const std::string& key) {
    const auto it = memo_.find(key);
    if (it == memo_.end()) return false;
    if (it->second < 256) {
        out_.push_back('h'); // BINGET
        out_.push_back(static_cast<char>(it->second));
    } else {
        out_.push_back('j'); // LONG_BINGET
        append_le(out_, it->second, 4);
    }
    return true;
}

void PickleWriter::global(std::string_view module, std::string_view name) {
    std::string key = "g:" + std::string(module) + '\n' + std::string(name);
    if (get_memo(key)) return;
    if (module.find('\n') != std::string_view::npos || name.find('\n') != std::string_view::npos)
        throw std::invalid_argument("pickle global names cannot contain a newline");
    out_.push_back('c'); // GLOBAL
    out_ += module;
    out_.push_back('\n');
    out_ += name;
    out_.push_back('\n');
    put_memo(std::move(key));
}

void PickleWriter::string(std::string_view text) {
    std::string key = "s:" + std::string(text);
    if (get_memo(key)) return;
    if (text.size() > 0xffffffffu) throw std::invalid_argument("pickle string over 4 GB");
    out_.push_back('X'); // BINUNICODE
    append_le(out_, text.size(), 4);
    out_ += text;
    put_memo(std::move(key));
}

void PickleWriter::integer(std::int64_t value) {
    if (value >= 0 && value < 256) {
        out_.push_back('K'); // BININT1
        out_.push_back(static_cast<char>(value));
    } else if (value >= 0 && value < 65536) {
        out_.push_back('M'); // BININT2
        append_le(out_, static_cast<std::uint64_t>(value), 2);
    } else if (value >= INT32_MIN && value <= INT32_MAX) {
        out_.push_back('J'); // BININT
        append_le(out_, static_cast<std::uint32_t>(static_cast<std::int32_t>(value)), 4);
    } else {
        // LONG1: the shortest little-endian two's complement form, as Python's encode_long.
        std::string bytes;
        append_le(bytes, static_cast<std::uint64_t>(value), 8);
        while (bytes.size() > 1) {
            const auto last = static_cast<unsigned char>(bytes.back());
            const auto before = static_cast<unsigned char>(bytes[bytes.size() - 2]);
            if ((last == 0x00 && !(before & 0x80)) || (last == 0xff && (before & 0x80)))
                bytes.pop_back();
            else
                break;
        }
        out_.push_back('\x8a'); // LONG1
        out_.push_back(static_cast<char>(bytes.size()));
        out_ += bytes;
    }
}

void PickleWriter::boolean(bool value) {
    out_.push_back(value ? '\x88' : '\x89'); // NEWTRUE / NEWFALSE
}

void PickleWriter::none() {
    out_.push_back('N');
}

void PickleWriter::mark() {
    out_.push_back('(');
}

void PickleWriter::begin_tuple(std::size_t size) {
    if (size > 3) mark();
}

void PickleWriter::end_tuple(std::size_t size) {
    static constexpr char small[] = {')', '\x85', '\x86', '\x87'}; // EMPTY_TUPLE, TUPLE1..3
    out_.push_back(size <= 3 ? small[size] : 't');
}

void PickleWriter::reduce() {
    out_.push_back('R');
}

void PickleWriter::persistent_id() {
    out_.push_back('Q'); // BINPERSID
}

void PickleWriter::stop() {
    out_.push_back('.');
}

void PickleWriter::ordered_dict(std::size_t count,
                                const std::function<void(std::size_t)>& push_item) {
    global("collections", "OrderedDict");
    end_tuple(0);
    reduce();
    for (std::size_t first = 0; first < count; first += batch_size) {
        const std::size_t n = std::min(batch_size, count - first);
        if (n > 1) mark();
        for (std::size_t i = first; i < first + n; ++i)
            push_item(i);
        out_.push_back(n > 1 ? 'u' : 's'); // SETITEMS / SETITEM
    }
}

} // namespace nnscope::io::pickle
