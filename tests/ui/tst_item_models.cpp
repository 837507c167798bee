// The window's item models under QAbstractItemModelTester: the module tree (parents and counts
// from dotted paths), its filter, the tensor table (paging, statistics, buffer styling) and the
// summary, over documents built from real files.

#include "io/open_model.h"
#include "io/safetensors.h"
#include "session/document_snapshot.h"
#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/name_filter.h"
#include "ui/models/summary_model.h"
#include "ui/models/tensor_table_model.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFont>
#include <QtTest>
#include <cstring>
#include <filesystem>
#include <tuple>

using namespace nnscope;
using ui::ModuleTreeModel;
using ui::TensorTableModel;

namespace {

session::DocumentSnapshotPtr document(const std::filesystem::path& path) {
    return std::make_shared<const session::DocumentSnapshot>(
        session::make_document_snapshot(io::open_model(path), path.string()));
}

session::DocumentSnapshotPtr mlp() {
    return document(std::filesystem::path(NNSCOPE_RESOURCES_DIR) / "models/mlp.safetensors");
}

session::DocumentSnapshotPtr torchscript() {
    return document(std::filesystem::path(NNSCOPE_GOLDEN_DIR) / "pytorch_files/torchscript.pt");
}

// A document of hand-made tensors (name, shape, dtype), as a state dict lists them.
session::DocumentSnapshotPtr tensors_document(
    const std::vector<std::tuple<std::string, std::vector<std::int64_t>, std::string>>& list) {
    io::ModelDocument doc;
    doc.format = io::ModelFormat::Safetensors;
    for (const auto& [name, shape, dtype] : list) {
        io::TensorEntry e;
        e.name = name;
        e.shape = shape;
        e.stored_dtype = dtype;
        doc.tensors.push_back(e);
    }
    doc.modules = io::modules_from_tensor_names(doc.tensors);
    return std::make_shared<const session::DocumentSnapshot>(
        session::make_document_snapshot(doc, "hand-made"));
}

QStringList column_texts(const TensorTableModel& model, int column) {
    QStringList texts;
    for (int r = 0; r < model.rowCount(); ++r)
        texts << model.index(r, column).data().toString();
    return texts;
}

QStringList row_names(const TensorTableModel& model) {
    QStringList names;
    for (int r = 0; r < model.rowCount(); ++r)
        names << model.tensorName(r);
    return names;
}

session::TensorStats stats_of(double min, double max, std::int64_t nan = 0) {
    session::TensorStats s;
    s.min = min;
    s.max = max;
    s.mean = (min + max) / 2;
    s.std = max - min;
    s.nan = nan;
    return s;
}

// A flat document with many tensors, to page through.
session::DocumentSnapshotPtr many_tensors(int count) {
    io::ModelDocument doc;
    doc.format = io::ModelFormat::Safetensors;
    for (int i = 0; i < count; ++i) {
        io::TensorEntry e;
        e.name = "layers." + std::to_string(i) + ".weight";
        e.shape = {2};
        doc.tensors.push_back(e);
    }
    doc.modules = io::modules_from_tensor_names(doc.tensors);
    return std::make_shared<const session::DocumentSnapshot>(
        session::make_document_snapshot(doc, "many"));
}

QModelIndex find_child(const QAbstractItemModel& model, const QModelIndex& parent,
                       const QString& name) {
    for (int r = 0; r < model.rowCount(parent); ++r)
        if (model.index(r, 0, parent).data().toString() == name) return model.index(r, 0, parent);
    return {};
}

} // namespace

