#include "html/table_kind.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "dconv/limits.hpp"

namespace dconv::html {

namespace {

bool is_cell(GumboTag tag) { return tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH; }

bool is_heading(GumboTag tag) {
    return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
           tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

// The declared span ("3"), at least 1; capped so a hostile colspan cannot widen the count.
std::size_t span_of(const GumboNode* cell, const char* name) {
    std::string_view v = text::trim(attribute(cell, name));
    std::size_t n = 0;
    for (std::size_t k = 0; k < v.size() && k < 7 && v[k] >= '0' && v[k] <= '9'; ++k) n = n * 10 + (v[k] - '0');
    return std::clamp<std::size_t>(n, 1, kMaxTableColumns + 1);
}

}  // namespace

bool is_data_table(const Page& page, std::uint32_t table) {
    const Element& t = page[table];
    std::string_view role = text::trim(attribute(t.node, "role"));
    if (text::starts_with_ci(role, "presentation") || text::starts_with_ci(role, "none")) return false;
    std::size_t rows = 0, widest = 0, width = 0, cells = 0, structured = 0;
    for (std::uint32_t k = table + 1; k < t.end; ++k) {
        const Element& e = page[k];
        if (e.skipped) {
            k = e.end - 1;
            continue;
        }
        if (e.tag == GUMBO_TAG_TABLE || is_heading(e.tag)) return false;
        if (e.tag == GUMBO_TAG_TR) {
            ++rows;
            width = 0;
            continue;
        }
        if (!is_cell(e.tag)) continue;
        width += span_of(e.node, "colspan");
        widest = std::max(widest, width);
        if (widest > kMaxTableColumns) return false;
        if (e.all.chars >= kMaxDataCellChars) return false;
        if (e.all.chars > 0) ++cells;
        // two blocks of text or more in the cell: structure
        int blocks = 0;
        for (std::uint32_t d = k + 1; d < e.end && blocks < 2; ++d) {
            if (page[d].tag == GUMBO_TAG_TABLE) return false;  // and stop: nested tables cost one scan
            if (page[d].block && !page[d].skipped && page[d].own.chars > 0) ++blocks;
        }
        if (blocks >= 2 || (blocks == 1 && e.own.chars > 0)) ++structured;
    }
    if (rows < 2 || widest < 2) return false;
    return static_cast<float>(structured) <= kMaxStructuredCellShare * static_cast<float>(cells);
}

}  // namespace dconv::html
