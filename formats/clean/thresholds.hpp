// thresholds.hpp: the limits the cleaner's unit rules share, defined once.
//
// The text classifier (classify.cpp) and the HTML cleaner (html/content_cleaning.cpp)
// judge a unit by the same words and measures; where they apply the same rule (its id
// in rules.hpp) they read its limit from here, so that the two cannot drift apart again
// (they had: a "kMaxLinkDensity" of 0.3 in one and 0.5 in the other, which were two
// different limits under one name: the 0.5 is kBadLinkDensity below).
//
// Lengths are Latin-equivalent characters, a CJK character counting three
// (features.hpp, Features::length); densities are shares of those characters.
//
// Private to formats/.
#pragma once

#include <cstddef>

namespace dconv::clean {

// Below this a line is judged by its neighbours (a label, a byline), not alone; and a
// sentence shorter than it does not earn the sentence's link allowance.
inline constexpr double kShortLength = 45;

// protected-prose: running prose is a unit this long, at most this much of it link
// text, with two commas or sentence ends. The HTML cleaner protects such a unit from its
// unit rules (html/content_cleaning.cpp), and the unit model reads the same shape as its
// "prose" feature and its densest run of prose (unit_features.cpp). (The recall guard's
// prose, recall_guard.hpp, is shorter on purpose: it counts what a reader calls text.)
inline constexpr double kProseLength = 100;
inline constexpr double kProseLinkDensity = 0.25;

// link-density: more of the text in links than kBadLinkDensity is navigation whatever
// the rest; a full sentence of prose tolerates kSentenceLinkDensity (names, sources
// linked in running text). The text classifier also calls a line of some length that
// is not clearly prose furniture above kMaxLinkDensity; the HTML cleaner, which the
// page's structure already told where the content is, does not.
inline constexpr double kBadLinkDensity = 0.5;
inline constexpr double kSentenceLinkDensity = 0.65;
inline constexpr double kMaxLinkDensity = 0.3;

// widget-words: a line shorter than kMaxWidgetLength whose words are at least
// kWidgetShare widget words (share, log in, print, 分享) is a widget's label.
inline constexpr double kMaxWidgetLength = 120;
inline constexpr double kWidgetShare = 0.5;

// legal-line: a copyright or legal line is shorter than kMaxLegalLength; longer text is
// prose about it (a licence explained). Without a copyright sign, a line naming legal
// terms ("all rights reserved", 版权所有) is one only under kMaxLegalTermsBytes (bytes,
// cues.cpp's is_legal_line): such words occur in prose more often than the sign does,
// so the line must be shorter.
inline constexpr double kMaxLegalLength = 400;
inline constexpr std::size_t kMaxLegalTermsBytes = 250;
// A legal line is a footer's: sentence-shaped prose among the article's paragraphs is
// not one, whatever it names ("Photographs in this essay are © Ann Lee and were taken
// ..."). A unit of at least kLegalProseWords words and kLegalProseLength (a CJK
// character counts as three letters: 22 characters of a reprint notice are no prose
// paragraph) ending a sentence, with under
// kStatementLinkDensity of links, followed (headings aside) by a paragraph of prose (at
// least kStatementWords words, ending a sentence, itself neither a legal line nor a
// privacy notice unless it is such prose too) is prose (cues.hpp, legal_prose_units).
inline constexpr int kLegalProseWords = 12;
inline constexpr double kLegalProseLength = 100;
// A privacy notice's words are spared so only in a lone paragraph: none other within
// kNoticeRunUnits units either side (a privacy policy has them every few paragraphs).
inline constexpr std::size_t kNoticeRunUnits = 3;
// site-template: a line on several pages of a batch is the site's when shorter than
// this (the HTML cleaner counts bytes here); longer text is an article two pages share.
// The unit model's cue features (unit_features.cpp) look only at text this short (bytes).
inline constexpr double kMaxTemplateLength = 400;

// privacy-notice: a cookie notice is prose; shorter text naming cookies is a label. A
// notice says what it is about early on: its first kNoticeSampleBytes decide (cues.cpp's
// is_privacy_notice, and the bytes html/content_selection.cpp reads of a candidate).
inline constexpr double kMinNoticeLength = 80;
inline constexpr std::size_t kNoticeSampleBytes = 1024;
// A notice is about cookies and privacy throughout: its cue terms (is_privacy_notice)
// are at least kNoticeCueShare of the bytes read ("We use cookies ... our cookie
// policy": 10 %; an article that opens on privacy rules and goes on about a harbour:
// 2 %).
inline constexpr double kNoticeCueShare = 0.03;
// A notice is a box beside the content (a banner, a consent dialog, a footer line): the
// HTML selection never takes for one a box holding kMaxNoticePageShare or more of the
// body's text (the page itself). Half of it was too little: a consent dialog listing its
// kinds of cookies can outweigh a short article (dev set HTML 0.944 → 0.931 at 0.5).
inline constexpr double kMaxNoticePageShare = 0.9;

// furniture-section: a line (not a heading) shorter than this may open one ("Related
// articles"); longer, it is a sentence that mentions it.
inline constexpr double kMaxSectionOpener = 60;

// statement paragraph: a paragraph of prose that states (is_statement_paragraph in
// cues.hpp) has at least kStatementWords words, link density under
// kStatementLinkDensity and widget words under kStatementWidgetShare of its words. The
// metadata pass ends the page's head at one (no title below it) and the text classifier
// keeps such paragraphs right above the headline as the article's introduction.
inline constexpr int kStatementWords = 8;
inline constexpr double kStatementLinkDensity = 0.3;
inline constexpr double kStatementWidgetShare = 0.4;

// duplicate-paragraph: shorter text may well recur ("Thank you!", "Read more").
inline constexpr double kMinRepeatedParagraph = 100;

// numbers-only: a unit of numbers, dates or symbols (a counter, a date line, a price):
// fewer than three letters (a CJK character counts as a letter here), or more digits
// than letters. The HTML cleaner asks it of lines under kMaxNumbersLine only. (The two
// cleaners had two versions, "digits > letters" and "letters <= digits / 2"; the one
// kept scores the same or better on the dev set and WCXB, from HTML and from text.)
inline constexpr bool numbers_only(int letters, int digits) {
    return letters < 3 || digits > letters;
}

}  // namespace dconv::clean
