// Every torchvision architecture nnscope builds has torchvision 0.14's state_dict (keys,
// dtypes, shapes, in order) and module tree (paths, class names): digests against
// tests/golden/vision/structure.json (gen_torchvision_structure.py). Built without initialising
// weights (nn::init::SkipInitGuard): only the structure is compared here; values are compared
// by tst_torchvision_golden and tst_torchvision_small.

#include "engine/nn/init.h"
#include "support/golden.h"
#include "vision/torchvision_models.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace nnscope;

namespace {

QJsonObject structure_golden() {
    QFile file(QStringLiteral(NNSCOPE_GOLDEN_DIR "/vision/structure.json"));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

std::string state_line(const std::string& key, const Tensor& t) {
    std::string line = key + " " + std::string(dtype_name(t.dtype())) + " ";
    for (std::size_t d = 0; d < t.shape().size(); ++d)
        line += (d ? "," : "") + std::to_string(t.shape()[d]);
    return line + "\n";
}

struct Digest {
    int count = 0;
    QCryptographicHash hash{QCryptographicHash::Sha256};
    void add(const std::string& line) {
        ++count;
        hash.addData(QByteArrayView(line.data(), static_cast<qsizetype>(line.size())));
    }
    QString hex() const { return QString::fromLatin1(hash.result().toHex()); }
};

} // namespace

class TestTorchvisionStructure : public QObject {
    Q_OBJECT

private slots:
    void everyArchitectureIsKnown() {
        const QJsonObject models = structure_golden().value(QStringLiteral("models")).toObject();
        QVERIFY2(!models.isEmpty(), "vision/structure.json is missing or empty");
        QStringList built;
        for (const std::string& name : vision::torchvision_model_names())
            built << QString::fromStdString(name);
        QCOMPARE(built, models.keys());
    }

    void matchesTorchvision_data() {
        QTest::addColumn<QString>("name");
        for (const std::string& name : vision::torchvision_model_names())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void matchesTorchvision() {
        QFETCH(QString, name);
        const QJsonObject golden =
            structure_golden().value(QStringLiteral("models")).toObject().value(name).toObject();
        QVERIFY2(!golden.isEmpty(), qPrintable(name + QStringLiteral(" is not in structure.json")));
        std::shared_ptr<nn::Module> model;
        {
            nn::init::SkipInitGuard skip;
            model = vision::build_torchvision_model(name.toStdString());
        }
        const nn::StateDict state = model->state_dict();
        // Per top-level child first, so that a difference is narrowed down to one.
        const QJsonObject children = golden.value(QStringLiteral("children")).toObject();
        for (const QString& child : children.keys()) {
            Digest d;
            const std::string prefix = child.toStdString() + ".";
            for (const auto& [key, t] : state)
                if (key.starts_with(prefix)) d.add(state_line(key, t));
            const QJsonObject expected = children.value(child).toObject();
            QCOMPARE(d.count, expected.value(QStringLiteral("keys")).toInt());
            QVERIFY2(d.hex() == expected.value(QStringLiteral("state_digest")).toString(),
                     qPrintable(name + QStringLiteral(": the state_dict under '") + child +
                                QStringLiteral("' differs from torchvision's")));
        }
        Digest whole;
        for (const auto& [key, t] : state)
            whole.add(state_line(key, t));
        QCOMPARE(whole.count, golden.value(QStringLiteral("keys")).toInt());
        QCOMPARE(whole.hex(), golden.value(QStringLiteral("state_digest")).toString());

        Digest modules;
        for (const auto& [path, m] : model->named_modules())
            modules.add(path + " " + m->type_name() + "\n");
        QCOMPARE(modules.count, golden.value(QStringLiteral("modules")).toInt());
        QCOMPARE(modules.hex(), golden.value(QStringLiteral("module_digest")).toString());

        std::int64_t parameters = 0;
        for (const Tensor& p : model->parameters())
            parameters += p.numel();
        QCOMPARE(static_cast<double>(parameters),
                 golden.value(QStringLiteral("parameters")).toDouble());
    }

    void makeTorchvisionModule() {
        // Two torchvision modules name a class InvertedResidual: the module path tells which.
        const auto v2 = vision::make_torchvision_module(
            "torchvision.models.mobilenetv2.InvertedResidual",
            {{"stride", nn::Value(1)}, {"use_res_connect", nn::Value(true)}});
        const auto shuffle = vision::make_torchvision_module(
            "__torch__.torchvision.models.shufflenetv2.InvertedResidual",
            {{"stride", nn::Value(2)}});
        QVERIFY(v2 && shuffle);
        QCOMPARE(v2->type_name(), std::string("InvertedResidual"));
        QCOMPARE(shuffle->arguments().front().second, nn::Value(2));
        QVERIFY(v2->arguments() != shuffle->arguments());
        // Not torchvision's, or not a classification block: nullptr.
        QVERIFY(!vision::make_torchvision_module("__main__.Net", {}));
        QVERIFY(!vision::make_torchvision_module("torchvision.models.detection.FasterRCNN", {}));
        QVERIFY(!vision::make_torchvision_module("BasicBlock", {}));
        // An attribute of the wrong type is named.
        try {
            vision::make_torchvision_module("torchvision.models.resnet.BasicBlock",
                                            {{"stride", nn::Value("two")}});
            QFAIL("a str stride was accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("stride")), e.what());
        }
        // An empty block names the child its forward misses.
        const auto empty =
            vision::make_torchvision_module("torchvision.models.squeezenet.Fire", {});
        try {
            (*empty)(Tensor::zeros({1, 3, 4, 4}));
            QFAIL("a Fire without children ran");
        } catch (const std::out_of_range& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("squeeze")), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTorchvisionStructure)
#include "tst_torchvision_structure.moc"
