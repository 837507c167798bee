// How the tensor table orders its rows: numbers as numbers, shapes by element count then by their
// dimensions, text in natural order (layer2 before layer10). Rows without a value (statistics
// not computed yet, or NaN) go last in either order; ties keep the file's order, so a sort gives
// the same rows whatever order they were in and stays put while statistics stream in.

#include "engine/tensor.h"
#include "ui/models/tensor_table_model.h"

#include <QStringView>
#include <algorithm>
#include <cmath>
#include <functional>

namespace nnscope::ui {

namespace {

template <typename T> int three_way(const T& a, const T& b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

// Natural order: runs of digits compare as numbers ("layer2" before "layer10"), the rest
// case-insensitively. (QCollator's numeric mode does nothing in the C locale.)
int natural_compare(const QString& a, const QString& b) {
    qsizetype i = 0, j = 0;
    const auto digits = [](const QString& s, qsizetype& k) {
        const qsizetype start = k;
        while (k < s.size() && s[k].isDigit())
            ++k;
        QStringView run = QStringView(s).mid(start, k - start);
        while (run.size() > 1 && run.front() == QLatin1Char('0'))
            run = run.mid(1);
        return run;
    };
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            const QStringView x = digits(a, i), y = digits(b, j);
            if (const int c = three_way(x.size(), y.size())) return c;
            if (const int c = x.compare(y)) return c < 0 ? -1 : 1;
            continue;
        }
        if (const int c = three_way(a[i].toCaseFolded(), b[j].toCaseFolded())) return c;
        ++i;
        ++j;
    }
    return three_way(a.size() - i, b.size() - j);
}

int compare_shapes(const session::TensorRow& a, const session::TensorRow& b) {
    if (const int c = three_way(a.numel, b.numel)) return c;
    if (const int c = three_way(a.shape.size(), b.shape.size())) return c;
    return three_way(a.shape, b.shape);
}

} // namespace

void TensorTableModel::sortRows() {
    if (!document_) return;
    if (sort_column_ < 0) {
        std::sort(rows_.begin(), rows_.end());
        return;
    }
    const auto& tensors = document_->tensors;
    const auto tensor = [&](int i) -> const session::TensorRow& {
        return tensors[static_cast<std::size_t>(i)];
    };
    // A statistic of the tensor, nullopt when not computed yet or NaN.
    const auto statistic = [&](int i) -> std::optional<double> {
        const auto it = stats_.find(tensor(i).name);
        if (it == stats_.end()) return std::nullopt;
        const session::TensorStats& s = it->second;
        double v = 0;
        switch (sort_column_) {
        case Min:
            v = s.min;
            break;
        case Max:
            v = s.max;
            break;
        case Mean:
            v = s.mean;
            break;
        case Std:
            v = s.std;
            break;
        default:
            v = static_cast<double>(s.nan + s.pos_inf + s.neg_inf);
            break;
        }
        return std::isnan(v) ? std::nullopt : std::optional<double>(v);
    };
    // Three-way comparison of two rows' values; both have one.
    std::function<int(int, int)> compare;
    switch (sort_column_) {
    case Shape:
        compare = [&](int a, int b) { return compare_shapes(tensor(a), tensor(b)); };
        break;
    case Numel:
        compare = [&](int a, int b) { return three_way(tensor(a).numel, tensor(b).numel); };
        break;
    case Min:
    case Max:
    case Mean:
    case Std:
    case NonFinite:
        compare = [&](int a, int b) { return three_way(*statistic(a), *statistic(b)); };
        break;
    default: // text as shown
        compare = [&](int a, int b) {
            return natural_compare(display(tensor(a), sort_column_).toString(),
                                   display(tensor(b), sort_column_).toString());
        };
        break;
    }
    const bool by_statistic = sortsByStatistics();
    const auto has_value = [&](int i) { return !by_statistic || statistic(i).has_value(); };
    const bool descending = sort_order_ == Qt::DescendingOrder;
    std::stable_sort(rows_.begin(), rows_.end(), [&](int a, int b) {
        const bool va = has_value(a), vb = has_value(b);
        if (va != vb) return va; // rows with a value first
        if (va) {
            const int c = compare(a, b);
            if (c != 0) return descending ? c > 0 : c < 0;
        }
        return a < b;
    });
}

} // namespace nnscope::ui
