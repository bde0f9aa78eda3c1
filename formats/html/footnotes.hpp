// footnotes.hpp: footnote references and the notes they point at.
//
// A reference is a link to "#id" marked as one: role="doc-noteref", epub:type="noteref",
// a <sup> around it or inside it, or a class naming a footnote ("footnote-ref",
// "fnref"). Its target is a note when it stands after the reference and is an item of
// a list, an <aside>, or marked role="doc-footnote"/"doc-endnote" or epub:type
// "footnote"/"endnote"/"rearnote" (an element inside one, such as <a id="fn1">, stands
// for its block), or any other block of at most kMaxUnmarkedNoteChars that links back
// to the reference (<p id="fn1"><sup>1</sup> ... <a href="#r1">↩</a></p>, Substack's
// <div class="footnote"><a id="footnote-1" href="#footnote-anchor-1">1</a>...). A note's
// own number before its text, the reference's text again, is left out with the links
// back. The note's content goes to the reference (a Note inline) and leaves the text:
// the item, its list when every item is a note, and the box around the list
// (section.footnotes, role="doc-endnotes") when it says it holds notes and holds little
// else (a "Notes" heading, a rule); a heading outside the box whose section held nothing
// else (Wikipedia's "References" over its list) leaves with it. Links back to the reference (↩, ^, role=
// "doc-backlink", and a short mark linking to an id the page lacks) are dropped. Each
// note is taken by its first reference; a later reference to it is one more reference
// to the same note (Note::label, the fragment of its href).
//
// Private to formats/html.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "html/html_tree.hpp"

namespace dconv::html {

// Text a box around a note list may hold besides it (a heading, "Notes") and still go.
inline constexpr float kMaxNoteBoxExtraChars = 100;
// A heading over a section of notes only may come in a box with the page's section tools
// (Wikipedia's "[edit source]" beside its <h2>): at most this much text besides its own.
inline constexpr float kMaxHeadingToolsChars = 16;
// A link back to the reference reads as a mark: "↩", "^", "a", "[1]".
inline constexpr float kMaxBackLinkChars = 4;
// An unmarked note (a <p> or <div> that the reference links to and that links back) is
// a passage, not a section: a longer block that happens to link back to the text is
// read where it stands.
inline constexpr float kMaxUnmarkedNoteChars = 1500;
// An unmarked note's links back to its reference are among its first this many in-page
// links (a note links back once or twice; a block of more is a passage).
inline constexpr std::size_t kMaxNoteLinksBack = 16;

struct NoteIndex {
    // The element at which a note is read (the <sup> around a reference, or the link):
    // its target's element.
    std::unordered_map<std::uint32_t, std::uint32_t> target_at;
    // A note referenced more than once: its label (the fragment its references link to).
    std::unordered_map<std::uint32_t, std::string> label;
    std::vector<bool> hidden;    // per element: a note, the list and box that held notes, their section's heading
    // per element: inside a note, left out of it: a link back to its reference, or the
    // note's own number before its text (the writers number notes)
    std::vector<bool> left_out;
    std::unordered_set<std::uint32_t> with_back_links;  // the notes a link back was left out of
    bool empty() const { return target_at.empty(); }
};

NoteIndex find_notes(const Page& page);

}  // namespace dconv::html
