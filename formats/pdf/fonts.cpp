// fonts.cpp: SystemFonts over HarfBuzz — the font files, which one draws a character,
// shaping, and the subsets the PDF embeds.
//
// A font file is read once per process (memory-mapped by HarfBuzz) and shared, read-only,
// by every SystemFonts and every thread: the loaded faces live in a process-wide table
// guarded by a mutex, never freed before exit. A Latin face tabulates its Basic
// Multilingual Plane as it is asked about it, a block of 256 code points at a time: a
// coverage bit and an advance per code point, so that resolve() and advance(), called
// for every character of every document, are array reads. Characters above U+FFFF ask
// HarfBuzz (an immutable hb_font_t is safe to share).
#include "pdf/fonts.hpp"

#include <hb-subset.h>
#include <hb.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv::pdf {

namespace {

namespace fs = std::filesystem;

// The environment variable that names a folder searched before the system's.
constexpr const char* kFontDirVariable = "DCONV_FONT_DIR";

// Debian's folders for the packages below. fonts-liberation (version 1) has the same file
// names and metrics as fonts-liberation2, so either will do.
constexpr std::array<const char*, 11> kSystemFontDirs = {
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/arphic",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/ipaexfont-mincho",
    "/usr/share/fonts/opentype/ipaexfont-gothic",
    "/usr/share/fonts/opentype/ipafont-mincho",
    "/usr/share/fonts/opentype/ipafont-gothic",
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/ttf-dejavu",
};

// The Basic Multilingual Plane, tabulated per face; the rest asks HarfBuzz.
constexpr char32_t kTabulatedLimit = 0x10000;
// Tabulated in blocks of this many code points, each when first asked about: a page of
// text touches a handful (ASCII, Latin-1, punctuation), where the whole plane would cost
// 136 KB and 65,536 look-ups per face, and a page fault per 4 KB of it.
constexpr char32_t kBlockBits = 8;
constexpr char32_t kBlockSize = char32_t{1} << kBlockBits;

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
// The fallback fonts, one group per script (or role), each in four faces: serif and sans,
// regular and bold. A name may list alternatives ("a.ttf|b.ttf": the first found); a
// null serif name takes the sans face, a null bold name draws the regular face
// synthetic bold. All are TrueType outlines (checked when loaded).
enum class Group : int {
    arabic, hebrew, devanagari, bengali, tamil, thai, gujarati, gurmukhi, kannada, malayalam, telugu,
    oriya, sinhala, khmer, lao, myanmar, armenian, georgian, ethiopic,
    chinese, japanese, korean, dejavu, symbols, symbols2, count
};
constexpr int kGroupCount = static_cast<int>(Group::count);

struct GroupFiles {
    const char* serif;
    const char* serif_bold;
    const char* sans;
    const char* sans_bold;
    unsigned index;  // of the face in a collection (.ttc)
};

// In Group's order. Index 0 of uming.ttc is "AR PL UMing CN" (simplified Chinese forms
// first). IPAex has Japanese glyph forms (and half-width katakana) where UMing has
// Chinese ones; IPA is its older sibling, used when IPAex is not installed.
constexpr GroupFiles kGroupFiles[kGroupCount] = {
    {"NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", 0},
    {"NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", 0},
    {"NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf", "NotoSansDevanagari-Regular.ttf",
     "NotoSansDevanagari-Bold.ttf", 0},
    {"NotoSerifBengali-Regular.ttf", "NotoSerifBengali-Bold.ttf", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", 0},
    {"NotoSerifTamil-Regular.ttf", "NotoSerifTamil-Bold.ttf", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", 0},
    {"NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansKannada-Regular.ttf", "NotoSansKannada-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansMalayalam-Regular.ttf", "NotoSansMalayalam-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansTelugu-Regular.ttf", "NotoSansTelugu-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansOriya-Regular.ttf", "NotoSansOriya-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansSinhala-Regular.ttf", "NotoSansSinhala-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf", 0},
    {"NotoSerifArmenian-Regular.ttf", "NotoSerifArmenian-Bold.ttf", "NotoSansArmenian-Regular.ttf",
     "NotoSansArmenian-Bold.ttf", 0},
    {"NotoSerifGeorgian-Regular.ttf", "NotoSerifGeorgian-Bold.ttf", "NotoSansGeorgian-Regular.ttf",
     "NotoSansGeorgian-Bold.ttf", 0},
    {nullptr, nullptr, "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf", 0},
    {"uming.ttc", nullptr, "uming.ttc", nullptr, 0},
    {"ipaexm.ttf|ipam.ttf", nullptr, "ipaexg.ttf|ipag.ttf", nullptr, 0},
    {"NanumMyeongjo.ttf", "NanumMyeongjoBold.ttf", "NanumGothic.ttf", "NanumGothicBold.ttf", 0},
    {"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 0},
    {"NotoSansSymbols-Regular.ttf", "NotoSansSymbols-Bold.ttf", "NotoSansSymbols-Regular.ttf",
     "NotoSansSymbols-Bold.ttf", 0},
    {"NotoSansSymbols2-Regular.ttf", nullptr, "NotoSansSymbols2-Regular.ttf", nullptr, 0},
};

// Which fonts a language's Han, kana and CJK punctuation come from first.
enum class Preference : int { none, chinese, japanese, korean, count };
constexpr int kPreferenceCount = static_cast<int>(Preference::count);

constexpr int kLatinFaceCount = 12;
// FontIds: the Latin faces (0-11, no language preference), the same faces with each
// other preference (12-47), then four per fallback group.
constexpr int kWantedCount = kLatinFaceCount * kPreferenceCount;
constexpr int kFontCount = kWantedCount + kGroupCount * 4;

constexpr FontId group_font(Group group, bool sans, bool bold) {
    return kWantedCount + static_cast<int>(group) * 4 + (sans ? 2 : 0) + (bold ? 1 : 0);
}

// Shaped words are cached per thread (the same words recur through a document and a
// batch): only short texts, and the cache is emptied when it reaches this many entries.
constexpr std::size_t kShapeCacheEntries = 1 << 15;
constexpr std::size_t kShapeCacheMaxBytes = 48;

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

// One face of one file, loaded: immutable once built, but for the blocks of its table
// filled as they are first asked about.
class LoadedFace {
public:
    // `tabulated`: the Basic Multilingual Plane's coverage and advances in arrays (the
    // Latin faces, asked about every character); else HarfBuzz answers (the fallbacks,
    // whose answers each paragraph caches).
    LoadedFace(const std::string& path, unsigned index, bool tabulated) : path_(path), tabulated_(tabulated) {
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
        // What subset() reads: the face without its cmap. Subsetting by glyph id makes
        // HarfBuzz map the whole cmap to find the characters of the glyphs asked for
        // (30,000 entries for a CJK font, per document); the embedded font needs none,
        // since the PDF names glyphs by id.
        subset_face_ = hb_face_create_for_tables(&LoadedFace::table_without_cmap, hb_face_reference(face_),
                                                 reinterpret_cast<hb_destroy_func_t>(&hb_face_destroy));
        hb_face_set_upem(subset_face_, upem);
        hb_face_set_glyph_count(subset_face_, hb_face_get_glyph_count(face_));
        hb_face_make_immutable(subset_face_);
    }
    ~LoadedFace() {
        release();
        for (auto& block : blocks_) delete block.load(std::memory_order_relaxed);
    }
    LoadedFace(const LoadedFace&) = delete;
    LoadedFace& operator=(const LoadedFace&) = delete;

    const std::string& path() const { return path_; }
    hb_face_t* face() const { return face_; }
    hb_face_t* subset_face() const { return subset_face_; }
    hb_font_t* font() const { return font_; }
    float per_unit() const { return per_unit_; }
    // A number of its own among the process's faces (keys of the shape cache).
    std::uint16_t serial() const { return serial_; }
    void set_serial(std::uint16_t serial) { serial_ = serial; }

    bool has(char32_t c) const {
        if (tabulated_ && c < kTabulatedLimit) {
            char32_t k = c & (kBlockSize - 1);
            return (block(c).covered[k >> 6] >> (k & 63)) & 1;
        }
        return nominal(c).has;
    }
    // In em. A character the face lacks has the advance of .notdef, which is what a
    // viewer would draw.
    float advance(char32_t c) const {
        if (tabulated_ && c < kTabulatedLimit)
            return static_cast<float>(block(c).advances[c & (kBlockSize - 1)]) * per_unit_;
        return nominal(c).advance;
    }
    // What the cmap and hmtx say of `c`: its glyph (0 when the face lacks it), that
    // glyph's advance in em, and whether the face has it. HarfBuzz's answers, kept per
    // thread (kNominalAnswers at most): CJK text asks about the same few thousand
    // characters in every paragraph.
    struct Nominal {
        std::uint32_t glyph = 0;
        float advance = 0;
        bool has = false;
    };
    Nominal nominal(char32_t c) const;

private:
    // The coverage and advances (in font units) of a block of the plane.
    struct Block {
        std::array<std::uint64_t, kBlockSize / 64> covered{};
        std::array<std::uint16_t, kBlockSize> advances{};
    };
    // The block of `c`, tabulated on first use. Threads share the face: the first block
    // published wins, a thread that lost the race drops its own (the same answers).
    const Block& block(char32_t c) const {
        std::atomic<const Block*>& slot = blocks_[c >> kBlockBits];
        if (const Block* known = slot.load(std::memory_order_acquire)) return *known;
        auto made = std::make_unique<Block>();
        char32_t first = c & ~(kBlockSize - 1);
        // hmtx advances are 16-bit font units; a character the face lacks has .notdef's.
        auto notdef = static_cast<std::uint16_t>(hb_font_get_glyph_h_advance(font_, 0));
        for (char32_t k = 0; k < kBlockSize; ++k) {
            hb_codepoint_t glyph;
            if (!hb_font_get_nominal_glyph(font_, first + k, &glyph)) {
                made->advances[k] = notdef;
                continue;
            }
            made->covered[k >> 6] |= std::uint64_t{1} << (k & 63);
            made->advances[k] = static_cast<std::uint16_t>(hb_font_get_glyph_h_advance(font_, glyph));
        }
        const Block* expected = nullptr;
        if (slot.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel))
            return *made.release();
        return *expected;
    }
    static hb_blob_t* table_without_cmap(hb_face_t*, hb_tag_t tag, void* face) {
        if (tag == HB_TAG('c', 'm', 'a', 'p')) return hb_blob_get_empty();
        return hb_face_reference_table(static_cast<hb_face_t*>(face), tag);
    }
    void release() {
        hb_face_destroy(subset_face_);
        subset_face_ = nullptr;
        hb_font_destroy(font_);
        hb_face_destroy(face_);
        hb_blob_destroy(blob_);
        font_ = nullptr;
        face_ = nullptr;
        blob_ = nullptr;
    }

    std::string path_;
    std::uint16_t serial_ = 0;
    hb_blob_t* blob_ = nullptr;
    hb_face_t* face_ = nullptr;
    hb_face_t* subset_face_ = nullptr;
    hb_font_t* font_ = nullptr;
    float per_unit_ = 0;
    bool tabulated_ = false;
    mutable std::array<std::atomic<const Block*>, kTabulatedLimit / kBlockSize> blocks_{};
};

// Nominal glyphs looked up, per thread, by face serial and character: emptied when it
// holds this many, which bounds a thread's memory.
constexpr std::size_t kNominalAnswers = 1 << 16;

LoadedFace::Nominal LoadedFace::nominal(char32_t c) const {
    thread_local std::unordered_map<std::uint64_t, Nominal> answers;
    std::uint64_t key = (std::uint64_t{serial_} << 32) | c;
    if (auto it = answers.find(key); it != answers.end()) return it->second;
    Nominal answer;
    hb_codepoint_t glyph = 0;
    answer.has = hb_font_get_nominal_glyph(font_, c, &glyph);
    answer.glyph = glyph;
    answer.advance = static_cast<float>(hb_font_get_glyph_h_advance(font_, glyph)) * per_unit_;
    if (answers.size() >= kNominalAnswers) answers.clear();
    answers.emplace(key, answer);
    return answer;
}

// The process's loaded faces, by path and index. Entries are never removed: a file is read
// once however many documents (and SystemFonts) use it.
std::shared_ptr<const LoadedFace> load_face(const std::string& path, unsigned index, bool tabulated) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, unsigned>, std::shared_ptr<const LoadedFace>> faces;
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = faces[{path, index}];
    if (!slot) {
        auto face = std::make_shared<LoadedFace>(path, index, tabulated);
        face->set_serial(static_cast<std::uint16_t>(faces.size()));
        slot = std::move(face);
    }
    return slot;
}

// The font folders of one table's build, each listed once, when first searched: a
// table looks for a hundred file names in a dozen folders, and a stat per name and
// folder (448 for the default folders, most of them failing) cost more than a
// millisecond of a one-page PDF.
class FontFolders {
public:
    explicit FontFolders(const std::vector<std::string>& dirs) : dirs_(dirs), names_(dirs.size()) {}
    const std::vector<std::string>& dirs() const { return dirs_; }

    // Where `name` is: in the first folder that has it as a regular file (or a link to
    // one); empty when none has.
    std::string find(std::string_view name) {
        for (std::size_t i = 0; i < dirs_.size(); ++i) {
            if (dirs_[i].empty()) continue;
            if (listing(i).contains(std::string(name))) return (fs::path(dirs_[i]) / std::string(name)).string();
        }
        return {};
    }

private:
    // The names of a folder's regular files and links to them. (The listing gives each
    // entry's type: only a link, or a file system that gives none, costs a stat.)
    const std::unordered_set<std::string>& listing(std::size_t i) {
        auto& names = names_[i];
        if (!names) {
            names.emplace();
            std::error_code ec;
            fs::directory_iterator entry(dirs_[i], ec), end;
            for (; !ec && entry != end; entry.increment(ec)) {
                std::error_code type_error;
                if (entry->is_regular_file(type_error)) names->insert(entry->path().filename().string());
            }
        }
        return *names;
    }
    const std::vector<std::string>& dirs_;
    std::vector<std::optional<std::unordered_set<std::string>>> names_;
};

std::string find_file(const FaceFile& file, FontFolders& folders) {
    if (std::string found = folders.find(file.name); !found.empty()) return found;
    std::string searched;
    for (const std::string& dir : folders.dirs()) {
        if (dir.empty()) continue;
        if (!searched.empty()) searched += ", ";
        searched += dir;
    }
    throw Error(ErrorKind::io, file.name, 0,
                "font not found in " + (searched.empty() ? std::string("(no folder)") : searched) +
                    ": install the Debian package " + file.package + " (tools/setup.sh does)");
}

// The first of "a.ttf|b.ttf" found, or empty.
std::string find_alternative(const char* names, FontFolders& folders) {
    if (!names) return {};
    std::string_view rest = names;
    while (!rest.empty()) {
        std::size_t bar = rest.find('|');
        if (std::string found = folders.find(rest.substr(0, bar)); !found.empty()) return found;
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 1);
    }
    return {};
}

// Where a character's script sends the search for a font, after the wanted face.
// Han, kana, Hangul and the CJK punctuation and fullwidth forms (which ICU calls Common)
// go to the CJK fonts in the order of the language preference.
bool is_cjk_common(char32_t c) {
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0x3200 && c <= 0x33FF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFFEF);
}

