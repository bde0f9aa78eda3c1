#include "clean/stopwords_lists.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/text.hpp"

namespace dconv::clean::stopwords {

namespace {

// ---------------------------------------------------------------------------------------
// Compile-time tables: each list is written as one space-separated literal (easy to read
// and extend), split and sorted at compile time (to check it for duplicates), and all
// lists are then merged into one hash table (below): nothing is built at start-up.

constexpr bool is_separator(char c) { return c == ' ' || c == '\n'; }

constexpr std::size_t count_words(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : s) {
        if (is_separator(c)) {
            in_word = false;
        } else if (!in_word) {
            in_word = true;
            ++n;
        }
    }
    return n;
}

template <std::size_t N>
constexpr std::array<std::string_view, N> sorted_words(std::string_view s) {
    std::array<std::string_view, N> out{};
    std::size_t n = 0, i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_separator(s[i])) ++i;
        std::size_t start = i;
        while (i < s.size() && !is_separator(s[i])) ++i;
        if (i > start) out[n++] = s.substr(start, i - start);
    }
    std::sort(out.begin(), out.end());
    return out;
}

template <std::size_t N>
constexpr bool well_formed(const std::array<std::string_view, N>& words) {
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0 && words[i - 1] >= words[i]) return false;  // duplicate
        for (char c : words[i])
            if (c >= 'A' && c <= 'Z') return false;  // lists are lower-case
    }
    return true;
}

// Lower-case, apostrophes as U+0027, NFC.

constexpr std::string_view kEnglish = R"(
a about above across after again against all almost along already also although always am
among an and another any anyone anything are aren't around as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't
doing don't down during each either even ever every few for from further had hadn't has
hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his
how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's
many may me might more most much must mustn't my myself neither no nor not now of off
often on once one only onto or other others ought our ours ourselves out over own per
quite rather same shall shan't she she'd she'll she's should shouldn't since so some
still such than that that's the their theirs them themselves then there there's these
they they'd they'll they're they've this those though through thus to too toward towards
under unless until up upon us very was wasn't we we'd we'll we're we've well were weren't
what what's whatever when when's where where's whether which while who who's whom whose
why why's will with within without won't would wouldn't yet you you'd you'll you're
you've your yours yourself yourselves
)";

constexpr std::string_view kGerman = R"(
aber alle allem allen aller alles als also am an andere anderem anderen anderer anderes
auch auf aus bei beim bereits bin bis bist bzw da dabei dadurch dafür daher damit dann
daran darauf darum das dass daß davon dazu dem den denen denn der deren des dessen deshalb
dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen
einer eines einige einigen einmal er es etwa etwas euch euer eure für gegen gewesen hab
habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer
ihres im immer in indem ins ist ja jede jedem jeden jeder jedes jedoch jetzt kann kaum
kein keine keinem keinen keiner können könnte man manche mehr mein meine meinem meinen
meiner mich mir mit muss musste müssen nach nachdem nein nicht nichts noch nun nur ob
obwohl oder ohne schon sehr sei sein seine seinem seinen seiner seit selbst sich sie sind
so sofern solche soll sollen sollte sondern sowie sowohl um und uns unser unsere unter
viel viele vom von vor während wann war waren warum was weil weiter welche welchem
welchen welcher welches wenn wer werde werden wie wieder will wir wird wo wobei worden
wurde wurden würde würden zu zum zur zwar zwischen über
)";

constexpr std::string_view kFrench = R"(
a ai ainsi alors après as au aucun aucune aussi autre autres aux avaient avais avait avant
avec avez avoir avons bien c' c'est car ce ceci cela celle celles celui cependant ces cet
cette ceux chaque chez comme comment d' dans de depuis des donc dont du déjà elle elles en
encore entre est et eu eux fait faire fois hors il ils j' je jusqu' jusque l' la le les
leur leurs lors lorsqu' lorsque lui m' ma mais me même mes moi moins mon n' ne ni nos
notre nous on ont or ou où par parce pas pendant peu peut plus pour pourquoi puis qu'
quand que quel quelle quelles quels qui s' sa sans se selon sera serait ses si sinon soit
son sont sous suis sur t' ta te tes toi ton tous tout toute toutes très tu un une vers
via voici voilà vos votre vous y à ça étaient était été être
)";

