// The pieces of text handling against torchtext 0.14 and Python (tests/golden/gen_text.py):
// CSV records as Python's csv.reader gives them, the basic_english tokenizer, the vocabulary's
// order, min_freq and lookup, and the two text collate functions.

#include "data/text/basic_english.h"
#include "data/text/csv_reader.h"
#include "data/text/text_collate.h"
#include "data/text/vocab.h"
#include "data/text/vocab_metadata.h"
#include "data_golden.h"
#include "text_golden.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;
using nlohmann::json;
using test::errorOf;

namespace {

std::vector<std::int64_t> ints(const json& j) {
    return j.get<std::vector<std::int64_t>>();
}

std::vector<Sample> samplesOf(const json& list) {
    std::vector<Sample> out;
    for (const auto& s : list)
        out.push_back(Sample::tuple({Sample(s[0].get<std::string>()), Sample(s[1].get<int>())}));
    return out;
}

} // namespace

class TestText : public QObject {
    Q_OBJECT

private slots:
    void csvMatchesPython() {
        const json golden = test::textGolden("csv.json");
        for (const auto& c : golden["cases"]) {
            const std::string name = c["name"];
            const auto records = parse_csv(c["csv"].get<std::string>(), name);
            const auto expected = c["records"];
            QVERIFY2(records.size() == expected.size(), name.c_str());
            for (std::size_t i = 0; i < records.size(); ++i)
                QVERIFY2(records[i].fields == expected[i].get<std::vector<std::string>>(),
                         (name + " record " + std::to_string(i)).c_str());
        }
    }

    void csvLineNumbers() {
        const auto records = parse_csv("1,\"a\nb\",c\n\n2,x,y\r\n3,\"p\"\"q\",r", "f.csv");
        QCOMPARE(records.size(), std::size_t{4});
        QCOMPARE(records[0].line, std::int64_t{1});
        QCOMPARE(records[1].line, std::int64_t{3}); // the empty line
        QCOMPARE(records[2].line, std::int64_t{4});
        QCOMPARE(records[3].line, std::int64_t{5});
    }

    void csvErrors() {
        QString e = errorOf([] { parse_csv("1,a,b\n2,\"open\nstill open,c\n", "news.csv"); });
        QVERIFY2(e.startsWith("news.csv:2: unterminated quoted field"), qPrintable(e));
        e = errorOf([] { parse_csv("1,a,b\n2,caf\xe9,c\n", "latin1.csv"); });
        QVERIFY2(e.startsWith("latin1.csv:2: not valid UTF-8"), qPrintable(e));
        e = errorOf([] { parse_csv("1,a,\xe4\xb8", "cut.csv"); }); // truncated sequence
        QVERIFY2(e.startsWith("cut.csv:1: not valid UTF-8"), qPrintable(e));
        e = errorOf([] { read_csv_file("/nonexistent/dir/train.csv"); });
        QVERIFY2(e.contains("cannot open '/nonexistent/dir/train.csv'"), qPrintable(e));
    }

    void tokenizerMatchesTorchtext() {
        const json golden = test::textGolden("tokenizer.json");
        for (const auto& c : golden["cases"]) {
            const std::string text = c["text"];
            const auto tokens = basic_english_tokenize(text);
            const auto expected = c["tokens"].get<std::vector<std::string>>();
            if (tokens != expected)
                QFAIL(qPrintable(QString("'%1': got %2, torchtext %3")
                                     .arg(QString::fromStdString(text),
                                          QString::fromStdString(json(tokens).dump()),
                                          QString::fromStdString(json(expected).dump()))));
        }
    }

    void vocabMatchesTorchtext() {
        const json golden = test::textGolden("vocab.json");
        for (const auto& c : golden["cases"]) {
            VocabOptions o;
            o.min_freq = c["min_freq"];
            o.specials = c["specials"].get<std::vector<std::string>>();
            o.special_first = c["special_first"];
            if (!c["max_tokens"].is_null()) o.max_tokens = c["max_tokens"].get<std::int64_t>();
            const Vocab v = build_vocab_from_iterator(
                c["tokens"].get<std::vector<std::vector<std::string>>>(), o);
            QCOMPARE(json(v.itos()).dump(), c["itos"].dump());
        }
    }

    void vocabLookup() {
        Vocab v({"<unk>", "<pad>", "the", "cat"});
        QCOMPARE(v.size(), std::int64_t{4});
        QCOMPARE(v["cat"], std::int64_t{3});
        QCOMPARE(v.lookup_token(2), std::string("the"));
        QString e = errorOf([&] { v["dog"]; });
        QCOMPARE(e, QString("Token 'dog' not found and default index is not set"));
        v.set_default_index(v["<unk>"]);
        QCOMPARE(v["dog"], std::int64_t{0});
        QCOMPARE(v.lookup_indices({"the", "dog", "cat"}), (std::vector<std::int64_t>{2, 0, 3}));
        e = errorOf([&] { v.lookup_token(4); });
        QVERIFY2(e.contains("index 4 is out of bounds"), qPrintable(e));
        e = errorOf([] { Vocab({"a", "b", "a"}); });
        QVERIFY2(e.contains("'a' appears twice"), qPrintable(e));
        e = errorOf([] {
            VocabOptions o;
            o.specials = {"<unk>", "<pad>"};
            o.max_tokens = 2;
            build_vocab_from_iterator({{"x"}}, o);
        });
        QVERIFY2(e.contains("len(specials) >= max_tokens"), qPrintable(e));
    }

