// serial_worker.hpp: one background thread running tasks in the order they are posted,
// with a bounded backlog. A batch hands it the slow, waiting half of an output (fsync and
// rename, atomic_file.hpp's StagedFile::commit) and goes on with its next document.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace dconv {

class SerialWorker {
public:
    // At most `backlog` tasks wait; post() blocks while the backlog is full, so what the
    // tasks hold (open temporaries, reports) stays bounded however long the batch.
    explicit SerialWorker(std::size_t backlog) : backlog_(backlog ? backlog : 1) {}
    SerialWorker(const SerialWorker&) = delete;
    SerialWorker& operator=(const SerialWorker&) = delete;
    ~SerialWorker() { drain(); }

    // Runs `task` on the worker thread after every task posted before it. Tasks must not
    // throw. If no thread can be started (or after drain()), the task runs here, now.
    void post(std::function<void()> task) {
        std::unique_lock lock(mutex_);
        if (closed_) {  // after drain(): nothing is left to overlap with
            lock.unlock();
            task();
            return;
        }
        if (!thread_.joinable()) {
            try {
                thread_ = std::thread([this] { run(); });
            } catch (const std::system_error&) {
                lock.unlock();
                task();
                return;
            }
        }
        room_.wait(lock, [&] { return tasks_.size() < backlog_; });
        tasks_.push_back(std::move(task));
        work_.notify_one();
    }

    // Waits until every posted task has run, then stops the thread.
    void drain() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        work_.notify_one();
        if (thread_.joinable()) thread_.join();
    }

private:
    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            work_.wait(lock, [&] { return closed_ || !tasks_.empty(); });
            if (tasks_.empty()) return;  // closed, nothing left
            std::function<void()> task = std::move(tasks_.front());
            tasks_.pop_front();
            room_.notify_all();
            lock.unlock();
            task();
            lock.lock();
        }
    }

    std::size_t backlog_;
    std::mutex mutex_;
    std::condition_variable work_;  // a task was posted, or drain() began
    std::condition_variable room_;  // a task was taken
    std::deque<std::function<void()>> tasks_;
    bool closed_ = false;
    std::thread thread_;
};

}  // namespace dconv
