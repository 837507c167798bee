#pragma once
// Whether ops record history: on by default, off inside a NoGradGuard (torch.no_grad()).

namespace nnscope::autograd {

class GradMode {
public:
    static bool is_enabled();
    static void set_enabled(bool enabled);
};

class NoGradGuard {
public:
    NoGradGuard()
        : previous_(GradMode::is_enabled()) {
        GradMode::set_enabled(false);
    }
    ~NoGradGuard() { GradMode::set_enabled(previous_); }
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool previous_;
};

} // namespace nnscope::autograd