    void offsetsCollateMatchesTutorial() {
        const json g = test::textGolden("collate.json");
        auto vocab = std::make_shared<Vocab>(g["itos"].get<std::vector<std::string>>());
        vocab->set_default_index((*vocab)["<unk>"]);
        const Sample out = offsets_collate(vocab)(samplesOf(g["samples"]));
        QCOMPARE(out.items().size(), std::size_t{3});
        QCOMPARE(out[0].tensor().to_int64_vector(), ints(g["offsets"]["labels"]));
        QCOMPARE(out[1].tensor().to_int64_vector(), ints(g["offsets"]["text"]));
        QCOMPARE(out[2].tensor().to_int64_vector(), ints(g["offsets"]["offsets"]));
        QCOMPARE(out[1].tensor().dtype(), DType::Int64);
    }

    void paddingCollateMatchesPadSequence() {
        const json g = test::textGolden("collate.json");
        auto vocab = std::make_shared<Vocab>(g["itos"].get<std::vector<std::string>>());
        vocab->set_default_index((*vocab)["<unk>"]);
        const Sample out = padding_collate(vocab)(samplesOf(g["samples"]));
        QCOMPARE(out[0].tensor().to_int64_vector(), ints(g["padded"]["labels"]));
        const json ids = g["padded"]["ids"];
        const Tensor padded = out[1].tensor();
        QCOMPARE(padded.shape(), (Shape{static_cast<std::int64_t>(ids.size()),
                                        static_cast<std::int64_t>(ids[0].size())}));
        std::vector<std::int64_t> flat;
        for (const auto& row : ids)
            for (const auto& v : row)
                flat.push_back(v);
        QCOMPARE(padded.to_int64_vector(), flat);
        QCOMPARE(out[2].tensor().to_int64_vector(), ints(g["padded"]["lengths"]));
    }

    void collateOfTokenIds() {
        // Samples whose text is already a tensor of ids pass through unchanged.
        std::vector<Sample> batch = {
            Sample::tuple({Sample(Tensor::from_int64({5, 6, 7}, {3})), Sample(1)}),
            Sample::tuple({Sample(Tensor::from_int64({8}, {1})), Sample(2)})};
        const Sample off = offsets_collate(nullptr)(batch);
        QCOMPARE(off[1].tensor().to_int64_vector(), (std::vector<std::int64_t>{5, 6, 7, 8}));
        QCOMPARE(off[2].tensor().to_int64_vector(), (std::vector<std::int64_t>{0, 3}));
        const Sample pad = padding_collate(nullptr, 9)(batch);
        QCOMPARE(pad[1].tensor().to_int64_vector(), (std::vector<std::int64_t>{5, 6, 7, 8, 9, 9}));
    }

    void collateErrors() {
        auto vocab = std::make_shared<Vocab>(std::vector<std::string>{"<unk>", "x"});
        QString e = errorOf([&] { padding_collate(vocab); });
        QVERIFY2(e.contains("no '<pad>' token"), qPrintable(e));
        e = errorOf([&] { offsets_collate(vocab)({Sample(3)}); });
        QVERIFY2(e.contains("(text, label) tuples, got int"), qPrintable(e));
        e = errorOf([&] { offsets_collate(nullptr)({Sample::tuple({Sample("a b"), Sample(0)})}); });
        QVERIFY2(e.contains("needs a vocabulary"), qPrintable(e));
        e = errorOf([&] { offsets_collate(vocab)({}); });
        QVERIFY2(e.contains("empty batch"), qPrintable(e));
    }

    // A model file's vocabulary survives the metadata round trip; malformed values are named.
    void vocabMetadata() {
        Vocab vocab({"<unk>", "<pad>", "the", "\"quoted\""});
        vocab.set_default_index(0);
        std::map<std::string, std::string> metadata;
        write_vocab_metadata(vocab, metadata);
        QCOMPARE(metadata.at("nnscope.vocab"),
                 std::string("[\"<unk>\",\"<pad>\",\"the\",\"\\\"quoted\\\"\"]"));
        QCOMPARE(metadata.at("nnscope.vocab_default_index"), std::string("0"));
        const std::optional<Vocab> back = read_vocab_metadata(metadata);
        QVERIFY(back.has_value());
        QCOMPARE(back->itos(), vocab.itos());
        QCOMPARE(back->default_index(), std::optional<std::int64_t>(0));
        QCOMPARE((*back)["never seen"], 0);

        QVERIFY(!read_vocab_metadata({}).has_value());
        auto bad = metadata;
        bad["nnscope.vocab"] = "[1, 2]";
        QVERIFY(errorOf([&] {
                    read_vocab_metadata(bad);
                }).startsWith("nnscope.vocab: expected a JSON list of strings"));
        bad = metadata;
        bad["nnscope.vocab_default_index"] = "4";
        QCOMPARE(errorOf([&] { read_vocab_metadata(bad); }),
                 QStringLiteral("nnscope.vocab_default_index: expected an index below 4, got '4'"));
        bad = metadata;
        bad["nnscope.tokenizer"] = "spacy";
        QCOMPARE(errorOf([&] { read_vocab_metadata(bad); }),
                 QStringLiteral("nnscope.tokenizer: unknown tokenizer 'spacy' (basic_english)"));
    }
};

QTEST_GUILESS_MAIN(TestText)
#include "tst_text.moc"
