// PLACEHOLDER: replaced by the real reader.
#include "markdown/markdown_reader.hpp"
namespace dconv {
Document read_markdown(std::string_view, const ReadOptions&, Diagnostics&) { return {}; }
}  // namespace dconv
