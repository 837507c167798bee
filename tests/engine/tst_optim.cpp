// Optimizers against PyTorch 1.13 (tests/golden/nn/optim.safetensors, gen_nn.py): ten steps of
// SGD with each option, Adam, AdamW and amsgrad on loss = sum(w * (p - t)^2), compared step by
// step; option validation messages; the SGD step's speed on a large parameter.

#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "engine/ops/shape.h"
#include "engine/optim/adam.h"
#include "engine/optim/sgd.h"
#include "nn_golden.h"

#include <QtTest>
#include <chrono>
#include <functional>
#include <memory>

using namespace nnscope;
using namespace nnscope::optim;
using namespace nnscope::test::nn_golden;
using nnscope::test::GoldenFile;

namespace {

const std::string kFile = "nn/optim.safetensors";

using Factory = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;

SGDOptions sgd(double lr, double momentum = 0, double dampening = 0, double weight_decay = 0,
               bool nesterov = false, bool maximize = false) {
    return SGDOptions{lr, momentum, dampening, weight_decay, nesterov, maximize};
}

AdamOptions adam(double lr, double weight_decay = 0, bool amsgrad = false) {
    AdamOptions o;
    o.lr = lr;
    o.weight_decay = weight_decay;
    o.amsgrad = amsgrad;
    return o;
}

std::map<std::string, Factory> configs() {
    auto make_sgd = [](SGDOptions o) {
        return Factory([o](std::vector<Tensor> p) { return std::make_unique<SGD>(p, o); });
    };
    auto make_adam = [](AdamOptions o) {
        return Factory([o](std::vector<Tensor> p) { return std::make_unique<Adam>(p, o); });
    };
    auto make_adamw = [](AdamOptions o) {
        return Factory([o](std::vector<Tensor> p) { return std::make_unique<AdamW>(p, o); });
    };
    AdamOptions adam_wd = adam(0.05, 0.1);
    adam_wd.beta1 = 0.8;
    adam_wd.beta2 = 0.99;
    AdamOptions adamw_default = AdamW::default_options(); // weight_decay 1e-2
    adamw_default.lr = 0.05;
    AdamOptions adam_max = adam(0.01);
    adam_max.eps = 1e-6;
    adam_max.maximize = true;
    return {
        {"sgd", make_sgd(sgd(0.1))},
        {"sgd_momentum", make_sgd(sgd(0.1, 0.9))},
        {"sgd_dampening", make_sgd(sgd(0.1, 0.9, 0.5))},
        {"sgd_nesterov", make_sgd(sgd(0.1, 0.8, 0, 0, true))},
        {"sgd_wd", make_sgd(sgd(0.1, 0, 0, 0.1))},
        {"sgd_all", make_sgd(sgd(0.05, 0.9, 0, 0.01, true))},
        {"sgd_maximize", make_sgd(sgd(0.01, 0.5, 0, 0.1, false, true))},
        {"adam", make_adam(adam(0.05))},
        {"adam_wd", make_adam(adam_wd)},
        {"adam_amsgrad", make_adam(adam(0.05, 0, true))},
        {"adam_maximize", make_adam(adam_max)},
        {"adamw", make_adamw(adamw_default)},
        {"adamw_amsgrad", make_adamw(adam(0.05, 0.1, true))},
    };
}

} // namespace

class TestOptim : public QObject {
    Q_OBJECT

private slots:
    void trajectory_data() { add_name_rows(configs()); }
    void trajectory() {
        QFETCH(QString, name);
        GoldenFile g(kFile);
        const Tensor target = g.tensor("target");
        const Tensor weight = g.tensor("weight");
        const Tensor expected = g.tensor(name.toStdString() + ".trajectory");
        Tensor p = g.tensor("p0").clone();
        p.requires_grad_(true);
        auto opt = configs().at(name.toStdString())({p});
        for (std::int64_t step = 0; step < 10; ++step) {
            opt->zero_grad();
            sum(weight * pow(p - target, 2.0)).backward();
            opt->step();
            NNSCOPE_COMPARE_TENSORS(p.detach(), expected.select(0, step), 1e-5, 1e-4);
        }
        QVERIFY(p.is_leaf());
    }

    void stateAndZeroGrad() {
        Tensor p = Tensor::ones({3});
        p.requires_grad_(true);
        SGD opt({p}, sgd(0.1, 0.9));
        QVERIFY(!opt.momentum_buffer(p).defined());
        p.set_grad(Tensor::full({3}, 2.0));
        opt.step();
        // First momentum step: buf = grad; p = 1 - 0.1 * 2.
        QCOMPARE(opt.momentum_buffer(p).to_vector(), std::vector<double>(3, 2.0));
        QCOMPARE(p.detach().to_vector(), std::vector<double>(3, static_cast<float>(1 - 0.1f * 2)));
        const Tensor grad = p.grad();
        opt.zero_grad();
        QVERIFY(p.grad().is_same(grad));
        QCOMPARE(p.grad().to_vector(), std::vector<double>(3, 0.0));
        opt.zero_grad(true);
        QVERIFY(!p.grad().defined());
        opt.step(); // no gradient: nothing moves
        QCOMPARE(p.detach().to_vector(), std::vector<double>(3, static_cast<float>(1 - 0.1f * 2)));

        Adam adam_opt({p});
        p.set_grad(Tensor::ones({3}));
        adam_opt.step();
        QCOMPARE(adam_opt.state(p)->step, 1.0);
        QVERIFY(!adam_opt.state(p)->max_exp_avg_sq.defined());
        // The learning rate of a group can change between steps (what a scheduler does).
        opt.options().lr = 0.5;
        QCOMPARE(opt.param_groups().at(0).options.lr, 0.5);
    }

    void validation() {
        GoldenFile structure("nn/structure.safetensors");
        Tensor p = Tensor::zeros({1});
        p.requires_grad_(true);
        QCOMPARE(error_message([&] { SGD({p}, sgd(-1.0)); }), structure.metadata("error.sgd_lr"));
        QCOMPARE(error_message([&] { SGD({p}, sgd(0.1, 0, 0, 0, true)); }),
                 structure.metadata("error.sgd_nesterov"));
        AdamOptions bad;
        bad.beta1 = 1.0;
        QCOMPARE(error_message([&] { Adam({p}, bad); }), structure.metadata("error.adam_beta"));
        QCOMPARE(error_message([&] { SGD({p * 2.0}, sgd(0.1)); }),
                 std::string("can't optimize a non-leaf Tensor"));
    }

    // The SGD step is in the training hot path: it must run at memory speed.
    void sgdStepSpeed() {
        const std::int64_t n = 1 << 22; // 4M floats, 16 MB
        Tensor p = Tensor::zeros({n});
        p.requires_grad_(true);
        p.set_grad(Tensor::ones({n}));
        for (double momentum : {0.0, 0.9}) {
            SGD opt({p}, sgd(0.01, momentum));
            opt.step();
            const auto start = std::chrono::steady_clock::now();
            const int reps = 20;
            for (int i = 0; i < reps; ++i)
                opt.step();
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count() /
                reps;
            qInfo("SGD step (momentum %.1f) on %lld floats: %.2f ms (%.2f GB/s)", momentum,
                  static_cast<long long>(n), ms,
                  (momentum == 0 ? 12.0 : 20.0) * static_cast<double>(n) / (ms * 1e6));
        }
    }
};

QTEST_GUILESS_MAIN(TestOptim)
#include "tst_optim.moc"
