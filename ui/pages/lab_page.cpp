#include "ui/pages/lab_page.h"

#include "data/config_error.h"
#include "data/loader_config_json.h"
#include "io/atomic_file.h"
#include "ui/lab/config_form.h"
#include "ui/lab/lab_view.h"
#include "workflows/lab_presets.h"
#include "workflows/pytorch_script.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace nnscope::ui {

namespace {

QString column_name(int index) {
    return QString(QChar(QLatin1Char('A').unicode() + index));
}

} // namespace

LabPage::LabPage(QWidget* parent, ConfigColumn::ViewFactory views)
    : Workspace(parent)
    , views_(std::move(views)) {
    setObjectName(QStringLiteral("labPage"));
    buildToolBar();
    banner_ = new QLabel(this);
    banner_->setObjectName(QStringLiteral("labBanner"));
    banner_->setWordWrap(true);
    banner_->setTextFormat(Qt::RichText);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner_->setMargin(6);
    banner_->setStyleSheet(
        QStringLiteral("#labBanner { background: palette(alternate-base); border-radius: 4px; }"));
    banner_->hide();
    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(toolbar_);
    layout->addWidget(banner_);
    // In a window smaller than the columns' minimum (two forms over their plots) the columns
    // scroll instead of making the whole window, and every other page, taller or wider.
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(splitter_);
    layout->addWidget(scroll, 1);
    for (int i = 0; i < kMinColumns; ++i)
        addColumn(defaultConfiguration(i));
}

LabPage::~LabPage() = default;

data::DataLoaderConfig LabPage::defaultConfiguration(int column) {
    data::DataLoaderConfig c;
    c.dataset = QDir(QStringLiteral("/usr/share/datasets/fashion-mnist")).exists()
                    ? "fashion-mnist"
                    : "range:1000:mod=10";
    c.batch_size = 64;
    c.shuffle = column == 0;
    c.generator_seed = 0;
    c.epochs = 3;
    return c;
}

ConfigColumn* LabPage::addColumn(const data::DataLoaderConfig& config) {
    auto* column = new ConfigColumn(column_name(columnCount()), views_, splitter_);
    columns_.push_back(column);
    splitter_->addWidget(column);
    connect(column->tabs(), &QTabWidget::currentChanged, this, &LabPage::syncTabs);
    connect(column, &ConfigColumn::busyChanged, this, &LabPage::updateStatus);
    if (columnCount() > 1)
        column->tabs()->setCurrentIndex(columns_.front()->tabs()->currentIndex());
    column->setConfiguration(config);
    column->form()->setVisible(!forms_hidden_);
    updateStatus();
    return column;
}

void LabPage::setFormsHidden(bool hidden) {
    forms_hidden_ = hidden;
    for (ConfigColumn* c : columns_)
        c->form()->setVisible(!hidden);
}

bool LabPage::removeColumn(int index) {
    if (columnCount() <= kMinColumns || index < 0 || index >= columnCount()) return false;
    ConfigColumn* column = columns_[static_cast<std::size_t>(index)];
    columns_.erase(columns_.begin() + index);
    column->shutdown();
    delete column;
    renameColumns();
    updateStatus();
    return true;
}

void LabPage::renameColumns() {
    for (int i = 0; i < columnCount(); ++i)
        column(i)->setName(column_name(i));
}

void LabPage::copyColumn(int from, int to) {
    column(to)->setConfiguration(column(from)->configuration());
}

void LabPage::swapColumns(int a, int b) {
    const auto first = column(a)->configuration();
    column(a)->setConfiguration(column(b)->configuration());
    column(b)->setConfiguration(first);
}

void LabPage::setConfigurations(const std::vector<data::DataLoaderConfig>& configs) {
    while (columnCount() > std::max<int>(kMinColumns, static_cast<int>(configs.size())))
        removeColumn(columnCount() - 1);
    for (std::size_t i = 0; i < configs.size(); ++i) {
        if (static_cast<int>(i) < columnCount())
            column(static_cast<int>(i))->setConfiguration(configs[i]);
        else
            addColumn(configs[i]);
    }
}

