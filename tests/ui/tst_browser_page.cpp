// The browser page as a person works with it: what it shows never goes stale (the plot follows
// the selected module, the status bar leaves "Computing …", a filter that matches nothing empties
// the table and says so), one filter finds tensors by name and shows their modules, Esc clears
// it, panes hide and come back (remembered), long names elide, and the module count is the CLI's.

#include "io/safetensors.h"
#include "support/files.h"
#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/summary_model.h"
#include "ui/models/tensor_table_model.h"
#include "ui/pages/browser_page.h"
#include "ui/tensor_view/tensor_view.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTableView>
#include <QTreeView>
#include <QtTest>
#include <cstring>
#include <filesystem>

using namespace nnscope;
using ui::BrowserPage;
using ui::TensorTableModel;

namespace {

QString resource(const char* name) {
    return QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/") + QLatin1String(name);
}

bool open_and_wait(BrowserPage& page, const QString& path) {
    QSignalSpy shown(&page, &BrowserPage::documentShown);
    page.openFile(path);
    return shown.wait(20000);
}

bool snapshot_of(const BrowserPage& page, const char* name) {
    return page.currentSnapshot() && page.currentSnapshot()->name == name;
}

// conv -> bn (running_var) -> second conv -> bn2, as a state dict without classes.
QString batchnorm_file(const QTemporaryDir& dir) {
    const auto path = std::filesystem::path(dir.path().toStdString()) / "bn.safetensors";
    io::save_safetensors(path, {{"features.0.weight", Tensor::ones({4, 3, 3, 3})},
                                {"features.1.weight", Tensor::ones({4})},
                                {"features.1.running_var", Tensor::ones({4})},
                                {"features.3.weight", Tensor::ones({8, 4, 3, 3})},
                                {"features.4.running_var", Tensor::ones({8})},
                                {"classifier.weight", Tensor::ones({2, 8})}});
    return QString::fromStdString(path.string());
}

// A float32 tensor, then uint16 and uint32 ones (safetensors' U16/U32, which numpy writes and the
// official sample holds): listed under their own names, not readable as values.
QString unsigned_file(const QTemporaryDir& dir) {
    std::string header = R"({"a.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                         R"("a.counts":{"dtype":"U16","shape":[4],"data_offsets":[8,16]},)"
                         R"("a.ids":{"dtype":"U32","shape":[2],"data_offsets":[16,24]}})";
    header.resize((header.size() + 7) / 8 * 8, ' ');
    std::string bytes(8, '\0');
    const std::uint64_t length = header.size();
    std::memcpy(bytes.data(), &length, 8);
    bytes += header + std::string(24, '\0');
    const QString path = dir.filePath(QStringLiteral("unsigned.safetensors"));
    test::write_bytes(path.toStdString(), bytes);
    return path;
}

} // namespace

