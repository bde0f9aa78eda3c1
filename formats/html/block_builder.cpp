#include "html/block_builder.hpp"

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/html_text.hpp"
#include "core/text.hpp"
#include "dconv/fetch.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "html/explanation.hpp"
#include "html/footnotes.hpp"
#include "html/image_source.hpp"
#include "html/page_metadata.hpp"
#include "html/table_kind.hpp"

namespace dconv::html {

namespace {

bool is_collapsible_space(char32_t c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0xA0 || c == 0x3000 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x1680;
}

// Characters the decode stage would have dropped, arriving here through entities.
bool is_invisible(char32_t c) {
    return c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0xAD /* soft hyphen */ ||
           (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c < 0xA0);
}

// A segment break between two of these disappears (CSS Text 3): Chinese and Japanese
// text has no spaces between words. Hangul uses spaces.
bool wide_for_breaks(char32_t c) {
    return text::is_cjk(c) && !(c >= 0xAC00 && c <= 0xD7AF) && !(c >= 0x1100 && c <= 0x11FF);
}

// A link worth keeping: not empty, not the page itself, and not script (javascript:,
// vbscript:) or an inline document (data:, which can carry a page of script): those
// links go in every output format alike, their text stays.
bool usable_href(std::string_view href) {
    href = text::trim(href);
    return !href.empty() && href != "#" && !text::is_script_url(href);
}

std::uint32_t text_last_line(const GumboNode* node) {
    const GumboText& t = node->v.text;
    std::uint32_t line = t.start_pos.line;
    for (std::size_t i = 0; i < t.original_text.length; ++i) line += t.original_text.data[i] == '\n';
    return line;
}

// Removes trailing white space and line breaks from the end of inlines, recursively into
// the last container (emphasis, strong, link), dropping containers left empty.
void trim_end(Inlines& inlines) {
    while (!inlines.empty()) {
        Inline& last = inlines.back();
        if (std::holds_alternative<LineBreak>(last)) {
            inlines.pop_back();
            continue;
        }
        if (auto* t = std::get_if<Text>(&last)) {
            while (!t->text.empty() && t->text.back() == ' ') t->text.pop_back();
            if (t->text.empty()) {
                inlines.pop_back();
                continue;
            }
            return;
        }
        Inlines* children = inline_children(last);
        if (!children) return;  // code, an image, a note
        trim_end(*children);
        if (children->empty()) {
            inlines.pop_back();
            continue;
        }
        return;
    }
}

// A heading's section tools: a bracketed group of short links at its end, after its text
// ("History[edit]", "History [edit | edit source]", MediaWiki's in every language), are
// controls of the site, not words of the heading. Removed from `heading`, with the space
// before them; a heading that is nothing but such a group stays as it is.
void drop_section_tools(Inlines& heading) {
    constexpr std::size_t kMaxToolChars = 24;
    auto text_of = [](const Inline& in) -> const std::string* {
        const auto* t = std::get_if<Text>(&in.base());
        return t ? &t->text : nullptr;
    };
    if (heading.size() < 3) return;
    std::size_t k = heading.size() - 1;
    const std::string* close = text_of(heading[k]);
    if (!close || text::trim(*close) != "]") return;
    bool links = false;
    while (k-- > 0) {
        if (const auto* link = std::get_if<Link>(&heading[k].base())) {
            std::string words = plain_text(link->children);
            if (words.empty() || words.size() > kMaxToolChars) return;
            links = true;
            continue;
        }
        const std::string* t = text_of(heading[k]);
        if (!t) return;
        std::string_view between = text::trim(*t);
        if (between == "|" || between == "\u00b7" || between == "," || between == "/") continue;
        if (!links || between.empty() || between.back() != '[') return;
        // the heading's own words: in this text or in an inline before it
        if (k == 0 && text::trim(between.substr(0, between.size() - 1)).empty()) return;
        break;
    }
    if (k >= heading.size()) return;  // ran off the front: no opening bracket
    auto& open = std::get<Text>(heading[k].base()).text;
    open.erase(open.rfind('['));
    heading.erase(heading.begin() + static_cast<std::ptrdiff_t>(k) + 1, heading.end());
    trim_end(heading);
}

// A note whose back-links are gone may still open with the mark that stood before them
// as text (Wikipedia's "^ a b Smith, J. ...", the letters being links back): the mark,
// and the space after it, lead nowhere now.
void drop_leading_marks(Blocks& note) {
    Inlines* content = note.empty() ? nullptr : inline_content(note.front());
    if (!content || content->empty()) return;
    auto* t = std::get_if<Text>(&content->front().base());
    if (!t) return;
    std::size_t i = 0, end = 0;
    while (i < t->text.size()) {
        std::size_t at = i;
        char32_t c = text::next(t->text, i);
        if (c == ' ') {
            end = i;
            continue;
        }
        if (c != '^' && c != U'\u2191' && c != U'\u21a9' && c != U'\u2303') {  // ^ ↑ ↩ ⌃
            i = at;
            break;
        }
        end = 0;  // a mark must be followed by a space to go
    }
    if (end == 0) return;
    t->text.erase(0, end);
    if (t->text.empty()) content->erase(content->begin());
}

// The column alignment a cell declares (align="right", style="text-align: right").
Alignment declared_alignment(const GumboNode* cell) {
    std::string value = text::lower_ascii(text::trim(attribute(cell, "align")));
    if (value.empty()) {
        std::string style = text::lower_ascii(attribute(cell, "style"));
        std::size_t at = style.find("text-align");
        if (at != std::string::npos) {
            std::size_t colon = style.find(':', at);
            if (colon != std::string::npos) {
                std::size_t end = style.find(';', colon);
                value = std::string(text::trim(std::string_view(style).substr(
                    colon + 1, end == std::string::npos ? std::string::npos : end - colon - 1)));
            }
        }
    }
    if (value == "left" || value == "start") return Alignment::Left;
    if (value == "center" || value == "middle") return Alignment::Center;
    if (value == "right" || value == "end") return Alignment::Right;
    return Alignment::Default;
}

// The language a code block's markup names in its class, by the conventions in wide
// use: "language-python" (HTML's own recommendation, Prism, highlight.js), "lang-python"
// (prettify), "highlight-source-python" (GitHub), "highlight-python notranslate" (Sphinx,
// whose "default" and "none" name no language), "sourceCode python" (pandoc) and "brush: python"
// (SyntaxHighlighter). Empty when the class names none, or a name no language has.
// `wrapper`: the class of a <div> around the <pre>, where only the highlighters' own
// forms (GitHub's, Sphinx's) are read: there "lang-fr" or "language-fr" says the human
// language of the text inside, not a programming language.
std::string code_language(std::string_view classes, bool wrapper = false) {
    std::vector<std::string_view> words;
    for (std::size_t at = 0; at < classes.size();) {
        std::size_t start = classes.find_first_not_of(" \t\r\n\f", at);
        if (start == std::string_view::npos) break;
        std::size_t end = std::min(classes.find_first_of(" \t\r\n\f", start), classes.size());
        words.push_back(classes.substr(start, end - start));
        at = end;
    }
    for (std::size_t k = 0; k < words.size(); ++k) {
        std::string_view w = words[k];
        std::string_view name;
        for (std::string_view prefix : {"language-", "lang-", "highlight-source-", "highlight-"})
            if (w.size() > prefix.size() && text::starts_with_ci(w, prefix) &&
                (!wrapper || prefix.starts_with("highlight-"))) {
                name = w.substr(prefix.size());
                break;
            }
        // Sphinx's "highlight-python" comes with "notranslate"; alone, "highlight-box" is
        // more likely a style
        const bool sphinx = std::find(words.begin(), words.end(), "notranslate") != words.end();
        if (text::starts_with_ci(w, "highlight-") && !text::starts_with_ci(w, "highlight-source-") &&
            (!sphinx || name == "default" || name == "none"))
            name = {};
        if (name.empty() && !wrapper && w == "brush:" && k + 1 < words.size()) name = words[k + 1];
        if (name.empty() && !wrapper && w.starts_with("brush:")) name = w.substr(6);
        if (!name.empty() && name.back() == ';') name.remove_suffix(1);
        if (text::is_code_language_name(name)) return std::string(name);
    }
    // pandoc: class="sourceCode python", its other word the language
    if (!wrapper && words.size() == 2 && (words[0] == "sourceCode" || words[1] == "sourceCode")) {
        std::string_view name = words[0] == "sourceCode" ? words[1] : words[0];
        if (text::is_code_language_name(name)) return std::string(name);
    }
    return {};
}

int declared_span(const GumboNode* cell, const char* name, int cap) {
    std::string_view v = text::trim(attribute(cell, name));
    int n = 0;
    for (std::size_t k = 0; k < v.size() && k < 7 && v[k] >= '0' && v[k] <= '9'; ++k) n = n * 10 + (v[k] - '0');
    return std::clamp(n, 1, cap);
}

// A paragraph inside a figure, parted into what it shows (images, alone or linked) and
// what it says (a caption or a photo credit).
bool shows(const Inline& in) {
    if (std::holds_alternative<Image>(in)) return true;
    const auto* link = std::get_if<Link>(&in);
    if (!link) return false;
    bool image = false;
    for (const Inline& child : link->children) {
        if (std::holds_alternative<Image>(child)) image = true;
        else if (const auto* t = std::get_if<Text>(&child); !t || !text::trim(t->text).empty()) return false;
    }
    return image;
}

void breaks_to_spaces(Inlines& inlines);

// A link holding images and words too ("Enlarge", a title): the image's own link (to
// its larger version, or anywhere).
bool links_image(const Inline& in) {
    const auto* link = std::get_if<Link>(&in);
    return link && std::any_of(link->children.begin(), link->children.end(),
                               [](const Inline& child) { return std::holds_alternative<Image>(child); });
}

// A link of images and words is parted too: its images, linked, are shown; its words,
// linked, join what the figure says.
void part_figure_paragraph(Inlines& content, Inlines& shown, Inlines& said) {
    for (Inline& in : content) {
        if (shows(in)) {
            shown.push_back(std::move(in));
        } else if (links_image(in)) {
            Link& link = std::get<Link>(in);
            Link images{{}, link.url, link.title}, words{{}, link.url, link.title};
            for (Inline& child : link.children)
                (std::holds_alternative<Image>(child) ? images : words).children.push_back(std::move(child));
            shown.push_back(std::move(images));
            breaks_to_spaces(words.children);
            bool empty = std::all_of(words.children.begin(), words.children.end(), [](const Inline& w) {
                const auto* t = std::get_if<Text>(&w);
                return t && text::trim(t->text).empty();
            });
            if (!empty) said.push_back(std::move(words));
        } else if (!std::holds_alternative<LineBreak>(in)) {
            said.push_back(std::move(in));
        }
    }
}

// A caption is one run of text (validate()): its line breaks become spaces.
void breaks_to_spaces(Inlines& inlines) {
    for (Inline& in : inlines) {
        if (std::holds_alternative<LineBreak>(in)) in = Text{" "};
        else if (Inlines* children = inline_children(in)) breaks_to_spaces(*children);
    }
}

// Appends inlines to a caption, a space between the parts.
void append_caption(Inlines& caption, Inlines part) {
    breaks_to_spaces(part);
    normalize(part);
    trim_end(part);
    if (part.empty()) return;
    if (!caption.empty()) caption.push_back(Text{" "});
    for (Inline& in : part) caption.push_back(std::move(in));
    normalize(caption);
}

// A caption's or a term's blocks joined into one line of inlines (append_caption's way).
Inlines joined_inlines(Blocks& blocks) {
    Inlines joined;
    for (Block& b : blocks) {
        Inlines part;
        if (Inlines* in = inline_content(b)) part = std::move(*in);
        else if (std::string t = plain_text(b); !t.empty()) part.push_back(Text{text::squeeze_spaces(t)});
        append_caption(joined, std::move(part));
    }
    return joined;
}

// Top-level blocks handed to BuildOptions::flush at a time.
constexpr std::size_t kFlushBlocks = 256;

class Builder {
public:
    // `note_root`: this builder reads one note (that element, hidden from the text);
    // kNoElement for the text itself.
    Builder(const Page& page, const std::vector<bool>& removed, const BuildOptions& options, const NoteIndex& notes,
            std::uint32_t note_root = kNoElement)
        : page_(page), removed_(removed), options_(options), notes_(notes), note_root_(note_root) {
        containers_.push_back(Container{Container::Kind::root, {}, {}, {}});
    }

