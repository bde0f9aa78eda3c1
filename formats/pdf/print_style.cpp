// print_style.cpp: parsing print styles, a small subset of CSS (print_style.hpp).
#include "pdf/print_style.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <span>

#include "core/css_scan.hpp"
#include "core/embedded_style.hpp"
#include "core/regular_file.hpp"
#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv {
extern const EmbeddedStyle kEmbeddedPrintStyles[];
extern const std::size_t kEmbeddedPrintStylesCount;
}  // namespace dconv

namespace dconv::pdf {

namespace {

constexpr std::string_view kDefaultStyle = "default";
constexpr float kPointsPerInch = 72.0f;
constexpr float kPointsPerMm = kPointsPerInch / 25.4f;
// --paper's sides, in points: from 2in (a text block needs room) to 200in (PDF's own
// limit on a page, 14,400 units)
constexpr float kMinPaperSide = 2 * kPointsPerInch;
constexpr float kMaxPaperSide = 200 * kPointsPerInch;
// The smallest text block a page style and paper must leave inside the margins: a line
// of a few words, and a few lines.
constexpr float kMinTextWidth = 1 * kPointsPerInch;
constexpr float kMinTextHeight = 2 * kPointsPerInch;

// A length in points as messages say it: "2in", "1.5in".
std::string inches(float points) {
    std::string out = std::to_string(points / kPointsPerInch);
    out.erase(out.find_last_not_of('0') + 1);
    if (out.ends_with('.')) out.pop_back();
    return out + "in";
}
// A length in points, in millimetres: the one conversion messages use.
float millimetres(float points) { return points / kPointsPerMm; }
// "2in (51mm)"
std::string inches_and_mm(float points) {
    return inches(points) + " (" + std::to_string(std::lround(millimetres(points))) + "mm)";
}
// "66mm": a least size in whole millimetres, rounded up (rounded to the nearest, the
// size named could be a little too small)
std::string whole_mm_at_least(float points) {
    return std::to_string(static_cast<int>(std::ceil(millimetres(points)))) + "mm";
}
// "1in by 2in": the smallest text block
std::string min_text_block() { return inches(kMinTextWidth) + " by " + inches(kMinTextHeight); }

constexpr std::array<std::string_view, kElementCount> kElementNames = {
    "body", "h1", "h2", "h3", "h4", "h5", "h6", "title", "subtitle", "byline", "source",
    "running-header", "page-number", "pre", "code", "blockquote", "li", "a", "hr", "toc",
    "toc-chapter", "figcaption", "caption", "table", "footnote",
};

struct Declaration {
    std::string property;
    std::string value;
    std::uint32_t line = 0;
};

struct Sheet {
    std::vector<Declaration> page;
    std::array<std::vector<Declaration>, kElementCount> elements;
};

[[noreturn]] void fail(std::string_view file, std::uint32_t line, const std::string& message) {
    throw Error(ErrorKind::usage, std::string(file), line, "style: " + message);
}

// What a style says that print cannot honour (a screen style's selectors such as
// "nav a:hover", properties such as display, values such as font-size: larger): ignored,
// the first one remembered with its line for the one warning, the rest counted.
class Ignored {
public:
    explicit Ignored(std::string_view file) : file_(file) {}
    void add(std::uint32_t line, std::string what) {
        if (count_++ == 0) {
            line_ = line;
            first_ = std::move(what);
        }
    }
    std::string message() const {
        if (count_ == 0) return {};
        std::string out = file_ + ":" + std::to_string(line_) + ": " + first_;
        if (count_ > 1) out += " and " + std::to_string(count_ - 1) + " more";
        return out + " ignored: a print style honours element selectors, font-family, font-size, "
                     "font-weight, font-style, line-height, text-align, text-indent, hyphens, text-autospace, color and "
                     "margins";
    }

private:
    std::string file_;
    std::size_t count_ = 0;
    std::uint32_t line_ = 0;
    std::string first_;
};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// The first of `chars` at or after `from` that is not inside a quoted string
// (`content: "}"` is a value, not the end of its rule), or npos.
std::size_t find_unquoted(std::string_view css, std::size_t from, std::string_view chars) {
    for (std::size_t k = from; k < css.size(); ++k) {
        if (css[k] == '"' || css[k] == '\'') k = css::string_end(css, k);
        else if (chars.find(css[k]) != std::string_view::npos) return k;
        if (k >= css.size()) break;
    }
    return std::string_view::npos;
}

// Comments become spaces (newlines kept, so that line numbers stay right); a "/*" in a
// string is not one.
std::string strip_comments(std::string_view css, std::string_view file) {
    std::size_t unclosed = std::string::npos;
    std::string out = css::blank_comments(css, &unclosed);
    if (unclosed != std::string::npos) {
        auto line = static_cast<std::uint32_t>(std::count(css.begin(), css.begin() + static_cast<std::ptrdiff_t>(unclosed), '\n') + 1);
        fail(file, line, "comment not closed");
    }
    return out;
}

// Screen selectors that name what a print style element styles.
std::string_view print_element(std::string_view selector) {
    if (selector == "p" || selector == "html" || selector == "article" || selector == "main") return "body";
    if (selector == "ul" || selector == "ol") return "li";
    return selector;
}

Sheet parse_sheet(std::string_view css_in, std::string_view file, Ignored& ignored) {
    std::string css = strip_comments(css_in, file);
    Sheet sheet;
    std::uint32_t line = 1;
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < css.size() && (css[i] == ' ' || css[i] == '\t' || css[i] == '\r' || css[i] == '\n')) {
            if (css[i] == '\n') ++line;
            ++i;
        }
    };
    while (true) {
        skip_space();
        if (i >= css.size()) break;
        std::uint32_t selector_line = line;
        if (css[i] == '@') {  // a statement at-rule (@import, @charset): to its ';'
            std::size_t semicolon = find_unquoted(css, i, ";"), brace = find_unquoted(css, i, "{");
            if (semicolon != std::string::npos && (brace == std::string::npos || semicolon < brace)) {
                ignored.add(selector_line, "'" + std::string(css, i, semicolon + 1 - i) + "'");
                line += static_cast<std::uint32_t>(std::count(css.begin() + static_cast<std::ptrdiff_t>(i),
                                                              css.begin() + static_cast<std::ptrdiff_t>(semicolon), '\n'));
                i = semicolon + 1;
                continue;
            }
        }
        std::size_t open = find_unquoted(css, i, "{");
        if (open == std::string::npos) fail(file, selector_line, "expected '{' after a selector");
        std::string_view selectors(css.data() + i, open - i);
        line += static_cast<std::uint32_t>(std::count(selectors.begin(), selectors.end(), '\n'));
        std::string_view trimmed = text::trim(selectors);
        if (trimmed.starts_with("@") && lower(trimmed) != "@page") {
            // @media, @font-face, @supports...: skipped whole, nested blocks and all
            int depth = 0;
            std::size_t k = open;
            for (; k < css.size(); ++k) {
                if (css[k] == '"' || css[k] == '\'') {
                    std::size_t end = css::string_end(css, k);
                    line += static_cast<std::uint32_t>(std::count(css.begin() + static_cast<std::ptrdiff_t>(k),
                                                                  css.begin() + static_cast<std::ptrdiff_t>(std::min(end, css.size())), '\n'));
                    k = end;
                    if (k >= css.size()) break;
                }
                if (css[k] == '\n') ++line;
                if (css[k] == '{') ++depth;
                if (css[k] == '}' && --depth == 0) break;
            }
            if (k >= css.size()) fail(file, selector_line, "block not closed with '}'");
            ignored.add(selector_line, "'" + std::string(trimmed) + "'");
            i = k + 1;
            continue;
        }
        std::size_t close = find_unquoted(css, open, "}");
        if (close == std::string::npos) fail(file, selector_line, "block not closed with '}'");
        std::string_view body(css.data() + open + 1, close - open - 1);

        // Declarations, each with its own line.
        std::vector<Declaration> declarations;
        std::uint32_t at = line;
        for (std::size_t start = 0; start <= body.size();) {
            std::size_t end = find_unquoted(body, start, ";");
            if (end == std::string_view::npos) end = body.size();
            std::string_view raw = body.substr(start, end - start);
            std::size_t lead = 0;
            while (lead < raw.size() && std::isspace(static_cast<unsigned char>(raw[lead]))) {
                if (raw[lead] == '\n') ++at;
                ++lead;
            }
            std::string_view decl = text::trim(raw);
            if (!decl.empty()) {
                std::size_t colon = decl.find(':');
                if (colon == std::string_view::npos)
                    fail(file, at, "expected 'property: value' in '" + std::string(decl) + "'");
                declarations.push_back({lower(text::trim(decl.substr(0, colon))),
                                        lower(text::trim(decl.substr(colon + 1))), at});
            }
            at += static_cast<std::uint32_t>(std::count(raw.begin() + lead, raw.end(), '\n'));
            start = end + 1;
        }
        line += static_cast<std::uint32_t>(std::count(body.begin(), body.end(), '\n'));

        std::string_view rest = selectors;
        while (!rest.empty()) {
            std::size_t comma = rest.find(',');
            std::string name = lower(text::trim(rest.substr(0, comma)));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (!name.empty() && name[0] == '.') name.erase(0, 1);  // ".title" as well as "title"
            if (name == "@page") {
                sheet.page.insert(sheet.page.end(), declarations.begin(), declarations.end());
                continue;
            }
            auto found = std::find(kElementNames.begin(), kElementNames.end(), print_element(name));
            if (found == kElementNames.end()) {
                ignored.add(selector_line, "selector '" + name + "'");
                continue;
            }
            auto& list = sheet.elements[static_cast<std::size_t>(found - kElementNames.begin())];
            list.insert(list.end(), declarations.begin(), declarations.end());
        }
        i = close + 1;
    }
    return sheet;
}

