// html_text.hpp: small pieces of HTML met outside HTML pages: an Atom title of
// type="html", a raw <img> tag in Markdown. Not a parser of pages (formats/html, gumbo,
// reads those): a tag's name and attributes, and a fragment's text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dconv::html_text {

// One start or end tag ("<img src=a.png alt='A &amp; B'>", "</figure>").
struct Tag {
    std::string name;  // lower case
    bool closing = false;
    // in order, names lower case, values with their character references decoded
    std::vector<std::pair<std::string, std::string>> attributes;

    // The value of attribute `name`, or nullopt when the tag has none.
    std::optional<std::string> attribute(std::string_view name) const;
};

// The tag that `markup` is, whole (white space around it allowed): nullopt when it is
// not exactly one well-formed tag (a comment, text, two tags, an unclosed quote).
std::optional<Tag> parse_tag(std::string_view markup);

// `s` with its character references decoded: the five XML names, &nbsp; and numeric
// references (&#8212; &#x263A;). Other names, and references to no character, stay as
// written.
std::string decode_references(std::string_view s);

// One candidate of a srcset ("a.jpg 480w, b.jpg 1200w"): its URL and its descriptor
// ("480w", "2x", or empty), views of the srcset.
struct SrcsetCandidate {
    std::string_view url;
    std::string_view descriptor;
};

// The candidates of a srcset, split as HTML splits them: white space and commas before
// each, its URL up to white space (a URL may hold commas, "data:image/png;base64,...";
// trailing ones end it, with no descriptor), then its descriptor up to the next comma.
// Candidates with an empty URL are left out.
std::vector<SrcsetCandidate> srcset_candidates(std::string_view srcset);

// The text of an HTML fragment: tags dropped (a phrase's, "<em>t</em>ide", without a
// trace; any other, "<br>", "<p>", as a space), character references decoded. Not
// squeezed: the caller decides about white space.
std::string fragment_text(std::string_view html);

// An <img width>: whole CSS pixels ("200", "200px"), up to kMaxImageWidth; a percentage
// or anything else is no width (0), as it says nothing of the picture's own size.
int declared_image_width(std::string_view value);

}  // namespace dconv::html_text
