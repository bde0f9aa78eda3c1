// naming.hpp: the file name of a fetched article's outputs: a slug of its title, else of
// the URL's last path segment, else of its host.
#pragma once

#include <cstddef>
#include <string>

namespace dconv::fetch {

// The longest slug, in bytes (cut at a character's boundary): a file name must stay
// under 255 bytes with its ending and a "-NN" to make it unique.
inline constexpr std::size_t kMaxSlugBytes = 80;

// "The Quiet Garden: a visit" → "the-quiet-garden-a-visit": letters and digits of any
// script kept (lower-cased), every other run of characters one '-', none at either
// end. It can never be "." or "..", hold a '/', a control character or a space. Empty
// when the text has no letter or digit.
std::string slug(const std::string& text);

// The stem for a page's outputs: slug(title), else the slug of the URL's last path
// segment (percent-decoded, without its ending: ".../2024/pier-reopens.html" →
// "pier-reopens"), else of its host, else "page".
std::string output_stem(const std::string& title, const std::string& url);

}  // namespace dconv::fetch