std::vector<std::string_view> words(std::string_view value) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && value[i] == ' ') ++i;
        std::size_t start = i;
        while (i < value.size() && value[i] != ' ') ++i;
        if (i > start) out.push_back(value.substr(start, i - start));
    }
    return out;
}

// A length in points; `em` is the font size it is relative to. nullopt for a unitless
// number when `unitless` is not given, or for anything that is not a length.
std::optional<float> length(std::string_view v, float em, std::optional<float> unitless = std::nullopt) {
    float number = 0;
    auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), number);
    if (error != std::errc() || !(number >= 0) || number > 10000) return std::nullopt;
    std::string_view unit(end, static_cast<std::size_t>(v.data() + v.size() - end));
    if (unit == "pt") return number;
    if (unit == "mm") return number * kPointsPerMm;
    if (unit == "cm") return number * 10 * kPointsPerMm;
    if (unit == "in") return number * kPointsPerInch;
    if (unit == "px") return number * 0.75f;
    if (unit == "em") return number * em;
    if (unit.empty() && number == 0) return 0.0f;
    if (unit.empty() && unitless) return number * *unitless;
    return std::nullopt;
}

std::optional<Color> color(std::string_view v) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    // CSS's named colours, the common ones.
    static constexpr std::pair<std::string_view, std::uint32_t> kNamed[] = {
        {"black", 0x000000}, {"white", 0xFFFFFF}, {"gray", 0x808080}, {"grey", 0x808080}, {"silver", 0xC0C0C0},
        {"dimgray", 0x696969}, {"dimgrey", 0x696969}, {"darkgray", 0xA9A9A9}, {"darkgrey", 0xA9A9A9},
        {"lightgray", 0xD3D3D3}, {"slategray", 0x708090}, {"red", 0xFF0000}, {"darkred", 0x8B0000},
        {"maroon", 0x800000}, {"firebrick", 0xB22222}, {"crimson", 0xDC143C}, {"brown", 0xA52A2A},
        {"orange", 0xFFA500}, {"darkorange", 0xFF8C00}, {"gold", 0xFFD700}, {"yellow", 0xFFFF00},
        {"olive", 0x808000}, {"green", 0x008000}, {"darkgreen", 0x006400}, {"forestgreen", 0x228B22},
        {"lime", 0x00FF00}, {"teal", 0x008080}, {"darkcyan", 0x008B8B}, {"cyan", 0x00FFFF}, {"aqua", 0x00FFFF},
        {"blue", 0x0000FF}, {"navy", 0x000080}, {"darkblue", 0x00008B}, {"midnightblue", 0x191970},
        {"royalblue", 0x4169E1}, {"steelblue", 0x4682B4}, {"dodgerblue", 0x1E90FF}, {"purple", 0x800080},
        {"indigo", 0x4B0082}, {"darkviolet", 0x9400D3}, {"magenta", 0xFF00FF}, {"fuchsia", 0xFF00FF},
        {"darkslategray", 0x2F4F4F}, {"darkslategrey", 0x2F4F4F}, {"saddlebrown", 0x8B4513}, {"sienna", 0xA0522D},
    };
    for (const auto& [name, rgb] : kNamed)
        if (v == name)
            return Color{float((rgb >> 16) & 255) / 255.0f, float((rgb >> 8) & 255) / 255.0f, float(rgb & 255) / 255.0f};
    if (v.starts_with("rgb(") || v.starts_with("rgba(")) {  // rgb(139, 0, 0) or rgb(139 0 0 / 50%)
        std::string inner(v.substr(v.find('(') + 1));
        if (inner.empty() || inner.back() != ')') return std::nullopt;
        inner.pop_back();
        for (char& c : inner)
            if (c == ',' || c == '/') c = ' ';
        auto parts = words(inner);
        if (parts.size() < 3) return std::nullopt;
        float rgb[3];
        for (int k = 0; k < 3; ++k) {
            float number = 0;
            auto [end, error] = std::from_chars(parts[k].data(), parts[k].data() + parts[k].size(), number);
            if (error != std::errc() || !(number >= 0)) return std::nullopt;
            bool percent = end != parts[k].data() + parts[k].size() && *end == '%';
            rgb[k] = std::min(1.0f, percent ? number / 100 : number / 255);
        }
        return Color{rgb[0], rgb[1], rgb[2]};
    }
    if (v.size() != 4 && v.size() != 7) return std::nullopt;
    if (v[0] != '#') return std::nullopt;
    float parts[3];
    for (int k = 0; k < 3; ++k) {
        int hi, lo;
        if (v.size() == 4) hi = lo = hex(v[1 + k]);
        else hi = hex(v[1 + 2 * k]), lo = hex(v[2 + 2 * k]);
        if (hi < 0 || lo < 0) return std::nullopt;
        parts[k] = static_cast<float>(hi * 16 + lo) / 255.0f;
    }
    return Color{parts[0], parts[1], parts[2]};
}

