#pragma once
// Shared by tst_activation, tst_reduce and tst_loss: the cases of the golden files in
// tests/golden/ops_arl/ (written by gen_ops_activation_reduce_loss.py), whose "cases" metadata
// lists every case with its arguments, turned into Qt Test data rows.

#include "engine/autograd/node.h"
#include "engine/tensor.h"
#include "support/errors.h"
#include "support/golden.h"

#include <QtTest>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace nnscope::test::arl {

using Case = nlohmann::json;

// Case name -> its arguments, read once per file.
inline const std::map<std::string, Case>& cases(const std::string& file) {
    static std::map<std::string, std::map<std::string, Case>> cache;
    auto& entry = cache[file];
    if (entry.empty()) {
        const GoldenFile golden(file);
        for (const Case& c : nlohmann::json::parse(golden.metadata("cases")))
            entry[c.at("name").get<std::string>()] = c;
    }
    return entry;
}

// One data row "name" per case of the file.
inline void add_case_rows(const std::string& file) {
    QTest::addColumn<QString>("name");
    for (const auto& entry : cases(file))
        QTest::newRow(entry.first.c_str()) << QString::fromStdString(entry.first);
}

// The case of the running data row (the "name" column of add_case_rows) and its golden file:
// auto [key, c, golden] = current_case(kFile); tensors of the case are golden.tensor(key + ".x").
struct CurrentCase {
    std::string key;
    const Case& args;
    GoldenFile golden;
};
inline CurrentCase current_case(const std::string& file) {
    QFETCH(QString, name);
    std::string key = name.toStdString();
    const Case& args = cases(file).at(key);
    return {std::move(key), args, GoldenFile(file)};
}

// A fresh leaf with the values of t, requiring grad when it is floating.
inline Tensor leaf(const Tensor& t) {
    Tensor l = t.clone();
    if (l.is_floating_point()) l.requires_grad_(true);
    return l;
}

// The project's float32 tolerance against PyTorch; float64 agrees far more closely.
inline double atol_for(DType dtype) {
    return dtype == DType::Float64 ? 1e-10 : 1e-5;
}
inline double rtol_for(DType dtype) {
    return dtype == DType::Float64 ? 1e-9 : 1e-4;
}

// The case ran on x.transpose(0, -1) when "transpose" is set: a strided, non-contiguous view.
inline Tensor maybe_transpose(const Tensor& x, const Case& c) {
    return c.value("transpose", false) ? x.transpose(0, -1) : x;
}

// Compares `out` with golden `key.out`, then runs backward with `key.grad_out` (when the file
// has one) and compares each leaf's gradient with golden `key.<suffix>`, at the tolerance of the
// output's dtype. Fails the running test on the first mismatch.
inline void check_case(const GoldenFile& golden, const std::string& key, const Tensor& out,
                       std::initializer_list<std::pair<const char*, Tensor>> leaves) {
    const double atol = atol_for(out.dtype());
    const double rtol = rtol_for(out.dtype());
    NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), atol, rtol);
    if (!golden.has(key + ".grad_out")) return;
    out.backward(golden.tensor(key + ".grad_out"));
    for (const auto& [suffix, leaf] : leaves) {
        const std::string name = key + "." + suffix;
        if (golden.has(name)) NNSCOPE_COMPARE_TENSORS(leaf.grad(), golden.tensor(name), atol, rtol);
    }
}

// what() of the exception fn throws, or "<no error>" (support/errors.h).
template <class Fn> std::string error_of(Fn&& fn) {
    return error_message(std::forward<Fn>(fn));
}

} // namespace nnscope::test::arl

// Checks that expr throws and that the message contains `needle`.
#define ARL_EXPECT_ERROR(expr, needle)                                                             \
    do {                                                                                           \
        const std::string arl_message_ = ::nnscope::test::arl::error_of([&] { (void)(expr); });    \
        QVERIFY2(arl_message_.find(needle) != std::string::npos, arl_message_.c_str());            \
    } while (false)
