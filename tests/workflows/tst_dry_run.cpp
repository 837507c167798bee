// workflows::dry_run, the model builder's forward table (issue #17), against PyTorch 1.13's
// hooks on the same models (tests/golden/gen_dry_run.py): every module's input and output
// shapes, calls, parameter counts and trainability, a LazyLinear fixed by its first input,
// ModuleList's missing forward and a shape error stopping the table with PyTorch's message; the
// mult-adds counted by hand.

#include "io/architecture.h"
#include "workflows/dry_run.h"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace nnscope;
using namespace nnscope::workflows;
using nlohmann::json;

namespace {

const json& cases() {
    static const json all = [] {
        std::ifstream in(NNSCOPE_GOLDEN_DIR "/dry_run/cases.json");
        return json::parse(in);
    }();
    return all;
}

const json& find_case(const std::string& name) {
    for (const auto& c : cases())
        if (c["name"] == name) return c;
    throw std::runtime_error("no case " + name);
}

Shape to_shape(const json& j) {
    Shape s;
    for (const auto& d : j)
        s.push_back(d.get<std::int64_t>());
    return s;
}

DryRun run_case(const json& c) {
    auto model = io::build_module(io::parse_architecture(c["architecture"].dump()));
    return dry_run(*model, to_shape(c["input"]));
}

} // namespace

class TestDryRun : public QObject {
    Q_OBJECT

private slots:
    void matchesPyTorchHooks_data() {
        QTest::addColumn<QString>("name");
        for (const auto& c : cases())
            QTest::newRow(c["name"].get<std::string>().c_str())
                << QString::fromStdString(c["name"].get<std::string>());
    }

    void matchesPyTorchHooks() {
        QFETCH(QString, name);
        const json& c = find_case(name.toStdString());
        const DryRun run = run_case(c);
        QCOMPARE(run.rows.size(), c["rows"].size());
        for (std::size_t i = 0; i < run.rows.size(); ++i) {
            const DryRunRow& row = run.rows[i];
            const json& want = c["rows"][i];
            const QByteArray where = QByteArray("module '") + row.path.c_str() + "'";
            QCOMPARE(row.path, want["path"].get<std::string>());
            QVERIFY2(row.type == want["type"].get<std::string>(), where.constData());
            QVERIFY2(row.calls == want["calls"].get<int>(), where.constData());
            QCOMPARE(row.own_parameters, want["own_parameters"].get<std::int64_t>());
            QCOMPARE(row.parameters, want["parameters"].get<std::int64_t>());
            QCOMPARE(row.trainable, want["trainable"].get<bool>());
            if (row.calls == 0) continue;
            std::vector<Shape> inputs;
            for (const auto& s : want["inputs"])
                inputs.push_back(to_shape(s));
            QVERIFY2(row.input_shapes == inputs, where.constData());
            QVERIFY2(row.output_shape == to_shape(want["output"]), where.constData());
        }
        if (c["error"].is_null()) {
            QVERIFY2(!run.error, run.error ? run.error->c_str() : "");
            QCOMPARE(run.output_shape, to_shape(c["output"]));
        } else {
            QVERIFY(run.error);
            // PyTorch's message after its exception type, inside ours (which names the module).
            const std::string message = c["error"].get<std::string>();
            const std::string text = message.substr(message.find(": ") + 2);
            QVERIFY2(run.error->find(text) != std::string::npos, run.error->c_str());
            QVERIFY(run.output_shape.empty());
        }
        std::int64_t total = 0;
        for (const auto& row : c["rows"])
            if (row["path"] == "") total = row["parameters"].get<std::int64_t>();
        QCOMPARE(run.total_parameters, total);
        QCOMPARE(run.trainable_parameters, total); // nothing frozen in these models
    }

    // Output elements per output channel times the weight's elements; 0 for the rest.
    void multAdds() {
        const DryRun cnn = run_case(find_case("cnn"));
        auto row = [](const DryRun& run, const std::string& path) -> const DryRunRow& {
            for (const auto& r : run.rows)
                if (r.path == path) return r;
            throw std::runtime_error("no row " + path);
        };
        QCOMPARE(row(cnn, "conv").mult_adds, std::int64_t(2 * 4 * 4 * 36)); // [2,4,4,4], 4x1x3x3
        QCOMPARE(row(cnn, "head.0").mult_adds, std::int64_t(2 * 48));       // [2,3], 3x16
        QCOMPARE(row(cnn, "bn").mult_adds, std::int64_t(0));
        QCOMPARE(cnn.total_mult_adds, std::int64_t(1152 + 96));
        const DryRun grouped = run_case(find_case("grouped_conv"));
        QCOMPARE(row(grouped, "0").mult_adds, std::int64_t(3 * 3 * 3 * 36)); // [3,6,3,3], 6x2x3x1
        const DryRun lazy = run_case(find_case("lazy_mlp"));
        QCOMPARE(row(lazy, "1").mult_adds, std::int64_t(2 * 16 * 32));
    }

    void notes() {
        const DryRun lazy = run_case(find_case("lazy_mlp"));
        QCOMPARE(lazy.rows[2].note,
                 std::string("LazyLinear: in_features fixed to 16 by its first input [2, 16]"));
        const DryRun inside = run_case(find_case("modulelist_inside"));
        QVERIFY(inside.rows[2].note.starts_with("ModuleList has no forward"));
        QCOMPARE(inside.rows[3].note, std::string("did not run: the forward stopped first"));
        QVERIFY(inside.error->find("module '1' (ModuleList)") != std::string::npos);
        // A ModuleList's children, in a forward that does not call them.
        auto list = io::build_module(io::parse_architecture(
            R"({"type": "Sequential", "children": [["0", {"type": "Linear", "in_features": 2,
                "out_features": 2}]]})"));
        const DryRun fine = dry_run(*list, {1, 2});
        QVERIFY(fine.rows[1].note.empty());
    }

    void text() {
        const std::string text = format_dry_run(run_case(find_case("cnn")));
        QVERIFY2(text.find("Layer (type:depth-idx)") == 0, text.c_str());
        QVERIFY2(text.find("\n  conv (Conv2d: 1-1)      [2, 1, 4, 4]  [2, 4, 4, 4]  40       1,152 "
                           "     True\n") != std::string::npos,
                 text.c_str());
        QVERIFY2(text.find("Total params: 99") != std::string::npos, text.c_str());
        QVERIFY2(text.find("Total mult-adds: 1,248") != std::string::npos, text.c_str());
        QVERIFY2(text.find("Output shape: [2, 3]") != std::string::npos, text.c_str());
    }

    void badShapes() {
        auto model = io::build_module(io::parse_architecture(R"({"type": "ReLU"})"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dry_run(*model, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dry_run(*model, {2, -1}));
    }
};

QTEST_GUILESS_MAIN(TestDryRun)
#include "tst_dry_run.moc"
