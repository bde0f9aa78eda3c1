// fonts.cpp: SystemFonts over HarfBuzz — the font files, their coverage and advances, and
// their subsets.
//
// A font file is read once per process (memory-mapped by HarfBuzz) and shared, read-only,
// by every SystemFonts and every thread: the loaded faces live in a process-wide table
// guarded by a mutex, never freed before exit. Loading also tabulates the face's Basic
// Multilingual Plane once: a coverage bit and an advance per code point, so that
// resolve() and advance(), called for every character of every document, are two array
// reads. Characters above U+FFFF ask HarfBuzz (an immutable hb_font_t is safe to share).
#include "pdf/fonts.hpp"

#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

#include "dconv/diagnostics.hpp"

namespace dconv::pdf {

namespace {

namespace fs = std::filesystem;

// The environment variable that names a folder searched before the system's.
constexpr const char* kFontDirVariable = "DCONV_FONT_DIR";

// Debian's folders for the packages below. fonts-liberation (version 1) has the same file
// names and metrics as fonts-liberation2, so either will do.
constexpr std::array<const char*, 3> kSystemFontDirs = {
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/arphic",
};

// The Basic Multilingual Plane, tabulated per face; the rest asks HarfBuzz.
constexpr char32_t kTabulatedLimit = 0x10000;

struct FaceFile {
    const char* name;
    unsigned index;       // of the face in a collection (.ttc)
    const char* package;  // the Debian package that installs it
};

// Latin faces, [family][bold * 2 + italic], in Family's order.
constexpr FaceFile kLatinFaces[3][4] = {
    {{"LiberationSerif-Regular.ttf", 0, "fonts-liberation2"},
     {"LiberationSerif-Italic.ttf", 0, "fonts-liberation2"},
     {"LiberationSerif-Bold.ttf", 0, "fonts-liberation2"},
     {"LiberationSerif-BoldItalic.ttf", 0, "fonts-liberation2"}},
    {{"LiberationSans-Regular.ttf", 0, "fonts-liberation2"},
     {"LiberationSans-Italic.ttf", 0, "fonts-liberation2"},
     {"LiberationSans-Bold.ttf", 0, "fonts-liberation2"},
     {"LiberationSans-BoldItalic.ttf", 0, "fonts-liberation2"}},
    {{"LiberationMono-Regular.ttf", 0, "fonts-liberation2"},
     {"LiberationMono-Italic.ttf", 0, "fonts-liberation2"},
     {"LiberationMono-Bold.ttf", 0, "fonts-liberation2"},
     {"LiberationMono-BoldItalic.ttf", 0, "fonts-liberation2"}},
};
// Index 0 of the collection is "AR PL UMing CN" (simplified Chinese forms first; the
// collection's other faces differ only in which variant forms they prefer).
constexpr FaceFile kCjkFace = {"uming.ttc", 0, "fonts-arphic-uming"};

constexpr int kLatinFaceCount = 12;
constexpr FontId kCjkRegular = kLatinFaceCount;
constexpr FontId kCjkBold = kLatinFaceCount + 1;
constexpr int kFontCount = kLatinFaceCount + 2;

// Tables a PDF viewer does not use for a CIDFontType2 font (it shapes nothing: the
// content gives glyphs and positions): dropped, they save bytes and subsetting time.
// Hinting (cvt, fpgm, prep and glyph instructions) goes by flag.
constexpr std::array<hb_tag_t, 15> kDroppedTables = {
    HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('k', 'e', 'r', 'n'),
    HB_TAG('g', 'a', 's', 'p'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('V', 'D', 'M', 'X'),
    HB_TAG('L', 'T', 'S', 'H'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('E', 'B', 'D', 'T'),
    HB_TAG('E', 'B', 'L', 'C'), HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'),
};

// One face of one file, loaded and tabulated: immutable once built.
class LoadedFace {
public:
    LoadedFace(const std::string& path, unsigned index) : path_(path) {
        blob_ = hb_blob_create_from_file_or_fail(path.c_str());
        if (!blob_) throw Error(ErrorKind::io, path, 0, "cannot read the font file");
        face_ = hb_face_create(blob_, index);
        hb_blob_t* glyf = hb_face_reference_table(face_, HB_TAG('g', 'l', 'y', 'f'));
        bool has_outlines = hb_blob_get_length(glyf) > 0;
        hb_blob_destroy(glyf);
        if (hb_face_get_glyph_count(face_) == 0 || !has_outlines) {
            release();
            // libharu 2.3 embeds TrueType outlines only (no CFF).
            throw Error(ErrorKind::io, path, 0, "not a TrueType font with glyf outlines (face " +
                                                     std::to_string(index) + ")");
        }
        hb_face_make_immutable(face_);
        font_ = hb_font_create(face_);
        unsigned upem = hb_face_get_upem(face_);
        hb_font_set_scale(font_, static_cast<int>(upem), static_cast<int>(upem));  // font units
        hb_font_make_immutable(font_);
        per_unit_ = 1.0f / static_cast<float>(upem);
        tabulate();
    }
    ~LoadedFace() { release(); }
    LoadedFace(const LoadedFace&) = delete;
    LoadedFace& operator=(const LoadedFace&) = delete;

    const std::string& path() const { return path_; }
    hb_face_t* face() const { return face_; }

    bool has(char32_t c) const {
        if (c < kTabulatedLimit) return (covered_[c >> 6] >> (c & 63)) & 1;
        hb_codepoint_t glyph;
        return hb_font_get_nominal_glyph(font_, c, &glyph);
    }
    // In em. A character the face lacks has the advance of .notdef, which is what a
    // viewer would draw.
    float advance(char32_t c) const {
        if (c < kTabulatedLimit) return static_cast<float>(advances_[c]) * per_unit_;
        hb_codepoint_t glyph = 0;
        hb_font_get_nominal_glyph(font_, c, &glyph);
        return static_cast<float>(hb_font_get_glyph_h_advance(font_, glyph)) * per_unit_;
    }

private:
    void tabulate() {
        covered_.fill(0);
        std::uint16_t notdef = static_cast<std::uint16_t>(hb_font_get_glyph_h_advance(font_, 0));
        advances_.fill(notdef);
        hb_set_t* unicodes = hb_set_create();
        hb_face_collect_unicodes(face_, unicodes);
        hb_codepoint_t c = HB_SET_VALUE_INVALID;
        while (hb_set_next(unicodes, &c) && c < kTabulatedLimit) {
            hb_codepoint_t glyph;
            if (!hb_font_get_nominal_glyph(font_, c, &glyph)) continue;
            covered_[c >> 6] |= std::uint64_t{1} << (c & 63);
            // hmtx advances are 16-bit font units.
            advances_[c] = static_cast<std::uint16_t>(hb_font_get_glyph_h_advance(font_, glyph));
        }
        hb_set_destroy(unicodes);
    }
    void release() {
        hb_font_destroy(font_);
        hb_face_destroy(face_);
        hb_blob_destroy(blob_);
        font_ = nullptr;
        face_ = nullptr;
        blob_ = nullptr;
    }

    std::string path_;
    hb_blob_t* blob_ = nullptr;
    hb_face_t* face_ = nullptr;
    hb_font_t* font_ = nullptr;
    float per_unit_ = 0;
    std::array<std::uint64_t, kTabulatedLimit / 64> covered_;
    std::array<std::uint16_t, kTabulatedLimit> advances_;
};

// The process's loaded faces, by path and index. Entries are never removed: a file is read
// once however many documents (and SystemFonts) use it.
std::shared_ptr<const LoadedFace> load_face(const std::string& path, unsigned index) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, unsigned>, std::shared_ptr<const LoadedFace>> faces;
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = faces[{path, index}];
    if (!slot) slot = std::make_shared<const LoadedFace>(path, index);
    return slot;
}

std::string find_file(const FaceFile& file, const std::vector<std::string>& dirs) {
    std::error_code ec;
    for (const std::string& dir : dirs) {
        if (dir.empty()) continue;
        fs::path candidate = fs::path(dir) / file.name;
        if (fs::is_regular_file(candidate, ec)) return candidate.string();
    }
    std::string searched;
    for (const std::string& dir : dirs) {
        if (dir.empty()) continue;
        if (!searched.empty()) searched += ", ";
        searched += dir;
    }
    throw Error(ErrorKind::io, file.name, 0,
                "font not found in " + (searched.empty() ? std::string("(no folder)") : searched) +
                    ": install the Debian package " + file.package + " (tools/setup.sh does)");
}

}  // namespace

struct SystemFonts::Impl {
    struct Font {
        std::shared_ptr<const LoadedFace> face;
        FontId fallback = -1;
        FontId glyph_source = 0;
        bool synthetic_bold = false;
    };
    std::array<Font, kFontCount> fonts;

