#pragma once
// A string-keyed map that keeps insertion order, like the Python dicts PyTorch keeps a module's
// parameters, buffers, submodules and state_dict in. Assigning to an existing key replaces the
// value in place (its position stays), as in Python.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nnscope::nn {

template <class T> class OrderedDict {
public:
    using Item = std::pair<std::string, T>;

    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    bool contains(const std::string& key) const { return index_.count(key) != 0; }
    auto begin() { return items_.begin(); }
    auto end() { return items_.end(); }
    auto begin() const { return items_.begin(); }
    auto end() const { return items_.end(); }
    const std::vector<Item>& items() const { return items_; }

    T* find(const std::string& key) {
        auto it = index_.find(key);
        return it == index_.end() ? nullptr : &items_[it->second].second;
    }
    const T* find(const std::string& key) const {
        auto it = index_.find(key);
        return it == index_.end() ? nullptr : &items_[it->second].second;
    }
    T& at(const std::string& key) {
        if (T* v = find(key)) return *v;
        throw std::out_of_range("key '" + key + "' not found");
    }
    const T& at(const std::string& key) const {
        if (const T* v = find(key)) return *v;
        throw std::out_of_range("key '" + key + "' not found");
    }

    // Inserts at the end, or replaces the value of an existing key where it stands.
    T& insert(const std::string& key, T value) {
        if (T* existing = find(key)) return *existing = std::move(value);
        index_.emplace(key, items_.size());
        items_.emplace_back(key, std::move(value));
        return items_.back().second;
    }
    bool erase(const std::string& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return false;
        const std::size_t at = it->second;
        index_.erase(it);
        items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(at));
        for (auto& [k, i] : index_)
            if (i > at) --i;
        return true;
    }
    void clear() {
        items_.clear();
        index_.clear();
    }
    std::vector<std::string> keys() const {
        std::vector<std::string> out;
        out.reserve(items_.size());
        for (const auto& item : items_)
            out.push_back(item.first);
        return out;
    }

private:
    std::vector<Item> items_;
    std::unordered_map<std::string, std::size_t> index_;
};

} // namespace nnscope::nn
