// hpdf_document.cpp: HpdfDocument — libharu's error handler, font loading through a memory
// file, and the internals the public API does not reach (see the header).
#include "pdf/hpdf_document.hpp"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <libdeflate.h>
#include <sys/mman.h>
#include <hb-ot.h>
#include <hb.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "pdf/huge_page.hpp"

namespace dconv::pdf {

namespace {


// A CMap block (beginbfchar, beginbfrange) holds at most 100 entries (Adobe's CMap
// specification, technical note #5014).
constexpr std::size_t kCMapBlockLimit = 100;

// Streams are deflated with libdeflate: on 60 short articles, with the levels below, the
// run takes a fifth fewer instructions than with zlib at levels 4 and 2, for a PDF
// total as large. Its level for page content, most of a long document's bytes: level 1
// makes the 60 articles' PDFs 0.5 % larger and saves 5 % of the instructions.
constexpr int kContentDeflateLevel = 4;

// Page content is kept in blocks of this size (a page's is a few KB; a bigger one gets a
// block of its own): small enough that the blocks written are given back while the file
// is saved, large enough to be few.
constexpr std::size_t kContentBlockBytes = std::size_t(1) << 20;

// Its level for font files (glyph outlines), most of a short article's bytes, which
// deflate poorly at any level: level 4 makes the 60 articles' PDFs 2 % smaller than level
// 1 does, for 5 % more instructions.
constexpr int kFontDeflateLevel = 1;

// libdeflate's memory: a compressor's hash tables (some 90 pages for the two levels
// below, all written when it is set up) come from one huge page shared by the process
// (pdf/huge_page.hpp), handed out from its front and never reused; once it is used up
// (threads keep their compressors until they exit, a process that makes threads again
// and again makes more), from malloc as before, so memory stays bounded.
class DeflateMemory {
public:
    static void* allocate(std::size_t bytes) {
        DeflateMemory& memory = instance();
        constexpr std::size_t alignment = 64;
        std::size_t rounded = (bytes + alignment - 1) & ~(alignment - 1);
        if (memory.region_ && rounded >= bytes) {
            std::lock_guard lock(memory.mutex_);
            if (rounded <= huge_page_bytes - memory.used_) {
                void* block = memory.region_ + memory.used_;
                memory.used_ += rounded;
                return block;
            }
        }
        return std::malloc(bytes);
    }
    static void release(void* block) {
        const char* region = instance().region_;
        auto* at = static_cast<const char*>(block);
        if (region && at >= region && at < region + huge_page_bytes) return;
        std::free(block);
    }

private:
    static DeflateMemory& instance() {
        static DeflateMemory memory;  // (the region lives as long as the process)
        return memory;
    }
    DeflateMemory() : region_(static_cast<char*>(map_huge_page())) {}
    char* region_;
    std::size_t used_ = 0;
    std::mutex mutex_;
};

// libdeflate's compressors, one per level and thread, made on first use: a compressor's
// tables are too large to set up for every stream.
libdeflate_compressor* compressor(int level) {
    // (set before the first compressor exists, as libdeflate requires)
    static const bool memory_set =
        (libdeflate_set_memory_allocator(&DeflateMemory::allocate, &DeflateMemory::release), true);
    (void)memory_set;
    struct Compressors {
        std::array<libdeflate_compressor*, 13> by_level{};
        ~Compressors() {
            for (libdeflate_compressor* c : by_level) libdeflate_free_compressor(c);
        }
    };
    thread_local Compressors cache;
    libdeflate_compressor*& c = cache.by_level.at(static_cast<std::size_t>(level));
    if (!c) c = libdeflate_alloc_compressor(level);
    if (!c) throw Error(ErrorKind::limit, "", 0, "out of memory (a deflate compressor)");
    return c;
}

// `data` deflated at `level` in the zlib format (FlateDecode) into `out`, reusing its
// capacity; returns the compressed length.
std::size_t deflate_into(std::string& out, std::string_view data, int level, const char* what) {
    libdeflate_compressor* c = compressor(level);
    std::size_t bound = libdeflate_zlib_compress_bound(c, data.size());
    if (out.size() < bound) out.resize(bound);
    std::size_t length = libdeflate_zlib_compress(c, data.data(), data.size(), out.data(), out.size());
    if (length == 0) throw Error(ErrorKind::internal, "", 0, std::string("cannot compress ") + what);
    return length;
}

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

void append_hex_digits(std::string& out, unsigned value) {
    static const char digits[] = "0123456789ABCDEF";
    for (int shift = 12; shift >= 0; shift -= 4) out += digits[(value >> shift) & 15];
}

void append_hex4(std::string& out, unsigned value) {
    out += '<';
    append_hex_digits(out, value);
    out += '>';
}

// A ToUnicode CMap from glyph ids (the codes, two bytes) to their text, as bfchars.
std::string to_unicode_cmap(const std::vector<HpdfDocument::FontGlyph>& glyphs) {
    std::vector<const HpdfDocument::FontGlyph*> mapped;
    for (const auto& glyph : glyphs)
        if (!glyph.text.empty()) mapped.push_back(&glyph);
    std::string out =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    for (std::size_t i = 0; i < mapped.size(); i += kCMapBlockLimit) {
        std::size_t end = std::min(mapped.size(), i + kCMapBlockLimit);
        out += std::to_string(end - i) + " beginbfchar\n";
        for (std::size_t k = i; k < end; ++k) {
            append_hex4(out, mapped[k]->cid);
            out += " <";
            for (char16_t unit : mapped[k]->text) append_hex_digits(out, unit);
            out += ">\n";
        }
        out += "endbfchar\n";
    }
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return out;
}

HPDF_STATUS write_flate_filter(HPDF_Dict, HPDF_Stream stream) {
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

// Once a stream is written into the file, its data is freed: the file and libharu's
// copy of the streams are never held whole at once (save() is called once).
HPDF_STATUS free_written_data(HPDF_Dict dict) {
    if (dict->stream && dict->stream->type == HPDF_STREAM_MEMORY) HPDF_MemStream_FreeData(dict->stream);
    return HPDF_OK;
}

}  // namespace

HpdfDocument::HpdfDocument() {
    doc_ = HPDF_New(&HpdfDocument::on_error, &error_);
    if (!doc_) throw Error(ErrorKind::internal, "", 0, "libharu cannot create a document (out of memory)");
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

namespace {

// The big-endian integer at `at` of a font table, 0 past its end.
int read16(std::string_view table, std::size_t at, bool is_signed = true) {
    if (at + 2 > table.size()) return 0;
    unsigned value = (static_cast<unsigned char>(table[at]) << 8) | static_cast<unsigned char>(table[at + 1]);
    return is_signed ? static_cast<std::int16_t>(value) : static_cast<int>(value);
}

std::string_view table_of(hb_face_t* face, hb_tag_t tag, hb_blob_t*& blob) {
    blob = hb_face_reference_table(face, tag);
    unsigned length = 0;
    const char* data = hb_blob_get_data(blob, &length);
    return {data ? data : "", data ? length : 0};
}

// A subset tag: six capitals from a hash of the name and glyphs, so that two subsets
// of one font in two files differ and the same subset is always named alike.
std::string subset_tag(std::string_view name, const std::vector<HpdfDocument::FontGlyph>& glyphs) {
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
    auto mix = [&hash](unsigned byte) { hash = (hash ^ byte) * 1099511628211ull; };
    for (char c : name) mix(static_cast<unsigned char>(c));
    for (const auto& glyph : glyphs) {
        mix(glyph.cid & 0xFF), mix((glyph.cid >> 8) & 0xFF);
        for (char16_t c : glyph.text) mix(c & 0xFF), mix(c >> 8);
    }
    std::string tag;
    for (int i = 0; i < 6; ++i, hash /= 26) tag += static_cast<char>('A' + hash % 26);
    return tag;
}

}  // namespace

HPDF_Font HpdfDocument::new_font() {
    HPDF_Dict type0 = check(HPDF_Dict_New(doc_->mmgr), "HPDF_Dict_New");
    check(HPDF_Xref_Add(doc_->xref, type0), "HPDF_Xref_Add");
    type0->header.obj_class |= HPDF_OSUBCLASS_FONT;
    return type0;
}

// The font's dictionaries made here from the HarfBuzz subset rather than by libharu's
// HPDF_LoadTTFontFromFile and HPDF_GetFont, which set every font up over all 65,536
// UTF-16 codes (about 8 million instructions a font: most of a small page's time):
//   Type0 /Identity-H → CIDFontType2 (CID = the glyph's id in the whole font, /W,
//   /CIDToGIDMap to the subset's ids) → FontDescriptor → FontFile2 (the subset,
//   deflated), and a /ToUnicode CMap.
void HpdfDocument::finish_font(HPDF_Font type0, const std::string& font_file, const std::vector<FontGlyph>& glyphs) {
    hb_blob_t* file_blob = hb_blob_create(font_file.data(), static_cast<unsigned>(font_file.size()),
                                          HB_MEMORY_MODE_READONLY, nullptr, nullptr);
    hb_face_t* face = hb_face_create(file_blob, 0);
    hb_blob_destroy(file_blob);
    hb_font_t* hb = hb_font_create(face);
    const unsigned upem = std::max(1u, hb_face_get_upem(face));
    hb_font_set_scale(hb, static_cast<int>(upem), static_cast<int>(upem));
    auto per_mille = [upem](long value) { return static_cast<int>(value * 1000 / static_cast<long>(upem)); };

    char name_buffer[128];
    unsigned name_length = sizeof name_buffer;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &name_length, name_buffer);
    std::string name;
    for (unsigned i = 0; i < name_length && name_buffer[i]; ++i)
        if (name_buffer[i] > ' ' && name_buffer[i] < 0x7F && !std::strchr("()<>[]{}/%#", name_buffer[i]))
            name += name_buffer[i];
    if (name.empty()) name = "Font";
    const std::string base_font = subset_tag(name, glyphs) + "+" + name;

    hb_blob_t* head_blob = nullptr;
    hb_blob_t* post_blob = nullptr;
    std::string_view head = table_of(face, HB_TAG('h', 'e', 'a', 'd'), head_blob);
    std::string_view post = table_of(face, HB_TAG('p', 'o', 's', 't'), post_blob);
    hb_position_t ascender = 0, descender = 0, cap_height = 0, x_height = 0;
    hb_ot_metrics_get_position(hb, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &ascender);
    hb_ot_metrics_get_position(hb, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &descender);
    hb_ot_metrics_get_position(hb, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap_height);
    hb_ot_metrics_get_position(hb, HB_OT_METRICS_TAG_X_HEIGHT, &x_height);
    const int italic_angle = read16(post, 4);           // the integer part of a 16.16 Fixed
    const bool fixed_pitch = read16(post, 12, false) || read16(post, 14, false);
    const int flags = 32 /* nonsymbolic */ | (fixed_pitch ? 1 : 0) | (italic_angle != 0 ? 64 : 0);

    // The widths the page content placed the glyphs with, by runs of consecutive CIDs:
    // c [w w ...].
    HPDF_Array widths = check(HPDF_Array_New(doc_->mmgr), "HPDF_Array_New");
    HPDF_STATUS status = HPDF_OK;
    HPDF_Array run = nullptr;
    long previous = -2;
    bool identity = true;
    for (const FontGlyph& glyph : glyphs) {
        if (static_cast<long>(glyph.cid) != previous + 1 || !run) {
            status += HPDF_Array_AddNumber(widths, static_cast<HPDF_INT32>(glyph.cid));
            run = HPDF_Array_New(doc_->mmgr);
            status += HPDF_Array_Add(widths, run);
        }
        status += HPDF_Array_AddNumber(run, glyph.width);
        previous = glyph.cid;
        identity = identity && glyph.cid == glyph.gid;
    }

    HPDF_Xref xref = doc_->xref;
    HPDF_Dict cid_font = check(HPDF_Dict_New(doc_->mmgr), "HPDF_Dict_New");
    status += HPDF_Xref_Add(xref, cid_font);
    HPDF_Dict descriptor = check(HPDF_Dict_New(doc_->mmgr), "HPDF_Dict_New");
    status += HPDF_Xref_Add(xref, descriptor);
    HPDF_Dict file = check(HPDF_DictStream_New(doc_->mmgr, xref), "HPDF_DictStream_New");
    HPDF_Dict to_unicode = check(HPDF_DictStream_New(doc_->mmgr, xref), "HPDF_DictStream_New");
    HPDF_Dict cid_to_gid = identity ? nullptr : check(HPDF_DictStream_New(doc_->mmgr, xref), "HPDF_DictStream_New");

    status += HPDF_Dict_AddName(type0, "Type", "Font");
    status += HPDF_Dict_AddName(type0, "Subtype", "Type0");
    status += HPDF_Dict_AddName(type0, "BaseFont", base_font.c_str());
    status += HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    HPDF_Array descendants = HPDF_Array_New(doc_->mmgr);
    status += HPDF_Array_Add(descendants, cid_font);
    status += HPDF_Dict_Add(type0, "DescendantFonts", descendants);
    status += HPDF_Dict_Add(type0, "ToUnicode", to_unicode);

    status += HPDF_Dict_AddName(cid_font, "Type", "Font");
    status += HPDF_Dict_AddName(cid_font, "Subtype", "CIDFontType2");
    status += HPDF_Dict_AddName(cid_font, "BaseFont", base_font.c_str());
    HPDF_Dict system_info = HPDF_Dict_New(doc_->mmgr);
    status += HPDF_Dict_Add(system_info, "Registry", HPDF_String_New(doc_->mmgr, "Adobe", nullptr));
    status += HPDF_Dict_Add(system_info, "Ordering", HPDF_String_New(doc_->mmgr, "Identity", nullptr));
    status += HPDF_Dict_AddNumber(system_info, "Supplement", 0);
    status += HPDF_Dict_Add(cid_font, "CIDSystemInfo", system_info);
    status += HPDF_Dict_Add(cid_font, "FontDescriptor", descriptor);
    status += HPDF_Dict_AddNumber(cid_font, "DW", 1000);
    status += HPDF_Dict_Add(cid_font, "W", widths);
    if (identity) status += HPDF_Dict_AddName(cid_font, "CIDToGIDMap", "Identity");
    else status += HPDF_Dict_Add(cid_font, "CIDToGIDMap", cid_to_gid);

    status += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
    status += HPDF_Dict_AddName(descriptor, "FontName", base_font.c_str());
    status += HPDF_Dict_AddNumber(descriptor, "Flags", flags);
    HPDF_Box box{static_cast<HPDF_REAL>(per_mille(read16(head, 36))), static_cast<HPDF_REAL>(per_mille(read16(head, 38))),
                 static_cast<HPDF_REAL>(per_mille(read16(head, 40))), static_cast<HPDF_REAL>(per_mille(read16(head, 42)))};
    status += HPDF_Dict_Add(descriptor, "FontBBox", HPDF_Box_Array_New(doc_->mmgr, box));
    status += HPDF_Dict_AddNumber(descriptor, "ItalicAngle", italic_angle);
    status += HPDF_Dict_AddNumber(descriptor, "Ascent", per_mille(ascender));
    status += HPDF_Dict_AddNumber(descriptor, "Descent", per_mille(descender));
    status += HPDF_Dict_AddNumber(descriptor, "CapHeight", per_mille(cap_height ? cap_height : ascender));
    status += HPDF_Dict_AddNumber(descriptor, "XHeight", per_mille(x_height));
    status += HPDF_Dict_AddNumber(descriptor, "StemV", 80);  // not in TrueType; a common default
    status += HPDF_Dict_Add(descriptor, "FontFile2", file);
    status += HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(font_file.size()));
    check(status, "making a font's dictionaries");

