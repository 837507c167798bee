#include "support/result_dump.h"

#include "engine/dtype.h"
#include "io/tensor_bytes.h"

#include <QtTest>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

namespace nnscope::test {

namespace {

void put_u64(std::string& out, std::uint64_t v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

std::uint64_t get_u64(std::ifstream& in) {
    std::uint64_t v = 0;
    in.read(reinterpret_cast<char*>(&v), sizeof v);
    return v;
}

} // namespace

void record_result(const Tensor& actual) {
    static const char* path = std::getenv("NNSCOPE_RESULT_DUMP");
    if (!path || !*path || !actual.defined()) return;
    // Records are numbered per test function and data tag, so a test that compares a varying
    // number of tensors shows up as a missing or extra record rather than a shifted one.
    static std::map<std::string, int> counters;
    std::string name = QTest::currentTestFunction() ? QTest::currentTestFunction() : "?";
    name += '/';
    name += QTest::currentDataTag() ? QTest::currentDataTag() : "";
    name += '#' + std::to_string(counters[name]++);

    std::string body;
    put_u64(body, static_cast<std::uint64_t>(actual.dtype()));
    put_u64(body, actual.shape().size());
    for (const auto d : actual.shape())
        put_u64(body, static_cast<std::uint64_t>(d));
    const std::size_t bytes =
        element_size(actual.dtype()) * static_cast<std::size_t>(actual.numel());
    const std::size_t head = body.size();
    body.resize(head + bytes);
    if (bytes > 0) io::copy_to_contiguous_bytes(actual, reinterpret_cast<std::byte*>(&body[head]));

    std::ofstream out(path, std::ios::binary | std::ios::app);
    std::string record;
    put_u64(record, name.size());
    record += name;
    put_u64(record, body.size());
    record += body;
    out.write(record.data(), static_cast<std::streamsize>(record.size()));
}

std::vector<ResultRecord> read_results(const std::string& path) {
    std::vector<ResultRecord> records;
    std::ifstream in(path, std::ios::binary);
    if (!in) return records; // the test compared nothing
    while (in.peek() != std::ifstream::traits_type::eof()) {
        ResultRecord r;
        const std::uint64_t name_size = get_u64(in);
        if (!in || name_size > 4096) throw std::runtime_error("torn record in " + path);
        r.name.resize(name_size);
        in.read(r.name.data(), static_cast<std::streamsize>(name_size));
        const std::uint64_t body_size = get_u64(in);
        if (!in || body_size > (std::uint64_t{1} << 34))
            throw std::runtime_error("torn record in " + path);
        r.bytes.resize(body_size);
        in.read(r.bytes.data(), static_cast<std::streamsize>(body_size));
        if (!in) throw std::runtime_error("torn record in " + path);
        records.push_back(std::move(r));
    }
    return records;
}

} // namespace nnscope::test
