// explanation.hpp: the one shape of the HTML reader's --explain lines: which pass said
// it, what it did, to which lines of the page, why, by which rule (its stable id, when
// one rule decided) and the start of the text concerned. Each pass fills in only what
// differs (a score, the severity when it is a warning).
//
// Private to formats/html.
#pragma once

#include <string>
#include <string_view>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv::html {

inline Diagnostic explanation(std::string_view pass, std::string_view action, SourceRange lines, std::string reason,
                              std::string_view rule = {}, std::string excerpt = {}) {
    Diagnostic d;
    d.pass = std::string(pass);
    d.action = std::string(action);
    d.first_line = lines.first;
    d.last_line = lines.last;
    d.reason = std::move(reason);
    d.rule = std::string(rule);
    d.excerpt = std::move(excerpt);
    return d;
}

}  // namespace dconv::html
