// selector_warnings.hpp: the warnings --keep-selector and --drop-selector give, per input:
// one matched nothing on an HTML page, or the input is not HTML. A batch (and a --jsonl
// stream) sums them up, one line per warning at the end, instead of one per input: over
// a thousand pages, the same line a thousand times hides everything else.
#pragma once

namespace dconv {

// The pass of these warnings; their reason is the line a batch sums up by, such as
// "--keep-selector '.recipe' matched nothing" (+ " in 12 of 1000 inputs: ...").
inline constexpr const char* kSelectorWarningPass = "selectors";

}  // namespace dconv