constexpr std::string_view kSpanish = R"(
a al algo alguna algunas alguno algunos ante antes aquel aquella aquellos aquí así aunque
bajo bien cada casi como con contra cual cuales cuando cuyo de del desde donde dos durante
e el ella ellas ellos en entonces entre era eran es esa esas ese eso esos esta estaba
estas este esto estos está están fue fueron ha había habían han hasta hay la las le les lo
los me mi mientras mis mismo mucho muchos muy más nada ni no nos nosotros nuestra nuestro
nuestros o os otra otras otro otros para pero poco por porque pues puede que quien quienes
qué se sea según ser si sido sin sino sobre son su sus también tan tanto te tiene tienen
todo todos tras tu tus un una uno unos usted ustedes y ya yo él
)";

constexpr std::string_view kPortuguese = R"(
a ainda além ao aos apenas aquela aquele aqueles as assim até após cada com como contra da
das de dela dele deles depois desde desta deste dessa desse do dos e ela elas ele eles em
enquanto entre era eram essa essas esse esses esta estas este estes estava está estão eu
foi foram havia isso isto já lhe lhes mais mas me mesmo meu meus minha muito muitos na
nas nem nesta neste nessa nesse no nos num numa nós o onde os ou para pela pelas pelo pelos
pode por porque porém pois quais qual quando que quem se seja sem sempre ser seu seus sido
sob sobre sua suas são só também tem ter tinha todo todos tão têm um uma umas uns você
vocês à às é
)";

constexpr std::string_view kItalian = R"(
a ad agli ai al all' alla alle allo anche ancora avere aveva avevano c' che chi ci come
con contro cosa così cui d' da dagli dai dal dall' dalla dalle dallo degli dei del dell'
della delle dello di dopo dove e ed era erano essere fa fra gli già ha hanno ho i il in
io l' la le lei li lo loro lui ma me mentre mi mia mie miei mio molto ne negli nei nel
nell' nella nelle nello noi non nostra nostro o ogni oppure per perché più poi proprio
può quale quali quando quanto quella quelle quelli quello questa queste questi questo qui
se sei senza si sia siamo sono sopra sotto stata stati stato su sua sue sui sul sull'
sulla sulle sullo suo suoi tra tu tutta tutte tutti tutto un un' una uno vi voi è
)";

constexpr std::string_view kDutch = R"(
aan al alle alles als altijd andere ben bij daar daarom dan dat de deze die dit doch door
dus een eens en er geen geweest haar had hadden heb hebben heeft hem het hier hij hoe hun
iemand iets ik in is je jij jou jouw kan kon kunnen maar me meer men met mij mijn moet
moeten na naar niet niets nog nu of om omdat ons ook op over tegen toch toen tot u uit uw
van veel voor waar want waren was wat we wel werd werden wie wij wil worden wordt zal ze
zelf zich zij zijn zo zoals zonder zou zouden
)";

constexpr std::string_view kPolish = R"(
a aby ale bardzo bez bo by być był była były było będzie chociaż co czy czyli dla do
dlaczego gdy gdyż gdzie go i ich ile im inne innych ja jak jako je jeden jednak jego jej
jest jeszcze jeśli już ją kiedy kto która które którego której których który którym lub
ma mają mi między mnie może można mu my na nad nam nas nawet nich nie niej nim nią no o
od on ona one oni ono oraz po pod ponieważ przed przez przy również się sobie swoje są ta
tak także tam te tego tej ten też to tu tych tylko tym u w we wiele więc wszystkie
wszystko wy z za zawsze ze że żeby
)";