    write_deflated(file, font_file, kFontDeflateLevel, "a font file");
    write_deflated(to_unicode, to_unicode_cmap(glyphs), kContentDeflateLevel, "a ToUnicode CMap");
    if (cid_to_gid) {
        // Two bytes per CID up to the last, big-endian; CIDs not drawn map to .notdef.
        std::string map(2 * (static_cast<std::size_t>(glyphs.back().cid) + 1), '\0');
        for (const FontGlyph& glyph : glyphs) {
            map[2 * glyph.cid] = static_cast<char>(glyph.gid >> 8);
            map[2 * glyph.cid + 1] = static_cast<char>(glyph.gid & 0xFF);
        }
        write_deflated(cid_to_gid, map, kContentDeflateLevel, "a CIDToGIDMap");
    }

    hb_blob_destroy(head_blob);
    hb_blob_destroy(post_blob);
    hb_font_destroy(hb);
    hb_face_destroy(face);
}

// `data` deflated at `level` into `stream`, declared FlateDecode (libharu would deflate
// it again at its own level otherwise).
void HpdfDocument::write_deflated(HPDF_Dict stream, std::string_view data, int level, const char* what) {
    std::size_t length = deflate_into(compressed_, data, level, what);
    stream_bytes_ += length;
    check(HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(compressed_.data()),
                            static_cast<HPDF_UINT>(length)),
          what);
    stream->filter = HPDF_STREAM_FILTER_NONE;
    stream->write_fn = &write_flate_filter;
    stream->after_write_fn = &free_written_data;
}

