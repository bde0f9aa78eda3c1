// dconv/resources.hpp: images, found and loaded once per document, shared by every writer.
//
// A reader keeps each image as written (Image::src). resolve_resources() then finds the
// bytes of each one and stores them in Document::resources under a key that the image
// names (Image::resource), in this order:
//   1. a data: URI, decoded (base64 or percent-encoded);
//   2. a path relative to the input's folder (a saved page's "page_files/x.jpg", a
//      Markdown note's "img/x.png"), and for Markdown an absolute path too: as written,
//      then without its ?query or #fragment ("img/x.png?v=2" is "img/x.png" unless a
//      file has that very name), each percent-decoded first, then as written;
//   3. the same relative path under each --resource-path folder, in order (as pandoc);
//   4. a remote http(s) image (or a relative one in a page read from a URL), through
//      ResourceOptions::fetch_remote when set. Unset (today: the command fetches
//      nothing yet), such images keep their alt text and the document gets one warning.
// Whatever is found is checked before it is kept: a JPEG, PNG, GIF, WebP or SVG file
// (probe_image), within the limits of limits.hpp (kMaxImages, kMaxImageBytes,
// kMaxResourceBytes, kMaxImagePixels); an SVG with scripts or references to other files
// is refused. An image that cannot be found or read keeps its alt text, with a warning
// naming it. The convert pipeline (convert.hpp) calls resolve_resources for every document
// it reads, so writers find the bytes in Document::resources and never touch files.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv {

// Fetches a remote image: its bytes, or nullopt after putting a warning in `diag`.
// A URL-fetching component plugs in here; it must bound its own size and time.
using RemoteFetcher = std::function<std::optional<std::string>(const std::string& url, Diagnostics& diag)>;

struct ResourceOptions {
    // Load images at all. Off: Document::resources stays empty and every image keeps
    // only its src and alt text (the --jsonl filter, which writes only text formats).
    bool load = true;
    // Where relative sources are found: the input's folder, or the URL of the page.
    // read_document sets it from ReadOptions::source_name when empty; with neither,
    // relative paths are not looked up beside anything (only under search_path).
    std::string base;
    // --resource-path: folders to try, in order, after `base`.
    std::vector<std::string> search_path;
    // Absolute paths ("/home/me/x.png") and file: URLs are files. True for Markdown, which
    // is authored; false for web pages, where "/x.png" is relative to the site's root.
    bool absolute_paths = false;
    // Remote images; unset: not fetched (alt text and one warning per document).
    RemoteFetcher fetch_remote;
    // Whether an output shows the images' bytes (EPUB, PDF, HTML's data: URIs), so that
    // one not fetched keeps only its alt text: only then the warning above. Markdown and
    // native outputs keep the image's URL, and plain text shows the alt text anyway.
    bool warn_remote_not_fetched = true;
};

// Finds and loads every image of `doc` (in notes, captions and table cells too), fills
// doc.resources and sets each Image::resource; images with the same source share one
// resource, and so do different sources with the same bytes. Keys are "img-N.EXT"
// (N from 1 in order of first appearance, EXT from the media type: png, jpg, gif, webp,
// svg), usable as file names. Warnings go to `diag`, pass "resources".
void resolve_resources(Document& doc, const ResourceOptions& options, Diagnostics& diag);

// For a document written to `folder` (its Markdown output's folder), rewrites the source
// of each local image that resolve_resources() found through a relative path, so that it
// names the same file from there: "img/a.png" of notes/n.md becomes
// "../notes/img/a.png" in out/n.md. URLs, data: URIs, absolute paths, images not found,
// and sources that already name the file from `folder` stay as written. Returns whether
// any source changed. (pandoc finds images through --resource-path, the input's folder by
// default, but leaves a Markdown output's links as written, broken in another folder.)
// `found_in`: the folders the sources were looked up in, in order (the input's folder,
// then --resource-path), so that each source leads to its own file; images with the same
// bytes share one resource, whose origin is only the first file's. A rebased source is
// a URL path: '%', '?', '#', spaces and the like percent-encoded.
bool rebase_image_sources(Document& doc, const std::filesystem::path& folder,
                          const std::vector<std::string>& found_in = {});

// What an image file is, from its bytes.
struct ImageInfo {
    std::string media_type;  // image/png, image/jpeg, image/gif, image/webp, image/svg+xml
    int width = 0;           // pixels (SVG: CSS pixels of its width/viewBox; 0 if unknown)
    int height = 0;
};

// Recognizes a JPEG, PNG, GIF, WebP or SVG file and reads its size from its header
// (nothing is decoded). nullopt, with the reason in `why`, when it is none of them, is
// broken, claims more than kMaxImagePixels, or is an SVG with scripts, event handlers or
// references to other files.
std::optional<ImageInfo> probe_image(std::string_view bytes, std::string* why = nullptr);

// What a file that should be a JPEG or PNG (--cover) is, in words, from its first bytes:
// "a GIF image", "a WebP image", "an SVG image", "a PNG image", "a JPEG image", or "not
// an image" (a file named .jpg that is something else said only "must be a JPEG or PNG").
std::string image_kind_in_words(std::string_view bytes);

// The image as PNG, for writers that take only JPEG and PNG (libharu): a PNG is returned
// as it is, a GIF or WebP (an animated one's first frame) is decoded and encoded as PNG
// with its alpha. nullopt, with the reason in `why`, for JPEG (use it as it is), SVG (not
// rasterized), or a file that does not decode.
std::optional<std::string> image_as_png(const Resource& image, std::string* why = nullptr);

}  // namespace dconv
