#include "markdown/cmark_inlines.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/html_text.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "html/html_reader.hpp"

namespace dconv {

namespace {

std::string literal(cmark_node* node) {
    const char* s = cmark_node_get_literal(node);
    return s ? std::string(s) : std::string();
}

// Line endings (LF, CR LF, CR) as single spaces, as a soft break reads.
std::string single_line(std::string s) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        s[out++] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
    }
    s.resize(out);
    return s;
}

// Hostile input: emphasis nested 20,000 deep ("*a *a *a ... a* a* a*"), or images inside
// image descriptions, would overflow the stack here and in every recursive walk of the
// model afterwards. Below this depth the wrappers (emphasis, links) are dropped and their
// text kept, collected without recursion.
constexpr int kMaxInlineNesting = 64;

// cmark-gfm 0.29's table extension takes time quadratic in the cells of a row: one line
// of 100,000 '|' takes over a minute, 10,000 columns 15 s. A document with a line of
// more '|' than a table dconv keeps could have (kMaxTableColumns) is read without the
// table extension (parse_gfm).
constexpr std::size_t kMaxPipesPerLine = kMaxTableColumns + 1;

// A raw <img> tag longer than this is left as text (no image tag needs it; a megabyte
// of attributes would be parsed for nothing), and of its srcset at most this many
// candidates are kept to fall back on.
constexpr std::size_t kMaxRawImageTag = 64 * 1024;
constexpr std::size_t kMaxRawImageSources = 8;

struct Context {
    NoteSource* notes = nullptr;
    RawHtml raw_html = RawHtml::text;
};

void convert_children(cmark_node* parent, Inlines& out, int depth, Context& context);
void flatten(cmark_node* node, Inlines& out, Context& context);

bool type_is(cmark_node* node, const char* name) {
    const char* type = cmark_node_get_type_string(node);
    return type && std::strcmp(type, name) == 0;
}

void convert(cmark_node* node, Inlines& out, int depth, Context& context) {
    switch (cmark_node_get_type(node)) {
        case CMARK_NODE_TEXT: {  // one line, but for an unmatched "[^label]" cmark-gfm reads over a line end
            std::string text = literal(node);
            std::replace(text.begin(), text.end(), '\n', ' ');  // a CR from "&#13;" stays: the model allows it
            out.push_back(Text{std::move(text)});
            return;
        }
        case CMARK_NODE_HTML_INLINE: {  // may span lines; Text may not: a line end is a space
            std::string html = literal(node);
            if (html == "<!---->") return;  // the Markdown writer's separator: nothing
            // (a dump's tags stay text: RawHtml)
            if (std::optional<html_text::Tag> tag = html_text::parse_tag(html);
                context.raw_html == RawHtml::markup && tag && !tag->closing) {
                if (tag->name == "br") {  // as the HTML reader reads them
                    out.push_back(LineBreak{});
                    return;
                }
                if (tag->name == "wbr") return;
            }
            if (context.raw_html == RawHtml::markup)
                if (std::optional<Image> image = image_of_html_tag(html)) {
                    out.push_back(std::move(*image));
                    return;
                }
            out.push_back(Text{single_line(std::move(html))});
            return;
        }
        case CMARK_NODE_SOFTBREAK:
            out.push_back(Text{" "});
            return;
        case CMARK_NODE_LINEBREAK:
            out.push_back(LineBreak{});
            return;
        case CMARK_NODE_CODE:
            out.push_back(Code{literal(node)});
            return;
        case CMARK_NODE_FOOTNOTE_REFERENCE:
            if (context.notes)
                if (std::optional<Inline> note = context.notes->note(node)) {
                    out.push_back(std::move(*note));
                    return;
                }
            // as written; a label cmark read over a line ending keeps one line (a soft break)
            out.push_back(Text{single_line("[^" + literal(node) + "]")});
            return;
        default:
            break;
    }
    if (depth >= kMaxInlineNesting) {
        flatten(node, out, context);
        return;
    }
    if (type_is(node, "strikethrough")) {
        Strikeout s;
        convert_children(node, s.children, depth + 1, context);
        out.push_back(std::move(s));
        return;
    }
    switch (cmark_node_get_type(node)) {
        case CMARK_NODE_EMPH: {
            Emphasis e;
            convert_children(node, e.children, depth + 1, context);
            out.push_back(std::move(e));
            break;
        }
        case CMARK_NODE_STRONG: {
            Strong s;
            convert_children(node, s.children, depth + 1, context);
            out.push_back(std::move(s));
            break;
        }
        case CMARK_NODE_LINK: {
            Link l;
            const char* url = cmark_node_get_url(node);
            const char* title = cmark_node_get_title(node);
            l.url = url ? url : "";
            l.title = title ? title : "";
            convert_children(node, l.children, depth + 1, context);
            out.push_back(std::move(l));
            break;
        }
        case CMARK_NODE_IMAGE: {
            // The description's text is the alt text (as cmark's HTML renderer does):
            // its markup, and images inside it, keep only their text.
            Image image;
            const char* url = cmark_node_get_url(node);
            const char* title = cmark_node_get_title(node);
            image.src = url ? url : "";
            image.title = title ? single_line(title) : "";
            Inlines description;
            Context no_notes;
            flatten(node, description, no_notes);
            image.alt = single_line(plain_text(description));
            out.push_back(std::move(image));
            break;
        }
        default:
            convert_children(node, out, depth + 1, context);
            break;
    }
}


