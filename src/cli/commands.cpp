#include "cli/commands.h"

#include "cli/subcommands.h"

#include <iostream>

namespace nnscope::cli {

int run_version(Args args) {
    args.finish();
    std::cout << "nnscope-cli 0.1.0\n";
    return 0;
}

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"version", "print the version", run_version},
        {"summary", "FILE [--json]: module tree, tensors and totals of a model", run_summary},
        {"run",
         "FILE --input IN --output OUT [--backward] [--train] [--trace-hooks]: run a model on a "
         "tensor",
         run_run},
        {"bench",
         "step --model mlp|cnn|FILE [--batch-size N] [--threads N] [--steps N] "
         "[--breakdown]: time a training step",
         run_bench},
        {"loader", "--dataset range:N|fashion-mnist|mnist:PATH|ag-news:PATH ...: DataLoader order",
         run_loader},
        {"transform",
         "--dataset fashion-mnist|mnist:PATH --index I --transform \"<pipeline>\" [--seed S] "
         "--out DIR: one image before and after a torchvision pipeline (PNG), drawn parameters "
         "(JSON)",
         run_transform},
        {"train",
         "--model mlp|cnn|textcls|FILE --dataset fashion-mnist|mnist:PATH|ag-news:PATH ...: train "
         "and test a model",
         run_train},
        {"convert",
         "IN OUT [--architecture NATIVE] [--plain]: rewrite a model as .safetensors or .pt/.pth",
         run_convert},
        {"diff", "A B | DIR [--json] [--sort change|name] [--top N]: compare checkpoints",
         run_diff},
    };
    return all;
}

} // namespace nnscope::cli