bool LabPage::applyPreset(const QString& name) {
    const workflows::LabPreset* preset = workflows::find_lab_preset(name.toStdString());
    if (!preset) return false;
    setConfigurations({preset->mistake, preset->fix});
    while (columnCount() > kMinColumns)
        removeColumn(columnCount() - 1);
    // The tab whose title holds the preset's word, when a view has one.
    QTabWidget* tabs = column(0)->tabs();
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i).contains(QString::fromStdString(preset->tab), Qt::CaseInsensitive)) {
            tabs->setCurrentIndex(i);
            break;
        }
    showBanner(QStringLiteral("<b>%1</b> (A: the mistake, B: the fix). %2")
                   .arg(QString::fromStdString(preset->title).toHtmlEscaped(),
                        QString::fromStdString(preset->explanation).toHtmlEscaped()));
    return true;
}

void LabPage::showBanner(const QString& text) {
    banner_->setText(text);
    banner_->setVisible(!text.isEmpty());
}

QString LabPage::bannerText() const {
    return banner_->isVisibleTo(this) ? banner_->text() : QString();
}

void LabPage::syncTabs(int index) {
    if (syncing_) return;
    syncing_ = true;
    for (ConfigColumn* c : columns_)
        if (index < c->tabs()->count()) c->tabs()->setCurrentIndex(index);
    syncing_ = false;
}

QString LabPage::openJson(int index, const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return tr("%1: %2").arg(path, file.errorString());
    try {
        const auto config =
            data::loader_config_from_json(nlohmann::json::parse(file.readAll().toStdString()));
        column(index)->setConfiguration(config);
        return {};
    } catch (const nlohmann::json::exception& e) {
        return tr("%1: JSON: %2").arg(path, QString::fromUtf8(e.what()));
    } catch (const data::ConfigError& e) {
        return tr("%1: %2").arg(path, QString::fromStdString(e.what()));
    }
}

namespace {

// "" once `text` is in the file at `path` (io::AtomicFile), else what went wrong.
QString write_text(const QString& path, const std::string& text) {
    try {
        io::write_file_atomically(path.toStdString(), text);
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

} // namespace

QString LabPage::saveJson(int index, const QString& path) const {
    return write_text(path,
                      data::loader_config_to_json(column(index)->configuration()).dump(2) + "\n");
}

QString LabPage::savePyTorchScript(int index, const QString& path) const {
    std::string script;
    try { // opens the data set to check the configuration as the CLI does (Fashion-MNIST ~0.3 s)
        script = workflows::pytorch_script(column(index)->configuration());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return write_text(path, script);
}

bool LabPage::isComputing() const {
    for (const ConfigColumn* c : columns_)
        if (c->isBusy()) return true;
    return false;
}

void LabPage::updateStatus() {
    // Text only: the window's busy state (progress, Cancel) is for loads, and an analysis is
    // replaced by the next edit anyway.
    const bool busy = isComputing();
    if (busy == computing_) return;
    computing_ = busy;
    setStatusText(busy ? tr("Analysing the DataLoader configurations…")
                       : tr("DataLoader configurations analysed"));
    if (!busy) emit settled();
}

void LabPage::cancel() {
    for (ConfigColumn* c : columns_)
        c->cancel();
    updateStatus();
}

void LabPage::shutdown() {
    for (ConfigColumn* c : columns_)
        c->shutdown();
}

void LabPage::saveState(QSettings& settings) const {
    QStringList configs;
    for (const ConfigColumn* c : columns_)
        configs << QString::fromStdString(data::loader_config_to_json(c->configuration()).dump());
    settings.setValue(QStringLiteral("labConfigurations"), configs);
    settings.setValue(QStringLiteral("labSplitter"), splitter_->saveState());
}

void LabPage::restoreState(QSettings& settings) {
    std::vector<data::DataLoaderConfig> configs;
    // A remembered configuration this version refuses is left out (its column keeps the default).
    for (const QString& text : settings.value(QStringLiteral("labConfigurations")).toStringList()) {
        try {
            configs.push_back(
                data::loader_config_from_json(nlohmann::json::parse(text.toStdString())));
        } catch (const std::exception&) {
            configs.push_back(defaultConfiguration(static_cast<int>(configs.size())));
        }
    }
    if (!configs.empty()) setConfigurations(configs);
    splitter_->restoreState(settings.value(QStringLiteral("labSplitter")).toByteArray());
}

} // namespace nnscope::ui
