// language_tags.hpp: what a BCP 47 language tag tells the writers about layout. Shared by
// the XHTML writer (dir="rtl") and the PDF writer (a right-to-left chapter's tables), so
// that both editions of a chapter run the same way.
#pragma once

#include <string_view>

namespace dconv {

// Is the language written right to left (ar, he, fa, ur, ...; or a tag with an Arab or
// Hebr script subtag)?
bool is_rtl_language(std::string_view tag);

}  // namespace dconv
