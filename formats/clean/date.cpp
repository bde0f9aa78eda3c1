// find_date: a small hand-written scanner (no std::regex: too slow to build and run on
// every candidate line). The line is cut into tokens (numbers, words, CJK characters,
// punctuation); at each token, from the left, the date shapes below are tried, and the
// first one that reads as a valid calendar date wins.
//
//   year first   2019-11-29 (T16:31:41Z)   2016/07/01   2016.07.01   2024. 5. 13.
//                2020年12月11日   2020 年 12 月 11 日   2024년 5월 13일
//   day first    19.11.2019 (d.m.y)   11/19/2019, 19/11/2019, 19-11-2019 (see below)
//                20 June 2016   11 Dec. 2020   20. Mai 2024   1er mai 2024   20th June, 2016
//                20 de mayo de 2024   19 de maio de 2024   20 maggio 2024   11-Dec-2020
//   month first  December 11, 2020   Dec. 11, 2020   Dec 11 2020   June 20th, 2016
//   weekday      Tuesday, March 3, 2026   Di., 3. März 2026   周二 2026年3月3日: a date at
//                the start of a line may follow its weekday (starts_with_date)
//
// Decisions:
// - NN/NN/YYYY and NN-NN-YYYY: d/m/y when the first number cannot be a month (> 12),
//   m/d/y (US) otherwise. NN.NN.YYYY is always d.m.y (European).
// - A day-first numeric date needs a 4-digit year and 1- or 2-digit day and month; it
//   must not be glued to a Latin letter ("v1.2.2019") nor continue a dotted or dashed
//   number run ("10.1.1.2019"), and the year must not run on ("19.11.2019.3").
// - A date with no day ("2019年11月", "December 2020") is no date: a day is never invented.
// - Years 1900-2100 only; months 1-12; days valid for the month, leap years included.
// - Numbers are maximal digit runs, so nothing matches inside a longer run (phone numbers,
//   IDs like 20240513125214547); compact YYYYMMDD is not read for the same reason.
// - Fullwidth digits and punctuation (２０２０／１２／１１) read as ASCII; other decimal digits
//   (Arabic-Indic ٢٠٢٤) by their value.
// - Dates in URL paths (/2019/11/20/slug) are read like any other.
#include "dconv/clean.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/text.hpp"