std::string HpdfDocument::font_resource(HPDF_Page page, HPDF_Font font) {
    return check(HPDF_Page_GetLocalFontName(page, font), "HPDF_Page_GetLocalFontName");
}

HPDF_Image HpdfDocument::load_image(std::string_view bytes, bool jpeg) {
    if (error_.code != HPDF_OK) fail("loading an image", HPDF_OK);
    const auto* data = reinterpret_cast<const HPDF_BYTE*>(bytes.data());
    auto size = static_cast<HPDF_UINT>(bytes.size());
    HPDF_Image image = jpeg ? HPDF_LoadJpegImageFromMem(doc_, data, size) : HPDF_LoadPngImageFromMem(doc_, data, size);
    if (!image || error_.code != HPDF_OK) {
        // A broken image is the input's fault, not dconv's: forget the error (it sticks
        // to the document otherwise) and let the caller leave the image out.
        HPDF_ResetError(doc_);
        error_ = {};
        return nullptr;
    }
    // libharu writes a PNG's alpha (its soft mask) uncompressed.
    if (auto* mask = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(image, "SMask", HPDF_OCLASS_DICT))) {
        mask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    } else {
        HPDF_ResetError(doc_);  // a missing key is an "error" to libharu
        error_ = {};
    }
    return image;
}