// A value print cannot use: ignored, with the declaration's line.
void bad_value(Ignored& ignored, const Declaration& d, std::string_view expected) {
    ignored.add(d.line, "'" + d.property + ": " + d.value + "' (expected " + std::string(expected) + ")");
}

// A font-family list ("Georgia, 'Times New Roman', serif"): the first family named or
// generic that maps to one of the faces (Liberation is metric-compatible with Times,
// Arial and Courier), or nullopt.
std::optional<Family> family_of(std::string_view list) {
    std::string_view rest = list;
    while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        std::string name(text::trim(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'')) name = name.substr(1, name.size() - 2);
        if (name == "serif" || name.find("times") != std::string::npos || name.find("georgia") != std::string::npos ||
            name.find("liberation serif") != std::string::npos || name.find("garamond") != std::string::npos ||
            name.find("palatino") != std::string::npos || name.find("noto serif") != std::string::npos)
            return Family::serif;
        if (name == "sans" || name == "sans-serif" || name == "system-ui" || name.find("arial") != std::string::npos ||
            name.find("helvetica") != std::string::npos || name.find("liberation sans") != std::string::npos ||
            name.find("verdana") != std::string::npos || name.find("noto sans") != std::string::npos ||
            name.find("dejavu sans") != std::string::npos || name == "-apple-system")
            return name.find("mono") != std::string::npos ? Family::mono : Family::sans;
        if (name == "mono" || name == "monospace" || name.find("courier") != std::string::npos ||
            name.find("mono") != std::string::npos || name.find("consolas") != std::string::npos ||
            name.find("menlo") != std::string::npos)
            return Family::mono;
    }
    return std::nullopt;
}