constexpr std::string_view kTurkish = R"(
ama ancak artık ayrıca az bana bazı belki ben beni benim bile bir biri birkaç biz bize
bizi bu buna bunda bundan bunlar bunu bunun böyle da daha de değil diye en gibi göre hem
hep hepsi her hiç ile ise için kadar kendi ki kim mi mu mı mü nasıl ne neden o olan olarak
oldu olduğu olmak olması olup ona ondan onlar onu onun sadece sen siz sonra şey şu tüm ve
var veya ya yani yine yok çok çünkü önce
olduğunu tarafından rağmen şekilde diğer üzere ilgili
)";

constexpr std::string_view kIndonesian = R"(
ada adalah agar akan aku anda antara apa apabila atas atau bagaimana bagi bahkan bahwa
banyak baru beberapa begitu belum bisa bukan dalam dan dapat dari demikian dengan di dia
hanya harus hingga ia ini itu jadi jika juga kalau kami kamu karena ke kepada ketika kita
lagi lain lebih maka masih melalui menjadi mereka mungkin namun oleh pada para pun saat
sangat saja sama sebagai sebelum secara sedang sehingga sejak selain semua sendiri seperti
serta setelah siapa sudah supaya tak tanpa tapi telah tentang terhadap tersebut tetapi
tidak untuk yaitu yakni yang
)";

constexpr std::string_view kSwedish = R"(
alla allt att av bara blev bli blir de dem den denna deras dess dessa det detta dig din
dina ditt dock du där efter eller en er era ert ett från för genom ha hade han hans har
henne hennes hon honom hos hur här i ingen inom inte jag ju kan kommer kunde man med
mellan men mig min mina mitt mot mycket ni nu när någon något några och också om oss
på redan samma sedan sig sin sina sitt själv ska skulle som så sådan till under upp ut
utan vad var vara varför varit varje vars vem vi vid vilka vilken vilket vår våra vårt
än är även åt över
)";

constexpr std::string_view kRussian = R"(
а без более бы был была были было быть в вам вас ведь весь во вот все всего всех всё вы
где да даже для до его ее если есть еще ещё её же за здесь и из или им их к как ко когда
которая которые который которых кто кроме ли либо между мне можно может мы на над нас не
него нее неё нет ни них но ну о об однако он она они оно от очень по под после потому
почему при про раз с сам свой себе себя со так также такой там те тем теперь то того
тоже той только том ты у уже хотя чего чем через что чтобы эта эти это этого этой этом
этот я
например поэтому зачем почти всегда сейчас тогда вообще
)";

// Arabic: both the hamza spellings and the bare-alef spellings common on the web (إلى
// and الى), and the forms with the conjunction و attached that are frequent enough to
// matter (وفي, ومن ...). Diacritics (harakat) are stripped from tokens before lookup.
constexpr std::string_view kArabic = R"(
أن أنا أنت أنه أو أي أيضا أين إذا إلى إن إنه ابن اذا الا التي التى الذي الذين الى ان
انه او اي ايضا بعد بعض بل به بها بين تحت تلك تم ثم حتى حول حيث خلال ذلك سوف على عليه
عليها عن عند عندما غير فإن فقد فهو في فيه فيها قبل قد كان كانت كل كما كيف لا لدى لقد
لكن لم لما لن له لها لهم ليس ما مثل مع من منذ منه منها نحن نحو هذا هذه هم هنا هناك هو
هي وأن وإن وفي وقد وكان ولا ولكن وما ومن وهو وهي يكون
فى الذى هى وذلك إلي عليهم
)";

// Persian, in Persian letters (ی U+06CC, ک U+06A9; tokens are folded to them before
// lookup), with the zero-width non-joiner of the verb prefix می‌ kept.
constexpr std::string_view kPersian = R"(
آن آنها از اگر اما او ای این با باید باشد بر برای بود بودند به بی تا خود دارد در دیگر
را روی زیر شد شده شود که کرد کرده کند کنند گفت ما من می می‌شود نه نیز نیست و وی هم همه
همین هر هیچ یا یک یکی است اند پس پیش چه چون چند
طی برخی چنین آنکه هنوز باشند بودن
)";