std::string HpdfDocument::image_resource(HPDF_Page page, HPDF_Image image) {
    return check(HPDF_Page_GetXObjectName(page, image), "HPDF_Page_GetXObjectName");
}

// ------------------------------------------------------------------------ page content

HpdfDocument::ContentStore::~ContentStore() {
    for (Block& block : blocks_)
        if (block.data) ::munmap(block.data, block.capacity);
}

HpdfDocument::ContentStore::Slice& HpdfDocument::ContentStore::add(std::string_view bytes) {
    if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < bytes.size()) {
        const std::size_t page = 4096;
        std::size_t capacity = std::max(kContentBlockBytes, (bytes.size() + page - 1) / page * page);
        void* data = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (data == MAP_FAILED) throw Error(ErrorKind::limit, "", 0, "out of memory (PDF page content)");
        blocks_.push_back({static_cast<char*>(data), capacity, 0, 0});
    }
    Block& block = blocks_.back();
    std::memcpy(block.data + block.used, bytes.data(), bytes.size());
    slices_.push_back({this, blocks_.size() - 1, block.used, bytes.size(), 0});
    block.used += bytes.size();
    return slices_.back();
}

void HpdfDocument::ContentStore::written(const Slice& slice) {
    Block& block = blocks_[slice.block];
    block.written += slice.size;
    // Every page in the block is in the file: no page is written twice, nor added after
    // save() starts.
    if (block.written == block.used && block.data) {
        ::munmap(block.data, block.capacity);
        block.data = nullptr;
    }
}

