// The autograd core: recording, the backward engine, accumulation, retain_graph, no-grad,
// detach, tensor hooks and deep graphs. Expected values come from calculus by hand.

#include "engine/autograd/grad_mode.h"
#include "engine/autograd/node.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "support/golden.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;

class TestAutograd : public QObject {
    Q_OBJECT

private:
    static Tensor leaf(std::vector<double> values, DType dtype = DType::Float64) {
        Tensor t = Tensor::from_vector(values, {static_cast<std::int64_t>(values.size())}, dtype);
        t.requires_grad_(true);
        return t;
    }

private slots:
    void polynomialGradient() {
        // d/dx sum(x*x + 3x) = 2x + 3
        Tensor x = leaf({1.0, -2.0, 0.5});
        Tensor y = sum(add(mul(x, x), mul(x, 3.0)));
        QVERIFY(y.requires_grad());
        QVERIFY(!y.is_leaf());
        y.backward();
        QCOMPARE(x.grad().to_vector(), (std::vector<double>{5.0, -1.0, 4.0}));
    }

    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf({2.0});
        Tensor y = sum(mul(x, x));
        y.backward(Tensor(), /*retain_graph=*/true);
        y.backward();
        QCOMPARE(x.grad().item(), 8.0); // 2 * (2x)
    }

    void secondBackwardWithoutRetainGraphFails() {
        Tensor x = leaf({2.0});
        Tensor y = sum(mul(x, x)); // MulBackward saves its inputs
        y.backward();
        try {
            y.backward();
            QFAIL("a second backward through freed saved tensors must fail");
        } catch (const std::runtime_error& error) {
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("second time")));
        }
    }

    void nonScalarBackwardNeedsGradient() {
        Tensor x = leaf({1.0, 2.0});
        Tensor y = mul(x, 2.0);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, y.backward());
        y.backward(Tensor::from_vector({1.0, 10.0}, {2}, DType::Float64));
        QCOMPARE(x.grad().to_vector(), (std::vector<double>{2.0, 20.0}));
    }

    void gradientShapeMustMatch() {
        Tensor x = leaf({1.0, 2.0});
        Tensor y = mul(x, 2.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 y.backward(Tensor::ones({3}, DType::Float64)));
    }

    void tensorWithoutHistoryCannotBackward() {
        Tensor x = Tensor::ones({2});
        try {
            sum(x).backward();
            QFAIL("expected an error");
        } catch (const std::runtime_error& error) {
            QVERIFY(
                QString::fromUtf8(error.what()).contains(QStringLiteral("does not require grad")));
        }
    }

    void noGradScopeRecordsNothing() {
        Tensor x = leaf({1.0});
        {
            autograd::NoGradGuard guard;
            Tensor y = mul(x, x);
            QVERIFY(!y.requires_grad());
            QVERIFY(!y.grad_fn());
        }
        QVERIFY(mul(x, x).requires_grad());
    }

    void detachSharesStorageWithoutHistory() {
        Tensor x = leaf({1.0, 2.0});
        Tensor y = mul(x, 2.0);
        Tensor d = y.detach();
        QVERIFY(!d.requires_grad());
        QVERIFY(d.is_leaf());
        QCOMPARE(d.storage().get(), y.storage().get());
    }

    void requiresGradOnlyForFloatingLeaves() {
        Tensor i = Tensor::zeros({2}, DType::Int64);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, i.requires_grad_(true));
        Tensor x = leaf({1.0});
        Tensor y = mul(x, 2.0);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, y.requires_grad_(false));
    }

    void leafHookSeesAndReplacesGradient() {
        Tensor x = leaf({1.0, 2.0});
        std::vector<double> seen;
        HookHandle handle = x.register_hook([&](const Tensor& g) {
            seen = g.to_vector();
            return mul(g, 10.0);
        });
        sum(mul(x, x)).backward();
        QCOMPARE(seen, (std::vector<double>{2.0, 4.0}));
        QCOMPARE(x.grad().to_vector(), (std::vector<double>{20.0, 40.0}));
        handle.remove();
        x.set_grad(Tensor());
        sum(mul(x, x)).backward();
        QCOMPARE(x.grad().to_vector(), (std::vector<double>{2.0, 4.0}));
    }

    void hookOnIntermediateReplacesWhatFlowsOn() {
        Tensor x = leaf({3.0});
        Tensor h = mul(x, x); // dh/dx = 2x = 6
        double seen = 0;
        h.register_hook([&](const Tensor& g) {
            seen = g.item();
            return mul(g, 0.5);
        });
        sum(mul(h, 4.0)).backward(); // dL/dh = 4, halved by the hook
        QCOMPARE(seen, 4.0);
        QCOMPARE(x.grad().item(), 12.0);
    }

    void hooksRunInRegistrationOrder() {
        Tensor x = leaf({1.0});
        QString order;
        x.register_hook([&](const Tensor& g) {
            order += QLatin1Char('a');
            return add(g, 1.0);
        });
        x.register_hook([&](const Tensor& g) {
            order += QLatin1Char('b');
            return mul(g, 3.0);
        });
        sum(x).backward();
        QCOMPARE(order, QStringLiteral("ab"));
        QCOMPARE(x.grad().item(), 6.0); // (1 + 1) * 3
    }

    void retainGradKeepsIntermediateGradient() {
        Tensor x = leaf({2.0});
        Tensor h = mul(x, x);
        h.retain_grad();
        sum(mul(h, 3.0)).backward();
        QCOMPARE(h.grad().item(), 3.0);
        QCOMPARE(x.grad().item(), 12.0);
    }

    void diamondGraphSumsBothPaths() {
        // y = x*a + x*b with a shared x: dy/dx = a + b; the engine must wait for both paths.
        Tensor x = leaf({1.5});
        Tensor y = add(mul(x, 2.0), mul(mul(x, x), 1.0));
        sum(y).backward();
        QCOMPARE(x.grad().item(), 2.0 + 2 * 1.5);
    }

    void broadcastGradientIsSummedBack() {
        Tensor a = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Float64);
        a.requires_grad_(true);
        Tensor b = leaf({10.0, 20.0, 30.0});
        sum(mul(a, b)).backward();
        QCOMPARE(b.grad().shape(), (Shape{3}));
        QCOMPARE(b.grad().to_vector(), (std::vector<double>{5.0, 7.0, 9.0}));
        QCOMPARE(a.grad().to_vector(), (std::vector<double>{10, 20, 30, 10, 20, 30}));
    }

    void autogradGradLeavesDotGradAlone() {
        Tensor x = leaf({2.0});
        Tensor y = sum(mul(mul(x, x), x)); // 3x^2 = 12
        auto grads = autograd::grad({y}, {Tensor()}, {x});
        QCOMPARE(grads[0].item(), 12.0);
        QVERIFY(!x.grad().defined());
    }

    void deepChainNeitherOverflowsNorRecurses() {
        // 10,000 recorded ops: backward and the graph's destruction both run in constant stack.
        Tensor x = leaf({1.0});
        Tensor y = x;
        for (int i = 0; i < 10000; ++i)
            y = mul(y, 1.0001);
        sum(y).backward();
        QVERIFY(std::abs(x.grad().item() - std::pow(1.0001, 10000)) < 1e-9);
        Tensor z = x;
        for (int i = 0; i < 200000; ++i)
            z = add(z, 0.0);
        z = Tensor(); // drops a 200,000-node chain
        QVERIFY(!z.defined());
    }

    void undefinedTensorAccessIsAnError() {
        Tensor t;
        QVERIFY(!t.defined());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, t.shape());
    }
};

QTEST_GUILESS_MAIN(TestAutograd)
#include "tst_autograd.moc"
