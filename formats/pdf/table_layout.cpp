// table_layout.cpp: cell placement and column widths (table_layout.hpp).
#include "pdf/table_layout.hpp"

#include <algorithm>
#include <numeric>

namespace dconv::pdf {

std::vector<CellPlace> place_cells(const std::vector<TableRow>& rows, std::size_t columns) {
    std::vector<CellPlace> out;
    // How many more rows each column stays covered by a row span from above.
    std::vector<std::size_t> covered(columns, 0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::size_t column = 0;
        for (const TableCell& cell : rows[r].cells) {
            while (column < columns && covered[column] > 0) ++column;
            if (column >= columns) break;
            CellPlace place;
            place.row = r;
            place.column = column;
            place.cell = &cell;
            std::size_t wanted_columns = static_cast<std::size_t>(std::max(cell.col_span, 1));
            std::size_t free = 0;  // columns free from here (a span stops at a covered one)
            while (column + free < columns && covered[column + free] == 0 && free < wanted_columns) ++free;
            place.columns = std::max<std::size_t>(free, 1);
            place.rows = std::min(static_cast<std::size_t>(std::max(cell.row_span, 1)), rows.size() - r);
            for (std::size_t c = column; c < column + place.columns; ++c) covered[c] = place.rows;
            column += place.columns;
            out.push_back(place);
        }
        for (std::size_t& c : covered)
            if (c > 0) --c;
    }
    return out;
}

namespace {

// Each column's minimum and maximum, single-column cells first, then spanning cells'
// excess spread evenly over their columns.
void column_extents(const std::vector<CellExtent>& cells, std::size_t columns, float gap, std::vector<float>& min,
                    std::vector<float>& max) {
    min.assign(columns, 0);
    max.assign(columns, 0);
    for (const CellExtent& cell : cells) {
        if (cell.columns != 1 || cell.column >= columns) continue;
        min[cell.column] = std::max(min[cell.column], cell.min);
        max[cell.column] = std::max(max[cell.column], cell.max);
    }
    for (const CellExtent& cell : cells) {
        if (cell.columns <= 1 || cell.column >= columns) continue;
        std::size_t end = std::min(columns, cell.column + cell.columns);
        std::size_t n = end - cell.column;
        float gaps = gap * static_cast<float>(n - 1);
        float have_min = std::accumulate(min.begin() + cell.column, min.begin() + end, 0.0f) + gaps;
        float have_max = std::accumulate(max.begin() + cell.column, max.begin() + end, 0.0f) + gaps;
        for (std::size_t c = cell.column; c < end; ++c) {
            if (cell.min > have_min) min[c] += (cell.min - have_min) / static_cast<float>(n);
            if (cell.max > have_max) max[c] += (cell.max - have_max) / static_cast<float>(n);
        }
    }
    for (std::size_t c = 0; c < columns; ++c) max[c] = std::max(max[c], min[c]);
}

}  // namespace

float minimum_table_width(const std::vector<CellExtent>& cells, std::size_t columns, float gap) {
    std::vector<float> min, max;
    column_extents(cells, columns, gap, min, max);
    return std::accumulate(min.begin(), min.end(), 0.0f) + gap * static_cast<float>(columns ? columns - 1 : 0);
}

ColumnWidths distribute_columns(const std::vector<CellExtent>& cells, std::size_t columns, float available,
                                float gap) {
    ColumnWidths out;
    if (columns == 0) return out;
    std::vector<float> min, max;
    column_extents(cells, columns, gap, min, max);
    const float room = std::max(available - gap * static_cast<float>(columns - 1), 0.0f);
    const float total_min = std::accumulate(min.begin(), min.end(), 0.0f);
    const float total_max = std::accumulate(max.begin(), max.end(), 0.0f);
    if (total_max <= room) {
        out.widths = max;
    } else if (total_min <= room) {
        // Each column gets its minimum plus a share of what is left, in proportion to
        // how much more it wants.
        const float spare = room - total_min;
        const float wanted = total_max - total_min;
        out.widths.resize(columns);
        for (std::size_t c = 0; c < columns; ++c)
            out.widths[c] = min[c] + (wanted > 0 ? spare * (max[c] - min[c]) / wanted : 0);
    } else {
        // Too narrow even for the longest words: proportional to the minimums (an empty
        // column keeps nothing), words break inside.
        out.fits = false;
        out.widths.resize(columns);
        for (std::size_t c = 0; c < columns; ++c)
            out.widths[c] = total_min > 0 ? room * min[c] / total_min : room / static_cast<float>(columns);
    }
    return out;
}

}  // namespace dconv::pdf
