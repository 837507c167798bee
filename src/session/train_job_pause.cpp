// TrainJob's step observer: it forwards each step to the probe, hears every hook event and waits
// inside the step (blocking the worker thread, inside backward if need be) while the stepper or a
// breakpoint says so, serving the window's requests meanwhile.

#include "session/train_job_state.h"
#include "workflows/hook_intervention.h"

#include <algorithm>

namespace nnscope::session {

namespace {

// The interventions that can be applied; the hooks panel validates what it sends, so one that
// is not is left out rather than ending the run.
std::vector<workflows::HookIntervention> valid(std::vector<workflows::HookIntervention> all) {
    std::erase_if(all, [](const workflows::HookIntervention& i) {
        try {
            workflows::validate(i);
            return false;
        } catch (const std::exception&) {
            return true;
        }
    });
    return all;
}

} // namespace

void TrainJob::State::step_begins(const workflows::StepContext& context) {
    in_step_ = true;
    captured_.clear();
    probe_->step_begins(context);
}

void TrainJob::State::loss_computed(const workflows::StepContext& context) {
    probe_->loss_computed(context);
    if (checker_.breakpoints().empty()) return;
    std::optional<workflows::BreakHit> hit =
        checker_.at_loss(context.step, context.epoch, context.loss.item());
    if (hit && stepper_.pause_at_event(true)) pause_in_step(nullptr, std::move(hit));
}

void TrainJob::State::gradients_ready(const workflows::StepContext& context) {
    probe_->gradients_ready(context);
}

void TrainJob::State::step_ends(const workflows::StepContext& context,
                                const workflows::BatchResult& result) {
    probe_->step_ends(context, result);
    in_step_ = false;
    if (observing_ && context.inputs)
        if (auto view = make_batch_view(context.step, *context.inputs, context.logits))
            pile_.set_batch(std::move(*view));
}

void TrainJob::State::on_event(const workflows::HookEvent& event) {
    if (!in_step_) return; // an evaluation's forward pass
    if (capturing()) captured_.push_back(detached_copy(event));
    if (serve(control_->take(), &event)) throw TrainAbandoned{};
    std::optional<workflows::BreakHit> hit;
    if (!checker_.breakpoints().empty()) hit = checker_.at_event(event, run_->epoch());
    if (stepper_.pause_at_event(hit.has_value())) pause_in_step(&event, std::move(hit));
}

bool TrainJob::State::capturing() const {
    return stepping_;
}

void TrainJob::State::pause_in_step(const workflows::HookEvent* event,
                                    std::optional<workflows::BreakHit> hit) {
    stream_.flush(); // the steps before this one, and the state
    TrainPaused paused;
    paused.state = stepper_.state();
    paused.step = run_->global_step();
    paused.epoch = run_->epoch();
    for (const workflows::HookEvent& e : probe_->events())
        paused.timeline.push_back(shapes_only(e));
    if (event) {
        paused.event = shapes_only(*event);
        if (paused.timeline.empty() || paused.timeline.back().seq != event->seq)
            paused.timeline.push_back(*paused.event);
    }
    paused.hit = std::move(hit);
    paused_in_step_ = paused;
    send(std::move(paused));
    reported_ = stepper_.state();
    while (!stepper_.may_leave_pause()) {
        control_->wait(kPausedWaitMs);
        if (serve(control_->take(), event)) throw TrainAbandoned{};
    }
    reported_.reset();
    paused_in_step_.reset();
}

bool TrainJob::State::serve(TrainControl::Pending pending, const workflows::HookEvent* live) {
    for (const workflows::RunCommand command : pending.commands) {
        stepper_.command(command);
        if (command != workflows::RunCommand::Stop)
            stepping_ = command != workflows::RunCommand::Run;
    }
    if (pending.lr) {
        // A value the optimizer refuses is not taken; the progress shows the rate in force.
        try {
            run_->set_learning_rate(*pending.lr);
        } catch (const std::exception&) {
        }
    }
    if (pending.breakpoints) checker_.set(std::move(*pending.breakpoints));
    if (pending.interventions) interventions_ = valid(std::move(*pending.interventions));
    if (pending.tensors) answer_tensors(*pending.tensors, live);
    if (pending.checkpoint) {
        const std::size_t events = probe_->events().size();
        send(save_checkpoint(*run_, *pending.checkpoint));
        // state_dict() fired the state_dict hooks: the timeline of the step paused in grows.
        if (paused_in_step_ && probe_->events().size() > events) {
            for (std::size_t i = events; i < probe_->events().size(); ++i)
                paused_in_step_->timeline.push_back(shapes_only(probe_->events()[i]));
            send(TrainPaused(*paused_in_step_));
        }
    }
    if (pending.engine_threads) engine_threads_ = std::max(0, *pending.engine_threads);
    return pending.shut_down || stepper_.final() || job_.cancelled();
}

void TrainJob::State::answer_tensors(const TensorsRequest& request,
                                     const workflows::HookEvent* live) {
    const workflows::HookEvent* source = nullptr;
    if (live && live->step == request.step && live->seq == request.seq) source = live;
    for (const workflows::HookEvent& e : captured_)
        if (!source && e.step == request.step && e.seq == request.seq) source = &e;
    auto answer = std::make_shared<TrainTensors>();
    answer->request = request;
    if (!source) {
        // The step under way, or the one just done when paused between batches.
        const bool kept_step = in_step_ ? request.step == run_->global_step()
                                        : !captured_.empty() && captured_[0].step == request.step;
        answer->error = kept_step ? "event " + std::to_string(request.seq) + " of step " +
                                        std::to_string(request.step) +
                                        " ran at full speed and kept no tensors: step through "
                                        "the events to inspect them"
                                  : "step " + std::to_string(request.step) +
                                        " is over: only the tensors of the step paused in (or "
                                        "just done) can be inspected";
    } else {
        try {
            *answer = make_train_tensors(request, *source, job_.cancelFlag());
        } catch (const SnapshotCancelled&) {
            return; // cancelled: nothing leaves anyway
        } catch (const std::exception& e) {
            answer->event = shapes_only(*source);
            answer->error = e.what();
        }
    }
    send(TrainTensorsPtr(std::move(answer)));
}

} // namespace nnscope::session
