// The generator and the random fills against PyTorch 1.13's CPU streams, bit for bit. Golden
// values come from tests/golden/gen_generator.py, which also checks the models used here
// against torch; the cases are listed in each file's "cases" metadata.

#include "engine/generator.h"
#include "engine/random.h"
#include "support/golden.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace nnscope;
using nnscope::test::GoldenFile;

namespace {

QJsonArray casesOf(const GoldenFile& file) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(file.metadata("cases"))).array();
}

std::uint64_t seedOf(const QJsonObject& c) {
    return std::stoull(c.value(QStringLiteral("seed")).toString().toStdString());
}

std::string str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString().toStdString();
}

double num(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toDouble();
}

std::int64_t integer(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toInteger();
}

Shape shapeOf(const QJsonObject& o, const char* key = "shape") {
    Shape shape;
    for (const auto v : o.value(QLatin1String(key)).toArray())
        shape.push_back(v.toInteger());
    return shape;
}

DType dtypeOf(const QJsonObject& step) {
    const auto name = str(step, "dtype");
    return name.empty() ? DType::Float32 : dtype_from_name(name);
}

// The tensor a fill step writes into: fresh, then permuted or sliced as the script did.
Tensor viewOf(const QJsonObject& step) {
    Tensor t = Tensor::empty(shapeOf(step), dtypeOf(step));
    if (step.contains(QStringLiteral("permute"))) t = t.permute(shapeOf(step, "permute"));
    if (step.contains(QStringLiteral("slice"))) {
        const Shape s = shapeOf(step, "slice");
        t = t.slice(s[0], s[1], s[2], s[3]);
    }
    return t;
}

// Runs one step of a case and compares its result with "<key>" (and extras the step stored).
void checkStep(const GoldenFile& file, const QJsonObject& step, const std::string& key,
               Generator& g) {
    const std::string op = str(step, "op");
    Tensor out;
    if (op == "rand") {
        out = rand(shapeOf(step), g, dtypeOf(step));
    } else if (op == "randn") {
        out = randn(shapeOf(step), g, dtypeOf(step));
    } else if (op == "uniform") {
        out = viewOf(step);
        uniform_(out, num(step, "from"), num(step, "to"), g);
    } else if (op == "normal") {
        out = viewOf(step);
        normal_(out, num(step, "mean"), num(step, "std"), g);
    } else if (op == "bernoulli") {
        out = viewOf(step);
        bernoulli_(out, num(step, "p"), g);
    } else if (op == "randint") {
        out =
            randint(std::stoll(str(step, "low")), std::stoll(str(step, "high")), shapeOf(step), g);
    } else if (op == "randperm") {
        const std::int64_t n = integer(step, "n");
        out = randperm(n, g);
        if (n > 2000) {
            const auto v = out.to_int64_vector();
            std::int64_t checksum = 0;
            for (std::size_t i = 0; i < v.size(); ++i)
                checksum += static_cast<std::int64_t>(i) * v[i];
            NNSCOPE_COMPARE_TENSORS_EXACT(Tensor::from_int64({checksum}, {1}),
                                          file.tensor(key + "/checksum"));
            std::vector<std::int64_t> ends(v.begin(), v.begin() + 500);
            ends.insert(ends.end(), v.end() - 500, v.end());
            out = Tensor::from_int64(ends, {1000});
        }
    } else if (op == "multinomial") {
        out = multinomial(file.tensor(key + "/weights"), integer(step, "samples"),
                          step.value(QStringLiteral("replacement")).toBool(), g);
    } else {
        QFAIL(
            qPrintable(QStringLiteral("unknown op in golden file: ") + QString::fromStdString(op)));
    }
    NNSCOPE_COMPARE_TENSORS_EXACT(out, file.tensor(key));
}

void checkAfter(const GoldenFile& file, const std::string& name, Generator& g) {
    // Three more draws prove the case consumed exactly as many numbers as PyTorch.
    NNSCOPE_COMPARE_TENSORS_EXACT(randint(0, std::int64_t{1} << 31, {3}, g),
                                  file.tensor(name + "/after"));
}

// Runs fn(name, generator) for every case whose name starts with prefix, on a generator seeded
// as the case says, then checks what the generator draws next.
template <class Fn> void forEachCase(const GoldenFile& file, const std::string& prefix, Fn&& fn) {
    for (const auto c : casesOf(file)) {
        const QJsonObject o = c.toObject();
        const std::string name = o.value(QStringLiteral("name")).toString().toStdString();
        if (name.rfind(prefix, 0) != 0) continue;
        Generator g(seedOf(o));
        fn(name, g);
        if (QTest::currentTestFailed()) return;
        checkAfter(file, name, g);
    }
}

