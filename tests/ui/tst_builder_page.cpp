// The model builder page: the example it starts with, adding through the palette's path, a value
// PyTorch refuses shown under its field with the model unchanged, declared tensors checked, the
// debounced modelChanged, Save read back by load_native_model with the same spec, and Export's
// model.py.

#include "engine/nn/registry.h"
#include "io/native_model.h"
#include "ui/builder/argument_form.h"
#include "ui/builder/builder_inspector.h"
#include "ui/builder/module_palette.h"
#include "ui/builder/module_spec_model.h"
#include "ui/builder/tensor_table.h"
#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/builder_page.h"
#include "ui/pages/train_page.h"
#include "ui/train/train_config_form.h"
#include "workflows/registered_tensors.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace nnscope;
using nnscope::ui::BuilderPage;

class TestBuilderPage : public QObject {
    Q_OBJECT

private slots:
    void startsFromTheExample() {
        BuilderPage page;
        QCOMPARE(page.title(), QStringLiteral("Builder"));
        QCOMPARE(page.spec(), BuilderPage::exampleSpec());
        QVERIFY(page.modelError().isEmpty());
        QCOMPARE(page.model()->rowCount(page.model()->rootIndex()), 4);
        // Every module type in the palette, containers first.
        const QStringList types = page.palette()->types();
        QCOMPARE(types.size(), static_cast<qsizetype>(nn::module_type_names().size()));
        QCOMPARE(types.mid(0, 3), QStringList({"ModuleDict", "ModuleList", "Sequential"}));
        // The inspector fills the right-hand pane.
        QVERIFY(page.inspector());
        QCOMPARE(page.sidePane()->widget(0), page.inspector());
    }

    void addAndEdit() {
        BuilderPage page;
        QSignalSpy changed(&page, &BuilderPage::modelChanged);
        QVERIFY(page.selectPath(QStringLiteral("2"))); // the ReLU
        QCOMPARE(page.addModule(QStringLiteral("Linear")), QString());
        QCOMPARE(page.selectedPath(), QStringLiteral("3"));
        io::ModuleSpec spec = page.spec();
        QCOMPARE(spec.children.size(), std::size_t(5));
        QCOMPARE(spec.children[3].spec.type, std::string("Linear"));
        QCOMPARE(spec.children[4].name, std::string("4"));
        QVERIFY(changed.wait(2000));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<io::ModuleSpec>(), spec);

