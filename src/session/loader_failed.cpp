#include "session/loader_failed.h"

#include "data/config_error.h"

#include <exception>

namespace nnscope::session {

LoaderFailed current_loader_failure() {
    try {
        throw;
    } catch (const data::ConfigError& e) {
        return {e.field(), e.what()};
    } catch (const std::exception& e) {
        return {{}, e.what()};
    } catch (...) {
        return {{}, "an unknown error"};
    }
}

} // namespace nnscope::session
