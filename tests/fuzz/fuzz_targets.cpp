// The fuzz harnesses' bodies (see fuzz_targets.hpp). Plain C++: no libFuzzer here, so
// the regression replay test builds them with the normal toolchain.
#include "fuzz_targets.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/model.hpp"

namespace {

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// A broken property: say which, then abort, which libFuzzer records as a crash.
[[noreturn]] void fail(const char* harness, const std::string& what) {
    std::fprintf(stderr, "dconv_fuzz_%s: %s\n", harness, what.c_str());
    std::abort();
}

// Reads with the named reader; false when the reader rejected the input with a
// dconv::Error, which is a correct answer to hostile input. Any other exception escapes
// and is a finding.
bool read(std::string_view bytes, const char* format, dconv::Document& doc) {
    dconv::ReadOptions options;
    options.format = format;
    options.clean = dconv::Cleaning::by_format;  // pages cleaned, Markdown as written (the round trip)
    options.source_name = "fuzz-input";
    dconv::Diagnostics diag(false);
    try {
        doc = dconv::read_document(bytes, options, diag);
    } catch (const dconv::Error&) {
        return false;
    }
    return true;
}

// Every reader must give a document that satisfies the tree rules.
void check_valid(const char* harness, const dconv::Document& doc) {
    auto problems = dconv::validate(doc);
    if (!problems.empty()) fail(harness, "invalid document from the reader: " + problems.front());
}

// Writes `doc`; writers do not throw for a valid document, so no catch.
std::string write(const dconv::Document& doc, const char* format) {
    return dconv::write_document(doc, format, dconv::WriteOptions{});
}

}  // namespace

int dconv_fuzz_webtext(const std::uint8_t* data, std::size_t size) {
    if (size > kFuzzMaxInput) return 0;
    dconv::Document doc;
    if (!read(as_text(data, size), "webtext", doc)) return 0;
    check_valid("webtext", doc);
    write(doc, "md");
    write(doc, "txt");
    return 0;
}

int dconv_fuzz_markdown(const std::uint8_t* data, std::size_t size) {
    if (size > kFuzzMaxInput) return 0;
    dconv::Document doc;
    if (!read(as_text(data, size), "markdown", doc)) return 0;
    check_valid("markdown", doc);
    write(doc, "md");
    return 0;
}

int dconv_fuzz_html(const std::uint8_t* data, std::size_t size) {
    if (size > kFuzzMaxInput) return 0;
    dconv::Document doc;
    if (!read(as_text(data, size), "html", doc)) return 0;
    check_valid("html", doc);
    write(doc, "md");
    return 0;
}

int dconv_fuzz_roundtrip(const std::uint8_t* data, std::size_t size) {
    if (size > kFuzzMaxInput) return 0;
    dconv::Document doc;
    if (!read(as_text(data, size), "webtext", doc)) return 0;
    check_valid("roundtrip", doc);
    std::string md = write(doc, "md");
    // Markdown that dconv wrote must read back: an error here is a finding.
    dconv::Document back;
    if (!read(md, "markdown", back)) fail("roundtrip", "dconv's own Markdown was rejected:\n" + md);
    check_valid("roundtrip", back);
    // The property of tests/unit/seeds_test.cpp ("the cleaned model survives a Markdown
    // round trip through cmark"): the same meta, the same blocks, the same Markdown.
    if (!(back.meta == doc.meta)) fail("roundtrip", "metadata changed in the round trip:\n" + md);
    if (!(back.blocks == doc.blocks)) fail("roundtrip", "blocks changed in the round trip:\n" + md);
    std::string again = write(back, "md");
    if (again != md) fail("roundtrip", "Markdown not stable:\n" + md + "\n--- rewritten:\n" + again);
    // Editions of a valid model never fail (PDF needs the fonts from tools/setup.sh).
    write(doc, "epub");
    write(doc, "pdf");
    return 0;
}
