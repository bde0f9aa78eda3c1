// hpdf_document.cpp: HpdfDocument — libharu's error handler, font loading through a memory
// file, and the internals the public API does not reach (see the header).
#include "pdf/hpdf_document.hpp"

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "dconv/diagnostics.hpp"

namespace dconv::pdf {

namespace {

namespace fs = std::filesystem;

// A CMap block (beginbfchar, beginbfrange) holds at most 100 entries (Adobe's CMap
// specification, technical note #5014).
constexpr std::size_t kCMapBlockLimit = 100;

// zlib's level for page content, which is most of a document's bytes and of the time
// spent making it. On the 57 MB of content of 20 MB of text, libharu's fixed level 6
// takes 1.65 s and makes 14.0 MB; level 4 takes 0.6 s for 15.0 MB; levels 1 to 3 save
// at most 0.2 s more, for 15.7 to 17.8 MB.
constexpr int kContentDeflateLevel = 4;

const char* describe(HPDF_STATUS code) {
    switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_OPEN_ERROR: return "cannot open a file";
    case HPDF_FILE_IO_ERROR: return "file input/output error";
    case HPDF_FONT_EXISTS: return "a font of that name is already loaded";
    case HPDF_INVALID_DATE_TIME: return "invalid date";
    case HPDF_INVALID_FONTDEF_DATA: return "invalid font data";
    case HPDF_PAGE_INVALID_SIZE: return "invalid page size";
    case HPDF_PAGE_OUT_OF_RANGE: return "a value is out of range";
    case HPDF_STRING_OUT_OF_RANGE: return "a string is too long";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font's licence forbids embedding";
    case HPDF_TTF_INVALID_CMAP: return "the font's cmap is not usable";
    case HPDF_TTF_INVALID_FOMAT: return "not a TrueType font";
    case HPDF_TTF_MISSING_TABLE: return "the font lacks a table";
    default: return nullptr;
    }
}

void append_hex4(std::string& out, unsigned value) {
    static const char digits[] = "0123456789ABCDEF";
    out += '<';
    for (int shift = 12; shift >= 0; shift -= 4) out += digits[(value >> shift) & 15];
    out += '>';
}

// A ToUnicode CMap for UTF-8 fonts: the code is the character (UTF-16), so each drawn
// character maps to itself. Consecutive characters sharing a high byte form a bfrange
// (a range may only vary in its last byte); the rest are bfchars.
std::string to_unicode_cmap(const std::vector<char16_t>& characters) {
    std::vector<std::pair<unsigned, unsigned>> ranges, singles;
    for (std::size_t i = 0; i < characters.size();) {
        std::size_t j = i + 1;
        while (j < characters.size() && characters[j] == characters[j - 1] + 1 &&
               (characters[j] >> 8) == (characters[i] >> 8))
            ++j;
        if (j - i > 1) ranges.emplace_back(characters[i], characters[j - 1]);
        else singles.emplace_back(characters[i], characters[i]);
        i = j;
    }
    std::string out =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    for (std::size_t i = 0; i < ranges.size(); i += kCMapBlockLimit) {
        std::size_t end = std::min(ranges.size(), i + kCMapBlockLimit);
        out += std::to_string(end - i) + " beginbfrange\n";
        for (std::size_t k = i; k < end; ++k) {
            append_hex4(out, ranges[k].first);
            out += ' ';
            append_hex4(out, ranges[k].second);
            out += ' ';
            append_hex4(out, ranges[k].first);
            out += '\n';
        }
        out += "endbfrange\n";
    }
    for (std::size_t i = 0; i < singles.size(); i += kCMapBlockLimit) {
        std::size_t end = std::min(singles.size(), i + kCMapBlockLimit);
        out += std::to_string(end - i) + " beginbfchar\n";
        for (std::size_t k = i; k < end; ++k) {
            append_hex4(out, singles[k].first);
            out += ' ';
            append_hex4(out, singles[k].first);
            out += '\n';
        }
        out += "endbfchar\n";
    }
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return out;
}

// A font file's bytes where libharu can open them by name; closed (and, for a temporary
// file, unlinked) when this goes away. libharu opens its own handle, which keeps the
// contents alive until the document is freed.
class FontFile {
public:
    explicit FontFile(const std::string& bytes) {
        fd_ = memfd_create("dconv-font", MFD_CLOEXEC);
        if (fd_ >= 0) {
            path_ = "/proc/self/fd/" + std::to_string(fd_);
            // /proc may be missing (some containers): then a temporary file instead.
            if (::access(path_.c_str(), R_OK) != 0) {
                ::close(fd_);
                fd_ = -1;
            }
        }
        if (fd_ < 0) {
            std::error_code ec;
            fs::path dir = fs::temp_directory_path(ec);
            if (ec) dir = "/tmp";
            std::string name = (dir / "dconv-font-XXXXXX").string();
            fd_ = ::mkstemp(name.data());
            if (fd_ < 0)
                throw Error(ErrorKind::io, name, 0,
                            std::string("cannot create a temporary font file: ") + std::strerror(errno));
            path_ = name;
            unlink_ = true;
        }
        const char* data = bytes.data();
        std::size_t left = bytes.size();
        while (left > 0) {
            ssize_t n = ::write(fd_, data, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                std::string reason = std::strerror(errno);
                release();
                throw Error(ErrorKind::io, path_, 0, "cannot write a temporary font file: " + reason);
            }
            data += n;
            left -= static_cast<std::size_t>(n);
        }
    }
    ~FontFile() { release(); }
    FontFile(const FontFile&) = delete;
    FontFile& operator=(const FontFile&) = delete;

