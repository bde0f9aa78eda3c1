// deadline.cpp: the time one document may take (dconv/limits.hpp). A thread-local chain
// of scopes, so that the readers, passes and writers can check it without every
// function taking it as a parameter.
#include "dconv/limits.hpp"

#include <algorithm>
#include <cstdio>

#include "dconv/diagnostics.hpp"

namespace dconv {

namespace {

thread_local const DeadlineScope* current_scope = nullptr;
thread_local unsigned polls_since_check = 0;

}  // namespace

DeadlineScope::DeadlineScope(double seconds, std::string file) : DeadlineScope(seconds, std::move(file), 0) {}

DeadlineScope::DeadlineScope(double seconds, std::string file, double spent)
    : seconds_(seconds), file_(std::move(file)), previous_(current_scope) {
    if (seconds <= 0) return;
    end_ = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                  std::chrono::duration<double>(std::max(seconds - spent, 0.0)));
    current_scope = this;
}

DeadlineScope::~DeadlineScope() {
    if (current_scope == this) current_scope = previous_;
}

std::optional<std::chrono::steady_clock::time_point> thread_deadline() {
    if (!current_scope) return std::nullopt;
    return current_scope->end_;
}

void deadline_reached() {
    if (current_scope) current_scope->reached_ = true;
}

void check_deadline() {
    const DeadlineScope* scope = current_scope;
    if (!scope || (!scope->reached_ && std::chrono::steady_clock::now() < scope->end_)) return;
    throw Error(ErrorKind::limit, scope->file_, 0, timeout_message(scope->seconds_));
}

void poll_deadline() {
    if (!current_scope || ++polls_since_check < kDeadlinePollStride) return;
    polls_since_check = 0;
    check_deadline();
}

std::string timeout_message(double seconds) {
    char number[32];
    std::snprintf(number, sizeof number, "%g", seconds);
    return std::string("took longer than ") + number + " s (--timeout)";
}

}  // namespace dconv
