#pragma once
// Whole files as bytes, for tests that write, truncate or corrupt model and data files.

#include "io/model_document.h"

#include <QString>
#include <filesystem>
#include <string>
#include <string_view>

namespace nnscope::test {

// The bytes of the file at `path`; throws std::runtime_error naming it when it cannot be read.
std::string read_bytes(const std::string& path);
// Writes `bytes` to `path`, replacing the file; throws std::runtime_error naming it on failure.
void write_bytes(const std::string& path, std::string_view bytes);

using ModelOpener = io::ModelDocument (*)(const std::filesystem::path&);

// Opens the model file with `open` (io::open_model unless given) and loads every tensor it can
// (entries stored in a dtype the engine lacks are skipped), touching every element; returns the
// error message, or "" when all went well ("empty message" when the exception had none).
std::string open_and_load_all(const std::string& path, ModelOpener open = nullptr);

// Writes `folder`/big.safetensors, three 2048x2048 float32 tensors of ones (48 MB): big enough
// that its load and statistics take a while, for tests that act while a worker is busy.
QString big_model_file(const QString& folder);

// Writes `folder`/slow.safetensors, a native model of 24 convolutions of 16 channels (each with a
// ReLU) whose forward over its input, `folder`/slow_in.safetensors (ones [1, 16, 128, 128],
// returned in *input), takes a few hundred ms: for tests that cancel or close during a run.
QString slow_model_file(const QString& folder, QString* input);

} // namespace nnscope::test