std::optional<Image> image_from_tag(const html_text::Tag& tag) {
    if (tag.name != "img" || tag.closing) return std::nullopt;
    std::vector<std::string> sources;
    auto add = [&](std::string url) {
        url = std::string(text::trim(url));
        if (!url.empty() && std::find(sources.begin(), sources.end(), url) == sources.end())
            sources.push_back(std::move(url));
    };
    if (auto src = tag.attribute("src")) add(*src);
    if (auto lazy = tag.attribute("data-src")) add(*lazy);
    if (auto srcset = tag.attribute("srcset"))  // "a.png 1x, b.png 2x": the URLs
        for (const auto& candidate : html_text::srcset_candidates(*srcset)) {
            if (sources.size() >= kMaxRawImageSources) break;
            add(std::string(candidate.url));
        }
    if (sources.empty()) return std::nullopt;
    Image image;
    image.src = std::move(sources.front());
    sources.erase(sources.begin());
    if (!sources.empty()) image.extra.edit().fallbacks = std::move(sources);
    image.alt = single_line(text::squeeze_spaces(tag.attribute("alt").value_or("")));
    image.title = single_line(tag.attribute("title").value_or(""));
    if (int width = html_text::declared_image_width(tag.attribute("width").value_or("")); width > 0) image.extra.edit().width = width;
    return image;
}

// Raw inline HTML read as the HTML reader reads it, as pandoc reads the raw HTML it
// understands: a phrasing element's opening tag with its closing tag among the same
// siblings wraps what lies between in the model's inline (<em>, <b>, <sup id="r1">, <a
// href>, ...), or is left out around its text (<span>, <mark>, <ruby>, ...; an <rt>'s
// reading in parentheses, unless <rp> gives them). The Markdown writer writes <sub>, <sup>
// and a <del> that "~~" cannot delimit so. A tag without its pair, or of another element,
// stays as written (text).
enum class TagUse { none, emphasis, strong, strikeout, superscript, subscript, link, code, unwrap, ruby_text, quote };

struct RawTag {
    TagUse use = TagUse::none;
    bool closing = false;
    std::string name;
    std::string href;  // an <a>'s
};