    void build(std::uint32_t root) {
        struct Walk {
            std::uint32_t element;
            unsigned next_child;
            std::uint32_t next_index;  // arena index of the next element child
            unsigned entered;          // what enter() opened (flags below)
        };
        std::vector<Walk> stack;
        if (!visible(root)) return;
        current_ = root;
        stack.push_back({root, 0, root + 1, enter(root)});
        while (!stack.empty()) {
            Walk& w = stack.back();
            const GumboNode* node = page_[w.element].node;
            const GumboVector& children = node->v.element.children;
            if ((w.entered & kOpaque) || w.next_child >= children.length) {
                exit(w.element, w.entered);
                std::uint32_t built = w.element;
                stack.pop_back();
                // Built: not read again. In a block, the element goes at once (the slabs
                // its nodes stand in then empty as the reading goes on); in an inline
                // element (a <picture>, whose <source>s an <img> reads) or as a root, it
                // stays, childless, until its parent goes.
                if (releasing_ && !stack.empty() && page_[stack.back().element].block)
                    releasing_->release_child(stack.back().element, stack.back().next_child - 1);
                else if (releasing_)
                    releasing_->release_children(built);
                current_ = stack.empty() ? kNoElement : stack.back().element;
                continue;
            }
            const bool release_passed = releasing_ && page_[w.element].block;  // see above
            const auto* child = static_cast<const GumboNode*>(children.data[w.next_child++]);
            if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE) {
                std::uint32_t index = w.next_index;
                w.next_index = page_[index].end;
                if (!visible(index)) {
                    if (release_passed) releasing_->release_child(w.element, w.next_child - 1);
                    continue;
                }
                current_ = index;
                unsigned entered = enter(index);
                stack.push_back({index, 0, index + 1, entered});
                continue;
            }
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
                child->type == GUMBO_NODE_WHITESPACE)
                text(child);
            if (release_passed) releasing_->release_child(w.element, w.next_child - 1);
        }
    }

    // the innermost element being read, and the element of the open paragraph's first
    // text (BuildOptions::block_elements)
    std::uint32_t current_ = kNoElement;
    std::uint32_t paragraph_element_ = kNoElement;
    // The second of the same picture twice in a row, left out (add_image): a third copy
    // right after puts it back, and then every further copy stays (in_row_of_same_); so
    // do words right after the pair (restore_pair_before_words).
    std::optional<Image> collapsed_copy_;
    bool in_row_of_same_ = false;
    bool collapsed_after_space_ = false;  // white space stood between the pair: put back with the copy
    // Where the pair's first image is when it is in the open paragraph (target(depth)[index]),
    // for words after the pair; pair_in_paragraph_ is false once that paragraph or frame closed.
    bool pair_in_paragraph_ = false;
    std::size_t pair_depth_ = 0, pair_index_ = 0;

