#include "html/html_tree.hpp"

#include <algorithm>
#include <cstring>

#include "core/text.hpp"
#include "html/gumbo_arena.hpp"
#include "dconv/limits.hpp"

namespace dconv::html {

bool is_block_tag(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD:
        case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
        case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
        case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_LEGEND:
        case GUMBO_TAG_LI: case GUMBO_TAG_LISTING: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU:
        case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE:
        case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR:
        case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_UL: case GUMBO_TAG_XMP:
        case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_MULTICOL:
            return true;
        default:
            return false;
    }
}

int heading_level(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_H1: return 1;
        case GUMBO_TAG_H2: return 2;
        case GUMBO_TAG_H3: return 3;
        case GUMBO_TAG_H4: return 4;
        case GUMBO_TAG_H5: return 5;
        case GUMBO_TAG_H6: return 6;
        default: return 0;
    }
}

bool is_skipped_tag(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_TITLE: case GUMBO_TAG_META: case GUMBO_TAG_LINK:
        case GUMBO_TAG_BASE: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
        case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_APPLET: case GUMBO_TAG_CANVAS:
        case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_DATALIST:
        case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT: case GUMBO_TAG_BUTTON: case GUMBO_TAG_AUDIO:
        case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP: case GUMBO_TAG_AREA: case GUMBO_TAG_FRAMESET:
        case GUMBO_TAG_FRAME: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_PARAM:
        case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_KEYGEN:
            return true;
        default:
            return false;
    }
}

std::string_view unknown_tag_name(const GumboNode* node) {
    const GumboStringPiece& original = node->v.element.original_tag;
    if (original.length < 2 || original.data[0] != '<') return {};
    std::size_t end = 1;
    while (end < original.length && original.data[end] != ' ' && original.data[end] != '>' &&
           original.data[end] != '/' && original.data[end] != '\t' && original.data[end] != '\n')
        ++end;
    return std::string_view(original.data + 1, end - 1);
}

std::string_view attribute(const GumboNode* node, const char* name) {
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return {};
    const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
    return a ? std::string_view(a->value) : std::string_view();
}

bool has_attribute(const GumboNode* node, const char* name) {
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return false;
    return gumbo_get_attribute(&node->v.element.attributes, name) != nullptr;
}

namespace {

// Page(): a hidden element is shown when it holds this many times the text the page
// shows, and at least kMinRevealedChars (a page of a few words and a hidden cookie
// notice stays as it is). On WCXB's pages, hidden boxes of one to four times the shown
// text were tab panels, duplicated menus and product variants; the boxes a script was
// to reveal held 10 to 1,000 times the menus around them.
constexpr float kRevealedShare = 5;
constexpr float kMinRevealedChars = 500;

bool contains_folded(std::string_view haystack, std::string_view needle) {
    // haystack compared lower-cased with spaces removed: "Display : None" is display:none
    std::string folded;
    folded.reserve(haystack.size());
    for (char c : haystack) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') continue;
        folded += (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
    }
    return folded.find(needle) != std::string::npos;
}

// HTML's white space, which parts a class attribute's words.
bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Calls f(word) for each word of a class attribute, until a call returns true; says
// whether one did.
template <class F>
bool any_class_word(std::string_view cls, F&& f) {
    std::size_t k = 0;
    while (k < cls.size()) {
        while (k < cls.size() && is_html_space(cls[k])) ++k;
        std::size_t start = k;
        while (k < cls.size() && !is_html_space(cls[k])) ++k;
        if (k > start && f(cls.substr(start, k - start))) return true;
    }
    return false;
}

// A class of the CSS frameworks that hides a box ("hidden", "hide", "invisible",
// "d-none"), with no other class that shows it again at some screen size ("hidden
// md:block", "d-none d-lg-flex") or when opened ("collapse show" is another matter).
bool hidden_by_class(std::string_view cls) {
    bool hides = false;
    bool shows = any_class_word(cls, [&hides](std::string_view token) {
        if (token == "hidden" || token == "hide" || token == "invisible" || token == "d-none") hides = true;
        else if (token.find(':') != std::string_view::npos || token.substr(0, 2) == "d-" || token == "show" ||
                 token == "visible" || token == "in" || token == "open" || token == "active")
            return true;
        return false;
    });
    return hides && !shows;
}

}  // namespace

