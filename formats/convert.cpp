// convert.cpp: the pipeline behind the library's front door: decode, read, (clean), write.
#include "dconv/convert.hpp"

#include "decode/decode.hpp"
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

Document finish(Document doc, const ReadOptions& options) {
    if (doc.meta.source.empty()) doc.meta.source = options.source_name;
    return doc;
}

}  // namespace

Document read_document(std::string&& bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options);
    std::string text = decode_text(bytes, options.encoding, diag, options.source_name);
    std::string().swap(bytes);
    return finish(reader.read(std::move(text), options, diag), options);
}

Document read_document(std::string_view bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options);
    std::string text = decode_text(bytes, options.encoding, diag, options.source_name);
    return finish(reader.read(std::move(text), options, diag), options);
}

std::string write_document(const Document& doc, std::string_view format,
                           const WriteOptions& options) {
    const WriterEntry* writer = find_writer(format);
    if (!writer)
        throw Error(ErrorKind::usage, "", 0,
                    "unknown output format '" + std::string(format) + "' (see --list-formats)");
    return writer->write(doc, options);
}

}  // namespace dconv