        // An impossible value: PyTorch's message under the field, the spec unchanged.
        page.form()->setFieldText(QStringLiteral("in_features"), QStringLiteral("-1"));
        const QString error = page.form()->fieldError(QStringLiteral("in_features"));
        QVERIFY2(error.contains(QStringLiteral("negative dimension -1")), qPrintable(error));
        QCOMPARE(page.spec(), spec);
        // A value that is not an int at all.
        page.form()->setFieldText(QStringLiteral("in_features"), QStringLiteral("x"));
        QCOMPARE(page.form()->fieldError(QStringLiteral("in_features")),
                 QStringLiteral("expected an int, got 'x'"));
        QCOMPARE(page.spec(), spec);
        // A size the builder will not allocate (Linear(10**6, 10**6) would be 4 TB).
        page.form()->setFieldText(QStringLiteral("out_features"), QStringLiteral("1000000"));
        page.form()->setFieldText(QStringLiteral("in_features"), QStringLiteral("1000000"));
        QVERIFY2(page.form()
                     ->fieldError(QStringLiteral("in_features"))
                     .contains(QStringLiteral("more than the builder allocates")),
                 qPrintable(page.form()->fieldError(QStringLiteral("in_features"))));
        QCOMPARE(page.spec(), spec);
        page.form()->setFieldText(QStringLiteral("out_features"), QStringLiteral("8"));
        // A valid one replaces it and clears the error.
        page.form()->setFieldText(QStringLiteral("in_features"), QStringLiteral("32"));
        QVERIFY(page.form()->fieldError(QStringLiteral("in_features")).isEmpty());
        const nn::Arguments expected = {{"in_features", 32}, {"out_features", 8}};
        QCOMPARE(page.spec().children[3].spec.arguments, expected);
        QVERIFY(changed.wait(2000));
        QCOMPARE(changed.last().at(0).value<io::ModuleSpec>(), page.spec());
    }

    // A declared tensor's name taken by a child is refused in PyTorch's words.
    void declaredTensors() {
        BuilderPage page;
        QVERIFY(page.selectPath(QString()));
        ui::TensorTable* table = page.tensorTable();
        QCOMPARE(table->table()->rowCount(), 1); // the example's non-persistent buffer
        table->addTensor();
        QCOMPARE(page.spec().tensors.size(), std::size_t(2));
        table->table()->item(1, ui::TensorTable::Name)->setText(QStringLiteral("0"));
        QVERIFY2(table->error().contains(QStringLiteral("attribute '0' already exists")),
                 qPrintable(table->error()));
        QCOMPARE(page.spec().tensors.size(), std::size_t(2));
        QCOMPARE(page.spec().tensors[1].name, std::string("p1"));
        table->table()->item(1, ui::TensorTable::Name)->setText(QStringLiteral("gain"));
        QVERIFY(table->error().isEmpty());
        QCOMPARE(page.spec().tensors[1].name, std::string("gain"));
    }

    void saveReadsBack() {
        QTemporaryDir dir;
        BuilderPage page;
        page.setSeed(7);
        const QString path = dir.filePath(QStringLiteral("built.safetensors"));
        QCOMPARE(page.saveTo(path), QString());
        // The file holds the architecture as the built modules describe themselves (every
        // argument spelled out): the same model.
        const io::NativeModel loaded = io::load_native_model(path.toStdString());
        QCOMPARE(loaded.architecture, io::describe_module(*io::build_module(page.spec())));
        QCOMPARE(io::describe_module(*io::build_module(loaded.architecture)), loaded.architecture);
        QCOMPARE(loaded.architecture.children[1].spec.type, std::string("LazyLinear"));
        QCOMPARE(loaded.architecture.tensors, page.spec().tensors);
        QCOMPARE(loaded.seed, std::uint64_t(7));

        // Without a LazyLinear the weights are in the file too.
        io::ModuleSpec plain = page.spec();
        plain.children[1].spec = BuilderPage::starterModule(QStringLiteral("Linear"));
        page.setSpec(plain);
        QCOMPARE(page.saveTo(path), QString());
        const io::NativeModel again = io::load_native_model(path.toStdString());
        QCOMPARE(again.architecture, io::describe_module(*io::build_module(plain)));
        QVERIFY(!again.loaded_keys.empty());

        // Open reads a file's architecture and seed back into the builder.
        BuilderPage other;
        QCOMPARE(other.openFrom(path), QString());
        QCOMPARE(other.spec(), again.architecture);
        QCOMPARE(other.seed(), std::uint64_t(7));
        QVERIFY(other.openFrom(dir.filePath(QStringLiteral("missing.safetensors"))).size() > 0);
        QCOMPARE(other.spec(), again.architecture);
    }

    // At 1024 px with an inspector beside it, a Conv2d's nine fields stay reachable and the tree
    // keeps its columns (NNSCOPE_SCREENSHOT_DIR, when set, receives the picture).
    void smallWindow() {
        BuilderPage page;
        page.resize(1024, 640);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QCOMPARE(page.addModule(QStringLiteral("Conv2d")), QString());
        page.form()->setFieldText(QStringLiteral("groups"), QStringLiteral("3"));
        QCOMPARE(page.form()->fieldError(QStringLiteral("groups")),
                 QStringLiteral("out_channels must be divisible by groups"));
        QCoreApplication::processEvents();
        QVERIFY(page.tree()->width() >= 300);
        QVERIFY(page.form()->width() >= 250);
        if (const QByteArray dir = qgetenv("NNSCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
            page.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/builder-1024.png"));
    }

    // In the window: Train hands the saved model to the training page, Open in browser to the
    // browser.
    void handsOnInTheWindow() {
        QStandardPaths::setTestModeEnabled(true);
        ui::MainWindow window(nullptr, false);
        auto* page = window.findChild<BuilderPage*>();
        QVERIFY(page);
        QCOMPARE(page->title(), QStringLiteral("Builder"));
        // The inspector is fed the page's model: the example's tensors arrive.
        auto* inspector = page->inspector();
        QTRY_VERIFY_WITH_TIMEOUT(inspector->inspection() != nullptr, 10000);
        QCOMPARE(inspector->inspection()->tensors.size(),
                 workflows::registered_tensors(*io::build_module(page->spec())).size());
        auto click = [&](const QString& text) {
            for (QPushButton* b : page->findChildren<QPushButton*>())
                if (b->text() == text) return b->click(), true;
            return false;
        };
        QVERIFY(click(QStringLiteral("Train")));
        auto* train = window.findChild<ui::TrainPage*>();
        QCOMPARE(window.currentWorkspace(), train);
        const QString trained = QString::fromStdString(train->form()->configuration().model);
        QVERIFY2(trained.endsWith(QStringLiteral("builder-train.safetensors")),
                 qPrintable(trained));
        QCOMPARE(io::load_native_model(trained.toStdString()).architecture,
                 io::describe_module(*io::build_module(page->spec())));

        QVERIFY(click(QStringLiteral("Open in browser")));
        auto* browser = window.findChild<ui::BrowserPage*>();
        QCOMPARE(window.currentWorkspace(), browser);
        QTRY_VERIFY_WITH_TIMEOUT(
            browser->currentFile().endsWith(QStringLiteral("builder-model.safetensors")), 10000);
    }

    void exportWritesModelPy() {
        QTemporaryDir dir;
        BuilderPage page;
        const QString path = dir.filePath(QStringLiteral("model.py"));
        QCOMPARE(page.exportTo(path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.contains(QStringLiteral("class Net(nn.Sequential)")));
        QVERIFY(text.contains(QStringLiteral("def build(seed")));
        QVERIFY(text.contains(QStringLiteral("nn.LazyLinear(")));
        QVERIFY(text.contains(QStringLiteral("persistent=False")));
    }
};

QTEST_MAIN(TestBuilderPage)
#include "tst_builder_page.moc"
