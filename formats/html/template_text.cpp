// template_text.cpp: an HTML page as its batch's profile learns it (html_template_text).
#include "html/html_reader.hpp"

#include <algorithm>
#include <variant>

#include "dconv/model.hpp"

namespace dconv {

namespace {

// The text of a unit the cleaner judges, on one line (the profile folds runs of white
// space, as the cleaner's measures do).
void append_line(std::string line, std::string& out) {
    std::replace(line.begin(), line.end(), '\n', ' ');
    out += line;
    out += '\n';
}

}  // namespace

std::string html_template_text(std::string text, const ReadOptions& options) {
    // Uncleaned: the whole body, so the profile sees what every page repeats, wherever
    // each page's content selection will end.
    ReadOptions whole = options;
    whole.clean = Cleaning::off;
    Diagnostics ignored;
    Document doc = read_html(std::move(text), whole, ignored);
    std::string out;
    for (const Block& block : doc.blocks) {
        // a unit is a top-level block, or an item of a top-level list (clean/units.cpp)
        if (const auto* list = std::get_if<List>(&block.node)) {
            for (const Blocks& item : list->items) {
                std::string line;
                for (const Block& part : item) line += plain_text(part) + ' ';
                append_line(std::move(line), out);
            }
        } else {
            append_line(plain_text(block), out);
        }
    }
    return out;
}

}  // namespace dconv
