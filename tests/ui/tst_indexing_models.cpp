// The indexing page's pieces (ui/indexing): the tensor grid model under
// QAbstractItemModelTester over real tensors (rows of a 3-d tensor, typed values checked against
// the dtype, colours with readable text, marks, red bad cells, fan-in suffixes), the shape field,
// the editor's reshape and seeded Random, and the links built from a real gather trace.

#include "engine/random.h"
#include "ui/indexing/index_links.h"
#include "ui/indexing/tensor_editor.h"
#include "ui/indexing/tensor_grid_model.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFont>
#include <QLineEdit>
#include <QSignalSpy>
#include <QtTest>
#include <set>

using namespace nnscope;
using ui::TensorGridModel;
using Flat = std::vector<std::int64_t>;

Q_DECLARE_METATYPE(nnscope::Shape)

namespace {

Tensor arange_tensor(const Shape& shape, DType dtype) {
    std::int64_t n = 1;
    for (std::int64_t s : shape)
        n *= s;
    std::vector<double> values;
    for (std::int64_t k = 0; k < n; ++k)
        values.push_back(static_cast<double>(k) + (is_floating_point(dtype) ? 0.5 : 0));
    return Tensor::from_vector(values, shape, dtype);
}

QString text(const TensorGridModel& model, std::int64_t flat, int role = Qt::DisplayRole) {
    return model.data(model.cell(flat), role).toString();
}

} // namespace

class TestIndexingModels : public QObject {
    Q_OBJECT

private slots:
    void gridRowsAreLeadingIndices() {
        TensorGridModel model(QStringLiteral("x"));
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTensor(arange_tensor({2, 3, 4}, DType::Float32));
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.headerData(5, Qt::Vertical).toString(), QStringLiteral("1,2"));
        QCOMPARE(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("3"));
        // x[1, 2, 3] is row-major element 23, in the last row and column.
        QCOMPARE(model.flatIndex(model.index(5, 3)), 23);
        QCOMPARE(model.cell(23), model.index(5, 3));
        QCOMPARE(text(model, 23), QStringLiteral("23.5"));
        QCOMPARE(text(model, 1, Qt::ToolTipRole), QStringLiteral("x[0, 0, 1] = 1.5"));
        QCOMPARE(model.elementName(23), QStringLiteral("x[1, 2, 3]"));