namespace {

using Slice = HpdfDocument::ContentStore::Slice;

Slice& slice_of(HPDF_Stream stream) { return *static_cast<Slice*>(stream->attr); }

HPDF_STATUS read_slice(HPDF_Stream stream, HPDF_BYTE* out, HPDF_UINT* size) {
    Slice& slice = slice_of(stream);
    std::size_t n = std::min<std::size_t>(*size, slice.size - slice.read);
    std::memcpy(out, slice.store->data(slice) + slice.read, n);
    slice.read += n;
    *size = static_cast<HPDF_UINT>(n);
    return slice.read == slice.size ? HPDF_STREAM_EOF : HPDF_OK;
}

HPDF_STATUS seek_slice(HPDF_Stream stream, HPDF_INT position, HPDF_WhenceMode mode) {
    Slice& slice = slice_of(stream);
    long to = mode == HPDF_SEEK_SET   ? position
              : mode == HPDF_SEEK_CUR ? static_cast<long>(slice.read) + position
                                      : static_cast<long>(slice.size) - position;
    if (to < 0 || static_cast<std::size_t>(to) > slice.size) return HPDF_STREAM_EOF;
    slice.read = static_cast<std::size_t>(to);
    return HPDF_OK;
}

HPDF_INT32 tell_slice(HPDF_Stream stream) { return static_cast<HPDF_INT32>(slice_of(stream).read); }

HPDF_UINT32 size_of_slice(HPDF_Stream stream) { return static_cast<HPDF_UINT32>(slice_of(stream).size); }

// After a page's content is in the file, its block may be given back.
HPDF_STATUS release_slice(HPDF_Dict contents) {
    Slice& slice = slice_of(contents->stream);
    slice.store->written(slice);
    return HPDF_OK;
}

}  // namespace

