"""Truth for tst_type_inference: state dicts whose module types and tensor roles are known.

Run: /usr/bin/python3 tests/golden/gen_inference.py
       writes tests/golden/inference/state_dicts.json (the committed subset, a few families)
     /usr/bin/python3 tests/golden/gen_inference.py --all /tmp/all.json
       writes every model below (too big to commit); measure it with
       NNSCOPE_INFERENCE_TRUTH=/tmp/all.json build/dev/tests/tst_type_inference measure

The models are torchvision's (weights=None) with their real classes, torch.nn's recurrent and
transformer layers, and Hugging Face-style BERT and GPT-2 built here by hand with the same names,
shapes, classes and buffers as transformers 4.x (transformers is not installed). No tensor data is
written: for each model, its state_dict's names, shapes, dtypes and roles (buffer or parameter, as
named_buffers() says), and for each module holding a tensor directly its class and base classes up
to torch.nn.Module ("NonDynamicallyQuantizableLinear|Linear"), which a guess may name.

JSON: {"models": [{"name", "tensors": [[name, shape, dtype, "p"|"b"], ...],
                   "types": {module path: "Class|Base|..."}}]}
"""

import json
import os
import sys

import torch
import torch.nn as nn
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "inference", "state_dicts.json")

DTYPES = {torch.float32: "float32", torch.int64: "int64", torch.bool: "bool", torch.uint8: "uint8"}


# Hugging Face's GPT-2 Conv1D: a linear layer with weight [in, out].
class Conv1D(nn.Module):
    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))


class GPT2Attention(nn.Module):
    def __init__(self, n_embd, n_positions):
        super().__init__()
        tril = torch.tril(torch.ones((n_positions, n_positions), dtype=torch.bool))
        self.register_buffer("bias", tril.view(1, 1, n_positions, n_positions))
        self.register_buffer("masked_bias", torch.tensor(-1e4))
        self.c_attn = Conv1D(3 * n_embd, n_embd)
        self.c_proj = Conv1D(n_embd, n_embd)