// Quotes, ellipsis and dashes that CJK text draws from its CJK font (full-width, centred
// the way the script's punctuation is) rather than from the Latin face.
bool is_cjk_punctuation_candidate(char32_t c) {
    return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D || c == 0x2026 || c == 0x2014 || c == 0x2015;
}

void cjk_order(Preference preference, std::vector<Group>& out) {
    switch (preference) {
        case Preference::japanese: out.insert(out.end(), {Group::japanese, Group::chinese, Group::korean}); break;
        case Preference::korean: out.insert(out.end(), {Group::korean, Group::chinese, Group::japanese}); break;
        default: out.insert(out.end(), {Group::chinese, Group::japanese, Group::korean}); break;
    }
}

// Room for a character's script extensions: the Devanagari danda alone has about twenty
// (UAX #24); more than this many, and the character is looked for in the symbol fonts only.
constexpr int kMaxScriptExtensions = 64;

// The fallback group of a script, or none (Latin, Greek, Cyrillic, Common: the Latin
// faces and the symbol fonts).
bool group_of(UScriptCode script, Group& group) {
    switch (script) {
        case USCRIPT_ARABIC: group = Group::arabic; return true;
        case USCRIPT_HEBREW: group = Group::hebrew; return true;
        case USCRIPT_DEVANAGARI: group = Group::devanagari; return true;
        case USCRIPT_BENGALI: group = Group::bengali; return true;
        case USCRIPT_TAMIL: group = Group::tamil; return true;
        case USCRIPT_THAI: group = Group::thai; return true;
        case USCRIPT_GUJARATI: group = Group::gujarati; return true;
        case USCRIPT_GURMUKHI: group = Group::gurmukhi; return true;
        case USCRIPT_KANNADA: group = Group::kannada; return true;
        case USCRIPT_MALAYALAM: group = Group::malayalam; return true;
        case USCRIPT_TELUGU: group = Group::telugu; return true;
        case USCRIPT_ORIYA: group = Group::oriya; return true;
        case USCRIPT_SINHALA: group = Group::sinhala; return true;
        case USCRIPT_KHMER: group = Group::khmer; return true;
        case USCRIPT_LAO: group = Group::lao; return true;
        case USCRIPT_MYANMAR: group = Group::myanmar; return true;
        case USCRIPT_ARMENIAN: group = Group::armenian; return true;
        case USCRIPT_GEORGIAN: group = Group::georgian; return true;
        case USCRIPT_ETHIOPIC: group = Group::ethiopic; return true;
        default: return false;
    }
}