    const Font& at(FontId id) const {
        if (id < 0 || id >= kFontCount)
            throw Error(ErrorKind::internal, "", 0, "font id " + std::to_string(id) + " out of range");
        return fonts[static_cast<std::size_t>(id)];
    }
};

std::vector<std::string> SystemFonts::default_font_dirs() {
    std::vector<std::string> dirs;
    if (const char* dir = std::getenv(kFontDirVariable); dir && *dir) dirs.emplace_back(dir);
    dirs.insert(dirs.end(), kSystemFontDirs.begin(), kSystemFontDirs.end());
    return dirs;
}

SystemFonts::SystemFonts() : SystemFonts(default_font_dirs()) {}

SystemFonts::SystemFonts(const std::vector<std::string>& font_dirs) : impl_(std::make_unique<Impl>()) {
    // Every file is located before any is loaded, so that a missing package is reported
    // at once, whichever file is missing.
    std::array<std::string, kLatinFaceCount> latin_paths;
    for (int family = 0; family < 3; ++family)
        for (int style = 0; style < 4; ++style)
            latin_paths[static_cast<std::size_t>(family * 4 + style)] =
                find_file(kLatinFaces[family][style], font_dirs);
    std::string cjk_path = find_file(kCjkFace, font_dirs);

    for (int i = 0; i < kLatinFaceCount; ++i) {
        Impl::Font& font = impl_->fonts[static_cast<std::size_t>(i)];
        font.face = load_face(latin_paths[static_cast<std::size_t>(i)], 0);
        bool bold = (i % 4) >= 2;
        font.fallback = bold ? kCjkBold : kCjkRegular;
        font.glyph_source = i;
    }
    auto cjk_face = load_face(cjk_path, kCjkFace.index);
    impl_->fonts[kCjkRegular] = {cjk_face, -1, kCjkRegular, false};
    // UMing has no bold face: the renderer strokes the regular outlines.
    impl_->fonts[kCjkBold] = {cjk_face, -1, kCjkRegular, true};
}

SystemFonts::~SystemFonts() = default;

FontId SystemFonts::id(Family family, bool bold, bool italic) const {
    return static_cast<int>(family) * 4 + (bold ? 2 : 0) + (italic ? 1 : 0);
}

FontId SystemFonts::cjk(bool bold) const { return bold ? kCjkBold : kCjkRegular; }

FontId SystemFonts::resolve(FontId wanted, char32_t c) const {
    if (wanted < 0 || wanted >= kFontCount) return -1;
    for (FontId f = wanted; f >= 0; f = impl_->fonts[static_cast<std::size_t>(f)].fallback)
        if (impl_->fonts[static_cast<std::size_t>(f)].face->has(c)) return f;
    return -1;
}

float SystemFonts::advance(FontId font, char32_t c) const { return impl_->at(font).face->advance(c); }

std::size_t SystemFonts::size() const { return kFontCount; }

bool SystemFonts::synthetic_bold(FontId font) const { return impl_->at(font).synthetic_bold; }

FontId SystemFonts::glyph_source(FontId font) const { return impl_->at(font).glyph_source; }

const std::string& SystemFonts::file(FontId font) const { return impl_->at(font).face->path(); }

std::string SystemFonts::subset(FontId font, const std::u32string& characters) const {
    const LoadedFace& face = *impl_->at(font).face;
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    if (!input) throw Error(ErrorKind::internal, face.path(), 0, "cannot create a subset input (out of memory)");
    hb_set_t* unicodes = hb_subset_input_unicode_set(input);
    for (char32_t c : characters) hb_set_add(unicodes, c);
    hb_set_t* dropped = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (hb_tag_t tag : kDroppedTables) hb_set_add(dropped, tag);
    // No hinting: a PDF viewer rasterises at any size with its own hinter, and the
    // instructions are most of a Liberation glyph's bytes.
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);

    hb_face_t* subset = hb_subset_or_fail(face.face(), input);
    hb_subset_input_destroy(input);
    if (!subset) throw Error(ErrorKind::internal, face.path(), 0, "HarfBuzz cannot subset the font");
    hb_blob_t* blob = hb_face_reference_blob(subset);
    hb_face_destroy(subset);
    unsigned length = 0;
    const char* data = hb_blob_get_data(blob, &length);
    std::string out(data ? data : "", data ? length : 0);
    hb_blob_destroy(blob);
    if (out.empty()) throw Error(ErrorKind::internal, face.path(), 0, "HarfBuzz made an empty subset");
    return out;
}

}  // namespace dconv::pdf
