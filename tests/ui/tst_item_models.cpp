// The window's item models under QAbstractItemModelTester: the module tree (parents and counts
// from dotted paths), its filter, the tensor table (paging, statistics, buffer styling) and the
// summary, over documents built from real files.

#include "io/open_model.h"
#include "io/safetensors.h"
#include "session/document_snapshot.h"
#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/summary_model.h"
#include "ui/models/tensor_table_model.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QtTest>
#include <filesystem>

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
        filter.setFilterText(QStringLiteral("batchnorm"));
        QCOMPARE(filter.rowCount(), 1); // the root, as an ancestor
        const QModelIndex root = filter.index(0, 0);
        QCOMPARE(filter.rowCount(root), 1);
        const QModelIndex heads = filter.index(0, 0, root);
        QCOMPARE(heads.data().toString(), QStringLiteral("heads"));
        QCOMPARE(filter.rowCount(heads), 1);
        QCOMPARE(filter.index(0, 0, heads).data().toString(), QStringLiteral("b"));
        filter.setFilterText(QStringLiteral("BLOCKS.1"));
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 1);
        filter.setFilterText(QStringLiteral("no such module"));
        QCOMPARE(filter.rowCount(), 0);
        filter.setFilterText(QString());
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
