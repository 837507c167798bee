"""Golden data for AG_NEWS text handling (tests/data/tst_text*.cpp, tst_ag_news.cpp).

Run: /usr/bin/python3 tests/golden/gen_text.py   (writes tests/golden/text/*.json)

torchtext 0.14 (Debian's python3-torchtext) cannot be imported here: its compiled extension
does not load with this Python. Its pure-Python parts are used from the installed source instead:
- the basic_english tokenizer is torchtext/data/utils.py loaded as a plain module;
- build_vocab_from_iterator and vocab() are the functions of torchtext/vocab/vocab_factory.py,
  compiled from that file's source with a stand-in for the C++ Vocab that keeps the token list
  (the order of the list is all those functions decide);
- AG_NEWS needs torchdata (not packaged); its reading is re-implemented as torchtext 0.14 does
  it: a file opened in text mode as UTF-8, csv.reader with the default dialect, and
  _modify_res (int(t[0]), " ".join(t[1:])) taken from torchtext/datasets/ag_news.py.
When the installed torchtext is absent, the tokenizer and vocab fall back to faithful copies
below (same patterns, same sort), and the script says so.
The collate results come from real PyTorch: the tutorial's collate_batch (torch.tensor, cumsum,
cat) and torch.nn.utils.rnn.pad_sequence; the split from torch.utils.data.random_split.
"""

import ast
import collections
import csv
import importlib.util
import io
import json
import os
import re
import sys
import typing

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "text")
# ../shared next to the checkout (as NNSCOPE_SHARED_DIR), else next to the worktrees' parent.
SHARED = next((p for p in (os.path.normpath(os.path.join(HERE, *[".."] * k, "shared"))
                           for k in (3, 4)) if os.path.isdir(p)), "")
TORCHTEXT = "/usr/lib/python3/dist-packages/torchtext"


