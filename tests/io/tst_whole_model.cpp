// Whole pickled models (torch.save(model)) and checkpoints holding everyday Python objects
// (gen_whole_models.py): the module tree, types, constructor arguments, parameters and buffers
// must be exactly what named_modules(), extra_repr(), named_parameters() and named_buffers() say;
// argparse.Namespace, NumPy scalars and arrays, paths, dict subclasses and config objects must
// read as their values.

#include "io/pytorch_archive.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <set>

using namespace nnscope;

namespace {

std::string golden(const std::string& file) {
    return std::string(NNSCOPE_GOLDEN_DIR) + "/whole_models/" + file;
}

QJsonObject expected_json(const std::string& stem) {
    QFile file(QString::fromStdString(golden(stem + ".json")));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

Shape shape_of(const QJsonArray& dims) {
    Shape shape;
    for (const auto& d : dims)
        shape.push_back(d.toInteger());
    return shape;
}

std::vector<const io::TensorEntry*> with_role(const io::ModelDocument& document,
                                              io::TensorRole role) {
    std::vector<const io::TensorEntry*> out;
    for (const auto& entry : document.tensors)
        if (entry.role == role) out.push_back(&entry);
    return out;
}

// Modules whose extra_repr PyTorch prints empty and for which nnscope must print nothing either.
const std::set<std::string> empty_repr_types{"Sequential", "ModuleList", "ModuleDict", "Identity",
                                             "ReLU"};

} // namespace

class TestWholeModel : public QObject {
    Q_OBJECT

private slots:
    void wholeModels_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("stem");
        for (const char* stem : {"sequential", "small_cnn", "custom"}) {
            QTest::newRow(stem) << QStringLiteral("%1.pt").arg(QLatin1String(stem))
                                << QString::fromLatin1(stem);
            QTest::newRow(qPrintable(QStringLiteral("%1_legacy").arg(QLatin1String(stem))))
                << QStringLiteral("%1_legacy.pt").arg(QLatin1String(stem))
                << QString::fromLatin1(stem);
        }
        QTest::newRow("resnet18") << QStringLiteral("resnet18_narrow.pt")
                                  << QStringLiteral("resnet18_narrow");
    }

    void wholeModels() {
        QFETCH(QString, file);
        QFETCH(QString, stem);
        const QJsonObject expected = expected_json(stem.toStdString());
        QVERIFY(!expected.isEmpty());
        const io::ModelDocument doc = io::open_pytorch_file(golden(file.toStdString()));

        const QJsonArray modules = expected[QLatin1String("modules")].toArray();
        QCOMPARE(doc.modules.size(), std::size_t(modules.size()));
        for (qsizetype i = 0; i < modules.size(); ++i) {
            const QJsonArray m = modules[i].toArray();
            QCOMPARE(QString::fromStdString(doc.modules[i].first), m[0].toString());
            QCOMPARE(QString::fromStdString(doc.modules[i].second), m[1].toString());
        }
        const QJsonObject reprs = expected[QLatin1String("extra_repr")].toObject();
        for (const auto& [path, type] : doc.modules) {
            const QString repr = reprs[QString::fromStdString(path)].toString();
            const auto it = doc.module_arguments.find(path);
            if (!repr.isEmpty()) {
                QVERIFY2(it != doc.module_arguments.end(), path.c_str());
                QCOMPARE(QString::fromStdString(it->second), repr);
            } else if (empty_repr_types.count(type)) {
                QVERIFY2(it == doc.module_arguments.end(), path.c_str());
            }
        }

        const QJsonArray parameters = expected[QLatin1String("parameters")].toArray();
        const auto params = with_role(doc, io::TensorRole::Parameter);
        QCOMPARE(params.size(), std::size_t(parameters.size()));
        const QJsonObject values = expected[QLatin1String("values")].toObject();
        for (qsizetype i = 0; i < parameters.size(); ++i) {
            const QJsonArray p = parameters[i].toArray();
            QCOMPARE(QString::fromStdString(params[i]->name), p[0].toString());
            QCOMPARE(params[i]->shape, shape_of(p[1].toArray()));
            QVERIFY(!params[i]->role_inferred);
            QCOMPARE(params[i]->requires_grad, std::optional<bool>(p[2].toBool()));
            QCOMPARE(params[i]->load().to_vector().front(), values[p[0].toString()].toDouble());
        }
        const QJsonArray buffers = expected[QLatin1String("buffers")].toArray();
        const auto bufs = with_role(doc, io::TensorRole::Buffer);
        QCOMPARE(bufs.size(), std::size_t(buffers.size()));
        for (qsizetype i = 0; i < buffers.size(); ++i) {
            const QJsonArray b = buffers[i].toArray();
            QCOMPARE(QString::fromStdString(bufs[i]->name), b[0].toString());
            QCOMPARE(bufs[i]->shape, shape_of(b[1].toArray()));
            QVERIFY(!bufs[i]->role_inferred);
            QCOMPARE(bufs[i]->persistent, std::optional<bool>(b[2].toBool()));
            QCOMPARE(bufs[i]->load().to_vector().front(), values[b[0].toString()].toDouble());
        }
    }

