// ConfigForm: the widgets to and from a DataLoaderConfig.

#include "data/config_error.h"
#include "data/loader_factory.h"
#include "data/transforms/parse_transform.h"
#include "ui/lab/config_form.h"
#include "ui/lab/field_error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <cmath>

namespace nnscope::ui {

namespace {

using data::ConfigError;

// "1, 2.5, 3" (commas or spaces); ConfigError naming `field` for an item that is not a number.
std::vector<double> numbers(const QString& text, const std::string& field) {
    std::vector<double> out;
    const auto items =
        text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString& item : items) {
        bool ok = false;
        const double v = item.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            throw ConfigError(field,
                              "{" + field + "}: '" + item.toStdString() + "' is not a number");
        out.push_back(v);
    }
    return out;
}

std::vector<std::int64_t> whole_numbers(const QString& text, const std::string& field) {
    std::vector<std::int64_t> out;
    for (const double v : numbers(text, field)) {
        if (v != std::floor(v))
            throw ConfigError(field,
                              "{" + field + "}: " + std::to_string(v) + " is not a whole number");
        out.push_back(static_cast<std::int64_t>(v));
    }
    return out;
}

// An index set as the form writes it: "begin:end" or a list.
struct Indices {
    std::optional<std::vector<std::int64_t>> list;
    std::optional<std::pair<std::int64_t, std::int64_t>> range;
};
Indices indices(const QString& text, const std::string& field) {
    Indices out;
    const QString t = text.trimmed();
    if (t.isEmpty()) return out;
    if (t.contains(QLatin1Char(':'))) {
        const auto ends =
            whole_numbers(QString(t).replace(QLatin1Char(':'), QLatin1Char(' ')), field);
        if (ends.size() != 2)
            throw ConfigError(field, "{" + field + "}: write a range as begin:end");
        out.range = std::pair{ends[0], ends[1]};
    } else {
        out.list = whole_numbers(t, field);
    }
    return out;
}

QString indices_text(const std::optional<std::vector<std::int64_t>>& list,
                     const std::optional<std::pair<std::int64_t, std::int64_t>>& range) {
    if (range) return QStringLiteral("%1:%2").arg(range->first).arg(range->second);
    QStringList items;
    if (list)
        for (auto i : *list)
            items << QString::number(i);
    return items.join(QStringLiteral(", "));
}

QString numbers_text(const std::vector<double>& values) {
    QStringList items;
    for (double v : values)
        items << QString::number(v, 'g', 17);
    return items.join(QStringLiteral(", "));
}

std::optional<std::uint64_t> seed_value(const QLineEdit* e) {
    if (e->text().isEmpty()) return std::nullopt;
    bool ok = false;
    const auto v = e->text().toULongLong(&ok);
    if (!ok)
        throw ConfigError(e->objectName().toStdString(),
                          "{" + e->objectName().toStdString() + "}: a seed is at most 2^64 - 1");
    return v;
}

QString seed_text(std::optional<std::uint64_t> seed) {
    return seed ? QString::number(*seed) : QString();
}

std::optional<std::int64_t> count(const QSpinBox* s) {
    return s->value() == s->minimum() ? std::nullopt : std::optional<std::int64_t>(s->value());
}

int clamp(std::int64_t v) {
    return static_cast<int>(std::clamp<std::int64_t>(v, std::numeric_limits<int>::min(),
                                                     std::numeric_limits<int>::max()));
}

} // namespace