void HpdfDocument::set_content(HPDF_Page page, const std::string& operators) {
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    HPDF_Dict contents = attr->contents;
    if (!contents || contents->stream != attr->stream || contents->write_fn ||
        HPDF_Stream_Size(contents->stream) != 0)
        throw Error(ErrorKind::internal, "", 0, "libharu: a page's content stream is not as expected");
    std::size_t length = deflate_into(compressed_, operators, kContentDeflateLevel, "a page's content");
    stream_bytes_ += length;
    Slice& slice = content_.add(std::string_view(compressed_.data(), length));
    // libharu reads the content through a callback stream over the slice.
    HPDF_Stream stream = check(HPDF_CallbackReader_New(doc_->mmgr, &read_slice, &seek_slice, &tell_slice,
                                                       &size_of_slice, &slice),
                               "HPDF_CallbackReader_New");
    HPDF_Stream_Free(contents->stream);
    contents->stream = attr->stream = stream;
    // Written as is, declared FlateDecode: libharu would deflate it again at its fixed
    // level otherwise, and removes a /Filter entry from a stream it does not filter, so
    // the entry is written by the dictionary's write hook.
    contents->filter = HPDF_STREAM_FILTER_NONE;
    contents->write_fn = &write_flate_filter;
    contents->after_write_fn = &release_slice;
}

HPDF_Page HpdfDocument::add_page() {
    HPDF_Page page = check(HPDF_AddPage(doc_), "HPDF_AddPage");
    check(HPDF_Dict_RemoveElement(page, "MediaBox"), "removing a page's /MediaBox");
    auto* resources = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT));
    if (!resources) fail("finding a page's resources", HPDF_OK);
    check(HPDF_Dict_RemoveElement(resources, "ProcSet"), "removing a page's /ProcSet");
    return page;
}

void HpdfDocument::set_page_size(float width, float height) {
    // What HPDF_Page_SetWidth and SetHeight accept.
    auto valid = [](float size) { return size >= HPDF_MIN_PAGE_SIZE && size <= HPDF_MAX_PAGE_SIZE; };
    if (!valid(width) || !valid(height)) fail("setting the page size", HPDF_PAGE_INVALID_SIZE);
    HPDF_Box box{0, 0, width, height};
    check(HPDF_Dict_Add(doc_->root_pages, "MediaBox", HPDF_Box_Array_New(doc_->mmgr, box)), "setting the page size");
}

