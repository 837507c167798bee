// nn::module_argument_specs, what the builder's argument forms are made from: every type has
// them, they are the list make_module reads (same names and order, defaults it accepts, kinds it
// checks), and their defaults and required arguments are PyTorch 1.13's
// (tests/golden/module_arguments/signatures.json, gen_module_arguments.py, from
// inspect.signature).

#include "engine/nn/registry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <stdexcept>

using namespace nnscope::nn;

namespace {

QJsonObject golden() {
    QFile f(QStringLiteral(NNSCOPE_GOLDEN_DIR "/module_arguments/signatures.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// A value make_module accepts for a required argument of this kind.
Value sample(ArgumentKind kind) {
    switch (kind) {
    case ArgumentKind::Int:
    case ArgumentKind::IntOrTuple:
        return 3;
    case ArgumentKind::Float:
        return 0.5;
    case ArgumentKind::Bool:
        return true;
    case ArgumentKind::String:
        return "mean";
    case ArgumentKind::FloatList:
        return Value::doubles({1.0, 2.0});
    }
    return {};
}

Arguments required_arguments(const std::vector<ArgumentSpec>& specs) {
    Arguments arguments;
    for (const ArgumentSpec& spec : specs)
        if (spec.required) arguments.emplace_back(spec.name, sample(spec.kind));
    return arguments;
}

// A value of a kind the argument does not take.
Value wrong_kind(const ArgumentSpec& spec) {
    if (spec.kind == ArgumentKind::String) return Value(7);
    if (spec.accepts_string) return Value(true);
    return Value("seven");
}

} // namespace

class TestModuleArguments : public QObject {
    Q_OBJECT

private slots:
    void everyType_data() {
        QTest::addColumn<QString>("type");
        for (const std::string& type : module_type_names())
            QTest::newRow(type.c_str()) << QString::fromStdString(type);
    }

    // Names, order, required and defaults as PyTorch's signature has them.
    void everyType() {
        QFETCH(QString, type);
        const QJsonObject signatures = golden();
        QVERIFY2(!signatures.isEmpty(), "tests/golden/module_arguments/signatures.json missing");
        QVERIFY2(signatures.contains(type), "type missing from gen_module_arguments.py's TYPES");
        const std::vector<ArgumentSpec> specs = module_argument_specs(type.toStdString());
        const std::vector<std::string> names = module_argument_names(type.toStdString());
        QCOMPARE(specs.size(), names.size());

        QStringList expected_names, actual_names;
        for (const QJsonValue& entry : signatures.value(type).toArray())
            expected_names << entry.toArray().at(0).toString();
        for (std::size_t i = 0; i < specs.size(); ++i) {
            QCOMPARE(specs[i].name, names[i]);
            actual_names << QString::fromStdString(specs[i].name);
        }
        // EmbeddingBag lists mode, include_last_offset and padding_idx before max_norm where
        // PyTorch has them after it: the same set, so compare sorted.
        expected_names.sort();
        actual_names.sort();
        QCOMPARE(actual_names, expected_names);

        for (const QJsonValue& entry : signatures.value(type).toArray()) {
            const QString name = entry.toArray().at(0).toString();
            const QJsonValue expected = entry.toArray().at(1);
            auto it = std::find_if(specs.begin(), specs.end(), [&](const ArgumentSpec& s) {
                return s.name == name.toStdString();
            });
            QVERIFY(it != specs.end());
            QCOMPARE(it->required, expected.isNull());
            if (!expected.isNull())
                QCOMPARE(QString::fromStdString(it->default_value.repr()), expected.toString());
            if (it->default_value.is_none() && !it->required) QVERIFY(it->accepts_none);
        }
    }

    // make_module builds with the required arguments alone, with every default spelled out, and
    // with None where a spec accepts None.
    void defaultsBuild_data() { everyType_data(); }
    void defaultsBuild() {
        QFETCH(QString, type);
        const auto specs = module_argument_specs(type.toStdString());
        Arguments arguments = required_arguments(specs);
        QVERIFY(make_module(type.toStdString(), arguments) != nullptr);
        Arguments spelled = arguments;
        for (const ArgumentSpec& spec : specs)
            if (!spec.required) spelled.emplace_back(spec.name, spec.default_value);
        QVERIFY(make_module(type.toStdString(), spelled) != nullptr);
        for (const ArgumentSpec& spec : specs) {
            if (!spec.accepts_none) continue;
            Arguments with_none = arguments;
            with_none.emplace_back(spec.name, Value());
            QVERIFY2(make_module(type.toStdString(), with_none) != nullptr, spec.name.c_str());
        }
    }

    // A value of another kind is refused with the argument's name; a missing required one too.
    void kindsChecked_data() { everyType_data(); }
    void kindsChecked() {
        QFETCH(QString, type);
        const auto specs = module_argument_specs(type.toStdString());
        for (const ArgumentSpec& spec : specs) {
            Arguments arguments;
            for (const ArgumentSpec& other : specs)
                if (other.required && other.name != spec.name)
                    arguments.emplace_back(other.name, sample(other.kind));
            if (spec.required) {
                try {
                    make_module(type.toStdString(), arguments);
                    QFAIL(qPrintable(QStringLiteral("no error without ") +
                                     QString::fromStdString(spec.name)));
                } catch (const std::invalid_argument& e) {
                    QVERIFY2(std::string(e.what()).find("missing required argument '" + spec.name +
                                                        "'") != std::string::npos,
                             e.what());
                }
            }
            arguments.emplace_back(spec.name, wrong_kind(spec));
            try {
                make_module(type.toStdString(), arguments);
                QFAIL(qPrintable(QStringLiteral("no error for a wrong kind of ") +
                                 QString::fromStdString(spec.name)));
            } catch (const std::invalid_argument& e) {
                QVERIFY2(std::string(e.what()).find(spec.name) != std::string::npos, e.what());
            }
        }
    }

    void containers() {
        QVERIFY(is_container_type("Sequential"));
        QVERIFY(is_container_type("ModuleList"));
        QVERIFY(is_container_type("ModuleDict"));
        QVERIFY(!is_container_type("Linear"));
        QCOMPARE(argument_kind_name(ArgumentKind::IntOrTuple), std::string_view("int or tuple"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, module_argument_specs("Nope"));
    }
};

QTEST_GUILESS_MAIN(TestModuleArguments)
#include "tst_module_arguments.moc"