constexpr std::string_view kHindi = R"(
अपना अपनी अपने अब आप इन इस इसका इसकी इसके इसे उन उनका उनकी उनके उन्हें उस उसका उसकी उसके
उसे एक एवं और कर करता करते करना करने कहा कि किसी किया कुछ के को कोई क्या क्यों गई गए
गया जब जिस जैसे जो तक तथा तब तो था थी थे दिया दी द्वारा न नहीं ने पर फिर बहुत बाद भी
मैं में यदि यह यहाँ यहां या ये रहा रहे रही लिए लेकिन वह वे वाले साथ सकता सकते से हम
ही हुआ हुई हुए है हैं हो होता होती होते
)";

template <const std::string_view& literal>
constexpr auto make_list() {
    return sorted_words<count_words(literal)>(literal);
}

constexpr auto kEnglishList = make_list<kEnglish>();
static_assert(well_formed(kEnglishList), "kEnglish: duplicate or upper-case word");
constexpr auto kGermanList = make_list<kGerman>();
static_assert(well_formed(kGermanList), "kGerman: duplicate or upper-case word");
constexpr auto kFrenchList = make_list<kFrench>();
static_assert(well_formed(kFrenchList), "kFrench: duplicate or upper-case word");
constexpr auto kSpanishList = make_list<kSpanish>();
static_assert(well_formed(kSpanishList), "kSpanish: duplicate or upper-case word");
constexpr auto kPortugueseList = make_list<kPortuguese>();
static_assert(well_formed(kPortugueseList), "kPortuguese: duplicate or upper-case word");
constexpr auto kItalianList = make_list<kItalian>();
static_assert(well_formed(kItalianList), "kItalian: duplicate or upper-case word");
constexpr auto kDutchList = make_list<kDutch>();
static_assert(well_formed(kDutchList), "kDutch: duplicate or upper-case word");
constexpr auto kPolishList = make_list<kPolish>();
static_assert(well_formed(kPolishList), "kPolish: duplicate or upper-case word");
constexpr auto kTurkishList = make_list<kTurkish>();
static_assert(well_formed(kTurkishList), "kTurkish: duplicate or upper-case word");
constexpr auto kIndonesianList = make_list<kIndonesian>();
static_assert(well_formed(kIndonesianList), "kIndonesian: duplicate or upper-case word");
constexpr auto kSwedishList = make_list<kSwedish>();
static_assert(well_formed(kSwedishList), "kSwedish: duplicate or upper-case word");
constexpr auto kRussianList = make_list<kRussian>();
static_assert(well_formed(kRussianList), "kRussian: duplicate or upper-case word");
constexpr auto kArabicList = make_list<kArabic>();
static_assert(well_formed(kArabicList), "kArabic: duplicate or upper-case word");
constexpr auto kPersianList = make_list<kPersian>();
static_assert(well_formed(kPersianList), "kPersian: duplicate or upper-case word");
constexpr auto kHindiList = make_list<kHindi>();
static_assert(well_formed(kHindiList), "kHindi: duplicate or upper-case word");

// ---------------------------------------------------------------------------------------
// One hash table for every list: word → the set of languages (bits, in kLists order) that
// list it. Built at compile time with open addressing; a lookup is one FNV-1a hash and,
// almost always, one comparison, which keeps stopword_density off the profile.

constexpr std::span<const std::string_view> kWordsByList[] = {
    kEnglishList, kGermanList,     kFrenchList,  kSpanishList, kPortugueseList,
    kItalianList, kDutchList,      kPolishList,  kTurkishList, kIndonesianList,
    kSwedishList, kRussianList,    kArabicList,  kPersianList, kHindiList,
};