// The groups to try for `c`, by its script, or for a character several scripts share
// (the Arabic comma, the Devanagari danda: ICU's Common with script extensions) by each
// script it is used with.
void script_groups(char32_t c, Preference preference, std::vector<Group>& out) {
    UErrorCode error = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &error);
    Group group;
    switch (script) {
        case USCRIPT_HANGUL: out.push_back(Group::korean); cjk_order(preference, out); return;
        case USCRIPT_HAN: case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: case USCRIPT_BOPOMOFO:
            cjk_order(preference, out);
            return;
        case USCRIPT_COMMON: case USCRIPT_INHERITED: {
            if (is_cjk_common(c)) {
                cjk_order(preference, out);
                return;
            }
            UScriptCode extensions[kMaxScriptExtensions];
            error = U_ZERO_ERROR;
            int count = uscript_getScriptExtensions(static_cast<UChar32>(c), extensions, kMaxScriptExtensions, &error);
            for (int i = 0; U_SUCCESS(error) && i < count; ++i)
                if (group_of(extensions[i], group)) out.push_back(group);
            return;
        }
        default:
            if (group_of(script, group)) out.push_back(group);
            return;
    }
}

// A font file that is looked for when SystemFonts is made and read when first needed.
class LazyFace {
public:
    LazyFace(std::string path, unsigned index, bool tabulated)
        : path_(std::move(path)), index_(index), tabulated_(tabulated) {}
    const std::string& path() const { return path_; }
    // The loaded face, or null when a fallback file cannot be used (it is then
    // skipped, and its characters reported missing). A Latin (tabulated) face has no
    // stand-in: its file's error is thrown, at every call. The error is kept and thrown
    // after call_once returns: an exception out of call_once's callable may leave the
    // flag stuck with libstdc++'s pthread_once (GCC PR 66146), hanging the next caller.
    const LoadedFace* get() const {
        std::call_once(once_, [this] {
            try {
                face_ = load_face(path_, index_, tabulated_);
            } catch (const Error& e) {
                face_ = nullptr;
                if (tabulated_) error_ = e;
            }
        });
        if (!face_ && error_) throw *error_;
        return face_.get();
    }

private:
    std::string path_;
    unsigned index_;
    bool tabulated_;
    mutable std::once_flag once_;
    mutable std::shared_ptr<const LoadedFace> face_;
    mutable std::optional<Error> error_;  // a tabulated face's load error, thrown at every call
};

