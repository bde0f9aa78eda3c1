// css_selector.hpp: the CSS selectors of --keep-selector and --drop-selector, matched
// against a parsed page's elements (html_tree.hpp).
//
// The subset a user needs to point at a part of a page, and no more:
//   type          article, div, *           (case-insensitive)
//   .class #id    .post-body, #comments     (case-sensitive, as in HTML's standards mode)
//   [attr]        [data-role]               (attribute names case-insensitive)
//   [attr=val]    [role=main], [itemprop="articleBody"]
//   A B           B inside A (descendant)
//   A > B         B a child of A
//   A, B          either
// Anything else (pseudo-classes, sibling combinators, attribute operators such as ~=,
// namespaces) is refused when parsed, with an Error(usage) that names the selector and
// what in it is not supported: a selector silently matching nothing would look like the
// cleaner ignoring the user.
//
// Private to formats/ (the HTML reader, and read_document's option check).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "html/html_tree.hpp"

namespace dconv::html {

// Caps on what a user's selector may hold: matching a complex selector with descendant
// combinators backtracks over ancestors, so the number of compounds bounds the work
// (each level at most the page's depth, itself bounded by kMaxElementDepth).
inline constexpr std::size_t kMaxSelectorLength = 1024;   // bytes of one option's text
inline constexpr std::size_t kMaxSelectorCompounds = 16;  // A B > C ... in one selector

class SelectorList {
public:
    // Parses a selector list ("article .body, #main"); throws Error(usage) naming it
    // when dconv does not support it (see above) or it is malformed.
    explicit SelectorList(std::string_view text);

    const std::string& text() const { return text_; }

    // Whether `e` (an element of `page`, or one being indexed whose ancestors are)
    // matches any selector of the list.
    bool matches(const Page& page, const Element& e) const;

private:
    struct Attribute {
        std::string name;   // lower case
        std::string value;  // for [name=value]
        bool has_value = false;
    };
    struct Compound {
        std::string type;  // lower case; empty or "*": any element
        std::vector<std::string> ids, classes;
        std::vector<Attribute> attributes;
    };
    struct Complex {
        std::vector<Compound> compounds;   // left to right
        std::vector<bool> child;           // child[k]: compounds[k] > compounds[k+1]
    };

    enum class Match { matched, fails_locally, fails_completely };
    static bool matches(const Compound& c, const Element& e);
    Match match(const Page& page, const Complex& s, std::size_t k, const Element& e) const;

    std::string text_;
    std::vector<Complex> selectors_;
};

// The elements of `page` matching any of `lists` and not inside another such (the
// outermost), in document order; skipped elements (scripts, hidden) are not matched.
std::vector<std::uint32_t> outermost_matches(const Page& page, const std::vector<SelectorList>& lists);

// Parses each option's text; throws Error(usage) naming the first unsupported one, with
// `option` ("--keep-selector") in the message.
std::vector<SelectorList> parse_selectors(const std::vector<std::string>& texts, std::string_view option);

}  // namespace dconv::html
