// dconv/model.hpp: helpers over the document model: building, flattening, validating.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dconv/document.hpp"
#include "dconv/limits.hpp"

namespace dconv {

// The visible text of inlines, as a reader would see it: link text without its URL,
// code verbatim, a line break as a space, an image as its alt text. A note's content is
// left out (it is not part of the running text; pandoc's stringify does the same).
std::string plain_text(const Inlines& inlines);

// The visible text of a block and everything inside it, blocks separated by '\n': table
// cells (one line per row, cells separated by a tab), figure and table captions, and
// notes' content after the block that references them.
std::string plain_text(const Block& block);

// The inline children of a container inline (Emphasis, Strong, Link, Strikeout,
// Superscript, Subscript); nullptr for the others (Text, Code, LineBreak, Image, and
// Note, whose content is blocks). Walks that only care about text use it so that a new
// container inline needs no change to them.
Inlines* inline_children(Inline& in);
const Inlines* inline_children(const Inline& in);

// Whether the inlines hold an image at any depth ("*![The Keeper](keeper.jpg)*" does), or,
// with `or_link`, a link or an image.
bool contains_image(const Inlines& inlines, bool or_link = false);

// Removes the items of a list whose entry in `drop` is true, with their task states
// (items past the end of `drop` are kept).
void remove_list_items(List& list, const std::vector<bool>& drop);

// The number of an ordered list's item in the list's style, as a browser counts: 3 is
// "3", "c", "C", "iii" or "III"; letters go on a, ..., z, aa, ab (bijective base 26).
// Numbers a style cannot write (zero or below for letters and Roman numerals, above 3999
// in Roman numerals) are written in decimal, as CSS's counter styles fall back.
std::string list_number(long long number, NumberStyle style);

// The number of item `index` (from 0) of an ordered list: start + index, or start - index
// for a reversed list.
long long item_number(const List& list, std::size_t index);

// The numbers a writer gives a document's note references, in order (Note::label): a
// note at its first reference takes the next number, and a later reference to a labelled
// note takes that note's number again. Every writer numbers notes with this; one that
// numbers by chapter or page starts a new one there.
class NoteNumbers {
public:
    struct Reference {
        int number = 0;
        bool first = false;  // the note's first reference: the writer writes its text
    };
    Reference reference(const Note& note);

private:
    int last_ = 0;
    std::map<std::string, int> labels_;
};

// The content of each labelled note (Note::label), from its first reference: kept aside
// before the cleaning passes, which may remove that reference with its block (a title
// heading taken out of the text, a line judged furniture) and leave only later ones.
using NoteContents = std::map<std::string, Blocks, std::less<>>;
NoteContents labelled_note_contents(const Document& doc);

// After the cleaning passes: each label's first remaining reference holds the note's
// content (from `kept` when the passes removed the reference that held it) and its later
// references none, so every writer numbers the note by the references that remain. A
// note none of whose references remain is gone with them, in every writer.
void restore_note_contents(Document& doc, NoteContents kept);

// Gives a reader's table the shape validate() wants: spans at least 1, row spans clipped
// to their section, overlapping column spans clipped, short rows padded with empty cells,
// `columns` as wide as the widest row (new columns Alignment::Default), at most
// kMaxTableColumns wide. Returns how many cells were dropped beyond that limit (their
// text is lost: the caller warns).
std::size_t normalize_table(Table& table);

// Merges adjacent Text nodes and drops empty ones, recursively. Readers and passes call
// it so that equal documents have equal trees.
void normalize(Inlines& inlines);

// The inline content of a heading or paragraph; nullptr for other blocks.
Inlines* inline_content(Block& block);
const Inlines* inline_content(const Block& block);

// Calls f(inline, block) for every inline of `blocks`, at every depth, in document order
// and before its children: paragraphs and headings, list items, definition terms and
// definitions, quotes, figures (content, then caption), tables (caption, then cells),
// and a note's content right after the note itself. `block` is the innermost block that
// holds the inline (a figure's or table's caption, a definition term: that figure, table
// or definition list). The model's depth is bounded (kMaxNesting), and so is the walk's.
template <class Blocks_, class F>
void each_inline(Blocks_& blocks, F&& f);

namespace detail {

template <class Inlines_, class Block_, class F>
void each_inline_in(Inlines_& inlines, Block_& block, F& f) {
    for (auto& in : inlines) {
        f(in, block);
        if (auto* note = std::get_if<Note>(&in.base())) each_inline(note->content, f);
        else if (auto* children = inline_children(in)) each_inline_in(*children, block, f);
    }
}

}  // namespace detail

template <class Blocks_, class F>
void each_inline(Blocks_& blocks, F&& f) {
    for (auto& b : blocks) {
        if (auto* content = inline_content(b)) {
            detail::each_inline_in(*content, b, f);
        } else if (auto* list = std::get_if<List>(&b.node)) {
            for (auto& item : list->items) each_inline(item, f);
        } else if (auto* definitions = std::get_if<DefinitionList>(&b.node)) {
            for (auto& item : definitions->items) {
                for (auto& term : item.terms) detail::each_inline_in(term, b, f);
                for (auto& definition : item.definitions) each_inline(definition, f);
            }
        } else if (auto* quote = std::get_if<BlockQuote>(&b.node)) {
            each_inline(quote->children, f);
        } else if (auto* figure = std::get_if<Figure>(&b.node)) {
            each_inline(figure->content, f);
            detail::each_inline_in(figure->caption, b, f);
        } else if (auto* table = std::get_if<Table>(&b.node)) {
            detail::each_inline_in(table->caption, b, f);
            for (auto* rows : {&table->head, &table->body})
                for (auto& row : *rows)
                    for (auto& cell : row.cells) each_inline(cell.content, f);
        }
    }
}

// Convenience constructors, mostly for tests.
Block make_heading(int level, std::string text, SourceRange source = {});
Block make_paragraph(std::string text, SourceRange source = {});
Block make_paragraph(Inlines content, SourceRange source = {});

// The tree rules, in one place (cmark's S_can_contain): heading levels 1-6, no empty list,
// a list's task states empty or one per item, no empty definition list and no definition
// item without a term, no newline inside Text, no block nested deeper than kMaxNesting;
// notes inside notes (a note citing a note) at most kMaxNoteNesting deep; no figure
// without content; tables of 1 to kMaxTableColumns columns, at least one row, a direction
// rtl, ltr or none, spans at least 1, every row exactly as wide as the columns (counting
// spans), row spans inside their section; an image's resource, when named, present in
// Document::resources; at most kMaxImages resources, none over kMaxImageBytes or null.
// Returns one message per violation; an empty vector means the document is valid.
// Limits: dconv/limits.hpp.
std::vector<std::string> validate(const Document& doc);

}  // namespace dconv
