#pragma once
// Runs an op case recorded by tests/golden/gen_ops_shape_index.py: inputs `key.in<i>`, output
// `key.out`, upstream gradient `key.grad_out` and the gradient of each floating input
// `key.grad<i>` (absent when PyTorch gave none). Shared by tst_views and tst_index.

#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>
#include <functional>
#include <string>
#include <vector>

namespace nnscope::test {

using CaseFn = std::function<Tensor(const std::vector<Tensor>& inputs)>;
using ThrowingCall = std::function<void()>;

inline std::vector<Tensor> case_inputs(const GoldenFile& golden, const std::string& key) {
    std::vector<Tensor> inputs;
    for (int i = 0; golden.has(key + ".in" + std::to_string(i)); ++i)
        inputs.push_back(golden.tensor(key + ".in" + std::to_string(i)));
    return inputs;
}

// Floating inputs become leaves that require grad; returns the output of fn on them.
inline Tensor run_case(const GoldenFile& golden, const std::string& key, const CaseFn& fn,
                       std::vector<Tensor>& leaves) {
    leaves = case_inputs(golden, key);
    for (Tensor& t : leaves) {
        t = t.clone();
        if (t.is_floating_point()) t.requires_grad_(true);
    }
    return fn(leaves);
}

// Compares output and gradients with PyTorch's; reports through QTest (check
// QTest::currentTestFailed() after it).
inline void check_case(const GoldenFile& golden, const std::string& key, const CaseFn& fn,
                       double atol = 1e-5, double rtol = 1e-4) {
    std::vector<Tensor> leaves;
    Tensor out = run_case(golden, key, fn, leaves);
    NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), atol, rtol);
    if (!golden.has(key + ".grad_out")) {
        QVERIFY2(!out.requires_grad(), "PyTorch's output does not require grad, ours does");
        return;
    }
    out.backward(golden.tensor(key + ".grad_out"));
    for (std::size_t i = 0; i < leaves.size(); ++i) {
        const std::string name = key + ".grad" + std::to_string(i);
        if (!golden.has(name)) continue;
        QVERIFY2(leaves[i].grad().defined(), name.c_str());
        NNSCOPE_COMPARE_TENSORS(leaves[i].grad(), golden.tensor(name), atol, rtol);
    }
}

// Finite differences in float64 on the case's inputs; integer inputs are not differentiated.
inline void gradcheck_case(const GoldenFile& golden, const std::string& key, const CaseFn& fn) {
    std::vector<Tensor> inputs = case_inputs(golden, key);
    GradcheckOptions options;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].is_floating_point())
            inputs[i] = inputs[i].to(DType::Float64);
        else
            options.non_differentiable.push_back(i);
    }
    if (options.non_differentiable.size() == inputs.size()) return; // nothing to differentiate
    NNSCOPE_GRADCHECK(fn, inputs, options);
}

// Runs `call`, which must throw; the message must contain `expected`.
inline void check_throws_with(const ThrowingCall& call, const std::string& expected) {
    try {
        call();
    } catch (const std::exception& error) {
        const std::string message = error.what();
        QVERIFY2(message.find(expected) != std::string::npos,
                 qPrintable(
                     QStringLiteral("message \"%1\" lacks \"%2\"")
                         .arg(QString::fromStdString(message), QString::fromStdString(expected))));
        return;
    }
    QFAIL(qPrintable(
        QStringLiteral("no exception; expected \"%1\"").arg(QString::fromStdString(expected))));
}

} // namespace nnscope::test

Q_DECLARE_METATYPE(nnscope::test::CaseFn)
Q_DECLARE_METATYPE(nnscope::test::ThrowingCall)
