// dconv/registry.hpp: the one table of formats. The CLI's --to/--from choices,
// --list-formats and the unknown-format error all come from here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dconv/book.hpp"
#include "dconv/convert.hpp"

namespace dconv {

struct ReaderEntry {
    std::string name;                     // "webtext"
    std::vector<std::string> extensions;  // file endings it claims, without dot
    std::string description;
    // Takes the decoded text by value: a reader may free it once it has built the model,
    // before the (memory-hungry) cleaning passes run.
    Document (*read)(std::string text, const ReadOptions&, Diagnostics&);
    // The encoding the bytes declare for themselves (HTML's <meta charset>), or nullptr:
    // it stands in for detection when no encoding is forced. "" when none is declared.
    std::string (*declared_encoding)(std::string_view bytes) = nullptr;
    // What a batch learns the site's template from (convert.hpp's profile_text), or
    // nullptr: the decoded text's own lines. A reader whose lines are markup gives the
    // text of its blocks instead, one a line.
    std::string (*profile_text)(std::string text) = nullptr;
};

struct WriterEntry {
    std::string name;                   // "md"
    std::vector<std::string> aliases;   // "markdown", "commonmark"
    std::string extension;              // of the output file, without dot
    std::string description;
    std::string (*write)(const Document&, const WriteOptions&);
    // A book form (chapters under one table of contents), or nullptr: write_book then
    // writes flatten(book) with `write`.
    std::string (*write_book)(const Book&, const WriteOptions&) = nullptr;
};

const std::vector<ReaderEntry>& readers();
const std::vector<WriterEntry>& writers();

const ReaderEntry* find_reader(std::string_view name);
const WriterEntry* find_writer(std::string_view name_or_alias);
// The reader a file name implies; the web-text reader for unknown endings.
const ReaderEntry& reader_for_path(std::string_view path);

}  // namespace dconv
