// table_kind.hpp: a table of data, or a table that lays out a page.
//
// Pages used tables for layout long before CSS (the old Chinese portals still set
// whole pages in them), and a layout table read as a grid would be nonsense: its cells
// are columns of a page, to be read through as blocks. A table is data when all of this
// holds (general signals only):
//  - it holds no table (layout nests tables; a data table almost never does) and does
//    not say role="presentation"/"none";
//  - it has at least two rows and two columns (one of either is a box around content);
//  - it is at most kMaxTableColumns wide (dconv/limits.hpp): wider is read through, so
//    no text is lost to the cap;
//  - no cell holds a heading, and at most a quarter of its cells hold block structure
//    (two blocks of text or more: paragraphs, lists, boxes);
//  - no cell holds kMaxDataCellChars of text or more (a cell holding an article).
//
// Private to formats/html.
#pragma once

#include <cstdint>

#include "html/html_tree.hpp"

namespace dconv::html {

// A cell with this much text (Latin-equivalent characters) is a column of a page.
inline constexpr float kMaxDataCellChars = 1500;
// More than this share of a table's non-empty cells holding block structure: layout.
inline constexpr float kMaxStructuredCellShare = 0.25f;

// True when the <table> at `table` is a data table. Reads the table's elements once.
bool is_data_table(const Page& page, std::uint32_t table);

}  // namespace dconv::html
