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
#include "transforms_golden.h"

#include <QtTest>
#include <cmath>

using namespace nnscope;
using namespace nnscope::data;
using nnscope::test::errorOf;
using nnscope::test::GoldenFile;
using nnscope::test::maxAbsDiff;

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

    void parserSyntax_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("repr");
        QTest::newRow("module prefixes, trailing commas, newlines")
            << "transforms.Compose([\n  T.RandomCrop(28, padding=4,),\n  RandomRotation(30),\n])"
            << "Compose(\n    RandomCrop(size=(28, 28), padding=4)\n    "
               "RandomRotation(degrees=[-30.0, "
               "30.0], interpolation=nearest, expand=False, fill=0)\n)";
        QTest::newRow("keywords in any order")
            << "RandomCrop(padding_mode='reflect', size=[20, 24], padding=(1, 2, 3, 4))"
            << "RandomCrop(size=(20, 24), padding=(1, 2, 3, 4))";
        QTest::newRow("interpolation as a string, enum with a module prefix")
            << "Compose([Resize(size=[32], interpolation=\"nearest\"), "
               "RandomRotation(5, T.InterpolationMode.BILINEAR, True, [3, 4], (0.5,))])"
            << "Compose(\n    Resize(size=[32], interpolation=nearest, max_size=None, "
               "antialias=None)\n    RandomRotation(degrees=[-5.0, 5.0], interpolation=bilinear, "
               "expand=True, center=[3, 4], fill=(0.5,))\n)";
        QTest::newRow("numbers") << "Normalize((+1e-3, -2.5E2, .5), [1_000, 3., -0.0])"
                                 << "Normalize(mean=(0.001, -250.0, 0.5), std=[1000, 3.0, -0.0])";
        QTest::newRow("parenthesised value, empty Compose")
            << "Compose([RandomHorizontalFlip((0.25)), Compose([])])"
            << "Compose(\n    RandomHorizontalFlip(p=0.25)\n    Compose(\n)\n)";
        QTest::newRow("None, False") << "RandomCrop(4, None, False, 0, 'edge')"
                                     << "RandomCrop(size=(4, 4), padding=None)";
    }
    void parserSyntax() {
        QFETCH(QString, text);
        QFETCH(QString, repr);
        QCOMPARE(QString::fromStdString(parse_transform(text.toStdString())->repr()), repr);
    }

    void parserErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("column");
        QTest::newRow("unknown transform")
            << "Compose([RandomCrop(3), RandomCrap(28)])"
            << "unknown transform 'RandomCrap' (known: CenterCrop" << 25;
        QTest::newRow("unknown argument") << "RandomCrop(28, paddin=4)"
                                          << "RandomCrop() got an unexpected keyword argument "
                                             "'paddin' (it takes size, padding, pad_if_needed"
                                          << 16;
        QTest::newRow("missing argument") << "Normalize((0.5,))"
                                          << "Normalize() missing required argument 'std'" << 1;
        QTest::newRow("argument twice")
            << "RandomCrop(28, size=3)"
            << "RandomCrop() got multiple values for argument 'size'" << 16;
        QTest::newRow("too many positional")
            << "RandomHorizontalFlip(0.5, 1)"
            << "RandomHorizontalFlip() takes 1 positional argument but more were given" << 27;
        QTest::newRow("positional after keyword")
            << "RandomCrop(size=2, 4)"
            << "positional argument follows keyword argument" << 20;
        QTest::newRow("unclosed call") << "RandomCrop(28"
                                       << "expected ')' to close RandomCrop(" << 14;
        QTest::newRow("missing comma") << "RandomCrop(28 padding=4)"
                                       << "expected ')' to close RandomCrop(, got 'p'" << 15;
        QTest::newRow("unclosed list") << "Compose([ToTensor()"
                                       << "expected ']' to close the list" << 20;
        QTest::newRow("unterminated string") << "RandomCrop(2, padding_mode='edge)"
                                             << "unterminated string" << 28;
        QTest::newRow("trailing text") << "ToTensor() x"
                                       << "unexpected 'x'" << 12;
        QTest::newRow("bare name") << "RandomCrop(size)"
                                   << "unknown name 'size'" << 12;
        QTest::newRow("Compose without a list") << "Compose(RandomCrop(3))"
                                                << "Compose() takes a list of transforms" << 9;
        QTest::newRow("transform as a value") << "RandomCrop(ToTensor())"
                                              << "a transform (ToTensor) is not allowed here" << 12;
        QTest::newRow("value as a transform") << "Compose([3])"
                                              << "expected a transform" << 10;
        QTest::newRow("bool expected") << "RandomCrop(28, pad_if_needed=1)"
                                       << "RandomCrop: expected a bool" << 1;
        QTest::newRow("empty") << "  "
                               << "expected a value, got the end of the text" << 3;
        QTest::newRow("negative degrees")
            << "RandomRotation(-5)"
            << "RandomRotation: If degrees is a single number, it must be positive, got -5" << 1;
        QTest::newRow("degrees reversed") << "RandomRotation((10, -10))"
                                          << "degrees must be [min, max] with min <= max" << 1;
        QTest::newRow("negative padding")
            << "Compose([RandomCrop(28, padding=-2)])"
            << "RandomCrop: padding must be non-negative, got -2" << 10;
        QTest::newRow("padding of 3") << "RandomCrop(28, padding=(1, 2, 3))"
                                      << "Padding must be an int or a 1, 2, or 4 element tuple, "
                                         "not a 3 element tuple"
                                      << 1;
        QTest::newRow("padding mode") << "RandomCrop(28, padding_mode='wrap')"
                                      << "Padding mode should be either constant, edge, reflect "
                                         "or symmetric, got 'wrap'"
                                      << 1;
        QTest::newRow("p above 1") << "RandomHorizontalFlip(1.5)"
                                   << "RandomHorizontalFlip: p must be a probability in [0, 1], "
                                      "got 1.5"
                                   << 1;
        QTest::newRow("p below 0") << "RandomVerticalFlip(p=-0.1)"
                                   << "RandomVerticalFlip: p must be a probability in [0, 1]" << 1;
        QTest::newRow("size zero") << "CenterCrop(0)"
                                   << "CenterCrop: size must be positive" << 1;
        QTest::newRow("size of 3") << "CenterCrop((1, 2, 3))"
                                   << "Please provide only two dimensions (h, w) for size." << 1;
        QTest::newRow("interpolation") << "Resize(3, interpolation=InterpolationMode.BICUBIC)"
                                       << "Interpolation mode 'bicubic' is unsupported" << 1;
        QTest::newRow("antialias") << "Resize(3, antialias=True)"
                                   << "antialias=True is not supported" << 1;
        QTest::newRow("max_size with a pair") << "Resize((3, 4), max_size=9)"
                                              << "max_size should only be passed if size" << 1;
        QTest::newRow("max_size too small")
            << "Resize(30, max_size=30)"
            << "max_size = 30 must be strictly greater than the requested size" << 1;
        QTest::newRow("fill of a crop") << "RandomCrop(3, fill=(1, 2))"
                                        << "RandomCrop: Got inappropriate fill arg (1, 2)" << 1;
    }
    void parserErrors() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        QFETCH(int, column);
        try {
            parse_transform(text.toStdString());
            QFAIL("no error");
        } catch (const TransformParseError& e) {
            const QString got = QString::fromStdString(e.message());
            if (!got.contains(message))
                QFAIL(qPrintable("message '" + got + "' lacks '" + message + "'"));
            QCOMPARE(static_cast<int>(e.column()), column);
            // what() shows the text with a caret under the column.
            const QString what = QString::fromUtf8(e.what());
            QVERIFY(what.contains(QStringLiteral("at column %1").arg(column)));
            QVERIFY(what.endsWith(QString(column - 1, QLatin1Char(' ')) + QLatin1Char('^')));
        }
    }

    // Errors that depend on the image, raised when the transform is applied.
    void applyErrors_data() {
        QTest::addColumn<QString>("pipeline");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("message");
        QTest::newRow("crop larger than the image")
            << "RandomCrop(32)"
            << "1x28x28"
            << "Required crop size (32, 32) is larger than input image size (28, 28)";
        QTest::newRow("crop larger than the padded image")
            << "RandomCrop((20, 40), padding=2)"
            << "3x13x17"
            << "Required crop size (20, 40) is larger than input image size (17, 21)";
        QTest::newRow("reflect padding too large")
            << "RandomCrop(28, padding=28, padding_mode='reflect')"
            << "1x28x28"
            << "pad: reflect padding must be less than the image width (28), got 28 and 28";
        QTest::newRow("symmetric padding too large")
            << "RandomCrop(5, padding=(1, 6), padding_mode='symmetric')"
            << "1x5x5"
            << "pad: symmetric padding must be at most the image height (5), got 6 and 6";
        QTest::newRow("fill per channel")
            << "RandomRotation(5, fill=(1, 2))"
            << "3x13x17"
            << "The number of elements in 'fill' cannot broadcast to match the number of "
               "channels of the image (2 != 3)";
        QTest::newRow("normalize channels")
            << "Normalize((0.5, 0.5), (1, 1))"
            << "3x13x17"
            << "Normalize: mean has 2 values, the image has 3 channels";
        QTest::newRow("normalize std zero")
            << "Normalize(0.5, 0.0)"
            << "1x4x4"
            << "std evaluated to zero after conversion to float32, leading to division by zero.";
        QTest::newRow("normalize 2-D") << "Normalize(0.5, 0.2)"
                                       << "4x4"
                                       << "Expected tensor to be a tensor image of size "
                                          "(..., C, H, W). Got tensor.size() = [4, 4]";
        QTest::newRow("not an image") << "RandomHorizontalFlip()"
                                      << "7"
                                      << "Tensor is not a torch image: expected at least 2 "
                                         "dimensions [..., H, W], got [7]";
        QTest::newRow("ToTensor of 4-D") << "ToTensor()"
                                         << "1x1x2x2"
                                         << "pic should be 2/3 dimensional. Got 4 dimensions";
    }
    void applyErrors() {
        QFETCH(QString, pipeline);
        QFETCH(QString, shape);
        QFETCH(QString, message);
        Shape dims;
        for (const auto& part : shape.split(QLatin1Char('x')))
            dims.push_back(part.toLongLong());
        const TransformPtr t = parse_transform(pipeline.toStdString());
        Generator gen(0);
        const QString got = errorOf([&] { t->apply(Tensor::zeros(dims), gen); });
        if (!got.contains(message)) QFAIL(qPrintable("'" + got + "' lacks '" + message + "'"));
    }

    void normalizeOfIntegersRefused() {
        const TransformPtr t = parse_transform("Normalize(0.5, 0.2)");
        Generator gen(0);
        QCOMPARE(errorOf([&] {
                     t->apply(Tensor::zeros({1, 2, 2}, DType::UInt8), gen);
                 }),
                 QStringLiteral("Input tensor should be a float tensor. Got uint8."));
    }

    // The C++ API builds the same transforms as the strings.
    void cppApiMatchesParser() {
        using nn::Value;
        const Compose c({std::make_shared<RandomCrop>(28, 4),
                         std::make_shared<RandomRotation>(Value::list({Value(-10), Value(20.5)})),
                         std::make_shared<RandomHorizontalFlip>()});
        QCOMPARE(QString::fromStdString(c.repr()),
                 QString::fromStdString(
                     parse_transform("Compose([RandomCrop(28, padding=4), "
                                     "RandomRotation([-10, 20.5]), RandomHorizontalFlip()])")
                         ->repr()));
        Generator a(3), b(3);
        std::vector<Drawn> da, db;
        const Tensor img = Tensor::ones({1, 28, 28});
        c.apply(img, a, &da);
        parse_transform("Compose([RandomCrop(28, padding=4), RandomRotation([-10, 20.5]), "
                        "RandomHorizontalFlip()])")
            ->apply(img, b, &db);
        QCOMPARE(da.size(), std::size_t{3});
        for (std::size_t i = 0; i < da.size(); ++i)
            QCOMPARE(QString::fromStdString(da[i].to_string()),
                     QString::fromStdString(db[i].to_string()));
        QVERIFY(QString::fromStdString(da[0].to_string()).startsWith("RandomCrop: top="));
        QVERIFY(QString::fromStdString(da[1].to_string()).startsWith("RandomRotation: angle="));
        QVERIFY(QString::fromStdString(da[2].to_string())
                    .startsWith("RandomHorizontalFlip: "
                                "flipped="));
    }

    // apply() leaves its input alone (Normalize(inplace=True) excepted, as torchvision).
    void inputUntouched() {
        const Tensor img = cases().tensor("input/fm0").clone();
        const auto before = img.to_vector();
        Generator gen(1);
        parse_transform("Compose([RandomCrop(28, padding=4), RandomRotation(30), "
                        "RandomHorizontalFlip(1.0), Normalize(0.5, 0.5)])")
            ->apply(img, gen);
        QVERIFY(img.to_vector() == before);
        parse_transform("Normalize(0.5, 0.5, inplace=True)")->apply(img, gen);
        QCOMPARE(img.to_vector()[0], (before[0] - 0.5) / 0.5);
    }
};

QTEST_GUILESS_MAIN(TestTransforms)
#include "tst_transforms.moc"
