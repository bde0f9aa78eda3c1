#include "clean/cues.hpp"

#include <string.h>

#include <algorithm>
#include <functional>
#include <cstring>
#include <array>
#include <span>

#include "clean/features.hpp"
#include "dconv/clean.hpp"
#include "clean/thresholds.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"

namespace dconv::clean {

namespace {

// Words of page widgets and navigation, folded (lower case, no spaces or punctuation).
// English words match whole words; CJK entries match anywhere and count the characters
// they cover.
constexpr std::array kWidgetWords = std::to_array<std::string_view>({
    "about", "account", "advert", "advertisement", "advertising", "all", "archive", "archives",
    "back", "bookmark", "categories", "category", "click", "comment", "comments", "contact",
    "cookie", "cookies", "copy", "copyright", "disclaimer", "donate", "download", "email",
    "english", "enter", "facebook", "faq", "feedback", "follow", "font", "forgot", "go", "help",
    "home", "homepage", "instagram", "join", "keywords", "like", "likes", "link", "linkedin",
    "load", "log", "login", "logout", "menu", "more", "my", "navigation", "newsletter", "next",
    "page", "password", "pinterest", "please", "policy", "post", "posts", "previous", "print",
    "privacy", "profile", "read", "reddit", "register", "related", "reply", "rss", "save",
    "search", "see", "share", "shares", "sign", "sitemap", "size", "skip", "sponsored", "submit",
    "subscribe", "tags", "telegram", "terms", "toggle", "top", "tumblr", "tweet", "twitter",
    "up", "user", "username", "view", "views", "whatsapp", "youtube",
});

constexpr std::array kWidgetPhrasesCjk = std::to_array<std::string_view>({
    "登录", "注册", "分享", "打印", "收藏", "评论", "回复", "点赞", "转发", "关注", "搜索",
    "首页", "返回", "顶部", "上一篇", "下一篇", "相关", "推荐", "热门", "版权", "免责声明",
    "联系我们", "关于我们", "网站地图", "责任编辑", "编辑", "来源", "扫一扫", "二维码", "举报",
    "更多", "阅读", "点击", "浏览", "字号", "微信", "微博", "客户端", "下载", "订阅", "广告",
    "登陆", "退出", "帮助", "反馈", "查看", "全部", "加载", "排序", "用户", "密码", "导航",
    "书签", "书架",
    "ログイン", "シェア", "로그인", "공유",
});

constexpr std::array kFurnitureOpeners = std::to_array<std::string_view>({
    "related", "relatednews", "relatedarticles", "relatedposts", "relatedstories",
    "relatedcontent", "relatedlinks", "morenews", "morestories", "morefrom", "moreon",
    "youmayalsolike", "youmightalsolike", "recommended", "recommendedforyou", "readmore",
    "readnext", "mostread", "mostpopular", "popular", "trending", "comments", "leaveareply",
    "leaveacomment", "postacomment", "writeacomment", "addacomment", "sharethis",
    "sharethisarticle", "tags", "alsoread", "seealso", "latestnews", "topstories",
    "相关阅读", "相关新闻", "相关推荐", "相关文章", "相关链接", "热门推荐", "推荐阅读", "猜你喜欢",
    "cookies", "cookienotice", "cookiepolicy", "cookiesettings", "privacypolicy",
    "privacynotice", "延伸阅读", "网友评论", "热点推荐", "热门文章", "最新文章", "最新发布", "精彩推荐", "评论",
});

// Where the widget words of each first letter start in kWidgetWords (sorted): a word is
// looked up among the few of its letter, not by a binary search of them all.
constexpr auto kWidgetWordsByLetter = [] {
    std::array<std::size_t, 27> start{};
    std::size_t k = 0;
    for (int letter = 0; letter < 26; ++letter) {
        start[letter] = k;
        while (k < kWidgetWords.size() && kWidgetWords[k][0] == 'a' + letter) ++k;
    }
    start[26] = k;
    return start;
}();
static_assert(kWidgetWordsByLetter[26] == kWidgetWords.size(), "widget words: sorted, lower-case a-z first");

// The entry of kWidgetWords equal to `w`, or nullptr.
const std::string_view* find_widget_word(std::string_view w) {
    if (w.empty() || w[0] < 'a' || w[0] > 'z') return nullptr;
    const int letter = w[0] - 'a';
    for (std::size_t k = kWidgetWordsByLetter[letter]; k < kWidgetWordsByLetter[letter + 1]; ++k)
        if (kWidgetWords[k] == w) return &kWidgetWords[k];
    return nullptr;
}

bool is_cjk_text(std::string_view s) {
    std::size_t i = 0;
    return !s.empty() && text::is_cjk(text::next(s, i));
}

}  // namespace

double widget_share(std::string_view s, std::vector<std::string_view>* found) {
    // Runs on most units of every page: words are lower-cased into a fixed buffer (one
    // longer than every widget word can match none, and is only counted), and the CJK
    // phrases are looked for only when the text has CJK characters.
    constexpr std::size_t kMaxWordBytes = 16;
    static_assert(std::all_of(kWidgetWords.begin(), kWidgetWords.end(),
                              [](std::string_view w) { return w.size() <= kMaxWordBytes; }));
    int words = 0, hits = 0;
    double cjk_total = 0, cjk_hit = 0;
    std::array<char, kMaxWordBytes> word{};
    std::size_t word_bytes = 0;  // may pass kMaxWordBytes: then the word is too long to match
    auto flush = [&] {
        if (word_bytes == 0) return;
        ++words;
        if (word_bytes <= kMaxWordBytes) {
            if (const std::string_view* at = find_widget_word(std::string_view(word.data(), word_bytes))) {
                ++hits;
                if (found) found->push_back(*at);
            }
        }
        word_bytes = 0;
    };
    auto push = [&](char c) {
        if (word_bytes < kMaxWordBytes) word[word_bytes] = c;
        ++word_bytes;
    };
    std::string cjk;
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
                push(static_cast<char>(b));
            } else if (b >= 'A' && b <= 'Z') {
                push(static_cast<char>(b - 'A' + 'a'));
            } else {
                flush();
            }
            continue;
        }
        std::size_t start = i;
        char32_t c = text::next(s, i);
        if (text::is_cjk(c)) {
            flush();
            cjk.append(s.substr(start, i - start));
            cjk_total += 1;
        } else if (text::is_letter(c)) {
            for (std::size_t k = start; k < i; ++k) push(s[k]);
        } else {
            flush();
        }
    }
    flush();
    if (!cjk.empty()) {
        for (std::string_view p : kWidgetPhrasesCjk) {
            if (!is_cjk_text(p)) continue;
            std::size_t pos = 0;
            while ((pos = cjk.find(p, pos)) != std::string::npos) {
                cjk_hit += static_cast<double>(text::to_u32(p).size());
                if (found) found->push_back(p);
                pos += p.size();
            }
        }
    }
    double total = words + cjk_total;
    if (total == 0) return 0;
    return std::min(1.0, (hits + cjk_hit) / total);
}

