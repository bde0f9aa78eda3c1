// hpdf_document.hpp: one libharu document with its error handling wrapped, and the few
// things the renderer needs that libharu 2.3's public API lacks.
//
// libharu reports an error by calling a C handler and returning a status (or a null
// handle); the error then sticks to the document. The handler here only records the
// first error (throwing through C frames is undefined behaviour); check() turns a failed
// call into dconv::Error(internal) naming the call and libharu's code. Nothing of
// libharu's error style leaves this file pair and render.cpp.
//
// Beyond the public API (libharu installs its internal headers, and the library exports
// their functions; the version is pinned by the -dev package these headers come from):
//   - page content is written as ready-made operators, because libharu's text calls
//     cost ~0.7 µs a run (byte-by-byte memset and float formatting inside) and
//     the renderer draws millions of runs; and it is deflated here, at a faster level
//     than libharu's fixed one (see kContentDeflateLevel);
//   - fonts are made here as Type0/CIDFontType2 dictionaries drawing glyph ids (libharu
//     2.3 draws characters only, through its encoders), with a ToUnicode CMap from glyphs
//     to text, made after the pages that use them (a page is drawn as soon as it is set);
//   - the file is saved into one string (libharu saves into a stream of its own, which
//     would hold a second copy);
//   - the catalog's /Lang has no setter, and destinations cannot keep the zoom.
#pragma once

#include <hpdf.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace dconv::pdf {

class HpdfDocument {
public:
    // A new document with UTF-8 encoders enabled and every stream compressed.
    HpdfDocument();
    ~HpdfDocument();
    HpdfDocument(const HpdfDocument&) = delete;
    HpdfDocument& operator=(const HpdfDocument&) = delete;

    HPDF_Doc get() const { return doc_; }

    // After a libharu call: throws dconv::Error(internal) when it failed. `what` names
    // the call for the message.
    void check(HPDF_STATUS status, const char* what) {
        if (status != HPDF_OK || error_.code != HPDF_OK) fail(what, status);
    }
    template <class Handle>
    Handle check(Handle handle, const char* what) {
        if (!handle || error_.code != HPDF_OK) fail(what, HPDF_OK);
        return handle;
    }

    // A glyph a document draws with a font. Its code in the page content (its CID) is
    // its index in the whole font file, so that a page can be drawn before the document
    // is finished and the subset made; `gid` is its index in the subset file (the
    // /CIDToGIDMap maps the one to the other). `width` is its advance in thousandths of an
    // em, as the page content placed it and the /W array says it. `text` is what it stands
    // for in the ToUnicode CMap (UTF-16; several characters for a ligature; empty for a
    // glyph that is only part of a cluster, which the CMap leaves out).
    struct FontGlyph {
        std::uint32_t cid = 0;
        std::uint32_t gid = 0;
        std::int16_t width = 0;
        std::u16string text;
    };
    // A font for pages to use (its resource name through font_resource()) before it is
    // made: an empty Type0 dictionary, filled by finish_font() once every page that
    // draws with it is drawn.
    HPDF_Font new_font();
    // Makes `font` a TrueType font (the bytes of a subset, as fonts.cpp makes them)
    // drawing `glyphs` (sorted by CID, unique): a Type0 font with Identity-H encoding over
    // a CIDFontType2 font, its widths in /W, its /CIDToGIDMap (/Identity when every CID
    // is its GID), a ToUnicode CMap from each CID to its text, and the file embedded,
    // deflated, under a subset tag made from the glyphs (the same subset is always named
    // alike).
    void finish_font(HPDF_Font font, const std::string& font_file, const std::vector<FontGlyph>& glyphs);

    // The page resource name (e.g. "F1") under which `font` is used on `page`, adding it
    // to the page's resources the first time.
    std::string font_resource(HPDF_Page page, HPDF_Font font);

    // An image XObject from a JPEG (embedded as is, DCTDecode) or PNG file's bytes
    // (decoded by libharu, its alpha as a soft mask), or nullptr when libharu cannot read
    // it: the error is cleared, the document stays usable, and the caller draws nothing.
    HPDF_Image load_image(std::string_view bytes, bool jpeg);

    // The page resource name (e.g. "X1") under which `image` is drawn on `page`.
    std::string image_resource(HPDF_Page page, HPDF_Image image);

    // Sets `page`'s content stream (compressed here, once per page). Only the deflated
    // bytes stay, in blocks of memory of their own (ContentStore) that save() gives back
    // as it writes them: a long document's pages are drawn one by one and held,
    // compressed, until the file is written, and the file does not grow beside them.
    void set_content(HPDF_Page page, const std::string& operators);

