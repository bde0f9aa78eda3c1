// smart_quotes.cpp: make_quotes_typographic (smart_quotes.hpp).
#include "core/smart_quotes.hpp"

#include <string>
#include <type_traits>

#include "core/text.hpp"

namespace dconv {

namespace {

// A language's quotation marks: primary (double) and secondary (single), each an
// opening and a closing string (French puts a narrow no-break space inside).
struct QuoteMarks {
    const char* open_double;
    const char* close_double;
    const char* open_single;
    const char* close_single;
};

constexpr QuoteMarks kEnglish = {"\u201C", "\u201D", "\u2018", "\u2019"};
constexpr QuoteMarks kGerman = {"\u201E", "\u201C", "\u201A", "\u2018"};
constexpr QuoteMarks kFrench = {"\u00AB\u202F", "\u202F\u00BB", "\u2039\u202F", "\u202F\u203A"};
constexpr QuoteMarks kGuillemets = {"\u00AB", "\u00BB", "\u201E", "\u201C"};  // Russian, Ukrainian
constexpr QuoteMarks kPolish = {"\u201E", "\u201D", "\u00AB", "\u00BB"};
constexpr QuoteMarks kSwedish = {"\u201D", "\u201D", "\u2019", "\u2019"};
// Japanese, and Chinese in traditional characters (Taiwan, Hong Kong, Macau); Chinese in
// simplified characters takes the English marks, as its standard (GB/T 15834) sets them.
constexpr QuoteMarks kCornerBrackets = {"\u300C", "\u300D", "\u300E", "\u300F"};

bool is_traditional_chinese(std::string_view language) {
    std::string lower;
    for (char c : language) lower += c >= 'A' && c <= 'Z' ? char(c + 32) : (c == '_' ? '-' : c);
    if (lower.rfind("zh-", 0) != 0 || lower.find("-hans") != std::string::npos) return false;
    for (std::string_view subtag : {"-hant", "-tw", "-hk", "-mo"}) {
        std::size_t at = lower.find(subtag);
        if (at != std::string::npos && (at + subtag.size() == lower.size() || lower[at + subtag.size()] == '-'))
            return true;
    }
    return false;
}

const QuoteMarks& marks_for(std::string_view language) {
    std::string_view primary = language.substr(0, language.find_first_of("-_"));
    if (primary == "de" || primary == "cs" || primary == "sk" || primary == "da" || primary == "lt" ||
        primary == "is" || primary == "sl" || primary == "et")
        return kGerman;
    if (primary == "fr") return kFrench;
    if (primary == "ru" || primary == "uk" || primary == "be" || primary == "es" || primary == "it" ||
        primary == "pt" || primary == "el" || primary == "no" || primary == "nb" || primary == "nn")
        return kGuillemets;
    if (primary == "pl" || primary == "hu" || primary == "ro" || primary == "nl" || primary == "hr" ||
        primary == "bg")
        return kPolish;
    if (primary == "sv" || primary == "fi") return kSwedish;
    if (primary == "ja" || is_traditional_chinese(language)) return kCornerBrackets;
    return kEnglish;
}

// After these a quote opens: white space, opening brackets and quotes, dashes, slashes.
bool opens_after(char32_t c) {
    return c == 0 || c == ' ' || c == '\t' || c == 0xA0 || c == '(' || c == '[' || c == '{' || c == '<' ||
           c == '/' || c == '-' || c == 0x2013 || c == 0x2014 || c == 0x201C || c == 0x2018 || c == 0x00AB ||
           c == 0x201E || c == 0x201A || c == 0x300C || c == 0x300E || c == 0x3000 || c == '"' || c == '\'';
}

// East Asian text sets no space between a word and its quotes (他说"你好"，彼は"こんにちは"と),
// so which side of a quote the word stands on says nothing: after a CJK character, or
// before one where the rule above would close, a quote is decided by pairing within the
// block instead, opening when none of its kind is open (and text follows it) and closing
// the one that is. pandoc's and docutils' heuristics, which need the space, close both
// (jgm/pandoc#8839, docutils bug 332).
bool is_east_asian(char32_t c) { return text::is_cjk(c) || text::is_cjk_punct(c); }

// Hebrew writes gershayim (an abbreviation's mark: ש"ח, צה"ל) and geresh (ג'ירפה) with the
// straight quotes between two letters of a word: kept as written, never a quotation mark.
// Hebrew letters and the Yiddish ligatures (U+05F0-05F2).
bool is_hebrew_letter(char32_t c) { return (c >= 0x05D0 && c <= 0x05EA) || (c >= 0x05F0 && c <= 0x05F2); }

// Hebrew points and cantillation marks, which sit on the letter before them (maqaf,
// paseq, sof pasuq and nun hafukha, punctuation in that range, are not).
bool is_hebrew_mark(char32_t c) {
    return c >= 0x0591 && c <= 0x05C7 && c != 0x05BE && c != 0x05C0 && c != 0x05C3 && c != 0x05C6;
}

// Whether a '"' closes before the next space in `s` from `from`: the one at hand opens
// a quotation (b"Haaretz"), not a gershayim.
bool quote_before_space(std::string_view s, std::size_t from) {
    for (std::size_t i = from; i < s.size();) {
        char32_t c = text::next(s, i);
        if (c == '"') return true;
        if (text::is_space(c)) return false;
    }
    return false;
}

class Smartener {
public:
    explicit Smartener(const QuoteMarks& marks) : marks_(marks) {}