namespace dconv {

namespace {

// ---------------------------------------------------------------------------------------
// Month names: English, German, French, Spanish, Portuguese, Italian, Dutch, Indonesian,
// Swedish, Turkish in full and abbreviated, Russian and Polish in the genitive used in
// dates ("20 мая 2024", "20 maja 2024"), Arabic and Hindi. Lower-case; an abbreviation may be followed by
// a full stop in the text. One entry per spelling (many are shared across languages).

struct MonthName {
    std::string_view name;
    int month;
};

constexpr MonthName kMonthNames[] = {
    // 1
    {"january", 1}, {"jan", 1}, {"januar", 1}, {"jänner", 1}, {"janvier", 1}, {"janv", 1},
    {"enero", 1}, {"ene", 1}, {"janeiro", 1}, {"gennaio", 1}, {"gen", 1}, {"januari", 1},
    {"ocak", 1}, {"января", 1}, {"stycznia", 1},
    // 2
    {"february", 2}, {"feb", 2}, {"februar", 2}, {"février", 2}, {"fevrier", 2},
    {"févr", 2}, {"fevr", 2}, {"febrero", 2}, {"fevereiro", 2}, {"fev", 2}, {"febbraio", 2},
    {"februari", 2}, {"şubat", 2}, {"февраля", 2}, {"lutego", 2},
    // 3
    {"march", 3}, {"mar", 3}, {"märz", 3}, {"mär", 3}, {"mrz", 3}, {"mars", 3},
    {"marzo", 3}, {"março", 3}, {"marco", 3}, {"maart", 3}, {"mrt", 3}, {"maret", 3},
    {"mart", 3}, {"марта", 3}, {"marca", 3},
    // 4
    {"april", 4}, {"apr", 4}, {"avril", 4}, {"avr", 4}, {"abril", 4}, {"abr", 4},
    {"aprile", 4}, {"nisan", 4}, {"апреля", 4}, {"kwietnia", 4},
    // 5
    {"may", 5}, {"mai", 5}, {"mayo", 5}, {"maio", 5}, {"maggio", 5}, {"mag", 5},
    {"mei", 5}, {"maj", 5}, {"mayıs", 5}, {"мая", 5}, {"maja", 5},
    // 6
    {"june", 6}, {"jun", 6}, {"juni", 6}, {"juin", 6}, {"junio", 6}, {"junho", 6},
    {"giugno", 6}, {"giu", 6}, {"haziran", 6}, {"июня", 6}, {"czerwca", 6},
    // 7
    {"july", 7}, {"jul", 7}, {"juli", 7}, {"juillet", 7}, {"juil", 7}, {"julio", 7},
    {"julho", 7}, {"luglio", 7}, {"lug", 7}, {"temmuz", 7}, {"июля", 7}, {"lipca", 7},
    // 8
    {"august", 8}, {"aug", 8}, {"août", 8}, {"aout", 8}, {"agosto", 8}, {"ago", 8},
    {"augustus", 8}, {"agustus", 8}, {"augusti", 8}, {"ağustos", 8}, {"августа", 8},
    {"sierpnia", 8},
    // 9
    {"september", 9}, {"sep", 9}, {"sept", 9}, {"septembre", 9}, {"septiembre", 9},
    {"setiembre", 9}, {"setembro", 9}, {"set", 9}, {"settembre", 9}, {"eylül", 9},
    {"сентября", 9}, {"września", 9},
    // 10
    {"october", 10}, {"oct", 10}, {"oktober", 10}, {"okt", 10}, {"octobre", 10},
    {"octubre", 10}, {"outubro", 10}, {"out", 10}, {"ottobre", 10}, {"ott", 10},
    {"ekim", 10}, {"октября", 10}, {"października", 10},
    // 11
    {"november", 11}, {"nov", 11}, {"novembre", 11}, {"noviembre", 11}, {"novembro", 11},
    {"kasım", 11}, {"ноября", 11}, {"listopada", 11},
    // 12
    {"december", 12}, {"dec", 12}, {"dezember", 12}, {"dez", 12}, {"décembre", 12},
    {"decembre", 12}, {"déc", 12}, {"diciembre", 12}, {"dic", 12}, {"dezembro", 12},
    {"dicembre", 12}, {"desember", 12}, {"des", 12}, {"aralık", 12}, {"декабря", 12},
    {"grudnia", 12},
    // Turkish as often typed without its letters (and as I lower-cases outside Turkish).
    {"subat", 2}, {"mayis", 5}, {"agustos", 8}, {"eylul", 9}, {"kasim", 11},
    {"aralik", 12},
    // Arabic: the Egyptian and Gulf names, and the Levantine ones of one word.
    {"يناير", 1}, {"فبراير", 2}, {"شباط", 2}, {"مارس", 3}, {"آذار", 3}, {"أبريل", 4},
    {"ابريل", 4}, {"إبريل", 4}, {"نيسان", 4}, {"مايو", 5}, {"أيار", 5}, {"يونيو", 6},
    {"يونيه", 6}, {"حزيران", 6}, {"يوليو", 7}, {"يوليه", 7}, {"تموز", 7}, {"أغسطس", 8},
    {"آب", 8}, {"سبتمبر", 9}, {"أيلول", 9}, {"أكتوبر", 10}, {"اكتوبر", 10},
    {"نوفمبر", 11}, {"ديسمبر", 12},
    // Hindi, with and without the nukta and the half-nasal spellings.
    {"जनवरी", 1}, {"फरवरी", 2}, {"फ़रवरी", 2}, {"मार्च", 3}, {"अप्रैल", 4}, {"मई", 5},
    {"जून", 6}, {"जुलाई", 7}, {"अगस्त", 8}, {"सितंबर", 9}, {"सितम्बर", 9},
    {"अक्टूबर", 10}, {"अक्तूबर", 10}, {"नवंबर", 11}, {"नवम्बर", 11}, {"दिसंबर", 12},
    {"दिसम्बर", 12},
};

constexpr auto kSortedMonthNames = [] {
    std::array<MonthName, std::size(kMonthNames)> names{};
    std::copy(std::begin(kMonthNames), std::end(kMonthNames), names.begin());
    std::sort(names.begin(), names.end(),
              [](const MonthName& a, const MonthName& b) { return a.name < b.name; });
    return names;
}();

constexpr bool unique_month_names() {
    for (std::size_t i = 1; i < kSortedMonthNames.size(); ++i)
        if (kSortedMonthNames[i - 1].name == kSortedMonthNames[i].name) return false;
    return true;
}
static_assert(unique_month_names(), "a month name is listed twice");

// The sorted names as looked up: an entry names its spelling by offset and length in one
// char array rather than by a string_view, so the table holds no pointer. A table of
// pointers in a position-independent executable is written by the loader's relocations at
// every start (a copied page each, even for --version); offsets leave it read-only data,
// read from the file only when a date is looked for.
struct PackedMonthName {
    std::uint16_t offset;  // into MonthTable::text
    std::uint8_t length;
    std::uint8_t month;
};

constexpr std::size_t month_name_bytes() {
    std::size_t n = 0;
    for (const MonthName& m : kMonthNames) n += m.name.size();
    return n;
}
static_assert(month_name_bytes() <= UINT16_MAX, "PackedMonthName::offset is 16 bits");
static_assert(std::all_of(std::begin(kMonthNames), std::end(kMonthNames),
                          [](const MonthName& m) { return m.name.size() <= UINT8_MAX && m.month <= 12; }),
              "PackedMonthName::length and month are 8 bits");

struct MonthTable {
    std::array<char, month_name_bytes()> text{};
    std::array<PackedMonthName, std::size(kMonthNames)> names{};