bool is_hidden(const GumboNode* node) {
    if (node->type != GUMBO_NODE_ELEMENT) return false;
    const GumboVector& attrs = node->v.element.attributes;
    for (unsigned i = 0; i < attrs.length; ++i) {
        poll_deadline();
        const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
        std::string_view name = a->name;
        if (name == "hidden") return true;
        if (name == "class" && hidden_by_class(a->value)) return true;
        if (name == "aria-hidden" && text::lower_ascii(text::trim(a->value)) == "true") return true;
        if (name == "style" && (contains_folded(a->value, "display:none") ||
                                contains_folded(a->value, "visibility:hidden")))
            return true;
    }
    return false;
}

namespace {

// The ids an element's attribute names as opened by it: aria-controls (ids separated by
// spaces), data-target and data-bs-target ("#id", or several selectors), href="#id".
void add_opened_ids(std::string_view value, bool selectors, std::vector<std::string_view>& out) {
    std::size_t k = 0;
    while (k < value.size()) {
        while (k < value.size() && (value[k] == ' ' || value[k] == '\t' || value[k] == '\n' || value[k] == ','))
            ++k;
        std::size_t start = k;
        while (k < value.size() && value[k] != ' ' && value[k] != '\t' && value[k] != '\n' && value[k] != ',') ++k;
        std::string_view token = value.substr(start, k - start);
        if (selectors) {
            if (token.size() < 2 || token[0] != '#') continue;
            token.remove_prefix(1);
        }
        if (!token.empty()) out.push_back(token);
    }
}

void collect_opened_ids(const GumboNode* node, std::vector<std::string_view>& out) {
    const GumboVector& attrs = node->v.element.attributes;
    for (unsigned i = 0; i < attrs.length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
        std::string_view name = a->name, value = a->value;
        if (name == "aria-controls") add_opened_ids(value, false, out);
        else if (name == "data-target" || name == "data-bs-target") add_opened_ids(value, true, out);
        else if (name == "href" && value.size() > 1 && value[0] == '#' &&
                 value.find_first_of(" \t\n") == std::string_view::npos)
            out.push_back(value.substr(1));
    }
}

// Whether a class attribute holds one of `tokens` as a whole word.
bool has_class_token(std::string_view cls, std::initializer_list<std::string_view> tokens) {
    return any_class_word(cls, [tokens](std::string_view word) {
        return std::find(tokens.begin(), tokens.end(), word) != tokens.end();
    });
}

}  // namespace

bool is_openable(const GumboNode* node, const std::vector<std::string_view>& opened) {
    if (node->type != GUMBO_NODE_ELEMENT) return false;
    std::string_view role = text::trim(attribute(node, "role"));
    if (role == "dialog" || role == "alertdialog" || has_attribute(node, "aria-modal")) return false;
    // a framework's overlay before its script gives it a role (Bootstrap's
    // <div class="modal fade" aria-labelledby=... tabindex="-1">): a dialog too
    if (has_class_token(attribute(node, "class"), {"modal", "offcanvas", "popover", "dropdown-menu"})) return false;
    if (role == "tabpanel") return true;
    if (has_attribute(node, "aria-labelledby") && text::trim(attribute(node, "tabindex")) != "-1") return true;
    std::string_view id = text::trim(attribute(node, "id"));
    return !id.empty() && std::binary_search(opened.begin(), opened.end(), id);
}

void measure_text(std::string_view s, bool link, TextMeasure& m) {
    float chars = 0;
    bool gap = false, any = false;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next(s, i);
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0xA0 || c == 0x3000) {
            gap = any;
            continue;
        }
        if (gap) chars += 1;
        gap = false;
        any = true;
        chars += text::is_cjk(c) ? 3 : 1;
        if (text::is_comma(c)) ++m.commas;
        else if (text::is_sentence_end(c)) ++m.sentence_ends;
    }
    m.chars += chars;
    if (link) m.link_chars += chars;
}

std::string excerpt(std::string_view s) {
    constexpr std::size_t kExcerptBytes = 60;
    s = text::trim(s);
    if (s.size() <= kExcerptBytes) return std::string(s);
    std::size_t cut = kExcerptBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut)) + "…";
}

std::string_view node_text(const GumboNode* node) {
    switch (node->type) {
        case GUMBO_NODE_TEXT: case GUMBO_NODE_CDATA: case GUMBO_NODE_WHITESPACE:
            return node->v.text.text;
        default:
            return {};
    }
}

