#pragma once
// torchvision.transforms on image tensors: a Transform maps an image to an image, drawing any
// random parameters from the Generator it is given, exactly as torchvision 0.14's get_params
// draws them from torch's default generator. Each application can report what it drew, so a
// preview can show "RandomCrop: top=3 left=1".
//
// An image is a tensor [..., H, W] (torchvision's tensor path): leading dimensions are
// channels (and batch). ToTensor also takes what a PIL image or numpy array would be, a uint8
// tensor [H, W] or [H, W, C].
//
// apply() is const and keeps no state, so that one Transform serves every DataLoader worker.

#include "engine/generator.h"
#include "engine/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nnscope::data {

// The random parameters one transform drew in one application.
struct Drawn {
    using Value = std::variant<bool, std::int64_t, double>;
    std::string transform;                             // "RandomCrop"
    std::vector<std::pair<std::string, Value>> values; // in the order drawn, e.g. top, left

    std::string to_string() const; // "RandomCrop: top=3 left=1"
};

class Transform {
public:
    virtual ~Transform() = default;
    // Throws std::invalid_argument when the image does not suit the transform (torchvision's
    // message where it has one). `drawn`, when given, receives one entry per random transform.
    virtual Tensor apply(const Tensor& image, Generator& gen,
                         std::vector<Drawn>* drawn = nullptr) const = 0;
    virtual std::string name() const = 0;
    virtual std::string repr() const = 0; // as torchvision's __repr__
};

using TransformPtr = std::shared_ptr<const Transform>;

} // namespace nnscope::data
