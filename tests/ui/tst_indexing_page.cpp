// The Indexing page as a learner drives it: typed index values with a repeat and out-of-range
// values give PyTorch's own refusal (tests/golden/index_rules/errors.safetensors, the file
// tst_index_rules checks the engine against) with the bad cells red; fixed, the output cells copy
// the input cells their links name, in their colours; the backward shows the fan-in of repeated
// indices, Embedding's padding row stays zero with its reason, and the call line is PyTorch's.

#include "support/golden.h"
#include "ui/indexing/refusal_panel.h"
#include "ui/indexing/tensor_editor.h"
#include "ui/indexing/tensor_grid_model.h"
#include "ui/indexing/tensor_grid_view.h"
#include "ui/main_window.h"
#include "ui/pages/indexing_page.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QScrollBar>
#include <QtTest>

using namespace nnscope;
using ui::IndexingPage;
using ui::TensorGridModel;
using workflows::IndexOp;
using Flat = std::vector<std::int64_t>;

namespace {

QString text(const TensorGridModel& model, std::int64_t flat) {
    return model.data(model.cell(flat)).toString();
}

QColor background(const TensorGridModel& model, std::int64_t flat) {
    return model.data(model.cell(flat), Qt::BackgroundRole).value<QColor>();
}

// As a learner types: the shape into its field, then each value into its cell.
void type(ui::TensorEditor& editor, const QString& shape, const Flat& values) {
    editor.shapeField()->setText(shape);
    emit editor.shapeField()->editingFinished();
    for (std::size_t k = 0; k < values.size(); ++k)
        QVERIFY(editor.model()->setData(editor.model()->cell(static_cast<std::int64_t>(k)),
                                        QString::number(values[k])));
}

Flat badCells(const TensorGridModel& model) {
    Flat bad;
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(model.values().size()); ++k)
        if (model.data(model.cell(k), TensorGridModel::BadRole).toBool()) bad.push_back(k);
    return bad;
}

} // namespace

class TestIndexingPage : public QObject {
    Q_OBJECT

private slots:
    // gather(x, 1, [[0, 0], [3, 1], [2, 2]]) on x = 1..12: x[0, 0] and x[2, 2] feed two outputs.
    void startsOnARepeatedGather() {
        IndexingPage page;
        QCOMPARE(page.op(), IndexOp::Gather);
        QCOMPARE(page.callText(), QStringLiteral("torch.gather(x, 1, idx)"));
        QCOMPARE(page.outputModel()->tensor().to_vector(),
                 (std::vector<double>{1, 1, 8, 6, 11, 11}));
        QCOMPARE(page.trace().fan_in, (Flat{2, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 0}));
        QCOMPARE(text(*page.gradInputModel(), 0), QStringLiteral("2.0 ×2"));
        QCOMPARE(text(*page.gradInputModel(), 1), QStringLiteral("0.0 ×0"));
        QCOMPARE(text(*page.gradOutputEditor()->model(), 0), QStringLiteral("1.0"));
    }

