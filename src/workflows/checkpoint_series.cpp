#include "workflows/checkpoint_series.h"

#include "io/model_document.h"
#include "io/open_model.h"
#include "workflows/checkpoint_diff.h"
#include "workflows/tensor_diff.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

namespace nnscope::workflows {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Euclidean norm of the finite elements from their statistics: sum x^2 = (n - 1) std^2 + n mean^2
// (both terms positive, so nothing cancels), which spares a third pass over the tensor.
double norm_from(const stats::TensorStats& s) {
    if (s.finite == 0) return 0.0;
    const double n = static_cast<double>(s.finite);
    const double spread = s.finite > 1 ? (n - 1) * s.std * s.std : 0.0;
    return std::sqrt(spread + n * s.mean * s.mean);
}

} // namespace

bool natural_less(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (is_digit(a[i]) && is_digit(b[j])) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && is_digit(a[ei]))
                ++ei;
            while (ej < b.size() && is_digit(b[ej]))
                ++ej;
            std::string_view na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
            while (na.size() > 1 && na.front() == '0')
                na.remove_prefix(1);
            while (nb.size() > 1 && nb.front() == '0')
                nb.remove_prefix(1);
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j]) return a[i] < b[j];
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
    return a < b; // equal numerically ("01" and "1"): a stable, total order
}

const TensorSeries* CheckpointSeries::find(std::string_view name) const {
    for (const TensorSeries& t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

std::vector<fs::path> checkpoint_files(const fs::path& dir, std::vector<std::string>* skipped) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir.string() + ": not a folder");
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const fs::path& path = it->path();
        std::string why;
        try {
            if (!io::detect_model_format(path).empty()) {
                files.push_back(path);
                continue;
            }
            why = "not a model file";
        } catch (const std::exception& e) {
            why = e.what();
        }
        if (skipped) skipped->push_back(path.filename().string() + ": " + why);
    }
    if (ec) throw std::runtime_error(dir.string() + ": cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end(), [](const fs::path& x, const fs::path& y) {
        return natural_less(x.filename().string(), y.filename().string());
    });
    if (skipped)
        std::sort(skipped->begin(), skipped->end(),
                  [](const std::string& x, const std::string& y) { return natural_less(x, y); });
    return files;
}

SeriesBuilder::SeriesBuilder(const fs::path& dir) {
    files_ = checkpoint_files(dir, &series_.skipped);
    if (files_.empty()) throw std::runtime_error(dir.string() + ": no model file in the folder");
    for (const fs::path& file : files_)
        series_.files.push_back(file.filename().string());
}

SeriesBuilder::~SeriesBuilder() = default;

TensorSeries& SeriesBuilder::seriesOf(const std::string& name) {
    if (const auto found = index_.find(name); found != index_.end())
        return series_.tensors[found->second];
    index_.emplace(name, series_.tensors.size());
    TensorSeries& t = series_.tensors.emplace_back();
    t.name = name;
    const std::size_t n = files_.size();
    for (auto* v : {&t.mean, &t.std, &t.min, &t.max, &t.norm, &t.change})
        v->assign(n, kNaN);
    return t;
}

void SeriesBuilder::next(const stats::StopRequested& stop) {
    if (done()) return;
    const std::size_t i = next_;
    auto doc = std::make_unique<io::ModelDocument>();
    try {
        *doc = io::open_model(files_[i]);
    } catch (const std::exception& e) {
        series_.skipped.push_back(files_[i].filename().string() + ": " + e.what());
        previous_.reset();
        ++next_;
        return;
    }
    std::map<std::string, const io::TensorEntry*> previous;
    if (previous_)
        for (const auto& [name, entry] : matched_entries(*previous_))
            previous.emplace(name, entry);
    for (const auto& [name, entry] : matched_entries(*doc)) {
        TensorSeries& t = seriesOf(name);
        if (!entry->stored_dtype.empty()) continue;
        try {
            const Tensor x = entry->load();
            const stats::TensorStats s = stats::tensor_stats(x, stop);
            t.mean[i] = s.mean;
            t.std[i] = s.std;
            t.min[i] = s.min;
            t.max[i] = s.max;
            t.norm[i] = norm_from(s);
            const auto before = previous.find(name);
            if (before != previous.end() && before->second->shape == entry->shape &&
                before->second->stored_dtype.empty())
                t.change[i] = diff_tensors(before->second->load(), x, 0, stop).relative_change;
        } catch (const stats::StatsCancelled&) {
            throw;
        } catch (const std::exception& e) {
            series_.skipped.push_back(files_[i].filename().string() + ": " + name + ": " +
                                      e.what());
        }
    }
    previous_ = std::move(doc);
    ++next_;
}

double SeriesBuilder::progress() const {
    return files_.empty() ? 1.0 : static_cast<double>(next_) / static_cast<double>(files_.size());
}

CheckpointSeries SeriesBuilder::take() {
    CheckpointSeries out = std::move(series_);
    series_ = {};
    index_.clear();
    previous_.reset();
    next_ = files_.size();
    return out;
}

} // namespace nnscope::workflows