    Blocks take() {
        finish_paragraph();
        while (containers_.size() > 1) pop_container();
        return std::move(containers_.front().blocks);
    }

private:
    // what enter() did, undone by exit()
    static constexpr unsigned kBlock = 1;      // a block boundary at both ends
    static constexpr unsigned kContainer = 2;  // pushed a container
    static constexpr unsigned kHeading = 4;
    static constexpr unsigned kPre = 8;
    static constexpr unsigned kRow = 16;
    static constexpr unsigned kFrame = 32;     // pushed an inline frame
    static constexpr unsigned kOpaque = 64;    // children not visited (br, img, hr)
    static constexpr unsigned kFigure = 128;   // counted a figure (images in it are no icons)
    static constexpr unsigned kTable = 256;    // opened a data table
    static constexpr unsigned kTableRow = 512;
    static constexpr unsigned kRubyText = 1024;  // opened the parentheses of a ruby reading

    struct Container {
        enum class Kind { root, quote, list, item, figure, caption, table, cell, definitions, term, definition } kind;
        Blocks blocks;
        List list;
        SourceRange source;
        Inlines caption;                 // a figure's or table's, from its caption container
        std::size_t caption_at = SIZE_MAX;  // a figure's: where among its blocks the caption stood
        TableCell cell;                  // a cell's spans
        DefinitionList definitions;      // a <dl>'s items since its last loose block
        bool terms_answered = false;     // an empty <dd> closed the last item's terms
        bool count_down_from_items = false;  // an <ol reversed> without start: start = items
    };
    struct Frame {
        enum class Kind { emphasis, strong, link, code, strikeout, superscript, subscript } kind;
        std::string url;
        Inlines children;
        std::string code;
    };
    // A data table being read: its rows so far, the current row, and which columns the
    // cells of rows above still cover (their row spans).
    struct TableBuild {
        std::uint32_t element;
        Table table;
        bool in_head = false;        // inside <thead>
        bool row_open = false;
        bool row_all_th = true;
        bool row_in_head = false;
        TableRow row;
        std::size_t column = 0;      // where the next cell of the row starts
        std::vector<int> covered;    // per column: rows the spans above still cover
        std::vector<Alignment> head_alignment, body_alignment;
        std::size_t clipped = 0;     // cells beyond kMaxTableColumns
    };

    // Whether the element before element `i` among its siblings is an <rp> (the page's
    // elements are in document order: the one before `i`, or an ancestor of it, is that
    // sibling, unless it is the parent).
    bool after_ruby_parenthesis(std::uint32_t i) const {
        const std::uint32_t parent = page_[i].parent;
        if (i == 0) return false;
        std::uint32_t j = i - 1;
        while (j != parent && page_[j].parent != parent) j = page_[j].parent;
        return j != parent && page_[j].tag == GUMBO_TAG_RP;
    }

    bool visible(std::uint32_t i) const {
        if (page_[i].skipped) return false;
        if (!notes_.empty()) {
            if (notes_.left_out[i]) return false;
            if (notes_.hidden[i] && i != note_root_) return false;
        }
        return note_root_ != kNoElement || !removed_[i];  // a note is read whatever selection did
    }

    // Whether element `i` is shown when the element `at`, being read, is: the boxes holding
    // `i` that do not hold `at` are all visible.
    bool shown_beside(std::uint32_t i, std::uint32_t at) const {
        for (std::uint32_t a = i; a != kNoElement && !page_.contains(a, at); a = page_[a].parent)
            if (!visible(a)) return false;
        return true;
    }

    // ------------------------------------------------------------ structure

