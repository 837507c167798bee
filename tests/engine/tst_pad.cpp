// F.pad's four modes and Conv1d/Conv2d's padding_mode against PyTorch 1.13
// (tests/golden/pad/*.safetensors from gen_pad.py): values (bit for bit) and gradients, finite
// differences in float64 for every case, and PyTorch's messages for what it refuses.

#include "arl_golden.h"
#include "engine/nn/conv.h"
#include "engine/nn/registry.h"
#include "engine/ops/conv.h"
#include "engine/ops/pad.h"
#include "support/golden.h"
#include "support/gradcheck.h"

#include <QtTest>

using namespace nnscope;
using nnscope::test::arl::Case;

namespace {

const std::string pad_file = "pad/pad.safetensors";
const std::string conv_file = "pad/conv.safetensors";

std::optional<double> value_of(const Case& c) {
    if (c.at("value").is_null()) return std::nullopt;
    return c.at("value").get<double>();
}

Tensor run_pad(const Case& c, const Tensor& x) {
    return pad(x, c.at("pad").get<std::vector<std::int64_t>>(),
               pad_mode_from_name(c.at("mode").get<std::string>()), value_of(c));
}

nn::Value value_from_json(const Case& j) {
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_integer()) return j.get<std::int64_t>();
    if (j.is_string()) return j.get<std::string>();
    return nn::Value::ints(j.get<std::vector<std::int64_t>>());
}

// The case's Conv1d or Conv2d, built by the factory from PyTorch's keyword arguments.
nn::ModulePtr make_conv(const Case& c) {
    nn::Arguments arguments;
    for (const auto& [name, value] : c.at("args").items())
        arguments.emplace_back(name, value_from_json(value));
    return nn::make_module(c.value("type", std::string("Conv2d")), arguments);
}

// Rows named after the entries of a metadata list ("errors").
void add_index_rows(const std::string& file, const char* key) {
    QTest::addColumn<int>("index");
    const auto list = nlohmann::json::parse(test::GoldenFile(file).metadata(key));
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Case& e = list[i];
        const std::string name = std::to_string(i) + " " + e.value("mode", std::string()) + " " +
                                 e.at("message").get<std::string>().substr(0, 40);
        QTest::newRow(name.c_str()) << static_cast<int>(i);
    }
}

Case entry(const std::string& file, const char* key, int index) {
    return nlohmann::json::parse(test::GoldenFile(file).metadata(key)).at(index);
}

} // namespace

class TestPad : public QObject {
    Q_OBJECT

private slots:
    void pad_golden_data() { test::arl::add_case_rows(pad_file); }
    void pad_golden() {
        const auto [key, c, golden] = test::arl::current_case(pad_file);
        Tensor base = test::arl::leaf(golden.tensor(key + ".x"));
        Tensor out = run_pad(c, test::arl::maybe_transpose(base, c));
        NNSCOPE_COMPARE_TENSORS_EXACT(out, golden.tensor(key + ".out"));
        out.backward(golden.tensor(key + ".gy"));
        NNSCOPE_COMPARE_TENSORS(base.grad(), golden.tensor(key + ".grad_x"),
                                test::arl::atol_for(out.dtype()), test::arl::rtol_for(out.dtype()));
    }

    void pad_gradcheck_data() { test::arl::add_case_rows(pad_file); }
    void pad_gradcheck() {
        const auto [key, c, golden] = test::arl::current_case(pad_file);
        const Tensor x = golden.tensor(key + ".x").to(DType::Float64);
        NNSCOPE_GRADCHECK(
            [&](const std::vector<Tensor>& in) {
                return run_pad(c, test::arl::maybe_transpose(in[0], c));
            },
            std::vector<Tensor>{x});
    }