TagUse tag_use(std::string_view name) {
    static constexpr std::pair<std::string_view, TagUse> kUses[] = {
        {"em", TagUse::emphasis},      {"i", TagUse::emphasis},        {"cite", TagUse::emphasis},
        {"dfn", TagUse::emphasis},     {"var", TagUse::emphasis},      {"strong", TagUse::strong},
        {"b", TagUse::strong},         {"del", TagUse::strikeout},     {"s", TagUse::strikeout},
        {"strike", TagUse::strikeout}, {"sup", TagUse::superscript},   {"sub", TagUse::subscript},
        {"code", TagUse::code},        {"tt", TagUse::code},           {"samp", TagUse::code},
        {"kbd", TagUse::code},
        {"a", TagUse::link},           {"span", TagUse::unwrap},       {"mark", TagUse::unwrap},
        {"small", TagUse::unwrap},     {"big", TagUse::unwrap},        {"u", TagUse::unwrap},
        {"ins", TagUse::unwrap},       {"abbr", TagUse::unwrap},       {"font", TagUse::unwrap},
        {"time", TagUse::unwrap},      {"data", TagUse::unwrap},       {"bdi", TagUse::unwrap},
        {"bdo", TagUse::unwrap},       {"ruby", TagUse::unwrap},       {"rb", TagUse::unwrap},
        {"rp", TagUse::unwrap},        {"rt", TagUse::ruby_text},      {"q", TagUse::quote},
    };
    // elements whose content is no text to read: their tags stay as written
    static constexpr std::string_view kNotText[] = {"script", "style",  "template", "iframe", "object", "video",
                                                    "audio",  "svg",    "math",     "select", "textarea", "canvas",
                                                    "noscript", "button", "img", "br", "wbr", "input"};
    for (const auto& [tag, use] : kUses)
        if (tag == name) return use;
    for (std::string_view tag : kNotText)
        if (tag == name) return TagUse::none;
    return TagUse::unwrap;  // another element (<label>, <output>, a custom one): its text
}

RawTag raw_tag(cmark_node* node, RawHtml raw_html) {
    if (cmark_node_get_type(node) != CMARK_NODE_HTML_INLINE) return {};
    const char* s = cmark_node_get_literal(node);
    if (!s || s[0] != '<' || s[1] == '!' || s[1] == '?') return {};
    // A web-text dump's tags are the page's source leaking into its text (rule
    // markup-source reads them): only the bare <sub> and <sup> pairs the Markdown writer
    // writes are markup there.
    if (raw_html == RawHtml::text && std::strcmp(s, "<sub>") != 0 && std::strcmp(s, "</sub>") != 0 &&
        std::strcmp(s, "<sup>") != 0 && std::strcmp(s, "</sup>") != 0)
        return {};
    std::optional<html_text::Tag> tag = html_text::parse_tag(s);
    if (!tag) return {};
    RawTag out;
    out.use = tag_use(tag->name);
    if (out.use == TagUse::none) return {};
    out.closing = tag->closing;
    out.name = std::move(tag->name);
    if (out.use == TagUse::link && !out.closing) {
        // as the HTML reader keeps links: not script (javascript:, vbscript:) nor an
        // inline document (data:); such a link's text stays
        std::string href(text::trim(tag->attribute("href").value_or("")));
        if (href != "#" && !text::is_script_url(href))
            out.href = std::move(href);
    }
    return out;
}

