// content_selection.hpp: which part of a page is its content.
//
// Only general signals (the thresholds, with their reasons, are at the top of the .cpp):
//  1. page furniture by structure: nav, aside, footer, menus, page-level header (one
//     inside an article or holding the <h1> is the article's), forms, ARIA landmarks
//     other than main; never one holding most of the page's prose (some sites wrap
//     everything in a <form> or a <header>);
//  2. the content candidate, after Readability: every paragraph of running text scores
//     1 + its commas + up to 3 for its length, credited to its container and, halved
//     and thirded, to the ancestors above; a container's score is scaled by one less its
//     link density, and tag and class/id words weigh in a little (weak evidence only:
//     "comment" or "related" on real content happens). Candidates that read as a cookie
//     or privacy notice are demoted (and the notice removed). The best container moves
//     up to the ancestor that several near-best candidates share, climbs while its parent
//     scores as well or adds only more of the same prose, and takes along siblings that
//     score well or read as prose;
//  3. threads and lists: when the candidate is one of several records of one kind side by
//     side (posts: boxes of blocks with one class, most of their container's text, few
//     links), or holds such records, the content is all of them, and the cleaner is told
//     (Selection::thread);
//  4. inside the content (a data table, table_kind.hpp, is kept whole): boxes that are
//     navigation in all but name (link-dense, little
//     prose), boxes whose class says furniture and whose text agrees (no prose), and the
//     furniture box every post repeats (user card, date and counters, reply buttons: the
//     same kind of box without prose, once in each of three posts or more, and of no kind
//     that holds prose elsewhere: that is a short reply) are removed;
//     so are an article's author boxes: a short box, or a byline, that opens with the
//     name of an author the page's metadata gives (a bio below the article, a byline
//     card above it), never on a thread, whose posts open with their authors' names;
//     the cards of other stories (a small <article> inside the content, not on threads);
//     the captions of figures that show no image (a video's, an embed's); and boxes
//     folded shut (class "collapse" without "show") that are a small part of the content.
// A recall guard ends it: when the content holds less than a share of the page's prose,
// the nearest ancestor that holds enough is taken instead.
//
// Private to formats/html.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "html/html_tree.hpp"

namespace dconv::html {

struct Selection {
    std::vector<std::uint32_t> roots;  // the content: these subtrees, in document order
    std::vector<bool> removed;         // per element: left out, with its subtree
    bool thread = false;               // the content is records of one kind: posts, entries
    std::size_t posts_removed = 0;     // boxes rules nested-article and author-box removed
};

// Chooses the content of `page`, whose language (primary subtag, may be empty) is
// `language`. When `diag` keeps notes, every subtree left out is reported (pass
// "html-select", action "removed", its lines, the deciding signals), and so are the
// decisions that widened the content (action "kept").
// `authors`: the page's authors as its metadata names them (may be empty).
// `landmarks_only`: the wide and inclusive modes (listings, collections, service pages): the
// content is the whole body less its furniture landmarks (step 1 only).
// `excluded`: elements left out before anything is measured (comment_sections()).
// `thread_page`: the page model takes the page for a thread (rule thread-page): an
// <article> inside the content is a reply, not another story's card, and a box opening
// with the name of the page's author is a post of theirs, not a bio; both stay.
Selection select_content(const Page& page, std::string_view language, const std::vector<std::string>& authors,
                         Diagnostics& diag, bool landmarks_only = false,
                         const std::vector<std::uint32_t>& excluded = {}, bool thread_page = false);

// Whether an element is a block of prose as select_content weighs the page: its own
// text at least kMinProseChars long, at most kMaxProseLinkDensity of it links, with a
// sentence end or a comma (the page model's prose signals count the same blocks).
bool is_prose_block(const Element& e);

// What an element's class and id words say of it (the vocabulary select_content weighs
// boxes by), and whether its ARIA role is a furniture landmark: for the unit model's
// features (unit_selection.hpp).
struct ClassHint {
    bool furniture = false;   // sidebar, footer, share, related, nav, ad...
    bool discussion = false;  // comment, reply, discuss
    bool content = false;     // article, content, entry, main, story, post...
    bool landmark_role = false;  // role=navigation, banner, contentinfo, complementary...
};
ClassHint class_hint(const Page& page, std::uint32_t element);

// Whether an element's class, id or schema.org itemtype names a comment section.
bool is_comment_section(const Page& page, std::uint32_t element);
// Rule comment-section: the comment sections of the page (outermost elements whose
// class, id or itemtype names comments) that come after kMinProseBeforeComments of its
// prose, `selection`'s removals (its landmarks) aside. The caller, knowing the page is
// an article and not a thread (the page model), selects the content again without them
// (select_content's `excluded`), and notes them (note_comment_sections).
std::vector<std::uint32_t> comment_sections(const Page& page, const Selection& selection);
void note_comment_sections(const Page& page, const std::vector<std::uint32_t>& sections, Diagnostics& diag);

}  // namespace dconv::html