bool is_call_word(std::string_view w) {
    // widget words seldom used in running prose but to send the reader somewhere
    static constexpr std::string_view kCallWords[] = {
        "account", "click", "comment", "comments", "donate", "download", "email", "facebook",
        "follow", "instagram", "join", "linkedin", "log", "login", "newsletter", "pinterest",
        "reddit", "register", "share", "sign", "subscribe", "telegram", "tumblr", "tweet",
        "twitter", "whatsapp", "youtube", "登录", "注册", "分享", "关注", "订阅", "扫一扫",
        "二维码", "微信", "微博", "下载", "点击", "评论", "登陆", "ログイン", "シェア", "로그인", "공유",
    };
    for (std::string_view c : kCallWords)
        if (w == c) return true;
    return false;
}

bool opens_furniture_section(std::string_view s) {
    std::string f = fold(s, 40);  // longer is no opener: the rest is not read
    if (f.empty() || f.size() > 40) return false;
    for (std::string_view o : kFurnitureOpeners)
        if (f == o) return true;
    // "Related News:" and the like have been folded already; allow a trailing count
    // ("Comments 12", "评论(3)")
    std::string letters;
    for (char c : f)
        if (!(c >= '0' && c <= '9')) letters += c;
    for (std::string_view o : kFurnitureOpeners)
        if (letters == o) return true;
    return false;
}