class GPT2MLP(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.c_fc = Conv1D(4 * n_embd, n_embd)
        self.c_proj = Conv1D(n_embd, 4 * n_embd)


class GPT2Block(nn.Module):
    def __init__(self, n_embd, n_positions):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = GPT2Attention(n_embd, n_positions)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = GPT2MLP(n_embd)


class GPT2Model(nn.Module):
    def __init__(self, vocab=1000, n_positions=64, n_embd=48, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(n_positions, n_embd)
        self.h = nn.ModuleList(GPT2Block(n_embd, n_positions) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)


class GPT2LMHeadModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.transformer = GPT2Model()
        self.lm_head = nn.Linear(48, 1000, bias=False)
        self.lm_head.weight = self.transformer.wte.weight


class BertEmbeddings(nn.Module):
    def __init__(self, vocab, hidden, positions):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
        self.register_buffer("position_ids", torch.arange(positions).expand((1, -1)))
        self.register_buffer("token_type_ids", torch.zeros((1, positions), dtype=torch.long))


class BertSelfAttention(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)


class BertOutput(nn.Module):
    def __init__(self, inner, hidden):
        super().__init__()
        self.dense = nn.Linear(inner, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)


class BertAttention(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        setattr(self, "self", BertSelfAttention(hidden))
        self.output = BertOutput(hidden, hidden)


class BertIntermediate(nn.Module):
    def __init__(self, hidden, inner):
        super().__init__()
        self.dense = nn.Linear(hidden, inner)


class BertLayer(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.attention = BertAttention(hidden)
        self.intermediate = BertIntermediate(hidden, 4 * hidden)
        self.output = BertOutput(4 * hidden, hidden)


class BertEncoder(nn.Module):
    def __init__(self, hidden, layers):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(hidden) for _ in range(layers))


class BertPooler(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.dense = nn.Linear(hidden, hidden)


class BertModel(nn.Module):
    def __init__(self, vocab=1000, hidden=48, positions=64, layers=2):
        super().__init__()
        self.embeddings = BertEmbeddings(vocab, hidden, positions)
        self.encoder = BertEncoder(hidden, layers)
        self.pooler = BertPooler(hidden)


class BertForSequenceClassification(nn.Module):
    def __init__(self):
        super().__init__()
        self.bert = BertModel()
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(48, 2)


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(100, 16)
        self.lstm = nn.LSTM(16, 32, num_layers=2, bidirectional=True)
        self.gru = nn.GRU(64, 24)
        self.rnn = nn.RNN(24, 8, bias=False)
        self.cell = nn.LSTMCell(8, 8)
        self.head = nn.Linear(8, 3)


def transformer():
    return nn.Transformer(d_model=32, nhead=4, num_encoder_layers=1, num_decoder_layers=1,
                          dim_feedforward=64)


def tv(name, **kwargs):
    return lambda: torchvision.models.get_model(name, weights=None, **kwargs)


def det(name, **kwargs):
    return lambda: torchvision.models.get_model(name, weights=None, weights_backbone=None,
                                                **kwargs)


# The committed subset: one model of each family whose layers differ.
COMMITTED = {
    "resnet18": tv("resnet18"),
    "mobilenet_v3_small": tv("mobilenet_v3_small"),
    "efficientnet_b0": tv("efficientnet_b0"),
    "convnext_tiny": tv("convnext_tiny"),
    "vit_b_16": tv("vit_b_16"),
    "swin_t": tv("swin_t"),
    "r2plus1d_18": tv("r2plus1d_18"),
    "bert_style": BertForSequenceClassification,
    "gpt2_style": GPT2LMHeadModel,
    "recurrent": Recurrent,
    "transformer": transformer,
}

CLASSIFICATION = [
    "alexnet", "convnext_tiny", "convnext_small", "densenet121", "densenet161", "efficientnet_b0",
    "efficientnet_b3", "efficientnet_v2_s", "googlenet", "inception_v3", "maxvit_t",
    "mnasnet0_5", "mnasnet1_0", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small",
    "regnet_x_400mf", "regnet_y_400mf", "regnet_y_1_6gf", "resnet18", "resnet50", "resnet101",
    "resnext50_32x4d", "wide_resnet50_2", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0",
    "squeezenet1_0", "squeezenet1_1", "swin_t", "swin_v2_t", "vgg11", "vgg11_bn", "vgg16_bn",
    "vit_b_16", "vit_b_32",
]
VIDEO = ["r3d_18", "mc3_18", "r2plus1d_18", "s3d", "mvit_v2_s"]
DETECTION = ["fasterrcnn_mobilenet_v3_large_320_fpn", "retinanet_resnet50_fpn",
             "ssdlite320_mobilenet_v3_large", "fcos_resnet50_fpn"]
SEGMENTATION = ["fcn_resnet50", "deeplabv3_mobilenet_v3_large", "lraspp_mobilenet_v3_large"]


def all_models():
    models = {name: tv(name) for name in CLASSIFICATION + VIDEO}
    models.update({name: det(name) for name in DETECTION + SEGMENTATION})
    models.update({k: v for k, v in COMMITTED.items() if k not in models})
    return models


def classes(module):
    names = []
    for cls in type(module).__mro__:
        if cls is nn.Module:
            break
        names.append(cls.__name__)
    return "|".join(names)


def truth(make):
    with torch.no_grad():
        model = make()
    buffers = {name for name, _ in model.named_buffers()}
    state = model.state_dict(keep_vars=True)
    tensors = [[name, list(t.shape), DTYPES[t.dtype], "b" if name in buffers else "p"]
               for name, t in state.items()]
    holders = {name.rpartition(".")[0] for name in state}
    types = {path: classes(m) for path, m in model.named_modules() if path in holders and path}
    return {"tensors": tensors, "types": types}


def skip_init():
    """Only names and shapes are written: initialising the weights would only cost time."""
    for name in dir(nn.init):
        if name.endswith("_") and not name.startswith("_"):
            setattr(nn.init, name, lambda tensor, *args, **kwargs: tensor)


def main():
    skip_init()
    if len(sys.argv) == 3 and sys.argv[1] == "--all":
        models, out = all_models(), sys.argv[2]
    else:
        models, out = COMMITTED, OUT
    result = []
    for name, make in models.items():
        print(name, file=sys.stderr)
        result.append({"name": name, **truth(make)})
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write('{"models": [\n')
        f.write(",\n".join(json.dumps(m, separators=(",", ":")) for m in result))
        f.write("\n]}\n")
    print(out, os.path.getsize(out), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