// Applies one element's declarations to `s`, which starts as what it inherits.
// `parent_size` is the size em means for font-size.
void apply(TextStyle& s, const std::vector<Declaration>& declarations, float parent_size,
           float parent_ratio, Ignored& file) {
    // font-size first: em and unitless line-height depend on it.
    bool leading_set = false;
    for (const Declaration& d : declarations) {
        if (d.property == "font-size") {
            auto v = length(d.value, parent_size);
            if (!v || *v < 1 || *v > 500) {
                bad_value(file, d, "a size from 1pt to 500pt");
                continue;
            }
            s.size = *v;
        }
    }
    for (const Declaration& d : declarations) {
        const std::string& p = d.property;
        std::string_view v = d.value;
        if (p == "font-size") continue;
        if (p == "font-family") {
            if (auto family = family_of(v)) s.family = *family;
            else bad_value(file, d, "a list with serif, sans-serif or monospace");
        } else if (p == "font-weight") {
            if (v == "bold" || v == "bolder" || v == "600" || v == "700" || v == "800" || v == "900") s.bold = true;
            else if (v == "normal" || v == "lighter" || v == "100" || v == "200" || v == "300" || v == "400" ||
                     v == "500")
                s.bold = false;
            else bad_value(file, d, "bold or normal");
        } else if (p == "font-style") {
            if (v == "italic" || v == "oblique") s.italic = true;
            else if (v == "normal") s.italic = false;
            else bad_value(file, d, "italic or normal");
        } else if (p == "line-height") {
            auto x = length(v, s.size, s.size);
            if (v == "normal") x = s.size * 1.2f;
            if (!x || *x < s.size * 0.5f || *x > 1000) {
                bad_value(file, d, "a length, or a number times the font size, not under half the size");
                continue;
            }
            s.leading = *x;
            leading_set = true;
        } else if (p == "text-align") {
            if (v == "justify") s.align = Align::justify;
            else if (v == "left" || v == "start") s.align = Align::left;
            else if (v == "center") s.align = Align::center;
            else if (v == "right" || v == "end") s.align = Align::right;
            else bad_value(file, d, "justify, left, center or right");
        } else if (p == "hyphens") {
            if (v == "auto") s.hyphenate = true;
            else if (v == "none" || v == "manual") s.hyphenate = false;
            else bad_value(file, d, "auto or none");
        } else if (p == "text-autospace") {
            if (v == "no-autospace") s.autospace = false;
            else if (v == "normal" || v == "auto" || v.find("ideograph-alpha") != std::string_view::npos ||
                     v.find("ideograph-numeric") != std::string_view::npos)
                s.autospace = true;
            else bad_value(file, d, "normal or no-autospace");
        } else if (p == "color") {
            auto c = color(v);
            if (!c) {
                bad_value(file, d, "#rgb, #rrggbb, rgb() or a colour's name");
                continue;
            }
            s.color = *c;
        } else if (p == "text-indent" || p == "margin-top" || p == "margin-bottom" ||
                   p == "margin-left" || p == "margin-right") {
            auto x = length(v, s.size);
            if (!x) {
                bad_value(file, d, "a length (pt, mm, cm, in, px, em)");
                continue;
            }
            if (p == "text-indent") s.indent = *x;
            else if (p == "margin-top") s.margin_top = *x;
            else if (p == "margin-bottom") s.margin_bottom = *x;
            else if (p == "margin-left") s.margin_left = *x;
            else s.margin_right = *x;
        } else if (p == "margin") {
            std::vector<float> sides;
            for (std::string_view part : words(v))
                if (auto x = length(part, s.size)) sides.push_back(*x);
                else sides.clear(), sides.resize(5);  // a bad part: the whole value is bad
            if (sides.empty() || sides.size() > 4) {
                bad_value(file, d, "one to four lengths");
                continue;
            }
            if (sides.size() == 1) sides = {sides[0], sides[0], sides[0], sides[0]};
            else if (sides.size() == 2) sides = {sides[0], sides[1], sides[0], sides[1]};
            else if (sides.size() == 3) sides = {sides[0], sides[1], sides[2], sides[1]};
            s.margin_top = sides[0], s.margin_right = sides[1], s.margin_bottom = sides[2], s.margin_left = sides[3];
        } else {
            file.add(d.line, "'" + p + ": " + d.value + "'");
        }
    }
    // A new size without a new line height keeps the inherited proportion.
    if (!leading_set) {
        bool size_set = std::any_of(declarations.begin(), declarations.end(),
                                    [](const Declaration& d) { return d.property == "font-size"; });
        if (size_set) s.leading = s.size * parent_ratio;
    }
}

