// reporting.hpp: what a batch says on stderr: --explain lines and JSON objects, warnings,
// errors, and the progress bar kept on the last line.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "dconv/fetch.hpp"

namespace dconv::batch {

// `name` as it may be shown on a terminal: control characters (newlines, ESC, ...) and
// bytes that are not UTF-8 are written as \n, \t, \xHH escapes, and a backslash as
// "\\", so that a file's name can neither forge a line of output nor send the terminal
// a command.
std::string printable_name(std::string_view name);

// file:LINE[-LAST]: PASS: ACTION (rule ID; score S; page TYPE; features F=V, ...): REASON — "excerpt"
// (each part of the parenthesis only when known)
// (warnings: file:LINE: warning: PASS: REASON ...)
std::string explain_line(const std::string& name, const Diagnostic& d);

// dconv: file:line: warning: message (the prefix of errors too: a script's log shows
// whose line it is)
std::string warning_line(const std::string& name, const Diagnostic& d);

// dconv: file:line: message
std::string error_line(const std::string& fallback_name, const Error& e);

// One JSON object per input, on one line (JSON Lines):
// {"input": "a.txt", "ok": true, "outputs": ["out/a.md"], "error": null,
//  "diagnostics": [{"severity": "note", "pass": "classify", "first_line": 3, "last_line": 5,
//                   "action": "removed", "score": 0.9, "reason": "...", "excerpt": "...",
//                   "rule": "link-density", "page_type": "article", "features": []}]}
// "error", when not null: {"kind": "input", "file": "a.txt", "line": 0, "message": "..."}.
std::string explain_json(const std::string& name, bool ok, const std::vector<std::string>& written,
                         const std::vector<Error>& errors, const Diagnostics& diag);

// The progress bar is redrawn at most this often, so that a batch of tiny files is not
// slowed down by terminal output.
inline constexpr auto kProgressInterval = std::chrono::milliseconds(100);
inline constexpr int kProgressBarWidth = 30;

// Serializes everything written to `err` from the workers, and keeps the progress bar on
// the last line: a message erases the bar, prints, and draws it again.
class Reporter {
public:
    Reporter(std::ostream& err, bool progress, std::size_t total)
        : err_(err), progress_(progress), total_(total) {}

    void message(const std::string& text) {
        if (text.empty()) return;
        std::lock_guard lock(mutex_);
        erase_bar();
        err_ << text;
        draw_bar();
        err_.flush();
    }

    void one_done() {
        std::lock_guard lock(mutex_);
        ++done_;
        auto now = std::chrono::steady_clock::now();
        if (progress_ && (done_ == total_ || now - last_draw_ >= kProgressInterval)) {
            erase_bar();
            draw_bar();
            err_.flush();
        }
    }

    void finish() {
        std::lock_guard lock(mutex_);
        erase_bar();
        err_.flush();
    }

    // With URL inputs, the bar also shows what is fetched while converting (images).
    void show_fetching(const Fetcher* fetcher) { fetcher_ = fetcher; }

private:
    void erase_bar() {
        if (bar_shown_) err_ << "\r\033[K";
        bar_shown_ = false;
    }
    void draw_bar() {
        if (!progress_ || total_ == 0) return;
        int filled = static_cast<int>(kProgressBarWidth * done_ / total_);
        std::string bar = "[";
        for (int i = 0; i < kProgressBarWidth; ++i)
            bar += i < filled ? '=' : (i == filled ? '>' : ' ');
        err_ << bar << "] " << done_ << '/' << total_ << " files";
        if (fetcher_) {
            FetchStats s = fetcher_->stats();
            char megabytes[32];
            std::snprintf(megabytes, sizeof megabytes, "%.1f", static_cast<double>(s.bytes) / 1e6);
            err_ << ", fetched " << s.pages << " pages and " << s.images << " images, " << megabytes << " MB";
            if (s.failures) err_ << ", " << s.failures << " failed";
        }
        bar_shown_ = true;
        last_draw_ = std::chrono::steady_clock::now();
    }

    std::mutex mutex_;
    std::ostream& err_;
    bool progress_;
    std::size_t total_;
    std::size_t done_ = 0;
    bool bar_shown_ = false;
    std::chrono::steady_clock::time_point last_draw_{};
    const Fetcher* fetcher_ = nullptr;
};

}  // namespace dconv::batch
