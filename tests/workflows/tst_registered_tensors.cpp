// workflows::registered_tensors and saved_keys against PyTorch 1.13 on the same tree
// (tests/golden/gen_registered_tensors.py): the state_dict keys in order, what an optimizer over
// model.parameters() updates, a frozen parameter, a non-persistent buffer left out of the saved
// keys with its reason, a None bias, and a tied weight saved twice and updated once.

#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/linear.h"
#include "workflows/registered_tensors.h"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

std::vector<std::string> strings(const nlohmann::json& j) {
    return j.get<std::vector<std::string>>();
}

std::shared_ptr<nn::Module> model() {
    auto root = std::make_shared<nn::Sequential>();
    auto embed = root->register_module("embed", std::make_shared<nn::Linear>(3, 4, false));
    root->register_module("bn", std::make_shared<nn::BatchNorm1d>(4));
    root->register_module("head", std::make_shared<nn::Linear>(4, 3));
    root->register_parameter("scale", Tensor::ones({1}));
    root->register_parameter("frozen", Tensor::zeros({2}), false);
    root->register_buffer("mask", Tensor::ones({3}));
    root->register_buffer("cache", Tensor::zeros({3}), false);
    auto tied = root->register_module("tied", std::make_shared<nn::Linear>(3, 4, false));
    tied->register_parameter("weight", embed->parameter("weight"));
    return root;
}

} // namespace

class TestRegisteredTensors : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorch() {
        std::ifstream in(NNSCOPE_GOLDEN_DIR "/registered_tensors/expected.json");
        const auto expected = nlohmann::json::parse(in);
        const auto m = model();
        const auto all = registered_tensors(*m);
        std::vector<std::string> saved, optimized, trainable_names, buffers;
        for (const auto& t : all) {
            if (t.saved) saved.push_back(t.key);
            if (t.optimized) optimized.push_back(t.key);
            if (t.kind == RegisteredTensor::Kind::Buffer) buffers.push_back(t.key);
        }
        // The engine's own state_dict agrees, key for key.
        std::vector<std::string> engine_keys;
        for (const auto& [key, t] : m->state_dict())
            engine_keys.push_back(key);
        QCOMPARE(saved, strings(expected["state_dict"]));
        QCOMPARE(engine_keys, saved);
        QCOMPARE(optimized, strings(expected["trainable"]));
        // Buffers in state_dict order (own first), as named_buffers lists them.
        QCOMPARE(buffers, strings(expected["buffers"]));
    }

    void reasons() {
        const auto m = model();
        const auto all = registered_tensors(*m);
        auto find = [&](const std::string& key) -> const RegisteredTensor& {
            for (const auto& t : all)
                if (t.key == key) return t;
            throw std::runtime_error("no " + key);
        };
        QVERIFY(find("scale").why.starts_with("parameter: saved, updated"));
        QVERIFY(!find("frozen").optimized);
        QVERIFY(find("frozen").saved);
        QVERIFY(find("frozen").why.find("requires_grad=False") != std::string::npos);
        QVERIFY(!find("cache").saved);
        QVERIFY(find("cache").why.find("persistent=False") != std::string::npos);
        QVERIFY(find("embed.bias").is_none);
        QVERIFY(!find("embed.bias").saved);
        QCOMPARE(find("tied.weight").shared_with, std::string("embed.weight"));
        QVERIFY(find("tied.weight").saved);
        QVERIFY(!find("tied.weight").optimized);
        QCOMPARE(find("bn.num_batches_tracked").dtype, DType::Int64);
        QCOMPARE(find("head.weight").shape, (Shape{3, 4}));

        const SavedKeys keys = saved_keys(*m);
        QCOMPARE(keys.saved.size(), std::size_t(12));
        QCOMPARE(keys.left_out.size(), std::size_t(3)); // cache, embed.bias, tied.bias
        QCOMPARE(keys.left_out[0].first, std::string("cache"));
        QVERIFY(keys.left_out[0].second.find("persistent=False") != std::string::npos);
    }

    void lazyParameters() {
        auto lazy = std::make_shared<nn::LazyLinear>(5);
        const auto all = registered_tensors(*lazy);
        QCOMPARE(all.size(), std::size_t(2));
        QVERIFY(all[0].uninitialized);
        QVERIFY(all[0].why.starts_with("lazy parameter"));
        QVERIFY(!all[0].saved);
        QVERIFY(all[1].uninitialized);
        const auto no_bias = registered_tensors(nn::LazyLinear(5, false));
        QVERIFY(no_bias[0].uninitialized);
        QVERIFY(no_bias[1].is_none);
    }
};

QTEST_GUILESS_MAIN(TestRegisteredTensors)
#include "tst_registered_tensors.moc"
