// io::infer_module_types and io::infer_state_dict_role: the type and role of what a plain
// state_dict holds, guessed from names and shapes. Hand-made cases for each rule, and the
// measurement against state dicts whose truth PyTorch knows (tests/golden/gen_inference.py):
// torchvision models, torch.nn's recurrent and transformer layers, BERT- and GPT-2-style models.
// Point NNSCOPE_INFERENCE_TRUTH at a file from `gen_inference.py --all` to measure more models.

#include "io/model_document.h"
#include "io/model_summary.h"
#include "io/type_inference.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <algorithm>
#include <map>
#include <string>

using namespace nnscope;
using io::TensorRole;

namespace {

io::TensorEntry entry(std::string name, Shape shape, DType dtype = DType::Float32) {
    io::TensorEntry e;
    e.name = std::move(name);
    e.shape = std::move(shape);
    e.dtype = dtype;
    e.role = io::infer_state_dict_role(e.name, e.dtype, e.shape);
    e.role_inferred = true;
    return e;
}

// A document as the safetensors and pytorch readers build one: modules from the tensor names,
// then the guesses.
io::ModelDocument state_dict(std::vector<io::TensorEntry> tensors) {
    io::ModelDocument d;
    d.tensors = std::move(tensors);
    d.modules = io::modules_from_tensor_names(d.tensors);
    io::infer_module_types(d);
    return d;
}

std::string type_of(const io::ModelDocument& d, const std::string& path) {
    for (const auto& [p, type] : d.modules)
        if (p == path) return type;
    return "(absent)";
}

std::string reason_of(const io::ModelDocument& d, const std::string& path) {
    const auto it = d.inferred_types.find(path);
    return it == d.inferred_types.end() ? "(not inferred)" : it->second;
}

// Measured on the committed truth: 635 of 669 types (94.9%), 1,608 of 1,608 roles.
constexpr double TYPE_FLOOR = 94.9, ROLE_FLOOR = 100.0;

struct Score {
    int right = 0, total = 0;
    double percent() const { return total ? 100.0 * right / total : 100.0; }
};

struct Measurement {
    Score types, roles;
    int models = 0;
    std::map<std::string, int> wrong; // "truth -> guess" -> count
};

// Truth file from gen_inference.py: each model's tensors (name, shape, dtype, role) and the
// classes of the modules holding them. A guess is right when it names the class or a base class.
// `sorted`: the names in byte order, as safetensors files list them.
Measurement measure(const QString& path, bool sorted) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot read truth file");
    const QJsonArray models = QJsonDocument::fromJson(file.readAll()).object()["models"].toArray();
    Measurement m;
    for (const auto& model_value : models) {
        const QJsonObject model = model_value.toObject();
        std::vector<io::TensorEntry> tensors;
        std::map<std::string, bool> buffer;
        for (const auto& t_value : model["tensors"].toArray()) {
            const QJsonArray t = t_value.toArray();
            Shape shape;
            for (const auto& d : t[1].toArray())
                shape.push_back(d.toInteger());
            tensors.push_back(entry(t[0].toString().toStdString(), shape,
                                    dtype_from_name(t[2].toString().toStdString())));
            buffer[tensors.back().name] = t[3].toString() == QLatin1String("b");
        }
        if (sorted)
            std::sort(tensors.begin(), tensors.end(),
                      [](const auto& a, const auto& b) { return a.name < b.name; });
        for (const auto& t : tensors) {
            const bool right = (t.role == TensorRole::Buffer) == buffer[t.name];
            ++m.roles.total;
            m.roles.right += right;
            if (!right)
                ++m.wrong["role of " + t.name.substr(t.name.rfind('.') + 1) + ": " +
                          (buffer[t.name] ? "buffer" : "parameter")];
        }
        const io::ModelDocument d = state_dict(std::move(tensors));
        const QJsonObject types = model["types"].toObject();
        for (auto it = types.begin(); it != types.end(); ++it) {
            const std::string guess = type_of(d, it.key().toStdString());
            const QStringList classes = it.value().toString().split(QLatin1Char('|'));
            const bool right = !guess.empty() && classes.contains(QString::fromStdString(guess));
            ++m.types.total;
            m.types.right += right;
            if (!right)
                ++m.wrong[classes.front().toStdString() + " -> " + (guess.empty() ? "-" : guess)];
        }
        ++m.models;
    }
    return m;
}

} // namespace

