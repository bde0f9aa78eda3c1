#include "html/css_selector.hpp"

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/limits.hpp"

namespace dconv::html {

namespace {

bool ident_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           u >= 0x80;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The element's tag name, lower case, as a selector names it.
std::string tag_name(const Element& e) {
    if (e.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.tag);
    return text::lower_ascii(unknown_tag_name(e.node));
}

// Whether the space-separated list `classes` holds `name`.
bool has_class(std::string_view classes, std::string_view name) {
    std::size_t i = 0;
    while (i < classes.size()) {
        while (i < classes.size() && space(classes[i])) ++i;
        std::size_t start = i;
        while (i < classes.size() && !space(classes[i])) ++i;
        if (i > start && classes.substr(start, i - start) == name) return true;
    }
    return false;
}

// A recursive-descent reader of one selector list; every refusal names the selector.
class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorKind::usage, "", 0, "selector '" + std::string(s_) + "': " + what);
    }

    std::string ident(const char* what) {
        std::size_t start = i_;
        while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
        if (i_ == start) fail(std::string("expected ") + what + at());
        return std::string(s_.substr(start, i_ - start));
    }

    std::string at() const {
        if (i_ >= s_.size()) return " at its end";
        return " at '" + std::string(s_.substr(i_, 12)) + "'";
    }

    void skip_space() {
        while (i_ < s_.size() && space(s_[i_])) ++i_;
    }
    bool done() const { return i_ >= s_.size(); }
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void next() { ++i_; }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace

SelectorList::SelectorList(std::string_view text) : text_(text) {
    Parser p(text);
    if (text.size() > kMaxSelectorLength)
        p.fail("longer than " + std::to_string(kMaxSelectorLength) + " bytes");
    p.skip_space();
    if (p.done()) p.fail("empty");
    while (true) {
        Complex complex;
        while (true) {
            Compound c;
            bool any = false;
            if (p.peek() == '*') {
                p.next();
                c.type = "*";
                any = true;
            } else if (ident_char(p.peek())) {
                c.type = text::lower_ascii(p.ident("a type"));
                any = true;
            }
            while (true) {
                char ch = p.peek();
                if (ch == '.') {
                    p.next();
                    c.classes.push_back(p.ident("a class name after '.'"));
                } else if (ch == '#') {
                    p.next();
                    c.ids.push_back(p.ident("an id after '#'"));
                } else if (ch == '[') {
                    p.next();
                    p.skip_space();
                    Attribute a;
                    a.name = text::lower_ascii(p.ident("an attribute name after '['"));
                    p.skip_space();
                    if (p.peek() == '=') {
                        p.next();
                        p.skip_space();
                        a.has_value = true;
                        char quote = p.peek();
                        if (quote == '"' || quote == '\'') {
                            p.next();
                            while (!p.done() && p.peek() != quote) {
                                a.value += p.peek();
                                p.next();
                            }
                            if (p.done()) p.fail("unterminated quoted value");
                            p.next();
                        } else {
                            a.value = p.ident("a value after '='");
                        }
                        p.skip_space();
                    } else if (!p.done() && p.peek() != ']') {
                        p.fail("unsupported attribute test" + p.at() +
                               " (supported: [attr] and [attr=value])");
                    }
                    if (p.peek() != ']') p.fail("expected ']'" + p.at());
                    p.next();
                    c.attributes.push_back(std::move(a));
                } else if (ch == ':') {
                    p.fail("pseudo-classes and pseudo-elements are not supported" + p.at());
                } else {
                    break;
                }
                any = true;
            }
            if (!any) p.fail("expected a type, .class, #id or [attribute]" + p.at());
            complex.compounds.push_back(std::move(c));
            if (complex.compounds.size() > kMaxSelectorCompounds)
                p.fail("more than " + std::to_string(kMaxSelectorCompounds) + " steps");
            // a combinator, a comma, or the end
            bool spaced = space(p.peek());
            p.skip_space();
            if (p.done() || p.peek() == ',') break;
            if (p.peek() == '>') {
                p.next();
                p.skip_space();
                complex.child.push_back(true);
            } else if (p.peek() == '+' || p.peek() == '~') {
                p.fail("sibling combinators ('+', '~') are not supported" + p.at());
            } else if (spaced) {
                complex.child.push_back(false);
            } else {
                p.fail("unexpected character" + p.at());
            }
        }
        selectors_.push_back(std::move(complex));
        if (p.done()) break;
        p.next();  // the comma
        p.skip_space();
        if (p.done()) p.fail("nothing after ','");
    }
}

bool SelectorList::matches(const Compound& c, const Element& e) {
    if (!c.type.empty() && c.type != "*" && tag_name(e) != c.type) return false;
    for (const std::string& id : c.ids)
        if (attribute(e.node, "id") != id) return false;
    if (!c.classes.empty()) {
        std::string_view classes = attribute(e.node, "class");
        for (const std::string& name : c.classes)
            if (!has_class(classes, name)) return false;
    }
    for (const Attribute& a : c.attributes) {
        if (!has_attribute(e.node, a.name.c_str())) return false;
        if (a.has_value && attribute(e.node, a.name.c_str()) != a.value) return false;
    }
    return true;
}

// Matched right to left: compounds[k] at `e`, then what stands left of it among e's
// ancestors. A descendant combinator tries each ancestor in turn; once the part left of
// it found no place at all up to the root (fails completely), no higher ancestor can
// give it one either, so the search stops there: without that, "div div div ..." over
// a deep page would backtrack exponentially (WebKit's SelectorChecker does the same).
SelectorList::Match SelectorList::match(const Page& page, const Complex& s, std::size_t k, const Element& e) const {
    if (!matches(s.compounds[k], e)) return Match::fails_locally;
    if (k == 0) return Match::matched;
    if (e.parent == kNoElement) return Match::fails_completely;
    if (s.child[k - 1]) return match(page, s, k - 1, page[e.parent]);
    for (std::uint32_t a = e.parent; a != kNoElement; a = page[a].parent) {
        Match m = match(page, s, k - 1, page[a]);
        if (m != Match::fails_locally) return m;
    }
    return Match::fails_completely;
}

bool SelectorList::matches(const Page& page, const Element& e) const {
    if (!e.node) return false;
    for (const Complex& s : selectors_)
        if (match(page, s, s.compounds.size() - 1, e) == Match::matched) return true;
    return false;
}

std::vector<std::uint32_t> outermost_matches(const Page& page, const std::vector<SelectorList>& lists) {
    std::vector<std::uint32_t> found;
    if (lists.empty()) return found;
    for (std::uint32_t i = 0; i < page.size(); ++i) {
        poll_deadline();
        const Element& e = page[i];
        if (e.skipped) continue;
        for (const SelectorList& list : lists)
            if (list.matches(page, e)) {
                found.push_back(i);
                i = e.end - 1;  // what is inside goes with it
                break;
            }
    }
    return found;
}

std::vector<SelectorList> parse_selectors(const std::vector<std::string>& texts, std::string_view option) {
    std::vector<SelectorList> out;
    out.reserve(texts.size());
    for (const std::string& t : texts) {
        try {
            out.emplace_back(t);
        } catch (const Error& e) {
            throw Error(ErrorKind::usage, "", 0, std::string(option) + ": " + e.message());
        }
    }
    return out;
}

}  // namespace dconv::html
