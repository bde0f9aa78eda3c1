// language_tags.cpp: layout facts from language tags (language_tags.hpp).
#include "core/language_tags.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "core/text.hpp"

namespace dconv {

bool is_rtl_language(std::string_view tag) {
    static constexpr std::array<std::string_view, 14> kRtlLanguages = {
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ps", "sd", "syr", "ug", "ur", "yi"};
    static constexpr std::array<std::string_view, 7> kRtlScripts = {"arab", "hebr", "syrc", "thaa",
                                                                    "nkoo", "adlm", "rohg"};
    std::string lower = text::lower_ascii(tag);
    std::string_view rest = lower;
    std::string_view primary = rest.substr(0, rest.find('-'));
    // A script subtag (four letters) decides: "az-Arab" is right to left, "ku-Latn" not.
    while (rest.find('-') != std::string_view::npos) {
        rest.remove_prefix(rest.find('-') + 1);
        std::string_view sub = rest.substr(0, rest.find('-'));
        if (sub.size() == 4 && text::is_letter(static_cast<unsigned char>(sub[0])))
            return std::find(kRtlScripts.begin(), kRtlScripts.end(), sub) != kRtlScripts.end();
    }
    return std::find(kRtlLanguages.begin(), kRtlLanguages.end(), primary) != kRtlLanguages.end();
}

}  // namespace dconv
