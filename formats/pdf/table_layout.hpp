// table_layout.hpp: the geometry of a table, apart from its text — where each cell sits
// in the grid once spans are counted, and how wide each column is.
//
// Column widths follow the automatic table layout of browsers (CSS 2.1, 17.5.2.2, as
// implementations read it): every column has a minimum width (its widest unbreakable
// word) and a maximum one (its widest cell set on one line). A table whose maximum
// widths fit is set at them; one whose minimums fit gets them plus a share of the room
// left, in proportion to how much more each column wants; one whose minimums do not fit
// is the caller's to shrink (smaller type), and at worst its columns are cut to
// proportional shares, their words broken between characters. A cell spanning columns
// spreads what it wants beyond theirs evenly over them.
#pragma once

#include <cstddef>
#include <vector>

#include "dconv/document.hpp"

namespace dconv::pdf {

// A cell's place: the first row and column it covers and how many of each (spans as the
// table says, clipped to the section and the columns).
struct CellPlace {
    std::size_t row = 0, column = 0;
    std::size_t rows = 1, columns = 1;
    const TableCell* cell = nullptr;
};

// The cells of a section (head or body rows) in reading order, placed left to right in
// each row, skipping columns that a row span from above still covers. Cells that find no
// free column are dropped (normalize_table makes tables where none are).
std::vector<CellPlace> place_cells(const std::vector<TableRow>& rows, std::size_t columns);

// What a cell wants, in points: its minimum and maximum content widths.
struct CellExtent {
    std::size_t column = 0, columns = 1;
    float min = 0, max = 0;
};

struct ColumnWidths {
    std::vector<float> widths;  // of each column's content (gaps not included)
    bool fits = true;           // false: the minimums did not fit, widths were cut
};

// The columns' widths for a table `available` points wide with `gap` points between
// columns (and none outside them).
ColumnWidths distribute_columns(const std::vector<CellExtent>& cells, std::size_t columns, float available,
                                float gap);

// The sum of the minimum widths plus the gaps: how wide the table must be for no word
// to break.
float minimum_table_width(const std::vector<CellExtent>& cells, std::size_t columns, float gap);

}  // namespace dconv::pdf
