// cmark_inlines.hpp: Markdown inline syntax (links, emphasis, code, GFM strikethrough and
// footnote references) to model inlines, and the cmark-gfm parser dconv uses.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "dconv/document.hpp"

struct cmark_node;

namespace dconv {

using CmarkTree = std::unique_ptr<cmark_node, void (*)(cmark_node*)>;

// What parse_gfm changed to keep cmark-gfm 0.29 linear on hostile input.
struct GfmHazards {
    bool tables_off = false;     // a line of more than kMaxTableColumns + 1 '|': no tables
    bool autolinks_off = false;  // thousands of "://" and "www.": no bare-URL links
    // Thousands of "<?" that no "?>" follows were written "\<?"; in code and raw HTML,
    // which keep backslashes, "\<?" is to be read as "<?" (restore_instructions).
    bool instructions_escaped = false;
};

// Parses a Markdown document with GitHub's extensions (tables, strikethrough, task lists,
// autolinks) and footnotes, as GitHub does. Never null (throws on allocation failure).
// On input that would make cmark-gfm 0.29 quadratic it leaves an extension off or
// escapes what cannot be markup anyway, and says so in `hazards`.
CmarkTree parse_gfm(std::string_view text, GfmHazards* hazards = nullptr);

// What a footnote reference becomes: the note (its content converted), or nullopt when
// the reference cannot be a note (inside another note, say); then it stays as text.
class NoteSource {
public:
    virtual ~NoteSource() = default;
    virtual std::optional<Inline> note(cmark_node* reference) = 0;
};

// Converts the inline children of a cmark node (a paragraph, heading or table cell) to
// model inlines. Soft breaks become spaces, hard breaks LineBreak, images Image (their
// description's text the alt text), strikethrough Strikeout, "<sub>"..."</sub>" and
// "<sup>"..."</sup>" Subscript and Superscript (what the Markdown writer writes).
// Footnote references go to `notes`; without it they are text. With RawHtml::markup
// (authored Markdown) raw inline HTML is read as the HTML reader reads it: a raw <img>
// tag is the Image it shows (image_of_html_tag), paired phrasing tags the model's inlines
// (cmark_inlines.cpp, TagUse); with RawHtml::text (a web-text dump, where tags are the
// page's source leaking into its text, or a page about HTML quoting them) every other
// tag stays text as written.
enum class RawHtml { text, markup };
Inlines inlines_from_cmark(cmark_node* parent, NoteSource* notes = nullptr, RawHtml raw_html = RawHtml::text);

// A raw HTML <img> tag ("<img src=\"a.png\" alt=\"A\">", as Markdown authors write for a
// width or a figure) as the image it shows: its source the `src` (else a lazy loader's
// `data-src`, else the first of its `srcset`), the others its fallbacks; alt and title
// with their character references decoded. nullopt for any other markup, and for an
// <img> without a source.
std::optional<Image> image_of_html_tag(std::string_view markup);

// An HTML block that only shows images: <img> tags, maybe inside <p>, <div>, <center>,
// <a href> (a Link around the image), <picture> (its <source>s ignored: the <img> is
// the fallback every reader shows) or a <figure> whose <figcaption> is its caption. The
// images' paragraph, or a Figure of it when a caption is there; nullopt
// for any other block (text outside the caption, other elements), which stays markup.
std::optional<BlockNode> images_of_html_block(std::string_view html);

// Parses one line (or a run of text with no block structure) as Markdown inlines only:
// characters that would start a block ("4. ", "# ", "- ", "> ") are taken literally.
// CommonMark only, no extensions: web-text dumps are not GitHub Markdown.
Inlines parse_inline_markdown(std::string_view text);

}  // namespace dconv