    unsigned enter(std::uint32_t i) {
        const Element& e = page_[i];
        GumboTag tag = e.tag;
        if (tag == GUMBO_TAG_BR) {
            line_break();
            return kOpaque;
        }
        if (tag == GUMBO_TAG_WBR) return kOpaque;
        // A ruby reading (<rt>) follows its base in parentheses: those of the <rp> around
        // it, read as text, else its own ("漢字(かんじ)", as a browser without ruby shows it).
        if (tag == GUMBO_TAG_RT && !after_ruby_parenthesis(i)) {
            append_text("(");
            return kRubyText;
        }
        if (note_root_ == kNoElement && !notes_.empty()) {
            auto note = notes_.target_at.find(i);
            if (note != notes_.target_at.end()) {
                add_note(i, note->second);
                return kOpaque;
            }
        }
        if (tag == GUMBO_TAG_IMG && noscript_copies_.erase(i)) {
            if (options_.explain && options_.explain->keeps_notes())
                options_.explain->note(explanation("html-images", "removed", {e.line, e.line},
                                                   "image: the copy in <noscript> of the image before it", {},
                                                   excerpt(attribute(e.node, "src"))));
            return kOpaque;
        }
        // the image's twin in <noscript> (image_source.hpp), left out when met; `image`: its
        // sources, when finding the twin read them
        std::optional<ImageSource> image;
        std::uint32_t copy =
            tag == GUMBO_TAG_IMG ? noscript_copy_after(page_, i, figure_depth_ > 0, options_.page_url, image) : kNoElement;
        if (copy != kNoElement) noscript_copies_.insert(copy);
        // a twin in a <noscript> put before its image: the image takes its sources when met
        // (only when the image is shown: the cleaner may have removed its box, a dialog's opener)
        if (std::uint32_t original = tag == GUMBO_TAG_IMG ? noscript_original_after(page_, i) : kNoElement;
            original != kNoElement && shown_beside(original, i)) {
            if (options_.explain && options_.explain->keeps_notes())
                options_.explain->note(explanation("html-images", "removed", {e.line, e.line},
                                                   "image: the copy in <noscript> of the image after it", {},
                                                   excerpt(attribute(e.node, "src"))));
            noscript_originals_.emplace(original, image_source(page_, i, figure_depth_ > 0, options_.page_url));
            return kOpaque;
        }
        auto original_of = noscript_originals_.find(i);
        if (tag == GUMBO_TAG_IMG && !options_.image_alt) {
            if (pre_depth_ == 0 && heading_level_ == 0) add_image(i, std::move(image));
            return kOpaque;
        }
        if (tag == GUMBO_TAG_IMG) {
            {
                std::string_view alt = text::trim(attribute(e.node, "alt"));
                if (alt.empty() && copy != kNoElement) alt = text::trim(attribute(page_[copy].node, "alt"));
                if (alt.empty() && original_of != noscript_originals_.end()) alt = original_of->second.alt;
                if (!alt.empty()) {
                    line_ = e.line;
                    append_text("[");
                    append_text(alt);
                    append_text("]");
                }
            }
            return kOpaque;
        }
        if (tag == GUMBO_TAG_HR) {
            if (inline_only()) {
                space();
            } else if (pre_depth_ == 0) {
                finish_paragraph();
                add_block(Block{ThematicBreak{}, {e.line, e.line}});
            }
            return kOpaque;
        }
        if (pre_depth_ > 0) {  // structure inside <pre> is only line breaks
            if (e.block && !pre_.empty() && pre_.back() != '\n') pre_ += '\n';
            if (tag == GUMBO_TAG_CODE && pre_language_.empty()) pre_language_ = code_language(attribute(e.node, "class"));
            return 0;
        }
        if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_XMP ||
            tag == GUMBO_TAG_PLAINTEXT) {
            if (inline_only()) {
                space();
                return 0;
            }
            finish_paragraph();
            ++pre_depth_;
            pre_.clear();
            pre_line_ = e.line;
            // the language: the <pre>'s class, else its <code>'s (met inside), else the
            // highlighter's class of the <div> or two it wraps it in (GitHub, Sphinx)
            pre_language_ = code_language(attribute(e.node, "class"));
            for (std::uint32_t up = e.parent, k = 0; pre_language_.empty() && up != kNoElement && k < 2;
                 up = page_[up].parent, ++k)
                if (page_[up].tag == GUMBO_TAG_DIV)
                    pre_language_ = code_language(attribute(page_[up].node, "class"), true);
            return kPre;
        }
        if (int level = heading_level(tag)) {
            if (inline_only()) {
                space();
                return 0;
            }
            finish_paragraph();
            heading_level_ = level;
            return kHeading;
        }
        if (inline_only()) {
            // inside a heading or a row of cells: blocks are only word gaps, cells parted
            if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && row_has_content_) cell_separator_ = true;
            else if (e.block) space();
            return frame_for(i);
        }
        if (!tables_.empty() && tables_.back().element != kNoElement) {
            if (unsigned entered = enter_table_part(i)) return entered;
        }
        if (tag == GUMBO_TAG_TABLE && containers_.size() <= kMaxContainerNesting &&
            (options_.tables_are_data || is_data_table(page_, i))) {
            if (!options_.data_tables) return kBlock | kOpaque;
            finish_paragraph();
            tables_.push_back(TableBuild{i, {}, false, false, true, false, {}, 0, {}, {}, {}, 0});
            // the table's own language and direction (an Arabic table in an English page)
            tables_.back().table.locale.edit().language = std::string(text::trim(attribute(e.node, "lang")));
            std::string dir = text::lower_ascii(text::trim(attribute(e.node, "dir")));
            if (dir == "rtl" || dir == "ltr") tables_.back().table.locale.edit().direction = std::move(dir);
            containers_.push_back(Container{Container::Kind::table, {}, {}, {e.line, e.line}});
            return kTable;
        }
        if (tag == GUMBO_TAG_FIGURE && containers_.size() <= kMaxContainerNesting) {
            finish_paragraph();
            ++figure_depth_;
            containers_.push_back(Container{Container::Kind::figure, {}, {}, {e.line, e.line}});
            return kContainer | kFigure;
        }
        if (tag == GUMBO_TAG_FIGCAPTION && containers_.back().kind == Container::Kind::figure) {
            finish_paragraph();
            containers_.push_back(Container{Container::Kind::caption, {}, {}, {e.line, e.line}});
            return kContainer;
        }
        if (tag == GUMBO_TAG_TR && simple_row(i)) {
            finish_paragraph();
            in_row_ = true;
            row_has_content_ = false;
            cell_separator_ = false;
            return kRow;
        }
        if (tag == GUMBO_TAG_BLOCKQUOTE || tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL ||
            tag == GUMBO_TAG_MENU || tag == GUMBO_TAG_DIR ||
            (tag == GUMBO_TAG_LI && containers_.back().kind == Container::Kind::list)) {
            finish_paragraph();
            if (containers_.size() > kMaxContainerNesting) return kBlock;
            Container c{Container::Kind::quote, {}, {}, {e.line, e.line}};
            if (tag == GUMBO_TAG_LI) {
                c.kind = Container::Kind::item;
            } else if (tag != GUMBO_TAG_BLOCKQUOTE) {
                c.kind = Container::Kind::list;
                c.list.ordered = tag == GUMBO_TAG_OL;
                c.list.start = 1;
                std::string_view start = attribute(e.node, "start");
                if (c.list.ordered && !start.empty()) {
                    int n = 0;
                    bool ok = start.size() <= 9;
                    for (char ch : start) ok = ok && ch >= '0' && ch <= '9';
                    if (ok) {
                        for (char ch : start) n = n * 10 + (ch - '0');
                        c.list.start = n;
                    }
                }
                if (c.list.ordered) {
                    c.list.style = number_style(attribute(e.node, "type"));
                    c.list.reversed = has_attribute(e.node, "reversed");
                    // <ol reversed> without start counts down to 1 from its items' number
                    c.count_down_from_items = c.list.reversed && start.empty();
                }
            }
            containers_.push_back(std::move(c));
            return kContainer;
        }
        // A <dl> with a term is a definition list; one without (a box of name/value
        // <dd>s some sites use for layout) reads as its blocks, as before.
        if (tag == GUMBO_TAG_DL && containers_.size() <= kMaxContainerNesting && has_term(i)) {
            finish_paragraph();
            containers_.push_back(Container{Container::Kind::definitions, {}, {}, {e.line, e.line}});
            return kContainer;
        }
        if ((tag == GUMBO_TAG_DT || tag == GUMBO_TAG_DD) && containers_.back().kind == Container::Kind::definitions) {
            finish_paragraph();
            Container c{tag == GUMBO_TAG_DT ? Container::Kind::term : Container::Kind::definition, {}, {},
                        {e.line, e.line}};
            containers_.push_back(std::move(c));
            return kContainer;
        }
        if (e.block && figure_depth_ == 0 && containers_.size() <= kMaxContainerNesting && e.all.chars > 0 &&
            e.all.link_chars >= e.all.chars && is_photo_box(page_, i)) {
            // a photo in its own link with the link's words ("Enlarge"): a figure, whose
            // caption they are (pop_figure), not a line of links
            finish_paragraph();
            ++figure_depth_;
            containers_.push_back(Container{Container::Kind::figure, {}, {}, {e.line, e.line}});
            return kContainer | kFigure;
        }
        if (e.block) {
            finish_paragraph();
            return kBlock;
        }
        return frame_for(i);
    }

    void exit(std::uint32_t i, unsigned entered) {
        if (entered & kFrame) close_frame();
        if (entered & kRubyText) append_text(")");
        if (entered & kFigure) --figure_depth_;
        if (entered & kTableRow) {
            finish_paragraph();
            close_row();
        }
        if (entered & kTable) {
            finish_paragraph();
            close_table();
        }
        if (entered & kPre) {
            --pre_depth_;
            std::string code = std::move(pre_);
            pre_.clear();
            while (!code.empty() && (code.back() == '\n' || code.back() == ' ' || code.back() == '\t'))
                code.pop_back();
            std::size_t lead = 0;
            while (lead < code.size() && code[lead] == '\n') ++lead;
            code.erase(0, lead);
            if (!code.empty()) {
                CodeBlock block;
                block.info = std::move(pre_language_);
                block.text = std::move(code);
                std::uint32_t last = std::max(pre_line_, page_[i].last_line);
                add_block(Block{std::move(block), {pre_line_, last}});
            }
        }
        if (entered & kHeading) {
            finish_paragraph();
            heading_level_ = 0;
        }
        if (entered & kRow) {
            in_row_ = false;
            finish_paragraph();
        }
        if (entered & kContainer) {
            finish_paragraph();
            pop_container();
        }
        if (entered & kBlock) finish_paragraph();
    }

    bool inline_only() const { return heading_level_ > 0 || in_row_; }

    // Whether a <dl> has a <dt> of its own (not one of a <dl> inside it).
    bool has_term(std::uint32_t dl) const {
        for (std::uint32_t k = dl + 1; k < page_[dl].end; ++k) {
            poll_deadline();
            const Element& e = page_[k];
            if (e.tag == GUMBO_TAG_DL) k = e.end - 1;
            else if (e.tag == GUMBO_TAG_DT && !e.skipped) return true;
        }
        return false;
    }

    // <ol type>: 1, a, A, i, I (case matters, unlike most attributes); anything else is
    // decimal, as browsers read it.
    static NumberStyle number_style(std::string_view type) {
        type = text::trim(type);
        if (type == "a") return NumberStyle::LowerAlpha;
        if (type == "A") return NumberStyle::UpperAlpha;
        if (type == "i") return NumberStyle::LowerRoman;
        if (type == "I") return NumberStyle::UpperRoman;
        return NumberStyle::Decimal;
    }

    // A row whose cells hold no blocks reads as one line.
    bool simple_row(std::uint32_t row) const {
        for (std::uint32_t k = row + 1; k < page_[row].end; ++k) {
            poll_deadline();
            const Element& e = page_[k];
            if (e.skipped) continue;
            if (e.block && e.tag != GUMBO_TAG_TD && e.tag != GUMBO_TAG_TH) return false;
        }
        return true;
    }

    void add_block(Block block) {
        check_deadline();  // --timeout (dconv/limits.hpp)
        Container& c = containers_.back();
        const bool inline_block = std::holds_alternative<Paragraph>(block.node) ||
                                  std::holds_alternative<Heading>(block.node) ||
                                  std::holds_alternative<CodeBlock>(block.node);
        if (containers_.size() == 1 && options_.block_elements)
            options_.block_elements->push_back(inline_block && paragraph_element_ != kNoElement ? paragraph_element_
                                                                                                : current_);
        if (inline_block) paragraph_element_ = kNoElement;
        if (block.source.known()) {
            if (!c.source.known()) c.source = block.source;
            c.source.last = std::max(c.source.last, block.source.last);
        }
        if (c.kind == Container::Kind::root && options_.flush && containers_.size() == 1) {
            // a top-level block is final once added: hand them over in batches
            c.blocks.push_back(std::move(block));
            if (c.blocks.size() >= kFlushBlocks) {
                options_.flush(c.blocks);
                c.blocks.clear();
            }
            return;
        }
        switch (c.kind) {
            case Container::Kind::root:
            case Container::Kind::quote:
            case Container::Kind::item:
            case Container::Kind::figure:
            case Container::Kind::caption:
            case Container::Kind::table:
            case Container::Kind::cell:
                c.blocks.push_back(std::move(block));
                break;
            case Container::Kind::list: {  // content straight inside a list: an item of its own
                Blocks item;
                item.push_back(std::move(block));
                c.list.items.push_back(std::move(item));
                break;
            }
            case Container::Kind::term:
            case Container::Kind::definition:
                c.blocks.push_back(std::move(block));
                break;
            case Container::Kind::definitions:  // content straight inside a <dl>: a block between its items
                flush_definitions(c);
                c.blocks.push_back(std::move(block));
                break;
        }
    }

    void pop_container() {
        Container c = std::move(containers_.back());
        containers_.pop_back();
        switch (c.kind) {
            case Container::Kind::item: {
                Container& parent = containers_.back();
                if (c.blocks.empty()) break;
                if (parent.kind == Container::Kind::list) {
                    parent.list.items.push_back(std::move(c.blocks));
                    if (c.source.known()) {
                        if (!parent.source.known()) parent.source = c.source;
                        parent.source.last = std::max(parent.source.last, c.source.last);
                    }
                } else {
                    for (Block& b : c.blocks) add_block(std::move(b));
                }
                break;
            }
            case Container::Kind::list:
                if (c.count_down_from_items)
                    c.list.start = static_cast<int>(std::min<std::size_t>(c.list.items.size(), INT_MAX));
                if (!c.list.items.empty()) add_block(Block{std::move(c.list), c.source});
                break;
            case Container::Kind::term: {  // a term is inlines: its blocks joined
                Container& owner = containers_.back();
                Inlines term = joined_inlines(c.blocks);
                if (term.empty()) break;
                auto& items = owner.definitions.items;
                if (items.empty() || !items.back().definitions.empty() || items.back().terms.empty() ||
                    owner.terms_answered)
                    items.push_back(DefinitionItem{});
                owner.terms_answered = false;
                items.back().terms.push_back(std::move(term));
                extend_source(owner, c.source);
                break;
            }
            case Container::Kind::definition: {
                Container& owner = containers_.back();
                auto& items = owner.definitions.items;
                if (c.blocks.empty()) {  // the terms before it have an empty definition: none
                    if (!items.empty() && !items.back().terms.empty()) owner.terms_answered = true;
                    break;
                }
                if (items.empty()) items.push_back(DefinitionItem{});  // a <dd> before any <dt>
                items.back().definitions.push_back(std::move(c.blocks));
                extend_source(owner, c.source);
                break;
            }
            case Container::Kind::definitions:
                flush_definitions(c);
                for (Block& b : c.blocks) add_block(std::move(b));
                break;
            case Container::Kind::quote:
                if (!c.blocks.empty()) add_block(Block{BlockQuote{std::move(c.blocks)}, c.source});
                break;
            case Container::Kind::figure:
                pop_figure(std::move(c));
                break;
            case Container::Kind::caption: {
                Container& owner = containers_.back();
                Inlines caption = joined_inlines(c.blocks);
                if (owner.kind == Container::Kind::figure) {
                    owner.caption_at = owner.blocks.size();
                    owner.caption = std::move(caption);
                } else if (owner.kind == Container::Kind::table && !tables_.empty()) {
                    append_caption(tables_.back().table.caption, std::move(caption));
                }
                extend_source(owner, c.source);
                break;
            }
            case Container::Kind::cell: {
                c.cell.content = std::move(c.blocks);
                if (!tables_.empty()) tables_.back().row.cells.push_back(std::move(c.cell));
                extend_source(containers_.back(), c.source);
                break;
            }
            case Container::Kind::table:
                break;  // close_table() takes its blocks
            case Container::Kind::root:
                break;
        }
    }

    // Moves a <dl>'s items so far into its blocks as one definition list. An item
    // without a term (<dd>s before the first <dt>) is not a definition: its blocks stand
    // on their own, as they did before definition lists were read.
    void flush_definitions(Container& c) {
        DefinitionList run;
        auto close_run = [&] {
            if (!run.items.empty()) c.blocks.push_back(Block{std::move(run), c.source});
            run = DefinitionList{};
        };
        for (DefinitionItem& item : c.definitions.items) {
            if (!item.terms.empty()) {
                run.items.push_back(std::move(item));
                continue;
            }
            close_run();
            for (Blocks& definition : item.definitions)
                for (Block& b : definition) c.blocks.push_back(std::move(b));
        }
        close_run();
        c.definitions.items.clear();
    }

    static void extend_source(Container& c, SourceRange s) {
        if (!s.known()) return;
        if (!c.source.known()) c.source = s;
        c.source.last = std::max(c.source.last, s.last);
    }

    // ------------------------------------------------------------ figures

    // A figure shows images (or a table) and says its caption: the figcaption, and any
    // other line of text beside the image (a photo credit), in the order they stand.
    // Lists, quotes and code in a figure follow it; a figure that shows nothing is read
    // as the blocks it holds.
    static bool holds_image(const Inlines& inlines) {
        return std::any_of(inlines.begin(), inlines.end(),
                           [](const Inline& in) { return shows(in) || links_image(in); });
    }

    void pop_figure(Container c) {
        bool shows = false;
        for (const Block& b : c.blocks) {
            const auto* p = std::get_if<Paragraph>(&b.node);
            shows = shows || std::holds_alternative<Table>(b.node) || std::holds_alternative<Figure>(b.node) ||
                    (p && holds_image(p->content));
        }
        if (!shows) {  // no image: the figure was a box of text (a quote and its source)
            for (std::size_t k = 0; k <= c.blocks.size(); ++k) {
                if (k == c.caption_at && !c.caption.empty())
                    add_block(Block{Paragraph{std::move(c.caption)}, c.source});
                if (k < c.blocks.size()) add_block(std::move(c.blocks[k]));
            }
            return;
        }
        Blocks shown, after;
        Inlines images, caption;
        for (std::size_t k = 0; k <= c.blocks.size(); ++k) {
            if (k == c.caption_at) append_caption(caption, std::move(c.caption));
            if (k == c.blocks.size()) break;
            Block& b = c.blocks[k];
            if (auto* p = std::get_if<Paragraph>(&b.node)) {
                Inlines said;
                part_figure_paragraph(p->content, images, said);
                append_caption(caption, std::move(said));
            } else if (auto* h = std::get_if<Heading>(&b.node)) {
                append_caption(caption, std::move(h->content));  // a credit set as a heading
            } else if (std::holds_alternative<Table>(b.node)) {
                if (!images.empty()) shown.push_back(Block{Paragraph{std::move(images)}, c.source});
                images.clear();
                shown.push_back(std::move(b));
            } else if (auto* inner = std::get_if<Figure>(&b.node)) {
                for (Block& sb : inner->content) shown.push_back(std::move(sb));
                append_caption(caption, std::move(inner->caption));
            } else {
                after.push_back(std::move(b));
            }
        }
        if (!images.empty()) shown.push_back(Block{Paragraph{std::move(images)}, c.source});
        add_block(Block{Figure{std::move(shown), std::move(caption)}, c.source});
        for (Block& b : after) add_block(std::move(b));
    }

    // ------------------------------------------------------------ images and notes

    // `known`: its image_source, when already read.
    void add_image(std::uint32_t i, std::optional<ImageSource> known) {
        if (paragraph_element_ == kNoElement) paragraph_element_ = i;
        const Element& e = page_[i];
        ImageSource image = known ? std::move(*known) : image_source(page_, i, figure_depth_ > 0, options_.page_url);
        if (auto copy = noscript_originals_.find(i); copy != noscript_originals_.end()) {
            merge_noscript_copy(image, std::move(copy->second));
            noscript_originals_.erase(copy);
        }
        if (!image.decorative.empty()) {
            if (options_.explain && options_.explain->keeps_notes()) {
                options_.explain->note(explanation("html-images", "removed", {e.line, e.line},
                                                   "image: " + image.decorative, {},
                                                   excerpt(image.src.empty() ? image.alt : image.src)));
            }
            return;
        }
        line_ = e.line;
        if (!frames_.empty() && frames_.back().kind == Frame::Kind::code) return;
        auto resolved = [this](std::string src) {
            if (options_.resolve_image_urls && !text::starts_with_ci(src, "data:"))
                return absolute_url(options_.base_url, src);
            if (src.size() > 2 && src[0] == '/' && src[1] == '/') return "https:" + src;  // scheme-relative
            return src;
        };
        Image out{resolved(std::move(image.src)), std::move(image.alt), std::move(image.title), {}, {}};
        if (!image.fallbacks.empty())
            for (std::string& other : image.fallbacks) out.extra.edit().fallbacks.push_back(resolved(std::move(other)));
        if (options_.image_widths)
            if (int width = html_text::declared_image_width(attribute(e.node, "width")); width > 0)
                out.extra.edit().width = width;
        // the picture again right after itself (a responsive pair, an animation's frames):
        // written once, with the alt text of either (image_source.hpp, same_picture). Only a
        // pair: a third copy brings the second back, since a row of the same picture (five
        // rating stars) means its count; and not in running text (ImageSpot::in_running_text).
        ImageSpot before = image_just_before();
        if (Image* kept = before.image();
            kept && same_picture(kept->src, kept->alt, out.src, out.alt) && !before.in_running_text()) {
            if (collapsed_copy_) {
                put_back_copy(*before.list, before.index);
                in_row_of_same_ = true;
                put_inline(std::move(out));
                return;
            }
            if (in_row_of_same_) {
                put_inline(std::move(out));
                return;
            }
            if (kept->alt.empty()) kept->alt = out.alt;
            if (options_.explain && options_.explain->keeps_notes())
                options_.explain->note(explanation("html-images", "removed", {e.line, e.line},
                                                   "image: the same picture as the image before it", {},
                                                   excerpt(out.src)));
            collapsed_copy_ = std::move(out);
            // the space between the two goes with the copy, and comes back with it
            collapsed_after_space_ = space_pending_;
            space_pending_ = newline_pending_ = false;
            pair_in_paragraph_ = has_content_ && before.list == &target(frames_.size());
            pair_depth_ = frames_.size();
            pair_index_ = before.index;
            if (paragraph_element_ == i) paragraph_element_ = kNoElement;
            return;
        }
        // the pair stays one picture: the white space that went with its copy goes before this one
        if (collapsed_copy_ && collapsed_after_space_) space_pending_ = true;
        collapsed_copy_.reset();
        pair_in_paragraph_ = collapsed_after_space_ = false;
        in_row_of_same_ = false;
        put_inline(std::move(out));
    }

    // The copy left out (collapsed_copy_) put back after the pair's first image,
    // list[index], with the white space that stood between them.
    void put_back_copy(Inlines& list, std::size_t index) {
        auto at = list.begin() + static_cast<std::ptrdiff_t>(index) + 1;
        if (collapsed_after_space_) at = list.insert(at, Inline(Text{" "})) + 1;
        list.insert(at, Inline(std::move(*collapsed_copy_)));
        collapsed_copy_.reset();
        pair_in_paragraph_ = collapsed_after_space_ = false;
    }

    // Words right after a pair written once ("★★ rated"): running text, as words before
    // it are (ImageSpot::in_running_text), where the same picture twice is its count: the
    // copy comes back. Only the pair's first image and the white space after it are
    // read, once per pair: no paragraph is read again.
    void restore_pair_before_words() {
        if (!pair_in_paragraph_ || !collapsed_copy_ || pair_depth_ > frames_.size()) {
            pair_in_paragraph_ = false;
            return;
        }
        Inlines& list = target(pair_depth_);
        const Image* first = pair_index_ < list.size() ? std::get_if<Image>(&list[pair_index_]) : nullptr;
        bool only_space_after = pair_index_ + 2 >= list.size();  // at most one white space Text after it
        if (only_space_after && pair_index_ + 1 < list.size()) {
            const auto* t = std::get_if<Text>(&list[pair_index_ + 1]);
            only_space_after = t && t->text.find_first_not_of(" \t\n") == std::string::npos;
        }
        if (first && only_space_after && first->src == collapsed_copy_->src) put_back_copy(list, pair_index_);
        pair_in_paragraph_ = false;
    }

    // How many inlines before an image are searched for words (ImageSpot::in_running_text):
    // words further back than this in a paragraph of pictures do not make it running text.
    static constexpr std::size_t kRunningTextReach = 256;

    // An image among a list of inlines (list[index]), or none.
    struct ImageSpot {
        Inlines* list = nullptr;
        std::size_t index = 0;
        Image* image() const { return list ? std::get_if<Image>(&(*list)[index]) : nullptr; }
        // Its paragraph holds words (or other inlines) beside its images: running text,
        // where the same picture twice ("Rating: " and two stars) means its count. Only the
        // last kRunningTextReach inlines are read: a paragraph of thousands of pictures was
        // read whole for each of them, quadratic (40,000 images: 21 s against 0.5).
        bool in_running_text() const {
            if (!list) return false;
            const std::size_t from = list->size() > kRunningTextReach ? list->size() - kRunningTextReach : 0;
            return std::any_of(list->begin() + static_cast<std::ptrdiff_t>(from), list->end(), [](const Inline& x) {
                if (std::holds_alternative<Image>(x)) return false;
                const auto* t = std::get_if<Text>(&x);
                return !t || t->text.find_first_not_of(" \t\n") != std::string::npos;
            });
        }
    };

    // The image just before the one being added, nothing but white space between them: the
    // open paragraph's last inline, or when no paragraph is open (and no link or other
    // frame), the last inline of the paragraph just added to this container (not one
    // already handed over to BuildOptions::flush); nullptr when there is none.
    ImageSpot image_just_before() {
        if (cell_separator_) return {};
        if (has_content_) {
            Inlines& open = target(frames_.size());
            for (std::size_t k = open.size(); k-- > 0;) {
                if (const auto* t = std::get_if<Text>(&open[k]);
                    t && t->text.find_first_not_of(" \t\n") == std::string::npos)
                    continue;
                return std::holds_alternative<Image>(open[k]) ? ImageSpot{&open, k} : ImageSpot{};
            }
            return {};
        }
        if (!frames_.empty() || containers_.back().blocks.empty()) return {};
        auto* paragraph = std::get_if<Paragraph>(&containers_.back().blocks.back().node);
        if (!paragraph || paragraph->content.empty()) return {};
        std::size_t last = paragraph->content.size() - 1;
        return std::holds_alternative<Image>(paragraph->content[last]) ? ImageSpot{&paragraph->content, last}
                                                                        : ImageSpot{};
    }

    // A note at its (first) reference; a later reference to a note already read is its
    // label alone (Note::label).
    void add_note(std::uint32_t at, std::uint32_t target) {
        auto label = notes_.label.find(target);
        if (label != notes_.label.end() && !notes_read_.insert(target).second) {
            line_ = page_[at].line;
            put_inline(Note{{}, label->second});
            return;
        }
        Builder note(page_, removed_, options_, notes_, target);
        note.build(target);
        Blocks content = note.take();
        if (notes_.with_back_links.count(target)) drop_leading_marks(content);
        if (content.empty()) {
            notes_read_.erase(target);
            return;
        }
        line_ = page_[at].line;
        put_inline(Note{std::move(content), label != notes_.label.end() ? label->second : std::string()});
    }

    // An inline that is no text (an image, a note) joins the paragraph like a word.
    void put_inline(Inline in) {
        if (!has_content_) start_paragraph();
        flush_space();
        if (cell_separator_) {
            cell_separator_ = false;
            append_to(target(frames_.size()), " | ");
        }
        target(frames_.size()).push_back(std::move(in));
        last_char_ = 'x';  // a word: a space after it is kept
        breaks_ = 0;
        if (in_row_) row_has_content_ = true;
    }

    // ------------------------------------------------------------ data tables

    // Parts of the data table being read: sections, rows, cells, the caption. Returns
    // what enter() did, or 0 when `i` is none of them.
    unsigned enter_table_part(std::uint32_t i) {
        TableBuild& t = tables_.back();
        const Element& e = page_[i];
        switch (e.tag) {
            case GUMBO_TAG_THEAD:
                t.in_head = true;
                return kBlock;
            case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
                t.in_head = false;
                return kBlock;
            case GUMBO_TAG_CAPTION:
                finish_paragraph();
                containers_.push_back(Container{Container::Kind::caption, {}, {}, {e.line, e.line}});
                return kContainer;
            case GUMBO_TAG_TR:
                finish_paragraph();
                close_row();
                check_deadline();  // --timeout (dconv/limits.hpp): a table may have 100,000 rows
                t.row_open = true;
                t.row_all_th = true;
                t.row_in_head = t.in_head;
                t.column = 0;
                return kTableRow;
            case GUMBO_TAG_TD: case GUMBO_TAG_TH: {
                if (!t.row_open) {  // a cell outside a row: gumbo makes rows, but be sure
                    t.row_open = true;
                    t.row_in_head = t.in_head;
                    t.column = 0;
                }
                finish_paragraph();
                if (e.tag == GUMBO_TAG_TD) t.row_all_th = false;
                Container c{Container::Kind::cell, {}, {}, {e.line, e.line}};
                c.cell.col_span = declared_span(e.node, "colspan", static_cast<int>(kMaxTableColumns));
                c.cell.row_span = declared_span(e.node, "rowspan", 65534);  // HTML's own cap
                place_cell(t, c.cell, declared_alignment(e.node));
                containers_.push_back(std::move(c));
                return kContainer;
            }
            default:
                return 0;
        }
    }

    // Finds the cell's column past the spans of rows above; notes its alignment.
    static void place_cell(TableBuild& t, const TableCell& cell, Alignment alignment) {
        while (t.column < t.covered.size() && t.covered[t.column] > 0) ++t.column;
        std::size_t end = std::min(t.column + static_cast<std::size_t>(cell.col_span), kMaxTableColumns);
        if (end > t.covered.size()) t.covered.resize(end, 0);
        for (std::size_t k = t.column; k < end; ++k) t.covered[k] = std::max(t.covered[k], cell.row_span);
        auto& alignments = t.row_in_head ? t.head_alignment : t.body_alignment;
        if (t.column < end && alignment != Alignment::Default) {
            if (alignments.size() < end) alignments.resize(end, Alignment::Default);
            for (std::size_t k = t.column; k < end; ++k)
                if (alignments[k] == Alignment::Default) alignments[k] = alignment;
        }
        t.column = end;
    }

    void close_row() {
        if (tables_.empty()) return;
        TableBuild& t = tables_.back();
        if (!t.row_open) return;
        t.row_open = false;
        for (int& c : t.covered)
            if (c > 0) --c;
        if (t.row.cells.empty()) return;
        // leading rows of header cells are the head, <thead> or not
        bool head = t.row_in_head || (t.row_all_th && t.table.body.empty());
        (head ? t.table.head : t.table.body).push_back(std::move(t.row));
        t.row = TableRow{};
    }

    void close_table() {
        close_row();
        TableBuild t = std::move(tables_.back());
        tables_.pop_back();
        Container c = std::move(containers_.back());  // the table's own (stray blocks)
        containers_.pop_back();
        Table& table = t.table;
        if (!table.head.empty() && table.body.empty()) std::swap(table.head, table.body);  // all th: all body
        if (table.head.empty() && table.body.empty()) {
            for (Block& b : c.blocks) add_block(std::move(b));
            return;
        }
        std::size_t dropped = normalize_table(table);
        for (std::size_t k = 0; k < table.columns.size(); ++k) {
            Alignment a = k < t.body_alignment.size() ? t.body_alignment[k] : Alignment::Default;
            if (a == Alignment::Default && k < t.head_alignment.size()) a = t.head_alignment[k];
            table.columns[k] = a;
        }
        (void)dropped;  // tables wider than kMaxTableColumns are read as layout (table_kind.hpp)
        SourceRange source = c.source;
        source.last = std::max(source.last, page_[t.element].last_line);
        add_block(Block{std::move(table), source});
        for (Block& b : c.blocks) add_block(std::move(b));
    }

    // ------------------------------------------------------------ inlines

    unsigned frame_for(std::uint32_t i) {
        const Element& e = page_[i];
        if (!frames_.empty() && frames_.back().kind == Frame::Kind::code) return 0;
        Frame f;
        switch (e.tag) {
            case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_CITE: case GUMBO_TAG_DFN: case GUMBO_TAG_VAR:
                f.kind = Frame::Kind::emphasis;
                break;
            case GUMBO_TAG_STRONG: case GUMBO_TAG_B:
                f.kind = Frame::Kind::strong;
                break;
            case GUMBO_TAG_CODE: case GUMBO_TAG_KBD: case GUMBO_TAG_SAMP: case GUMBO_TAG_TT:
                f.kind = Frame::Kind::code;
                break;
            case GUMBO_TAG_S: case GUMBO_TAG_DEL: case GUMBO_TAG_STRIKE:
                f.kind = Frame::Kind::strikeout;
                break;
            case GUMBO_TAG_SUP:
                f.kind = Frame::Kind::superscript;
                break;
            case GUMBO_TAG_SUB:
                f.kind = Frame::Kind::subscript;
                break;
            case GUMBO_TAG_A: {
                std::string_view href = attribute(e.node, "href");
                if (!usable_href(href)) return 0;
                f.kind = Frame::Kind::link;
                f.url = absolute_url(options_.base_url, href);
                break;
            }
            default:
                return 0;
        }
        if (frames_.size() >= kMaxInlineNesting) return 0;
        flush_space();
        frames_.push_back(std::move(f));
        return kFrame;
    }

    static bool frame_empty(const Frame& f) { return f.kind == Frame::Kind::code ? f.code.empty() : f.children.empty(); }

    // The frame's inline, its children moved out; false when it holds nothing.
    static bool frame_inline(Frame& f, Inline& out) {
        if (frame_empty(f)) return false;
        switch (f.kind) {
            case Frame::Kind::emphasis: out = Emphasis{std::move(f.children)}; break;
            case Frame::Kind::strong: out = Strong{std::move(f.children)}; break;
            case Frame::Kind::link: out = Link{std::move(f.children), f.url, ""}; break;
            case Frame::Kind::strikeout: out = Strikeout{std::move(f.children)}; break;
            case Frame::Kind::superscript: out = Superscript{std::move(f.children)}; break;
            case Frame::Kind::subscript: out = Subscript{std::move(f.children)}; break;
            case Frame::Kind::code: {
                std::string code = std::move(f.code);
                while (!code.empty() && code.back() == ' ') code.pop_back();
                out = Code{std::move(code)};
                break;
            }
        }
        f.children.clear();
        f.code.clear();
        return true;
    }

    Inlines& target(std::size_t frame) { return frame == 0 ? top_ : frames_[frame - 1].children; }

    void close_frame() {
        Frame f = std::move(frames_.back());
        frames_.pop_back();
        if (pair_depth_ > frames_.size()) pair_in_paragraph_ = false;  // the pair was in it
        Inline in;
        if (frame_inline(f, in)) target(frames_.size()).push_back(std::move(in));
    }

    // A pending space goes where the next visible character's container starts: outside
    // frames that are still empty ("foo <em>bar</em>", not "foo<em> bar</em>").
    void put_space() {
        if (!frames_.empty() && frames_.back().kind == Frame::Kind::code) {
            frames_.back().code += ' ';
            return;
        }
        std::size_t k = frames_.size();
        while (k > 0 && frame_empty(frames_[k - 1])) --k;
        append_to(target(k), " ");
    }

    static void append_to(Inlines& inlines, std::string_view s) {
        if (!inlines.empty())
            if (auto* t = std::get_if<Text>(&inlines.back())) {
                t->text.append(s);
                return;
            }
        inlines.push_back(Text{std::string(s)});
    }

    void flush_space() {
        if (space_pending_ && last_char_ != 0 && last_char_ != ' ') {
            put_space();
            last_char_ = ' ';
        }
        space_pending_ = newline_pending_ = false;
    }

    void space() {
        if (last_char_ != 0) space_pending_ = true;
    }

    void line_break() {
        if (pre_depth_ > 0) {
            pre_ += '\n';
            return;
        }
        if (inline_only()) {
            space();
            return;
        }
        if (!has_content_) return;
        if (++breaks_ >= 2) {  // a blank line on the page parts paragraphs
            finish_paragraph();
            return;
        }
        space_pending_ = newline_pending_ = false;
        if (!frames_.empty() && frames_.back().kind == Frame::Kind::code) {
            frames_.back().code += ' ';
        } else {
            target(frames_.size()).push_back(LineBreak{});
        }
        last_char_ = 0;
    }

    void text(const GumboNode* node) {
        std::string_view s = node_text(node);
        if (s.empty()) return;
        if (paragraph_element_ == kNoElement && node->type != GUMBO_NODE_WHITESPACE) paragraph_element_ = current_;
        line_ = node->v.text.start_pos.line;
        if (pre_depth_ > 0) {
            pre_.append(s);
            return;
        }
        append_text(s);
        if (has_content_) para_source_.last = std::max(para_source_.last, text_last_line(node));
    }

    void append_text(std::string_view s) {
        std::string run;  // visible characters for the current target, appended at once
        auto flush_run = [&] {
            if (run.empty()) return;
            if (!frames_.empty() && frames_.back().kind == Frame::Kind::code) frames_.back().code += run;
            else append_to(target(frames_.size()), run);
            run.clear();
        };
        for (std::size_t i = 0; i < s.size();) {
            std::size_t start = i;
            char32_t c = text::next(s, i);
            if (is_collapsible_space(c)) {
                if (last_char_ != 0 || !run.empty()) {
                    space_pending_ = true;
                    newline_pending_ = newline_pending_ || c == '\n';
                }
                continue;
            }
            if (is_invisible(c)) continue;
            if (pair_in_paragraph_) {
                flush_run();
                restore_pair_before_words();
            }
            if (!has_content_) start_paragraph();
            if (cell_separator_) {
                flush_run();
                cell_separator_ = false;
                space_pending_ = newline_pending_ = false;
                append_to(target(frames_.size()), " | ");
                last_char_ = ' ';
            }
            if (space_pending_) {
                bool glue = newline_pending_ && wide_for_breaks(last_char_) && wide_for_breaks(c);
                if (!glue && last_char_ != 0 && last_char_ != ' ') {
                    if (run.empty()) {
                        put_space();
                    } else {
                        run += ' ';
                    }
                }
                space_pending_ = newline_pending_ = false;
            }
            run.append(s.substr(start, i - start));
            last_char_ = c;
            breaks_ = 0;
            if (in_row_) row_has_content_ = true;
        }
        flush_run();
    }

    void start_paragraph() {
        has_content_ = true;
        para_source_ = {line_, line_};
    }

    void finish_paragraph() {
        if (!has_content_) {
            space_pending_ = newline_pending_ = false;
            last_char_ = 0;
            breaks_ = 0;
            return;
        }
        // close the open frames into the paragraph; they stay open, empty, for what follows
        for (std::size_t k = frames_.size(); k-- > 0;) {
            poll_deadline();
            Inline in;
            if (frame_inline(frames_[k], in)) target(k).push_back(std::move(in));
        }
        Inlines content = std::move(top_);
        top_.clear();
        trim_end(content);
        normalize(content);
        if (!content.empty()) {
            if (heading_level_ > 0) drop_section_tools(content);
            if (heading_level_ > 0)
                add_block(Block{Heading{heading_level_, std::move(content)}, para_source_});
            else
                add_block(Block{Paragraph{std::move(content)}, para_source_});
        }
        has_content_ = false;
        pair_in_paragraph_ = false;
        space_pending_ = newline_pending_ = false;
        last_char_ = 0;
        breaks_ = 0;
        if (in_row_) row_has_content_ = false;
    }

