// convert.cpp: the pipeline behind the library's front door: decode, read, (clean), write.
#include "dconv/convert.hpp"

#include <charconv>

#include "decode/decode.hpp"
#include "dconv/book.hpp"
#include "dconv/registry.hpp"

namespace dconv {

namespace {

const ReaderEntry& choose_reader(const ReadOptions& options) {
    if (options.format.empty()) return reader_for_path(options.source_name);
    const ReaderEntry* reader = find_reader(options.format);
    if (!reader)
        throw Error(ErrorKind::usage, "", 0, "unknown input format '" + options.format + "'");
    return *reader;
}

// A format that declares its charset in the document (HTML's <meta charset>): the
// declaration stands in for detection when no encoding was forced.
std::string input_encoding(std::string_view bytes, const ReaderEntry& reader, const ReadOptions& options) {
    if (options.encoding.empty() && reader.declared_encoding) return reader.declared_encoding(bytes);
    return options.encoding;
}

Document finish(Document doc, const ReadOptions& options) {
    if (doc.meta.source.empty()) doc.meta.source = options.source_name;
    return doc;
}

}  // namespace

Document read_document(std::string&& bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options);
    std::string text = decode_text(bytes, input_encoding(bytes, reader, options), diag, options.source_name);
    std::string().swap(bytes);
    return finish(reader.read(std::move(text), options, diag), options);
}

Document read_document(std::string_view bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options);
    std::string text = decode_text(bytes, input_encoding(bytes, reader, options), diag, options.source_name);
    return finish(reader.read(std::move(text), options, diag), options);
}

std::string profile_text(std::string_view bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options);
    std::string text = decode_text(bytes, input_encoding(bytes, reader, options), diag, options.source_name);
    return reader.profile_text ? reader.profile_text(std::move(text)) : text;
}

namespace {

const WriterEntry& choose_writer(std::string_view format) {
    const WriterEntry* writer = find_writer(format);
    if (!writer)
        throw Error(ErrorKind::usage, "", 0,
                    "unknown output format '" + std::string(format) + "' (see --list-formats)");
    return *writer;
}

}  // namespace

std::string write_document(const Document& doc, std::string_view format,
                           const WriteOptions& options) {
    return choose_writer(format).write(doc, options);
}

std::string write_book(const Book& book, std::string_view format, const WriteOptions& options) {
    const WriterEntry& writer = choose_writer(format);
    if (writer.write_book) return writer.write_book(book, options);
    return writer.write(flatten(book), options);
}

std::optional<std::int64_t> parse_source_date_epoch(std::string_view value) {
    std::int64_t seconds = 0;
    if (value.empty() || value.front() < '0' || value.front() > '9') return std::nullopt;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return seconds;
}

}  // namespace dconv
