// The legacy torch.save format: five pickles back to back, then raw storages. Inputs that turn
// into zip archives are left to fuzz_pytorch_zip, so this run's time goes to the legacy path.
#include "pytorch_file_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') return 0;
    nnscope::fuzz::open_pytorch_and_load(data, size);
    return 0;
}