    void blocks(Blocks& list) {
        for (Block& block : list) this->block(block);
    }

    // A string of its own (a title).
    void line(std::string& s) {
        start_block();
        text(s);
    }

private:
    void block(Block& block) {
        std::visit(
            [this](auto& node) {
                using T = std::decay_t<decltype(node)>;
                if constexpr (std::is_same_v<T, Heading> || std::is_same_v<T, Paragraph>) {
                    start_block();
                    inlines(node.content);
                } else if constexpr (std::is_same_v<T, List>) {
                    for (Blocks& item : node.items) blocks(item);
                } else if constexpr (std::is_same_v<T, DefinitionList>) {
                    for (DefinitionItem& item : node.items) {
                        for (Inlines& term : item.terms) {
                            start_block();
                            inlines(term);
                        }
                        for (Blocks& definition : item.definitions) blocks(definition);
                    }
                } else if constexpr (std::is_same_v<T, BlockQuote>) {
                    blocks(node.children);
                } else if constexpr (std::is_same_v<T, Figure>) {
                    blocks(node.content);
                    start_block();
                    inlines(node.caption);
                } else if constexpr (std::is_same_v<T, Table>) {
                    start_block();
                    inlines(node.caption);
                    for (auto* section : {&node.head, &node.body})
                        for (TableRow& row : *section)
                            for (TableCell& cell : row.cells) blocks(cell.content);
                }
                // code blocks and rules: nothing
            },
            block.node);
    }

    void start_block() {
        previous_ = 0;
        open_single_ = 0;
        open_double_ = 0;
    }

    void inlines(Inlines& list) {
        for (Inline& node : list) {
            std::visit(
                [this](auto& n) {
                    using T = std::decay_t<decltype(n)>;
                    if constexpr (std::is_same_v<T, Text>) {
                        text(n.text);
                    } else if constexpr (std::is_same_v<T, Code>) {
                        previous_ = 'x';  // code counts as a word before what follows
                    } else if constexpr (std::is_same_v<T, LineBreak>) {
                        previous_ = ' ';
                    } else if constexpr (std::is_same_v<T, Note>) {
                        char32_t saved = previous_;
                        blocks(n.content);
                        previous_ = saved;
                    } else if constexpr (requires { n.children; }) {
                        inlines(n.children);
                    }
                },
                node.base());
        }
    }