void ConfigForm::setConfiguration(const data::DataLoaderConfig& c) {
    filling_ = true;
    dataset_->setEditText(QString::fromStdString(c.dataset));
    split_->setCurrentIndex(c.test_split ? 1 : 0);
    part_->setCurrentIndex(static_cast<int>(c.part.index()));
    subset_->clear();
    split_lengths_->clear();
    split_seed_->clear();
    split_part_->setValue(0);
    if (const auto* s = std::get_if<data::SubsetArgs>(&c.part))
        subset_->setText(indices_text(s->indices, s->range));
    if (const auto* s = std::get_if<data::RandomSplitArgs>(&c.part)) {
        split_lengths_->setText(numbers_text(s->lengths));
        split_seed_->setText(QString::number(s->seed));
        split_part_->setValue(clamp(s->part));
    }
    batch_size_->setValue(c.batch_size ? clamp(*c.batch_size) : 0);
    epochs_->setValue(clamp(c.epochs));
    generator_->setText(seed_text(c.generator_seed));
    shuffle_->setChecked(c.shuffle);
    drop_last_->setChecked(c.drop_last);
    sampler_->setCurrentIndex(static_cast<int>(c.sampler.index()));
    // Every sampler's arguments back to their defaults, then the chosen one's.
    random_replacement_->setChecked(false);
    random_num_samples_->setValue(0);
    subset_indices_->clear();
    weights_kind_->setCurrentIndex(0);
    weights_->clear();
    weighted_num_samples_->setValue(0);
    weighted_replacement_->setChecked(true);
    const data::DistributedSamplerArgs d0;
    replicas_->setValue(clamp(d0.num_replicas));
    rank_->setValue(clamp(d0.rank));
    distributed_shuffle_->setChecked(d0.shuffle);
    distributed_seed_->setText(QString::number(d0.seed));
    distributed_drop_last_->setChecked(d0.drop_last);
    distributed_epoch_->setValue(clamp(d0.epoch));
    set_epoch_->setChecked(d0.set_epoch);
    if (const auto* a = std::get_if<data::RandomSamplerArgs>(&c.sampler)) {
        random_replacement_->setChecked(a->replacement);
        random_num_samples_->setValue(a->num_samples ? clamp(*a->num_samples) : 0);
    } else if (const auto* a = std::get_if<data::SubsetRandomSamplerArgs>(&c.sampler)) {
        subset_indices_->setText(indices_text(a->indices, a->range));
    } else if (const auto* a = std::get_if<data::WeightedSamplerArgs>(&c.sampler)) {
        weights_kind_->setCurrentIndex(static_cast<int>(a->weights.kind));
        weights_->setText(numbers_text(a->weights.values));
        weighted_num_samples_->setValue(a->num_samples ? clamp(*a->num_samples) : 0);
        weighted_replacement_->setChecked(a->replacement);
    } else if (const auto* a = std::get_if<data::DistributedSamplerArgs>(&c.sampler)) {
        replicas_->setValue(clamp(a->num_replicas));
        rank_->setValue(clamp(a->rank));
        distributed_shuffle_->setChecked(a->shuffle);
        distributed_seed_->setText(QString::number(a->seed));
        distributed_drop_last_->setChecked(a->drop_last);
        distributed_epoch_->setValue(clamp(a->epoch));
        set_epoch_->setChecked(a->set_epoch);
    }
    batch_sampler_->setChecked(c.batch_sampler.has_value());
    batch_sampler_size_->setValue(c.batch_sampler ? clamp(c.batch_sampler->batch_size) : 1);
    batch_sampler_drop_last_->setChecked(c.batch_sampler && c.batch_sampler->drop_last);
    transform_->setText(QString::fromStdString(c.transform));
    num_workers_->setValue(c.num_workers);
    collate_->setCurrentIndex(static_cast<int>(c.collate_fn));
    pin_memory_->setChecked(c.pin_memory);
    timeout_->setValue(c.timeout);
    worker_init_->setCurrentIndex(static_cast<int>(c.worker_init_fn));
    prefetch_->setValue(c.prefetch_factor);
    persistent_->setChecked(c.persistent_workers);
    filling_ = false;
    updateVisibility();
    clearErrors();
}