constexpr WordList kLists[] = {
    {"en", true, 1u << 0},   {"de", true, 1u << 1},   {"fr", true, 1u << 2},
    {"es", true, 1u << 3},   {"pt", true, 1u << 4},   {"it", true, 1u << 5},
    {"nl", true, 1u << 6},   {"pl", true, 1u << 7},   {"tr", true, 1u << 8},
    {"id", true, 1u << 9},   {"sv", true, 1u << 10},  {"ru", false, 1u << 11},
    {"ar", false, 1u << 12}, {"fa", false, 1u << 13}, {"hi", false, 1u << 14},
};
static_assert(std::size(kWordsByList) == std::size(kLists));
static_assert(std::size(kLists) <= 32, "a language set is a 32-bit mask");

// A slot names its word by offset and length in the table's own text rather than by a
// string_view: a table of pointers in a position-independent executable is written by
// the loader's relocations at every start (its 48 pages copied, one page fault each,
// even for --version), where offsets leave it read-only data, shared with the file and
// read only when a word is looked up.
struct Entry {
    std::uint16_t offset = 0;  // into Table::text
    std::uint8_t length = 0;   // 0: a free slot
    std::uint32_t languages = 0;
};

// Slots: a power of two, at least twice the words, so probe runs stay short.
constexpr std::size_t kTableSize = 8192;

constexpr std::size_t total_words() {
    std::size_t n = 0;
    for (auto list : kWordsByList) n += list.size();
    return n;
}
static_assert(total_words() * 2 <= kTableSize, "grow kTableSize");

// Every list's bytes, a word in several lists counted each time: room for the text.
constexpr std::size_t total_bytes() {
    std::size_t n = 0;
    for (auto list : kWordsByList)
        for (std::string_view word : list) n += word.size();
    return n;
}
static_assert(total_bytes() <= UINT16_MAX, "Entry::offset is 16 bits");

constexpr bool words_fit() {
    for (auto list : kWordsByList)
        for (std::string_view word : list)
            if (word.size() > kMaxWordBytes) return false;
    return true;
}
static_assert(words_fit(), "a listed word is longer than kMaxWordBytes");
static_assert(kMaxWordBytes <= UINT8_MAX, "Entry::length is 8 bits");

constexpr std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return h;
}

struct Table {
    std::array<char, total_bytes()> text{};  // each word once, in the order first listed
    std::array<Entry, kTableSize> slots{};

    constexpr std::string_view word(const Entry& entry) const { return {text.data() + entry.offset, entry.length}; }
};

constexpr Table build_table() {
    Table table{};
    std::size_t used = 0;
    for (std::size_t l = 0; l < std::size(kWordsByList); ++l) {
        for (std::string_view word : kWordsByList[l]) {
            std::size_t slot = fnv1a(word) & (kTableSize - 1);
            while (table.slots[slot].length != 0 && table.word(table.slots[slot]) != word)
                slot = (slot + 1) & (kTableSize - 1);
            Entry& entry = table.slots[slot];
            if (entry.length == 0) {
                std::copy(word.begin(), word.end(), table.text.begin() + used);
                entry.offset = static_cast<std::uint16_t>(used);
                entry.length = static_cast<std::uint8_t>(word.size());
                used += word.size();
            }
            entry.languages |= 1u << l;
        }
    }
    return table;
}

constexpr Table kTable = build_table();

// ---------------------------------------------------------------------------------------
// Single-character sets for the scripts written without spaces.

template <std::size_t N>
constexpr std::array<char32_t, N - 1> sorted_chars(const char32_t (&s)[N]) {
    std::array<char32_t, N - 1> out{};
    for (std::size_t i = 0; i + 1 < N; ++i) out[i] = s[i];
    std::sort(out.begin(), out.end());
    return out;
}

template <std::size_t N>
constexpr bool unique_chars(const std::array<char32_t, N>& chars) {
    return std::adjacent_find(chars.begin(), chars.end()) == chars.end();
}

