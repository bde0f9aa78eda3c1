// reporting.cpp: the text and JSON of a batch's messages (reporting.hpp).
#include "batch/reporting.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace dconv::batch {

namespace {

// --explain shows the start of the text a diagnostic is about, no more.
constexpr std::size_t kMaxExcerptCodePoints = 60;

std::string format_score(double score) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", score);
    std::string s = buffer;
    while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
        bool dot = s.back() == '.';
        s.pop_back();
        if (dot) break;
    }
    return s;
}

std::string short_excerpt(std::string_view excerpt) {
    std::string out;
    std::size_t i = 0, count = 0;
    while (i < excerpt.size()) {
        if (count == kMaxExcerptCodePoints) {
            out += "…";
            break;
        }
        char32_t c = text::next(excerpt, i);
        text::append(out, c == '\n' || c == '\t' || c == '\r' ? U' ' : c);
        ++count;
    }
    return out;
}

std::string location(const std::string& name, std::uint32_t first, std::uint32_t last) {
    std::string out = printable_name(name);
    if (first) {
        out += ':' + std::to_string(first);
        if (last > first) out += '-' + std::to_string(last);
    }
    return out;
}

}  // namespace

std::string printable_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (std::size_t i = 0; i < name.size();) {
        auto c = static_cast<unsigned char>(name[i]);
        std::size_t at = i;
        if (c >= 0x80) {
            char32_t cp = text::next(name, i);
            bool invalid = cp == 0xFFFD && name.substr(at, 3) != "\xEF\xBF\xBD";
            bool c1 = cp >= 0x80 && cp < 0xA0;  // C1 controls (CSI is one)
            if (!invalid && !c1) {
                out.append(name.substr(at, i - at));
                continue;
            }
            for (std::size_t k = at; k < i; ++k) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(name[k]));
                out += hex;
            }
            continue;
        }
        ++i;
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// file:LINE[-LAST]: PASS: ACTION (score S): REASON — "excerpt"
// (warnings: file:LINE: warning: PASS: REASON ...)
std::string explain_line(const std::string& name, const Diagnostic& d) {
    std::string out = location(name, d.first_line, d.last_line) + ": ";
    if (d.severity == Severity::warning) out += "warning: ";
    if (!d.pass.empty()) out += d.pass + ": ";
    if (!d.action.empty() && d.action != d.pass) {  // "decode: decode: ..." says it twice
        out += d.action;
        // what decided: the rule's id, the score (metadata and repair have none), the
        // page's type, and a learned classifier's weightiest features
        std::string why;
        auto add = [&why](const std::string& part) { why += (why.empty() ? "" : "; ") + part; };
        if (!d.rule.empty()) add("rule " + d.rule);
        if (d.score != 0) add("score " + format_score(d.score));
        if (!d.page_type.empty()) add("page " + d.page_type);
        if (!d.features.empty()) {
            std::string features;
            for (const std::string& f : d.features) features += (features.empty() ? "" : ", ") + f;
            add("features " + features);
        }
        if (!why.empty()) out += " (" + why + ")";
        out += ": ";
    }
    out += d.reason;
    if (!d.excerpt.empty()) out += " — \"" + short_excerpt(d.excerpt) + "\"";
    return out + "\n";
}

// file:line: warning: message
std::string warning_line(const std::string& name, const Diagnostic& d) {
    std::string message = d.reason.empty() ? d.action : d.reason;
    return "dconv: " + location(name, d.first_line, d.first_line) + ": warning: " + message + "\n";
}

std::string error_line(const std::string& fallback_name, const Error& e) {
    const std::string& file = e.file().empty() ? fallback_name : e.file();
    return "dconv: " + location(file, e.line(), e.line()) + ": " + e.message() + "\n";
}

namespace {

const char* kind_name(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::io: return "io";
        case ErrorKind::input: return "input";
        case ErrorKind::usage: return "usage";
        case ErrorKind::limit: return "limit";
        case ErrorKind::internal: return "internal";
    }
    return "internal";
}

}  // namespace

// One JSON object per input, on one line (JSON Lines):
// {"input": "a.txt", "ok": true, "outputs": ["out/a.md"], "error": null,
//  "diagnostics": [{"severity": "note", "pass": "classify", "first_line": 3, "last_line": 5,
//                   "action": "removed", "score": 0.9, "reason": "...", "excerpt": "...",
//                   "rule": "link-density", "page_type": "article", "features": []}]}
// "rule" is the deciding rule's id ("" when none), "page_type" the page's type (HTML,
// on the cleaner's removals), "features" a learned classifier's weightiest features.
// "error", when not null: {"kind": "input", "file": "a.txt", "line": 0, "message": "..."}.
std::string explain_json(const std::string& name, bool ok, const std::vector<std::string>& written,
                         const std::vector<Error>& errors, const Diagnostics& diag) {
    nlohmann::ordered_json j;
    j["input"] = name;
    j["ok"] = ok;
    j["outputs"] = written;
    if (errors.empty()) {
        j["error"] = nullptr;
    } else {
        const Error& e = errors.front();
        j["error"] = {{"kind", kind_name(e.kind())},
                      {"file", e.file().empty() ? name : e.file()},
                      {"line", e.line()},
                      {"message", e.message()}};
    }
    j["diagnostics"] = nlohmann::ordered_json::array();
    for (const Diagnostic& d : diag.items())
        j["diagnostics"].push_back({{"severity", d.severity == Severity::warning ? "warning" : "note"},
                                    {"pass", d.pass},
                                    {"first_line", d.first_line},
                                    {"last_line", d.last_line},
                                    {"action", d.action},
                                    {"score", d.score},
                                    {"reason", d.reason},
                                    {"excerpt", d.excerpt},
                                    {"rule", d.rule},
                                    {"page_type", d.page_type},
                                    {"features", d.features}});
    // File names need not be UTF-8; replace rather than throw.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace dconv::batch
