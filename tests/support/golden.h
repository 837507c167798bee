#pragma once
// Golden data for tests: safetensors files written by tests/golden/gen_<topic>.py from real
// PyTorch, and the comparisons tests make against them.

#include "engine/tensor.h"
#include "io/safetensors.h"

#include <QString>
#include <QtTest>
#include <string>
#include <vector>

namespace nnscope::test {

// A file under tests/golden/, e.g. GoldenFile("elementwise/add.safetensors").
class GoldenFile {
public:
    explicit GoldenFile(const std::string& relative_path);

    // Throws std::out_of_range naming the file and the tensor when it is missing.
    Tensor tensor(const std::string& name) const;
    bool has(const std::string& name) const;
    // Throws std::out_of_range naming the file and the key when it is missing.
    std::string metadata(const std::string& key) const;
    bool hasMetadata(const std::string& key) const;
    std::vector<std::string> names() const; // data offset order, i.e. the order written
    const std::string& path() const { return path_; }

private:
    std::string path_;
    io::SafetensorsFile file_;
};

// torch.allclose semantics, |actual - expected| <= atol + rtol * |expected| element-wise, with
// NaN equal to NaN and infinities equal only to themselves. Shapes and dtypes must match. On
// failure `why` (when given) names the first mismatching index, both values and the max abs error.
bool allclose(const Tensor& actual, const Tensor& expected, double atol = 1e-5, double rtol = 1e-4,
              QString* why = nullptr);

// Same shape, same dtype and identical bytes element by element (integers, bools, bit-exact
// floats: -0.0 differs from 0.0 and NaNs must carry the same bits).
bool equal_exact(const Tensor& actual, const Tensor& expected, QString* why = nullptr);

// tests/../../shared, where the large shared data sets and models live ($NNSCOPE_SHARED_DIR
// first, when it names a folder).
QString sharedDir();
// Whether sharedDir()/sub exists; tests skip with QSKIP when it does not.
bool haveShared(const char* sub);

} // namespace nnscope::test

#define NNSCOPE_COMPARE_TENSORS(actual, expected, atol, rtol)                                      \
    do {                                                                                           \
        QString nnscope_why_;                                                                      \
        if (!::nnscope::test::allclose((actual), (expected), (atol), (rtol), &nnscope_why_))       \
            QFAIL(qPrintable(nnscope_why_));                                                       \
    } while (false)

#define NNSCOPE_COMPARE_TENSORS_EXACT(actual, expected)                                            \
    do {                                                                                           \
        QString nnscope_why_;                                                                      \
        if (!::nnscope::test::equal_exact((actual), (expected), &nnscope_why_))                    \
            QFAIL(qPrintable(nnscope_why_));                                                       \
    } while (false)
