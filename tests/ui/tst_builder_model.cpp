// The model builder's ModuleSpecModel under QAbstractItemModelTester: insert, remove, move and
// rename keep the tree and the spec in step; Sequential / ModuleList children renumbered as
// PyTorch numbers them, ModuleDict names kept, and names refused in PyTorch's words.

#include "ui/builder/module_spec_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace nnscope;
using nnscope::ui::ModuleSpecModel;

namespace {

io::ModuleSpec module(const std::string& type, nn::Arguments arguments = {}) {
    return io::ModuleSpec{type, std::move(arguments), {}, {}};
}

QStringList childNames(const io::ModuleSpec& spec) {
    QStringList names;
    for (const auto& child : spec.children)
        names << QString::fromStdString(child.name);
    return names;
}

QStringList childTypes(const io::ModuleSpec& spec) {
    QStringList types;
    for (const auto& child : spec.children)
        types << QString::fromStdString(child.spec.type);
    return types;
}

// Sequential(Flatten, Linear(4, 3), ReLU).
io::ModuleSpec small() {
    io::ModuleSpec root = module("Sequential");
    root.children.push_back({"0", module("Flatten")});
    root.children.push_back({"1", module("Linear", {{"in_features", 4}, {"out_features", 3}})});
    root.children.push_back({"2", module("ReLU")});
    return root;
}

} // namespace

class TestBuilderModel : public QObject {
    Q_OBJECT

private slots:
    void showsTheSpec() {
        ModuleSpecModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSpec(small());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex root = model.rootIndex();
        QCOMPARE(model.rowCount(root), 3);
        const QModelIndex linear = model.index(1, 0, root);
        QCOMPARE(model.pathOf(linear), QStringLiteral("1"));
        QCOMPARE(model.index(1, ModuleSpecModel::Type, root).data().toString(),
                 QStringLiteral("Linear"));
        QCOMPARE(model.index(1, ModuleSpecModel::Arguments, root).data().toString(),
                 QStringLiteral("in_features=4, out_features=3"));
        QCOMPARE(model.index(1, ModuleSpecModel::OwnParameters, root).data().toString(),
                 QStringLiteral("15"));
        QCOMPARE(model.indexOfPath(QStringLiteral("2")), model.index(2, 0, root));
        QCOMPARE(model.spec(), small());
    }

    // Inserting into a numbered Sequential renumbers; after a non-container it goes next to it.
    void insertRenumbers() {
        ModuleSpecModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSpec(small());
        QSignalSpy edited(&model, &ModuleSpecModel::specEdited);
        const QModelIndex root = model.rootIndex();
        QString error;
        const QModelIndex added = model.addNear(model.index(0, 0, root), module("Dropout"), &error);
        QVERIFY2(added.isValid(), qPrintable(error));
        QCOMPARE(added.row(), 1);
        QCOMPARE(childNames(model.spec()), QStringList({"0", "1", "2", "3"}));
        QCOMPARE(childTypes(model.spec()), QStringList({"Flatten", "Dropout", "Linear", "ReLU"}));
        QCOMPARE(model.index(2, 0, root).data().toString(), QStringLiteral("2"));
        QCOMPARE(edited.count(), 1);
        // With the root selected it goes last.
        QVERIFY(model.addNear(root, module("Tanh")).isValid());
        QCOMPARE(childTypes(model.spec()).last(), QStringLiteral("Tanh"));
        // A Linear holds no children.
        const QModelIndex none =
            model.insertModule(model.index(2, 0, root), 0, module("ReLU"), {}, &error);
        QVERIFY(!none.isValid());
        QVERIFY(error.contains(QStringLiteral("holds no children")));
    }

    void removeAndMove() {
        ModuleSpecModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSpec(small());
        const QModelIndex root = model.rootIndex();
        QVERIFY(model.moveModule(model.index(2, 0, root), -1)); // ReLU up
        QCOMPARE(childTypes(model.spec()), QStringList({"Flatten", "ReLU", "Linear"}));
        QCOMPARE(childNames(model.spec()), QStringList({"0", "1", "2"}));
        QVERIFY(model.moveModule(model.index(0, 0, root), 1)); // Flatten down
        QCOMPARE(childTypes(model.spec()), QStringList({"ReLU", "Flatten", "Linear"}));
        QVERIFY(!model.moveModule(model.index(2, 0, root), 1)); // already last
        QVERIFY(!model.moveModule(model.index(0, 0, root), -1));
        QVERIFY(model.removeModule(model.index(0, 0, root)));
        QCOMPARE(childTypes(model.spec()), QStringList({"Flatten", "Linear"}));
        QCOMPARE(childNames(model.spec()), QStringList({"0", "1"}));
        QString error;
        QVERIFY(!model.removeModule(root, &error));
        QVERIFY(!error.isEmpty());
    }

