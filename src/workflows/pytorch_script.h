#pragma once
// A DataLoader configuration as a short PyTorch 1.13 script that a user pastes into a notebook:
// it builds the same data set, sampler and torch.utils.data.DataLoader with torch, torchvision
// and the standard library only (numpy for worker_init_fn "seed-numpy"), and prints the lines
// `nnscope-cli loader --json` prints, so that PyTorch itself shows nnscope's batches are its own.
// `nnscope-cli loader ... --emit-pytorch` prints it; tst_pytorch_script runs it against torch.

#include "data/loader_config.h"

#include <string>

namespace nnscope::workflows {

// The configuration is first checked as `loader` checks it (data::build_loader opens the data
// set, so a path that does not exist is an error here too): data::ConfigError or the reader's
// std::runtime_error, and a ConfigError on "collate_fn" for the text collate functions, which
// the script does not write.
std::string pytorch_script(const data::DataLoaderConfig& config);

} // namespace nnscope::workflows
