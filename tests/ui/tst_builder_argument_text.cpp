// The builder's argument fields in Python's spelling: each kind read from its text (ints kept as
// ints where a float is taken, tuples with or without brackets, None only where the argument
// takes it, a Conv's "same"), refusals that say what was expected, and the text a value shows.

#include "ui/builder/argument_text.h"

#include <QtTest>
#include <stdexcept>

using namespace nnscope;
using nnscope::ui::argumentText;
using nnscope::ui::parseArgumentText;

namespace {

nn::ArgumentSpec spec(const char* type, const char* name) {
    for (const nn::ArgumentSpec& s : nn::module_argument_specs(type))
        if (s.name == name) return s;
    throw std::logic_error("no such argument");
}

} // namespace

class TestBuilderArgumentText : public QObject {
    Q_OBJECT

private slots:
    void parses_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("repr"); // of the value, or "!message" for a refusal
        QTest::newRow("int") << "Linear"
                             << "in_features"
                             << " 12 "
                             << "12";
        QTest::newRow("int refused") << "Linear"
                                     << "in_features"
                                     << "1.5"
                                     << "!expected an int, got '1.5'";
        QTest::newRow("None refused") << "Linear"
                                      << "in_features"
                                      << "None"
                                      << "!expected an int, got 'None'";
        QTest::newRow("optional int") << "Softmax"
                                      << "dim"
                                      << "None"
                                      << "None";
        QTest::newRow("float") << "LeakyReLU"
                               << "negative_slope"
                               << "0.2"
                               << "0.2";
        QTest::newRow("float keeps an int") << "Softplus"
                                            << "beta"
                                            << "2"
                                            << "2";
        QTest::newRow("float refused") << "ELU"
                                       << "alpha"
                                       << "a"
                                       << "!expected a float, got 'a'";
        QTest::newRow("optional float") << "BatchNorm2d"
                                        << "momentum"
                                        << "None"
                                        << "None";
        QTest::newRow("bool") << "Linear"
                              << "bias"
                              << "False"
                              << "False";
        QTest::newRow("bool refused") << "Linear"
                                      << "bias"
                                      << "no"
                                      << "!expected True or False, got 'no'";
        QTest::newRow("str") << "GELU"
                             << "approximate"
                             << "tanh"
                             << "'tanh'";
        QTest::newRow("size int") << "Conv2d"
                                  << "kernel_size"
                                  << "3"
                                  << "3";
        QTest::newRow("size tuple") << "Conv2d"
                                    << "kernel_size"
                                    << "(3, 5)"
                                    << "(3, 5)";
        QTest::newRow("size bare") << "Conv2d"
                                   << "stride"
                                   << "2, 1"
                                   << "(2, 1)";
        QTest::newRow("size one") << "Conv1d"
                                  << "kernel_size"
                                  << "(3,)"
                                  << "(3,)";
        QTest::newRow("size refused") << "Conv2d"
                                      << "stride"
                                      << "same"
                                      << "!expected an int or a tuple of ints, got 'same'";
        QTest::newRow("padding str") << "Conv2d"
                                     << "padding"
                                     << "same"
                                     << "'same'";
        QTest::newRow("stride None") << "MaxPool2d"
                                     << "stride"
                                     << "None"
                                     << "None";
        QTest::newRow("float list") << "CrossEntropyLoss"
                                    << "weight"
                                    << "[1, 0.5]"
                                    << "(1.0, 0.5)";
        QTest::newRow("float list refused") << "CrossEntropyLoss"
                                            << "weight"
                                            << "1, x"
                                            << "!expected a list of floats, got '1, x'";
    }
    void parses() {
        QFETCH(QString, type);
        QFETCH(QString, name);
        QFETCH(QString, text);
        QFETCH(QString, repr);
        const nn::ArgumentSpec s = spec(type.toUtf8().constData(), name.toUtf8().constData());
        if (repr.startsWith(QLatin1Char('!'))) {
            try {
                parseArgumentText(text, s);
                QFAIL("accepted");
            } catch (const std::invalid_argument& e) {
                QCOMPARE(QString::fromStdString(e.what()), repr.mid(1));
            }
            return;
        }
        const nn::Value value = parseArgumentText(text, s);
        QCOMPARE(QString::fromStdString(value.repr()), repr);
        // Shown again, it reads back the same.
        QCOMPARE(parseArgumentText(argumentText(value, s), s), value);
    }
};

QTEST_GUILESS_MAIN(TestBuilderArgumentText)
#include "tst_builder_argument_text.moc"