// Shaped text, cached per thread: a key is the face's serial, the direction and the text
// (most words fit std::string's inline buffer); the glyphs of every entry are in one
// array.
struct ShapeCache {
    std::unordered_map<std::string, std::pair<std::uint32_t, std::uint32_t>> entries;  // glyphs' begin, count
    std::vector<PlacedGlyph> glyphs;
    std::string key;
};

}  // namespace

// The default shaping of made-up fonts: a glyph per character.
void FontTable::shape(FontId font, std::string_view text, const ShapeProperties& properties,
                      std::vector<PlacedGlyph>& out) const {
    std::size_t first = out.size();
    for (std::size_t i = 0; i < text.size();) {
        std::size_t at = i;
        char32_t c = text::next(text, i);
        out.push_back({static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(at), advance(font, c), 0, 0});
    }
    if (properties.right_to_left) std::reverse(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
}

struct SystemFonts::Impl {
    struct Font {
        int face = -1;  // index into faces, -1: not installed
        FontId glyph_source = 0;
        bool synthetic_bold = false;
        // For the Latin faces and their language variants:
        int latin = -1;  // the Latin face (0-11)
        Preference preference = Preference::none;
    };
    std::vector<std::unique_ptr<LazyFace>> faces;
    std::array<Font, kFontCount> fonts;

    const Font& at(FontId id) const {
        if (id < 0 || id >= kFontCount)
            throw Error(ErrorKind::internal, "", 0, "font id " + std::to_string(id) + " out of range");
        return fonts[static_cast<std::size_t>(id)];
    }
    const LoadedFace* face_of(FontId id) const {
        const Font& font = at(id);
        return font.face < 0 ? nullptr : faces[static_cast<std::size_t>(font.face)]->get();
    }
    const LoadedFace& loaded(FontId id) const {
        const LoadedFace* face = face_of(id);
        if (!face) throw Error(ErrorKind::internal, "", 0, "font id " + std::to_string(id) + " is not installed");
        return *face;
    }
    int add_face(const std::string& path, unsigned index, bool tabulated) {
        for (std::size_t i = 0; i < faces.size(); ++i)
            if (faces[i]->path() == path) return static_cast<int>(i);
        faces.push_back(std::make_unique<LazyFace>(path, index, tabulated));
        return static_cast<int>(faces.size()) - 1;
    }
};

std::vector<std::string> SystemFonts::default_font_dirs() {
    std::vector<std::string> dirs;
    if (const char* dir = std::getenv(kFontDirVariable); dir && *dir) dirs.emplace_back(dir);
    dirs.insert(dirs.end(), kSystemFontDirs.begin(), kSystemFontDirs.end());
    return dirs;
}

SystemFonts::SystemFonts() : SystemFonts(default_font_dirs()) {}

SystemFonts::SystemFonts(const std::vector<std::string>& font_dirs) {
    // One table per folder list and process: a document's SystemFonts costs a look-up.
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const Impl>> tables;
    std::string key;
    for (const std::string& dir : font_dirs) key += dir + '\n';
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = tables.find(key); it != tables.end()) {
            impl_ = it->second;
            return;
        }
    }
    auto impl = std::make_shared<Impl>();
    build(*impl, font_dirs);
    std::lock_guard<std::mutex> lock(mutex);
    impl_ = tables.emplace(key, std::move(impl)).first->second;
}