class TestTypeInference : public QObject {
    Q_OBJECT
private slots:
    void convolutionsByRank() {
        const auto d =
            state_dict({entry("stem.weight", {64, 3, 7, 7}), entry("temporal.weight", {8, 4, 3}),
                        entry("temporal.bias", {8}), entry("video.weight", {16, 3, 3, 7, 7})});
        QCOMPARE(type_of(d, "stem"), std::string("Conv2d"));
        QCOMPARE(type_of(d, "temporal"), std::string("Conv1d"));
        QCOMPARE(type_of(d, "video"), std::string("Conv3d"));
        // Without a bias a ConvTranspose2d stores the same shape: the reason says so.
        QCOMPARE(reason_of(d, "stem"),
                 std::string("weight [64, 3, 7, 7]: a 2-D convolution (a ConvTranspose2d stores "
                             "the same shape: the shape alone cannot tell)"));
        QCOMPARE(reason_of(d, "temporal"),
                 std::string("weight [8, 4, 3]: a 1-D convolution (its bias matches the weight's "
                             "first dimension)"));
        QCOMPARE(d.module_arguments.at("stem"), std::string("kernel_size=(7, 7), bias=False"));
    }

    void transposedConvolutionByItsBias() {
        // ConvTranspose2d(4, 8, 3): weight [in, out, k, k], bias [out].
        const auto d = state_dict({entry("up.weight", {4, 8, 3, 3}), entry("up.bias", {8})});
        QCOMPARE(type_of(d, "up"), std::string("ConvTranspose2d"));
    }

    void batchNormTakesItsDimensionFromANeighbour() {
        // burn's MNIST model: norm1 follows conv3 (2-D), norm2 follows fc2 (1-D); a BatchNorm
        // before its conv (DenseNet) looks ahead.
        const auto bn = [](const std::string& p, std::int64_t n) {
            return std::vector{entry(p + ".weight", {n}), entry(p + ".bias", {n}),
                               entry(p + ".running_mean", {n}), entry(p + ".running_var", {n}),
                               entry(p + ".num_batches_tracked", {}, DType::Int64)};
        };
        std::vector<io::TensorEntry> t = {entry("conv3.weight", {24, 16, 3, 3})};
        for (auto& e : bn("norm1", 24))
            t.push_back(e);
        t.push_back(entry("fc2.weight", {10, 32}));
        t.push_back(entry("fc2.bias", {10}));
        for (auto& e : bn("norm2", 10))
            t.push_back(e);
        for (auto& e : bn("block.norm0", 3))
            t.push_back(e);
        t.push_back(entry("block.conv0.weight", {8, 3, 3, 3, 3}));
        const auto d = state_dict(std::move(t));
        QCOMPARE(type_of(d, "norm1"), std::string("BatchNorm2d"));
        QCOMPARE(type_of(d, "norm2"), std::string("BatchNorm1d"));
        QCOMPARE(type_of(d, "block.norm0"), std::string("BatchNorm3d"));
        QCOMPARE(reason_of(d, "norm1"),
                 std::string("running_mean, running_var and num_batches_tracked: a batch "
                             "normalisation's running statistics; 2-D as its neighbour 'conv3' "
                             "(Conv2d)"));
        QCOMPARE(d.module_arguments.at("norm2"), std::string("num_features=10, affine=True"));
    }

    // safetensors sorts its names: burn's MNIST model lists norm1 and norm2 before the convs and
    // linears; the channel counts still pair each norm with its layer.
    void batchNormInSortedNamesMatchesChannels() {
        const auto d =
            state_dict({entry("norm1.running_mean", {24}), entry("norm1.running_var", {24}),
                        entry("norm2.running_mean", {10}), entry("norm2.running_var", {10}),
                        entry("conv1.weight", {8, 1, 3, 3}), entry("conv3.weight", {24, 16, 3, 3}),
                        entry("fc1.weight", {32, 11616}), entry("fc2.weight", {10, 32})});
        QCOMPARE(type_of(d, "norm1"), std::string("BatchNorm2d"));
        QCOMPARE(type_of(d, "norm2"), std::string("BatchNorm1d"));
        QVERIFY(reason_of(d, "norm2").ends_with("1-D as its neighbour 'fc2' (Linear)"));
    }

    void batchNormAloneSaysItCannotTell() {
        const auto d = state_dict({entry("bn.running_mean", {4}), entry("bn.running_var", {4})});
        QCOMPARE(type_of(d, "bn"), std::string("BatchNorm"));
        QVERIFY(reason_of(d, "bn").ends_with("no neighbouring conv or linear layer tells 1-D, "
                                             "2-D or 3-D"));
    }

