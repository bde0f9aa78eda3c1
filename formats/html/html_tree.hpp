// html_tree.hpp: a parsed page. Gumbo's tree, plus a flat index of its elements in
// document order that carries what content selection measures on each: where it
// stands, whether it is shown, and how much text, link text and punctuation it holds.
//
// Private to formats/html. Nothing here recurses: the index is built with an explicit
// stack, so nesting depth costs no stack (markup_prescan.hpp bounds it anyway, for
// gumbo's sake).
#pragma once

#include <gumbo.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dconv::html {

class GumboArena;

inline constexpr std::uint32_t kNoElement = UINT32_MAX;

// Text measured the way the cleaner measures it: lengths in Latin-equivalent
// characters (a CJK character counts three, a run of white space one).
struct TextMeasure {
    float chars = 0;
    float link_chars = 0;        // inside <a href>
    std::uint32_t commas = 0;    // , ， 、 ، : clause marks of running prose
    std::uint32_t sentence_ends = 0;
    float link_density() const { return chars > 0 ? link_chars / chars : 0.0f; }
    void add(const TextMeasure& o) {
        chars += o.chars;
        link_chars += o.link_chars;
        commas += o.commas;
        sentence_ends += o.sentence_ends;
    }
};

// One per element of the page, some 80 bytes (packed: a page of table cells has one for
// every 17 bytes of markup, so the index is a fifth of the reader's peak memory).
struct Element {
    const GumboNode* node = nullptr;  // an element (or template) node
    std::uint32_t parent = kNoElement;
    std::uint32_t end = 0;        // one past the index of its last descendant
    std::uint32_t line = 0;       // of its start tag, 1-based (0: made up by the parser)
    std::uint32_t last_line = 0;  // of the last text inside it
    GumboTag tag : 8 = GUMBO_TAG_UNKNOWN;  // gumbo's tags are fewer than 256
    unsigned depth : 16 = 0;      // markup_prescan.hpp keeps it under kMaxElementDepth
    bool block : 1 = false;           // block-level: its content starts a block of its own
    bool skipped : 1 = false;         // never shown: scripts, styles, form controls, hidden
    bool block_children : 1 = false;  // holds block-level elements (else its text is a paragraph)
    bool folded : 1 = false;          // hidden until a control on the page opens it (is_openable), or inside such a box
    TextMeasure direct;  // text nodes that are its children
    TextMeasure own;     // text whose nearest block-level ancestor this is (block elements only)
    TextMeasure all;     // all text below it
};
static_assert(GUMBO_TAG_LAST < 256, "Element::tag holds gumbo's tags in 8 bits");
static_assert(sizeof(Element) <= 80, "Element packed");

// Tags that start a block of their own (HTML's flow content that is not phrasing).
bool is_block_tag(GumboTag tag);
// The level of a heading tag (1 for <h1>), 0 for another tag.
int heading_level(GumboTag tag);
// Tags whose content is never shown as text: scripts, styles, templates, SVG and MathML,
// embedded objects and frames, form controls, media. Not ruby annotations (<rt>, <rp>):
// a reading is text, kept after its base ("漢字(かんじ)", block_builder). <noscript> is
// not one of them: gumbo parses its content as markup, and pages written for scripts
// keep their text there for everyone else (Discourse forums put every post in one).
bool is_skipped_tag(GumboTag tag);

// The name of an element gumbo does not know (GUMBO_TAG_UNKNOWN), as written.
std::string_view unknown_tag_name(const GumboNode* node);
// The value of attribute `name` (lower case) of an element node; empty when absent.
std::string_view attribute(const GumboNode* node, const char* name);
bool has_attribute(const GumboNode* node, const char* name);
// hidden, aria-hidden="true", or an inline style with display:none / visibility:hidden.
bool is_hidden(const GumboNode* node);
// A hidden element a reader can open where it stands: a tab panel (role="tabpanel"), a
// box labelled by its opener (aria-labelledby), or a box whose id a control on the page
// names (`opened`, sorted: aria-controls, data-target, data-bs-target, href="#id"); not
// a dialog (role="dialog", aria-modal, or a framework's overlay by its class: modal,
// offcanvas, popover, dropdown-menu; a labelled box out of the tab order, tabindex="-1"),
// which opens over the page, not in it.
bool is_openable(const GumboNode* node, const std::vector<std::string_view>& opened);

