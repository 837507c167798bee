// workflows::call_op against PyTorch 1.13 on the cases of tests/golden/gen_cli_named.py (the
// ones `nnscope-cli run op:NAME` runs): output and every gradient, and the name checks.

#include "support/golden.h"
#include "workflows/op_call.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;

class TestOpCall : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        for (const char* name :
             {"gather", "gather_dim0", "index_select", "scatter_add", "embedding", "cross_entropy",
              "cross_entropy_rules", "nll_loss", "nll_loss_none", "mse_loss"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void matchesPyTorch() {
        QFETCH(QString, name);
        const GoldenFile expected("cli_named/" + name.toStdString() + "_expected.safetensors");
        const GoldenFile in("cli_named/" + name.toStdString() + "_in.safetensors");
        std::map<std::string, Tensor> tensors;
        Tensor grad_output;
        // NAME=FILE[:TENSOR] or FILE: every file here is NAME_in.safetensors.
        for (const QString& input :
             QString::fromStdString(expected.metadata("inputs")).split(u';')) {
            const qsizetype eq = input.indexOf(u'='), colon = input.indexOf(u':');
            if (eq < 0) {
                for (const std::string& n : in.names())
                    (n == "grad_output" ? grad_output : tensors[n]) = in.tensor(n);
                continue;
            }
            const std::string arg = input.left(eq).toStdString();
            const std::string stored = colon < 0 ? arg : input.mid(colon + 1).toStdString();
            (arg == "grad_output" ? grad_output : tensors[arg]) = in.tensor(stored);
        }
        std::map<std::string, std::string> args;
        for (const QString& arg :
             QString::fromStdString(expected.metadata("args")).split(u';', Qt::SkipEmptyParts))
            args[arg.section(u'=', 0, 0).toStdString()] = arg.section(u'=', 1).toStdString();
        const std::string op = expected.metadata("file").substr(3);
        const auto outcome =
            workflows::call_op(workflows::find_op(op), tensors, args, true, grad_output);
        QString why;
        QVERIFY2(test::allclose(outcome.output, expected.tensor("output"), 1e-5, 1e-4, &why),
                 qPrintable(why));
        std::size_t grads = 0;
        for (const std::string& n : expected.names())
            grads += n.starts_with("grad.");
        QCOMPARE(outcome.grads.size(), grads);
        for (const auto& [n, g] : outcome.grads)
            QVERIFY2(test::allclose(g, expected.tensor("grad." + n), 1e-5, 1e-4, &why),
                     qPrintable(QString::fromStdString(n) + u' ' + why));
    }

    void namesAreChecked() {
        const auto& gather = workflows::find_op("gather");
        const std::map<std::string, Tensor> tensors{{"input", Tensor::zeros({2})}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 workflows::call_op(gather, tensors, {{"dim", "0"}}, false));
        QCOMPARE(workflows::describe_tensors(workflows::find_op("cross_entropy").tensors),
                 std::string("input, target, [weight]"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, workflows::find_op("take"));
    }
};

QTEST_GUILESS_MAIN(TestOpCall)
#include "tst_op_call.moc"