class TestItemModels : public QObject {
    Q_OBJECT
private slots:
    void moduleTreeFromNativeModel() {
        ModuleTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setDocument(mlp());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(root.data().toString(), QStringLiteral("mlp.safetensors"));
        QCOMPARE(model.index(0, ModuleTreeModel::Type).data().toString(),
                 QStringLiteral("Sequential"));
        QCOMPARE(model.rowCount(root), 6);
        const QModelIndex linear = model.index(1, 0, root);
        QCOMPARE(linear.data().toString(), QStringLiteral("1"));
        QCOMPARE(linear.parent(), root);
        QCOMPARE(model.index(1, ModuleTreeModel::Type, root).data().toString(),
                 QStringLiteral("Linear"));
        QCOMPARE(model.index(1, ModuleTreeModel::Arguments, root).data().toString(),
                 QStringLiteral("in_features=784, out_features=512, bias=True"));
        // 784 x 512 + 512, and the whole model: + 512 x 256 + 256 + 256 x 10 + 10.
        const auto count = [&](int row, int column, const QModelIndex& parent) {
            return model.index(row, column, parent)
                .data()
                .toString()
                .remove(QLocale().groupSeparator())
                .toLongLong();
        };
        QCOMPARE(count(1, ModuleTreeModel::OwnParameters, root), 401920LL);
        QCOMPARE(count(1, ModuleTreeModel::TotalParameters, root), 401920LL);
        QCOMPARE(count(0, ModuleTreeModel::OwnParameters, {}), 0LL);
        QCOMPARE(count(0, ModuleTreeModel::TotalParameters, {}), 535818LL);
        QCOMPARE(model.indexOfPath(QStringLiteral("5")).data(ModuleTreeModel::PathRole).toString(),
                 QStringLiteral("5"));
        model.setDocument(torchscript()); // a second document replaces the first
        model.setDocument(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void moduleTreeFromTorchScript() {
        ModuleTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(torchscript());
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.index(0, ModuleTreeModel::Type).data().toString(),
                 QStringLiteral("Scripted"));
        QStringList top;
        for (int r = 0; r < model.rowCount(root); ++r)
            top << model.index(r, 0, root).data().toString();
        QCOMPARE(top, (QStringList{QStringLiteral("stem"), QStringLiteral("blocks"),
                                   QStringLiteral("heads")}));
        const QModelIndex blocks = find_child(model, root, QStringLiteral("blocks"));
        QCOMPARE(model.rowCount(blocks), 2);
        // Block has one parameter of 2 elements; Linear(2, 3) 9; BatchNorm1d(2) 4; Linear(2, 2) 6.
        const auto total = [&](const QString& path) {
            const QModelIndex i = model.indexOfPath(path);
            return model.index(i.row(), ModuleTreeModel::TotalParameters, i.parent())
                .data()
                .toString()
                .toLongLong();
        };
        QCOMPARE(total(QStringLiteral("blocks")), 4LL);
        QCOMPARE(total(QStringLiteral("heads")), 13LL);
        QCOMPARE(total(QString()), 23LL);
    }

    void filterKeepsAncestorsOfMatches() {
        ModuleTreeModel model;
        ui::ModuleFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(torchscript());
        const auto set_text = [&](const QString& text) {
            filter.setFilter(std::make_shared<const ui::NameFilter>(model.document(), text));
        };
        set_text(QStringLiteral("batchnorm"));
        QCOMPARE(filter.rowCount(), 1); // the root, as an ancestor
        const QModelIndex root = filter.index(0, 0);
        QCOMPARE(filter.rowCount(root), 1);
        const QModelIndex heads = filter.index(0, 0, root);
        QCOMPARE(heads.data().toString(), QStringLiteral("heads"));
        QCOMPARE(filter.rowCount(heads), 1);
        QCOMPARE(filter.index(0, 0, heads).data().toString(), QStringLiteral("b"));
        set_text(QStringLiteral("BLOCKS.1"));
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 1);
        set_text(QStringLiteral("no such module"));
        QCOMPARE(filter.rowCount(), 0);
        set_text(QString());
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 3);
    }

    void tensorTableRolesAndStats() {
        TensorTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(torchscript());
        model.setModule(QStringLiteral("blocks.0"));
        QCOMPARE(model.rowCount(), 3); // scale, offset, cache
        QStringList names;
        for (int r = 0; r < model.rowCount(); ++r)
            names << model.tensorName(r);
        QVERIFY(names.contains(QStringLiteral("blocks.0.scale")));
        QVERIFY(names.contains(QStringLiteral("blocks.0.offset")));
        const int offset = model.rowOfTensor(QStringLiteral("blocks.0.offset"));
        QCOMPARE(model.index(offset, TensorTableModel::Name).data().toString(),
                 QStringLiteral("offset"));
        QVERIFY(model.index(offset, TensorTableModel::Role)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("buffer")));
        QVERIFY(
            model.index(offset, TensorTableModel::Name).data(Qt::FontRole).value<QFont>().italic());
        const int scale = model.rowOfTensor(QStringLiteral("blocks.0.scale"));
        QCOMPARE(model.index(scale, TensorTableModel::Shape).data().toString(),
                 QStringLiteral("[2]"));
        QCOMPARE(model.index(scale, TensorTableModel::DType).data().toString(),
                 QStringLiteral("float32"));
        QVERIFY(
            !model.index(scale, TensorTableModel::Name).data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(!model.index(scale, TensorTableModel::Min).data().isValid()); // not computed yet
        session::StatsBatch batch;
        session::TensorStats s;
        s.min = -2.5;
        s.max = 1.5;
        s.mean = 0.25;
        s.std = 0.5;
        batch.stats["blocks.0.scale"] = s;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.addStats(batch);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(scale, TensorTableModel::Min).data().toString(),
                 QStringLiteral("-2.5"));
        QCOMPARE(model.index(scale, TensorTableModel::Std).data().toString(),
                 QStringLiteral("0.5"));
        // Selecting the root lists the tensors of every module.
        model.setModule(QString());
        QCOMPARE(model.rowCount(), static_cast<int>(torchscript()->tensors.size()));
    }

    void inferredRolesAreMarked() {
        TensorTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(
            document(std::filesystem::path(NNSCOPE_GOLDEN_DIR) / "pytorch_files/state_dict.pt"));
        model.setModule(QStringLiteral("bn"));
        const int mean = model.rowOfTensor(QStringLiteral("bn.running_mean"));
        QVERIFY(mean >= 0);
        QCOMPARE(model.index(mean, TensorTableModel::Role).data().toString(),
                 QStringLiteral("buffer (inferred)"));
    }

    void tensorTablePagesThroughFetchMore() {
        TensorTableModel model;
        model.setDocument(many_tensors(600));
        model.setModule(QStringLiteral("layers"));
        QCOMPARE(model.rowCount(), TensorTableModel::kPage);
        QVERIFY(model.canFetchMore({}));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.fetchMore({});
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 600);
        QCOMPARE(inserted.size(), 2);
        QVERIFY(!model.canFetchMore({}));
        // The tester fetches as a view would, while it checks every step.
        TensorTableModel tested;
        QAbstractItemModelTester tester(&tested,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        tested.setDocument(many_tensors(600));
        tested.setModule(QStringLiteral("layers"));
        while (tested.canFetchMore({}))
            tested.fetchMore({});
        QCOMPARE(tested.rowCount(), 600);
    }

    void tensorTableSortsEveryColumnByValue() {
        TensorTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(tensors_document({{"layer10.weight", {10, 10}, ""},
                                            {"layer2.weight", {9}, ""},
                                            {"layer1.weight", {100, 1}, ""},
                                            {"layer3.weight", {1, 100}, ""},
                                            {"layer4.counts", {4}, "uint16"}}));
        model.setModule(QString());
        // Numbers as numbers: 9 < 10 < 100, not "10" < "100" < "9".
        model.sort(TensorTableModel::Numel, Qt::AscendingOrder);
        QCOMPARE(column_texts(model, TensorTableModel::Numel),
                 (QStringList{"4", "9", QLocale().toString(100), QLocale().toString(100),
                              QLocale().toString(100)}));
        // Shapes by element count, then by their dimensions; equal keys keep the file's order.
        model.sort(TensorTableModel::Shape, Qt::AscendingOrder);
        QCOMPARE(row_names(model), (QStringList{"layer4.counts", "layer2.weight", "layer3.weight",
                                                "layer10.weight", "layer1.weight"}));
        model.sort(TensorTableModel::Shape, Qt::DescendingOrder);
        QCOMPARE(row_names(model).first(), QStringLiteral("layer1.weight"));
        // Names in natural order; a dtype as the file names it.
        model.sort(TensorTableModel::Name, Qt::AscendingOrder);
        QCOMPARE(row_names(model), (QStringList{"layer1.weight", "layer2.weight", "layer3.weight",
                                                "layer4.counts", "layer10.weight"}));
        model.sort(TensorTableModel::DType, Qt::DescendingOrder);
        QCOMPARE(model.index(0, TensorTableModel::DType).data().toString(),
                 QStringLiteral("uint16"));
        model.sort(-1);
        QCOMPARE(row_names(model).first(), QStringLiteral("layer10.weight"));
    }

    void tensorTableSortStaysRightAsStatisticsArrive() {
        TensorTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(many_tensors(600)); // more than a page: a sort covers every row
        model.setModule(QStringLiteral("layers"));
        model.sort(TensorTableModel::Max, Qt::DescendingOrder);
        QCOMPARE(model.rowCount(), 600);
        // The selection follows its tensor while rows move.
        const QPersistentModelIndex selected = model.index(5, 0);
        QCOMPARE(model.tensorName(5), QStringLiteral("layers.5.weight"));
        session::StatsBatch first;
        first.stats["layers.599.weight"] = stats_of(-1, 3);
        first.stats["layers.5.weight"] = stats_of(-1, 2);
        model.addStats(first);
        // Rows with a value come first, the others keep the file's order after them.
        QCOMPARE(model.tensorName(0), QStringLiteral("layers.599.weight"));
        QCOMPARE(model.tensorName(1), QStringLiteral("layers.5.weight"));
        QCOMPARE(model.tensorName(2), QStringLiteral("layers.0.weight"));
        QCOMPARE(selected.row(), 1);
        session::StatsBatch second;
        second.stats["layers.300.weight"] = stats_of(0, 7);
        second.stats["layers.1.weight"] = stats_of(0, std::nan(""));
        model.addStats(second);
        QCOMPARE(row_names(model).mid(0, 4), (QStringList{"layers.300.weight", "layers.599.weight",
                                                          "layers.5.weight", "layers.0.weight"}));
        QCOMPARE(selected.row(), 2);
        model.sort(TensorTableModel::Max, Qt::AscendingOrder); // missing values stay last
        QCOMPARE(row_names(model).mid(0, 3),
                 (QStringList{"layers.5.weight", "layers.599.weight", "layers.300.weight"}));
    }

    void nonFiniteCountsStandOut() {
        TensorTableModel model;
        model.setDocument(many_tensors(3));
        model.setModule(QString());
        session::StatsBatch batch;
        batch.stats["layers.1.weight"] = stats_of(0, 1, 2);
        batch.stats["layers.1.weight"].pos_inf = 1;
        batch.stats["layers.2.weight"] = stats_of(0, 1);
        model.addStats(batch);
        QCOMPARE(model.headerData(TensorTableModel::NonFinite, Qt::Horizontal).toString(),
                 QStringLiteral("NaN/Inf"));
        QCOMPARE(model.index(1, TensorTableModel::NonFinite).data().toString(),
                 QStringLiteral("3"));
        QCOMPARE(model.index(2, TensorTableModel::NonFinite).data().toString(),
                 QStringLiteral("0"));
        QVERIFY(model.index(1, TensorTableModel::NonFinite).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(2, TensorTableModel::NonFinite).data(Qt::BackgroundRole).isValid());
        model.sort(TensorTableModel::NonFinite, Qt::DescendingOrder);
        QCOMPARE(model.tensorName(0), QStringLiteral("layers.1.weight"));
    }

    void filterMatchesTensorNamesAndModules() {
        const auto doc = tensors_document({{"features.0.weight", {4, 3, 3, 3}, ""},
                                           {"features.1.weight", {4}, ""},
                                           {"features.1.running_var", {4}, ""},
                                           {"features.4.running_var", {8}, ""},
                                           {"classifier.weight", {2, 8}, ""}});
        ModuleTreeModel tree;
        tree.setDocument(doc);
        ui::ModuleFilterModel modules;
        modules.setSourceModel(&tree);
        QAbstractItemModelTester tester(&modules,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        TensorTableModel table;
        table.setDocument(doc);
        table.setModule(QString());
        const auto filter =
            std::make_shared<const ui::NameFilter>(doc, QStringLiteral("RUNNING_VAR"));
        modules.setFilter(filter);
        table.setFilter(filter);
        // The modules holding a running_var, under their ancestors; only those tensors listed.
        const QModelIndex root = modules.index(0, 0);
        QCOMPARE(modules.rowCount(root), 1);
        const QModelIndex features = modules.index(0, 0, root);
        QCOMPARE(features.data().toString(), QStringLiteral("features"));
        QStringList kept;
        for (int r = 0; r < modules.rowCount(features); ++r)
            kept << modules.index(r, 0, features).data().toString();
        QCOMPARE(kept, (QStringList{"1", "4"}));
        QCOMPARE(row_names(table),
                 (QStringList{"features.1.running_var", "features.4.running_var"}));
        // A module path lists all of its tensors.
        table.setFilter(std::make_shared<const ui::NameFilter>(doc, QStringLiteral("features.1")));
        QCOMPARE(row_names(table), (QStringList{"features.1.weight", "features.1.running_var"}));
        // No module selected, no rows.
        table.clearModule();
        QCOMPARE(table.rowCount(), 0);
    }

    void inferredTypesAreMarked() {
        io::ModelDocument raw;
        io::TensorEntry e;
        e.name = "conv.weight";
        e.shape = {8, 3, 3, 3};
        raw.tensors.push_back(e);
        raw.modules = io::modules_from_tensor_names(raw.tensors);
        session::DocumentSnapshot snapshot = session::make_document_snapshot(raw, "inferred");
        const int conv = snapshot.module_index("conv");
        QVERIFY(conv >= 0);
        auto& row = snapshot.modules[static_cast<std::size_t>(conv)];
        row.type = "Conv2d";
        row.type_inferred = true;
        row.type_reason = "weight [8, 3, 3, 3]: a 2-D convolution";
        ModuleTreeModel tree;
        tree.setDocument(std::make_shared<const session::DocumentSnapshot>(snapshot));
        const QModelIndex path = tree.indexOfPath(QStringLiteral("conv"));
        const QModelIndex type = tree.index(path.row(), ModuleTreeModel::Type, path.parent());
        QCOMPARE(type.data().toString(), QStringLiteral("Conv2d"));
        QVERIFY(type.data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(type.data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("weight [8, 3, 3, 3]: a 2-D convolution")));
        QVERIFY(!path.data(Qt::FontRole).isValid()); // the name is a fact
    }

    void summaryCountsModulesAsTheCliDoes() {
        // The root and the paths only implied by tensor names are not modules the file lists.
        // `nnscope-cli summary state_dict.pt` says "4 modules": conv, bn, head and head.1.
        ui::SummaryModel summary;
        summary.setDocument(
            document(std::filesystem::path(NNSCOPE_GOLDEN_DIR) / "pytorch_files/state_dict.pt"));
        QCOMPARE(summary.value(QStringLiteral("File"), QStringLiteral("modules")),
                 QStringLiteral("4"));
    }

    void summaryTotals() {
        ui::SummaryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(
            document(std::filesystem::path(NNSCOPE_GOLDEN_DIR) / "pytorch_files/checkpoint.pt"));
        QCOMPARE(model.value(QStringLiteral("File"), QStringLiteral("format")),
                 QStringLiteral("pytorch-zip"));
        QCOMPARE(model.value(QStringLiteral("Metadata"), QStringLiteral("epoch")),
                 QStringLiteral("7"));
        // Small: conv 2*3*3*3 + 3, bn 3 + 3, Linear(12, 4) 48 + 4.
        QCOMPARE(model.value(QStringLiteral("File"), QStringLiteral("parameters"))
                     .remove(QLocale().groupSeparator()),
                 QStringLiteral("115"));
        // BatchNorm2d's three buffers.
        QVERIFY(model.value(QStringLiteral("By role"), QStringLiteral("buffer"))
                    .startsWith(QStringLiteral("3 × ")));
        QVERIFY(!model.value(QStringLiteral("By dtype"), QStringLiteral("int64")).isEmpty());
        model.setDocument(mlp());
        QCOMPARE(model.value(QStringLiteral("File"), QStringLiteral("format")),
                 QStringLiteral("nnscope"));
        QVERIFY(model.value(QStringLiteral("By role"), QStringLiteral("parameter"))
                    .startsWith(QStringLiteral("6 × 535")));
    }

    void plainSafetensorsTree() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "plain.safetensors";
        io::save_safetensors(path,
                             {{"features.0.weight", Tensor::ones({2, 3})},
                              {"features.1.running_mean", Tensor::zeros({3})},
                              {"classifier.weight", Tensor::ones({4, 2})}},
                             {{"producer", "tst_item_models"}});
        ModuleTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(document(path));
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.rowCount(root), 2);
        const QModelIndex features = find_child(model, root, QStringLiteral("features"));
        QCOMPARE(model.rowCount(features), 2);
        QCOMPARE(model.index(0, ModuleTreeModel::TotalParameters).data().toString(),
                 QStringLiteral("14"));
        ui::SummaryModel summary;
        summary.setDocument(model.document());
        QCOMPARE(summary.value(QStringLiteral("Metadata"), QStringLiteral("producer")),
                 QStringLiteral("tst_item_models"));
    }
};

QTEST_MAIN(TestItemModels)
#include "tst_item_models.moc"