bool is_legal_line(std::string_view s) {
    if (s.find("©") != std::string_view::npos || s.find("(c)") != std::string_view::npos ||
        s.find("(C)") != std::string_view::npos)
        return true;
    // longer text that mentions copyright is prose about it, not a footer
    if (s.size() > kMaxLegalTermsBytes) return false;
    std::string low = text::lower_ascii(s);
    static constexpr std::string_view kLegal[] = {
        "all rights reserved", "copyright", "版权所有", "版权声明", "icp备", "icp证", "备案号",
        "公网安备", "未经授权", "禁止转载", "不得转载", "转载请注明", "请注明出处",
        "请勿转载", "严禁转载", "谢绝转载", "無断転載", "무단전재", "무단 전재",
        "仅提供信息存储", "不代表本站", "不代表本网",  // a platform's disclaimer under posts
        // "all rights reserved" in other languages
        "alle rechte vorbehalten", "tous droits réservés", "derechos reservados",
        "direitos reservados", "diritti riservati", "права защищены", "prawa zastrzeżone",
        "her hakkı saklıdır", "hak cipta dilindungi",
    };
    // a needle with bytes beyond ASCII cannot be in pure ASCII text: which needles those
    // are is known when compiling, not worked out at every call
    static constexpr auto kBeyondAscii = [] {
        std::array<bool, std::size(kLegal)> beyond{};
        for (std::size_t k = 0; k < std::size(kLegal); ++k)
            for (char c : kLegal[k]) beyond[k] = beyond[k] || static_cast<unsigned char>(c) >= 0x80;
        return beyond;
    }();
    const bool ascii = std::none_of(low.begin(), low.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    for (std::size_t k = 0; k < std::size(kLegal); ++k) {
        if (ascii && kBeyondAscii[k]) continue;
        if (low.find(kLegal[k]) != std::string::npos) return true;
    }
    return false;
}

namespace {

// The other languages whose terms is_privacy_notice looks for, by page language.
constexpr std::pair<std::string_view, std::string_view> kLocalAnchors[] = {
    {"de", "atenschutz"}, {"fr", "onnées"}, {"it", "dati "}, {"pl", "dane "},
    {"zh", "隐私"}, {"zh", "个人信息"},
};

// What of `lang` is_privacy_notice reads, for CueMemo::notice_lang: 1 + the index of
// its first anchor in kLocalAnchors (1 + size: none), never 0.
std::uint8_t notice_language_key(std::string_view lang) {
    std::size_t k = 0;
    while (k < std::size(kLocalAnchors) && kLocalAnchors[k].first != lang) ++k;
    return static_cast<std::uint8_t>(1 + k);
}
static_assert(std::size(kLocalAnchors) + 1 < 8, "CueMemo::notice_lang holds 3 bits");

}  // namespace

bool is_privacy_notice(std::string_view s, std::string_view lang) {
    // a notice says what it is about early on: its first kilobyte decides
    if (s.size() > kNoticeSampleBytes) {
        std::size_t cut = kNoticeSampleBytes;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s = s.substr(0, cut);
    }
    static constexpr std::string_view kPrivacyTerms[] = {
        "cookie", "privacy", "consent", "personal data", "personal information", "third part",
        "opt out", "opt-out", "gdpr", "ccpa", "tracking technolog", "advertising partners",
        "your data", "datenschutz", "données personnelles", "dati personali", "dane osobowe",
        "隐私", "个人信息",
    };
    // A notice names one of these; most text names none and is done with at once. The
    // English words serve every language (notices copy them); others by page language.
    static constexpr std::string_view kAnchors[] = {"ookie", "rivac", "onsent"};
    // memmem scans for the whole needle at once; find() stops at every 'o' and 'e'
    auto contains = [&](std::string_view a) { return ::memmem(s.data(), s.size(), a.data(), a.size()) != nullptr; };
    // 'k' and 'v' are rare letters: a text without them names neither cookies nor privacy
    bool rare = std::memchr(s.data(), 'k', s.size()) || std::memchr(s.data(), 'v', s.size());
    bool anchored = (rare && (contains(kAnchors[0]) || contains(kAnchors[1]))) || contains(kAnchors[2]);
    for (const auto& [code, anchor] : kLocalAnchors)
        if (!anchored && lang == code) anchored = contains(anchor);
    if (!anchored) return false;
    std::string low = text::lower_ascii(s);
    int hits = 0;
    std::size_t cue_bytes = 0;  // every occurrence of a term, for the share of the text
    for (auto t : kPrivacyTerms) {
        std::size_t at = low.find(t);
        hits += at != std::string::npos;
        for (; at != std::string::npos; at = low.find(t, at + t.size())) cue_bytes += t.size();
    }
    return hits >= 2 && static_cast<double>(cue_bytes) >= kNoticeCueShare * static_cast<double>(s.size());
}

std::vector<bool> legal_prose_units(std::span<const CueUnit> units, std::string_view notices_lang, bool notices) {
    const std::size_t n = units.size();
    std::vector<bool> prose(n, false);
    auto shaped = [](const Features& f, int min_words) {
        return f.words >= min_words && f.ends_sentence && f.link_density() < kStatementLinkDensity;
    };
    auto sentence_shaped = [&](std::string_view text, int min_words) { return shaped(measure_text(text, ""), min_words); };
    auto long_sentence_shaped = [&](std::string_view text) {  // measured once
        const Features f = measure_text(text, "");
        return f.length >= kLegalProseLength && shaped(f, kLegalProseWords);
    };
    auto legal_line = [&](std::size_t i) { return is_legal_line(units[i].text, *units[i].cues); };
    auto privacy_notice = [&](std::size_t i) { return is_privacy_notice(units[i].text, notices_lang, *units[i].cues); };
    // A notice's words in a run of such paragraphs are a policy's (a privacy policy
    // pasted under the page): only a lone one, no other within kNoticeRunUnits units
    // either side, is spared.
    auto notice = [&](std::size_t i) { return notices && !units[i].heading && privacy_notice(i); };
    // The verdicts are asked only where they decide, each once (the memo), and the rules
    // ask the others' when they need them: a unit's measured length is at most its bytes
    // (no character weighs more than the bytes it takes), so a text shorter than
    // kLegalProseLength bytes is not prose by its shape, whatever its words.
    // From the end: a unit's verdict needs the next one's.
    std::size_t next = n;  // the next unit that is not a heading
    for (std::size_t i = n; i-- > 0;) {
        poll_deadline();
        if (units[i].heading) continue;
        // (the last unit has nothing after it to be prose with: no cue scan for it)
        const bool candidate = next < n && static_cast<double>(units[i].text.size()) >= kLegalProseLength;
        const bool legal = candidate && legal_line(i);
        if (candidate && (legal || notice(i)) && long_sentence_shaped(units[i].text)) {
            bool lone = true;
            for (std::size_t j = i > kNoticeRunUnits ? i - kNoticeRunUnits : 0; j <= i + kNoticeRunUnits && j < n; ++j)
                lone = lone && (j == i || !notice(j));
            // the next paragraph is prose, not a footer's or a notice's (asked whatever `notices`)
            prose[i] = sentence_shaped(units[next].text, kStatementWords) && (legal || lone) &&
                       (!(legal_line(next) || privacy_notice(next)) || prose[next]);
        }
        next = i;
    }
    return prose;
}

std::string_view strip_welcome(std::string_view s) {
    s = text::trim(s);
    static constexpr std::string_view kWelcome[] = {"welcome to ", "欢迎访问", "欢迎来到",
                                                    "欢迎光临", "欢迎您访问"};
    for (auto w : kWelcome)
        if (text::starts_with_ci(s, w)) return text::trim(s.substr(w.size()));
    return {};
}

namespace {

constexpr std::array kRoleWords = std::to_array<std::string_view>({
    "Ambassador", "Chairman", "Chairwoman", "Chief", "Commissioner", "Correspondent",
    "Councilor", "Councillor", "Director", "Editor", "Foreign", "General", "Governor", "Head",
    "Minister", "Premier", "President", "Professor", "Reporter", "Secretary", "Senior",
    "Special", "Spokesman", "Spokesperson", "Staff", "State", "Vice",
});

constexpr std::array kHonorifics = std::to_array<std::string_view>({
    "H.E.", "HE", "Dr.", "Dr", "Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Prof.", "Sir",
});

// A newsroom's desks: a byline of these and role words alone ("By Sports Editor", "By
// Our Correspondent") names a desk, no author.
constexpr std::array kDeskWords = std::to_array<std::string_view>({
    "Agencies", "Affairs", "Arts", "Business", "City", "Correspondent", "Correspondents", "Crime",
    "Culture", "Defence", "Defense", "Desk", "Diplomatic", "Economics", "Education", "Entertainment",
    "Environment", "Finance", "Financial", "Health", "Home", "Legal", "Metro", "News", "Our",
    "Political", "Politics", "Science", "Sport", "Sports", "Team", "Technology", "Transport",
    "Travel", "Weather", "Writer", "Writers",
});

bool is_role(std::string_view w) {
    return std::find(kRoleWords.begin(), kRoleWords.end(), w) != kRoleWords.end();
}

bool is_desk(std::string_view w) {
    return is_role(w) || std::find(kDeskWords.begin(), kDeskWords.end(), w) != kDeskWords.end();
}

// Whether the name ends after a word ending at `i` of `s`: at the text's end, at ", | ( ;",
// at a date ("By Jo Reporter June 4, 2024") or at "and"/"&" (a second author's name).
bool name_ends_at(std::string_view s, std::size_t i) {
    if (i < s.size() && s[i] != ' ') return s[i] == ',' || s[i] == '|' || s[i] == '(' || s[i] == ';';
    while (i < s.size() && s[i] == ' ') ++i;
    if (i == s.size()) return true;
    const char c = s[i];
    if (c == ',' || c == '|' || c == '(' || c == ';' || c == '&') return true;
    const std::string_view rest = s.substr(i);
    return rest == "and" || rest.starts_with("and ") || starts_with_date(rest, DateStart::after_word);
}

// Capitalised words from the start of `s`, stopping at a role word, a lower-case word,
// punctuation other than '.', '-' or an apostrophe, a date after the first word ("By Sam
// Reed June 1, 2024": a byline and its date in one line), or after five words.
std::string name_from(std::string_view s) {
    std::string name;
    int count = 0;
    std::size_t i = 0;
    while (i < s.size() && count < 5) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != ';' && s[i] != '|' &&
               s[i] != '(')
            ++i;
        std::string_view w = s.substr(start, i - start);
        if (w.empty()) break;
        std::size_t k = 0;
        char32_t first = text::next(w, k);
        // a role word after a name ends it ("Sam Reed Staff Reporter"), but one word
        // alone after a given name, ending the name, is its surname ("Jo Reporter, Staff
        // Writer", "Jo Reporter | 4 June 2024", "Ann Head and Sam Reed")
        const bool surname = count == 1 && name_ends_at(s, i);
        if (!text::is_upper(first) || (is_role(w) && !surname)) break;
        if (!name.empty() && starts_with_date(s.substr(start), DateStart::after_word)) break;
        if (!name.empty()) name += ' ';
        name.append(w);
        ++count;
        if (i < s.size() && s[i] != ' ') break;
    }
    while (!name.empty() && (name.back() == '.' || name.back() == ':')) name.pop_back();
    // a desk's title is no author's name
    bool desk = !name.empty();
    for (std::size_t at = 0; desk && at < name.size();) {
        const std::size_t space = std::min(name.find(' ', at), name.size());
        desk = is_desk(std::string_view(name).substr(at, space - at));
        at = space + 1;
    }
    if (desk) return {};
    return name;
}

}  // namespace