    void linearEmbeddingAndNorms() {
        const auto d =
            state_dict({entry("embeddings.word_embeddings.weight", {30522, 768}),
                        entry("transformer.wpe.weight", {1024, 768}),
                        entry("embeddings.LayerNorm.weight", {768}),
                        entry("embeddings.LayerNorm.bias", {768}), entry("h.0.ln_1.weight", {768}),
                        entry("h.0.ln_1.bias", {768}), entry("fc.weight", {1000, 512}),
                        entry("fc.bias", {1000}), entry("lm_head.weight", {50257, 768}),
                        entry("gn1.weight", {32}), entry("gn1.bias", {32})});
        QCOMPARE(type_of(d, "embeddings.word_embeddings"), std::string("Embedding"));
        QCOMPARE(type_of(d, "transformer.wpe"), std::string("Embedding"));
        QCOMPARE(type_of(d, "embeddings.LayerNorm"), std::string("LayerNorm"));
        QCOMPARE(type_of(d, "h.0.ln_1"), std::string("LayerNorm"));
        QCOMPARE(type_of(d, "fc"), std::string("Linear"));
        QCOMPARE(type_of(d, "lm_head"), std::string("Linear"));
        QCOMPARE(type_of(d, "gn1"), std::string("GroupNorm"));
        QCOMPARE(d.module_arguments.at("fc"),
                 std::string("in_features=512, out_features=1000, bias=True"));
        QCOMPARE(d.module_arguments.at("lm_head"),
                 std::string("in_features=768, out_features=50257, bias=False"));
        QCOMPARE(reason_of(d, "fc"), std::string("weight [1000, 512] and bias [1000]: a linear "
                                                 "layer from 512 to 1000 features"));
        QCOMPARE(type_of(d, "embeddings"), std::string()); // a container: its class is not known
    }

    void gpt2Conv1DStoresItsWeightTransposed() {
        const auto d = state_dict(
            {entry("h.0.attn.c_attn.weight", {768, 2304}), entry("h.0.attn.c_attn.bias", {2304}),
             entry("h.0.attn.c_proj.weight", {768, 768}), entry("h.0.attn.c_proj.bias", {768}),
             entry("h.0.attn.bias", {1, 1, 1024, 1024})});
        QCOMPARE(type_of(d, "h.0.attn.c_attn"), std::string("Conv1D"));
        QCOMPARE(type_of(d, "h.0.attn.c_proj"), std::string("Conv1D"));
        QCOMPARE(d.tensors[4].role, TensorRole::Buffer); // the causal mask, float or not
        QCOMPARE(d.tensors[1].role, TensorRole::Parameter);
    }

    void recurrentLayersByGateCount() {
        const auto d = state_dict(
            {entry("lstm.weight_ih_l0", {128, 16}), entry("lstm.weight_hh_l0", {128, 32}),
             entry("lstm.bias_ih_l0", {128}), entry("lstm.bias_hh_l0", {128}),
             entry("lstm.weight_ih_l0_reverse", {128, 16}),
             entry("lstm.weight_hh_l0_reverse", {128, 32}), entry("lstm.weight_ih_l1", {128, 64}),
             entry("lstm.weight_hh_l1", {128, 32}), entry("gru.weight_ih_l0", {72, 64}),
             entry("gru.weight_hh_l0", {72, 24}), entry("cell.weight_ih", {8, 8}),
             entry("cell.weight_hh", {8, 8})});
        QCOMPARE(type_of(d, "lstm"), std::string("LSTM"));
        QCOMPARE(type_of(d, "gru"), std::string("GRU"));
        QCOMPARE(type_of(d, "cell"), std::string("RNNCell"));
        QCOMPARE(d.module_arguments.at("lstm"),
                 std::string("input_size=16, hidden_size=32, num_layers=2, bias=True, "
                             "bidirectional=True"));
        QCOMPARE(reason_of(d, "gru"), std::string("weight_ih_l0 [72, 64] and weight_hh_l0 [72, "
                                                  "24]: 3 gates of 24 hidden units, a GRU"));
    }

    void multiheadAttention() {
        const auto d = state_dict(
            {entry("attn.in_proj_weight", {96, 32}), entry("attn.in_proj_bias", {96}),
             entry("attn.out_proj.weight", {32, 32}), entry("attn.out_proj.bias", {32})});
        QCOMPARE(type_of(d, "attn"), std::string("MultiheadAttention"));
        QCOMPARE(type_of(d, "attn.out_proj"), std::string("Linear"));
    }