// Converts the children of `parent`, raw tags paired as above. The pairs are matched
// first, in one pass with a stack per element name, so that a thousand unclosed tags
// cost no more than a thousand words.
void convert_children(cmark_node* parent, Inlines& out, int depth, Context& context) {
    std::vector<cmark_node*> children;
    std::vector<RawTag> tags;
    bool any_tag = false;
    for (cmark_node* c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
        children.push_back(c);
        tags.push_back(raw_tag(c, context.raw_html));
        any_tag = any_tag || tags.back().use != TagUse::none;
    }
    std::vector<std::size_t> closer(children.size(), 0);  // opener index -> closer index
    if (any_tag) {
        // hashed by name: a walk over the names seen made N distinct names cost N^2
        std::unordered_map<std::string_view, std::vector<std::size_t>> open;
        for (std::size_t i = 0; i < children.size(); ++i) {
            if (tags[i].use == TagUse::none) continue;
            std::vector<std::size_t>& stack = open[tags[i].name];
            if (!tags[i].closing) {
                stack.push_back(i);
            } else if (!stack.empty()) {
                closer[stack.back()] = i;
                stack.pop_back();
            }
        }
    }
    std::vector<bool> dropped(children.size(), false);  // closers of pairs too deep to keep
    // Converts children [from, to) into `into`, wrapping matched pairs.
    auto run = [&](auto& self, std::size_t from, std::size_t to, Inlines& into, int level) -> void {
        for (std::size_t i = from; i < to; ++i) {
            if (dropped[i]) continue;
            std::size_t end = closer[i];
            if (end > i && end < to && level >= kMaxInlineNesting) {
                // too deep for the model (limits.hpp): the pair's tags go, its text stays,
                // read at this level in this loop (no recursion: 80,000 pairs may nest)
                dropped[end] = true;
                continue;
            }
            if (end > i && end < to) {
                Inlines inner;
                self(self, i + 1, end, inner, level + 1);
                const RawTag& tag = tags[i];
                switch (tag.use) {
                    case TagUse::emphasis: into.push_back(Emphasis{std::move(inner)}); break;
                    case TagUse::strong: into.push_back(Strong{std::move(inner)}); break;
                    case TagUse::strikeout: into.push_back(Strikeout{std::move(inner)}); break;
                    case TagUse::superscript: into.push_back(Superscript{std::move(inner)}); break;
                    case TagUse::subscript: into.push_back(Subscript{std::move(inner)}); break;
                    case TagUse::code: into.push_back(Code{plain_text(inner)}); break;  // as the HTML reader
                    case TagUse::link:
                        if (!tag.href.empty()) {
                            into.push_back(Link{std::move(inner), tag.href, ""});
                            break;
                        }
                        [[fallthrough]];
                    case TagUse::unwrap:
                    case TagUse::none:
                        for (Inline& in : inner) into.push_back(std::move(in));
                        break;
                    case TagUse::ruby_text:
                    case TagUse::quote: {
                        // an <rt> right after an </rp> has the <rp>'s parentheses
                        const bool after_rp = i > 0 && tags[i - 1].closing && tags[i - 1].name == "rp";
                        const char* open = tag.use == TagUse::quote ? "\"" : after_rp ? "" : "(";
                        const char* close = tag.use == TagUse::quote ? "\"" : after_rp ? "" : ")";
                        if (*open) into.push_back(Text{open});
                        for (Inline& in : inner) into.push_back(std::move(in));
                        if (*close) into.push_back(Text{close});
                        break;
                    }
                }
                i = end;
                continue;
            }
            convert(children[i], into, level, context);
        }
    };
    run(run, 0, children.size(), out, depth);
}

// The leaves (text, code, breaks) under `node`, in order, without recursion.
void flatten(cmark_node* node, Inlines& out, Context& context) {
    std::unique_ptr<cmark_iter, void (*)(cmark_iter*)> iter(cmark_iter_new(node), cmark_iter_free);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
        cmark_node* n = cmark_iter_get_node(iter.get());
        if (ev == CMARK_EVENT_ENTER && !cmark_node_first_child(n) && n != node) convert(n, out, 0, context);
    }
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// Does `s` (trimmed, one line) begin with something CommonMark reads as a block start?
bool starts_block(std::string_view s) {
    if (s.empty()) return false;
    char c = s[0];
    auto followed_by_space = [&](std::size_t at) { return at >= s.size() || s[at] == ' ' || s[at] == '\t'; };
    switch (c) {
        case '>':
            return true;
        case '#': {
            std::size_t n = 0;
            while (n < s.size() && s[n] == '#') ++n;
            return n <= 6 && followed_by_space(n);
        }
        case '-': case '+': case '*': case '_': case '=': {
            if ((c == '-' || c == '+' || c == '*') && followed_by_space(1)) return true;
            // a thematic break: three or more of the same mark, spaces between allowed
            std::size_t marks = 0;
            for (char ch : s) {
                if (ch == c) ++marks;
                else if (ch != ' ' && ch != '\t') return false;
            }
            return marks >= 3 || c == '=';
        }
        case '`': case '~':
            return s.size() >= 3 && s[1] == c && s[2] == c;
        case '<':
            return s.size() > 1 && (std::isalpha(static_cast<unsigned char>(s[1])) || s[1] == '/' ||
                                    s[1] == '!' || s[1] == '?');
        case '[': {
            auto close = s.find("]:");
            return close != std::string_view::npos && s.find(']') == close;
        }
        default:
            if (is_ascii_digit(c)) {
                std::size_t n = 0;
                while (n < s.size() && n < 10 && is_ascii_digit(s[n])) ++n;
                return n <= 9 && n < s.size() && (s[n] == '.' || s[n] == ')') && followed_by_space(n + 1);
            }
            return false;
    }
}

}  // namespace

