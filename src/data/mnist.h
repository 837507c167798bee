#pragma once
// MNIST and Fashion-MNIST (torchvision.datasets.MNIST / FashionMNIST): sample i is the tuple
// (image, label) with the image as ToTensor() gives it, float32 [1, 28, 28] = byte / 255.

#include "data/dataset.h"

#include <string>
#include <vector>

namespace nnscope::data {

enum class Split { Train, Test };

class MnistDataset : public Dataset {
public:
    // Where Debian's dataset-fashion-mnist package puts the four .gz files.
    static constexpr const char* fashion_mnist_default_dir = "/usr/share/datasets/fashion-mnist";

    // A folder with torchvision's file names (train-images-idx3-ubyte, t10k-labels-idx1-ubyte,
    // ...), plain or .gz, directly or under MNIST/raw or FashionMNIST/raw.
    static std::shared_ptr<MnistDataset> mnist(const std::string& folder, Split split);
    static std::shared_ptr<MnistDataset> fashion_mnist(const std::string& folder, Split split);

    // Throws std::runtime_error for unreadable or inconsistent files (magic numbers, truncation,
    // image and label counts, image size, labels outside the classes).
    MnistDataset(const std::string& images_path, const std::string& labels_path,
                 std::vector<std::string> classes, std::string name);

    std::int64_t size() const override { return count_; }
    Sample get(std::int64_t index) const override; // (float32 [1, 28, 28], int label)
    std::optional<std::int64_t> label(std::int64_t index) const override;
    std::string name() const override { return name_; }

    Tensor image_uint8(std::int64_t index) const; // uint8 [1, rows, cols], as stored
    const std::vector<std::string>& classes() const { return classes_; }

private:
    std::string name_;
    std::vector<std::string> classes_;
    std::int64_t count_ = 0, rows_ = 0, cols_ = 0;
    std::vector<std::uint8_t> pixels_, labels_;
};

// Finds `base` (e.g. "train-images-idx3-ubyte") in folder, trying .gz and the raw/ subfolders
// torchvision uses; throws std::runtime_error listing what it tried.
std::string find_idx_file(const std::string& folder, const std::string& base);

} // namespace nnscope::data