namespace {

// Markup below this is parsed with gumbo's own allocator (malloc), not an arena: the
// arena maps a 256 KiB slab per size class a tree uses and unmaps it after, about 8
// mmap and 17 munmap calls and dozens of page faults per parse, which a small tree's
// memory does not repay. The Markdown reader parses each <table> HTML block alone:
// 40,000 tiny ones took 3.3 s of system time through the arena.
constexpr std::size_t kMinArenaMarkup = std::size_t(64) << 10;

}  // namespace

Page::Page(std::string_view markup, const Hide& hide, bool all_buttons)
    : arena_(markup.size() >= kMinArenaMarkup ? std::make_unique<GumboArena>() : nullptr),
      options_(arena_ ? arena_->options() : kGumboDefaultOptions),
      all_buttons_(all_buttons) {
    GumboOptions options = options_;
    options.max_errors = 0;  // parse errors are not reported: do not collect them
    output_ = gumbo_parse_with_options(&options, markup.data(), markup.size());
    if (arena_) arena_->finish_parse();
    try {
        std::vector<const GumboNode*> reveal = index(hide, {});
        if (!reveal.empty()) {
            std::sort(reveal.begin(), reveal.end());  // looked up once per hidden element
            elements_.clear();
            body_ = kNoElement;
            index(hide, reveal);
        }
    } catch (...) {  // a deadline, or memory: no destructor runs for a half-made Page
        if (!arena_) gumbo_destroy_output(&options_, output_);
        throw;
    }
}

// gumbo 0.10's own (exported by libgumbo, not declared in gumbo.h): frees a node and
// everything below it with the options' allocator, as gumbo_destroy_output does the tree.
extern "C" void gumbo_destroy_node(GumboOptions* options, GumboNode* node);

namespace {

// What a released child's place holds: an empty comment, which every reader passes over.
GumboNode* released_node() {
    static GumboNode node = [] {
        GumboNode n {};
        n.type = GUMBO_NODE_COMMENT;
        n.v.text.text = "";
        return n;
    }();
    return &node;
}

}  // namespace

void Page::release_children(std::uint32_t i) {
    if (!arena_) return;  // a small tree is freed whole, with the page
    auto* node = const_cast<GumboNode*>(elements_[i].node);
    GumboVector& children = node->v.element.children;
    GumboOptions options = options_;  // the allocator the tree was made with
    for (unsigned k = 0; k < children.length; ++k)
        if (children.data[k] != released_node())  // gumbo would walk it as its own
            gumbo_destroy_node(&options, static_cast<GumboNode*>(children.data[k]));
    children.length = 0;  // the element and its empty vector go with the arena
}

void Page::release_child(std::uint32_t i, unsigned k) {
    if (!arena_) return;  // a small tree is freed whole (gumbo's walk cannot free a placeholder)
    GumboVector& children = const_cast<GumboNode*>(elements_[i].node)->v.element.children;
    auto* child = static_cast<GumboNode*>(children.data[k]);
    if (child == released_node()) return;
    if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE) {
        // its own released children first: gumbo's walk follows each child's parent link
        GumboVector& below = child->v.element.children;
        GumboOptions options = options_;
        for (unsigned c = 0; c < below.length; ++c)
            if (below.data[c] != released_node()) gumbo_destroy_node(&options, static_cast<GumboNode*>(below.data[c]));
        below.length = 0;
    }
    GumboOptions options = options_;
    gumbo_destroy_node(&options, child);
    children.data[k] = released_node();
}

// A large tree is freed with its arena, all at once: gumbo_destroy_output would walk it.
Page::~Page() {
    if (!arena_ && output_) gumbo_destroy_output(&options_, output_);
}

namespace {

// The text a hidden element holds, in measure_text's characters (one more for each text
// node, where the index would count a gap), skipping what is never shown whatever the
// styles say (scripts, templates, form controls...).
float hidden_text_chars(const GumboNode* root) {
    float chars = 0;
    std::vector<const GumboNode*> todo = {root};
    while (!todo.empty()) {
        const GumboNode* node = todo.back();
        todo.pop_back();
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(children.data[i]);
            if (child->type == GUMBO_NODE_ELEMENT) {
                if (!is_skipped_tag(child->v.element.tag)) todo.push_back(child);
            } else if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
                TextMeasure m;
                measure_text(child->v.text.text, false, m);
                chars += m.chars + (m.chars > 0 ? 1 : 0);
            }
        }
    }
    return chars;
}

