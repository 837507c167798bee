#pragma once
// Small learnable data sets written by the training tests: MNIST-style IDX images whose class
// is where a bright block sits, and AG_NEWS-style CSV rows whose words tell the class. The
// same seeds always write the same bytes (std::mt19937).

#include <cstdint>
#include <fstream>
#include <random>
#include <string>

namespace nnscope::test {

inline void put_u32(std::ofstream& out, std::uint32_t v) {
    const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
    out.write(bytes, 4);
}

// n images of class label % 4: a bright 7x7 block in one of four places, on uniform noise, as
// dir/<prefix>-images-idx3-ubyte and dir/<prefix>-labels-idx1-ubyte.
inline void write_block_images(const std::string& dir, const char* prefix, int n,
                               std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::ofstream images(dir + "/" + prefix + "-images-idx3-ubyte", std::ios::binary);
    std::ofstream labels(dir + "/" + prefix + "-labels-idx1-ubyte", std::ios::binary);
    put_u32(images, 2051);
    put_u32(images, static_cast<std::uint32_t>(n));
    put_u32(images, 28);
    put_u32(images, 28);
    put_u32(labels, 2049);
    put_u32(labels, static_cast<std::uint32_t>(n));
    for (int i = 0; i < n; ++i) {
        const int label = static_cast<int>(rng() % 4);
        const int top = label / 2 * 14 + 3, left = label % 2 * 14 + 3;
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                const bool in_block = y >= top && y < top + 7 && x >= left && x < left + 7;
                const auto noise = static_cast<int>(rng() % 120);
                images.put(static_cast<char>(in_block ? 135 + noise : noise));
            }
        labels.put(static_cast<char>(label));
    }
}

// n AG_NEWS rows whose words tell the class.
inline void write_news(const std::string& path, int n, std::uint32_t seed) {
    static const char* words[4][3] = {{"election", "minister", "war"},
                                      {"goal", "match", "coach"},
                                      {"shares", "profit", "market"},
                                      {"software", "space", "chip"}};
    std::mt19937 rng(seed);
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < n; ++i) {
        const auto c = rng() % 4;
        out << '"' << c + 1 << "\",\"The " << words[c][rng() % 3] << ", \"\"today\"\"\",\"A "
            << words[c][rng() % 3] << " and the " << words[(c + 1) % 4][rng() % 3] << ".\"\n";
    }
}

// The training tests' folders: dir/idx (256 training and 96 test images) and dir/news (256
// training and 64 test rows).
inline void write_learnable_data(const std::string& dir) {
    write_block_images(dir + "/idx", "train", 256, 1);
    write_block_images(dir + "/idx", "t10k", 96, 2);
    write_news(dir + "/news/train.csv", 256, 3);
    write_news(dir + "/news/test.csv", 64, 4);
}

} // namespace nnscope::test
