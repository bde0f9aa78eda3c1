// dconv/model.hpp: helpers over the document model: building, flattening, validating.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dconv/document.hpp"
#include "dconv/limits.hpp"

namespace dconv {

// The visible text of inlines, as a reader would see it: link text without its URL,
// code verbatim, a line break as a space.
std::string plain_text(const Inlines& inlines);

// The visible text of a block and everything inside it, blocks separated by '\n'.
std::string plain_text(const Block& block);

// Merges adjacent Text nodes and drops empty ones, recursively. Readers and passes call
// it so that equal documents have equal trees.
void normalize(Inlines& inlines);

// The inline content of a heading or paragraph; nullptr for other blocks.
Inlines* inline_content(Block& block);
const Inlines* inline_content(const Block& block);

// Convenience constructors, mostly for tests.
Block make_heading(int level, std::string text, SourceRange source = {});
Block make_paragraph(std::string text, SourceRange source = {});
Block make_paragraph(Inlines content, SourceRange source = {});

// The tree rules, in one place (cmark's S_can_contain): heading levels 1-6, no empty list,
// no newline inside Text, no block nested deeper than kMaxNesting. Returns one message
// per violation; an empty vector means the document is valid. kMaxNesting: dconv/limits.hpp.
std::vector<std::string> validate(const Document& doc);

}  // namespace dconv