Inlines inlines_from_cmark(cmark_node* parent, NoteSource* notes, RawHtml raw_html) {
    Inlines out;
    Context context{notes, raw_html};
    convert_children(parent, out, 0, context);
    normalize(out);
    return out;
}

bool has_table_hazard(std::string_view text) {
    std::size_t pipes = 0;
    for (char c : text) {
        if (c == '\n') pipes = 0;
        else if (c == '|' && ++pipes > kMaxPipesPerLine) return true;
    }
    return false;
}

// The autolink extension is quadratic in the URLs of a paragraph: 50,000 "<http://a.b/"
// take a minute. Past this many "://" and "www." in a document it is left off.
constexpr std::size_t kMaxAutolinkCandidates = 4000;
// cmark 0.29 scans from every "<?" to the end of the input for a "?>" that is not there
// (cmark 0.30 remembers): 250 KB of "a <? " take 12 s. Past this many such openers, each
// is written "\<?" before parsing (it could open nothing) and put back in the literals
// that keep backslashes (code, raw HTML) afterwards.
constexpr std::size_t kMaxUnclosedInstructions = 1000;

std::size_t count_of(std::string_view text, std::string_view what, std::size_t limit) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string_view::npos && n <= limit; at = text.find(what, at + 1))
        ++n;
    return n;
}

CmarkTree parse_gfm(std::string_view text, GfmHazards* hazards) {
    static std::once_flag registered;
    std::call_once(registered, cmark_gfm_core_extensions_ensure_registered);
    std::unique_ptr<cmark_parser, void (*)(cmark_parser*)> parser(
        cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES), cmark_parser_free);
    if (!parser) throw std::bad_alloc();
    GfmHazards found;
    found.tables_off = has_table_hazard(text);
    found.autolinks_off = count_of(text, "://", kMaxAutolinkCandidates) + count_of(text, "www.", kMaxAutolinkCandidates) >
                          kMaxAutolinkCandidates;
    std::string escaped;
    std::size_t last_close = text.rfind("?>");
    std::size_t from = last_close == std::string_view::npos ? 0 : last_close + 2;
    if (count_of(text.substr(from), "<?", kMaxUnclosedInstructions) > kMaxUnclosedInstructions &&
        text.substr(from).find("\\<?") == std::string_view::npos) {
        escaped.reserve(text.size() + text.size() / 8);
        escaped.append(text.substr(0, from));
        for (std::size_t i = from; i < text.size(); ++i) {
            if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '?') escaped += '\\';
            escaped += text[i];
        }
        text = escaped;
        found.instructions_escaped = true;
    }
    if (hazards) *hazards = found;
    for (const char* name : {"table", "strikethrough", "tasklist", "autolink"}) {
        if (found.tables_off && std::strcmp(name, "table") == 0) continue;
        if (found.autolinks_off && std::strcmp(name, "autolink") == 0) continue;
        if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
    cmark_parser_feed(parser.get(), text.data(), text.size());
    CmarkTree root(cmark_parser_finish(parser.get()), cmark_node_free);
    if (!root) throw std::bad_alloc();
    return root;
}

