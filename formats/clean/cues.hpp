// cues.hpp: general vocabulary of web pages' furniture: the words of login/share/print
// widgets, of "related news" and comment sections, of copyright footers, of bylines.
// Kept as data tables in cues.cpp, one place to extend; no site's name or text is here.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clean/features.hpp"

namespace dconv::clean {

// Share of the folded words of `text` that are widget words (login, share, print,
// 登录, 分享 ...), 0..1; CJK phrases count by the characters they cover. The words
// found are added to `found` if given.
double widget_share(std::string_view text, std::vector<std::string_view>* found = nullptr);

// A widget word found by widget_share that sends the reader somewhere ("subscribe",
// "login", "分享"), unlike the everyday ones ("more", "next", "help").
bool is_call_word(std::string_view word);

// The text opens a section of page furniture ("Related News", "Comments", "相关阅读").
bool opens_furniture_section(std::string_view text);

// A copyright or legal footer line (©, "All rights reserved", 版权所有, ICP备案).
bool is_legal_line(std::string_view text);

// One unit as legal_prose_units reads it: its text, and the memo of its cue verdicts,
// which the caller's rules then read again without scanning the text twice.
struct CueUnit {
    std::string_view text;
    CueMemo* cues = nullptr;
    bool heading = false;
};

// Of units in the page's order, those that hold a legal line's words (with `notices`, a
// privacy notice's too, in `notices_lang`) but are prose by their shape and place:
// sentence-shaped, followed by a paragraph of prose (thresholds.hpp, kLegalProseWords).
// Rules legal-line and privacy-notice spare them. The verdicts asked are kept in each
// unit's `cues`.
std::vector<bool> legal_prose_units(std::span<const CueUnit> units, std::string_view notices_lang = "",
                                    bool notices = false);

// A cookie banner or privacy notice: two or more of its terms (cookie, consent,
// personal data, third parties...), their occurrences kNoticeCueShare of its bytes.
// `lang` (the page's) picks which languages' terms are looked for besides English.
bool is_privacy_notice(std::string_view text, std::string_view lang);

// The same of a text whose verdicts are kept in `memo` (asked once per memo; a memo
// serves one text, and a privacy notice verdict is asked again in another language).
bool is_legal_line(std::string_view text, CueMemo& memo);
bool is_privacy_notice(std::string_view text, std::string_view lang, CueMemo& memo);

// The same of a measured text (features.hpp), computed once per Features and kept there.
double widget_share(const Features& f);
bool is_legal_line(const Features& f);
bool is_privacy_notice(const Features& f, std::string_view lang);

// A paragraph of prose that states: enough words (thresholds.hpp, kStatementWords), few
// links and widget words, ending on a full stop (ends_with_full_stop: a headline may ask
// or exclaim, "Can You Catch A Bullet?", not end on one), neither a legal line nor a
// privacy notice. Callers check the unit's kind (no heading, list item, code).
bool is_statement_paragraph(const Features& f, std::string_view lang);
// Whether the text's last character is a full stop of its script (. 。 । ։ ። ။ ។ ...: a
// sentence end that neither asks nor exclaims nor trails off), or the text is a
// sentence of a script that writes none (Thai, Lao: Features::ends_sentence).
bool ends_with_full_stop(const Features& f);

// The text after a welcome phrase of a banner ("Welcome to X" → "X"), or empty.
std::string_view strip_welcome(std::string_view text);

// A byline: the author named in "By X", "Author: X", "作者：X", "H.E. X, Minister ...";
// empty when the text is not a byline. `lead_only`: only at the start of the text.
std::string find_byline(std::string_view text, bool lead_only);

// Ordinal lead words opening a section ("First,", "Second,", "Finally,", "首先", "第一").
bool starts_with_ordinal(std::string_view text);

}  // namespace dconv::clean