bool is_heading_tag(GumboTag tag) {
    return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
           tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

// Whether block `block` holds a word of its own (text whose nearest block it is) outside
// buttons, links and what is never shown: running text a button stands in.
bool holds_running_text(const GumboNode* block) {
    std::vector<const GumboNode*> todo = {block};
    while (!todo.empty()) {
        const GumboNode* node = todo.back();
        todo.pop_back();
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(children.data[i]);
            if (child->type == GUMBO_NODE_ELEMENT) {
                GumboTag tag = child->v.element.tag;
                if (is_skipped_tag(tag) || is_block_tag(tag) || tag == GUMBO_TAG_A || is_hidden(child)) continue;
                todo.push_back(child);
            } else if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) {
                std::string_view s = child->v.text.text;
                for (std::size_t k = 0; k < s.size();)
                    if (text::is_alnum(text::next(s, k))) return true;
            }
        }
    }
    return false;
}

}  // namespace

bool Page::button_in_text(const GumboNode* button, std::unordered_map<const GumboNode*, bool>& running) const {
    if (all_buttons_) return true;
    const GumboNode* block = nullptr;
    for (const GumboNode* a = button->parent; a && a->type == GUMBO_NODE_ELEMENT; a = a->parent) {
        GumboTag tag = a->v.element.tag;
        if (is_heading_tag(tag)) return true;
        if (!block && is_block_tag(tag)) block = a;
    }
    if (!block) return false;
    auto [it, fresh] = running.try_emplace(block, false);
    if (fresh) it->second = holds_running_text(block);
    return it->second;
}

std::vector<const GumboNode*> Page::index(const Hide& hide, const std::vector<const GumboNode*>& reveal) {
    std::vector<std::pair<const GumboNode*, float>> hidden;  // hidden elements, their text
    struct Frame {
        const GumboNode* node;
        std::uint32_t element;  // its index, kNoElement for the document
        std::uint32_t owner;    // nearest block-level element (for own text)
        unsigned next_child;
        bool link;
    };
    // The elements are counted first, so that the index is allocated once at its size:
    // grown by doubling, up to half of it would be spare (megabytes on a page of tables).
    // The ids that controls on the page open (is_openable) are gathered on the same walk.
    std::size_t count = 0;
    std::vector<std::string_view> opened;
    std::vector<const GumboNode*> todo = {output_->document};
    while (!todo.empty()) {
        const GumboNode* node = todo.back();
        todo.pop_back();
        const GumboVector& children = node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children
                                                                          : node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(children.data[i]);
            if (child->type != GUMBO_NODE_ELEMENT && child->type != GUMBO_NODE_TEMPLATE) continue;
            ++count;
            if (child->type == GUMBO_NODE_ELEMENT) collect_opened_ids(child, opened);
            todo.push_back(child);
        }
    }
    elements_.reserve(count);
    std::sort(opened.begin(), opened.end());
    opened.erase(std::unique(opened.begin(), opened.end()), opened.end());

    std::unordered_map<const GumboNode*, bool> running;  // button_in_text's, per block
    std::vector<Frame> stack;
    stack.push_back({output_->document, kNoElement, kNoElement, 0, false});
    while (!stack.empty()) {
        Frame& f = stack.back();
        const GumboVector& children = f.node->type == GUMBO_NODE_DOCUMENT ? f.node->v.document.children
                                                                           : f.node->v.element.children;
        if (f.next_child >= children.length) {
            if (f.element != kNoElement) elements_[f.element].end = static_cast<std::uint32_t>(elements_.size());
            stack.pop_back();
            continue;
        }
        const auto* child = static_cast<const GumboNode*>(children.data[f.next_child++]);
        if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE) {
            Element e;
            e.node = child;
            e.tag = child->v.element.tag;
            e.parent = f.element;
            e.line = child->v.element.start_pos.line;
            e.last_line = e.line;
            e.depth = f.element == kNoElement ? 0 : elements_[f.element].depth + 1;
            e.block = is_block_tag(e.tag);
            // <dialog> (unknown to gumbo 0.10): modal boxes, shown only when opened
            const bool control = is_skipped_tag(e.tag) &&
                                 (e.tag != GUMBO_TAG_BUTTON || !button_in_text(child, running));
            e.skipped = child->type == GUMBO_NODE_TEMPLATE || control ||
                        (e.tag == GUMBO_TAG_UNKNOWN && text::lower_ascii(unknown_tag_name(child)) == "dialog") ||
                        child->v.element.tag_namespace != GUMBO_NAMESPACE_HTML;
            e.folded = f.element != kNoElement && elements_[f.element].folded;
            if (!e.skipped && is_hidden(child)) {
                if (is_openable(child, opened)) {
                    e.folded = true;
                } else if (!std::binary_search(reveal.begin(), reveal.end(), child)) {
                    e.skipped = true;
                    // only a hidden box inside the body can be the content
                    if (reveal.empty() && body_ != kNoElement) hidden.emplace_back(child, hidden_text_chars(child));
                }
            }
            if (!e.skipped && hide && hide(*this, e)) e.skipped = true;
            auto index = static_cast<std::uint32_t>(elements_.size());
            if (e.tag == GUMBO_TAG_BODY && body_ == kNoElement) body_ = index;
            if (e.block && f.element != kNoElement) elements_[f.element].block_children = true;
            e.end = index + 1;
            bool skipped = e.skipped;
            bool link = f.link || (e.tag == GUMBO_TAG_A && has_attribute(child, "href"));
            std::uint32_t owner = e.block ? index : f.owner;
            elements_.push_back(e);
            if (!skipped) stack.push_back({child, index, owner, 0, link});
            continue;
        }
        if (f.element == kNoElement) continue;
        if (child->type != GUMBO_NODE_TEXT && child->type != GUMBO_NODE_CDATA) continue;
        const GumboText& t = child->v.text;
        TextMeasure m;
        measure_text(t.text, f.link, m);
        if (m.chars == 0) continue;
        std::uint32_t last = t.start_pos.line;
        for (const char* p = t.original_text.data, *end = p + t.original_text.length;
             (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
             ++p)
            ++last;
        Element& parent = elements_[f.element];
        parent.direct.add(m);
        parent.last_line = std::max(parent.last_line, last);
        if (f.owner != kNoElement) elements_[f.owner].own.add(m);
    }
    // subtree totals, children before parents
    for (Element& e : elements_) e.all.add(e.direct);
    for (std::size_t i = elements_.size(); i-- > 0;) {
        poll_deadline();
        const Element& e = elements_[i];
        if (e.parent == kNoElement) continue;
        Element& p = elements_[e.parent];
        p.all.add(e.all);
        p.last_line = std::max(p.last_line, e.last_line);
    }
    std::vector<const GumboNode*> shown;
    const float visible = body_ != kNoElement ? elements_[body_].all.chars : 0;
    for (const auto& [node, chars] : hidden)
        if (chars >= kMinRevealedChars && chars >= kRevealedShare * visible) shown.push_back(node);
    return shown;
}

