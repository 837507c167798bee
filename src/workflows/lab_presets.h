#pragma once
// The DataLoader lab's preset comparisons: the classic torch.utils.data mistakes, each as a
// configuration that makes it (A) next to one that fixes it (B), with a paragraph that explains
// it and the tab of the lab's views where it shows. All of them run on range:N data sets, so they
// need no files.

#include "data/loader_config.h"

#include <string>
#include <vector>

namespace nnscope::workflows {

struct LabPreset {
    std::string name;        // for `nnscope --lab-preset NAME`: lower case, dashes
    std::string title;       // the menu entry
    std::string explanation; // one paragraph, naming the PyTorch issue where there is one
    data::DataLoaderConfig mistake, fix; // A and B
    std::string tab; // the view that shows the mistake: a word of its tab's title ("Workers")
};

// In menu order.
const std::vector<LabPreset>& lab_presets();
// nullptr when no preset has that name.
const LabPreset* find_lab_preset(const std::string& name);

} // namespace nnscope::workflows