    void text(std::string& s) {
        if (s.find_first_of("\"'") == std::string::npos) {
            remember_last(s);
            return;
        }
        std::string out;
        out.reserve(s.size() + 8);
        for (std::size_t i = 0; i < s.size();) {
            std::size_t at = i;
            char32_t c = text::next(s, i);
            char32_t following = 0;
            if (i < s.size()) {
                std::size_t j = i;
                following = text::next(s, j);
            }
            bool east_asian_side = is_east_asian(previous_) || is_east_asian(following);
            if ((c == '"' || c == '\'') && is_hebrew_letter(previous_) && is_hebrew_letter(following) &&
                !(c == '"' && quote_before_space(s, i))) {
                out += static_cast<char>(c);
            } else if (c == '"') {
                // after a Hebrew prefix letter (b"Haaretz"), a quote that closes before the
                // next space opens
                bool opens = opens_after(previous_) || (is_hebrew_letter(previous_) && is_hebrew_letter(following));
                if (east_asian_side && !opens) opens = open_double_ == 0 && following != 0 && !text::is_space(following);
                if (opens) {
                    out += marks_.open_double;
                    ++open_double_;
                } else {
                    out += marks_.close_double;
                    if (open_double_ > 0) --open_double_;
                }
            } else if (c == '\'' && east_asian_side && !opens_after(previous_) &&
                       !(text::is_alnum(previous_) && !is_east_asian(previous_))) {
                // No apostrophe between CJK characters: a quote, paired as " is (after a
                // Latin letter it is one: Apple'の is Apple’の).
                if (open_single_ == 0 && following != 0 && !text::is_space(following)) {
                    out += marks_.open_single;
                    ++open_single_;
                } else if (open_single_ > 0) {
                    out += marks_.close_single;
                    --open_single_;
                } else {
                    out += "\u2019";
                }
            } else if (c == '\'') {
                bool letter_before = text::is_alnum(previous_);
                bool letter_after = text::is_alnum(following);
                const char* mark;
                if (letter_before && letter_after) {
                    mark = "\u2019";  // an apostrophe: it's, l'avion
                } else if (opens_after(previous_) && text::is_digit(following)) {
                    mark = "\u2019";  // '90s
                } else if (opens_after(previous_) && following != ' ' && following != 0) {
                    mark = marks_.open_single;
                    ++open_single_;
                } else if (open_single_ > 0) {
                    mark = marks_.close_single;
                    --open_single_;
                } else {
                    mark = "\u2019";  // a closing quote never opened: an apostrophe (the dogs')
                }
                out += mark;
            } else {
                out.append(s, at, i - at);
            }
            if (!is_hebrew_mark(c))  // a mark belongs to the letter before: look past it
                previous_ = c == '"' || c == '\'' ? (c == '"' ? U'\u201D' : U'\u2019') : c;
        }
        s = std::move(out);
    }

    void remember_last(std::string_view s) {
        if (s.empty()) return;
        std::size_t i = s.size() - 1;
        while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
        previous_ = text::next(s, i);
    }

    const QuoteMarks& marks_;
    char32_t previous_ = 0;  // the character before, 0 at a block's start
    int open_single_ = 0;  // single quotes opened and not closed in this block
    int open_double_ = 0;  // the same for double quotes
};

}  // namespace

namespace {

void smarten(Meta& meta, Smartener& smartener) {
    smartener.line(meta.title);
    smartener.line(meta.subtitle);
}

}  // namespace

void make_quotes_typographic(Document& doc) {
    Smartener smartener(marks_for(doc.meta.language));
    smarten(doc.meta, smartener);
    smartener.blocks(doc.blocks);
}

void make_quotes_typographic(Block& block, std::string_view language) {
    Smartener smartener(marks_for(language));
    Blocks one;
    one.push_back(std::move(block));
    smartener.blocks(one);
    block = std::move(one.front());
}

void make_quotes_typographic(Meta& meta, std::string_view language) {
    Smartener smartener(marks_for(language));
    smarten(meta, smartener);
}

void make_quotes_typographic(Book& book) {
    Smartener book_smartener(marks_for(book.meta.language));
    smarten(book.meta, book_smartener);
    for (Document& chapter : book.chapters) {
        Smartener smartener(marks_for(chapter.meta.language.empty() ? book.meta.language : chapter.meta.language));
        smarten(chapter.meta, smartener);
        smartener.blocks(chapter.blocks);
    }
}

}  // namespace dconv