    void refusalThenLinksAndFanIn() {
        IndexingPage page;
        // Every grid keeps the item-model contract through refusals, resets and edits.
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        for (TensorGridModel* model :
             {page.outputModel(), page.gradInputModel(), page.inputEditor()->model(),
              page.indexEditor()->model(), page.gradOutputEditor()->model()})
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        page.inputEditor()->randomize(); // seeded: real, distinct-looking values
        const std::vector<double> x = page.inputEditor()->tensor().to_vector();
        QCOMPARE(x.size(), std::size_t(12));

        // torch.gather(zeros(3, 4), 1, [[0, 7, 9, 0], [8, 0, 0, 6]]): 0 repeats, four values are
        // out of range for a dim of size 4.
        type(*page.indexEditor(), QStringLiteral("2x4"), {0, 7, 9, 0, 8, 0, 0, 6});
        const test::GoldenFile golden("index_rules/errors.safetensors");
        QVERIFY(page.trace().refusal.has_value());
        QVERIFY(!page.refusalPanel()->isHidden());
        QCOMPARE(page.refusalPanel()->text(),
                 QString::fromStdString(golden.metadata("g_first_d1.type") + ": " +
                                        golden.metadata("g_first_d1")));
        QCOMPARE(badCells(*page.indexEditor()->model()), (Flat{1, 2, 4, 7}));
        QCOMPARE(page.outputModel()->rowCount(), 0);
        QCOMPARE(page.gradInputModel()->rowCount(), 0);

        // Fixed one by one: idx = [[0, 3, 3, 0], [1, 0, 0, 2]].
        auto* idx = page.indexEditor()->model();
        for (const auto& [at, value] : {std::pair(1, 3), {2, 3}, {4, 1}, {7, 2}})
            QVERIFY(idx->setData(idx->cell(at), QString::number(value)));
        QVERIFY(!page.trace().refusal);
        QVERIFY(page.refusalPanel()->isHidden());
        QVERIFY(badCells(*idx).empty());
        const Flat sources{0, 3, 3, 0, 5, 4, 4, 6}; // x[i][idx[i][j]], row-major in x (3x4)
        TensorGridModel& out = *page.outputModel();
        TensorGridModel& in = *page.inputEditor()->model();
        QCOMPARE(out.rowCount(), 2);
        for (std::size_t k = 0; k < sources.size(); ++k) {
            const auto from = static_cast<std::size_t>(sources[k]);
            QCOMPARE(out.values()[k], x[from]);
            QCOMPARE(text(out, static_cast<std::int64_t>(k)),
                     text(in, static_cast<std::int64_t>(from)));
            QCOMPARE(background(out, static_cast<std::int64_t>(k)),
                     background(in, static_cast<std::int64_t>(from)));
            QVERIFY(background(out, static_cast<std::int64_t>(k)).isValid());
        }
        QVERIFY(!background(in, 1).isValid()); // x[0, 1] is copied nowhere: no colour

        // The links: an output cell marks its source and the index element that chose it...
        page.outputView()->setCurrentIndex(out.cell(1));
        QCOMPARE(in.marked(), Flat{3});
        QCOMPARE(idx->marked(), Flat{1});
        QCOMPARE(out.marked(), Flat{1});
        QVERIFY(page.linkText().startsWith(QStringLiteral("out[0, 1] = x[0, 3] = ")));
        QVERIFY(page.linkText().endsWith(QStringLiteral(", chosen by idx[0, 1] = 3.")));
        // ... an input cell every output copied from it, and so does an index cell's value.
        page.inputEditor()->view()->setCurrentIndex(in.cell(4));
        QCOMPARE(out.marked(), (Flat{5, 6}));
        QCOMPARE(idx->marked(), (Flat{5, 6}));
        QVERIFY(page.linkText().contains(QStringLiteral("is copied to 2 outputs: out[1, 1], "
                                                        "out[1, 2]. In backward their gradients "
                                                        "add up in x.grad[1, 0].")));
        page.indexEditor()->view()->setCurrentIndex(idx->cell(7));
        QCOMPARE(in.marked(), Flat{6});
        QCOMPARE(out.marked(), Flat{7});
        // Hovering shows another cell's links until the mouse leaves.
        page.hover(IndexingPage::Grid::Output, 0);
        QCOMPARE(in.marked(), Flat{0});
        QCOMPARE(idx->marked(), Flat{0});
        page.hover(IndexingPage::Grid::Output, -1);
        QCOMPARE(in.marked(), Flat{6});
        QCOMPARE(idx->marked(), Flat{7});

        // Backward with ones: fan-in 2 where an index repeats.
        QCOMPARE(page.trace().fan_in, (Flat{2, 0, 0, 2, 2, 1, 1, 0, 0, 0, 0, 0}));
        TensorGridModel& grad = *page.gradInputModel();
        QCOMPARE(text(grad, 3), QStringLiteral("2.0 ×2"));
        QCOMPARE(text(grad, 5), QStringLiteral("1.0 ×1"));
        QCOMPARE(text(grad, 8), QStringLiteral("0.0 ×0"));
        // A gradient the learner types: x.grad[0, 3] = 0.5 + 1.
        auto* grad_out = page.gradOutputEditor()->model();
        QVERIFY(grad_out->setData(grad_out->cell(1), QStringLiteral("0.5")));
        QCOMPARE(text(grad, 3), QStringLiteral("1.5 ×2"));
        QCOMPARE(page.trace().grad_input.to_vector()[3], 1.5);
    }

    void embeddingPaddingRowStaysZero() {
        IndexingPage page;
        page.setOp(IndexOp::Embedding); // idx [[1, 3, 0], [3, 3, 2]], padding_idx 0
        QCOMPARE(page.callText(), QStringLiteral("F.embedding(idx, weight, padding_idx=0)"));
        TensorGridModel& grad = *page.gradInputModel();
        QCOMPARE(grad.shape(), (Shape{5, 3}));
        for (std::int64_t e = 0; e < 3; ++e) {
            QCOMPARE(text(grad, e), QStringLiteral("0.0 (padding)"));
            QCOMPARE(text(grad, 9 + e), QStringLiteral("3.0 ×3")); // row 3, looked up 3 times
        }
        QVERIFY(page.gradientNote().startsWith(
            QStringLiteral("Row 0 is padding_idx: F.embedding gives it no gradient, so "
                           "weight.grad[0] stays 0")));
        QCOMPARE(page.outputModel()->shape(), (Shape{2, 3, 3}));
        QCOMPARE(page.outputModel()->headerData(4, Qt::Vertical).toString(), QStringLiteral("1,1"));

        page.setPaddingIdx(5); // outside the 5 rows: Python's assertion
        QCOMPARE(page.refusalPanel()->text(),
                 QStringLiteral("AssertionError: Padding_idx must be within num_embeddings"));
    }

