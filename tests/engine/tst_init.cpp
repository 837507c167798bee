// Default initialisation and nn.init against PyTorch 1.13 (tests/golden/nn/init.safetensors,
// gen_nn.py): after manual_seed(s), building the same tree gives PyTorch's values bit for bit.

#include "engine/generator.h"
#include "engine/nn/activation.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/embedding.h"
#include "engine/nn/flatten.h"
#include "engine/nn/init.h"
#include "engine/nn/layernorm.h"
#include "engine/nn/linear.h"
#include "engine/nn/pooling.h"
#include "nn_golden.h"

#include <QtTest>
#include <functional>

using namespace nnscope;
using namespace nnscope::nn;
using namespace nnscope::test::nn_golden;
using nnscope::test::GoldenFile;

namespace {

const std::string kFile = "nn/init.safetensors";

struct Arch {
    std::uint64_t seed;
    std::function<ModulePtr()> build;
};

std::map<std::string, Arch> architectures() {
    return {
        {"mlp",
         {0,
          [] {
              return mk<Sequential>(
                  std::vector<ModulePtr>{mk<Linear>(20, 16), mk<ReLU>(), mk<Linear>(16, 10)});
          }}},
        {"cnn",
         {1,
          [] {
              return mk<Sequential>(
                  std::vector<ModulePtr>{mk<Conv2d>(1, 4, 3, 1, 1), mk<BatchNorm2d>(4), mk<ReLU>(),
                                         mk<MaxPool2d>(2), mk<Conv2d>(4, 8, 3, 2, 0, 1, 1, false),
                                         mk<Conv2d>(8, 4, Value::ints({1, 3}), 1, 0, 1, 2),
                                         mk<Flatten>(), mk<Linear>(12, 3)});
          }}},
        {"emb",
         {2,
          [] {
              return mk<ModuleDict>(std::vector<std::pair<std::string, ModulePtr>>{
                  {"tok", mk<Embedding>(10, 4, 1)},
                  {"bag", mk<EmbeddingBag>(8, 3, "sum")},
                  {"norm", mk<LayerNorm>(Shape{4})},
                  {"bn", mk<BatchNorm1d>(3)},
                  {"out", mk<Linear>(4, 2, false)}});
          }}},
        {"big",
         {3,
          [] {
              return mk<Sequential>(
                  std::vector<ModulePtr>{mk<Linear>(33, 7), mk<Embedding>(5, 7, -1)});
          }}},
    };
}

void compare_state(const Module& m, const GoldenFile& g, const std::string& tag) {
    NN_COMPARE_LISTS(m.state_dict().keys(), metadata_list(g, tag + ".keys"));
    for (const auto& [key, value] : m.state_dict())
        NNSCOPE_COMPARE_TENSORS_EXACT(value, g.tensor(tag + "." + key));
}

} // namespace

class TestInit : public QObject {
    Q_OBJECT

private slots:
    void defaultInitIsExact_data() { add_name_rows(architectures()); }
    void defaultInitIsExact() {
        QFETCH(QString, name);
        const QString tag = name;
        GoldenFile g(kFile);
        const auto all = architectures();
        const Arch& arch = all.at(tag.toStdString());
        manual_seed(arch.seed);
        compare_state(*arch.build(), g, tag.toStdString());
    }

    void lazyLinearInitialisesAtFirstForward() {
        GoldenFile g(kFile);
        manual_seed(4);
        auto lazy = std::make_shared<LazyLinear>(3);
        Sequential model{mk<Linear>(5, 6), lazy, mk<Linear>(3, 2)};
        QVERIFY(lazy->has_uninitialized_params());
        QVERIFY(!lazy->weight().defined());
        QCOMPARE(QString::fromStdString(model.repr()),
                 QString::fromStdString(g.metadata("lazy.repr_before")));
        model(Tensor::zeros({2, 5})); // values do not matter, the shape gives in_features
        QVERIFY(!lazy->has_uninitialized_params());
        QCOMPARE(lazy->type_name(), std::string("Linear"));
        QCOMPARE(QString::fromStdString(model.repr()),
                 QString::fromStdString(g.metadata("lazy.repr_after")));
        for (const auto& [key, value] : model.state_dict())
            NNSCOPE_COMPARE_TENSORS_EXACT(value, g.tensor("lazy." + key));
    }

