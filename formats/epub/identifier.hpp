// identifier.hpp: the EPUB's dc:identifier, a name-based UUID (RFC 4122 version 5) of
// the book's content, so that converting the same text again gives the same identifier
// and e-readers see the same book.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dconv/document.hpp"

namespace dconv::epub {

// SHA-1 (FIPS 180-4) of `data`: what a version 5 UUID is made from.
std::array<std::uint8_t, 20> sha1(std::string_view data);

// The version 5 UUID of `name` in the namespace `namespace_id`, as 36 lower-case
// characters ("xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx").
std::string uuid_v5(const std::array<std::uint8_t, 16>& namespace_id, std::string_view name);

// "urn:uuid:..." for the book: a UUID of its canonical text, which is its metadata (not
// the source paths) and each chapter's metadata and blocks (kind, level and visible
// text). The style, cover and date of the edition do not change it, nor the title of a
// chapter flagged in `named_chapters` (Book::named_chapters: a name given it, its file's, not
// its text's), so that the same text is the same book whatever its files are called.
std::string content_identifier(const Meta& book, const std::vector<const Document*>& chapters,
                               const std::vector<bool>& named_chapters = {});

}  // namespace dconv::epub