void addCaseRows(const char* filename) {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QJsonObject>("testCase");
    const GoldenFile file(std::string("generator/") + filename);
    for (const auto c : casesOf(file)) {
        const QJsonObject o = c.toObject();
        QTest::newRow(qPrintable(o.value(QStringLiteral("name")).toString()))
            << QString::fromLatin1(filename) << o;
    }
}

// kaiming_uniform_(a=sqrt(5)) and bias bounds, computed as nn.init does in Python.
std::pair<double, double> initBounds(std::int64_t fan_in) {
    const double gain = std::sqrt(2.0 / (1 + std::pow(std::sqrt(5.0), 2.0)));
    const double fan = static_cast<double>(fan_in);
    return {std::sqrt(3.0) * (gain / std::sqrt(fan)), 1 / std::sqrt(fan)};
}

// dropout's arithmetic on top of bernoulli_: x * (mask / float(1 - p)), in float.
std::vector<double> applyDropout(const std::vector<double>& x, const std::vector<double>& mask,
                                 double p, std::size_t per_mask) {
    const auto keep = static_cast<float>(1.0 - p);
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const float scale = static_cast<float>(mask[i / per_mask]) / keep;
        out[i] = static_cast<float>(x[i]) * scale;
    }
    return out;
}

} // namespace

class TestGenerator : public QObject {
    Q_OBJECT

private slots:
    void rawStreams() {
        const GoldenFile file("generator/stream.safetensors");
        for (const auto c : casesOf(file)) {
            const QJsonObject o = c.toObject();
            const std::string name = o.value(QStringLiteral("name")).toString().toStdString();
            Generator g(seedOf(o));
            QCOMPARE(g.initial_seed(), seedOf(o));
            std::vector<std::int64_t> got(1300);
            for (auto& v : got)
                v = g.random();
            NNSCOPE_COMPARE_TENSORS_EXACT(Tensor::from_int64(got, {1300}),
                                          file.tensor(name + "/random"));
            g.manual_seed(seedOf(o));
            got.resize(700);
            for (auto& v : got)
                v = static_cast<std::int64_t>(g.random64());
            NNSCOPE_COMPARE_TENSORS_EXACT(Tensor::from_int64(got, {700}),
                                          file.tensor(name + "/random64"));
            g.manual_seed(seedOf(o));
            got.resize(5);
            for (auto& v : got)
                v = random_int64(g);
            NNSCOPE_COMPARE_TENSORS_EXACT(Tensor::from_int64(got, {5}),
                                          file.tensor(name + "/random_int64"));
        }
    }

    void seedUsesLow32Bits() {
        Generator a(5);
        Generator b((std::uint64_t{1} << 32) + 5);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(a.random(), b.random());
        QCOMPARE(b.initial_seed(), (std::uint64_t{1} << 32) + 5);
    }

    void manualSeedRestartsAndClearsCache() {
        Generator g(9);
        const Tensor first = randn({3}, g); // leaves a cached Box-Muller value
        g.manual_seed(9);
        QVERIFY(!g.next_double_normal_sample().has_value());
        NNSCOPE_COMPARE_TENSORS_EXACT(randn({3}, g), first);
    }

    void defaultGenerator() {
        nnscope::manual_seed(42);
        const std::uint32_t a = default_generator().random();
        Generator g(42);
        QCOMPARE(a, g.random());
        QCOMPARE(Generator().initial_seed(), Generator::default_seed);
    }

    void continuous_data() { addCaseRows("continuous.safetensors"); }
    void continuous() { runCase(); }
    void discrete_data() { addCaseRows("discrete.safetensors"); }
    void discrete() { runCase(); }

    void moduleInit() {
        // nn.Linear / nn.Conv2d reset_parameters: kaiming_uniform_(a=sqrt(5)) on the weight, then
        // U(-1/sqrt(fan_in), 1/sqrt(fan_in)) on the bias, in that order, from the default
        // generator. Bounds are computed here as nn.init computes them in Python.
        const GoldenFile file("generator/modules.safetensors");
        forEachCase(file, "init_", [&](const std::string& name, Generator& g) {
            std::map<std::string, Tensor> bounds;
            // Draws weight then bias, as reset_parameters does.
            auto layer = [&](const std::string& key, const Shape& wshape, std::int64_t fan_in) {
                const auto [wb, bb] = initBounds(fan_in);
                Tensor w = Tensor::empty(wshape);
                uniform_(w, -wb, wb, g);
                Tensor b = Tensor::empty({wshape[0]});
                uniform_(b, -bb, bb, g);
                bounds[key] = Tensor::from_vector({wb, bb}, {2}, DType::Float64);
                return std::pair{w, b};
            };
            const auto [lw, lb] = layer("linear", {3, 5}, 5);
            NNSCOPE_COMPARE_TENSORS_EXACT(lw, file.tensor(name + "/linear.weight"));
            NNSCOPE_COMPARE_TENSORS_EXACT(lb, file.tensor(name + "/linear.bias"));
            const auto [cw, cb] = layer("conv", {4, 2, 3, 3}, 18);
            NNSCOPE_COMPARE_TENSORS_EXACT(cw, file.tensor(name + "/conv.weight"));
            NNSCOPE_COMPARE_TENSORS_EXACT(cb, file.tensor(name + "/conv.bias"));
            // .double() after construction: drawn in float32, then widened.
            const Tensor dw = layer("linear64", {2, 7}, 7).first;
            NNSCOPE_COMPARE_TENSORS_EXACT(dw.to(DType::Float64),
                                          file.tensor(name + "/linear64.weight"));
            for (const auto& [key, value] : bounds)
                NNSCOPE_COMPARE_TENSORS_EXACT(value, file.tensor(name + "/" + key + ".bound"));
        });
    }

