// The torchvision architectures by name and the torchvision block classes by qualified class
// name, over the family files (resnet.cpp, mobilenet_v2.cpp, ...).

#include "vision/torchvision_models.h"

#include "vision/efficientnet.h"
#include "vision/mobilenet_v2.h"
#include "vision/ops_misc.h"
#include "vision/pooled_classifier.h"
#include "vision/resnet.h"
#include "vision/squeezenet.h"
#include "vision/vision_module.h"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>

namespace nnscope::vision {

namespace {

using Builder = std::function<std::shared_ptr<nn::Module>(std::int64_t num_classes)>;

const std::map<std::string, Builder, std::less<>>& builders() {
    static const std::map<std::string, Builder, std::less<>> table = [] {
        std::map<std::string, Builder, std::less<>> t;
        for (const std::string& name : resnet_names())
            t[name] = [name](std::int64_t n) { return build_resnet(name, n); };
        t["mobilenet_v2"] = build_mobilenet_v2;
        for (const char* version : {"1_0", "1_1"})
            t[std::string("squeezenet") + version] = [version](std::int64_t n) {
                return build_squeezenet(version, n);
            };
        for (const char* variant : {"b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7"})
            t[std::string("efficientnet_") + variant] = [variant](std::int64_t n) {
                return build_efficientnet(variant, n);
            };
        return t;
    }();
    return table;
}

using BlockFactory = std::function<nn::ModulePtr(const Attributes&)>;

// Keyed by module path and class name, without the "torchvision." prefix.
const std::map<std::string, BlockFactory, std::less<>>& block_factories() {
    static const std::map<std::string, BlockFactory, std::less<>> table = {
        {"models.resnet.BasicBlock",
         [](const Attributes& a) { return std::make_shared<BasicBlock>(a.get_int("stride", 1)); }},
        {"models.resnet.Bottleneck",
         [](const Attributes& a) { return std::make_shared<Bottleneck>(a.get_int("stride", 1)); }},
        {"models.resnet.ResNet", [](const Attributes&) { return std::make_shared<ResNet>(); }},
        {"models.mobilenetv2.InvertedResidual",
         [](const Attributes& a) {
             return std::make_shared<MobileNetV2InvertedResidual>(
                 a.get_int("stride", 1), a.get_bool("use_res_connect", false),
                 a.get_int("out_channels", 0));
         }},
        {"models.mobilenetv2.MobileNetV2",
         [](const Attributes& a) {
             return std::make_shared<MobileNetV2>(a.get_int("last_channel", 1280));
         }},
        {"models.squeezenet.Fire",
         [](const Attributes& a) { return std::make_shared<Fire>(a.get_int("inplanes", 0)); }},
        {"models.squeezenet.SqueezeNet",
         [](const Attributes& a) {
             return std::make_shared<SqueezeNet>(a.get_int("num_classes", 1000));
         }},
        {"models.efficientnet.MBConv",
         [](const Attributes& a) {
             return std::make_shared<MBConv>(a.get_bool("use_res_connect", false),
                                             a.get_int("out_channels", 0));
         }},
        {"models.efficientnet.EfficientNet",
         [](const Attributes&) { return std::make_shared<PooledClassifier>("EfficientNet"); }},
        {"ops.misc.Conv2dNormActivation",
         [](const Attributes& a) {
             return std::make_shared<Conv2dNormActivation>(a.get_int("out_channels", 0));
         }},
        {"ops.misc.SqueezeExcitation",
         [](const Attributes&) { return std::make_shared<SqueezeExcitation>(); }},
        {"ops.stochastic_depth.StochasticDepth",
         [](const Attributes& a) {
             return std::make_shared<StochasticDepth>(a.get_double("p", 0.0),
                                                      a.get_string("mode", "row"));
         }},
    };
    return table;
}

std::string known_names() {
    std::string out;
    for (const auto& [name, builder] : builders())
        out += (out.empty() ? "" : ", ") + name;
    return out;
}

// The factory key of a block named by its class alone: the three InvertedResidual classes are
// told apart by the arguments their engine modules give (arguments()).
std::string block_key(std::string_view type_name, const nn::Arguments& arguments) {
    const auto has = [&](const char* name) {
        return std::any_of(arguments.begin(), arguments.end(),
                           [&](const auto& a) { return a.first == name; });
    };
    if (type_name == "InvertedResidual") {
        if (!has("use_res_connect")) return "models.shufflenetv2.InvertedResidual";
        return has("stride") ? "models.mobilenetv2.InvertedResidual"
                             : "models.mobilenetv3.InvertedResidual";
    }
    for (const auto& [key, factory] : block_factories())
        if (key.ends_with("." + std::string(type_name))) return key;
    return {};
}

} // namespace

std::vector<std::string> torchvision_model_names() {
    std::vector<std::string> names;
    for (const auto& [name, builder] : builders())
        names.push_back(name);
    return names;
}

std::shared_ptr<nn::Module> build_torchvision_model(std::string_view name,
                                                    std::int64_t num_classes) {
    const auto found = builders().find(name);
    if (found == builders().end())
        throw std::invalid_argument("unknown torchvision architecture '" + std::string(name) +
                                    "' (known: " + known_names() + ")");
    if (num_classes <= 0)
        throw std::invalid_argument("torchvision architecture '" + std::string(name) +
                                    "': num_classes must be positive, got " +
                                    std::to_string(num_classes));
    return found->second(num_classes);
}

nn::ModulePtr make_torchvision_module(std::string_view qualified_name,
                                      const nn::Arguments& attributes) {
    std::string_view name = qualified_name;
    // TorchScript qualifies its classes under __torch__.
    for (std::string_view prefix : {"__torch__.", "torchvision."})
        if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
    if (name.size() == qualified_name.size()) return nullptr; // not torchvision's
    const auto found = block_factories().find(name);
    if (found == block_factories().end()) return nullptr;
    const std::string class_name(name.substr(name.rfind('.') + 1));
    return found->second(Attributes(class_name, attributes));
}

nn::ModulePtr make_torchvision_module_by_type(std::string_view type_name,
                                              const nn::Arguments& arguments) {
    const std::string key = block_key(type_name, arguments);
    if (key.empty()) return nullptr;
    const auto found = block_factories().find(key);
    if (found == block_factories().end()) return nullptr; // a model of another family
    return found->second(Attributes(std::string(type_name), arguments));
}

} // namespace nnscope::vision