// A text block of at least kMinTextWidth by kMinTextHeight.
bool leaves_room(const PrintStyle& style) {
    return style.measure() >= kMinTextWidth &&
           style.paper.height - style.margin_top - style.margin_bottom >= kMinTextHeight;
}

std::span<const EmbeddedStyle> embedded() { return {kEmbeddedPrintStyles, kEmbeddedPrintStylesCount}; }

}  // namespace

std::string_view element_name(Element e) { return kElementNames[static_cast<std::size_t>(e)]; }

PaperSize parse_paper(std::string_view text_in) {
    std::string t = lower(text::trim(text_in));
    if (t == "a4") return {595.276f, 841.89f};
    if (t == "letter") return {612, 792};
    if (t == "a5") return {419.528f, 595.276f};
    if (t == "legal") return {612, 1008};
    if (t == "a3") return {841.89f, 1190.551f};
    std::string spaced = t;
    std::replace(spaced.begin(), spaced.end(), 'x', ' ');
    auto parts = words(spaced);
    if (parts.size() == 2) {
        auto w = length(parts[0], 0, 1.0f), h = length(parts[1], 0, 1.0f);
        if (w && h && *w >= kMinPaperSide && *h >= kMinPaperSide && *w <= kMaxPaperSide && *h <= kMaxPaperSide)
            return {*w, *h};
        if (w && h)
            throw Error(ErrorKind::usage, "", 0,
                        "paper '" + std::string(text_in) + "' is too " +
                            (std::min(*w, *h) < kMinPaperSide
                                 ? "small: each side must be at least " + inches_and_mm(kMinPaperSide)
                                 : "large: each side must be at most " + inches_and_mm(kMaxPaperSide)));
    }
    throw Error(ErrorKind::usage, "", 0,
                "unknown paper '" + std::string(text_in) +
                    "' (a4, letter, a5, legal, a3, or width and height such as '150mm 220mm', "
                    "each from " + inches(kMinPaperSide) + " to " + inches(kMaxPaperSide) + ")");
}