    void lazyLinearMaterialisesFromStateDict() {
        GoldenFile g(kFile);
        Sequential model{mk<Linear>(5, 6), mk<LazyLinear>(3), mk<Linear>(3, 2)};
        model.load_state_dict(state_dict_from(g, "lazy."));
        for (const auto& [key, value] : model.state_dict())
            NNSCOPE_COMPARE_TENSORS_EXACT(value, g.tensor("lazy." + key));
        QVERIFY(!model[1]->has_uninitialized_params());
    }

    void initFunctions() {
        GoldenFile g(kFile);
        manual_seed(5);
        Tensor w = Tensor::empty({6, 5});
        const std::vector<std::pair<std::string, std::function<void(const Tensor&)>>> steps = {
            {"xavier_uniform", [](const Tensor& t) { init::xavier_uniform_(t, 1.5); }},
            {"xavier_normal", [](const Tensor& t) { init::xavier_normal_(t); }},
            {"kaiming_uniform",
             [](const Tensor& t) { init::kaiming_uniform_(t, 0.0, "fan_out", "relu"); }},
            {"kaiming_normal", [](const Tensor& t) { init::kaiming_normal_(t, 0.2); }},
            {"uniform", [](const Tensor& t) { init::uniform_(t, -2.0, 3.0); }},
            {"normal", [](const Tensor& t) { init::normal_(t, 1.0, 2.0); }},
        };
        for (const auto& [name, step] : steps) {
            step(w);
            NNSCOPE_COMPARE_TENSORS_EXACT(w, g.tensor("init." + name));
        }
        Tensor conv_w = Tensor::empty({4, 3, 2, 2});
        init::kaiming_normal_(conv_w, 0.0, "fan_out", "tanh");
        NNSCOPE_COMPARE_TENSORS_EXACT(conv_w, g.tensor("init.kaiming_normal_conv"));

        Generator gen(7);
        Tensor w7 = Tensor::empty({6, 5});
        init::xavier_uniform_(w7, 1.0, &gen);
        NNSCOPE_COMPARE_TENSORS_EXACT(w7, g.tensor("init.xavier_uniform_gen7"));
    }

    void gains() {
        GoldenFile g(kFile);
        QCOMPARE(python_float_repr(init::calculate_gain("leaky_relu")),
                 g.metadata("gain.leaky_relu"));
        QCOMPARE(python_float_repr(init::calculate_gain("tanh")), g.metadata("gain.tanh"));
        QCOMPARE(init::calculate_gain("relu"), std::sqrt(2.0));
        QCOMPARE(init::calculate_gain("conv2d"), 1.0);
        QCOMPARE(init::calculate_gain("selu"), 0.75);
    }

    void errors() {
        GoldenFile structure("nn/structure.safetensors");
        QCOMPARE(error_message([] {
                     init::kaiming_uniform_(Tensor::zeros({2, 2}), 0.0, "fan");
                 }),
                 structure.metadata("error.kaiming_mode"));
        QCOMPARE(error_message([] { init::xavier_uniform_(Tensor::zeros({3})); }),
                 structure.metadata("error.fan_1d"));
        QCOMPARE(error_message([] { init::calculate_gain("swish"); }),
                 std::string("Unsupported nonlinearity swish"));
    }

    void usableThroughApply() {
        Sequential model{mk<Linear>(3, 4), mk<ReLU>(), mk<Linear>(4, 2)};
        model.apply([](Module& m) {
            if (m.type_name() != "Linear") return;
            init::constant_(m.parameter("weight"), 0.5);
            init::zeros_(m.parameter("bias"));
        });
        for (const auto& [name, p] : model.named_parameters()) {
            const double expected = name.find("weight") != std::string::npos ? 0.5 : 0.0;
            for (double v : p.to_vector())
                QCOMPARE(v, expected);
            QVERIFY(p.is_leaf());
        }
    }
};

QTEST_GUILESS_MAIN(TestInit)
#include "tst_init.moc"