void SystemFonts::build(Impl& table, const std::vector<std::string>& font_dirs) {
    FontFolders folders(font_dirs);
    // Every Latin file is located before any is loaded, so that a missing package is
    // reported at once, whichever file is missing.
    std::array<std::string, kLatinFaceCount> latin_paths;
    for (int family = 0; family < 3; ++family)
        for (int style = 0; style < 4; ++style)
            latin_paths[static_cast<std::size_t>(family * 4 + style)] =
                find_file(kLatinFaces[family][style], folders);
    for (int preference = 0; preference < kPreferenceCount; ++preference)
        for (int i = 0; i < kLatinFaceCount; ++i) {
            Impl::Font& font = table.fonts[static_cast<std::size_t>(preference * kLatinFaceCount + i)];
            font.face = table.add_face(latin_paths[static_cast<std::size_t>(i)], 0, true);
            font.glyph_source = i;
            font.latin = i;
            font.preference = static_cast<Preference>(preference);
        }
    // The Latin faces are read when first used, like the others (a page in one face
    // does not read the other eleven); a broken Latin file is an error then.

    for (int g = 0; g < kGroupCount; ++g) {
        const GroupFiles& files = kGroupFiles[g];
        for (int sans = 0; sans < 2; ++sans) {
            std::string regular = find_alternative(sans ? files.sans : files.serif, folders);
            std::string bold = find_alternative(sans ? files.sans_bold : files.serif_bold, folders);
            if (regular.empty() && !sans) {  // a serif face missing: the sans one
                regular = find_alternative(files.sans, folders);
                bold = find_alternative(files.sans_bold, folders);
            }
            if (regular.empty()) continue;
            FontId regular_id = group_font(static_cast<Group>(g), sans, false);
            FontId bold_id = group_font(static_cast<Group>(g), sans, true);
            Impl::Font& r = table.fonts[static_cast<std::size_t>(regular_id)];
            r.face = table.add_face(regular, files.index, false);
            Impl::Font& b = table.fonts[static_cast<std::size_t>(bold_id)];
            if (bold.empty()) {
                b.face = r.face;
                b.synthetic_bold = true;
            } else {
                b.face = table.add_face(bold, files.index, false);
            }
        }
    }
    // One glyph source per file: the first FontId drawing with it.
    for (FontId id = kLatinFaceCount; id < kFontCount; ++id) {
        Impl::Font& font = table.fonts[static_cast<std::size_t>(id)];
        if (id < kWantedCount) continue;  // set above
        font.glyph_source = id;
        for (FontId other = kWantedCount; other < id; ++other)
            if (table.fonts[static_cast<std::size_t>(other)].face == font.face && font.face >= 0) {
                font.glyph_source = table.fonts[static_cast<std::size_t>(other)].glyph_source;
                break;
            }
    }
}

SystemFonts::~SystemFonts() = default;

FontId SystemFonts::id(Family family, bool bold, bool italic) const {
    return static_cast<int>(family) * 4 + (bold ? 2 : 0) + (italic ? 1 : 0);
}

FontId SystemFonts::cjk(bool bold) const { return group_font(Group::chinese, false, bold); }

FontId SystemFonts::for_language(FontId wanted, std::string_view language) const {
    if (wanted < 0 || wanted >= kWantedCount) return wanted;
    Preference preference = Preference::none;
    std::string_view primary = language.substr(0, language.find_first_of("-_"));
    if (primary == "zh") preference = Preference::chinese;
    else if (primary == "ja") preference = Preference::japanese;
    else if (primary == "ko") preference = Preference::korean;
    return static_cast<int>(preference) * kLatinFaceCount + wanted % kLatinFaceCount;
}