    const std::string& path() const { return path_; }

private:
    void release() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        if (unlink_) ::unlink(path_.c_str());
        unlink_ = false;
    }
    int fd_ = -1;
    std::string path_;
    bool unlink_ = false;
};

HPDF_STATUS write_flate_filter(HPDF_Dict, HPDF_Stream stream) {
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

}  // namespace

HpdfDocument::HpdfDocument() {
    doc_ = HPDF_New(&HpdfDocument::on_error, &error_);
    if (!doc_) throw Error(ErrorKind::internal, "", 0, "libharu cannot create a document (out of memory)");
    check(HPDF_UseUTFEncodings(doc_), "HPDF_UseUTFEncodings");
    check(HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL), "HPDF_SetCompressionMode");
}

HpdfDocument::~HpdfDocument() {
    if (doc_) HPDF_Free(doc_);
}

void HpdfDocument::on_error(HPDF_STATUS code, HPDF_STATUS detail, void* record) {
    auto* error = static_cast<ErrorRecord*>(record);
    if (error->code == HPDF_OK) *error = {code, detail};  // the first is the cause
}

void HpdfDocument::fail(const char* what, HPDF_STATUS status) {
    HPDF_STATUS code = error_.code != HPDF_OK ? error_.code : status;
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%04lX", static_cast<unsigned long>(code));
    std::string message = std::string("libharu: ") + what + " failed: error " + hex;
    if (const char* text = describe(code)) message += std::string(" (") + text + ")";
    if (error_.detail) message += ", detail " + std::to_string(error_.detail);
    throw Error(ErrorKind::internal, "", 0, message);
}