std::string find_byline(std::string_view s, bool lead_only) {
    s = text::trim(s);
    if (s.empty() || s.size() > 400) return {};
    // "作者：X", "文/X", "记者 X"
    static constexpr std::string_view kCjkLeads[] = {"作者：", "作者:", "文/", "文／", "记者：", "记者 "};
    for (auto lead : kCjkLeads) {
        auto pos = s.find(lead);
        if (pos != std::string_view::npos && (pos == 0 || !lead_only)) {
            std::string_view rest = text::trim(s.substr(pos + lead.size()));
            std::size_t end = 0, count = 0;
            while (end < rest.size() && count < 6) {
                std::size_t k = end;
                char32_t c = text::next(rest, k);
                if (!text::is_cjk(c) && !text::is_letter(c) && c != 0x00B7) break;
                end = k;
                ++count;
            }
            if (end > 0) return std::string(rest.substr(0, end));
        }
    }
    // "By X", "Author: X", "Written by X"
    static constexpr std::string_view kLeads[] = {"by ", "written by ", "author: ", "authors: ",
                                                  "author ", "posted by ", "words by "};
    for (auto lead : kLeads) {
        if (text::starts_with_ci(s, lead)) return name_from(s.substr(lead.size()));
    }
    if (!lead_only) {
        for (std::string_view marker : {std::string_view(" By "), std::string_view(" by ")}) {
            auto pos = s.find(marker);
            if (pos != std::string_view::npos) {
                std::string name = name_from(s.substr(pos + marker.size()));
                if (name.find(' ') != std::string::npos) return name;
            }
        }
    }
    // "H.E. Wang Yi, State Councilor and Minister of Foreign Affairs"
    for (auto h : kHonorifics) {
        if (s.size() > h.size() && s.substr(0, h.size()) == h && s[h.size()] == ' ') {
            std::string name = name_from(s.substr(h.size() + 1));
            if (!name.empty()) return name;
        }
    }
    return {};
}