class TestBrowserPage : public QObject {
    Q_OBJECT
private slots:
    void anotherModuleShowsItsFirstTensor() {
        BrowserPage page;
        page.resize(1400, 900);
        page.show();
        QVERIFY(open_and_wait(page, resource("mlp.safetensors")));
        QVERIFY(page.selectModule(QStringLiteral("1")));
        QVERIFY(page.selectTensor(QStringLiteral("1.bias")));
        QTRY_VERIFY_WITH_TIMEOUT(snapshot_of(page, "1.bias"), 20000);
        // Module 3 (the second Linear): its first tensor, never 1.bias any more.
        QVERIFY(page.selectModule(QStringLiteral("3")));
        QCOMPARE(page.tensorTable()->currentIndex().row(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(snapshot_of(page, "3.weight"), 20000);
        QVERIFY(page.tensorView()->headerText().contains(QStringLiteral("3.weight")));
        // A module without tensors (ReLU): no plot at all.
        QVERIFY(page.selectModule(QStringLiteral("2")));
        QCOMPARE(page.tensorModel()->rowCount(), 0);
        QVERIFY(!page.tensorView()->hasSnapshot());
        QVERIFY(!page.currentSnapshot());
    }

    void unsignedDtypesShowTheirNamesAndValues() {
        QTemporaryDir dir;
        BrowserPage page;
        page.show();
        QVERIFY(open_and_wait(page, unsigned_file(dir)));
        QVERIFY(page.selectModule(QStringLiteral("a")));
        QStringList dtypes;
        for (int r = 0; r < page.tensorModel()->rowCount(); ++r)
            dtypes << page.tensorModel()->index(r, TensorTableModel::DType).data().toString();
        QCOMPARE(dtypes, (QStringList{"float32", "uint16", "uint32"}));
        QVERIFY(!page.summaryModel()
                     ->value(QStringLiteral("By dtype"), QStringLiteral("uint16"))
                     .isEmpty());
        QVERIFY(!page.summaryModel()
                     ->value(QStringLiteral("By dtype"), QStringLiteral("uint32"))
                     .isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(snapshot_of(page, "a.weight"), 20000);
        // The uint16 tensor is read widened to its real values: its own plot, under its own
        // dtype name, never the float32 plot left standing.
        QVERIFY(page.selectTensor(QStringLiteral("a.counts")));
        QTRY_VERIFY_WITH_TIMEOUT(snapshot_of(page, "a.counts"), 20000);
        QCOMPARE(page.currentSnapshot()->dtype, std::string("uint16"));
        QVERIFY(page.tensorView()->headerText().contains(QStringLiteral("a.counts")));
    }

    void statusLeavesComputingOnceDrawn() {
        BrowserPage page;
        page.show();
        QVERIFY(open_and_wait(page, resource("mlp.safetensors")));
        QTRY_VERIFY_WITH_TIMEOUT(!page.isBusy(), 20000);
        QSignalSpy drawn(&page, &BrowserPage::snapshotShown);
        QVERIFY(page.selectModule(QStringLiteral("5")));
        QVERIFY(page.status().text.startsWith(QStringLiteral("Computing")));
        QVERIFY(drawn.wait(20000));
        QVERIFY2(!page.status().text.startsWith(QStringLiteral("Computing")),
                 qPrintable(page.status().text));
        QVERIFY(page.status().text.contains(QStringLiteral("5.weight")));
    }

    void filterThatMatchesNothingEmptiesTheTable() {
        BrowserPage page;
        page.show();
        QVERIFY(open_and_wait(page, resource("mlp.safetensors")));
        QTRY_VERIFY_WITH_TIMEOUT(page.currentSnapshot(), 20000);
        QVERIFY(page.tensorModel()->rowCount() > 0);
        page.setFilterText(QStringLiteral("no such thing"));
        QCOMPARE(page.moduleFilter()->rowCount(), 0);
        QCOMPARE(page.tensorModel()->rowCount(), 0);
        QVERIFY(!page.tensorView()->hasSnapshot());
        QVERIFY(page.moduleHint().contains(QStringLiteral("no such thing")));
        QVERIFY(page.tensorHint().contains(QStringLiteral("No module or tensor matches")));
        // Esc in the field clears the filter; everything is back.
        page.filterEdit()->setFocus();
        QTest::keyClick(page.filterEdit(), Qt::Key_Escape);
        QCOMPARE(page.filterEdit()->text(), QString());
        QCOMPARE(page.moduleFilter()->rowCount(), 1);
        QVERIFY(page.moduleHint().isEmpty());
        QVERIFY(page.selectModule(QString()));
        QCOMPARE(page.tensorModel()->rowCount(), 6);
        QVERIFY(page.tensorHint().isEmpty());
    }

    void filterFindsBuffersByNameAndShowsTheirModules() {
        QTemporaryDir dir;
        BrowserPage page;
        page.show();
        QVERIFY(open_and_wait(page, batchnorm_file(dir)));
        QTest::keyClicks(page.filterEdit(), QStringLiteral("running_var"));
        QVERIFY(page.selectModule(QString()));
        QStringList names;
        for (int r = 0; r < page.tensorModel()->rowCount(); ++r)
            names << page.tensorModel()->tensorName(r);
        QCOMPARE(names, (QStringList{"features.1.running_var", "features.4.running_var"}));
        // The tree shows the modules holding them (and their ancestors), nothing else.
        QVERIFY(page.moduleFilter()
                    ->mapFromSource(page.moduleModel()->indexOfPath("features.1"))
                    .isValid());
        QVERIFY(page.moduleFilter()
                    ->mapFromSource(page.moduleModel()->indexOfPath("features.4"))
                    .isValid());
        QVERIFY(!page.moduleFilter()
                     ->mapFromSource(page.moduleModel()->indexOfPath("features.0"))
                     .isValid());
        QVERIFY(!page.moduleFilter()
                     ->mapFromSource(page.moduleModel()->indexOfPath("classifier"))
                     .isValid());
        // Selecting one of those modules lists its buffer, which the plot shows.
        QVERIFY(page.selectModule(QStringLiteral("features.4")));
        QCOMPARE(page.tensorModel()->rowCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(snapshot_of(page, "features.4.running_var"), 20000);
    }

    void tableSortsFromItsHeader() {
        QTemporaryDir dir;
        BrowserPage page;
        page.show();
        QVERIFY(open_and_wait(page, batchnorm_file(dir)));
        QTRY_VERIFY_WITH_TIMEOUT(!page.isBusy(), 20000);
        QVERIFY(page.tensorTable()->isSortingEnabled());
        page.tensorTable()->sortByColumn(TensorTableModel::Numel, Qt::DescendingOrder);
        QCOMPARE(page.tensorModel()->tensorName(0), QStringLiteral("features.3.weight")); // 288
        QCOMPARE(page.tensorModel()->tensorName(1), QStringLiteral("features.0.weight")); // 108
        // The selected tensor stays selected as its row moves.
        QVERIFY(page.selectTensor(QStringLiteral("classifier.weight")));
        page.tensorTable()->sortByColumn(TensorTableModel::Name, Qt::AscendingOrder);
        QCOMPARE(page.tensorModel()->tensorName(page.tensorTable()->currentIndex().row()),
                 QStringLiteral("classifier.weight"));
    }

    void panesHideAndComeBack() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        {
            BrowserPage page;
            page.show();
            const auto actions = page.viewActions();
            QAction* plots = nullptr;
            for (QAction* a : actions)
                if (a->text().remove(QLatin1Char('&')) == QStringLiteral("Show Plots")) plots = a;
            QVERIFY(plots && plots->isCheckable() && plots->isChecked());
            plots->trigger();
            QVERIFY(!page.isPaneVisible(BrowserPage::Pane::Plots));
            QVERIFY(page.tensorView()->isHidden());
            page.setPaneVisible(BrowserPage::Pane::Summary, false);
            page.saveState(settings);
        }
        BrowserPage again;
        again.show();
        again.restoreState(settings);
        QVERIFY(!again.isPaneVisible(BrowserPage::Pane::Plots));
        QVERIFY(!again.isPaneVisible(BrowserPage::Pane::Summary));
        QVERIFY(again.isPaneVisible(BrowserPage::Pane::Tensors));
        again.setPaneVisible(BrowserPage::Pane::Plots, true);
        QVERIFY(again.tensorView()->isVisible());
        QVERIFY(again.tensorView()->height() > 0);
    }

    void longNamesElideInTheMiddle() {
        BrowserPage page;
        QCOMPARE(page.tensorTable()->textElideMode(), Qt::ElideMiddle);
        QCOMPARE(page.moduleView()->textElideMode(), Qt::ElideMiddle);
    }

    void moduleCountIsTheCliCount_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("state_dict.pt")
            << QStringLiteral(NNSCOPE_GOLDEN_DIR "/pytorch_files/state_dict.pt");
        QTest::newRow("mnist.pt") << QStringLiteral(NNSCOPE_SHARED_DIR
                                                    "/models/pytorch/burn_mnist.pt");
        QTest::newRow("scripted") << QStringLiteral(
            NNSCOPE_SHARED_DIR "/models/torchscript/torchsharp_scripted.script.pt");
    }

    void moduleCountIsTheCliCount() {
        QFETCH(QString, file);
        if (!QFileInfo::exists(file)) QSKIP("../shared/models is not here");
        QProcess cli;
        cli.start(QStringLiteral(NNSCOPE_CLI), {QStringLiteral("summary"), file});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        const auto match = QRegularExpression(QStringLiteral("(\\d+) modules, (\\d+) tensors"))
                               .match(QString::fromUtf8(cli.readAllStandardOutput()));
        QVERIFY(match.hasMatch());
        BrowserPage page;
        QVERIFY(open_and_wait(page, file));
        QCOMPARE(page.summaryModel()->value(QStringLiteral("File"), QStringLiteral("modules")),
                 match.captured(1));
    }
};

QTEST_MAIN(TestBrowserPage)
#include "tst_browser_page.moc"