HpdfDocument::Font HpdfDocument::load_font(const std::string& font_file, const std::vector<char16_t>& characters) {
    const char* name;
    {
        FontFile file(font_file);
        name = check(HPDF_LoadTTFontFromFile(doc_, file.path().c_str(), HPDF_TRUE), "HPDF_LoadTTFontFromFile");
    }
    HPDF_Font font = check(HPDF_GetFont(doc_, name, "UTF-8"), "HPDF_GetFont");

    auto* attr = static_cast<HPDF_FontAttr>(font->attr);
    auto* definition = static_cast<HPDF_TTFontDefAttr>(attr->fontdef->attr);
    if (definition->glyph_tbl.flgs) std::memset(definition->glyph_tbl.flgs, 1, definition->num_glyphs);

    HPDF_Dict cmap = attr->cmap_stream;
    if (cmap && cmap->stream) {
        HPDF_MemStream_FreeData(cmap->stream);  // empties the stream
        std::string text = to_unicode_cmap(characters);
        check(HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                                static_cast<HPDF_UINT>(text.size())),
              "writing a ToUnicode CMap");
    }
    Font loaded{font, std::vector<std::int16_t>(0x10000, 0)};
    // libharu writes a CIDToGIDMap of all 65,536 codes (128 KB to deflate for every font
    // of every document, most of a small document's time). Codes past the map's end
    // draw glyph 0 (PDF 32000-1, 9.7.4.2), so a map up to the last code drawn says the
    // same in a few bytes.
    std::vector<HPDF_BYTE> map(characters.empty() ? 2 : 2 * (std::size_t(characters.back()) + 1), 0);
    for (char16_t c : characters) {
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(attr->fontdef, c);
        loaded.widths[c] = HPDF_TTFontDef_GetGidWidth(attr->fontdef, gid);
        map[2 * std::size_t(c)] = static_cast<HPDF_BYTE>(gid >> 8);
        map[2 * std::size_t(c) + 1] = static_cast<HPDF_BYTE>(gid & 0xFF);
    }
    if (attr->map_stream && attr->map_stream->stream) {
        HPDF_MemStream_FreeData(attr->map_stream->stream);
        check(HPDF_Stream_Write(attr->map_stream->stream, map.data(), static_cast<HPDF_UINT>(map.size())),
              "writing a CIDToGIDMap");
    }
    embed_font_file(attr, font_file);
    return loaded;
}

std::string HpdfDocument::font_resource(HPDF_Page page, HPDF_Font font) {
    return check(HPDF_Page_GetLocalFontName(page, font), "HPDF_Page_GetLocalFontName");
}

// The font's descriptor with the font file in it, made here rather than by libharu when
// it saves: libharu would rebuild the file table by table (and deflate it at level 6)
// for what HarfBuzz has already made, the exact bytes it loaded. libharu skips making a
// descriptor for a font definition that has one.
void HpdfDocument::embed_font_file(HPDF_FontAttr attr, const std::string& font_file) {
    HPDF_FontDef definition = attr->fontdef;
    auto* tt = static_cast<HPDF_TTFontDefAttr>(definition->attr);
    if (definition->descriptor) return;  // already embedded (one definition, two fonts)
    HPDF_Dict data = check(HPDF_DictStream_New(doc_->mmgr, attr->xref), "HPDF_DictStream_New");
    uLongf length = compressBound(static_cast<uLong>(font_file.size()));
    compressed_.resize(length);
    if (compress2(reinterpret_cast<Bytef*>(compressed_.data()), &length,
                  reinterpret_cast<const Bytef*>(font_file.data()), static_cast<uLong>(font_file.size()),
                  kContentDeflateLevel) != Z_OK)
        throw Error(ErrorKind::internal, "", 0, "zlib cannot compress a font");
    check(HPDF_Stream_Write(data->stream, reinterpret_cast<const HPDF_BYTE*>(compressed_.data()),
                            static_cast<HPDF_UINT>(length)),
          "writing a font file");
    data->filter = HPDF_STREAM_FILTER_NONE;
    data->write_fn = &write_flate_filter;
    HPDF_STATUS status = HPDF_Dict_AddNumber(data, "Length1", static_cast<HPDF_INT32>(font_file.size()));

    HPDF_Dict descriptor = check(HPDF_Dict_New(doc_->mmgr), "HPDF_Dict_New");
    status += HPDF_Xref_Add(attr->xref, descriptor);
    status += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
    status += HPDF_Dict_AddNumber(descriptor, "Ascent", definition->ascent);
    status += HPDF_Dict_AddNumber(descriptor, "Descent", definition->descent);
    status += HPDF_Dict_AddNumber(descriptor, "Flags", static_cast<HPDF_INT32>(definition->flags));
    status += HPDF_Dict_Add(descriptor, "FontBBox", HPDF_Box_Array_New(doc_->mmgr, definition->font_bbox));
    status += HPDF_Dict_AddName(descriptor, "FontName", tt->base_font);
    status += HPDF_Dict_AddNumber(descriptor, "ItalicAngle", definition->italic_angle);
    status += HPDF_Dict_AddNumber(descriptor, "StemV", static_cast<HPDF_INT32>(definition->stemv));
    status += HPDF_Dict_AddNumber(descriptor, "XHeight", definition->x_height);
    status += HPDF_Dict_Add(descriptor, "FontFile2", data);
    check(status, "making a font descriptor");
    definition->descriptor = descriptor;
}

