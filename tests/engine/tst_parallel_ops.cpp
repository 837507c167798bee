// Every op spread over the engine's threads gives the same bytes with 1, 2, 3 and 4 threads:
// forward results and gradients, on sizes below, at and across each op's grain or chunk (odd
// sizes, strided inputs, NaN and Inf present), and the optimizers' steps.

#include "engine/ops/activation.h"
#include "engine/ops/conv.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/loss.h"
#include "engine/ops/norm.h"
#include "engine/ops/reduce.h"
#include "engine/optim/adam.h"
#include "engine/optim/sgd.h"
#include "engine/parallel.h"
#include "engine/random.h"
#include "engine/zero_grad.h"

#include <QtTest>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace nnscope;

namespace {

using Outputs = std::vector<Tensor>;
using Case = std::function<Outputs(std::int64_t size)>;

struct ThreadsGuard {
    int saved = parallel::configured_threads();
    ~ThreadsGuard() { parallel::set_num_threads(saved); }
};

// Deterministic float32 values in about [-3, 3], with NaN, +Inf and -Inf sprinkled in when
// `specials` (at fixed places spread over the whole tensor).
Tensor input(const Shape& shape, std::uint64_t seed, bool specials = true) {
    Generator gen(seed);
    Tensor t = randn(shape, gen);
    if (specials && t.numel() >= 8) {
        float* p = t.data_ptr<float>();
        const std::int64_t n = t.numel();
        p[n / 7] = std::numeric_limits<float>::quiet_NaN();
        p[n / 3] = std::numeric_limits<float>::infinity();
        p[n / 2 + 1] = -std::numeric_limits<float>::infinity();
        p[n - 2] = std::numeric_limits<float>::quiet_NaN();
    }
    return t;
}

Tensor leaf(const Tensor& t) {
    return t.detach().clone().requires_grad_(true);
}

// [rows, cols] with rows * cols about `size`; cols odd so that rows straddle the pieces.
Shape matrix(std::int64_t size, std::int64_t cols = 67) {
    return {std::max<std::int64_t>(1, (size + cols - 1) / cols), cols};
}

// out · w summed, backward, then {out, x.grad}: exercises the op's backward with a varied
// incoming gradient.
Outputs with_grad(const Tensor& x, const Tensor& out) {
    Generator gen(99);
    const Tensor w = randn(out.shape(), gen);
    sum(mul(out, w)).backward();
    return {out.detach(), x.grad()};
}

bool same_bytes(const Tensor& a, const Tensor& b) {
    if (a.defined() != b.defined()) return false;
    if (!a.defined()) return true;
    if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
    const Tensor ca = a.contiguous(), cb = b.contiguous();
    const auto bytes = static_cast<std::size_t>(ca.numel()) * element_size(ca.dtype());
    return std::memcmp(ca.raw_data(), cb.raw_data(), bytes) == 0;
}

std::map<std::string, Case> cases() {
    std::map<std::string, Case> c;
    // --- elementwise, contiguous, scalar and broadcast operands, strided walks ---------------
    c["add"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 1)), b = leaf(input({n}, 2));
        Tensor out = add(a, b, 0.5);
        Outputs r = with_grad(a, out);
        r.push_back(b.grad());
        return r;
    };
    c["mul_broadcast"] = [](std::int64_t n) {
        Tensor a = leaf(input(matrix(n), 3)), b = leaf(input({67}, 4));
        Tensor out = mul(a, b);
        Outputs r = with_grad(a, out);
        r.push_back(b.grad()); // sum_to over the rows
        return r;
    };
    c["div_transposed"] = [](std::int64_t n) {
        Tensor a = leaf(input(matrix(n), 5)), b = leaf(input(matrix(n), 6));
        Tensor out = div(a.t(), b.t());
        Outputs r = with_grad(a, out);
        r.push_back(b.grad());
        return r;
    };
    c["sub_scalar_neg"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 7));
        return with_grad(a, neg(sub(mul(a, 3.0), 1.5)));
    };
    c["exp_log_sqrt"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 8));
        return with_grad(a, add(exp(a), add(log(a), sqrt(a))));
    };
    c["pow_abs_clamp"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 9)), b = leaf(input({n}, 10));
        Tensor out = add(pow(a, 3.0), add(abs(a), clamp(a, -1.0, 2.0)));
        Outputs r = with_grad(a, add(out, pow(abs(a), b)));
        r.push_back(b.grad());
        return r;
    };
    c["int_add"] = [](std::int64_t n) {
        Generator gen(11);
        const Tensor a = randint(-100, 100, {n}, gen);
        return Outputs{add(a, a), mul(a, 7.0), neg(a)};
    };
    // --- activations ---------------------------------------------------------------------------
    c["relu_sigmoid_tanh"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 12));
        return with_grad(a, add(relu(a), add(sigmoid(a), tanh(a))));
    };
    c["gelu"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 13));
        return with_grad(a, add(gelu(a), gelu(a, "tanh")));
    };
    c["relu_transposed"] = [](std::int64_t n) {
        Tensor a = leaf(input(matrix(n), 14));
        return with_grad(a, relu(a.t()));
    };
    c["softmax_last"] = [](std::int64_t n) {
        Tensor a = leaf(input(matrix(n, 10), 15));
        return with_grad(a, softmax(a, 1));
    };
    c["log_softmax_first"] = [](std::int64_t n) {
        Tensor a = leaf(input(matrix(n), 16));
        return with_grad(a, log_softmax(a, 0)); // strided lines
    };
    // --- comparisons and where -----------------------------------------------------------------
    c["compare_where"] = [](std::int64_t n) {
        Tensor a = leaf(input(matrix(n), 17)), b = leaf(input({67}, 18));
        const Tensor mask = gt(a.detach(), b.detach());
        Outputs r = with_grad(a, where(mask, a, b));
        r.push_back(b.grad());
        r.push_back(mask);
        r.push_back(eq(a.detach().t(), a.detach().t()));
        return r;
    };
    // --- reductions ----------------------------------------------------------------------------
    c["sum_mean_all"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 19, false));
        Outputs r = with_grad(a, add(sum(a), mean(a)));
        r.push_back(sum(input({n}, 19))); // NaN and Inf
        Generator gen(20);
        r.push_back(sum(randint(-1000, 1000, {n}, gen)));
        return r;
    };
    c["sum_dims"] = [](std::int64_t n) {
        const Tensor a = input(matrix(n), 21, false);
        const Tensor cube = input({3, std::max<std::int64_t>(1, n / 201), 67}, 22, false);
        return Outputs{sum(a, {0}),     sum(a, {1}), mean(a, {0}, true), sum(cube, {1}),
                       sum(a.t(), {0}), sum(a.t()),  sum(cube, {0, 2})};
    };
    c["max_argmax"] = [](std::int64_t n) {
        Tensor a = leaf(input(matrix(n), 23));
        Tensor b = leaf(input(matrix(n), 24, false));
        auto [values, indices] = max(b, 1);
        Outputs r = with_grad(b, add(values, max(b)));
        r.push_back(indices);
        r.push_back(max(a.detach()));       // a NaN wins
        r.push_back(max(a.detach().t()));   // strided
        r.push_back(argmax(a.detach()));    // flattened
        r.push_back(argmax(b.detach(), 0)); // strided lines
        return r;
    };
    // --- losses --------------------------------------------------------------------------------
    c["cross_entropy"] = [](std::int64_t n) {
        const std::int64_t classes = 10;
        const std::int64_t batch = std::max<std::int64_t>(1, n / classes);
        Tensor x = leaf(input({batch, classes}, 25, false));
        Generator gen(26);
        Tensor target = randint(0, classes, {batch}, gen);
        target.data_ptr<std::int64_t>()[batch / 2] = -100; // ignored
        const Tensor weight = rand({classes}, gen);
        Tensor a = leaf(x);
        Tensor loss = cross_entropy(a, target, weight, -100, "mean", 0.1);
        loss.backward();
        Tensor b = leaf(x);
        Tensor per_sample = cross_entropy(b, target, Tensor(), -100, "none");
        Outputs r = with_grad(b, per_sample);
        r.push_back(loss.detach());
        r.push_back(a.grad());
        r.push_back(cross_entropy(x.detach(), target, Tensor(), -100, "sum"));
        // [N, C, inner]: samples interleave in memory.
        Tensor image = leaf(input({std::max<std::int64_t>(1, batch / 9), classes, 9}, 27));
        Tensor image_target = randint(0, classes, {image.size(0), 9}, gen);
        Tensor image_loss = cross_entropy(image, image_target);
        image_loss.backward();
        r.push_back(image_loss.detach());
        r.push_back(image.grad());
        return r;
    };
    c["mse"] = [](std::int64_t n) {
        Tensor a = leaf(input({n}, 28, false));
        const Tensor y = input({n}, 29, false);
        Tensor loss = mse_loss(a, y);
        loss.backward();
        Tensor b = leaf(input({n}, 28, false));
        Outputs r = with_grad(b, mse_loss(b, y, "none"));
        r.push_back(loss.detach());
        r.push_back(a.grad());
        r.push_back(mse_loss(a.detach(), y, "sum"));
        return r;
    };
    // --- pooling -------------------------------------------------------------------------------
    c["max_pool_2x2"] = [](std::int64_t n) {
        // 14 x 14 planes: rows of 7 outputs spill past the row in the vector kernels.
        Tensor a = leaf(input({1, std::max<std::int64_t>(1, n / 196), 14, 14}, 30));
        return with_grad(a, max_pool2d(a, {2, 2}, {2, 2}));
    };
    c["max_pool_2x2_narrow"] = [](std::int64_t n) {
        // 2 x 6 and 6 x 6 planes: rows of 3 outputs, so even the rows above a plane's last one
        // reach past the plane in the vector kernels (forward and backward), into the next
        // thread's planes when a piece ends there.
        Tensor a = leaf(input({1, std::max<std::int64_t>(1, n / 12), 2, 6}, 34));
        Tensor b = leaf(input({1, std::max<std::int64_t>(1, n / 36), 6, 6}, 35));
        Outputs r = with_grad(a, max_pool2d(a, {2, 2}, {2, 2}));
        Outputs more = with_grad(b, max_pool2d(b, {2, 2}, {2, 2}));
        r.insert(r.end(), more.begin(), more.end());
        return r;
    };
    c["max_pool_3x3"] = [](std::int64_t n) {
        Tensor a = leaf(input({2, std::max<std::int64_t>(1, n / 242), 11, 11}, 31));
        return with_grad(a, max_pool2d(a, {3, 3}, {2, 2}, {1, 1}, {1, 1}, true));
    };
    c["avg_pool"] = [](std::int64_t n) {
        Tensor a = leaf(input({1, std::max<std::int64_t>(1, n / 121), 11, 11}, 32));
        Tensor b = leaf(a);
        Outputs r = with_grad(a, avg_pool2d(a, {3, 3}, {2, 2}, {1, 1}, true, false));
        Outputs more = with_grad(b, avg_pool2d(b, {2, 2}, {2, 2}));
        r.insert(r.end(), more.begin(), more.end());
        return r;
    };
    // --- normalisation -------------------------------------------------------------------------
    c["batch_norm"] = [](std::int64_t n) {
        const std::int64_t channels = 7;
        Tensor x = leaf(
            input({std::max<std::int64_t>(2, n / (channels * 25)), channels, 5, 5}, 33, false));
        Tensor w = leaf(input({channels}, 34, false)), b = leaf(input({channels}, 35, false));
        Tensor running_mean = Tensor::zeros({channels}), running_var = Tensor::ones({channels});
        Outputs r = with_grad(x, batch_norm(x, running_mean, running_var, w, b, true, 0.1, 1e-5));
        r.push_back(w.grad());
        r.push_back(b.grad());
        r.push_back(running_mean);
        r.push_back(running_var);
        Tensor e = leaf(x);
        Outputs eval = with_grad(
            e, batch_norm(e, running_mean, running_var, w.detach(), b.detach(), false, 0.1, 1e-5));
        r.insert(r.end(), eval.begin(), eval.end());
        return r;
    };
    c["layer_norm"] = [](std::int64_t n) {
        Tensor x = leaf(input(matrix(n, 33), 36, false));
        Tensor w = leaf(input({33}, 37, false)), b = leaf(input({33}, 38, false));
        Outputs r = with_grad(x, layer_norm(x, {33}, w, b, 1e-5));
        r.push_back(w.grad());
        r.push_back(b.grad());
        return r;
    };
    // --- optimizers and zero_grad --------------------------------------------------------------
    auto sgd = [](optim::SGDOptions o) {
        return [o](std::int64_t n) {
            Tensor p = leaf(input({n}, 40, false));
            Tensor q = leaf(input(matrix(n), 41, false));
            optim::SGD opt({p, q}, o);
            Outputs r;
            for (int step = 0; step < 3; ++step) {
                opt.zero_grad();
                sum(mul(mul(p, p), 0.5)).backward();
                sum(mul(q, q)).backward();
                opt.step();
            }
            r.push_back(p.detach().clone());
            r.push_back(q.detach().clone());
            r.push_back(opt.momentum_buffer(p));
            opt.zero_grad();
            r.push_back(p.grad()); // zero-filled
            return r;
        };
    };
    c["sgd_plain"] = sgd({0.1});
    c["sgd_momentum_wd"] = sgd({0.1, 0.9, 0.1, 0.01});
    c["sgd_nesterov"] = sgd({0.1, 0.9, 0.0, 0.01, true});
    auto adam = [](optim::AdamOptions o, bool w) {
        return [o, w](std::int64_t n) {
            Tensor p = leaf(input({n}, 42, false));
            std::unique_ptr<optim::Adam> opt =
                w ? std::make_unique<optim::AdamW>(std::vector<Tensor>{p}, o)
                  : std::make_unique<optim::Adam>(std::vector<Tensor>{p}, o);
            for (int step = 0; step < 3; ++step) {
                opt->zero_grad();
                sum(mul(mul(p, p), p)).backward();
                opt->step();
            }
            const optim::AdamState* s = opt->state(p);
            return Outputs{p.detach().clone(), s->exp_avg, s->exp_avg_sq, s->max_exp_avg_sq};
        };
    };
    c["adam"] = adam({1e-2, 0.9, 0.999, 1e-8, 0.01}, false);
    c["adamw_amsgrad"] = adam({1e-2, 0.9, 0.99, 1e-8, 0.1, true}, true);
    c["zero_grads"] = [](std::int64_t n) {
        Tensor p = leaf(input({n}, 43));
        sum(mul(p, 2.0)).backward();
        const Tensor grad = p.grad();
        zero_grads({p}, false);
        return Outputs{grad, p.grad()};
    };
    return c;
}

} // namespace

