#pragma once
// Protobuf wire format by hand, enough for tests to build or extend ONNX messages byte by byte
// (hostile shapes that onnx's Python API will not write).

#include <cstdint>
#include <string>

namespace nnscope::test {

inline std::string varint(std::uint64_t v) {
    std::string out;
    do {
        out += static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return out;
}

// A length-delimited field (bytes, string, message).
inline std::string field_bytes(int number, const std::string& bytes) {
    return varint(static_cast<std::uint64_t>(number) << 3 | 2) + varint(bytes.size()) + bytes;
}

inline std::string field_varint(int number, std::uint64_t value) {
    return varint(static_cast<std::uint64_t>(number) << 3) + varint(value);
}

} // namespace nnscope::test
