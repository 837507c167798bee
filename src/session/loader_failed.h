#pragma once
// Why a DataLoader configuration could not run, as the lab's job kinds report it.

#include <string>

namespace nnscope::session {

struct LoaderFailed {
    std::string field; // the configuration field at fault (ConfigError::field()); else empty
    std::string message;
};

// Inside a catch block: the exception being handled as a LoaderFailed (a data::ConfigError's
// field and message, another exception's message).
LoaderFailed current_loader_failure();

} // namespace nnscope::session
