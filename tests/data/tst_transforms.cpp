// torchvision 0.14 transforms on image tensors against the real thing: for every golden case
// (tests/golden/gen_transforms.py) the pipeline string parses, its repr equals torchvision's,
// the parameters drawn after torch.manual_seed(seed) are exactly torchvision's, the generator
// is left where torchvision left it, and the image agrees within one intensity level per pixel
// (1/255 for float images, 1 for uint8; normalised images 1/255 divided by their std).
// Then the parser's syntax and errors, and the argument errors of each transform.

#include "data/transforms/compose.h"
#include "data/transforms/functional.h"
#include "data/transforms/parse_transform.h"
#include "data/transforms/random_crop.h"
#include "data/transforms/random_flip.h"
#include "data/transforms/random_rotation.h"
#include "data_golden.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using namespace nnscope::data;
using nnscope::test::errorOf;
using nnscope::test::GoldenFile;

namespace {

const GoldenFile& cases() {
    static const GoldenFile file("transforms/cases.safetensors");
    return file;
}

std::string drawnJson(const std::vector<Drawn>& drawn) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : drawn) {
        nlohmann::json values = nlohmann::json::object();
        for (const auto& [key, v] : d.values) {
            if (const bool* b = std::get_if<bool>(&v))
                values[key] = *b;
            else if (const auto* i = std::get_if<std::int64_t>(&v))
                values[key] = *i;
            else
                values[key] = std::get<double>(v);
        }
        out.push_back({d.transform, values});
    }
    return out.dump();
}

// Largest |a - b| over all pixels, in the image's units.
double maxAbsDiff(const Tensor& a, const Tensor& b) {
    const auto x = a.to_vector(), y = b.to_vector();
    double m = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        m = std::max(m, std::fabs(x[i] - y[i]));
    return m;
}

} // namespace

class TestTransforms : public QObject {
    Q_OBJECT
    double worstFloat_ = 0, worstU8_ = 0;

private slots:
    void cleanupTestCase() {
        qInfo("largest difference from torchvision: %g (float images), %g (uint8 images)",
              worstFloat_, worstU8_);
    }
    void goldenCases_data() {
        QTest::addColumn<int>("index");
        const auto all = nnscope::test::casesOf(cases());
        for (std::size_t k = 0; k < all.size(); ++k) {
            const auto& c = all[k];
            const std::string tag = std::to_string(k) + " " + c["input"].get<std::string>() +
                                    " seed " + std::to_string(c["seed"].get<int>()) + " " +
                                    c["pipeline"].get<std::string>();
            QTest::newRow(tag.c_str()) << static_cast<int>(k);
        }
    }
    void goldenCases() {
        QFETCH(int, index);
        const auto c = nnscope::test::casesOf(cases())[static_cast<std::size_t>(index)];
        const TransformPtr t = parse_transform(c["pipeline"].get<std::string>());
        QCOMPARE(QString::fromStdString(t->repr()),
                 QString::fromStdString(c["repr"].get<std::string>()));
        const Tensor input = cases().tensor("input/" + c["input"].get<std::string>());
        manual_seed(static_cast<std::uint64_t>(c["seed"].get<int>()));
        std::vector<Drawn> drawn;
        const Tensor out = t->apply(input.clone(), default_generator(), &drawn);
        // Drawn parameters exactly: crop offsets, flips, and angles to the last bit.
        QCOMPARE(QString::fromStdString(drawnJson(drawn)),
                 QString::fromStdString(c["drawn"].dump()));
        const auto after = randint(0, std::int64_t{1} << 31, {1}, default_generator());
        QCOMPARE(after.to_int64_vector()[0], c["after"].get<std::int64_t>());

        const Tensor expected = cases().tensor("case" + std::to_string(index) + "/out");
        QCOMPARE(dtype_name(out.dtype()), dtype_name(expected.dtype()));
        QCOMPARE(shape_to_string(out.shape()), shape_to_string(expected.shape()));
        double tol = out.dtype() == DType::UInt8 ? 1.0 : 1.0 / 255 + 1e-6;
        const std::string pipeline = c["pipeline"].get<std::string>();
        if (pipeline.find("Normalize") != std::string::npos) tol = 1.0 / 255 / 0.2 + 1e-5;
        const double err = maxAbsDiff(out, expected);
        double& worst = out.dtype() == DType::UInt8 ? worstU8_ : worstFloat_;
        worst = std::max(worst, err);
        if (err > tol)
            QFAIL(qPrintable(QStringLiteral("max |difference| %1 above %2").arg(err).arg(tol)));
    }

    // Nearest rotation and resampling pick whole pixels: they should match exactly, not just
    // within a level. Counts the pixels that differ over all golden cases.
    void exactWhereTorchvisionIsExact() {
        const auto all = nnscope::test::casesOf(cases());
        std::int64_t differing = 0, total = 0;
        for (std::size_t k = 0; k < all.size(); ++k) {
            const auto& c = all[k];
            const std::string pipeline = c["pipeline"].get<std::string>();
            if (pipeline.find("BILINEAR") != std::string::npos ||
                pipeline.find("Resize") != std::string::npos ||
                pipeline.find("Normalize") != std::string::npos)
                continue;
            const TransformPtr t = parse_transform(pipeline);
            manual_seed(static_cast<std::uint64_t>(c["seed"].get<int>()));
            const Tensor out = t->apply(cases().tensor("input/" + c["input"].get<std::string>()),
                                        default_generator());
            const auto x = out.to_vector();
            const auto y = cases().tensor("case" + std::to_string(k) + "/out").to_vector();
            for (std::size_t i = 0; i < x.size(); ++i)
                differing += x[i] != y[i];
            total += static_cast<std::int64_t>(x.size());
        }
        qInfo("nearest/crop/flip pixels differing from torchvision: %lld of %lld",
              static_cast<long long>(differing), static_cast<long long>(total));
        QCOMPARE(differing, std::int64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestTransforms)
#include "tst_transforms.moc"