FontId SystemFonts::resolve(FontId wanted, char32_t c) const {
    if (wanted < 0 || wanted >= kFontCount) return -1;
    if (c < 0x80) return search(wanted, c);
    // Beyond ASCII the search may go through many fallbacks: answers are kept per thread
    // for the table they are of (tables live as long as the process).
    thread_local struct {
        const Impl* table = nullptr;
        std::unordered_map<std::uint64_t, FontId> fonts;  // by (wanted, c)
    } answers;
    if (answers.table != impl_.get()) {
        answers.fonts.clear();
        answers.table = impl_.get();
    }
    std::uint64_t key = (std::uint64_t(std::uint32_t(wanted)) << 32) | c;
    if (auto it = answers.fonts.find(key); it != answers.fonts.end()) return it->second;
    FontId found = search(wanted, c);
    if (answers.fonts.size() >= kNominalAnswers) answers.fonts.clear();
    answers.fonts.emplace(key, found);
    return found;
}

FontId SystemFonts::search(FontId wanted, char32_t c) const {
    const Impl::Font& want = impl_->fonts[static_cast<std::size_t>(wanted)];
    bool sans = true, bold = false;
    Preference preference = Preference::none;
    thread_local std::vector<Group> groups;
    groups.clear();
    // The wanted style's face of each group, else the group's other style (a serif face
    // may lack what the sans one has, such as the Devanagari danda).
    auto first_having = [&]() -> FontId {
        for (Group group : groups)
            for (bool style : {sans, !sans}) {
                FontId id = group_font(group, style, bold);
                const LoadedFace* face = impl_->face_of(id);
                if (face && face->has(c)) return id;
            }
        return -1;
    };
    if (want.latin >= 0) {
        sans = want.latin >= 4;  // Liberation Sans and Mono: sans fallbacks
        bold = (want.latin % 4) >= 2;
        preference = want.preference;
        if ((preference == Preference::chinese || preference == Preference::japanese) &&
            is_cjk_punctuation_candidate(c)) {
            cjk_order(preference, groups);
            if (FontId id = first_having(); id >= 0) return id;
            groups.clear();
        }
        if (impl_->face_of(want.latin)->has(c)) return want.latin;
    } else {
        if (const LoadedFace* face = impl_->face_of(wanted); face && face->has(c)) return wanted;
        int slot = (wanted - kWantedCount) % 4;
        sans = slot >= 2;
        bold = slot % 2;
    }
    script_groups(c, preference, groups);
    groups.insert(groups.end(), {Group::dejavu, Group::symbols, Group::symbols2});
    cjk_order(preference, groups);
    return first_having();
}

float SystemFonts::advance(FontId font, char32_t c) const { return impl_->loaded(font).advance(c); }

namespace {

// HarfBuzz's shaping of `text` in `face`, appended to `out` (clusters are byte offsets).
void shape_with_harfbuzz(const LoadedFace& face, std::string_view text, const ShapeProperties& properties,
                         std::vector<PlacedGlyph>& out) {
    thread_local struct Buffer {
        hb_buffer_t* buffer = hb_buffer_create();
        ~Buffer() { hb_buffer_destroy(buffer); }
    } holder;
    hb_buffer_t* buffer = holder.buffer;
    hb_buffer_clear_contents(buffer);
    hb_buffer_add_utf8(buffer, text.data(), static_cast<int>(text.size()), 0, static_cast<int>(text.size()));
    hb_buffer_set_direction(buffer, properties.right_to_left ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    if (!properties.language.empty())
        hb_buffer_set_language(buffer, hb_language_from_string(properties.language.data(),
                                                               static_cast<int>(properties.language.size())));
    hb_buffer_guess_segment_properties(buffer);
    hb_shape(face.font(), buffer, nullptr, 0);
    unsigned count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer, &count);
    const hb_glyph_position_t* position = hb_buffer_get_glyph_positions(buffer, &count);
    const float unit = face.per_unit();
    for (unsigned i = 0; i < count; ++i)
        out.push_back({info[i].codepoint, info[i].cluster, static_cast<float>(position[i].x_advance) * unit,
                       static_cast<float>(position[i].x_offset) * unit, static_cast<float>(position[i].y_offset) * unit});
}

// Printable ASCII and the typographic quotes, most of what is set, shaped without
// HarfBuzz where that gives the same glyphs: in a face that draws each of these
// characters, alone and in the pairs that fonts make ligatures of, as its nominal glyph,
// a word's shaping is its nominal glyphs moved by the kerning of each pair, and a pair's
// kerning is what HarfBuzz does to it alone. Learnt per face and thread, a pair when
// first met.
class AsciiShaper {
public:
    explicit AsciiShaper(const LoadedFace& face) : face_(face) {
        hb_font_t* font = face.font();
        for (unsigned k = 0; k < kCount; ++k) {
            hb_codepoint_t glyph = 0;
            has_[k] = hb_font_get_nominal_glyph(font, character(k), &glyph);
            glyph_[k] = glyph;
            advance_[k] = static_cast<float>(hb_font_get_glyph_h_advance(font, glyph)) * face.per_unit();
        }
        simple_ = true;
        std::vector<PlacedGlyph> glyphs;
        for (unsigned k = 0; k < kCount && simple_; ++k) {
            if (!has_[k]) continue;
            std::string one;
            text::append(one, character(k));
            glyphs.clear();
            shape_with_harfbuzz(face, one, {}, glyphs);
            simple_ = glyphs.size() == 1 && glyphs[0].id == glyph_[k] && glyphs[0].x_offset == 0 &&
                      glyphs[0].y_offset == 0 && glyphs[0].advance == advance_[k];
        }
        // Sequences fonts have ligatures or contextual forms for.
        for (std::string_view probe : {"fi", "fl", "ff", "ffi", "ffl", "ft", "fj", "fb", "fh", "fk", "Th", "st", "ct",
                                       "sp", "--", "---", "->", "<=", ">=", "==", "!=", "...", "www", "ij", "IJ", "Qu"}) {
            if (!simple_) break;
            glyphs.clear();
            shape_with_harfbuzz(face, probe, {}, glyphs);
            simple_ = glyphs.size() == probe.size();
            for (std::size_t i = 0; simple_ && i < probe.size(); ++i)
                simple_ = glyphs[i].id == glyph_[static_cast<unsigned char>(probe[i]) - 0x20] && glyphs[i].cluster == i &&
                          glyphs[i].x_offset == 0 && glyphs[i].y_offset == 0;
        }
        kern_.assign(kCount * kCount, kUnknown);
    }

