// dconv/convert.hpp: the library's front door. Read bytes into a Document (decoding and,
// for web text, cleaning on the way), write a Document as any registered format.
//
//     dconv::Diagnostics diag;
//     dconv::ReadOptions in;                       // format from the name, cleaning on
//     in.source_name = "page.txt";
//     dconv::Document doc = dconv::read_document(bytes, in, diag);
//     std::string md = dconv::write_document(doc, "md", {});
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv {

class BatchProfile;  // what recurs across the pages of one batch (clean.hpp)

struct ReadOptions {
    std::string format;       // reader name ("webtext", "markdown"); empty: from source_name
    std::string encoding;     // input encoding; empty: detect (BOM, UTF-8, ICU detector)
    bool clean = true;        // run the cleaning passes (web text only)
    std::string source_name;  // file name or URL, for messages, Meta::source and the format
    const BatchProfile* batch = nullptr;  // lines seen across a batch, or none
};

struct WriteOptions {
    int columns = 72;          // plain text wrap width; 0: do not wrap
    bool front_matter = true;  // Markdown: write a YAML front matter block
};

// Reads `bytes` with the reader that `options` names or the source name implies.
// Throws dconv::Error when the input cannot be read at all (binary data, say).
Document read_document(std::string_view bytes, const ReadOptions& options, Diagnostics& diag);
// The same, taking the bytes over: they are freed as soon as they are decoded, which
// keeps the peak memory of a large input down by its size.
Document read_document(std::string&& bytes, const ReadOptions& options, Diagnostics& diag);
inline Document read_document(const char* bytes, const ReadOptions& options, Diagnostics& diag) {
    return read_document(std::string_view(bytes), options, diag);
}

// Writes `doc` in the format named (a writer name or alias from the registry).
// Throws dconv::Error(usage) for an unknown format.
std::string write_document(const Document& doc, std::string_view format,
                           const WriteOptions& options);

}  // namespace dconv
