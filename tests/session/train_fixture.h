#pragma once
// A TrainJob on a JobController of its own, as the training workspace runs it, recording every
// result in arrival order; and small training configurations on the learnable images the
// workflow tests use (tests/workflows/learnable_data.h: 256 training and 96 test images).

#include "session/job_controller.h"
#include "session/train_control.h"
#include "session/train_job.h"
#include "workflows/learnable_data.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <string>
#include <vector>

namespace nnscope::test {

class Trainer {
public:
    Trainer() {
        using session::TrainJob;
        jobs.add<TrainJob>();
        jobs.start();
        record<session::TrainStarted>("started", started);
        record<session::TrainProgressPtr>("progress", progress);
        record<session::TrainPaused>("paused", paused);
        record<session::TrainTensorsPtr>("tensors", tensors);
        record<session::TrainFinished>("finished", finished);
        record<session::TrainFailed>("failed", failed);
        record<session::CheckpointSaved>("saved", saved);
    }

    quint64 start(session::TrainRequest request) {
        request.control = control;
        return jobs.request<session::TrainJob>(std::move(request));
    }
    void command(workflows::RunCommand c) { control->command(c); }

    // Steps trained as the last progress said.
    std::int64_t steps() const { return progress.empty() ? 0 : progress.back()->step; }
    std::vector<workflows::StepRecord> records() const {
        std::vector<workflows::StepRecord> all;
        for (const auto& p : progress)
            all.insert(all.end(), p->steps.begin(), p->steps.end());
        return all;
    }
    std::size_t count(const std::string& what) const {
        return static_cast<std::size_t>(std::count(order.begin(), order.end(), what));
    }

    QObject receiver;
    session::JobController jobs{QStringLiteral("tst_train")};
    std::shared_ptr<session::TrainControl> control = std::make_shared<session::TrainControl>();
    std::vector<std::string> order;
    std::vector<session::TrainStarted> started;
    std::vector<session::TrainProgressPtr> progress;
    std::vector<session::TrainPaused> paused;
    std::vector<session::TrainTensorsPtr> tensors;
    std::vector<session::TrainFinished> finished;
    std::vector<session::TrainFailed> failed;
    std::vector<session::CheckpointSaved> saved;

private:
    template <class R> void record(const char* name, std::vector<R>& into) {
        jobs.on<session::TrainJob, R>(&receiver, [this, name, &into](const R& value) {
            order.push_back(name);
            into.push_back(value);
        });
    }
};

// The learnable images in a temporary folder.
class TrainData {
public:
    TrainData() {
        QDir().mkpath(dir_.filePath("idx"));
        QDir().mkpath(dir_.filePath("news"));
        write_learnable_data(dir_.path().toStdString());
    }
    bool valid() const { return dir_.isValid(); }
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

    // mlp on the 256 images in batches of 16: 16 steps an epoch.
    session::TrainRequest mlp(std::int64_t epochs = 1) const {
        session::TrainRequest r;
        r.config.model = "mlp";
        r.config.loader.dataset = "mnist:" + path("idx");
        r.config.loader.batch_size = 16;
        r.config.loader.epochs = epochs;
        r.config.seed = 3;
        r.config.optimizer.lr = 0.05;
        return r;
    }

private:
    QTemporaryDir dir_;
};

} // namespace nnscope::test