    // A new page, last, of the size set_page_size() gave: libharu gives every page its
    // own /MediaBox and an obsolete /ProcSet array (a thousand bytes of objects a page
    // until the file is saved); the size is inherited from the page tree instead.
    HPDF_Page add_page();
    // The size of every page, in points, on the page tree's root.
    void set_page_size(float width, float height);

    // Regroups the pages (all kids of the page tree's root, in order) under nodes of
    // `per_node` pages each: libharu keeps a node's kids in one array of at most 32,767,
    // and HPDF_SetPagesConfiguration must be called before the first page, when a
    // document drawn page by page does not know its length yet.
    void group_pages(unsigned per_node);

    // A link annotation on `page` over `rect`: to `uri` (7-bit ASCII, as a URI action),
    // or when `uri` is empty to the view of `destination` with `top` at the window's top
    // edge, zoom unchanged. Written by save() from a small record of its own: libharu's
    // annotation and action dictionaries (every key a 128-byte array) cost a few KB a
    // link, and a link-heavy document has tens of thousands of links.
    void add_link(HPDF_Page page, const HPDF_Rect& rect, std::string uri, HPDF_Page destination = nullptr,
                  float top = 0);

    // A view of `page` with `top` at the window's top edge and the zoom left as the
    // reader has it: [page /XYZ 0 top null]. libharu's HPDF_Destination_SetXYZ refuses a
    // zoom of 0 (it wants 0.08 to 32), and any number there would reset the reader's zoom.
    HPDF_Destination view_at(HPDF_Page page, float top);

    // The catalog's /Lang (PDF 1.4). Empty: none.
    void set_language(const std::string& language);

    // A bookmark's title, and an entry of the document information dictionary ("Title",
    // "Author", ...), from valid UTF-8: PDF text strings (PDF 32000-1, 7.9.2.2), UTF-16BE
    // after a byte order mark. Made here, not by libharu's UTF-8 encoder, whose set-up
    // (tables for every code) cost more than drawing a short article's pages.
    void set_outline_title(HPDF_Outline outline, std::string_view utf8);
    void set_info(const char* key, std::string_view utf8);

    // The whole file, written straight into the string returned (libharu's own
    // HPDF_SaveToStream would hold a second copy). `expected_size` reserves it.
    std::string save(std::size_t expected_size = 0);

    // The bytes of streams written so far (page content, fonts, images as libharu
    // holds them): what save() will mostly write.
    std::size_t stream_bytes() const { return stream_bytes_; }

    // Deflated page content, kept out of libharu's heap (where a page's few KB would sit
    // between its small objects, and could not be given back): appended to blocks mapped
    // for it, each unmapped as soon as save() has written every page's content in it.
    class ContentStore {
    public:
        ContentStore() = default;
        ~ContentStore();
        ContentStore(const ContentStore&) = delete;
        ContentStore& operator=(const ContentStore&) = delete;
        // One page's content: what libharu reads through a callback stream.
        struct Slice {
            ContentStore* store = nullptr;
            std::size_t block = 0, offset = 0, size = 0, read = 0;
        };
        Slice& add(std::string_view bytes);  // the slice's address stays valid
        // Called once a slice has been written into the file.
        void written(const Slice& slice);
        const char* data(const Slice& slice) const { return blocks_[slice.block].data + slice.offset; }

    private:
        struct Block {
            char* data = nullptr;
            std::size_t capacity = 0, used = 0, written = 0;
        };
        std::vector<Block> blocks_;
        std::deque<Slice> slices_;
    };

    // What a link annotation writes (add_link).
    struct LinkRecord {
        HPDF_Rect rect{};
        std::string uri;
        HPDF_Page page = nullptr, destination = nullptr;
        float top = 0;
    };

private:
    struct ErrorRecord {
        HPDF_STATUS code = HPDF_OK;
        HPDF_STATUS detail = 0;
    };
    static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void* record);
    void write_deflated(HPDF_Dict stream, std::string_view data, int level, const char* what);
    HPDF_Binary text_string(std::string_view utf8);
    [[noreturn]] void fail(const char* what, HPDF_STATUS status);

    HPDF_Doc doc_ = nullptr;
    std::string compressed_;  // a page's content, deflated; the capacity is reused
    std::size_t stream_bytes_ = 0;
    ContentStore content_;  // destroyed after doc_, whose streams read it
    std::deque<LinkRecord> links_;  // read by their annotations' write hooks
    ErrorRecord error_;  // the handler's user data: this object does not move
};

}  // namespace dconv::pdf
