// fonts.hpp: the fonts of a PDF edition — which font draws a character, how text is
// shaped into glyphs, and the subset of each font that goes into the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/layout.hpp"

namespace dconv::pdf {

// How a run of text is shaped: its direction and, when known, its language (BCP 47),
// which selects language forms (locl) in fonts that have them.
struct ShapeProperties {
    bool right_to_left = false;
    std::string_view language;
};

// What the line breaker and typesetter need to know of fonts. An interface, so that
// layout can be tested with made-up metrics.
class FontTable {
public:
    virtual ~FontTable() = default;
    // The font that draws `c` when `wanted` is asked for: `wanted` itself when it has a
    // glyph for c, else the first of its fallbacks that has one; -1 when none has.
    virtual FontId resolve(FontId wanted, char32_t c) const = 0;
    // The advance width of `c` in `font`, in em (times the size gives points). Only
    // asked for characters that resolve() gave `font` for.
    virtual float advance(FontId font, char32_t c) const = 0;
    // Appends to `out` the glyphs that draw UTF-8 `text` in `font` (every character
    // resolved to it), in visual order, clusters as byte offsets into `text`. This
    // default draws one glyph per character (its id the code point, its advance
    // advance()), reversed when right to left: made-up fonts shape nothing.
    virtual void shape(FontId font, std::string_view text, const ShapeProperties& properties,
                       std::vector<PlacedGlyph>& out) const;
    // The face that `wanted` stands for in text of `language` (BCP 47, may be empty):
    // the same family and style, falling back to fonts of that language's forms first
    // (Japanese kanji from a Japanese font, Korean from a Korean one). Default: wanted.
    virtual FontId for_language(FontId wanted, std::string_view language) const {
        (void)language;
        return wanted;
    }
};

enum class Family { serif, sans, mono };

// The real fonts, all system TrueType files from Debian (libharu 2.3 embeds TrueType
// outlines only): Liberation Serif/Sans/Mono for Latin, Greek and Cyrillic, and behind
// them, chosen per character by its script, Noto (Arabic, Hebrew, Indic, Thai and
// others; fonts-noto-core), AR PL UMing for Chinese, IPAex/IPA for Japanese, Nanum for
// Korean, then DejaVu Sans and Noto Sans Symbols for symbols. Every (family, bold,
// italic) has a FontId, and one per language preference (for_language()); the fallback
// faces have FontIds of their own, bold ones drawn synthetic bold where the family has
// no bold face. Only the Liberation faces must be installed; a fallback file that is
// missing is skipped (its characters are then reported missing). Files are found when
// SystemFonts is made and loaded on first use, so that Latin text never reads a CJK
// font. Safe to use from several threads at once; instances are cheap (the files found
// and their tables are kept once per process and folder list, and shared).
class SystemFonts final : public FontTable {
public:
    // Finds the font files: $DCONV_FONT_DIR first, then the Debian paths. Throws
    // dconv::Error(io) naming a missing Liberation file and the package that installs it.
    SystemFonts();
    // Looks for the files in `font_dirs` only, in that order (tests, and callers with
    // their own fonts). Same errors.
    explicit SystemFonts(const std::vector<std::string>& font_dirs);
    ~SystemFonts() override;
    SystemFonts(const SystemFonts&) = delete;
    SystemFonts& operator=(const SystemFonts&) = delete;

    // Where SystemFonts() looks: $DCONV_FONT_DIR when set, then the Debian folders of
    // fonts-liberation2, fonts-liberation, fonts-arphic-uming, fonts-noto-core,
    // fonts-ipaexfont, fonts-ipafont, fonts-nanum and fonts-dejavu-core.
    static std::vector<std::string> default_font_dirs();

    FontId id(Family family, bool bold, bool italic) const;
    // The Chinese font (AR PL UMing), regular or drawn synthetic bold. Also usable
    // directly.
    FontId cjk(bool bold) const;

    FontId resolve(FontId wanted, char32_t c) const override;
    float advance(FontId font, char32_t c) const override;
    // HarfBuzz's shaping, with the font's kerning and standard ligatures.
    void shape(FontId font, std::string_view text, const ShapeProperties& properties,
               std::vector<PlacedGlyph>& out) const override;
    FontId for_language(FontId wanted, std::string_view language) const override;

    // For the renderer.
    std::size_t size() const;                     // number of FontIds
    bool synthetic_bold(FontId font) const;       // draw filled and stroked
    // The FontId whose file and glyphs `font` draws with: itself, except a face that
    // stands for another (a synthetic bold face, a language preference), which draws the
    // other's glyphs. The renderer embeds one subset per glyph source.
    FontId glyph_source(FontId font) const;
    // The font file, for messages.
    const std::string& file(FontId font) const;
    // Glyphs of `text` by the font's cmap, one per character, no shaping (GlyphRun
    // without glyphs); a character the font lacks is glyph 0 (.notdef).
    void nominal_glyphs(FontId font, std::string_view text, std::vector<PlacedGlyph>& out) const;
    // The advance of glyph `glyph` of `font`, in em.
    float glyph_advance(FontId font, std::uint32_t glyph) const;
    // The same in thousandths of an em, truncated from font units: the width a PDF's /W
    // array gives the glyph, and with which the page content places it.
    int glyph_width_per_mille(FontId font, std::uint32_t glyph) const;

    // A TrueType file holding `glyphs` of `font` (and .notdef) with their outlines and
    // horizontal metrics, without hinting: the file the PDF embeds, and `new_ids`, the
    // glyphs' indices in it (the same order as `glyphs`). Same input, same bytes.
    std::string subset(FontId font, const std::vector<std::uint32_t>& glyphs, std::vector<std::uint32_t>& new_ids) const;

private:
    struct Impl;
    static void build(Impl& table, const std::vector<std::string>& font_dirs);
    std::shared_ptr<const Impl> impl_;  // shared by the SystemFonts of the same folders
};

}  // namespace dconv::pdf
