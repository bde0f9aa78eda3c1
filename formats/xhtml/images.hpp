// images.hpp: the checks an image passes before a page shows it, and data: URIs for the
// standalone page. Shared by the HTML and EPUB writers.
#pragma once

#include <string>
#include <string_view>

namespace dconv::xhtml {

// Whether the bytes are what `media_type` says (PNG, JPEG, GIF, WebP by their signature;
// SVG by svg_problem()), so that no page points at a file a reader cannot show.
// Empty when they are; else why not, for a warning.
std::string image_problem(std::string_view media_type, std::string_view bytes);

// Empty when an SVG image is safe to embed; else why not. An SVG is refused, not
// repaired, when it is not well-formed XML with an <svg> root, declares a DTD subset
// (entities), or has a script, an event handler (on...), a foreignObject (HTML inside
// the image), a processing instruction, or a reference to anything outside itself (an
// href or url() that is not "#..."): EPUB reading systems may run an SVG's scripts, and
// an outside reference would leak the reader's address or name a missing file.
std::string svg_problem(std::string_view bytes);

// "data:TYPE;base64,..." for the standalone page.
std::string data_uri(std::string_view media_type, std::string_view bytes);

}  // namespace dconv::xhtml
