// unmatched_selector.hpp: the warning a --keep-selector or --drop-selector gives when it
// matched nothing on a page, shared by the HTML reader that gives it and the batch that
// sums it up (one line per selector at the end instead of one per page).
#pragma once

namespace dconv {

// The warning's pass and action; its reason is "--keep-selector '.recipe' matched nothing".
inline constexpr const char* kSelectorPass = "html-select";
inline constexpr const char* kUnmatchedSelectorAction = "unmatched";

}  // namespace dconv