// Chinese function characters: structural particles, aspect markers, copula,
// prepositions, conjunctions, pronouns, negation, modal verbs and degree adverbs, with
// their traditional forms. Nouns and content verbs are left out on purpose: a menu of
// nouns (首页 新闻 登录) should score near zero, a sentence well above.
constexpr auto kChineseChars = sorted_chars(
    U"的了是在和有与也就都而及着或等被把让从对将为这那其之以于但并所我他她它们你个不"
    U"上到说要会可能没很还更最已又因如则此该由向给跟自己每各些地得过来只才却即虽然若且"
    U"再非无吗呢吧么啊什哪谁"
    U"與為這們個說會還對將從讓過來沒麼於並則該給無嗎雖");
static_assert(unique_chars(kChineseChars), "duplicate Chinese function character");

// Japanese: case and topic particles, conjunctive and final particles, and the kana of
// the copula and the polite and past auxiliaries (です ます た て だ し る), counted one
// character at a time. Kanji and katakana (content words) are never in the set.
constexpr auto kJapaneseChars =
    sorted_chars(U"のはがをにでとへもやかなたてだすましるれね");
static_assert(unique_chars(kJapaneseChars), "duplicate Japanese function character");

// Korean: whole function words (conjunctions, determiners, bound nouns, common adverbs).
constexpr std::string_view kKorean = R"(
그 그것 그녀 그는 그래서 그러나 그런 그런데 그리고 나 너무 다시 더 또 또는 또한 매우
모든 및 바로 수 아주 안 어떤 우리 위해 이 이런 이미 있는 저 저는 것 등 때 중 즉
)";
constexpr auto kKoreanList = make_list<kKorean>();
static_assert(well_formed(kKoreanList), "kKorean: duplicate word");

// Korean particles and verbal endings that close a word: one syllable, or two.
constexpr auto kKoreanEndings1 = sorted_chars(U"은는이가을를에의도로와과고며다서면만");
static_assert(unique_chars(kKoreanEndings1), "duplicate Korean ending");
constexpr std::string_view kKoreanEndings2[] = {"까지", "부터", "에게", "에서", "으로",
                                                "지만", "처럼", "하고"};

template <std::size_t N>
bool has_char(const std::array<char32_t, N>& chars, char32_t c) {
    return std::binary_search(chars.begin(), chars.end(), c);
}

}  // namespace

bool WordList::contains(std::string_view word) const { return (languages_of(word) & bit) != 0; }

std::uint32_t languages_of(std::string_view word) {
    if (word.empty()) return 0;
    std::size_t slot = fnv1a(word) & (kTableSize - 1);
    while (kTable.slots[slot].length != 0) {
        const Entry& entry = kTable.slots[slot];
        if (kTable.word(entry) == word) return entry.languages;
        slot = (slot + 1) & (kTableSize - 1);
    }
    return 0;
}

std::span<const WordList> word_lists() { return kLists; }

const WordList* find_word_list(std::string_view lang) {
    for (const WordList& list : kLists)
        if (list.lang == lang) return &list;
    return nullptr;
}

bool elides(std::string_view lang) { return lang == "fr" || lang == "it"; }

bool is_chinese_function_char(char32_t c) { return has_char(kChineseChars, c); }
bool is_japanese_function_char(char32_t c) { return has_char(kJapaneseChars, c); }

bool is_korean_function_word(std::string_view word) {
    if (word.empty()) return false;
    if (std::binary_search(kKoreanList.begin(), kKoreanList.end(), word)) return true;
    std::size_t end = word.size();
    char32_t last = text::prev(word, end);
    if (end == 0) return false;  // a one-syllable word is a particle only if listed
    for (std::string_view ending : kKoreanEndings2)
        if (word.size() > ending.size() && word.ends_with(ending)) return true;
    return has_char(kKoreanEndings1, last);
}

}  // namespace dconv::clean::stopwords