    void pad_errors_data() { add_index_rows(pad_file, "errors"); }
    void pad_errors() {
        QFETCH(int, index);
        const Case e = entry(pad_file, "errors", index);
        const Tensor x = Tensor::zeros(e.at("shape").get<Shape>(),
                                       dtype_from_name(e.at("dtype").get<std::string>()));
        const auto pads = e.at("pad").get<std::vector<std::int64_t>>();
        const std::string message = test::arl::error_of([&] {
            pad(x, pads, pad_mode_from_name(e.at("mode").get<std::string>()), value_of(e));
        });
        QCOMPARE(message, e.at("message").get<std::string>());
    }

    void pad_integer_and_half() {
        // Circular and constant copy any dtype; reflect 3-D takes half floats too.
        const Tensor ints = Tensor::from_int64({1, 2, 3}, {1, 1, 3});
        QCOMPARE(pad(ints, {2, 1}, PadMode::Circular).to_int64_vector(),
                 (std::vector<std::int64_t>{2, 3, 1, 2, 3, 1}));
        QCOMPARE(pad(ints, {1, 0}, PadMode::Constant, 7.0).to_int64_vector(),
                 (std::vector<std::int64_t>{7, 1, 2, 3}));
        const Tensor half = Tensor::from_vector({1, 2}, {1, 1, 1, 1, 2}).to(DType::Float16);
        QCOMPARE(pad(half, {1, 1, 0, 0, 0, 0}, PadMode::Reflect).to_vector(),
                 (std::vector<double>{2, 1, 2, 1}));
    }

    void pad_last_dims_any_axis() {
        // ONNX Pad's reach: every dim of a rank-2 tensor, edge mode included.
        const Tensor x = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
        QCOMPARE(pad_last_dims(x, {1, 0, 1, 0}, PadMode::Replicate).to_vector(),
                 (std::vector<double>{1, 1, 2, 3, 1, 1, 2, 3, 4, 4, 5, 6}));
        QCOMPARE(test::arl::error_of([&] {
                     pad_last_dims(x, {0, 0, 2, 0}, PadMode::Reflect);
                 }),
                 std::string("pad: reflect padding (2, 0) must be below the size at dimension 0 of "
                             "size 2"));
    }

    // A hostile file's padding must not overflow a size (UB) before any rule looks at it.
    void pad_overflow() {
        const Tensor x = Tensor::zeros({1, 1, 3});
        const std::int64_t huge = std::numeric_limits<std::int64_t>::max();
        for (PadMode mode : {PadMode::Constant, PadMode::Reflect, PadMode::Circular})
            QCOMPARE(test::arl::error_of([&] {
                         pad(x, {huge, 1}, mode);
                     }),
                     std::string("pad: padding (9223372036854775807, 1) overflows at dimension 2"));
        QCOMPARE(test::arl::error_of([&] {
                     pad_last_dims(x, {1, huge}, PadMode::Replicate);
                 }),
                 std::string("pad: padding (1, 9223372036854775807) overflows at dimension 2 of "
                             "size 3"));
    }

    void conv_golden_data() { test::arl::add_case_rows(conv_file); }
    void conv_golden() {
        const auto [key, c, golden] = test::arl::current_case(conv_file);
        nn::ModulePtr conv = make_conv(c);
        QCOMPARE(conv->repr(), c.at("repr").get<std::string>());
        conv->parameter("weight").copy_(golden.tensor(key + ".weight"));
        const bool bias = golden.has(key + ".bias");
        if (bias) conv->parameter("bias").copy_(golden.tensor(key + ".bias"));
        Tensor x = test::arl::leaf(golden.tensor(key + ".x"));
        Tensor out = (*conv)(x);
        NNSCOPE_COMPARE_TENSORS(out, golden.tensor(key + ".out"), 1e-5, 1e-4);
        out.backward(golden.tensor(key + ".gy"));
        NNSCOPE_COMPARE_TENSORS(x.grad(), golden.tensor(key + ".grad_x"), 1e-5, 1e-4);
        NNSCOPE_COMPARE_TENSORS(conv->parameter("weight").grad(),
                                golden.tensor(key + ".grad_weight"), 1e-5, 1e-4);
        if (bias)
            NNSCOPE_COMPARE_TENSORS(conv->parameter("bias").grad(),
                                    golden.tensor(key + ".grad_bias"), 1e-5, 1e-4);
    }