    // What the golden JSON cannot say: a custom class's own attributes, a tied parameter listed
    // once, a tensor kept as a plain attribute, and the types legacy files name through their
    // ('module', class, file, source) ids.
    void customModelDetails_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("zip") << QStringLiteral("custom.pt");
        QTest::newRow("legacy") << QStringLiteral("custom_legacy.pt");
    }
    void customModelDetails() {
        QFETCH(QString, file);
        const io::ModelDocument doc = io::open_pytorch_file(golden(file.toStdString()));
        QCOMPARE(doc.module_arguments.at("block"), std::string("scale=0.25, name='block'"));
        QVERIFY(doc.find("block.decoder.weight"));
        QVERIFY(!doc.find("block.tied.weight")); // the same Parameter as block.decoder.weight
        const io::TensorEntry* plain = doc.find("block.plain");
        QVERIFY(plain);
        QCOMPARE(plain->role, io::TensorRole::Unknown);
        QCOMPARE(plain->load().to_vector(), std::vector<double>{7.0});
        QCOMPARE(doc.find("block.frozen")->requires_grad, std::optional<bool>(false));
        QCOMPARE(doc.find("block.cache")->persistent, std::optional<bool>(false));
        QCOMPARE(doc.find("block.steps")->dtype, DType::Int64);
    }

    void checkpointObjects_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("zip") << QStringLiteral("checkpoint_objects.pt");
        QTest::newRow("legacy") << QStringLiteral("checkpoint_objects_legacy.pt");
    }
    void checkpointObjects() {
        QFETCH(QString, file);
        const QJsonObject expected = expected_json("checkpoint_objects");
        const io::ModelDocument doc = io::open_pytorch_file(golden(file.toStdString()));
        const QJsonObject metadata = expected[QLatin1String("metadata")].toObject();
        QVERIFY(!metadata.isEmpty());
        for (auto it = metadata.begin(); it != metadata.end(); ++it) {
            const auto found = doc.metadata.find(it.key().toStdString());
            QVERIFY2(found != doc.metadata.end(), qPrintable(it.key()));
            QCOMPARE(QString::fromStdString(found->second), it.value().toString());
        }
        const QJsonObject tensors = expected[QLatin1String("tensors")].toObject();
        for (auto it = tensors.begin(); it != tensors.end(); ++it) {
            const io::TensorEntry* entry = doc.find(it.key().toStdString());
            QVERIFY2(entry, qPrintable(it.key()));
            const QJsonArray spec = it.value().toArray();
            QCOMPARE(entry->shape, shape_of(spec[0].toArray()));
            std::vector<double> values;
            for (const auto& v : spec[1].toArray())
                values.push_back(v.toDouble());
            const std::vector<double> loaded = entry->load().contiguous().to_vector();
            QCOMPARE(loaded.size(), values.size());
            for (std::size_t i = 0; i < values.size(); ++i)
                QCOMPARE(float(loaded[i]), float(values[i]));
        }
    }

    // Complex, quantized and sparse tensors stay placeholders naming what they are; the tensors
    // around them (and inside the sparse one) still read.
    void foreignTensorsArePlaceholders() {
        const io::ModelDocument doc = io::open_pytorch_file(golden("foreign_tensors.pt"));
        QCOMPARE(doc.find("plain")->load().to_vector(), (std::vector<double>{1.0, 2.0}));
        QVERIFY(doc.metadata.at("complex").starts_with(
            "<torch._utils._rebuild_tensor_v2(<torch.ComplexFloatStorage('"));
        QVERIFY(doc.metadata.at("quantized")
                    .starts_with("<torch._utils._rebuild_qtensor(<torch.QInt8Storage('"));
        QCOMPARE(doc.metadata.at("sparse"), std::string("<torch._utils._rebuild_sparse_tensor>"));
        QCOMPARE(doc.find("sparse.1.1")->load().to_vector(), (std::vector<double>{2.0, 3.0}));
        // The legacy layout cannot step over bytes of an unknown element size: refused by name.
        try {
            io::open_pytorch_file(golden("foreign_tensors_legacy.pt"));
            QFAIL("opened");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("torch.ComplexFloatStorage") != std::string::npos,
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestWholeModel)
#include "tst_whole_model.moc"
