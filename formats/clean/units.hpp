// units.hpp: the cleaner's view of a document: a flat sequence of units, each a
// top-level block or one item of a top-level list, with its measurements.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clean/features.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv::clean {

// What a unit is, as the unit model's features read it: an item of a top-level list, or
// else its block's kind.
enum class UnitKind : unsigned char { paragraph, heading, item, code, rule, quote, table, figure };

struct Unit {
    std::size_t block = 0;  // index into Document::blocks
    int item = -1;          // index of the list item, or -1 for the whole block
    int list_items = 0;     // an item's: how many items its list has; else 0
    bool heading = false;
    bool code = false;
    bool rule = false;
    bool measured = true;
    UnitKind kind = UnitKind::paragraph;
    int heading_level = 0;
    SourceRange source;
    Features f;
};

// Measures every unit; or, with `head`/`tail`, only the first `head` and last `tail`
// units (the others keep empty Features and `measured` false): the metadata pass reads
// only the page's head and foot. A list item is measured on the text of its paragraphs
// and nested lists; with `whole_items`, on all its text (quotes, tables, code and boxes
// inside it too: an HTML page's forum post is a list item whose words sit in a quote or
// a box, which the unit model must see to judge it).
// With `borrow_text`, a unit of one plain text (a paragraph or heading of one Text) views
// it (UnitText) instead of copying it: `doc`'s blocks must then outlive the units and
// stay in place (blocks moved, as remove_dropped and restore_removed move them, keep
// their text where it is), or the units be read no more once a block is gone.
std::vector<Unit> make_units(const Document& doc, std::string_view lang, std::size_t head = SIZE_MAX,
                             std::size_t tail = 0, bool whole_items = false, bool borrow_text = false);

// A character that closes a clause: a sentence end, a colon or semicolon, a closing
// quote or bracket. A line that stops on one is no paragraph broken mid-clause.
bool closes_clause(char32_t c);

// Blank lines a broken paragraph may span (the repair pass joins across them).
inline constexpr std::uint32_t kMaxJoinGap = 5;
// A CJK paragraph this long may be hard-wrapped at any character.
inline constexpr double kMinWrappedCjkLength = 60;

// Whether a line ending in `end` wraps onto a line starting with `start` (the one test
// the repair pass joins by and continued_lines ties lines by): not after a character
// that closes a clause; then onto a lower-case start (joined with a space), or, CJK onto
// CJK (joined without one), after "，" or "、", or after any CJK character when the
// paragraph so far is kMinWrappedCjkLength long (`if_long`: the caller measures).
enum class LineWrap { none, spaced, cjk, cjk_if_long };
LineWrap line_wrap(char32_t end, char32_t start);

// A text dump wraps its paragraphs at a fixed width: a paragraph's next line stands
// within kMaxJoinGap lines of a line it wraps from (line_wrap).
// Whether each unit is such a next line of the unit before it (both paragraphs): the
// repair pass joins them, and the rules, which judge each line, must not part them.
std::vector<bool> continued_lines(const std::vector<Unit>& units);
// One verdict for each hard-wrapped paragraph of `units` (the lines `continued` ties,
// continued_lines): kept whole when its kept lines are at least as long as its removed
// ones, else removed whole. A `fixed` unit (removed on its own content: furniture, a
// repeated line; the rules' removal the model may not undo) is no line of a paragraph:
// it ends the one above it, is never weighed and never flipped (repair joins across it).
// Returns, for each unit it flips, the paragraph's longest line on the side that won
// (whose reason and score decided it); units.size() for the others.
std::vector<std::size_t> settle_wrapped_paragraphs(const std::vector<Unit>& units, const std::vector<bool>& continued,
                                                   std::vector<bool>& drop, const std::vector<bool>& fixed);

// What identifies a unit of a document, for matching: its text's fold and length, and
// where it is. Far smaller than a Unit, whose text is a copy of the page's.
struct UnitKey {
    std::uint64_t fold = 0;      // Features::fold
    std::size_t text_bytes = 0;  // Features::text's size
    std::size_t block = 0;
    int item = -1;
};
// The keys of make_units(doc, "")'s units, measured one at a time.
std::vector<UnitKey> unit_keys(const Document& doc);

// What goes of a document: whole blocks, and items of its top-level lists.
struct DroppedUnits {
    explicit DroppedUnits(const Document& doc) : blocks(doc.blocks.size(), false), items(doc.blocks.size()) {}
    // `item` -1: the whole block `block`; else that item of the list `block` is.
    void mark(const Document& doc, std::size_t block, int item);
    std::vector<bool> blocks;
    std::vector<std::vector<bool>> items;
};
// What remove_dropped took out of a document, kept so that the document as it was can
// be put back together (restore_removed): the unit model may bring back units the rules
// removed, and a copy of the whole page kept for that was a sixth of a long page's
// cleaning memory. Blocks removed whole are moved here; a list that lost items is
// copied here as it was (the list alone).
struct RemovedUnits {
    enum class State : unsigned char { kept, removed, list_changed, list_removed };
    std::vector<State> states;  // of each block of the document as it was
    Blocks blocks;              // the removed and changed ones, in order
};

// Removes what `dropped` marks (a list that loses every item goes too), in place; keeps
// what it removes in `removed`, when given.
void remove_dropped(Document& doc, const DroppedUnits& dropped, RemovedUnits* removed = nullptr);
// Puts back what remove_dropped removed from `doc` (which nothing changed since): `doc`
// is then as it was before, block for block. In place, in the storage `doc`'s blocks
// had before the removal, and `removed` is emptied as it goes back.
void restore_removed(Document& doc, RemovedUnits&& removed);

// Removes the units whose `drop` flag is set (lists lose the items, emptied lists go)
// and reports each as `action` by `pass` with its reason and the id of the rule that
// decided (`rules`, when given: an empty id for none).
void drop_units(Document& doc, const std::vector<Unit>& units, const std::vector<bool>& drop,
                const std::vector<std::string>& reasons, const std::vector<double>& scores,
                const char* pass, Diagnostics& diag, const std::vector<std::string_view>& rules = {},
                RemovedUnits* removed = nullptr);

std::string excerpt(std::string_view text);

// The document's language: Meta::language if set, else guessed from its text.
std::string document_language(const Document& doc);

}  // namespace dconv::clean