    // Whether every character of `text` is in the set (else shape() returns false).
    static bool covers(std::string_view text) {
        for (std::size_t i = 0; i < text.size();)
            if (index(text, i) >= kCount) return false;
        return true;
    }

    // Appends the glyphs of `text` and returns true, or returns false when HarfBuzz must
    // shape it (a character not in the set or not in the face, a face or pair that is
    // not simple).
    bool shape(std::string_view text, std::vector<PlacedGlyph>& out) {
        if (!simple_) return false;
        std::size_t first = out.size();
        unsigned previous = kCount;
        for (std::size_t i = 0; i < text.size();) {
            std::size_t at = i;
            unsigned k = index(text, i);
            if (k >= kCount || !has_[k]) {
                out.resize(first);
                return false;
            }
            if (previous < kCount) {
                float kern = pair(previous, k);
                if (kern == kComplex) {
                    out.resize(first);
                    return false;
                }
                out.back().advance += kern;
            }
            out.push_back({glyph_[k], static_cast<std::uint32_t>(at), advance_[k], 0, 0});
            previous = k;
        }
        return true;
    }

private:
    // The set: U+0020-U+007E, then the four typographic quotes.
    static constexpr unsigned kAscii = 0x7F - 0x20;
    static constexpr unsigned kCount = kAscii + 4;
    static constexpr float kUnknown = -1e30f, kComplex = 1e30f;

    static char32_t character(unsigned k) {
        static constexpr char32_t kQuotes[4] = {0x2018, 0x2019, 0x201C, 0x201D};
        return k < kAscii ? static_cast<char32_t>(k + 0x20) : kQuotes[k - kAscii];
    }
    // The index of the character at text[i] (moving i past it), or kCount.
    static unsigned index(std::string_view text, std::size_t& i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte < 0x7F) {
            ++i;
            return byte - 0x20;
        }
        if (byte == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
            switch (static_cast<unsigned char>(text[i + 2])) {
                case 0x98: i += 3; return kAscii;
                case 0x99: i += 3; return kAscii + 1;
                case 0x9C: i += 3; return kAscii + 2;
                case 0x9D: i += 3; return kAscii + 3;
                default: break;
            }
        }
        i = text.size();
        return kCount;
    }

    // The kerning of pair (a, b): what HarfBuzz adds to a's advance, or kComplex when it
    // does anything else to the pair.
    float pair(unsigned a, unsigned b) {
        float& kern = kern_[a * kCount + b];
        if (kern != kUnknown) return kern;
        std::string text;
        text::append(text, character(a));
        std::size_t second = text.size();
        text::append(text, character(b));
        scratch_.clear();
        shape_with_harfbuzz(face_, text, {}, scratch_);
        bool simple = scratch_.size() == 2 && scratch_[0].id == glyph_[a] && scratch_[1].id == glyph_[b] &&
                      scratch_[0].cluster == 0 && scratch_[1].cluster == second && scratch_[0].x_offset == 0 &&
                      scratch_[1].x_offset == 0 && scratch_[0].y_offset == 0 && scratch_[1].y_offset == 0 &&
                      scratch_[1].advance == advance_[b];
        kern = simple ? scratch_[0].advance - advance_[a] : kComplex;
        return kern;
    }

    const LoadedFace& face_;
    bool simple_ = false;
    std::array<bool, kCount> has_{};
    std::array<std::uint32_t, kCount> glyph_{};
    std::array<float, kCount> advance_{};
    std::vector<float> kern_;
    std::vector<PlacedGlyph> scratch_;
};

// Han (with its compatibility ideographs), kana and Hangul syllables: characters the CJK
// fonts draw one glyph each, whatever surrounds them.
bool is_cjk_unit(char32_t c) {
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF);
}

// This thread's AsciiShaper of `face`, made on first use.
AsciiShaper& ascii_shaper(const LoadedFace& face) {
    thread_local std::vector<std::unique_ptr<AsciiShaper>> shapers;  // by the face's serial
    if (face.serial() >= shapers.size()) shapers.resize(face.serial() + 1u);
    auto& shaper = shapers[face.serial()];
    if (!shaper) shaper = std::make_unique<AsciiShaper>(face);
    return *shaper;
}

}  // namespace