data::DataLoaderConfig ConfigForm::configuration() const {
    data::DataLoaderConfig c;
    c.dataset = dataset_->currentText().trimmed().toStdString();
    if (c.dataset.empty())
        throw ConfigError("dataset",
                          "give a data set: range:N, fashion-mnist, mnist:PATH or ag-news:PATH");
    c.test_split = split_->currentIndex() == 1;
    if (part_->currentIndex() == 1) {
        const auto i = indices(subset_->text(), "part.indices");
        if (!i.list && !i.range)
            throw ConfigError("part.indices", "Subset needs indices: begin:end or i, j, k");
        c.part = data::SubsetArgs{i.list, i.range};
    } else if (part_->currentIndex() == 2) {
        data::RandomSplitArgs s;
        s.lengths = numbers(split_lengths_->text(), "part.lengths");
        if (s.lengths.empty())
            throw ConfigError("part.lengths", "random_split needs lengths: 0.8, 0.2 or 800, 200");
        s.seed = seed_value(split_seed_).value_or(0);
        s.part = split_part_->value();
        c.part = s;
    }
    c.batch_size = count(batch_size_);
    c.epochs = epochs_->value();
    c.generator_seed = seed_value(generator_);
    c.shuffle = shuffle_->isChecked();
    c.drop_last = drop_last_->isChecked();
    switch (sampler_->currentIndex()) {
    case 1:
        c.sampler = data::SequentialSamplerArgs{};
        break;
    case 2:
        c.sampler =
            data::RandomSamplerArgs{random_replacement_->isChecked(), count(random_num_samples_)};
        break;
    case 3: {
        const auto i = indices(subset_indices_->text(), "sampler.indices");
        c.sampler = data::SubsetRandomSamplerArgs{i.list, i.range};
        break;
    }
    case 4: {
        data::WeightedSamplerArgs a;
        a.weights.kind = static_cast<data::SampleWeights::Kind>(weights_kind_->currentIndex());
        if (a.weights.kind != data::SampleWeights::Kind::ClassBalanced) {
            a.weights.values = numbers(weights_->text(), "sampler.weights");
            if (a.weights.values.empty())
                throw ConfigError("sampler.weights", "give the weights: 1, 0.5, …");
        }
        a.num_samples = count(weighted_num_samples_);
        a.replacement = weighted_replacement_->isChecked();
        c.sampler = a;
        break;
    }
    case 5: {
        data::DistributedSamplerArgs a;
        a.num_replicas = replicas_->value();
        a.rank = rank_->value();
        a.shuffle = distributed_shuffle_->isChecked();
        a.seed = seed_value(distributed_seed_).value_or(0);
        a.drop_last = distributed_drop_last_->isChecked();
        a.epoch = distributed_epoch_->value();
        a.set_epoch = set_epoch_->isChecked();
        c.sampler = a;
        break;
    }
    default:
        break;
    }
    if (batch_sampler_->isChecked())
        c.batch_sampler = data::BatchSamplerArgs{batch_sampler_size_->value(),
                                                 batch_sampler_drop_last_->isChecked()};
    c.transform = transform_->text().trimmed().toStdString();
    c.num_workers = num_workers_->value();
    c.collate_fn = static_cast<data::CollateChoice>(collate_->currentIndex());
    c.pin_memory = pin_memory_->isChecked();
    c.timeout = timeout_->value();
    c.worker_init_fn = static_cast<data::WorkerInitChoice>(worker_init_->currentIndex());
    c.prefetch_factor = prefetch_->value();
    c.persistent_workers = persistent_->isChecked();
    return c;
}

std::optional<data::DataLoaderConfig> ConfigForm::validConfiguration() {
    clearErrors();
    try {
        auto c = configuration();
        data::validate(c);
        if (!c.transform.empty()) {
            // The parser's own error has the column; the factory's wraps the whole text.
            try {
                data::parse_transform(c.transform);
            } catch (const data::TransformParseError& e) {
                showError(
                    "transform",
                    tr("column %1: %2").arg(e.column()).arg(QString::fromStdString(e.message())));
                return std::nullopt;
            }
            data::parse_config_transform(c.dataset, c.transform);
        }
        return c;
    } catch (const ConfigError& e) {
        showError(e.field(), QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

} // namespace nnscope::ui