class TestParallelOps : public QObject {
    Q_OBJECT

private slots:
    void same_bytes_for_any_thread_count_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<qint64>("size");
        // Below, at and across the grains (4 K and 32 K elements) and the reduction chunks
        // (64 K elements; a sum's parallel blocks start at 128 K), odd sizes included.
        const std::vector<qint64> sizes{1,     1000, 4096, 32768, 32768 * 3 + 17, 65536 * 2 + 1001,
                                        300007};
        for (const auto& [name, run] : cases())
            for (qint64 size : sizes) {
                const std::string row = name + "_" + std::to_string(size);
                QTest::newRow(row.c_str()) << QString::fromStdString(name) << size;
            }
    }
    void same_bytes_for_any_thread_count() {
        QFETCH(QString, op);
        QFETCH(qint64, size);
        const Case run = cases().at(op.toStdString());
        ThreadsGuard guard;
        parallel::set_num_threads(1);
        const Outputs reference = run(size);
        QVERIFY(!reference.empty());
        for (int threads : {2, 3, 4}) {
            parallel::set_num_threads(threads);
            const Outputs got = run(size);
            QCOMPARE(got.size(), reference.size());
            for (std::size_t i = 0; i < got.size(); ++i)
                if (!same_bytes(got[i], reference[i]))
                    QFAIL(
                        qPrintable(QString("output %1 differs at %2 threads").arg(i).arg(threads)));
        }
    }

    // Spot values: the parallel kernels compute what the serial ones do.
    void values_are_right() {
        ThreadsGuard guard;
        parallel::set_num_threads(3);
        const std::int64_t n = 200001;
        const Tensor ones = Tensor::ones({n});
        QCOMPARE(sum(ones).item(), static_cast<double>(n));
        QCOMPARE(mean(ones).item(), 1.0);
        Tensor ramp = Tensor::arange(n).to(DType::Float32);
        QCOMPARE(max(ramp).item(), static_cast<double>(n - 1));
        QCOMPARE(argmax(ramp).item(), static_cast<double>(n - 1));
        QCOMPARE(add(ramp, 1.0).data_ptr<float>()[n - 1], static_cast<float>(n));
        QCOMPARE(relu(sub(ramp, 100000.0)).data_ptr<float>()[99999], 0.0f);
        QCOMPARE(relu(sub(ramp, 100000.0)).data_ptr<float>()[n - 1], 100000.0f);
        // The first NaN wins a max, wherever the chunks fall.
        ramp.data_ptr<float>()[150000] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(std::isnan(max(ramp).item()));
        QCOMPARE(argmax(ramp).item(), 150000.0);
        // An out-of-range target is named, the first one in sample order.
        Tensor target = Tensor::zeros({n / 10}, DType::Int64);
        target.data_ptr<std::int64_t>()[5000] = 12;
        target.data_ptr<std::int64_t>()[19000] = 11;
        try {
            cross_entropy(Tensor::zeros({n / 10, 10}), target);
            QFAIL("no error for an out-of-range target");
        } catch (const std::out_of_range& e) {
            QCOMPARE(std::string(e.what()), std::string("Target 12 is out of bounds."));
        }
    }
};

QTEST_GUILESS_MAIN(TestParallelOps)
#include "tst_parallel_ops.moc"