// Measures `text` (collapsing white space) into `m`; `link`: it is link text.
void measure_text(std::string_view text, bool link, TextMeasure& m);

class Page {
public:
    // Parses `markup` (UTF-8, prepared by prepare_markup) and indexes its elements.
    // An element for which `hide` is true (asked as it is indexed, its ancestors indexed
    // before it) is skipped with all it holds, as a hidden one is: --drop-selector.
    // A hidden element (is_hidden) holding several times the text shown on the page
    // (html_tree.cpp's kRevealedShare) is shown after all: a page saved before its
    // scripts ran often keeps its whole content in a box they were to reveal (a
    // product's details in <div hidden>, a listing under display:none), and a reader
    // that skipped it would be left with the menus. A hidden element a control on the
    // page opens (is_openable: a tab panel, an accordion's answer) is shown too, its
    // elements marked Element::folded, so that the cleaner can tell what the reader
    // sees only on demand.
    // A <button>'s text is text where a reader reads it as such: in a heading (an FAQ's
    // question, a section's toggle) or in running text ("Press <button>Subscribe</button>
    // to hear more"); a button standing alone (a row of Share, Sign in, Copy) is a
    // control, skipped as the other form controls are, unless `all_buttons` (a page read
    // without cleaning keeps everything it shows).
    using Hide = std::function<bool(const Page&, const Element&)>;
    explicit Page(std::string_view markup, const Hide& hide = {}, bool all_buttons = false);
    ~Page();
    Page(const Page&) = delete;
    Page& operator=(const Page&) = delete;

    const std::vector<Element>& elements() const { return elements_; }
    const Element& operator[](std::uint32_t i) const { return elements_[i]; }
    std::uint32_t size() const { return static_cast<std::uint32_t>(elements_.size()); }
    // The index of <body> (kNoElement when absent, which gumbo never leaves).
    std::uint32_t body() const { return body_; }

    // True when `ancestor` is `i` or contains it.
    bool contains(std::uint32_t ancestor, std::uint32_t i) const {
        return i >= ancestor && i < elements_[ancestor].end;
    }
    // Frees the subtrees of element i's children (the element stays, childless): for a
    // reader that has built them and reads them no more (build_blocks_consuming). Their
    // elements stay in the index, with dangling nodes: not to be read again.
    void release_children(std::uint32_t i);
    // Frees child k of element i's node, with all it holds (a child it has already
    // released included), and puts an empty comment in its place: a reader frees each
    // node as soon as it has read it, so the arena's slabs empty as it goes. Only the
    // children of an element being read may have been released. Both do nothing on a
    // page of under kMinArenaMarkup (html_tree.cpp), parsed without an arena and freed whole.
    void release_child(std::uint32_t i, unsigned k);

    // The concatenated text of an element's subtree (scripts and hidden parts aside),
    // white space collapsed; at most `limit` bytes.
    std::string text_of(std::uint32_t i, std::size_t limit = SIZE_MAX) const;
    // The same of the document's <body>, indexed or not: the tree keeps what `hide` left
    // out of the index, so this is the page's text before --drop-selector took any.
    std::string body_text(std::size_t limit = SIZE_MAX) const;

private:
    static std::string subtree_text(const GumboNode* top, std::size_t limit);
    // `reveal`: hidden elements shown nonetheless (see the constructor). Returns the
    // hidden elements' nodes that held several times the text the page shows.
    std::vector<const GumboNode*> index(const Hide& hide, const std::vector<const GumboNode*>& reveal);
    // Whether a button's text reads as text (see the constructor); `running` caches, per
    // block node, whether it holds words outside buttons and links.
    bool button_in_text(const GumboNode* button,
                        std::unordered_map<const GumboNode*, bool>& running) const;

    std::unique_ptr<GumboArena> arena_;  // holds a large page's tree: freed with it
    GumboOptions options_;               // the allocator the tree was made with (the arena's, or malloc)
    GumboOutput* output_ = nullptr;
    std::vector<Element> elements_;
    std::uint32_t body_ = kNoElement;
    bool all_buttons_ = false;
};

// The start of a text for explanations: about 60 bytes, cut at a character, "…" added
// when cut.
std::string excerpt(std::string_view text);

// The text of a text-like gumbo node (text, CDATA, white space); empty for others.
std::string_view node_text(const GumboNode* node);

}  // namespace dconv::html