PrintStyle parse_print_style(std::string_view css, std::string_view file) {
    Ignored ignored(file);
    Sheet sheet = parse_sheet(css, file, ignored);
    PrintStyle style;
    style.name = std::string(file);

    TextStyle base;  // what body starts from when the style says nothing
    base.family = Family::serif;
    base.size = 11;
    base.leading = 14.5f;
    TextStyle& body = style[Element::body];
    body = base;
    apply(body, sheet.elements[0], base.size, base.leading / base.size, ignored);
    const float ratio = body.leading / body.size;

    for (std::size_t e = 1; e < kElementCount; ++e) {
        TextStyle s = body;  // inherited properties; margins are not inherited
        s.margin_top = s.margin_bottom = s.margin_left = s.margin_right = 0;
        auto element = static_cast<Element>(e);
        if (element == Element::code || element == Element::pre) s.family = Family::mono;
        apply(s, sheet.elements[e], body.size, ratio, ignored);
        style.elements[e] = s;
    }

    for (const Declaration& d : sheet.page) {
        if (d.property == "size") {
            try {
                style.paper = parse_paper(d.value);
            } catch (const Error&) {
                bad_value(ignored, d, "a4, letter, a5, legal, a3, or a width and a height");
            }
        } else if (d.property == "margin") {
            auto parts = words(d.value);
            std::vector<float> v;
            for (std::string_view part : parts) {
                auto x = length(part, body.size);
                if (!x) break;
                v.push_back(*x);
            }
            if (v.size() != parts.size() || v.empty() || v.size() > 4) {
                bad_value(ignored, d, "one to four lengths");
                continue;
            }
            if (v.size() == 1) v = {v[0], v[0], v[0], v[0]};
            else if (v.size() == 2) v = {v[0], v[1], v[0], v[1]};
            else if (v.size() == 3) v = {v[0], v[1], v[2], v[1]};
            style.margin_top = v[0], style.margin_right = v[1], style.margin_bottom = v[2], style.margin_left = v[3];
        } else {
            ignored.add(d.line, "'@page { " + d.property + ": " + d.value + " }'");
        }
    }
    if (!leaves_room(style)) fail(file, 0, "the margins leave less than " + min_text_block() + " of the page for text");
    style.ignored = ignored.message();
    return style;
}