public:
    // The page whose elements' subtrees are freed as they are built (build_blocks_consuming).
    Page* releasing_ = nullptr;

private:
    const Page& page_;
    const std::vector<bool>& removed_;
    BuildOptions options_;
    const NoteIndex& notes_;
    std::unordered_map<std::uint32_t, ImageSource> noscript_originals_;  // image -> its twin in the <noscript> before it
    std::unordered_set<std::uint32_t> noscript_copies_;  // images in <noscript> whose twin was read (noscript_copy_after)
    std::unordered_set<std::uint32_t> notes_read_;  // labelled notes given their content
    std::uint32_t note_root_;
    std::vector<Container> containers_;
    std::vector<TableBuild> tables_;
    int figure_depth_ = 0;

    std::vector<Frame> frames_;
    Inlines top_;
    bool has_content_ = false;
    bool space_pending_ = false, newline_pending_ = false;
    char32_t last_char_ = 0;  // last character put in the paragraph; 0 at its start or after a break
    int breaks_ = 0;          // line breaks since the last character
    SourceRange para_source_;
    std::uint32_t line_ = 0;  // of the text being read

    int heading_level_ = 0;
    bool in_row_ = false, row_has_content_ = false, cell_separator_ = false;

    int pre_depth_ = 0;
    std::string pre_;
    std::uint32_t pre_line_ = 0;
    std::string pre_language_;  // of the <pre> being read (code_language), may be empty
};

}  // namespace

Blocks build_blocks(const Page& page, const std::vector<std::uint32_t>& roots,
                         const std::vector<bool>& removed, const BuildOptions& options) {
    NoteIndex notes = find_notes(page);
    Builder builder(page, removed, options, notes);
    for (std::uint32_t root : roots) builder.build(root);
    Blocks blocks = builder.take();
    if (options.block_elements) options.block_elements->resize(blocks.size(), kNoElement);
    return blocks;
}

Blocks build_blocks_consuming(Page& page, const std::vector<std::uint32_t>& roots, const std::vector<bool>& removed,
                              const BuildOptions& options) {
    NoteIndex notes = find_notes(page);
    Builder builder(page, removed, options, notes);
    // A note is read where it is referenced, wherever it stands: a page with notes keeps
    // its tree whole; so do roots that nest (one would be read after it was freed).
    bool disjoint = true;
    for (std::size_t k = 1; k < roots.size(); ++k)
        disjoint = disjoint && roots[k] >= page[roots[k - 1]].end;
    if (notes.empty() && disjoint) builder.releasing_ = &page;
    for (std::uint32_t root : roots) builder.build(root);
    return builder.take();
}

}  // namespace dconv::html
