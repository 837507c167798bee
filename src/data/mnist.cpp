#include "data/mnist.h"

#include "data/idx_file.h"

#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace nnscope::data {

namespace {

const std::vector<std::string> mnist_classes = {"0 - zero",  "1 - one",  "2 - two", "3 - three",
                                                "4 - four",  "5 - five", "6 - six", "7 - seven",
                                                "8 - eight", "9 - nine"};
const std::vector<std::string> fashion_classes = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                  "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                  "Bag",         "Ankle boot"};

std::shared_ptr<MnistDataset> open(const std::string& folder, Split split,
                                   const std::vector<std::string>& classes,
                                   const std::string& name) {
    const std::string prefix = split == Split::Train ? "train" : "t10k";
    // Images first, so that a missing folder is reported by the images file name.
    const std::string images = find_idx_file(folder, prefix + "-images-idx3-ubyte");
    const std::string labels = find_idx_file(folder, prefix + "-labels-idx1-ubyte");
    return std::make_shared<MnistDataset>(images, labels, classes, name);
}

} // namespace

std::string find_idx_file(const std::string& folder, const std::string& base) {
    namespace fs = std::filesystem;
    std::string tried;
    for (const char* sub : {"", "MNIST/raw", "FashionMNIST/raw", "raw"})
        for (const char* ext : {"", ".gz"}) {
            const fs::path p = fs::path(folder) / sub / (base + ext);
            if (fs::is_regular_file(p)) return p.string();
            tried += (tried.empty() ? "" : ", ") + p.string();
        }
    throw std::runtime_error("cannot find " + base + " in " + folder + " (tried " + tried + ")");
}

std::shared_ptr<MnistDataset> MnistDataset::mnist(const std::string& folder, Split split) {
    return open(folder, split, mnist_classes, "MNIST");
}

std::shared_ptr<MnistDataset> MnistDataset::fashion_mnist(const std::string& folder, Split split) {
    return open(folder, split, fashion_classes, "FashionMNIST");
}

MnistDataset::MnistDataset(const std::string& images_path, const std::string& labels_path,
                           std::vector<std::string> classes, std::string name)
    : name_(std::move(name))
    , classes_(std::move(classes)) {
    IdxArray images = read_idx_uint8(images_path, 3);
    IdxArray labels = read_idx_uint8(labels_path, 1);
    if (images.dims[1] != 28 || images.dims[2] != 28)
        throw std::runtime_error(images_path + ": images are " + std::to_string(images.dims[1]) +
                                 "x" + std::to_string(images.dims[2]) + ", expected 28x28");
    if (images.dims[0] != labels.dims[0])
        throw std::runtime_error(name_ + ": " + images_path + " holds " +
                                 std::to_string(images.dims[0]) + " images but " + labels_path +
                                 " holds " + std::to_string(labels.dims[0]) + " labels");
    for (std::size_t i = 0; i < labels.data.size(); ++i)
        if (labels.data[i] >= classes_.size())
            throw std::runtime_error(labels_path + ": label " + std::to_string(labels.data[i]) +
                                     " of sample " + std::to_string(i) + " is not a class (0.." +
                                     std::to_string(classes_.size() - 1) + ")");
    count_ = images.dims[0];
    rows_ = images.dims[1];
    cols_ = images.dims[2];
    pixels_ = std::move(images.data);
    labels_ = std::move(labels.data);
}

Tensor MnistDataset::image_uint8(std::int64_t index) const {
    check_index(index);
    Tensor t = Tensor::empty({1, rows_, cols_}, DType::UInt8);
    std::memcpy(t.data_ptr<std::uint8_t>(),
                pixels_.data() + static_cast<std::size_t>(index * rows_ * cols_),
                static_cast<std::size_t>(rows_ * cols_));
    return t;
}

Sample MnistDataset::get(std::int64_t index) const {
    const Tensor bytes = image_uint8(index);
    // ToTensor: float32 division by 255 of each byte.
    Tensor image = Tensor::empty({1, rows_, cols_}, DType::Float32);
    const std::uint8_t* src = bytes.data_ptr<std::uint8_t>();
    float* dst = image.data_ptr<float>();
    for (std::int64_t k = 0; k < rows_ * cols_; ++k)
        dst[k] = static_cast<float>(src[k]) / 255.0f;
    return Sample::tuple({Sample(image), Sample(static_cast<std::int64_t>(labels_[index]))});
}

std::optional<std::int64_t> MnistDataset::label(std::int64_t index) const {
    check_index(index);
    return labels_[static_cast<std::size_t>(index)];
}

} // namespace nnscope::data
