// PLACEHOLDER: replaced by the real writer.
#include "markdown/markdown_writer.hpp"
#include "dconv/model.hpp"
namespace dconv {
std::string escape_markdown(std::string_view text, bool) { return std::string(text); }
std::string write_markdown(const Document& doc, const WriteOptions&) {
    std::string out;
    if (!doc.meta.title.empty()) out += "# " + doc.meta.title + "\n\n";
    for (const auto& b : doc.blocks) out += plain_text(b) + "\n\n";
    return out;
}
}  // namespace dconv
