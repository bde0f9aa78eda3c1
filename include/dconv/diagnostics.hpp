// dconv/diagnostics.hpp: how dconv reports trouble.
//
// Fatal problems are thrown as one exception type, dconv::Error, which carries a kind, the
// file and line (when known) and a message (after qpdf's QPDFExc). Recoverable problems
// (an invalid byte replaced, a guessed encoding) and the cleaner's explanations go to a
// Diagnostics sink that the caller owns and reads afterwards.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace dconv {

enum class ErrorKind {
    io,           // cannot read or write a file
    input,        // the input cannot be converted (binary data, unknown encoding)
    usage,        // a bad option or format name
    limit,        // a hostile-input limit was exceeded
    internal,     // a bug in dconv
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string file, std::uint32_t line, const std::string& message)
        : std::runtime_error(format(file, line, message)), kind_(kind),
          file_(std::move(file)), line_(line), message_(message) {}

    ErrorKind kind() const { return kind_; }
    const std::string& file() const { return file_; }
    std::uint32_t line() const { return line_; }  // 0 when not tied to a line
    const std::string& message() const { return message_; }

private:
    static std::string format(const std::string& file, std::uint32_t line, const std::string& msg) {
        std::string out = file;
        if (!file.empty() && line) {
            out += ':';
            out += std::to_string(line);
        }
        if (!out.empty()) out += ": ";
        out += msg;
        return out;
    }
    ErrorKind kind_;
    std::string file_;
    std::uint32_t line_;
    std::string message_;
};

enum class Severity { note, warning };

// One recoverable event. `pass` names what produced it ("decode", "classify", ...).
// For the cleaner's explanations, `lines` is the source range touched, `action` what
// happened ("removed", "joined", "heading", "meta"), `score` the deciding score and
// `reason` the signals that decided it.
struct Diagnostic {
    Severity severity = Severity::note;
    std::string pass;
    std::uint32_t first_line = 0;
    std::uint32_t last_line = 0;
    std::string action;
    double score = 0.0;
    std::string reason;
    std::string excerpt;  // the start of the text concerned
    // The cleaning rule that decided, by its stable id (dconv::cleaning_rules() in
    // clean.hpp: "link-density", "furniture-section"); empty when no one rule did.
    std::string rule;
    // The page's type where the reader judged it ("article", "listing": the HTML page
    // model), on the cleaner's removals; empty otherwise.
    std::string page_type;
    // A learned unit classifier's reasons: the features that weighed most in `score`,
    // each "name=value", most telling first. Empty when a hand rule decided.
    std::vector<std::string> features;
};

class Diagnostics {
public:
    // Notes (the cleaner's explanations) can be many: one per removed line of a page. A
    // caller that will not show them turns them off; warnings are always kept.
    explicit Diagnostics(bool keep_notes = true) : keep_notes_(keep_notes) {}
    bool keeps_notes() const { return keep_notes_; }

    void note(Diagnostic d) {
        if (!keep_notes_) return;
        d.severity = Severity::note;
        items_.push_back(std::move(d));
    }
    void warn(Diagnostic d) { d.severity = Severity::warning; items_.push_back(std::move(d)); }
    void warn(std::string pass, std::string message, std::uint32_t line = 0) {
        Diagnostic d;
        d.pass = std::move(pass);
        d.reason = std::move(message);
        d.first_line = d.last_line = line;
        warn(std::move(d));
    }
    const std::vector<Diagnostic>& items() const { return items_; }
    // The items from `from` on, to annotate what one stage reported (the page type on
    // a page's removals).
    std::span<Diagnostic> items_since(std::size_t from) {
        return from < items_.size() ? std::span<Diagnostic>(items_).subspan(from) : std::span<Diagnostic>();
    }
    std::size_t warnings() const {
        std::size_t n = 0;
        for (const auto& d : items_) n += d.severity == Severity::warning;
        return n;
    }
    void clear() { items_.clear(); }

private:
    bool keep_notes_ = true;
    std::vector<Diagnostic> items_;
};

}  // namespace dconv