    void dropoutMasks() {
        const GoldenFile file("generator/modules.safetensors");
        forEachCase(file, "dropout_", [&](const std::string& name, Generator& g) {
            const Tensor x = file.tensor(name + "/input");
            for (const auto& [p, key] : {std::pair{0.5, "/p0.5"}, std::pair{0.2, "/p0.2"}}) {
                Tensor mask = Tensor::empty(x.shape());
                bernoulli_(mask, 1 - p, g);
                const auto out = applyDropout(x.to_vector(), mask.to_vector(), p, 1);
                NNSCOPE_COMPARE_TENSORS_EXACT(Tensor::from_vector(out, x.shape()),
                                              file.tensor(name + key));
            }
            // dropout2d: one draw per (sample, channel), broadcast over the plane.
            const Tensor x4 = file.tensor(name + "/input4d");
            Tensor mask = Tensor::empty({2, 3, 1, 1});
            bernoulli_(mask, 1 - 0.3, g);
            const auto out = applyDropout(x4.to_vector(), mask.to_vector(), 0.3, 16);
            NNSCOPE_COMPARE_TENSORS_EXACT(Tensor::from_vector(out, x4.shape()),
                                          file.tensor(name + "/p0.3_2d"));
        });
    }

    void weightedSampler() {
        // WeightedRandomSampler.__iter__ is torch.multinomial(weights as float64, n, replacement).
        const GoldenFile file("generator/modules.safetensors");
        forEachCase(file, "sampler_", [&](const std::string& name, Generator& g) {
            const Tensor w = file.tensor(name + "/weights");
            auto drawn = multinomial(w, 20, true, g).to_int64_vector();
            const auto more = multinomial(w, 5, false, g).to_int64_vector();
            drawn.insert(drawn.end(), more.begin(), more.end());
            NNSCOPE_COMPARE_TENSORS_EXACT(Tensor::from_int64(drawn, {25}),
                                          file.tensor(name + "/drawn"));
        });
    }

    void errors() {
        Generator g(0);
        Tensor t = Tensor::empty({4});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, uniform_(t, 1.0, 0.0, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, normal_(t, 0.0, -1.0, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bernoulli_(t, 1.5, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, randint(3, 3, {2}, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, randperm(-1, g));
        Tensor ints = Tensor::empty({4}, DType::Int64);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, uniform_(ints, 0.0, 1.0, g));
        // Writing one random number into several elements at once is refused, as in PyTorch.
        Tensor expanded = Tensor::empty({1, 3}).expand({4, 3});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, uniform_(expanded, 0.0, 1.0, g));

        const Tensor w = Tensor::from_vector({1.0, 0.0, 2.0}, {3});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, multinomial(w, 0, true, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, multinomial(w, 4, false, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, multinomial(w, 3, false, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 multinomial(Tensor::zeros({3}), 1, true, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 multinomial(Tensor::from_vector({1.0, -1.0}, {2}), 1, true, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 multinomial(Tensor::from_vector({1.0, NAN}, {2}), 1, true, g));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 multinomial(Tensor::zeros({2, 2}), 1, true, g));
    }

private:
    void runCase() {
        QFETCH(QString, file);
        QFETCH(QJsonObject, testCase);
        const GoldenFile golden("generator/" + file.toStdString());
        const std::string name = testCase.value(QStringLiteral("name")).toString().toStdString();
        Generator g(seedOf(testCase));
        const QJsonArray steps = testCase.value(QStringLiteral("steps")).toArray();
        for (qsizetype i = 0; i < steps.size(); ++i) {
            checkStep(golden, steps[i].toObject(), name + "/" + std::to_string(i), g);
            if (QTest::currentTestFailed()) return;
        }
        checkAfter(golden, name, g);
    }
};

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