Inlines parse_inline_markdown(std::string_view raw) {
    std::string_view line = text::trim(raw);
    if (line.empty()) return {};
    // Most lines of a text dump have no inline syntax at all: no need to parse them.
    static constexpr auto kSyntax = [] {
        std::array<bool, 256> table{};
        for (unsigned char c : std::string_view("\\`*_[]<>&!")) table[c] = true;
        return table;
    }();
    if (std::none_of(line.begin(), line.end(), [](char c) { return kSyntax[static_cast<unsigned char>(c)]; }))
        return {Text{std::string(line)}};
    std::string source;
    source.reserve(line.size() + 2);
    if (starts_block(line)) {
        if (is_ascii_digit(line[0])) {
            std::size_t n = 0;
            while (is_ascii_digit(line[n])) ++n;
            source.append(line.substr(0, n));
            source += '\\';
            source.append(line.substr(n));
        } else {
            source += '\\';
            source.append(line);
        }
    } else {
        source.append(line);
    }
    std::unique_ptr<cmark_node, void (*)(cmark_node*)> root(
        cmark_parse_document(source.data(), source.size(), CMARK_OPT_DEFAULT), cmark_node_free);
    Inlines out;
    for (cmark_node* b = cmark_node_first_child(root.get()); b; b = cmark_node_next(b)) {
        Inlines part = inlines_from_cmark(b);
        if (!out.empty() && !part.empty()) out.push_back(Text{" "});
        for (auto& in : part) out.push_back(std::move(in));
    }
    normalize(out);
    return out;
}

std::optional<Image> image_of_html_tag(std::string_view markup) {
    if (markup.size() > kMaxRawImageTag) return std::nullopt;
    std::optional<html_text::Tag> tag = html_text::parse_tag(markup);
    return tag ? image_from_tag(*tag) : std::nullopt;
}

std::optional<BlockNode> images_of_html_block(std::string_view html) {
    static constexpr std::string_view kWrappers[] = {"p", "div", "center", "a", "picture", "source", "figure", "br"};
    Inlines images;
    std::optional<std::string> link;  // the href of an open <a>
    std::string caption_html;
    int in_caption = 0;
    for (std::size_t i = 0; i < html.size();) {
        if (html[i] != '<') {
            std::size_t next = std::min(html.find('<', i), html.size());
            std::string_view text_between = html.substr(i, next - i);
            if (in_caption) caption_html += text_between;
            else if (!text::trim(text_between).empty()) return std::nullopt;  // text: not images only
            i = next;
            continue;
        }
        std::size_t close = html.find('>', i);
        if (close == std::string_view::npos) return std::nullopt;
        std::string_view markup = html.substr(i, close + 1 - i);
        i = close + 1;
        std::optional<html_text::Tag> tag = html_text::parse_tag(markup);
        if (!tag) return std::nullopt;  // a comment, a stray '<': leave the block as it is
        if (tag->name == "figcaption") {
            in_caption += tag->closing ? -1 : 1;
            if (in_caption < 0) return std::nullopt;
            continue;
        }
        if (in_caption) {
            caption_html += markup;
            continue;
        }
        if (tag->name == "img") {
            std::optional<Image> image = image_from_tag(*tag);
            if (!image) return std::nullopt;
            if (!images.empty()) images.push_back(Text{" "});
            if (link) images.push_back(Link{Inlines{std::move(*image)}, *link, ""});
            else images.push_back(std::move(*image));
            continue;
        }
        if (std::find(std::begin(kWrappers), std::end(kWrappers), tag->name) == std::end(kWrappers))
            return std::nullopt;
        if (tag->name == "a") {
            if (tag->closing) link.reset();
            else if (auto href = tag->attribute("href"); href && !href->empty()) link = *href;
        }
    }
    if (images.empty() || in_caption) return std::nullopt;
    std::string caption = text::squeeze_spaces(html_text::fragment_text(caption_html));
    // a <figure> without a caption is its images: a Figure is what has a caption
    if (caption.empty()) return BlockNode{Paragraph{std::move(images)}};
    Figure out;
    out.content.push_back(Block{Paragraph{std::move(images)}});
    // the caption's markup read as the HTML reader reads it (its emphasis, links, ...);
    // its text alone when it is more than one paragraph
    Blocks read = read_html_fragment("<p>" + caption_html + "</p>");
    if (read.size() == 1 && std::holds_alternative<Paragraph>(read.front().node))
        out.caption = std::move(std::get<Paragraph>(read.front().node).content);
    else
        out.caption.push_back(Text{single_line(std::move(caption))});
    return BlockNode{std::move(out)};
}

}  // namespace dconv