def load_tokenizer():
    path = os.path.join(TORCHTEXT, "data", "utils.py")
    if os.path.exists(path):
        spec = importlib.util.spec_from_file_location("torchtext_data_utils", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module._basic_english_normalize, "torchtext 0.14 data/utils.py"
    # Copy of torchtext 0.14's _basic_english_normalize.
    patterns = [r"\'", r"\"", r"\.", r"<br \/>", r",", r"\(", r"\)", r"\!", r"\?", r"\;", r"\:",
                r"\s+"]
    replacements = [" '  ", "", " . ", " ", " , ", " ( ", " ) ", " ! ", " ? ", " ", " ", " "]
    compiled = [(re.compile(p), r) for p, r in zip(patterns, replacements)]

    def normalize(line):
        line = line.lower()
        for pattern_re, replaced_str in compiled:
            line = pattern_re.sub(replaced_str, line)
        return line.split()

    return normalize, "copy of torchtext 0.14's tokenizer (torchtext not installed)"


def load_vocab_builder():
    path = os.path.join(TORCHTEXT, "vocab", "vocab_factory.py")
    namespace = {
        "Counter": collections.Counter,
        "OrderedDict": collections.OrderedDict,
        "VocabPybind": lambda tokens, default: list(tokens),
        "Vocab": lambda tokens: tokens,
    }
    namespace.update({name: getattr(typing, name) for name in typing.__all__})
    if os.path.exists(path):
        tree = ast.parse(open(path, encoding="utf-8").read())
        wanted = [n for n in tree.body
                  if isinstance(n, ast.FunctionDef) and n.name in ("vocab", "build_vocab_from_iterator")]
        exec(compile(ast.Module(body=wanted, type_ignores=[]), path, "exec"), namespace)
        return namespace["build_vocab_from_iterator"], "torchtext 0.14 vocab/vocab_factory.py"

    def build(iterator, min_freq=1, specials=None, special_first=True, max_tokens=None):
        counter = collections.Counter()
        for tokens in iterator:
            counter.update(tokens)
        specials = specials or []
        ordered = sorted(counter.items(), key=lambda x: (-x[1], x[0]))
        if max_tokens is not None:
            ordered = ordered[: max_tokens - len(specials)]
        tokens = [t for t, f in ordered if f >= min_freq and t not in specials]
        return specials + tokens if special_first else tokens + specials

    return build, "copy of torchtext 0.14's build_vocab_from_iterator (torchtext not installed)"


tokenize, TOKENIZER_SOURCE = load_tokenizer()
build_vocab_from_iterator, VOCAB_SOURCE = load_vocab_builder()


def modify_res(t):  # torchtext/datasets/ag_news.py
    return int(t[0]), " ".join(t[1:])


def python_csv(data: bytes):
    """csv.reader over a file opened as open(path, encoding="utf-8") (universal newlines)."""
    return list(csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")))


def write(name, obj):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


TOKENIZER_CASES = [
    "Hello, World!",
    "It's the U.S. (finally): 3.5% growth; \"really\"?",
    "Line one<br />line two<br/>three < br />four",
    "<b\"r />quote removed first, then the break matches",
    "Wall St. Bears Claw Back Into the Black (Reuters)",
    "Reuters - Short-sellers, Wall Street's dwindling\\band of ultra-cynics, are seeing green again.",
    "  leading and   trailing\tblanks\n\r\x0b\x0c ",
    "unit\x1cseparators\x1d\x1e\x1fsplit too",
    "no-break\u00a0space, em\u2003space, ideographic\u3000space, line\u2028sep",
    "ÀÉÎÕÜ Ç ß Ø × İstanbul Ĳssel ĸ Ÿ Ł ſ",
    "ΑΒΓ Δέλτα ΆΈΉΊΌΎΏ Ϊ Ϋ",
    "Привет МИР Ёлка Ђ",
    "emoji 🙂 and 中文 stay",
    "!!!...???,,,((()))",
    "don't won''t \"\"",
    "#36;10 million &lt;b&gt; #39;s",
    "",
    "   ",
]


def gen_tokenizer():
    cases = [{"text": t, "tokens": tokenize(t)} for t in TOKENIZER_CASES]
    write("tokenizer.json", {"source": TOKENIZER_SOURCE, "cases": cases})


CSV_CASES = {
    "plain": b'"3","Title","Desc"\n"1","A","B"\n',
    "unquoted": b"3,Title,Desc\n4,x,y",
    "embedded_commas": b'"2","Hello, world","a, b, c"\n',
    "doubled_quotes": b'"1","He said ""hi""","""quoted"" start and end """\n',
    "newline_in_quotes": b'"4","Two\nlines","crlf\r\ninside and lone\rcr"\r\n"1","x","y"\r\n',
    "crlf_records": b"1,a,b\r\n2,c,d\r\n",
    "cr_records": b"1,a,b\r2,c,d\r",
    "empty_fields": b'1,,\n2,"",""\n,,\n',
    "quote_inside_unquoted": b'1,ab"c"d,e\n',
    "text_after_closing_quote": b'1,"ab"cd,"x" y\n',
    "empty_lines": b'\n1,a,b\n\n\n2,c,d\n\n',
    "no_trailing_newline": b'1,a,"b"',
    "trailing_comma": b"1,a,b,\n",
    "backslashes": b'"3","back\\slash","a\\b\\\\c"\n',
    "utf8": '"4","Caf\u00e9 \u00fcber","\u4e2d\u6587 \U0001F642"\n'.encode("utf-8"),
    "spaces": b' 1 , a , " b" \n',
}


def gen_csv():
    cases = []
    for name, data in CSV_CASES.items():
        cases.append({"name": name, "csv": data.decode("utf-8"), "records": python_csv(data)})
    write("csv.json", {"cases": cases})


VOCAB_CASES = [
    {"tokens": [["b", "a", "c", "a"], ["c", "b", "d"], ["a"]], "min_freq": 1},
    {"tokens": [["b", "a", "c", "a"], ["c", "b", "d"], ["a"]], "min_freq": 2},
    {"tokens": [["z", "y", "x", "Z", "é", "e", "10", "9", "<unk>", "<unk>", "<unk>"]],
     "min_freq": 1},
    {"tokens": [["the", "cat"], ["the", "dog"], ["a", "cat"], ["the"]], "min_freq": 1,
     "special_first": False},
    {"tokens": [["the", "cat"], ["the", "dog"], ["a", "cat"], ["the"]], "min_freq": 1,
     "max_tokens": 4},
]


def gen_vocab():
    cases = []
    for c in VOCAB_CASES:
        specials = c.get("specials", ["<unk>", "<pad>"])
        itos = build_vocab_from_iterator(iter(c["tokens"]), min_freq=c["min_freq"],
                                         specials=specials,
                                         special_first=c.get("special_first", True),
                                         max_tokens=c.get("max_tokens"))
        cases.append(dict(c, specials=specials, special_first=c.get("special_first", True),
                          max_tokens=c.get("max_tokens"), itos=list(itos)))
    write("vocab.json", {"source": VOCAB_SOURCE, "cases": cases})


def gen_collate():
    samples = [("The cat sat.", 2), ("A dog!", 0), ("", 3), ("the unknown cat, the end", 1)]
    itos = build_vocab_from_iterator((tokenize(t) for t, _ in samples[:2]),
                                     specials=["<unk>", "<pad>"])
    stoi = {t: i for i, t in enumerate(itos)}

    def text_pipeline(x):
        return [stoi.get(t, stoi["<unk>"]) for t in tokenize(x)]

    # The torchtext AG_NEWS tutorial's collate_batch (labels already 0-3 here).
    label_list, text_list, offsets = [], [], [0]
    for _text, _label in samples:
        label_list.append(_label)
        processed_text = torch.tensor(text_pipeline(_text), dtype=torch.int64)
        text_list.append(processed_text)
        offsets.append(processed_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    padded = torch.nn.utils.rnn.pad_sequence(
        [torch.tensor(text_pipeline(t), dtype=torch.int64) for t, _ in samples],
        batch_first=True, padding_value=stoi["<pad>"])
    write("collate.json", {
        "itos": list(itos),
        "samples": [[t, l] for t, l in samples],
        "offsets": {"labels": label_list.tolist(), "text": text_list.tolist(),
                    "offsets": offsets.tolist()},
        "padded": {"labels": label_list.tolist(), "ids": padded.tolist(),
                   "lengths": [len(text_pipeline(t)) for t, _ in samples]},
    })


def gen_ag_news():
    path = os.path.join(SHARED, "datasets", "ag_news_csv", "test.csv")
    if not os.path.exists(path):
        print(f"gen_text.py: {path} is absent; ag_news_test.json not regenerated", file=sys.stderr)
        return
    with open(path, encoding="utf-8") as f:  # what torchtext's FileOpener + parse_csv do
        rows = [modify_res(t) for t in csv.reader(f)]
    samples = [(text, label - 1) for label, text in rows]  # the tutorial's label_pipeline
    n = len(samples)
    num_train = int(n * 0.95)  # the tutorial's split of its training set
    train, test = torch.utils.data.random_split(samples, [num_train, n - num_train],
                                                generator=torch.Generator().manual_seed(0))
    itos = build_vocab_from_iterator((tokenize(t) for t, _ in train), specials=["<unk>", "<pad>"])
    itos2 = build_vocab_from_iterator((tokenize(t) for t, _ in train), min_freq=2,
                                      specials=["<unk>", "<pad>"])
    stoi = {t: i for i, t in enumerate(itos)}
    per_class = collections.Counter(label for _, label in samples)
    write("ag_news_test.json", {
        "rows": n,
        "per_class": [per_class[k] for k in range(4)],
        "first_rows": [{"label": l, "text": t, "tokens": tokenize(t)} for t, l in samples[:8]],
        "split": {"seed": 0, "train_size": len(train), "test_size": len(test),
                  "train_first": list(train.indices[:50]), "test": list(test.indices)},
        "vocab": {"size": len(itos), "size_min_freq_2": len(itos2), "first": list(itos[:60]),
                  "last": list(itos[-20:])},
        "train_first_ids": [[stoi.get(tok, 0) for tok in tokenize(train[i][0])]
                            for i in range(3)],
        "test_first_ids": [[stoi.get(tok, 0) for tok in tokenize(test[i][0])] for i in range(3)],
    })


def main():
    os.makedirs(OUT, exist_ok=True)
    gen_tokenizer()
    gen_csv()
    gen_vocab()
    gen_collate()
    gen_ag_news()
    print(f"tokenizer: {TOKENIZER_SOURCE}; vocab: {VOCAB_SOURCE}")


if __name__ == "__main__":
    main()
