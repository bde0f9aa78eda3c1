// table_notes.hpp: the notes on a table's rows, said once for the table.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "dconv/diagnostics.hpp"

namespace dconv::clean {

// The cleaner judges a table kept whole row by row: its notes on the rows of one table,
// one after the other, become one note, the first row's, over the lines of all, saying
// how many notes it stands for (a 1,000-row table said the same thing 1,000 times). Both
// cleaners' passes that see rows (the classifier's, the HTML cleaner's) say it thus.
class TableRowNotes {
public:
    explicit TableRowNotes(Diagnostics& diag) : diag_(diag) {}
    TableRowNotes(const TableRowNotes&) = delete;
    TableRowNotes& operator=(const TableRowNotes&) = delete;

    // `d`, a note on a row of the table `table` (any key but 0): the first of that table's
    // run starts a note, the others widen it.
    void add(std::size_t table, Diagnostic&& d) {
        if (note_ && table == table_) {
            note_->last_line = std::max(note_->last_line, d.last_line);
            ++notes_;
            return;
        }
        flush();
        table_ = table;
        notes_ = 1;
        note_ = std::move(d);
    }

    // Says the note pending, if any: before any other note, so that the notes stay in
    // the page's order, and at the end (not said otherwise).
    void flush() {
        if (!note_) return;
        if (notes_ > 1)
            note_->reason +=
                " (the first of " + std::to_string(notes_) + " notes on this table's rows; the table stays whole)";
        diag_.note(std::move(*note_));
        note_.reset();
        table_ = notes_ = 0;
    }

private:
    Diagnostics& diag_;
    std::optional<Diagnostic> note_;
    std::size_t table_ = 0, notes_ = 0;
};

}  // namespace dconv::clean
