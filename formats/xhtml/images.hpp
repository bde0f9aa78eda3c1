// images.hpp: the checks an image passes before a page shows it, and data: URIs for the
// standalone page. Shared by the HTML and EPUB writers.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"
#include "dconv/limits.hpp"

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

// The standalone page's images, as data: URIs (an ImageLinker for BlockRenderer). Each
// resource is checked (image_problem) and encoded once, and written at each place it
// appears, up to `max_bytes` of image bytes in all: an image named a million times must
// not make a page of a million copies. Past that, and for an image that fails its check,
// src() is "" (the alt text stands in) with a warning, pass "html".
class DataUriImages {
public:
    explicit DataUriImages(Diagnostics* diagnostics, std::size_t max_bytes = kMaxResourceBytes)
        : diagnostics_(diagnostics), max_bytes_(max_bytes) {}
    std::string src(const std::string& key, const Resource& resource);

private:
    Diagnostics* diagnostics_;
    std::size_t max_bytes_;
    std::size_t written_ = 0;
    bool over_reported_ = false;
    std::map<std::string, std::string> uris_;  // key → data: URI, "" when refused
};

}  // namespace dconv::xhtml
