// selector_warnings.hpp: the warnings --keep-selector and --drop-selector give, per input:
// one matched nothing on an HTML page, or the input is not HTML. A batch (and a --jsonl
// stream) sums them up, one line per warning at the end, instead of one per input: over
// a thousand pages, the same line a thousand times hides everything else.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dconv {

// The pass of these warnings; their reason is the line a batch sums up by, such as
// "--keep-selector '.recipe' matched nothing" (+ " in 12 of 1000 inputs: ...").
inline constexpr const char* kSelectorWarningPass = "selectors";

// How many of the inputs (records) a summing-up line names: enough to find the pages,
// not a flood.
inline constexpr std::size_t kSelectorWarningNamed = 3;

// One summing-up line, the same for a batch and a --jsonl stream: "dconv: warning: " +
// `warning` + " in 12 of 1000 inputs: a.html, b.html, c.html and 9 more\n". `count`: the
// inputs (records) it concerns; `named`: the first kSelectorWarningNamed of their names,
// in order, already printable; `unit`: "inputs" or "records"; `prefix`: put before the
// names ("lines " for records, "" for inputs).
inline std::string selector_summary_line(const std::string& warning, const std::vector<std::string>& named,
                                         std::size_t count, std::size_t total, std::string_view unit,
                                         std::string_view prefix) {
    std::string out = "dconv: warning: " + warning + " in " + std::to_string(count) + " of " +
                      std::to_string(total) + " " + std::string(unit) + ": " + std::string(prefix);
    for (std::size_t k = 0; k < named.size(); ++k) out += (k ? ", " : "") + named[k];
    if (count > named.size()) out += " and " + std::to_string(count - named.size()) + " more";
    return out + "\n";
}

}  // namespace dconv
