#include "data/loader_config_json.h"

#include "data/config_error.h"
#include "data/index_choice.h"
#include "data/json_object_reader.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace nnscope::data {

namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;
using json_reader::bad;
using json_reader::ObjectReader;

// [begin, end] of a "range" key; nothing when the key is missing or null.
void read_range(ObjectReader& r, IndexRange& out) {
    const Json* range = r.find("range");
    if (!range || range->is_null()) return;
    std::vector<std::int64_t> ends;
    ObjectReader::convert(r.field("range"), *range, ends);
    if (ends.size() != 2) bad(r.field("range"), "[begin, end]", *range);
    out = std::pair{ends[0], ends[1]};
}

OJson range_to_json(const IndexRange& range) {
    return range ? OJson{range->first, range->second} : OJson();
}

// Counts as integers, fractions as numbers: [8, 2] and [0.8, 0.2] read back as written.
OJson lengths_to_json(const std::vector<double>& lengths) {
    OJson out = OJson::array();
    for (const double v : lengths)
        if (v == std::floor(v) && std::abs(v) < 9.0e15)
            out.push_back(static_cast<std::int64_t>(v));
        else
            out.push_back(v);
    return out;
}

OJson part_to_json(const DatasetPart& part) {
    if (const auto* s = std::get_if<SubsetArgs>(&part)) {
        OJson j = OJson::object();
        if (s->indices) j["indices"] = *s->indices;
        if (s->range) j["range"] = range_to_json(s->range);
        return j;
    }
    if (const auto* r = std::get_if<RandomSplitArgs>(&part))
        return {{"random_split",
                 {{"lengths", lengths_to_json(r->lengths)}, {"seed", r->seed}, {"part", r->part}}}};
    return nullptr;
}

DatasetPart part_from_json(const Json& v) {
    if (v.is_null()) return std::monostate{};
    ObjectReader r(v, "subset.",
                   "{\"indices\": [...]}, {\"range\": [begin, end]} or "
                   "{\"random_split\": {...}}");
    if (const Json* split = r.find("random_split")) {
        r.finish();
        ObjectReader sr(*split, "subset.random_split.", "lengths, seed and part");
        RandomSplitArgs a;
        sr.read("lengths", a.lengths);
        sr.read("seed", a.seed);
        sr.read("part", a.part);
        sr.finish();
        return a;
    }
    SubsetArgs a;
    r.read("indices", a.indices);
    read_range(r, a.range);
    r.finish();
    return a;
}

WorkerInitChoice worker_init_from_json(const std::string& name) {
    if (name == "seed-numpy") return WorkerInitChoice::SeedNumpy;
    if (name != "none") bad("worker_init_fn", "\"none\" or \"seed-numpy\"", name);
    return WorkerInitChoice::None;
}

OJson weights_to_json(const SampleWeights& w) {
    switch (w.kind) {
    case SampleWeights::Kind::PerSample:
        return {{"per_sample", w.values}};
    case SampleWeights::Kind::PerClass:
        return {{"per_class", w.values}};
    case SampleWeights::Kind::Listed:
        return w.values;
    case SampleWeights::Kind::ClassBalanced:
        break;
    }
    return "class-balanced";
}

SampleWeights weights_from_json(const Json& v) {
    const std::string f = "sampler.weights";
    if (v == "class-balanced") return {};
    SampleWeights w;
    if (v.is_array()) {
        w.kind = SampleWeights::Kind::Listed;
        ObjectReader::convert(f, v, w.values);
        return w;
    }
    if (v.is_object() && v.size() == 1 && (v.contains("per_sample") || v.contains("per_class"))) {
        w.kind = v.contains("per_sample") ? SampleWeights::Kind::PerSample
                                          : SampleWeights::Kind::PerClass;
        ObjectReader::convert(f, v.begin().value(), w.values);
        return w;
    }
    bad(f, "\"class-balanced\", a list, {\"per_sample\": [...]} or {\"per_class\": [...]}", v);
}

struct SamplerToJson {
    OJson& j;
    void operator()(std::monostate) const {}
    void operator()(const SequentialSamplerArgs&) const {}
    void operator()(const RandomSamplerArgs& a) const {
        j["replacement"] = a.replacement;
        j["num_samples"] = a.num_samples ? OJson(*a.num_samples) : OJson();
    }
    void operator()(const SubsetRandomSamplerArgs& a) const {
        j["indices"] = a.indices ? OJson(*a.indices) : OJson();
        j["range"] = range_to_json(a.range);
    }
    void operator()(const WeightedSamplerArgs& a) const {
        j["weights"] = weights_to_json(a.weights);
        j["num_samples"] = a.num_samples ? OJson(*a.num_samples) : OJson();
        j["replacement"] = a.replacement;
    }
    void operator()(const DistributedSamplerArgs& a) const {
        j["num_replicas"] = a.num_replicas;
        j["rank"] = a.rank;
        j["shuffle"] = a.shuffle;
        j["seed"] = a.seed;
        j["drop_last"] = a.drop_last;
        j["epoch"] = a.epoch;
        if (!a.set_epoch) j["set_epoch"] = false; // only the lab's "forgot set_epoch" writes it
    }
};

