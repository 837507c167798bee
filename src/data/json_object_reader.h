#pragma once
// Reading a configuration from JSON the way every nnscope configuration file is read: an object's
// keys one by one into typed values, a missing key keeping its default, and a ConfigError naming
// the field (prefix + key) for a value of the wrong type or a key no one reads. Shared by the
// DataLoader's JSON (loader_config_json.h) and the training run's (workflows/
// training_config_json.h).

#include "data/config_error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nnscope::data::json_reader {

using Json = nlohmann::json;

// ConfigError(field, "{name} expects <expected>, got <value>").
[[noreturn]] inline void bad(const std::string& field, const std::string& expected,
                             const Json& value) {
    const auto dot = field.rfind('.');
    const std::string name = dot == std::string::npos ? field : field.substr(dot + 1);
    throw ConfigError(field, "{" + name + "} expects " + expected + ", got " +
                                 ConfigError::literal(value.dump()));
}

// The keys of one JSON object, read one by one; finish() refuses the keys no one read.
class ObjectReader {
public:
    ObjectReader(const Json& j, std::string prefix, const std::string& what)
        : j_(j)
        , prefix_(std::move(prefix)) {
        if (!j.is_object())
            bad(prefix_.empty() ? "config" : prefix_.substr(0, prefix_.size() - 1),
                "an object (" + what + ")", j);
    }

    template <class T> void read(const char* key, T& out) {
        known_.insert(key);
        if (const auto it = j_.find(key); it != j_.end()) convert(prefix_ + key, *it, out);
    }
    const Json* find(const char* key) {
        known_.insert(key);
        const auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }
    std::string field(const char* key) const { return prefix_ + key; }

    void finish() const {
        for (const auto& [key, value] : j_.items())
            if (!known_.contains(key)) {
                std::string list;
                for (const auto& k : known_)
                    list += (list.empty() ? "" : ", ") + k;
                throw ConfigError(prefix_ + key,
                                  "unknown key '" + prefix_ + key + "' (known: " + list + ")");
            }
    }

    static void convert(const std::string& f, const Json& v, bool& out) {
        if (!v.is_boolean()) bad(f, "true or false", v);
        out = v.get<bool>();
    }
    static void convert(const std::string& f, const Json& v, std::int64_t& out) {
        if (!v.is_number_integer()) bad(f, "an integer", v);
        out = v.get<std::int64_t>();
    }
    static void convert(const std::string& f, const Json& v, int& out) {
        std::int64_t wide = 0;
        convert(f, v, wide);
        if (wide < INT32_MIN || wide > INT32_MAX) bad(f, "a 32-bit integer", v);
        out = static_cast<int>(wide);
    }
    static void convert(const std::string& f, const Json& v, std::uint64_t& out) {
        if (!v.is_number_unsigned()) bad(f, "a non-negative integer", v);
        out = v.get<std::uint64_t>();
    }
    static void convert(const std::string& f, const Json& v, double& out) {
        if (!v.is_number()) bad(f, "a number", v);
        out = v.get<double>();
    }
    static void convert(const std::string& f, const Json& v, std::string& out) {
        if (!v.is_string()) bad(f, "a string", v);
        out = v.get<std::string>();
    }
    template <class T>
    static void convert(const std::string& f, const Json& v, std::vector<T>& out) {
        if (!v.is_array()) bad(f, "a list", v);
        out.clear();
        for (const auto& item : v) {
            T x{};
            convert(f, item, x);
            out.push_back(x);
        }
    }
    template <class T>
    static void convert(const std::string& f, const Json& v, std::optional<T>& out) {
        if (v.is_null()) {
            out.reset();
            return;
        }
        T x{};
        convert(f, v, x);
        out = std::move(x);
    }

private:
    const Json& j_;
    std::string prefix_;
    std::set<std::string> known_;
};

} // namespace nnscope::data::json_reader