        model.setTensor(arange_tensor({5}, DType::Int64));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(text(model, 4), QStringLiteral("4"));
        model.setTensor(Tensor::scalar(2.0));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(text(model, 0), QStringLiteral("2.0"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void typedValuesFollowTheDtype() {
        TensorGridModel model(QStringLiteral("idx"));
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTensor(Tensor::from_int64({0, 1, 2, 3}, {2, 2}));
        QVERIFY(!model.setData(model.cell(1), QStringLiteral("5"))); // not editable yet
        model.setEditable(true);
        QSignalSpy edited(&model, &TensorGridModel::valueEdited);
        QVERIFY(!model.setData(model.cell(1), QStringLiteral("2.5"))); // int64 takes integers
        QVERIFY(!model.setData(model.cell(1), QStringLiteral("two")));
        QVERIFY(model.setData(model.cell(1), QStringLiteral(" -3 ")));
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.at(0).at(0).value<std::int64_t>(), 1);
        QCOMPARE(model.tensor().to_int64_vector(), (Flat{0, -3, 2, 3}));
        QCOMPARE(model.tensor().dtype(), DType::Int64);

        model.setTensor(Tensor::zeros({2, 2}, DType::Float32)); // same shape: no reset
        QVERIFY(model.setData(model.cell(3), QStringLiteral("0.1")));
        QCOMPARE(text(model, 3, Qt::EditRole), QStringLiteral("0.1")); // as float32 reads back
        QCOMPARE(model.tensor().to_vector()[3], static_cast<double>(0.1f));
        QCOMPARE(text(model, 2), QStringLiteral("0.0"));
    }

    void sameShapeKeepsRowsAndDecorations() {
        TensorGridModel model(QStringLiteral("out"));
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTensor(arange_tensor({2, 3}, DType::Float32));
        model.setMarked({4});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setTensor(Tensor::full({2, 3}, 7.0));
        QCOMPARE(reset.count(), 0);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(text(model, 0), QStringLiteral("7.0"));
        QCOMPARE(model.marked(), Flat{4});
        model.setTensor(Tensor::full({3, 2}, 7.0)); // another shape: a reset, marks gone
        QCOMPARE(reset.count(), 1);
        QVERIFY(model.marked().empty());
    }

    void decorations() {
        TensorGridModel model(QStringLiteral("g"));
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTensor(Tensor::from_vector({3, 0, 1}, {3}));
        const QColor dark(0x2f, 0x4b, 0x7c), light(0xed, 0xc9, 0x48);
        model.setColours({dark, QColor(), light});
        QCOMPARE(model.data(model.cell(0), Qt::BackgroundRole).value<QColor>(), dark);
        QCOMPARE(model.data(model.cell(0), Qt::ForegroundRole).value<QColor>(), QColor(Qt::white));
        QCOMPARE(model.data(model.cell(2), Qt::ForegroundRole).value<QColor>(), QColor(Qt::black));
        QVERIFY(!model.data(model.cell(1), Qt::BackgroundRole).isValid());
        model.setColours({dark}); // the wrong size: none
        QVERIFY(!model.data(model.cell(0), Qt::BackgroundRole).isValid());

        model.setSuffixes(ui::fanInSuffixes({3, 0, 1}, {false, true, false}));
        QCOMPARE(text(model, 0), QStringLiteral("3.0 ×3"));
        QCOMPARE(text(model, 1), QStringLiteral("0.0 (padding)"));
        QCOMPARE(text(model, 0, Qt::EditRole), QStringLiteral("3"));

        model.setMarked({2, 2, 9});
        QCOMPARE(model.marked(), Flat{2});
        QVERIFY(model.data(model.cell(2), TensorGridModel::MarkedRole).toBool());
        QVERIFY(model.data(model.cell(2), Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.data(model.cell(1), TensorGridModel::MarkedRole).toBool());

        model.setBad({1});
        QVERIFY(model.data(model.cell(1), TensorGridModel::BadRole).toBool());
        const QColor red = model.data(model.cell(1), Qt::BackgroundRole).value<QColor>();
        QVERIFY(red.red() > 150 && red.green() < 80);
        QCOMPARE(model.data(model.cell(1), Qt::ForegroundRole).value<QColor>(), QColor(Qt::white));
    }

    void readableText_data() {
        QTest::addColumn<QColor>("background");
        QTest::addColumn<QColor>("text");
        // The palette's darkest and lightest, and the extremes.
        QTest::newRow("navy") << QColor(0x2f, 0x4b, 0x7c) << QColor(Qt::white);
        QTest::newRow("refused red") << QColor(0xc6, 0x28, 0x28) << QColor(Qt::white);
        // Near WCAG's crossover (luminance 0.18) black reads a little better than white.
        QTest::newRow("blue") << QColor(0x4e, 0x79, 0xa7) << QColor(Qt::black);
        QTest::newRow("yellow") << QColor(0xed, 0xc9, 0x48) << QColor(Qt::black);
        QTest::newRow("orange") << QColor(0xf2, 0x8e, 0x2b) << QColor(Qt::black);
        QTest::newRow("black") << QColor(Qt::black) << QColor(Qt::white);
        QTest::newRow("white") << QColor(Qt::white) << QColor(Qt::black);
    }
    void readableText() {
        QFETCH(QColor, background);
        QFETCH(QColor, text);
        QCOMPARE(ui::readableTextColour(background), text);
    }

    void shapeField_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<QString>("error");
        QTest::newRow("3d") << "2x3x4" << Shape{2, 3, 4} << "";
        QTest::newRow("times") << "2×3" << Shape{2, 3} << "";
        QTest::newRow("list") << "[2, 3]" << Shape{2, 3} << "";
        QTest::newRow("1d") << " 12 " << Shape{12} << "";
        QTest::newRow("big") << "3x13" << Shape{} << "size 13: each size must be from 1 to 12";
        QTest::newRow("zero") << "0x2" << Shape{} << "size 0: each size must be from 1 to 12";
        QTest::newRow("4d") << "2x2x2x2" << Shape{}
                            << "a shape has 1 to 3 sizes here, such as 5, 3x4 or 2x3x4";
        QTest::newRow("empty") << "" << Shape{}
                               << "a shape has 1 to 3 sizes here, such as 5, 3x4 or 2x3x4";
        QTest::newRow("word") << "2xa" << Shape{}
                              << "'a' is not a size: type a shape such as 2x3x4";
    }
    void shapeField() {
        QFETCH(QString, text);
        QFETCH(Shape, shape);
        QFETCH(QString, error);
        QString why;
        const std::optional<Shape> parsed = ui::TensorEditor::parseShape(text, &why);
        QCOMPARE(why, error);
        QCOMPARE(parsed.value_or(Shape{}), shape);
        if (parsed)
            QCOMPARE(ui::TensorEditor::parseShape(ui::TensorEditor::shapeText(shape), &why),
                     parsed);
    }

    void editorReshapesAndRandomizes() {
        ui::TensorEditor editor({QStringLiteral("index idx"),
                                 QStringLiteral("idx"),
                                 {DType::Int64, DType::Float32},
                                 true,
                                 0,
                                 17});
        QAbstractItemModelTester tester(editor.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        editor.setTensor(Tensor::from_int64({1, 2, 3, 4}, {2, 2}));
        QCOMPARE(editor.shapeField()->text(), QStringLiteral("2x2"));
        editor.reshape({2, 3}, DType::Int64); // kept where the indices overlap, else 0
        QCOMPARE(editor.tensor().to_int64_vector(), (Flat{1, 2, 0, 3, 4, 0}));
        QCOMPARE(editor.shapeField()->text(), QStringLiteral("2x3"));

        QSignalSpy edited(&editor, &ui::TensorEditor::tensorEdited);
        editor.shapeField()->setText(QStringLiteral("3x13"));
        emit editor.shapeField()->editingFinished();
        QCOMPARE(editor.shapeError(), QStringLiteral("size 13: each size must be from 1 to 12"));
        QCOMPARE(edited.count(), 0);
        editor.shapeField()->setText(QStringLiteral("3x4"));
        emit editor.shapeField()->editingFinished();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(editor.tensor().shape(), (Shape{3, 4}));

        editor.setIntegerRange(2, 5);
        editor.randomize();
        const Flat drawn = editor.tensor().to_int64_vector();
        QCOMPARE(drawn.size(), std::size_t(12));
        for (std::int64_t v : drawn)
            QVERIFY(v >= 2 && v < 5);
        QVERIFY(std::set<std::int64_t>(drawn.begin(), drawn.end()).size() > 1);
        // The same seed and presses give the same tensor: randint from Generator(17).
        Generator again(17);
        QCOMPARE(randint(2, 5, {3, 4}, again).to_int64_vector(), drawn);

        editor.dtypeBox()->setCurrentIndex(1);
        emit editor.dtypeBox()->activated(1);
        QCOMPARE(editor.tensor().dtype(), DType::Float32);
        QCOMPARE(editor.tensor().to_vector()[0], static_cast<double>(drawn[0]));
        editor.randomize(); // floats in [-1, 1), two decimals
        for (double v : editor.tensor().to_vector()) {
            QVERIFY(v >= -1 && v < 1);
            QVERIFY(std::abs(v * 100 - std::round(v * 100)) < 1e-4);
        }
    }

    // gather(x, 1, idx) with x = 1..12 as 3x4 and idx = [[0, 0], [3, 1], [2, 2]]: x[0, 0] and
    // x[2, 2] are copied twice, so they share a colour with two outputs each.
    void linksFromATrace() {
        workflows::IndexTraceRequest request;
        request.op = workflows::IndexOp::Gather;
        request.input = arange_tensor({3, 4}, DType::Float32);
        request.dim = -1;
        request.index = Tensor::from_int64({0, 0, 3, 1, 2, 2}, {3, 2});
        request.grad_output = Tensor::ones({3, 2});
        const auto trace = workflows::trace_index(request);
        QVERIFY(!trace.refusal);
        const ui::IndexLinks links = ui::linkIndexTrace(trace, {3, 4}, {3, 2});
        QCOMPARE(links.source, (Flat{0, 0, 7, 5, 10, 10}));
        QCOMPARE(links.chosen_by, (Flat{0, 1, 2, 3, 4, 5}));
        QCOMPARE(links.outputs_of_input[0], (Flat{0, 1}));
        QCOMPARE(links.outputs_of_input[10], (Flat{4, 5}));
        QVERIFY(links.outputs_of_input[1].empty());
        QCOMPARE(links.outputs_of_index[3], Flat{3});
        QVERIFY(!links.input_colours[1].isValid());
        for (std::size_t k = 0; k < links.source.size(); ++k)
            QCOMPARE(links.output_colours[k],
                     links.input_colours[static_cast<std::size_t>(links.source[k])]);
        // Four sources, four different colours.
        std::set<QRgb> colours;
        for (const QColor& c : links.input_colours)
            if (c.isValid()) colours.insert(c.rgb());
        QCOMPARE(colours.size(), std::size_t(4));
        QCOMPARE(ui::sourcesOf(links, {5, 0, 4}), (Flat{0, 10}));
        QCOMPARE(ui::choosersOf(links, {5, 4}), (Flat{4, 5}));
        QCOMPARE(trace.fan_in[0], 2);
        QCOMPARE(ui::fanInSuffixes(trace.fan_in, {})[0], QStringLiteral(" ×2"));

        using workflows::IndexOp;
        QCOMPARE(ui::torchCall(IndexOp::Gather, -1, std::nullopt),
                 QStringLiteral("torch.gather(x, -1, idx)"));
        QCOMPARE(ui::torchCall(IndexOp::Embedding, 0, 4),
                 QStringLiteral("F.embedding(idx, weight, padding_idx=4)"));
        QCOMPARE(ui::indexFormula(IndexOp::Gather, -1, 2, 2),
                 QStringLiteral("out[i][j] = x[i][idx[i][j]]"));
        QCOMPARE(ui::indexFormula(IndexOp::IndexSelect, 1, 3, 1),
                 QStringLiteral("out[i][j][k] = x[i][idx[j]][k]"));
        QCOMPARE(ui::indexFormula(IndexOp::Embedding, 0, 2, 2),
                 QStringLiteral("out[i][j][e] = weight[idx[i][j]][e]"));
        QCOMPARE(ui::indexFormula(IndexOp::Gather, 2, 2, 2), QString()); // dim out of range

        request.input = request.input.to(DType::Float64);
        request.index = request.index.to(DType::Int32);
        QCOMPARE(ui::pythonLiteral(Tensor::from_vector({1, 0.1, -2.5}, {3})),
                 QStringLiteral("[1.0, 0.1, -2.5]"));
        const QString script = ui::pythonSnippet(request);
        QVERIFY2(script.contains(QStringLiteral(
                     "x = torch.tensor([[0.5, 1.5, 2.5, 3.5], [4.5, 5.5, 6.5, 7.5], [8.5, 9.5, "
                     "10.5, 11.5]], dtype=torch.float64, requires_grad=True)\n"
                     "idx = torch.tensor([[0, 0], [3, 1], [2, 2]], dtype=torch.int32)\n"
                     "out = torch.gather(x, -1, idx)\n")),
                 qPrintable(script));
        QVERIFY2(script.contains(QStringLiteral("out.backward(torch.tensor([[1.0, 1.0], [1.0, "
                                                "1.0], [1.0, 1.0]]))\nprint(x.grad)\n")),
                 qPrintable(script));
    }
};

QTEST_MAIN(TestIndexingModels)
#include "tst_indexing_models.moc"