    void otherOpsAndRules() {
        IndexingPage page;
        page.setOp(IndexOp::IndexSelect); // index_select(x, 1, [3, 0, 3])
        page.setDim(-1);
        QCOMPARE(page.callText(), QStringLiteral("torch.index_select(x, -1, idx)"));
        QCOMPARE(page.outputModel()->tensor().to_vector(),
                 (std::vector<double>{4, 1, 4, 8, 5, 8, 12, 9, 12}));
        QCOMPARE(text(*page.gradInputModel(), 3), QStringLiteral("2.0 ×2"));
        page.setDim(2);
        QCOMPARE(page.refusalPanel()->text(),
                 QStringLiteral("IndexError: Dimension out of range (expected to be in range of "
                                "[-2, 1], but got 2)"));
        page.setDim(1);

        // An integer input runs forward only.
        auto* dtype = page.inputEditor()->dtypeBox();
        dtype->setCurrentIndex(dtype->findText(QStringLiteral("int64")));
        emit dtype->activated(dtype->currentIndex());
        QVERIFY(!page.trace().refusal);
        QCOMPARE(page.gradInputModel()->rowCount(), 0);
        QVERIFY(page.gradientNote().contains(
            QStringLiteral("only Tensors of floating point dtype can require gradients")));
    }

    // At the window's smallest screenshot size the starting example shows whole: no grid of it
    // scrolls, and the gradient's note is not cut.
    void startingExampleFitsAt1024() {
        ui::MainWindow window(nullptr, false);
        window.resize(1024, 640);
        window.showWorkspace(window.workspaceCount() - 1);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1024, 640)); // the page asks no more room than that
        auto* page = qobject_cast<IndexingPage*>(window.workspace(window.workspaceCount() - 1));
        QVERIFY(page);
        QTest::qWait(50);
        for (QAbstractItemView* view : page->findChildren<QAbstractItemView*>()) {
            if (view->model() && view->model()->rowCount() == 0) continue;
            QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
            QCOMPARE(view->verticalScrollBar()->maximum(), 0);
        }
        for (QLabel* label : page->findChildren<QLabel*>())
            if (label->isVisible() && label->wordWrap() && !label->text().isEmpty())
                QVERIFY2(label->height() >= label->heightForWidth(label->width()),
                         qPrintable(label->text()));
    }

    // "Copy as Python" gives a script real PyTorch runs to the page's output and gradient.
    void pythonSnippetMatchesPyTorch() {
        IndexingPage page; // gather with a repeated index
        auto* grad_out = page.gradOutputEditor()->model();
        QVERIFY(grad_out->setData(grad_out->cell(1), QStringLiteral("0.25")));
        const QString script = page.pythonText();
        QVERIFY2(script.contains(QStringLiteral(
                     "x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, "
                     "11.0, 12.0]], requires_grad=True)\nidx = torch.tensor([[0, 0], [3, 1], [2, "
                     "2]])\nout = torch.gather(x, 1, idx)\n")),
                 qPrintable(script));
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-")});
        if (!python.waitForStarted()) QSKIP("no /usr/bin/python3");
        python.write(
            (script + QStringLiteral("import json\n"
                                     "print(json.dumps([out.tolist(), x.grad.tolist()]))\n"))
                .toUtf8());
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(60000));
        const QByteArray err = python.readAllStandardError();
        if (err.contains("No module named 'torch'")) QSKIP("PyTorch is not installed");
        QVERIFY2(python.exitCode() == 0, err.constData());
        const QList<QByteArray> lines = python.readAllStandardOutput().trimmed().split('\n');
        const QJsonArray both = QJsonDocument::fromJson(lines.last()).array();
        QCOMPARE(both.size(), 2);
        std::vector<double> out, grad;
        for (const QJsonValue& row : both[0].toArray())
            for (const QJsonValue& v : row.toArray())
                out.push_back(v.toDouble());
        for (const QJsonValue& row : both[1].toArray())
            for (const QJsonValue& v : row.toArray())
                grad.push_back(v.toDouble());
        QCOMPARE(out, page.outputModel()->tensor().to_vector());
        QCOMPARE(grad, page.trace().grad_input.to_vector());
        QCOMPARE(grad[0], 1.25); // x[0, 0] feeds out[0, 0] (1) and out[0, 1] (0.25)
    }

    void windowHasThePage() {
        ui::MainWindow window(nullptr, false);
        const int last = window.workspaceCount() - 1;
        QVERIFY(qobject_cast<IndexingPage*>(window.workspace(last)));
        QCOMPARE(window.workspace(last)->title(), QStringLiteral("Indexing"));
    }
};

QTEST_MAIN(TestIndexingPage)
#include "tst_indexing_page.moc"
