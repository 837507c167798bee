// The DataLoader lab's transform preview timed inside the process: workflows::make_transform_grid
// of 16 Fashion-MNIST samples by 4 seeds (each cell with its stages, as the lab's job computes
// it), after the data set is opened. Prints one JSON line: {"cells", "ms": [per round],
// "median_ms"}. bench/lab_preview.sh runs it next to torchvision doing the same 64 previews.
//
//   nnscope-lab-preview-bench [--data DIR] [--rounds N] [--transform PIPELINE]

#include "data/mnist.h"
#include "data/transforms/parse_transform.h"
#include "workflows/transform_grid.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace nnscope;

int main(int argc, char** argv) {
    std::string dir = data::MnistDataset::fashion_mnist_default_dir;
    std::string pipeline =
        "Compose([RandomCrop(28, padding=4), RandomRotation(15), RandomHorizontalFlip()])";
    int rounds = 9;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--data")
            dir = argv[i + 1];
        else if (a == "--rounds")
            rounds = std::stoi(argv[i + 1]);
        else if (a == "--transform")
            pipeline = argv[i + 1];
        else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    try {
        const auto dataset = data::MnistDataset::fashion_mnist(dir, data::Split::Train);
        const auto transform = data::parse_transform(pipeline);
        const auto indices = workflows::parse_index_list("0-15", dataset->size());
        const auto seeds = workflows::consecutive_seeds(0, 4);
        std::vector<double> ms;
        std::size_t cells = 0;
        for (int r = 0; r < rounds; ++r) {
            const auto start = std::chrono::steady_clock::now();
            const auto grid = workflows::make_transform_grid(*dataset, indices, *transform, seeds);
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
            cells = grid->cells.size();
        }
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        std::printf("{\"cells\": %zu, \"ms\": [", cells);
        for (std::size_t i = 0; i < ms.size(); ++i)
            std::printf("%s%.3f", i ? ", " : "", ms[i]);
        std::printf("], \"median_ms\": %.3f}\n", sorted[sorted.size() / 2]);
    } catch (const std::exception& e) {
        std::cerr << "nnscope-lab-preview-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
