// fonts.hpp: the fonts of a PDF edition — which font draws a character, how wide it is,
// and the subset of each font that goes into the file.
//
// Fonts are system TrueType files (libharu 2.3 embeds TrueType outlines only): Liberation
// Serif/Sans/Mono (fonts-liberation2) for Latin, Greek and Cyrillic, AR PL UMing
// (fonts-arphic-uming) for Han, kana and CJK punctuation. Files are read once per process
// and shared, read-only, by every thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/layout.hpp"

namespace dconv::pdf {

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
};

enum class Family { serif, sans, mono };

// The real fonts. Every (family, bold, italic) has a FontId; each has the CJK font as its
// fallback (a FontId of its own, marked synthetic_bold when the wanted face is bold,
// since UMing has no bold face). Safe to use from several threads at once; instances
// are cheap (the files and their tables are loaded once per process and shared).
class SystemFonts final : public FontTable {
public:
    // Finds the font files: $DCONV_FONT_DIR first, then the Debian paths. Throws
    // dconv::Error(io) naming the missing file and the package that installs it.
    SystemFonts();
    // Looks for the files in `font_dirs` only, in that order (tests, and callers with
    // their own fonts). Same errors.
    explicit SystemFonts(const std::vector<std::string>& font_dirs);
    ~SystemFonts() override;
    SystemFonts(const SystemFonts&) = delete;
    SystemFonts& operator=(const SystemFonts&) = delete;

    // Where SystemFonts() looks: $DCONV_FONT_DIR when set, then the Debian folders of
    // fonts-liberation2, fonts-liberation and fonts-arphic-uming.
    static std::vector<std::string> default_font_dirs();

    FontId id(Family family, bool bold, bool italic) const;
    // The CJK font (AR PL UMing), regular or drawn synthetic bold: what id()'s faces
    // fall back to. Also usable directly.
    FontId cjk(bool bold) const;

    FontId resolve(FontId wanted, char32_t c) const override;
    float advance(FontId font, char32_t c) const override;

    // For the renderer.
    std::size_t size() const;                     // number of FontIds
    bool synthetic_bold(FontId font) const;       // draw filled and stroked
    // The FontId whose file and glyphs `font` draws with: itself, except a synthetic
    // bold face, which draws the regular face's glyphs. The renderer embeds one subset
    // per glyph source, so a document's regular and bold CJK text share one font.
    FontId glyph_source(FontId font) const;
    // The font file, for messages.
    const std::string& file(FontId font) const;
    // A TrueType file holding the glyphs of `characters` (and .notdef) of `font`, with its
    // cmap, horizontal metrics and name table, without hinting: the file the PDF
    // embeds. Same input, same bytes.
    std::string subset(FontId font, const std::u32string& characters) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dconv::pdf