    // A ModuleDict keeps names: new ones from the type, made unique; a clash refused.
    void moduleDictNames() {
        ModuleSpecModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSpec(module("ModuleDict"));
        const QModelIndex root = model.rootIndex();
        QVERIFY(model.insertModule(root, -1, module("ReLU")).isValid());
        QVERIFY(model.insertModule(root, -1, module("ReLU")).isValid());
        QVERIFY(model.insertModule(root, 0, module("Tanh"), QStringLiteral("act")).isValid());
        QCOMPARE(childNames(model.spec()), QStringList({"act", "relu", "relu_1"}));
        QVERIFY(model.moveModule(model.index(0, 0, root), 1));
        QCOMPARE(childNames(model.spec()), QStringList({"relu", "act", "relu_1"}));
        QString error;
        QVERIFY(
            !model.insertModule(root, -1, module("ReLU"), QStringLiteral("act"), &error).isValid());
        QVERIFY2(error.contains(QStringLiteral("already has a child named 'act'")),
                 qPrintable(error));
        // ModuleDict's own methods are attributes PyTorch's add_module refuses.
        QCOMPARE(model.renameModule(model.index(0, 0, root), QStringLiteral("keys")),
                 QStringLiteral("attribute 'keys' already exists"));
    }

    void renameRules_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error");
        QTest::newRow("ok") << "features"
                            << "";
        QTest::newRow("empty") << ""
                               << "module name can't be empty string \"\"";
        QTest::newRow("dot") << "a.b"
                             << "module name can't contain \".\", got: a.b";
        QTest::newRow("sibling") << "2"
                                 << "the model already has a child named '2'";
        QTest::newRow("declared tensor") << "scale"
                                         << "attribute 'scale' already exists";
        QTest::newRow("python attribute") << "training"
                                          << "attribute 'training' already exists";
    }
    void renameRules() {
        QFETCH(QString, name);
        QFETCH(QString, error);
        ModuleSpecModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        io::ModuleSpec spec = small();
        nn::TensorDeclaration scale;
        scale.name = "scale";
        scale.shape = {1};
        spec.tensors.push_back(scale);
        model.setSpec(spec);
        QSignalSpy refused(&model, &ModuleSpecModel::editRefused);
        const QModelIndex linear = model.index(1, 0, model.rootIndex());
        const bool ok = model.setData(linear, name);
        QCOMPARE(ok, error.isEmpty());
        if (ok) {
            QCOMPARE(childNames(model.spec()), QStringList({"0", name, "2"}));
            // No longer numbered: an insert keeps the names (nn.Sequential(OrderedDict)).
            QVERIFY(model.insertModule(model.rootIndex(), -1, module("Tanh")).isValid());
            QCOMPARE(childNames(model.spec()), QStringList({"0", name, "2", "tanh"}));
        } else {
            QCOMPARE(refused.count(), 1);
            QVERIFY2(refused.at(0).at(0).toString().startsWith(error),
                     qPrintable(refused.at(0).at(0).toString()));
            QCOMPARE(model.spec(), spec);
        }
    }

    void moduleListChildrenAreNumbered() {
        ModuleSpecModel model;
        model.setSpec(module("ModuleList"));
        const QModelIndex root = model.rootIndex();
        QVERIFY(model.insertModule(root, -1, module("ReLU")).isValid());
        QVERIFY(model.insertModule(root, 0, module("Tanh")).isValid());
        QCOMPARE(childNames(model.spec()), QStringList({"0", "1"}));
        QCOMPARE(childTypes(model.spec()), QStringList({"Tanh", "ReLU"}));
        QVERIFY(!(model.flags(model.index(0, 0, root)) & Qt::ItemIsEditable));
        QVERIFY(!model.renameModule(model.index(0, 0, root), QStringLiteral("x")).isEmpty());
    }

    void argumentsAndTensors() {
        ModuleSpecModel model;
        model.setSpec(small());
        const QModelIndex linear = model.index(1, 0, model.rootIndex());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setArguments(linear, {{"in_features", 4}, {"out_features", 3}, {"bias", false}});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(
            model.index(1, ModuleSpecModel::OwnParameters, model.rootIndex()).data().toString(),
            QStringLiteral("12"));
        nn::TensorDeclaration extra;
        extra.name = "gain";
        extra.shape = {3};
        model.setTensors(linear, {extra});
        QCOMPARE(
            model.index(1, ModuleSpecModel::OwnParameters, model.rootIndex()).data().toString(),
            QStringLiteral("15"));
        QCOMPARE(model.spec().children[1].spec.tensors.size(), std::size_t(1));
        model.setArguments(linear, {{"out_features", 3}});
        QCOMPARE(
            model.index(1, ModuleSpecModel::OwnParameters, model.rootIndex()).data().toString(),
            QStringLiteral("?"));
    }
};

QTEST_MAIN(TestBuilderModel)
#include "tst_builder_model.moc"
