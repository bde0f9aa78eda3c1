// PLACEHOLDER: replaced by the real decoder.
#include "decode/decode.hpp"
namespace dconv {
std::string decode_text(std::string_view bytes, std::string_view, Diagnostics&, const std::string&) {
    return std::string(bytes);
}
}  // namespace dconv