void HpdfDocument::group_pages(unsigned per_node) {
    HPDF_Pages root = doc_->root_pages;
    auto kids = static_cast<HPDF_Array>(HPDF_Dict_GetItem(root, "Kids", HPDF_OCLASS_ARRAY));
    if (!kids || per_node == 0) throw Error(ErrorKind::internal, "", 0, "libharu: the page tree has no kids");
    std::vector<HPDF_Dict> pages;
    for (HPDF_UINT i = 0; i < HPDF_Array_Items(kids); ++i)
        pages.push_back(check(static_cast<HPDF_Dict>(HPDF_Array_GetItem(kids, i, HPDF_OCLASS_DICT)), "HPDF_Array_GetItem"));
    HPDF_Array_Clear(kids);
    HPDF_Pages node = nullptr;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        if (i % per_node == 0) node = check(HPDF_Pages_New(doc_->mmgr, root, doc_->xref), "HPDF_Pages_New");
        check(HPDF_Dict_RemoveElement(pages[i], "Parent"), "HPDF_Dict_RemoveElement");
        check(HPDF_Pages_AddKids(node, pages[i]), "HPDF_Pages_AddKids");
    }
}

namespace {

// The object number of an indirect object, for a reference "N 0 R" (libharu keeps flags
// in the number's top byte; every object it makes is of generation 0).
HPDF_UINT object_number(HPDF_Dict object) { return object->header.obj_id & 0x00FFFFFF; }

// A link annotation's entries, as libharu's HPDF_Page_CreateURILinkAnnot (or
// CreateLinkAnnot) and HPDF_LinkAnnot_SetBorderStyle(0, 0, 0) would write them; an
// internal link's destination inline.
HPDF_STATUS write_link(HPDF_Dict annotation, HPDF_Stream stream) {
    const auto& link = *static_cast<const HpdfDocument::LinkRecord*>(annotation->attr);
    HPDF_STATUS status = HPDF_Stream_WriteStr(stream, "/Rect [ ");
    for (HPDF_REAL value : {link.rect.left, link.rect.bottom, link.rect.right, link.rect.top}) {
        status += HPDF_Stream_WriteReal(stream, value);
        status += HPDF_Stream_WriteStr(stream, " ");
    }
    status += HPDF_Stream_WriteStr(stream, "]\012/Type /Annot\012/Subtype /Link\012");
    if (!link.uri.empty()) {
        status += HPDF_Stream_WriteStr(stream, "/A <<\012/Type /Action\012/S /URI\012/URI ");
        status += HPDF_Stream_WriteEscapeText2(stream, link.uri.data(), static_cast<HPDF_UINT>(link.uri.size()));
        status += HPDF_Stream_WriteStr(stream, "\012>>\012");
    } else {
        status += HPDF_Stream_WriteStr(stream, "/Dest [ ");
        status += HPDF_Stream_WriteUInt(stream, object_number(link.destination));
        status += HPDF_Stream_WriteStr(stream, " 0 R /XYZ 0 ");
        status += HPDF_Stream_WriteReal(stream, link.top);
        status += HPDF_Stream_WriteStr(stream, " null ]\012");
    }
    status += HPDF_Stream_WriteStr(stream, "/P ");
    status += HPDF_Stream_WriteUInt(stream, object_number(link.page));
    status += HPDF_Stream_WriteStr(stream, " 0 R\012/Border [ 0 0 0 ]\012");
    return status;
}

}  // namespace