bool starts_with_ordinal(std::string_view s) {
    static constexpr std::string_view kOrdinals[] = {
        "first,", "second,", "third,", "fourth,", "fifth,", "sixth,", "seventh,", "eighth,",
        "ninth,", "tenth,", "firstly,", "secondly,", "thirdly,", "finally,", "lastly,",
        "首先，", "其次，", "再次，", "最后，", "第一，", "第二，", "第三，", "第四，", "第五，",
        "第六，", "第七，", "第八，", "第九，", "第十，",
    };
    for (auto o : kOrdinals)
        if (text::starts_with_ci(s, o)) return true;
    return false;
}

double widget_share(const Features& f) {
    if (f.widget_share_memo < 0) f.widget_share_memo = widget_share(std::string_view(f.text));
    return f.widget_share_memo;
}

bool is_legal_line(std::string_view text, CueMemo& memo) {
    if (memo.legal == 0) memo.legal = is_legal_line(text) ? 2 : 1;
    return memo.legal == 2;
}

bool is_privacy_notice(std::string_view text, std::string_view lang, CueMemo& memo) {
    const std::uint8_t key = notice_language_key(lang);
    if (memo.notice == 0 || memo.notice_lang != key) {
        memo.notice = is_privacy_notice(text, lang) ? 2 : 1;
        memo.notice_lang = key & 7;
    }
    return memo.notice == 2;
}

bool is_legal_line(const Features& f) { return is_legal_line(f.text, f.cues); }

bool ends_with_full_stop(const Features& f) {
    std::string_view t = text::trim(f.text);
    if (t.empty()) return false;
    std::size_t i = t.size();
    const char32_t c = text::prev(t, i);
    return text::is_full_stop(c) || (f.ends_sentence && text::in_script_without_sentence_marks(c));
}

bool is_statement_paragraph(const Features& f, std::string_view lang) {
    if (f.words < kStatementWords || f.link_density() >= kStatementLinkDensity) return false;
    if (!ends_with_full_stop(f)) return false;
    return widget_share(f) < kStatementWidgetShare && !is_legal_line(f) && !is_privacy_notice(f, lang);
}

bool is_privacy_notice(const Features& f, std::string_view lang) { return is_privacy_notice(f.text, lang, f.cues); }

}  // namespace dconv::clean
