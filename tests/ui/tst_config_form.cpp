// The lab's configuration form, offscreen: every field of DataLoaderConfig goes into the widgets
// and comes back unchanged; only the chosen sampler's arguments show; edits say whether they were
// typed; a refused value is shown under its own field (the transform's syntax error with its
// column) and the rest stays; the form fits half of a 1,024 px window.

#include "data/transforms/parse_transform.h"
#include "ui/lab/config_form.h"
#include "ui/lab/field_error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QtTest>

using namespace nnscope;
using data::DataLoaderConfig;
using ui::ConfigForm;

Q_DECLARE_METATYPE(DataLoaderConfig)

namespace {

// The error line under the editor named `name` ("" when none).
QString error_under(const ConfigForm& form, const char* name) {
    auto* editor = form.findChild<QWidget*>(QString::fromLatin1(name));
    for (QWidget* w = editor; w; w = w->parentWidget())
        if (auto* f = qobject_cast<ui::FieldError*>(w)) return f->error();
    return QStringLiteral("<no field>");
}

} // namespace

class TstConfigForm : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<DataLoaderConfig>("config");
        QTest::newRow("defaults") << DataLoaderConfig{};
        DataLoaderConfig c;
        c.dataset = "mnist:/some/folder";
        c.test_split = true;
        c.part = data::SubsetArgs{std::vector<std::int64_t>{1, 2, 30}, std::nullopt};
        c.batch_size = std::nullopt;
        c.shuffle = true;
        c.sampler = data::RandomSamplerArgs{true, 7};
        c.drop_last = true;
        c.num_workers = 3;
        c.collate_fn = data::CollateChoice::Padding;
        c.pin_memory = true;
        c.timeout = 2.5;
        c.generator_seed = 12345678901234567ull; // more than an int holds
        c.prefetch_factor = 4;
        c.persistent_workers = true;
        c.worker_init_fn = data::WorkerInitChoice::SeedNumpy;
        c.transform = "RandomRotation(15)";
        c.epochs = 4;
        QTest::newRow("every top-level field") << c;
        c = {};
        c.part = data::SubsetArgs{std::nullopt, std::pair<std::int64_t, std::int64_t>{5, 40}};
        c.sampler = data::SubsetRandomSamplerArgs{std::nullopt,
                                                  std::pair<std::int64_t, std::int64_t>{3, 9}};
        QTest::newRow("subset ranges") << c;
        c = {};
        c.part = data::RandomSplitArgs{{0.8, 0.2}, 7, 1};
        c.sampler = data::SubsetRandomSamplerArgs{std::vector<std::int64_t>{4, 0, 2}, std::nullopt};
        QTest::newRow("random_split, subset indices") << c;
        c = {};
        c.part = data::RandomSplitArgs{{600, 300, 100}, 18446744073709551615ull, 2};
        c.sampler = data::WeightedSamplerArgs{{}, std::nullopt, false};
        QTest::newRow("counts, class-balanced") << c;
        c = {};
        c.sampler = data::WeightedSamplerArgs{
            {data::SampleWeights::Kind::PerClass, {1, 0.5, 0.125}}, 20, true};
        QTest::newRow("per class") << c;
        c.sampler =
            data::WeightedSamplerArgs{{data::SampleWeights::Kind::PerSample, {1, 2}}, 3, true};
        QTest::newRow("per sample") << c;
        c.sampler =
            data::WeightedSamplerArgs{{data::SampleWeights::Kind::Listed, {0.1, 3}}, 2, true};
        QTest::newRow("listed") << c;
        c = {};
        c.sampler = data::DistributedSamplerArgs{4, 3, false, 99, true, 2, false};
        QTest::newRow("distributed") << c;
        c = {};
        c.sampler = data::SequentialSamplerArgs{};
        c.batch_sampler = data::BatchSamplerArgs{5, true};
        QTest::newRow("sequential with a batch sampler") << c;
    }
    void roundTrip() {
        QFETCH(DataLoaderConfig, config);
        ConfigForm form;
        QSignalSpy edited(&form, &ConfigForm::edited);
        form.setConfiguration(config);
        QCOMPARE(edited.size(), 0); // filling is not editing
        QCOMPARE(form.configuration(), config);
        // A second configuration leaves nothing of the first behind.
        form.setConfiguration(DataLoaderConfig{});
        QCOMPARE(form.configuration(), DataLoaderConfig{});
        form.setConfiguration(config);
        QCOMPARE(form.configuration(), config);
    }

    void onlyTheChosenSamplersArgumentsShow() {
        ConfigForm form;
        form.show();
        auto* sampler = form.findChild<QComboBox*>(QStringLiteral("sampler"));
        auto* replicas = form.findChild<QSpinBox*>(QStringLiteral("sampler.num_replicas"));
        auto* replacement = form.findChild<QCheckBox*>(QStringLiteral("sampler.replacement"));
        QVERIFY(!replicas->isVisible() && !replacement->isVisible());
        sampler->setCurrentIndex(5);
        QVERIFY(replicas->isVisible() && !replacement->isVisible());
        sampler->setCurrentIndex(2);
        QVERIFY(!replicas->isVisible() && replacement->isVisible());
        sampler->setCurrentIndex(1); // SequentialSampler has no arguments
        QVERIFY(!replicas->isVisible() && !replacement->isVisible());
        // The rarely used arguments start collapsed.
        auto* workers = form.findChild<QSpinBox*>(QStringLiteral("num_workers"));
        QVERIFY(!workers->isVisible());
        form.findChild<QToolButton*>(QStringLiteral("more"))->click();
        QVERIFY(workers->isVisible());
    }

    void editsSayWhetherTheyWereTyped() {
        ConfigForm form;
        form.show();
        QSignalSpy edited(&form, &ConfigForm::edited);
        form.findChild<QSpinBox*>(QStringLiteral("batch_size"))->setValue(9);
        QCOMPARE(edited.size(), 1);
        QCOMPARE(edited.at(0).at(0).toBool(), false);
        QTest::keyClicks(form.findChild<QLineEdit*>(QStringLiteral("transform")),
                         QStringLiteral("Res"));
        QCOMPARE(edited.size(), 4);
        QCOMPARE(edited.at(3).at(0).toBool(), true);
        QCOMPARE(form.configuration().transform, std::string("Res"));
        QCOMPARE(*form.configuration().batch_size, std::int64_t(9));
    }

    // Each refused value is shown under its own field, with PyTorch's message.
    void errorsShowNextToTheirField() {
        ConfigForm form;
        form.show();
        DataLoaderConfig c;
        c.batch_sampler = data::BatchSamplerArgs{4, false};
        c.shuffle = true;
        form.setConfiguration(c);
        QVERIFY(!form.validConfiguration());
        QVERIFY2(error_under(form, "batch_sampler").contains(QStringLiteral("mutually exclusive")),
                 qPrintable(form.errorText()));
        QCOMPARE(error_under(form, "batch_size"), QString());

        c = {};
        c.sampler = data::DistributedSamplerArgs{2, 2, true, 0, false, 0, true};
        form.setConfiguration(c);
        QCOMPARE(form.errorText(), QString()); // setting clears the old error
        QVERIFY(!form.validConfiguration());
        QVERIFY2(error_under(form, "sampler.rank").contains(QStringLiteral("Invalid rank 2")),
                 qPrintable(form.errorText()));

        // In the collapsed section: it opens to show the error.
        c = {};
        c.prefetch_factor = 3;
        form.setConfiguration(c);
        QVERIFY(!form.moreShown());
        QVERIFY(!form.validConfiguration());
        QVERIFY(form.moreShown());
        QVERIFY(error_under(form, "prefetch_factor").contains(QStringLiteral("multiprocessing")));

        // Text that is not a value.
        form.setConfiguration({});
        form.findChild<QComboBox*>(QStringLiteral("sampler"))->setCurrentIndex(4);
        form.findChild<QComboBox*>(QStringLiteral("sampler.weights.kind"))->setCurrentIndex(2);
        form.findChild<QLineEdit*>(QStringLiteral("sampler.weights"))
            ->setText(QStringLiteral("1, x"));
        QVERIFY(!form.validConfiguration());
        QVERIFY2(
            error_under(form, "sampler.weights").contains(QStringLiteral("'x' is not a number")),
            qPrintable(form.errorText()));

        // Fixed: no error left, the configuration comes back.
        form.findChild<QLineEdit*>(QStringLiteral("sampler.weights"))
            ->setText(QStringLiteral("1, 2"));
        const auto valid = form.validConfiguration();
        QVERIFY(valid);
        QCOMPARE(form.errorText(), QString());
        QCOMPARE(std::get<data::WeightedSamplerArgs>(valid->sampler).weights.values,
                 (std::vector<double>{1, 2}));
    }

    void transformErrorShowsItsColumn() {
        ConfigForm form;
        form.show();
        const QString text =
            QStringLiteral("Compose([RandomCrop(28, padding=4), RandomRotation(15 ])");
        std::size_t column = 0;
        try {
            data::parse_transform(text.toStdString());
        } catch (const data::TransformParseError& e) {
            column = e.column();
        }
        QVERIFY(column > 1);
        form.findChild<QLineEdit*>(QStringLiteral("transform"))->setText(text);
        QVERIFY(!form.validConfiguration());
        QVERIFY2(
            error_under(form, "transform").startsWith(QStringLiteral("column %1: ").arg(column)),
            qPrintable(form.errorText()));
        form.findChild<QLineEdit*>(QStringLiteral("transform"))
            ->setText(QStringLiteral("RandomRotation(15)"));
        QVERIFY(form.validConfiguration());
    }

    // Two forms side by side fit a 1,024 px window, the "More" section open or not.
    void fitsHalfOfASmallWindow() {
        ConfigForm form;
        form.setMoreShown(true);
        form.findChild<QComboBox*>(QStringLiteral("sampler"))->setCurrentIndex(5);
        QVERIFY2(form.minimumSizeHint().width() <= 480,
                 qPrintable(QString::number(form.minimumSizeHint().width())));
    }
};

QTEST_MAIN(TstConfigForm)
#include "tst_config_form.moc"