void HpdfDocument::set_content(HPDF_Page page, const std::string& operators) {
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    HPDF_Dict contents = attr->contents;
    if (!contents || contents->stream != attr->stream || contents->write_fn)
        throw Error(ErrorKind::internal, "", 0, "libharu: a page's content stream is not as expected");
    uLongf length = compressBound(static_cast<uLong>(operators.size()));
    compressed_.resize(length);
    if (compress2(reinterpret_cast<Bytef*>(compressed_.data()), &length,
                  reinterpret_cast<const Bytef*>(operators.data()), static_cast<uLong>(operators.size()),
                  kContentDeflateLevel) != Z_OK)
        throw Error(ErrorKind::internal, "", 0, "zlib cannot compress a page's content");
    check(HPDF_Stream_Write(attr->stream, reinterpret_cast<const HPDF_BYTE*>(compressed_.data()),
                            static_cast<HPDF_UINT>(length)),
          "writing page content");
    // Written as is, declared FlateDecode: libharu would deflate it again at its fixed
    // level otherwise, and removes a /Filter entry from a stream it does not filter, so
    // the entry is written by the dictionary's write hook.
    contents->filter = HPDF_STREAM_FILTER_NONE;
    contents->write_fn = &write_flate_filter;
}

HPDF_Destination HpdfDocument::view_at(HPDF_Page page, float top) {
    HPDF_Destination destination = check(HPDF_Page_CreateDestination(page), "HPDF_Page_CreateDestination");
    HPDF_Array_Clear(destination);  // was [page /Fit]
    HPDF_STATUS status = HPDF_Array_Add(destination, page);
    status += HPDF_Array_AddName(destination, "XYZ");
    status += HPDF_Array_AddReal(destination, 0);
    status += HPDF_Array_AddReal(destination, top);
    status += HPDF_Array_Add(destination, HPDF_Null_New(doc_->mmgr));
    check(status, "building an /XYZ destination");
    return destination;
}

void HpdfDocument::set_language(const std::string& language) {
    if (language.empty()) return;
    HPDF_String value = check(HPDF_String_New(doc_->mmgr, language.c_str(), nullptr), "HPDF_String_New");
    check(HPDF_Dict_Add(doc_->catalog, "Lang", value), "adding the catalog's /Lang");
    if (doc_->pdf_version < HPDF_VER_14) doc_->pdf_version = HPDF_VER_14;
}

std::string HpdfDocument::save() {
    check(HPDF_SaveToStream(doc_), "HPDF_SaveToStream");
    HPDF_UINT32 size = HPDF_GetStreamSize(doc_);
    std::string out(size, '\0');
    HPDF_UINT32 read = size;
    HPDF_STATUS status = HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(out.data()), &read);
    // Reading to the end reports HPDF_STREAM_EOF, through the error handler too.
    if (status == HPDF_STREAM_EOF && read == size) {
        HPDF_ResetError(doc_);
        error_ = {};
        status = HPDF_OK;
    }
    check(status, "HPDF_ReadFromStream");
    if (read != size) throw Error(ErrorKind::internal, "", 0, "libharu: the saved document is shorter than announced");
    return out;
}

}  // namespace dconv::pdf