    void aTypeTheFileGivesIsKept() {
        io::ModelDocument d;
        d.tensors = {entry("a.weight", {4, 3})};
        d.modules = {{"a", "MyLayer"}};
        io::infer_module_types(d);
        QCOMPARE(d.modules[0].second, std::string("MyLayer"));
        QVERIFY(d.inferred_types.empty());
        QVERIFY(d.module_arguments.empty());
    }

    void unknownTensorsAndOddNamesAreNotGuessed() {
        auto optimizer = entry("opt.exp_avg", {4, 3});
        optimizer.role = TensorRole::Unknown;
        const auto d = state_dict({optimizer, entry("enc.pos_embedding", {1, 197, 768}),
                                   entry("odd.weight", {2, 2, 2, 2, 2, 2})});
        QCOMPARE(type_of(d, "opt"), std::string());
        QCOMPARE(type_of(d, "enc"), std::string());
        QCOMPARE(type_of(d, "odd"), std::string());
    }

    void rolesFromNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("rank");
        QTest::addColumn<bool>("buffer");
        QTest::newRow("running_mean") << "bn.running_mean" << 1 << true;
        QTest::newRow("running_sum") << "norm.running_sum" << 1 << true;
        QTest::newRow("attention mask") << "layer.attn_mask" << 2 << true;
        QTest::newRow("mask") << "layer.mask" << 2 << true;
        QTest::newRow("explicit buffer") << "m.ema_buffer" << 1 << true;
        QTest::newRow("rotary cache") << "rotary.cos_cached" << 2 << true;
        QTest::newRow("causal mask") << "h.0.attn.bias" << 4 << true;
        QTest::newRow("bias") << "fc.bias" << 1 << false;
        QTest::newRow("pos_embedding") << "encoder.pos_embedding" << 3 << false;
        QTest::newRow("weight") << "fc.weight" << 2 << false;
    }

    void rolesFromNames() {
        QFETCH(QString, name);
        QFETCH(int, rank);
        QFETCH(bool, buffer);
        const auto role =
            io::infer_state_dict_role(name.toStdString(), DType::Float32, Shape(rank, 4));
        QCOMPARE(role == TensorRole::Buffer, buffer);
    }

    void summaryMarksInferredTypes() {
        const auto s = io::summarize(state_dict({entry("fc.weight", {3, 2})}));
        const io::ModuleRow& fc = s.modules[static_cast<std::size_t>(s.module_index("fc"))];
        QCOMPARE(fc.type, std::string("Linear"));
        QVERIFY(fc.type_inferred);
        QCOMPARE(fc.arguments, std::string("in_features=2, out_features=3, bias=False"));
    }

    // The measurement (see gen_inference.py). Committed truth: resnet18, mobilenet_v3_small,
    // efficientnet_b0, convnext_tiny, vit_b_16, swin_t, r2plus1d_18, BERT- and GPT-2-style
    // models, LSTM/GRU/RNN and nn.Transformer. The floors are what was measured.
    void measuredAccuracy() {
        const QByteArray override = qgetenv("NNSCOPE_INFERENCE_TRUTH");
        const QString path = override.isEmpty()
                                 ? QStringLiteral(NNSCOPE_GOLDEN_DIR "/inference/state_dicts.json")
                                 : QString::fromLocal8Bit(override);
        for (const bool sorted : {false, true}) {
            const Measurement m = measure(path, sorted);
            qInfo("%d models, %s: types %.1f%% of %d modules holding tensors right, roles %.1f%% "
                  "of %d tensors right",
                  m.models, sorted ? "names sorted (safetensors)" : "state_dict order",
                  m.types.percent(), m.types.total, m.roles.percent(), m.roles.total);
            for (const auto& [what, count] : m.wrong)
                qInfo("  wrong %dx: %s", count, what.c_str());
            if (!override.isEmpty()) continue; // a measurement, not the committed floor
            QCOMPARE(m.models, 11);
            QVERIFY2(m.types.percent() >= TYPE_FLOOR, "type inference got worse");
            QVERIFY2(m.roles.percent() >= ROLE_FLOOR, "role inference got worse");
        }
    }
};

QTEST_GUILESS_MAIN(TestTypeInference)
#include "tst_type_inference.moc"