void HpdfDocument::add_link(HPDF_Page page, const HPDF_Rect& rect, std::string uri, HPDF_Page destination, float top) {
    if (uri.empty() && !destination) throw Error(ErrorKind::internal, "", 0, "PDF: a link goes nowhere");
    HPDF_Dict annotation = check(HPDF_Dict_New(doc_->mmgr), "HPDF_Dict_New");
    check(HPDF_Xref_Add(doc_->xref, annotation), "HPDF_Xref_Add");
    links_.push_back({rect, std::move(uri), page, destination, top});
    annotation->attr = &links_.back();
    annotation->write_fn = &write_link;
    auto annots = static_cast<HPDF_Array>(HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY));
    if (!annots) {
        annots = check(HPDF_Array_New(doc_->mmgr), "HPDF_Array_New");
        check(HPDF_Dict_Add(page, "Annots", annots), "adding a page's /Annots");
    }
    check(HPDF_Array_Add(annots, annotation), "adding a link to a page");
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

HPDF_Binary HpdfDocument::text_string(std::string_view utf8) {
    std::string bytes = "\xFE\xFF";
    auto unit = [&](char32_t u) {
        bytes += static_cast<char>(u >> 8);
        bytes += static_cast<char>(u & 0xFF);
    };
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t c = text::next(utf8, i);
        if (c >= 0x10000) {  // a surrogate pair
            c -= 0x10000;
            unit(0xD800 + (c >> 10));
            unit(0xDC00 + (c & 0x3FF));
        } else {
            unit(c);
        }
    }
    return check(HPDF_Binary_New(doc_->mmgr, reinterpret_cast<HPDF_BYTE*>(bytes.data()),
                                 static_cast<HPDF_UINT>(bytes.size())),
                 "HPDF_Binary_New");
}

void HpdfDocument::set_outline_title(HPDF_Outline outline, std::string_view utf8) {
    check(HPDF_Dict_Add(outline, "Title", text_string(utf8)), "setting a bookmark's title");
}

void HpdfDocument::set_info(const char* key, std::string_view utf8) {
    // libharu makes the information dictionary (and the trailer's /Info) on the first
    // entry set through it; the entry is then replaced by the text string.
    if (!doc_->info) {
        check(HPDF_SetInfoAttr(doc_, HPDF_INFO_PRODUCER, ""), "HPDF_SetInfoAttr");
        check(HPDF_Dict_RemoveElement(doc_->info, "Producer"), "HPDF_Dict_RemoveElement");
    }
    check(HPDF_Dict_Add(doc_->info, key, text_string(utf8)), "setting document information");
}

namespace {

HPDF_STATUS append_to_string(HPDF_Stream stream, const HPDF_BYTE* data, HPDF_UINT size) {
    static_cast<std::string*>(stream->attr)->append(reinterpret_cast<const char*>(data), size);
    return HPDF_OK;
}

}  // namespace

// What HPDF_SaveToStream does (libharu 2.3's InternalSaveToStream: the header, the
// trailer's /Root and /Info, then every object and the cross-reference table), written
// through a callback into the string instead of into a memory stream of libharu's.
std::string HpdfDocument::save(std::size_t expected_size) {
    static constexpr const char* kHeaders[] = {"%PDF-1.2", "%PDF-1.3", "%PDF-1.4", "%PDF-1.5", "%PDF-1.6", "%PDF-1.7"};
    const auto version = static_cast<std::size_t>(doc_->pdf_version);
    if (version >= std::size(kHeaders)) throw Error(ErrorKind::internal, "", 0, "libharu: unknown PDF version");
    std::string out;
    out.reserve(expected_size);
    HPDF_Stream stream = check(HPDF_CallbackWriter_New(doc_->mmgr, &append_to_string, &out), "HPDF_CallbackWriter_New");
    HPDF_STATUS status = HPDF_Stream_WriteStr(stream, kHeaders[version]);
    status += HPDF_Stream_WriteStr(stream, "\012%\267\276\255\252\012");  // binary bytes: not a text file
    status += HPDF_Dict_Add(doc_->trailer, "Root", doc_->catalog);
    status += HPDF_Dict_Add(doc_->trailer, "Info", doc_->info);
    if (status == HPDF_OK) status = HPDF_Xref_WriteToStream(doc_->xref, stream, nullptr);
    HPDF_Stream_Free(stream);
    check(status, "saving the document");
    return out;
}

}  // namespace dconv::pdf