PrintStyle print_style_for(std::string_view name_or_file, std::string_view paper) {
    PrintStyle style = load_print_style(name_or_file);
    if (!paper.empty()) {
        style.paper = parse_paper(paper);
        if (!leaves_room(style)) {
            // the smallest paper that leaves the smallest text block inside the margins
            const float width = std::max(kMinPaperSide, style.margin_left + style.margin_right + kMinTextWidth);
            const float height = std::max(kMinPaperSide, style.margin_top + style.margin_bottom + kMinTextHeight);
            throw Error(ErrorKind::usage, "", 0,
                        "paper '" + std::string(paper) + "' is too small for the margins of style '" + style.name +
                            "': the smallest it takes is " + whole_mm_at_least(width) + " by " +
                            whole_mm_at_least(height) + " (a text block of " + min_text_block() + ")");
        }
    }
    return style;
}

PrintStyle load_print_style(std::string_view name_or_file) {
    std::string_view wanted = name_or_file.empty() ? kDefaultStyle : name_or_file;
    for (const EmbeddedStyle& s : embedded())
        if (s.name == wanted) {
            PrintStyle style = parse_print_style(s.css, "styles/print/" + std::string(s.name) + ".css");
            style.name = std::string(s.name);
            return style;
        }
    std::string file(wanted);
    struct stat st {};
    bool looks_like_a_path = file.find('/') != std::string::npos || file.ends_with(".css");
    if (!looks_like_a_path && ::stat(file.c_str(), &st) != 0 && errno == ENOENT) {
        std::string names;
        for (const EmbeddedStyle& s : embedded()) names += (names.empty() ? "" : ", ") + std::string(s.name);
        throw Error(ErrorKind::usage, "", 0,
                    "unknown print style '" + file + "' (built in: " + names + "; or give a CSS file)");
    }
    std::string css = read_regular_file(file, kMaxStyleBytes, "style");
    if (css.starts_with("\xEF\xBB\xBF")) css.erase(0, 3);
    return parse_print_style(css, file);
}

std::vector<StyleInfo> builtin_print_styles() {
    std::vector<StyleInfo> out;
    for (const EmbeddedStyle& s : embedded()) out.push_back({std::string(s.name), describe_style(s.css)});
    std::sort(out.begin(), out.end(), [](const StyleInfo& a, const StyleInfo& b) { return a.name < b.name; });
    return out;
}

}  // namespace dconv::pdf