void SystemFonts::shape(FontId font, std::string_view text, const ShapeProperties& properties,
                        std::vector<PlacedGlyph>& out) const {
    const LoadedFace& face = impl_->loaded(font);
    // (a face's AsciiShaper is made only for text it may shape: making one shapes a
    // hundred strings, wasted on a face that only ever draws another script)
    if (!properties.right_to_left && properties.language.empty() && !text.empty() && AsciiShaper::covers(text) &&
        ascii_shaper(face).shape(text, out))
        return;
    // A Han, kana or Hangul character alone (CJK text is set a character at a time) is its
    // nominal glyph: the CJK fonts substitute nothing for one character horizontally.
    if (std::size_t i = 0; !text.empty() && static_cast<unsigned char>(text[0]) >= 0xE3) {
        char32_t c = text::next(text, i);
        if (i == text.size() && is_cjk_unit(c)) {
            if (LoadedFace::Nominal nominal = face.nominal(c); nominal.has) {
                out.push_back({nominal.glyph, 0, face.advance(c), 0, 0});
                return;
            }
        }
    }
    thread_local ShapeCache cache;
    bool cached = text.size() <= kShapeCacheMaxBytes && properties.language.empty();
    if (cached) {
        cache.key.clear();
        std::uint16_t serial = face.serial();
        cache.key += static_cast<char>(serial & 0xFF);
        cache.key += static_cast<char>(serial >> 8);
        cache.key += properties.right_to_left ? 'R' : 'L';
        cache.key.append(text);
        if (auto it = cache.entries.find(cache.key); it != cache.entries.end()) {
            auto begin = cache.glyphs.begin() + it->second.first;
            out.insert(out.end(), begin, begin + it->second.second);
            return;
        }
    }
    std::size_t first = out.size();
    shape_with_harfbuzz(face, text, properties, out);
    if (cached) {
        if (cache.entries.size() >= kShapeCacheEntries) {
            cache.entries.clear();
            cache.glyphs.clear();
        }
        cache.entries.emplace(cache.key, std::pair<std::uint32_t, std::uint32_t>(
                                             static_cast<std::uint32_t>(cache.glyphs.size()),
                                             static_cast<std::uint32_t>(out.size() - first)));
        cache.glyphs.insert(cache.glyphs.end(), out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    }
}

void SystemFonts::nominal_glyphs(FontId font, std::string_view text, std::vector<PlacedGlyph>& out) const {
    const LoadedFace& face = impl_->loaded(font);
    for (std::size_t i = 0; i < text.size();) {
        std::size_t at = i;
        char32_t c = text::next(text, i);
        hb_codepoint_t glyph = 0;
        hb_font_get_nominal_glyph(face.font(), c, &glyph);
        float advance = static_cast<float>(hb_font_get_glyph_h_advance(face.font(), glyph)) * face.per_unit();
        out.push_back({glyph, static_cast<std::uint32_t>(at), advance, 0, 0});
    }
}

float SystemFonts::glyph_advance(FontId font, std::uint32_t glyph) const {
    const LoadedFace& face = impl_->loaded(font);
    return static_cast<float>(hb_font_get_glyph_h_advance(face.font(), glyph)) * face.per_unit();
}

int SystemFonts::glyph_width_per_mille(FontId font, std::uint32_t glyph) const {
    const LoadedFace& face = impl_->loaded(font);
    const long upem = std::max(1L, static_cast<long>(hb_face_get_upem(face.face())));
    return static_cast<int>(static_cast<long>(hb_font_get_glyph_h_advance(face.font(), glyph)) * 1000 / upem);
}

std::size_t SystemFonts::size() const { return kFontCount; }

bool SystemFonts::synthetic_bold(FontId font) const { return impl_->at(font).synthetic_bold; }

FontId SystemFonts::glyph_source(FontId font) const { return impl_->at(font).glyph_source; }

const std::string& SystemFonts::file(FontId font) const {
    const Impl::Font& f = impl_->at(font);
    static const std::string none = "(not installed)";
    return f.face < 0 ? none : impl_->faces[static_cast<std::size_t>(f.face)]->path();
}

std::string SystemFonts::subset(FontId font, const std::vector<std::uint32_t>& glyphs,
                                std::vector<std::uint32_t>& new_ids) const {
    const LoadedFace& face = impl_->loaded(font);
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    if (!input) throw Error(ErrorKind::internal, face.path(), 0, "cannot create a subset input (out of memory)");
    hb_set_t* glyph_set = hb_subset_input_glyph_set(input);
    hb_set_add(glyph_set, 0);
    for (std::uint32_t glyph : glyphs) hb_set_add(glyph_set, glyph);
    hb_set_t* dropped = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (hb_tag_t tag : kDroppedTables) hb_set_add(dropped, tag);
    // No hinting: a PDF viewer rasterises at any size with its own hinter, and the
    // instructions are most of a Liberation glyph's bytes.
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);

    hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(face.subset_face(), input);
    hb_subset_input_destroy(input);
    if (!plan) throw Error(ErrorKind::internal, face.path(), 0, "HarfBuzz cannot plan the font's subset");
    const hb_map_t* old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    new_ids.clear();
    for (std::uint32_t glyph : glyphs) {
        hb_codepoint_t mapped = hb_map_get(old_to_new, glyph);
        new_ids.push_back(mapped == HB_MAP_VALUE_INVALID ? 0 : mapped);
    }
    hb_face_t* subset = hb_subset_plan_execute_or_fail(plan);
    hb_subset_plan_destroy(plan);
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