SamplerConfig sampler_from_json(const Json& v) {
    if (v.is_null()) return std::monostate{};
    const Json object = v.is_string() ? Json{{"kind", v}} : v;
    ObjectReader r(object, "sampler.", "a sampler with its \"kind\"");
    std::string kind = "default";
    r.read("kind", kind);
    SamplerConfig s;
    if (kind == "default") {
        s = std::monostate{};
    } else if (kind == "sequential") {
        s = SequentialSamplerArgs{};
    } else if (kind == "random") {
        RandomSamplerArgs a;
        r.read("replacement", a.replacement);
        r.read("num_samples", a.num_samples);
        s = a;
    } else if (kind == "subset-random") {
        SubsetRandomSamplerArgs a;
        r.read("indices", a.indices);
        read_range(r, a.range);
        s = a;
    } else if (kind == "weighted") {
        WeightedSamplerArgs a;
        if (const Json* w = r.find("weights")) a.weights = weights_from_json(*w);
        r.read("num_samples", a.num_samples);
        r.read("replacement", a.replacement);
        s = a;
    } else if (kind == "distributed") {
        DistributedSamplerArgs a;
        r.read("num_replicas", a.num_replicas);
        r.read("rank", a.rank);
        r.read("shuffle", a.shuffle);
        r.read("seed", a.seed);
        r.read("drop_last", a.drop_last);
        r.read("epoch", a.epoch);
        r.read("set_epoch", a.set_epoch);
        s = a;
    } else {
        bad("sampler.kind", "default, sequential, random, subset-random, weighted or distributed",
            kind);
    }
    r.finish();
    return s;
}

} // namespace

OJson loader_config_to_json(const DataLoaderConfig& c) {
    OJson sampler = {{"kind", sampler_kind_name(c.sampler)}};
    std::visit(SamplerToJson{sampler}, c.sampler);
    OJson batch_sampler;
    if (c.batch_sampler)
        batch_sampler = {{"batch_size", c.batch_sampler->batch_size},
                         {"drop_last", c.batch_sampler->drop_last}};
    return {{"dataset", c.dataset},
            {"split", c.test_split ? "test" : "train"},
            {"subset", part_to_json(c.part)},
            {"batch_size", c.batch_size ? OJson(*c.batch_size) : OJson()},
            {"shuffle", c.shuffle},
            {"sampler", sampler},
            {"batch_sampler", batch_sampler},
            {"drop_last", c.drop_last},
            {"num_workers", c.num_workers},
            {"collate_fn", collate_choice_name(c.collate_fn)},
            {"pin_memory", c.pin_memory},
            {"timeout", c.timeout},
            {"worker_init_fn", worker_init_choice_name(c.worker_init_fn)},
            {"generator", c.generator_seed ? OJson(*c.generator_seed) : OJson()},
            {"prefetch_factor", c.prefetch_factor},
            {"persistent_workers", c.persistent_workers},
            {"transform", c.transform},
            {"epochs", c.epochs}};
}

DataLoaderConfig loader_config_from_json(const Json& j) {
    DataLoaderConfig c;
    ObjectReader r(j, "", "a DataLoader configuration");
    r.read("dataset", c.dataset);
    std::string split = "train";
    r.read("split", split);
    if (split != "train" && split != "test") bad("split", "\"train\" or \"test\"", split);
    c.test_split = split == "test";
    if (const Json* part = r.find("subset")) c.part = part_from_json(*part);
    r.read("batch_size", c.batch_size);
    r.read("shuffle", c.shuffle);
    if (const Json* s = r.find("sampler")) c.sampler = sampler_from_json(*s);
    if (const Json* b = r.find("batch_sampler"); b && !b->is_null()) {
        ObjectReader br(*b, "batch_sampler.", "batch_size and drop_last");
        BatchSamplerArgs a;
        br.read("batch_size", a.batch_size);
        br.read("drop_last", a.drop_last);
        br.finish();
        c.batch_sampler = a;
    }
    r.read("drop_last", c.drop_last);
    r.read("num_workers", c.num_workers);
    std::string collate = "default";
    r.read("collate_fn", collate);
    if (collate == "padding")
        c.collate_fn = CollateChoice::Padding;
    else if (collate == "offsets")
        c.collate_fn = CollateChoice::Offsets;
    else if (collate != "default")
        bad("collate_fn", "\"default\", \"padding\" or \"offsets\"", collate);
    r.read("pin_memory", c.pin_memory);
    r.read("timeout", c.timeout);
    std::string worker_init = "none";
    r.read("worker_init_fn", worker_init);
    c.worker_init_fn = worker_init_from_json(worker_init);
    r.read("generator", c.generator_seed);
    r.read("prefetch_factor", c.prefetch_factor);
    r.read("persistent_workers", c.persistent_workers);
    r.read("transform", c.transform);
    r.read("epochs", c.epochs);
    r.finish();
    validate(c);
    return c;
}

DataLoaderConfig loader_config_from_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    std::stringstream text;
    text << in.rdbuf();
    Json j;
    try {
        j = Json::parse(text.str());
    } catch (const Json::parse_error& e) {
        throw ConfigError("config",
                          ConfigError::literal(std::string("not valid JSON: ") + e.what()));
    }
    return loader_config_from_json(j);
}

void to_json(Json& j, const DataLoaderConfig& config) {
    j = Json(loader_config_to_json(config)); // ordered_json to json, without text in between
}

void from_json(const Json& j, DataLoaderConfig& config) {
    config = loader_config_from_json(j);
}

} // namespace nnscope::data
