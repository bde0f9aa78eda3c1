// PLACEHOLDER: replaced by the real writer.
#include "plain/plain_writer.hpp"
#include "dconv/model.hpp"
namespace dconv {
std::string write_plain(const Document& doc, const WriteOptions&) {
    std::string out;
    for (const auto& b : doc.blocks) out += plain_text(b) + "\n\n";
    return out;
}
}  // namespace dconv
