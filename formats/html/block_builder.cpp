#include "html/block_builder.hpp"

#include <algorithm>
#include <string>

#include "core/text.hpp"
#include "dconv/model.hpp"
#include "html/page_metadata.hpp"
#include "dconv/limits.hpp"

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

bool usable_href(std::string_view href) {
    href = text::trim(href);
    return !href.empty() && href != "#" && !text::starts_with_ci(href, "javascript:");
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

class Builder {
public:
    Builder(const Page& page, const std::vector<bool>& removed, const BuildOptions& options)
        : page_(page), removed_(removed), options_(options) {
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
        stack.push_back({root, 0, root + 1, enter(root)});
        while (!stack.empty()) {
            Walk& w = stack.back();
            const GumboNode* node = page_[w.element].node;
            const GumboVector& children = node->v.element.children;
            if ((w.entered & kOpaque) || w.next_child >= children.length) {
                exit(w.element, w.entered);
                stack.pop_back();
                continue;
            }
            const auto* child = static_cast<const GumboNode*>(children.data[w.next_child++]);
            if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE) {
                std::uint32_t index = w.next_index;
                w.next_index = page_[index].end;
                if (!visible(index)) continue;
                unsigned entered = enter(index);
                stack.push_back({index, 0, index + 1, entered});
                continue;
            }
            if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
                child->type == GUMBO_NODE_WHITESPACE)
                text(child);
        }
    }

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

    struct Container {
        enum class Kind { root, quote, list, item } kind;
        Blocks blocks;
        List list;
        SourceRange source;
    };
    struct Frame {
        enum class Kind { emphasis, strong, link, code } kind;
        std::string url;
        Inlines children;
        std::string code;
    };

    bool visible(std::uint32_t i) const { return !page_[i].skipped && !removed_[i]; }

    // ------------------------------------------------------------ structure

    unsigned enter(std::uint32_t i) {
        const Element& e = page_[i];
        GumboTag tag = e.tag;
        if (tag == GUMBO_TAG_BR) {
            line_break();
            return kOpaque;
        }
        if (tag == GUMBO_TAG_WBR) return kOpaque;
        if (tag == GUMBO_TAG_IMG) {
            if (options_.image_alt) {
                std::string_view alt = text::trim(attribute(e.node, "alt"));
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
            }
            containers_.push_back(std::move(c));
            return kContainer;
        }
        if (e.block) {
            finish_paragraph();
            return kBlock;
        }
        return frame_for(i);
    }

    void exit(std::uint32_t i, unsigned entered) {
        if (entered & kFrame) close_frame();
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
        if (block.source.known()) {
            if (!c.source.known()) c.source = block.source;
            c.source.last = std::max(c.source.last, block.source.last);
        }
        switch (c.kind) {
            case Container::Kind::root:
            case Container::Kind::quote:
            case Container::Kind::item:
                c.blocks.push_back(std::move(block));
                break;
            case Container::Kind::list: {  // content straight inside a list: an item of its own
                Blocks item;
                item.push_back(std::move(block));
                c.list.items.push_back(std::move(item));
                break;
            }
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
                if (!c.list.items.empty()) add_block(Block{std::move(c.list), c.source});
                break;
            case Container::Kind::quote:
                if (!c.blocks.empty()) add_block(Block{BlockQuote{std::move(c.blocks)}, c.source});
                break;
            case Container::Kind::root:
                break;
        }
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
            case GUMBO_TAG_A: {
                std::string_view href = attribute(e.node, "href");
                if (!usable_href(href)) return 0;
                f.kind = Frame::Kind::link;
                f.url = resolve_url(options_.base_url, href);
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
            if (heading_level_ > 0)
                add_block(Block{Heading{heading_level_, std::move(content)}, para_source_});
            else
                add_block(Block{Paragraph{std::move(content)}, para_source_});
        }
        has_content_ = false;
        space_pending_ = newline_pending_ = false;
        last_char_ = 0;
        breaks_ = 0;
        if (in_row_) row_has_content_ = false;
    }

    const Page& page_;
    const std::vector<bool>& removed_;
    BuildOptions options_;
    std::vector<Container> containers_;

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
};

}  // namespace

Blocks build_blocks(const Page& page, const std::vector<std::uint32_t>& roots,
                         const std::vector<bool>& removed, const BuildOptions& options) {
    Builder builder(page, removed, options);
    for (std::uint32_t root : roots) builder.build(root);
    return builder.take();
}

}  // namespace dconv::html