    // The module itself in float64: its weight and bias replaced by the checked leaves.
    void conv_gradcheck_data() { test::arl::add_case_rows(conv_file); }
    void conv_gradcheck() {
        const auto [key, c, golden] = test::arl::current_case(conv_file);
        nn::ModulePtr conv = make_conv(c);
        std::vector<Tensor> inputs{golden.tensor(key + ".x").to(DType::Float64),
                                   golden.tensor(key + ".weight").to(DType::Float64)};
        if (golden.has(key + ".bias"))
            inputs.push_back(golden.tensor(key + ".bias").to(DType::Float64));
        NNSCOPE_GRADCHECK(
            [&](const std::vector<Tensor>& in) {
                conv->register_parameter("weight", in[1]);
                if (in.size() > 2) conv->register_parameter("bias", in[2]);
                return (*conv)(in[0]);
            },
            inputs);
    }

    void conv_errors_data() { add_index_rows(conv_file, "errors"); }
    void conv_errors() {
        QFETCH(int, index);
        const Case e = entry(conv_file, "errors", index);
        nn::ModulePtr conv = make_conv(e);
        const Tensor x = Tensor::zeros(e.at("x_shape").get<Shape>());
        QCOMPARE(test::arl::error_of([&] { (*conv)(x); }), e.at("message").get<std::string>());
    }

    // conv1d's refusals show the 1-D shapes, as PyTorch's (texts from PyTorch 1.13).
    void conv1d_errors() {
        const auto z = [](Shape s) { return Tensor::zeros(s); };
        const auto message = [](auto fn) { return test::arl::error_of(fn); };
        QCOMPARE(message([&] {
                     conv1d(z({2, 3, 8}), z({4, 2, 3}), Tensor());
                 }),
                 std::string("Given groups=1, weight of size [4, 2, 3], expected input[2, 3, 8] "
                             "to have 2 channels, but got 3 channels instead"));
        QCOMPARE(message([&] {
                     conv1d(z({3, 8}), z({4, 2, 3}), Tensor());
                 }),
                 std::string("Given groups=1, weight of size [4, 2, 3], expected input[1, 3, 8] "
                             "to have 2 channels, but got 3 channels instead"));
        QCOMPARE(message([&] {
                     conv1d(z({2, 4, 8}), z({5, 2, 3}), Tensor(), 1, 0, 1, 2);
                 }),
                 std::string("Given groups=2, expected weight to be divisible by 2 at dimension "
                             "0, but got weight of size [[5, 2, 3]] instead"));
        QCOMPARE(message([&] {
                     conv1d(z({2, 1, 2}), z({4, 1, 3}), Tensor());
                 }),
                 std::string("Calculated padded input size per channel: (2). Kernel size: (3). "
                             "Kernel size can't be greater than actual input size"));
        QCOMPARE(message([&] {
                     conv1d(z({2, 1, 8}), z({4, 1, 3}), z({3}));
                 }),
                 std::string("Given weight of size [4, 1, 3], expected bias to be 1-dimensional "
                             "with 4 elements, but got bias of size [3] instead"));
    }

    void conv_padding_mode_checked_at_construction() {
        QCOMPARE(test::arl::error_of([] { nn::Conv2d(1, 1, 3, 1, 0, 1, 1, true, "edge"); }),
                 std::string("padding_mode must be one of {'zeros', 'reflect', 'replicate', "
                             "'circular'}, but got padding_mode='edge'"));
        const nn::Conv2d conv(1, 2, 3, 1, 1, 1, 1, true, "circular");
        QCOMPARE(nn::make_module("Conv2d", conv.arguments())->repr(), conv.repr());
    }
};

QTEST_GUILESS_MAIN(TestPad)
#include "tst_pad.moc"
