#include "support/golden.h"

#include "io/tensor_bytes.h"
#include "support/result_dump.h"

#include <QDir>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace nnscope::test {

namespace {

// "[1, 2]" for the flat element index `flat` of a row-major tensor of `shape`.
QString index_string(const Shape& shape, std::int64_t flat) {
    std::vector<std::int64_t> index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = flat % shape[d];
        flat /= shape[d];
    }
    QStringList parts;
    for (auto i : index)
        parts << QString::number(i);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

QString shape_string(const Shape& shape) {
    return QString::fromStdString(shape_to_string(shape));
}

QString number(double value) {
    return QString::number(value, 'g', 17);
}

// Shared preconditions of both comparisons; fills `why` and returns false when they fail.
bool same_layout(const Tensor& actual, const Tensor& expected, QString* why) {
    QString problem;
    if (!actual.defined() || !expected.defined())
        problem =
            QStringLiteral("undefined tensor (actual %1, expected %2)")
                .arg(actual.defined() ? QLatin1String("defined") : QLatin1String("undefined"),
                     expected.defined() ? QLatin1String("defined") : QLatin1String("undefined"));
    else if (actual.shape() != expected.shape())
        problem = QStringLiteral("shape mismatch: actual %1, expected %2")
                      .arg(shape_string(actual.shape()), shape_string(expected.shape()));
    else if (actual.dtype() != expected.dtype())
        problem = QStringLiteral("dtype mismatch: actual %1, expected %2")
                      .arg(QLatin1String(dtype_name(actual.dtype()).data()),
                           QLatin1String(dtype_name(expected.dtype()).data()));
    if (problem.isEmpty()) return true;
    if (why) *why = problem;
    return false;
}

} // namespace

GoldenFile::GoldenFile(const std::string& relative_path)
    : path_(std::string(NNSCOPE_GOLDEN_DIR) + "/" + relative_path)
    , file_(path_) {}

Tensor GoldenFile::tensor(const std::string& name) const {
    if (!file_.contains(name))
        throw std::out_of_range("golden file '" + path_ + "' has no tensor '" + name + "'");
    return file_.tensor(name);
}

bool GoldenFile::has(const std::string& name) const {
    return file_.contains(name);
}

std::string GoldenFile::metadata(const std::string& key) const {
    const auto found = file_.metadata().find(key);
    if (found == file_.metadata().end())
        throw std::out_of_range("golden file '" + path_ + "' has no metadata '" + key + "'");
    return found->second;
}

bool GoldenFile::hasMetadata(const std::string& key) const {
    return file_.metadata().count(key) != 0;
}

std::vector<std::string> GoldenFile::names() const {
    return file_.names();
}

bool allclose(const Tensor& actual, const Tensor& expected, double atol, double rtol,
              QString* why) {
    record_result(actual);
    if (!same_layout(actual, expected, why)) return false;
    const std::vector<double> a = io::to_double_values(actual);
    const std::vector<double> e = io::to_double_values(expected);
    std::int64_t first_bad = -1;
    double max_error = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        bool close;
        if (std::isnan(a[i]) || std::isnan(e[i]))
            close = std::isnan(a[i]) && std::isnan(e[i]);
        else if (std::isinf(a[i]) || std::isinf(e[i]))
            close = a[i] == e[i];
        else
            close = std::fabs(a[i] - e[i]) <= atol + rtol * std::fabs(e[i]);
        if (std::isfinite(a[i]) && std::isfinite(e[i]))
            max_error = std::max(max_error, std::fabs(a[i] - e[i]));
        if (!close && first_bad < 0) first_bad = static_cast<std::int64_t>(i);
    }
    if (first_bad < 0) return true;
    if (why) {
        const auto i = static_cast<std::size_t>(first_bad);
        *why = QStringLiteral("tensors differ at index %1 of shape %2: actual %3, expected %4 "
                              "(atol %5, rtol %6, max abs error over finite pairs %7)")
                   .arg(index_string(actual.shape(), first_bad), shape_string(actual.shape()),
                        number(a[i]), number(e[i]), number(atol), number(rtol), number(max_error));
    }
    return false;
}

bool equal_exact(const Tensor& actual, const Tensor& expected, QString* why) {
    record_result(actual);
    if (!same_layout(actual, expected, why)) return false;
    const std::size_t item = element_size(actual.dtype());
    const auto count = static_cast<std::size_t>(actual.numel());
    std::vector<std::byte> a(count * item), e(count * item);
    io::copy_to_contiguous_bytes(actual, a.data());
    io::copy_to_contiguous_bytes(expected, e.data());
    for (std::size_t i = 0; i < count; ++i) {
        if (std::memcmp(a.data() + i * item, e.data() + i * item, item) == 0) continue;
        if (why) {
            const auto av = io::to_double_values(actual), ev = io::to_double_values(expected);
            *why = QStringLiteral("tensors differ at index %1 of shape %2: actual %3, expected %4 "
                                  "(exact comparison)")
                       .arg(index_string(actual.shape(), static_cast<std::int64_t>(i)),
                            shape_string(actual.shape()), number(av[i]), number(ev[i]));
        }
        return false;
    }
    return true;
}

QString sharedDir() {
    // A worktree sits a level deeper than the shared folder: the environment can point at it.
    const QByteArray env = qgetenv("NNSCOPE_SHARED_DIR");
    if (!env.isEmpty() && QDir(QString::fromLocal8Bit(env)).exists())
        return QString::fromLocal8Bit(env);
    return QStringLiteral(NNSCOPE_SHARED_DIR);
}

bool haveShared(const char* sub) {
    return QDir(sharedDir() + QLatin1Char('/') + QLatin1String(sub)).exists();
}

} // namespace nnscope::test
