#include "support/files.h"

#include "engine/nn/activation.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "io/native_model.h"
#include "io/open_model.h"
#include "io/safetensors.h"
#include "io/tensor_bytes.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace nnscope::test {

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::string open_and_load_all(const std::string& path, ModelOpener open) {
    try {
        const io::ModelDocument document = open ? open(path) : io::open_model(path);
        for (const auto& entry : document.tensors) {
            if (!entry.stored_dtype.empty()) continue;
            const Tensor t = entry.load();
            if (t.shape() != entry.shape || t.dtype() != entry.dtype)
                return "entry and loaded tensor disagree: " + entry.name;
            io::to_double_values(t); // touch every element
        }
        return "";
    } catch (const std::exception& e) {
        return std::string(e.what()).empty() ? "empty message" : e.what();
    }
}

QString big_model_file(const QString& folder) {
    const auto path = std::filesystem::path(folder.toStdString()) / "big.safetensors";
    io::save_safetensors(path, {{"a.weight", Tensor::ones({2048, 2048})},
                                {"b.weight", Tensor::ones({2048, 2048})},
                                {"c.weight", Tensor::ones({2048, 2048})}});
    return QString::fromStdString(path.string());
}

QString slow_model_file(const QString& folder, QString* input) {
    std::vector<nn::ModulePtr> layers;
    for (int i = 0; i < 24; ++i) {
        layers.push_back(std::make_shared<nn::Conv2d>(16, 16, 3, 1, 1));
        layers.push_back(std::make_shared<nn::ReLU>());
    }
    const auto dir = std::filesystem::path(folder.toStdString());
    io::save_native_model(dir / "slow.safetensors", nn::Sequential(layers));
    io::save_safetensors(dir / "slow_in.safetensors", {{"input", Tensor::ones({1, 16, 128, 128})}});
    *input = QString::fromStdString((dir / "slow_in.safetensors").string());
    return QString::fromStdString((dir / "slow.safetensors").string());
}

} // namespace nnscope::test