std::string Page::text_of(std::uint32_t i, std::size_t limit) const { return subtree_text(elements_[i].node, limit); }

std::string Page::body_text(std::size_t limit) const {
    if (body_ != kNoElement) return text_of(body_, limit);
    // not indexed: inside an element the page left out (--drop-selector html)
    const GumboNode* root = output_->root;
    if (!root || root->type != GUMBO_NODE_ELEMENT) return {};
    const GumboVector& children = root->v.element.children;
    for (unsigned k = 0; k < children.length; ++k) {
        const auto* child = static_cast<const GumboNode*>(children.data[k]);
        if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY) return subtree_text(child, limit);
    }
    return {};
}

std::string Page::subtree_text(const GumboNode* top, std::size_t limit) {
    std::string out;
    std::vector<std::pair<const GumboNode*, unsigned>> stack;
    stack.push_back({top, 0});
    bool gap = false;
    while (!stack.empty() && out.size() < limit) {
        auto& [node, next] = stack.back();
        const GumboVector& children = node->v.element.children;
        if (next >= children.length) {
            stack.pop_back();
            continue;
        }
        const auto* child = static_cast<const GumboNode*>(children.data[next++]);
        if (child->type == GUMBO_NODE_ELEMENT) {
            GumboTag tag = child->v.element.tag;
            if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) continue;
            if (is_block_tag(tag) || tag == GUMBO_TAG_BR) gap = !out.empty();
            stack.push_back({child, 0});
            continue;
        }
        std::string_view s = node_text(child);
        for (std::size_t k = 0; k < s.size() && out.size() < limit;) {
            std::size_t start = k;
            char32_t c = text::next(s, k);
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0xA0 || c == 0x3000) {
                gap = !out.empty();
                continue;
            }
            if (gap) out += ' ';
            gap = false;
            out.append(s.substr(start, k - start));
        }
    }
    return out;
}

}  // namespace dconv::html
