// convert.cpp: the pipeline behind the library's front door: decode, read, (clean), write.
#include "dconv/convert.hpp"

#include <charconv>
#include <cstring>
#include <filesystem>

#include "core/selector_warnings.hpp"
#include "core/smart_quotes.hpp"
#include "dconv/clean.hpp"
#include "decode/decode.hpp"
#include "html/css_selector.hpp"
#include "dconv/book.hpp"
#include "dconv/limits.hpp"
#include "dconv/registry.hpp"

namespace dconv {

namespace {

const ReaderEntry& choose_reader(const ReadOptions& options, std::string_view bytes) {
    if (options.format.empty()) return reader_for(options.source_name, bytes);
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

// kMaxLines: counted before any reader keeps something per line.
void check_lines(std::string_view text, const std::string& file) {
    std::size_t lines = 0;
    for (const char* p = text.data(), *end = p + text.size();
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
         ++p)
        if (++lines > kMaxLines)
            throw Error(ErrorKind::limit, file, 0,
                        "more than " + std::to_string(kMaxLines) + " lines, not converted");
}

// kMaxBlocks, at every depth; the line is where the block over the limit starts.
struct BlockCounter {
    std::size_t count = 0;
    const std::string& file;
    void blocks(const Blocks& level) {
        for (const Block& block : level) {
            if (++count > kMaxBlocks)
                throw Error(ErrorKind::limit, file, block.source.first,
                            "more than " + std::to_string(kMaxBlocks) + " blocks, not converted");
            if (const auto* list = std::get_if<List>(&block.node))
                for (const Blocks& item : list->items) blocks(item);
            else if (const auto* definitions = std::get_if<DefinitionList>(&block.node))
                for (const DefinitionItem& item : definitions->items)
                    for (const Blocks& definition : item.definitions) blocks(definition);
            else if (const auto* quote = std::get_if<BlockQuote>(&block.node))
                blocks(quote->children);
            else if (const auto* figure = std::get_if<Figure>(&block.node))
                blocks(figure->content);
            else if (const auto* table = std::get_if<Table>(&block.node))
                for (const auto* section : {&table->head, &table->body})
                    for (const TableRow& row : *section)
                        for (const TableCell& cell : row.cells) blocks(cell.content);
        }
    }
};

// Where an input's relative image sources are found: its folder, or its URL.
std::string resource_base(const std::string& source_name) {
    if (source_name.empty()) return {};
    if (source_name.starts_with("http://") || source_name.starts_with("https://")) return source_name;
    std::filesystem::path folder = std::filesystem::path(source_name).parent_path();
    return folder.empty() ? std::string(".") : folder.string();
}

Document finish(Document doc, const ReaderEntry& reader, const ReadOptions& options, Diagnostics& diag) {
    BlockCounter{0, options.source_name}.blocks(doc.blocks);
    if (!options.url.empty()) doc.meta.source = options.url;
    else if (doc.meta.source.empty()) doc.meta.source = options.source_name;
    check_deadline();
    if (options.resources.load) {
        ResourceOptions resources = options.resources;
        if (resources.base.empty()) resources.base = resource_base(options.source_name);
        resources.absolute_paths = resources.absolute_paths || reader.name == "markdown";
        resolve_resources(doc, resources, diag);
    }
    return doc;
}

Document read_decoded(std::string text, const ReaderEntry& reader, const ReadOptions& options,
                      Diagnostics& diag) {
    check_deadline();
    check_lines(text, options.source_name);
    if (!options.book_chapter && text.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
        diag.warn("read", text.empty() ? "the input is empty: its outputs are empty documents"
                                       : "the input holds only white space: its outputs are empty documents");
    // read, clean, (write): the pipeline in one place. The reader frees the text once it
    // has built the model, before the (memory-hungry) cleaning passes run.
    if (reader.name != "html" && (!options.keep_selectors.empty() || !options.drop_selectors.empty()))
        // (summed up over a batch: the same reason for every input, selector_warnings.hpp)
        diag.warn(kSelectorWarningPass, "--keep-selector and --drop-selector apply to HTML inputs, and were ignored");
    Document doc = reader.read(std::move(text), options, diag);
    if (!reader.cleans_while_reading && cleaning_wanted(options.clean, reader.cleaned_by_default)) {
        CleanOptions clean;
        clean.batch = options.batch;
        clean.favor = options.favor == Favor::recall ? -1 : options.favor == Favor::precision ? 1 : 0;
        clean.source_name = options.source_name;
        clean_document(doc, clean, diag);
    }
    return finish(std::move(doc), reader, options, diag);
}

}  // namespace

Document read_document(std::string&& bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options, bytes);
    std::string text = decode_text(bytes, input_encoding(bytes, reader, options), diag, options.source_name);
    std::string().swap(bytes);
    return read_decoded(std::move(text), reader, options, diag);
}

Document read_document(std::string_view bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options, bytes);
    std::string text = decode_text(bytes, input_encoding(bytes, reader, options), diag, options.source_name);
    return read_decoded(std::move(text), reader, options, diag);
}

void check_selectors(const ReadOptions& options) {
    html::parse_selectors(options.keep_selectors, "--keep-selector");
    html::parse_selectors(options.drop_selectors, "--drop-selector");
}

std::string template_text(std::string_view bytes, const ReadOptions& options, Diagnostics& diag) {
    const ReaderEntry& reader = choose_reader(options, bytes);
    std::string text = decode_text(bytes, input_encoding(bytes, reader, options), diag, options.source_name);
    return reader.template_text ? reader.template_text(std::move(text), options) : text;
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

// The model passes a writer's format asks for before it writes: typographic quotes for
// the typeset formats (smart_quotes.hpp). On a copy: the same document goes to several
// writers. A writer that makes them itself, block by block, gets the document as it is.
std::string write_document(const Document& doc, std::string_view format,
                           const WriteOptions& options) {
    check_deadline();
    const WriterEntry& writer = choose_writer(format);
    std::string out;
    if (options.smart && writer.typographic && !writer.typographic_by_block) {
        Document typeset = doc;
        make_quotes_typographic(typeset);
        out = writer.write(typeset, options);
    } else {
        out = writer.write(doc, options);
    }
    check_deadline();
    return out;
}

std::string write_book(const Book& book, std::string_view format, const WriteOptions& options) {
    const WriterEntry& writer = choose_writer(format);
    check_deadline();
    if (options.smart && writer.typographic && !writer.typographic_by_block) {
        Book typeset = book;
        make_quotes_typographic(typeset);
        if (writer.write_book) return writer.write_book(typeset, options);
        return writer.write(flatten(typeset), options);
    }
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
