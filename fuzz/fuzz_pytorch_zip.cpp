// PyTorch zip archives (torch.save >= 1.6): libzip's directory, data.pkl, byteorder, storages.
#include "pytorch_file_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nnscope::fuzz::open_pytorch_and_load(data, size);
    return 0;
}