    constexpr std::string_view name(const PackedMonthName& m) const { return {text.data() + m.offset, m.length}; }
};

constexpr MonthTable kMonthTable = [] {
    MonthTable table{};
    std::size_t used = 0;
    for (std::size_t i = 0; i < kSortedMonthNames.size(); ++i) {
        const MonthName& m = kSortedMonthNames[i];
        std::copy(m.name.begin(), m.name.end(), table.text.begin() + used);
        table.names[i] = {static_cast<std::uint16_t>(used), static_cast<std::uint8_t>(m.name.size()),
                          static_cast<std::uint8_t>(m.month)};
        used += m.name.size();
    }
    return table;
}();

// Longest month name, in bytes ("сентября" is 16): longer words are not looked up.
constexpr std::size_t kMaxMonthNameBytes = 32;

// Weekday names in the languages of the month names, lower-case: a weekday before a date
// ("Tuesday, March 3, 2026") is part of the dateline. Full names and abbreviations are
// listed apart, since short ones are also surnames ("Yifan Sun", "Jane Ma", "Min-ji So"):
// an abbreviation counts only with its "." or "," (starts_with_date). Shared spellings are
// listed once ("mar" is Tuesday in French, Spanish and Italian, and March in English: a
// date is tried as written first).
constexpr std::string_view kWeekdayNames[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",  // English
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend",
    "sonntag",  // German
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",  // French
    "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado",
    "domingo",  // Spanish
    // Portuguese ("segunda-feira": the "-feira" is skipped after the word)
    "segunda", "terça", "terca", "quarta", "quinta", "sexta",
    "lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "giovedì", "giovedi",
    "venerdì", "venerdi", "sabato", "domenica",  // Italian
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",  // Dutch
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",  // Indonesian
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",  // Swedish
    // Turkish, with and without its letters
    "pazartesi", "salı", "sali", "çarşamba", "carsamba", "perşembe", "persembe", "cuma",
    "cumartesi", "pazar",
    "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",  // Russian
    "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela",  // Polish
    // Arabic
    "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "السبت", "الأحد",
    "الاحد",
    // Hindi
    "सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "बृहस्पतिवार", "शुक्रवार", "शनिवार", "रविवार",
};
constexpr std::string_view kWeekdayAbbreviations[] = {
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",  // English
    "mo", "di", "mi", "do", "fr", "sa", "so",  // German
    "lun", "mar", "mer", "jeu", "ven", "sam", "dim",  // French
    "mié", "mie", "jue", "vie", "sáb", "sab", "dom",  // Spanish
    "seg", "ter", "qua", "qui", "sex",  // Portuguese
    "gio",  // Italian
    "ma", "wo", "vr", "za", "zo",  // Dutch
    "mån", "tis", "ons", "tors", "fre", "lör", "sön",  // Swedish
    "пн", "вт", "ср", "чт", "пт", "сб", "вс",  // Russian
    "pon", "wt", "śr", "czw", "pt", "sob", "niedz", "nd",  // Polish
};

// Chinese, Japanese and Korean weekdays, written without spaces: matched as the text
// that starts at a token.
constexpr std::string_view kCjkWeekdays[] = {
    "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日", "星期天",
    "礼拜一", "礼拜二", "礼拜三", "礼拜四", "礼拜五", "礼拜六", "礼拜日", "礼拜天",
    "周一", "周二", "周三", "周四", "周五", "周六", "周日", "周天",
    "週一", "週二", "週三", "週四", "週五", "週六", "週日",
    "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日",
    "월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일",
};

constexpr bool unique_weekday_names() {
    constexpr std::size_t full = std::size(kWeekdayNames);
    auto name = [](std::size_t i) { return i < full ? kWeekdayNames[i] : kWeekdayAbbreviations[i - full]; };
    const std::size_t all = full + std::size(kWeekdayAbbreviations);
    for (std::size_t i = 0; i < all; ++i)
        for (std::size_t k = i + 1; k < all; ++k)
            if (name(i) == name(k)) return false;
    return true;
}
static_assert(unique_weekday_names(), "a weekday name is listed twice");

// Ordinal suffixes glued to a day number: 1st 2nd 3rd 20th, 1er, 1º 1ª, 1o.
constexpr std::string_view kOrdinalSuffixes[] = {"st", "nd", "rd", "th", "er",
                                                 "o",  "a",  "º",  "ª"};

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2100;

// ---------------------------------------------------------------------------------------
// Tokens

enum class Kind { number, word, cjk, punct };

struct Token {
    Kind kind;
    std::size_t begin, end;  // bytes of the line
    bool space_before;       // white space between this token and the previous one
    int value;               // number: its value (only read when it has ≤ 4 digits)
    int digits;              // number: how many
    char32_t ch;             // cjk, punct: the character (fullwidth folded to ASCII)
};

// Longest digit run whose value is computed; longer runs are never part of a date.
constexpr int kMaxValueDigits = 4;
// starts_with_date: a date's tokens fit in these many bytes ("20 de septiembre de 2024",
// the longest month names of the table)
constexpr std::size_t kDateStartBytes = 64;

int digit_value(char32_t c) {
    if (c >= '0' && c <= '9') return int(c - '0');
    if (c < 0x80) return -1;
    return u_charDigitValue(UChar32(c));  // fullwidth and other decimal digits
}

char32_t fold_fullwidth(char32_t c) {
    return (c >= 0xFF01 && c <= 0xFF5E) ? c - 0xFEE0 : c;
}

// Every date has a 4-digit year: a line without a run of exactly four digits (or any
// non-ASCII digit, checked by the tokenizer) is answered without being tokenized.
bool may_hold_year(std::string_view s) {
    int run = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char byte = static_cast<unsigned char>(s[i]);
        if (byte >= '0' && byte <= '9') {
            ++run;
            ++i;
            continue;
        }
        if (run == 4) return true;
        run = 0;
        if (byte < 0x80) {
            ++i;
            continue;
        }
        if (digit_value(text::next(s, i)) >= 0) return true;
    }
    return run == 4;
}

// Vowel signs and nukta of Devanagari, harakat of Arabic: part of the word they are in.
bool is_mark(char32_t c) {
    if (c < 0x300) return false;
    auto type = u_charType(UChar32(c));
    return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

// The tokens of a line, read as the scanner asks for them and forgotten behind it: a
// date's patterns look back two tokens at most, so a window of tokens is held, not the
// line's every token (40 bytes each: a 20 MB paragraph of one line made 300 MB of them).
class TokenStream {
public:
    explicit TokenStream(std::string_view s) : s_(s) {}

    // Token i, or null past the line's end. `i` is never more than kKeep tokens before
    // the furthest one asked for since forget_before() was last told.
    const Token* at(std::size_t i) {
        while (first_ + window_.size() <= i) {
            Token t{};
            if (!read(t)) return nullptr;
            window_.push_back(t);
        }
        return &window_[i - first_];
    }
    // The scanner is at token i: the tokens more than kKeep before it may go.
    void forget_before(std::size_t i) {
        if (i < first_ + kKeep + kForgetEvery) return;
        const std::size_t drop = i - kKeep - first_;
        window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(drop));
        first_ += drop;
    }

private:
    static constexpr std::size_t kKeep = 8;             // tokens kept behind the scanner
    static constexpr std::size_t kForgetEvery = 4096;  // tokens dropped at once

    bool read(Token& out) {
        while (pos_ < s_.size()) {
            std::size_t start = pos_;
            char32_t c = fold_fullwidth(text::next(s_, pos_));
            if (text::is_space(c) || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000) {
                space_ = true;
                continue;
            }
            Token t{Kind::punct, start, pos_, space_, 0, 0, c};
            space_ = false;
            if (digit_value(c) >= 0) {
                t.kind = Kind::number;
                t.value = digit_value(c);
                t.digits = 1;
                while (pos_ < s_.size()) {
                    std::size_t k = pos_;
                    int d = digit_value(fold_fullwidth(text::next(s_, k)));
                    if (d < 0) break;
                    pos_ = k;
                    if (++t.digits <= kMaxValueDigits) t.value = t.value * 10 + d;
                }
            } else if (text::is_cjk(c)) {
                t.kind = Kind::cjk;
            } else if (text::is_letter(c)) {
                t.kind = Kind::word;
                while (pos_ < s_.size()) {
                    std::size_t k = pos_;
                    char32_t n = text::next(s_, k);
                    if (!(text::is_letter(n) || is_mark(n)) || text::is_cjk(n)) break;
                    pos_ = k;
                }
            }
            t.end = pos_;
            out = t;
            return true;
        }
        return false;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    bool space_ = false;
    std::vector<Token> window_;
    std::size_t first_ = 0;  // the index of window_[0]
};

// ---------------------------------------------------------------------------------------
// The scanner

class Scanner {
public:
    explicit Scanner(std::string_view line, DateStart start = DateStart::line_start)
        : line_(line), start_(start), tokens_(line) {}

    // A date made of the line's first tokens, or of those after its weekday.
    bool date_at_start() {
        Date d;
        if (!at(0)) return false;
        if (year_first(0, d) || day_first(0, d) || month_first(0, d)) return true;
        std::size_t i = after_weekday(0);
        return i > 0 && at(i) && (year_first(i, d) || day_first(i, d) || month_first(i, d));
    }

    std::string first_date() {
        for (std::size_t i = 0; at(i); ++i) {
            Date d;
            if (year_first(i, d) || day_first(i, d) || month_first(i, d)) return format(d);
            tokens_.forget_before(i);
        }
        return "";
    }

private:
    struct Date {
        int year = 0, month = 0, day = 0;
    };

    std::string_view line_;
    DateStart start_;
    mutable TokenStream tokens_;  // read on demand by the const look-ups below

    const Token* at(std::size_t i) const { return tokens_.at(i); }

    bool is_number(std::size_t i, int min_digits, int max_digits) const {
        const Token* t = at(i);
        return t && t->kind == Kind::number && t->digits >= min_digits &&
               t->digits <= max_digits;
    }
    bool is_punct(std::size_t i, char32_t c) const {
        const Token* t = at(i);
        return t && t->kind == Kind::punct && t->ch == c;
    }
    bool is_cjk(std::size_t i, char32_t a, char32_t b, char32_t c = 0) const {
        const Token* t = at(i);
        return t && t->kind == Kind::cjk && (t->ch == a || t->ch == b || (c && t->ch == c));
    }
    bool glued(std::size_t i) const { return at(i) && !at(i)->space_before; }
    int value(std::size_t i) const { return at(i)->value; }
    std::string_view token_text(std::size_t i) const {
        const Token& t = *at(i);
        return line_.substr(t.begin, t.end - t.begin);
    }

    // The word at i, lower-cased, equals `word`.
    bool is_word(std::size_t i, std::string_view word) const {
        const Token* t = at(i);
        return t && t->kind == Kind::word && t->end - t->begin == word.size() &&
               text::starts_with_ci(token_text(i), word);
    }

    // A word of at most kMaxMonthNameBytes, lower-cased into `buffer`.
    using Folded = std::array<char, kMaxMonthNameBytes * 2>;  // lower-casing may grow a word
    std::string_view folded_word(std::size_t i, Folded& buffer) const {
        const Token* t = at(i);
        if (!t || t->kind != Kind::word || t->end - t->begin > kMaxMonthNameBytes) return {};
        std::size_t n = 0;
        std::string_view word = token_text(i);
        for (std::size_t k = 0; k < word.size();) {
            char32_t c = text::next(word, k);
            c = c < 0x80 ? (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c)
                         : static_cast<char32_t>(u_tolower(UChar32(c)));
            char utf8[4];
            std::size_t len = text::encode(c, utf8);
            if (n + len > buffer.size()) return {};
            for (std::size_t b = 0; b < len; ++b) buffer[n++] = utf8[b];
        }
        return {buffer.data(), n};
    }

    // The token after a weekday that starts at token i and what follows it ("Tuesday, ",
    // "Di., ", "segunda-feira, ", "周二 "), or i when no weekday starts there.
    std::size_t after_weekday(std::size_t i) const {
        const Token* t = at(i);
        if (!t) return i;
        std::size_t j = i;
        const std::size_t start = t->begin;  // `t` moves as the window grows
        std::string_view rest = line_.substr(start);
        for (std::string_view cjk : kCjkWeekdays)
            if (rest.starts_with(cjk)) {
                while (at(j) && at(j)->begin < start + cjk.size()) ++j;
                break;
            }
        if (j == i) {
            Folded buffer;
            std::string_view word = folded_word(i, buffer);
            if (word.empty()) return i;
            const bool full = std::find(std::begin(kWeekdayNames), std::end(kWeekdayNames), word) !=
                              std::end(kWeekdayNames);
            if (!full && std::find(std::begin(kWeekdayAbbreviations), std::end(kWeekdayAbbreviations),
                                   word) == std::end(kWeekdayAbbreviations))
                return i;
            j = i + 1;
            if (is_punct(j, U'-') && glued(j) && glued(j + 1) && is_word(j + 1, "feira")) j += 2;
            const bool dot = is_punct(j, U'.') && glued(j);
            if (dot) ++j;
            // An abbreviation is a weekday only with its "." ("Di., 3. März"), or with a
            // comma where nothing but a line start or a separator comes before it ("Tue, 3
            // March"): after a name's word, "Sun, March 3" is "Yifan Sun" and a date.
            if (!full && !dot && !(start_ == DateStart::line_start && is_punct(j, U',')))
                return i;
        }
        if (is_punct(j, U',') || is_punct(j, U'、') || is_punct(j, U'،')) ++j;
        return j;
    }

    // The month the word at i names, or 0.
    int month_name(std::size_t i) const {
        Folded buffer;
        std::string_view folded = folded_word(i, buffer);
        if (folded.empty()) return 0;
        const auto& names = kMonthTable.names;
        auto it = std::lower_bound(names.begin(), names.end(), folded, [](const PackedMonthName& m, std::string_view key) {
            return kMonthTable.name(m) < key;
        });
        return it != names.end() && kMonthTable.name(*it) == folded ? it->month : 0;
    }

    // Skips an ordinal suffix glued to the day number at i - 1 ("20th", "1er").
    std::size_t skip_ordinal(std::size_t i) const {
        if (!glued(i) || !at(i) || at(i)->kind != Kind::word) return i;
        for (std::string_view suffix : kOrdinalSuffixes)
            if (is_word(i, suffix) || token_text(i) == suffix) return i + 1;
        return i;
    }

    // The number at i is not the continuation of a number run joined by `sep` (an IP
    // address, a version, a phone number): "10.1.1.2019", "1-2019-11-29".
    bool starts_run(std::size_t i, char32_t sep) const {
        return !(i >= 2 && glued(i) && is_punct(i - 1, sep) && glued(i - 1) &&
                 at(i - 2)->kind == Kind::number);
    }
    // The number at i is not followed by `sep` and another number, all glued.
    bool ends_run(std::size_t i, char32_t sep) const {
        return !(is_punct(i + 1, sep) && glued(i + 1) && glued(i + 2) &&
                 is_number(i + 2, 1, 1000));
    }

    // 2019-11-29, 2016/07/01, 2016.07.01, 2024. 5. 13., 2020年12月11日, 2024년 5월 13일.
    bool year_first(std::size_t i, Date& d) const {
        if (!is_number(i, 4, 4)) return false;
        for (char32_t sep : {U'-', U'/', U'.'}) {
            // Only the dot takes spaces after it (Korean 2024. 5. 13.).
            bool spaced = sep == U'.';
            if (is_punct(i + 1, sep) && glued(i + 1) && is_number(i + 2, 1, 2) &&
                (spaced || glued(i + 2)) && is_punct(i + 3, sep) && glued(i + 3) &&
                is_number(i + 4, 1, 2) && (spaced || glued(i + 4)) && starts_run(i, sep) &&
                ends_run(i + 4, sep))
                return valid({value(i), value(i + 2), value(i + 4)}, d);
        }
        if (is_cjk(i + 1, U'年', U'년') && is_number(i + 2, 1, 2) &&
            is_cjk(i + 3, U'月', U'월') && is_number(i + 4, 1, 2) &&
            is_cjk(i + 5, U'日', U'일', U'号'))
            return valid({value(i), value(i + 2), value(i + 4)}, d);
        return false;
    }

    bool day_first(std::size_t i, Date& d) const {
        if (!is_number(i, 1, 2)) return false;
        if (i > 0 && glued(i) && at(i - 1)->kind == Kind::word &&
            static_cast<unsigned char>(line_[at(i - 1)->end - 1]) < 0x80)
            return false;  // glued to a Latin word: "v1.2.2019", "No3/12/2019"
        return numeric_day_first(i, d) || named_month_day_first(i, d);
    }

    // 19.11.2019, 19. 11. 2019, 11/19/2019, 19/11/2019, 19-11-2019.
    bool numeric_day_first(std::size_t i, Date& d) const {
        for (char32_t sep : {U'.', U'/', U'-'}) {
            bool spaced = sep == U'.';
            if (!(is_punct(i + 1, sep) && glued(i + 1) && is_number(i + 2, 1, 2) &&
                  (spaced || glued(i + 2)) && is_punct(i + 3, sep) && glued(i + 3) &&
                  is_number(i + 4, 4, 4) && (spaced || glued(i + 4)) && starts_run(i, sep) &&
                  ends_run(i + 4, sep)))
                continue;
            int first = value(i), second = value(i + 2), year = value(i + 4);
            if (sep == U'.' || first > 12) return valid({year, second, first}, d);
            return valid({year, first, second}, d);
        }
        return false;
    }

    // 20 June 2016, 20th June, 2016, 20. Mai 2024, 11-Dec-2020, 20 de mayo de 2024.
    bool named_month_day_first(std::size_t i, Date& d) const {
        int day = value(i);
        std::size_t j = skip_ordinal(i + 1);
        if (is_punct(j, U'.') && glued(j)) ++j;
        if (is_punct(j, U'-') || is_punct(j, U'/')) ++j;
        if (is_word(j, "de")) ++j;
        int month = month_name(j);
        if (month == 0) return false;
        ++j;
        if (is_punct(j, U'.') && glued(j)) ++j;
        if (is_punct(j, U',') || is_punct(j, U'-') || is_punct(j, U'/')) ++j;
        if (is_word(j, "de") || is_word(j, "del")) ++j;
        if (!is_number(j, 4, 4)) return false;
        return valid({value(j), month, day}, d);
    }

    // December 11, 2020, Dec. 11, 2020, Dec 11 2020, June 20th, 2016.
    bool month_first(std::size_t i, Date& d) const {
        int month = month_name(i);
        if (month == 0) return false;
        std::size_t j = i + 1;
        if (is_punct(j, U'.') && glued(j)) ++j;
        if (!is_number(j, 1, 2)) return false;
        int day = value(j);
        j = skip_ordinal(j + 1);
        if (is_punct(j, U',')) ++j;
        if (!is_number(j, 4, 4)) return false;
        return valid({value(j), month, day}, d);
    }

    static bool valid(Date candidate, Date& out) {
        static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        auto [year, month, day] = candidate;
        if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1)
            return false;
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        int days = kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0);
        if (day > days) return false;
        out = candidate;
        return true;
    }

    static std::string format(const Date& d) {
        std::string out(10, '-');
        auto put = [&](std::size_t at_, int v, int width) {
            for (int k = width - 1; k >= 0; --k) {
                out[at_ + std::size_t(k)] = static_cast<char>('0' + v % 10);
                v /= 10;
            }
        };
        put(0, d.year, 4);
        put(5, d.month, 2);
        put(8, d.day, 2);
        return out;
    }
};

}  // namespace

std::string find_date(std::string_view text) {
    if (!may_hold_year(text)) return "";
    return Scanner(text).first_date();
}

bool starts_with_date(std::string_view text, DateStart start) {
    // a date's tokens are a few: its year is within the line's first bytes
    text = text.substr(0, kDateStartBytes);
    return may_hold_year(text) && Scanner(text, start).date_at_start();
}

}  // namespace dconv
