// Stop words and language guessing. Every sample sentence here is written for the test.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "clean/language.hpp"
#include "dconv/clean.hpp"

using dconv::guess_language;
using dconv::clean::has_stopwords;
using dconv::clean::is_stopword;
using dconv::clean::stopword_density;

namespace {

struct Sample {
    std::string_view lang;
    std::string_view prose;  // a paragraph of running text
    std::string_view nav;    // a menu or a footer in the same language
};

// One paragraph and one menu per language with a list.
constexpr Sample kSamples[] = {
    {"en",
     "When the river rose in the spring, the villagers moved their animals to the hills and "
     "waited for the water to go down. Most of them had seen it happen before, and they knew "
     "that it would take at least a week.",
     "Home News Sport Weather Contact Privacy Policy Sign In"},
    {"de",
     "Als der Fluss im Frühjahr über die Ufer trat, brachten die Bewohner ihre Tiere auf die "
     "Hügel und warteten, bis das Wasser wieder sank. Die meisten von ihnen hatten das schon "
     "erlebt und wussten, dass es mindestens eine Woche dauern würde.",
     "Startseite Nachrichten Sport Wetter Kontakt Datenschutz Impressum Anmelden"},
    {"fr",
     "Quand la rivière a débordé au printemps, les habitants ont conduit leurs bêtes sur les "
     "collines et ont attendu que l'eau baisse. La plupart d'entre eux l'avaient déjà vu, et "
     "ils savaient que cela prendrait au moins une semaine.",
     "Accueil Actualités Sport Météo Contact Confidentialité Connexion"},
    {"es",
     "Cuando el río creció en la primavera, los vecinos llevaron sus animales a las colinas y "
     "esperaron a que bajara el agua. La mayoría ya lo había visto antes y sabían que eso "
     "tardaría por lo menos una semana.",
     "Inicio Noticias Deportes Tiempo Contacto Privacidad Iniciar sesión"},
    {"pt",
     "Quando o rio subiu na primavera, os moradores levaram os seus animais para as colinas e "
     "esperaram que a água baixasse. A maioria deles já tinha visto isso antes e sabia que "
     "levaria pelo menos uma semana.",
     "Início Notícias Esportes Tempo Contato Privacidade Entrar"},
    {"it",
     "Quando il fiume è cresciuto in primavera, gli abitanti hanno portato i loro animali "
     "sulle colline e hanno aspettato che l'acqua scendesse. La maggior parte di loro lo "
     "aveva già visto e sapeva che ci sarebbe voluta almeno una settimana.",
     "Home Notizie Sport Meteo Contatti Privacy Accedi"},
    {"nl",
     "Toen de rivier in het voorjaar buiten haar oevers trad, brachten de bewoners hun dieren "
     "naar de heuvels en wachtten tot het water zakte. De meesten van hen hadden het al eens "
     "meegemaakt en wisten dat het minstens een week zou duren.",
     "Home Nieuws Sport Weer Contact Privacybeleid Inloggen"},
    {"pl",
     "Kiedy rzeka wezbrała na wiosnę, mieszkańcy przegonili zwierzęta na wzgórza i czekali, "
     "aż woda opadnie. Większość z nich już to widziała i wiedziała, że potrwa to co "
     "najmniej tydzień.",
     "Strona główna Wiadomości Sport Pogoda Kontakt Prywatność Zaloguj"},
    {"tr",
     "Nehir ilkbaharda taştığında köylüler hayvanlarını tepelere götürdü ve suyun çekilmesini "
     "bekledi. Çoğu bunu daha önce de görmüştü ve bunun en az bir hafta süreceğini biliyordu, "
     "çünkü her yıl böyle olurdu.",
     "Anasayfa Haberler Spor Hava Durumu İletişim Gizlilik Giriş"},
    {"id",
     "Ketika sungai meluap pada musim semi, para penduduk membawa hewan mereka ke bukit dan "
     "menunggu sampai air surut. Sebagian besar dari mereka sudah pernah melihat hal itu dan "
     "tahu bahwa itu akan memakan waktu paling tidak satu minggu.",
     "Beranda Berita Olahraga Cuaca Kontak Privasi Masuk"},
    {"sv",
     "När floden steg på våren förde byborna sina djur upp till kullarna och väntade på att "
     "vattnet skulle sjunka. De flesta av dem hade varit med om det förut och visste att det "
     "skulle ta minst en vecka.",
     "Hem Nyheter Sport Väder Kontakt Integritet Logga in"},
    {"ru",
     "Когда весной река вышла из берегов, жители увели своих животных на холмы и ждали, пока "
     "вода спадёт. Большинство из них уже видели это раньше и знали, что это займёт по "
     "крайней мере неделю.",
     "Главная Новости Спорт Погода Контакты Конфиденциальность Войти"},
    {"ar",
     "عندما فاض النهر في الربيع، نقل سكان القرية حيواناتهم إلى التلال وانتظروا حتى ينخفض "
     "الماء. وكان معظمهم قد رأى ذلك من قبل، وكانوا يعرفون أن الأمر سيستغرق أسبوعا على الأقل.",
     "الرئيسية أخبار رياضة طقس اتصل بنا الخصوصية تسجيل الدخول"},
    {"fa",
     "وقتی رودخانه در بهار طغیان کرد، مردم روستا حیوانات خود را به تپه‌ها بردند و منتظر ماندند "
     "تا آب پایین برود. بیشتر آنها این را قبلاً دیده بودند و می‌دانستند که دست کم یک هفته طول "
     "می‌کشد.",
     "صفحه اصلی اخبار ورزش آب و هوا تماس با ما حریم خصوصی ورود"},
    {"hi",
     "जब वसंत में नदी में बाढ़ आई, तो गाँव के लोग अपने जानवरों को पहाड़ियों पर ले गए और पानी "
     "उतरने का इंतज़ार करते रहे। उनमें से ज़्यादातर लोग यह पहले भी देख चुके थे और जानते थे कि "
     "इसमें कम से कम एक हफ़्ता लगेगा।",
     "मुखपृष्ठ समाचार खेल मौसम संपर्क गोपनीयता लॉगिन"},
    {"zh",
     "春天河水上涨的时候，村民们把牲口赶到了山上，等着水退下去。他们中的大多数人以前都见过这种"
     "情况，也知道这至少要持续一个星期。",
     "首页 新闻 体育 天气 联系方式 隐私政策 登录"},
    {"ja",
     "春に川があふれたとき、村の人たちは家畜を丘の上に連れて行き、水が引くのを待った。ほとんど"
     "の人は以前にもそれを見たことがあり、少なくとも一週間はかかることを知っていた。",
     "ホーム ニュース スポーツ 天気 お問い合わせ プライバシー ログイン"},
    {"ko",
     "봄에 강물이 넘쳤을 때 마을 사람들은 가축을 언덕으로 옮기고 물이 빠지기를 기다렸다. 그들 "
     "대부분은 전에도 그런 일을 본 적이 있었고 적어도 일주일은 걸린다는 것을 알고 있었다.",
     "홈 뉴스 스포츠 날씨 고객센터 개인정보처리방침 로그인"},
};

}  // namespace

TEST_CASE("has_stopwords knows every listed language, by primary subtag") {
    for (const Sample& s : kSamples) {
        INFO(s.lang);
        CHECK(has_stopwords(s.lang));
    }
    CHECK(has_stopwords("en-US"));
    CHECK(has_stopwords("zh-Hant-TW"));
    CHECK(has_stopwords("PT_br"));
    CHECK_FALSE(has_stopwords("th"));
    CHECK_FALSE(has_stopwords(""));
    CHECK_FALSE(has_stopwords("english"));
}

TEST_CASE("is_stopword looks words up in the language's list") {
    CHECK(is_stopword("en", "the"));
    CHECK(is_stopword("en", "The"));  // folded like density folds
    CHECK(is_stopword("en", "don't"));
    CHECK(is_stopword("en", "don\u2019t"));
    CHECK_FALSE(is_stopword("en", "river"));
    CHECK_FALSE(is_stopword("en", ""));
    CHECK(is_stopword("de", "über"));
    CHECK(is_stopword("de", "Über"));  // non-ASCII lower-casing
    CHECK_FALSE(is_stopword("de", "the"));
    CHECK(is_stopword("fr", "l'eau"));  // elision
    CHECK(is_stopword("it", "dell'anno"));
    CHECK_FALSE(is_stopword("en", "o'clock"));  // English does not elide
    CHECK(is_stopword("ru", "Это"));
    CHECK(is_stopword("tr", "için"));
    CHECK(is_stopword("ar", "فِي"));  // diacritics dropped
    CHECK(is_stopword("fa", "اين"));  // Arabic yeh read as Persian yeh
    CHECK(is_stopword("fa", "می‌شود"));
    CHECK(is_stopword("hi", "में"));
    CHECK(is_stopword("zh", "的"));
    CHECK_FALSE(is_stopword("zh", "河"));
    CHECK_FALSE(is_stopword("zh", "的的"));
    CHECK(is_stopword("ja", "の"));
    CHECK_FALSE(is_stopword("ja", "川"));
    CHECK(is_stopword("ko", "그리고"));
    CHECK(is_stopword("ko", "학교에서"));  // ends in a particle
    CHECK_FALSE(is_stopword("ko", "로그인"));
    CHECK_FALSE(is_stopword("xx", "the"));
    CHECK_FALSE(is_stopword("en", std::string(500, 'a')));
}

TEST_CASE("stopword_density is high for prose and low for navigation") {
    for (const Sample& s : kSamples) {
        double prose = stopword_density(s.prose, s.lang);
        double nav = stopword_density(s.nav, s.lang);
        INFO(s.lang << ": prose " << prose << ", nav " << nav);
        CHECK(prose >= 0.15);
        CHECK(nav <= 0.25);
        CHECK(prose > nav + 0.1);
    }
}

TEST_CASE("stopword_density counts words as the spec says") {
    CHECK(stopword_density("the cat and the dog", "en") == Approx(3.0 / 5.0));
    CHECK(stopword_density("The cat, AND the dog!", "en") == Approx(3.0 / 5.0));
    CHECK(stopword_density("'the' cat", "en") == Approx(0.5));  // quotes trimmed
    CHECK(stopword_density("the 42 cats", "en") == Approx(1.0 / 3.0));  // numbers are words
    CHECK(stopword_density("河的水", "zh") == Approx(1.0 / 3.0));
    CHECK(stopword_density("的book", "zh") == Approx(1.0));  // over Han characters only
    CHECK(stopword_density("猫が好き", "ja") == Approx(1.0 / 4.0));
    // Web addresses are not words ("com" is Portuguese for "with").
    CHECK(stopword_density("https://www.example.com/com/de", "pt") == 0.0);
    CHECK(stopword_density("veja www.exemplo.com.br com o site", "pt") == Approx(2.0 / 4.0));
    CHECK(stopword_density("", "en") == 0.0);
    CHECK(stopword_density("... --- !!!", "en") == 0.0);
    CHECK(stopword_density("the cat", "xx") == 0.0);
    CHECK(stopword_density("the cat", "") == 0.0);
}

TEST_CASE("guess_language reads one paragraph per language") {
    for (const Sample& s : kSamples) {
        INFO(s.lang);
        CHECK(guess_language(s.prose) == s.lang);
    }
    CHECK(guess_language("Коли навесні річка вийшла з берегів, мешканці відвели своїх тварин "
                         "на пагорби і чекали, поки вода спаде. Більшість із них уже бачила це "
                         "раніше.") == "uk");
    CHECK(guess_language("جب بہار میں دریا میں سیلاب آیا تو گاؤں کے لوگ اپنے جانور پہاڑیوں پر "
                         "لے گئے اور پانی اترنے کا انتظار کرتے رہے۔") == "ur");
    // Vowelled Arabic: harakat are marks of no script of their own.
    CHECK(guess_language("بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ") == "ar");
    CHECK(guess_language("Όταν την άνοιξη πλημμύρισε το ποτάμι, οι χωρικοί οδήγησαν τα ζώα "
                         "τους στους λόφους.") == "el");
    CHECK(guess_language("כאשר הנהר עלה באביב, תושבי הכפר העבירו את בעלי החיים שלהם אל "
                         "הגבעות.") == "he");
    CHECK(guess_language("เมื่อแม่น้ำเอ่อล้นในฤดูใบไม้ผลิ ชาวบ้านก็พาสัตว์ขึ้นไปบนเนินเขา") ==
          "th");
}

TEST_CASE("guess_language weighs scripts in mixed text") {
    // An English article under a Chinese title is English.
    CHECK(guess_language("春天的河\nWhen the river rose in the spring, the villagers moved their "
                         "animals to the hills and waited for the water to go down.") == "en");
    // A Chinese article with English terms is Chinese.
    CHECK(guess_language("我们使用 Python 和 PostgreSQL 构建了这个系统，它的性能比以前好了很多，"
                         "部署也更简单。") == "zh");
    // A stray kana in a Chinese text does not make it Japanese.
    CHECK(guess_language("这家店叫做“山の家”，我们在那里吃了午饭，然后去了公园散步，"
                         "天气非常好，大家都很开心。") == "zh");
    // Link targets in a scraped Chinese page are not English (nor Portuguese).
    std::string links;
    for (int i = 0; i < 20; ++i)
        links += "[诗词赏析](https://www.example.com/shici/com/index.html)\n";
    CHECK(guess_language(links) == "zh");
    // Kanji-heavy Japanese is still Japanese.
    CHECK(guess_language("東京都知事選挙の結果") == "ja");
    CHECK(guess_language("서울특별시 교육청 발표") == "ko");
}

TEST_CASE("guess_language falls back when stop words are few") {
    CHECK(guess_language("") == "");
    CHECK(guess_language("12345 !!! ---") == "");
    CHECK(guess_language("Home Login Register") == "en");  // ASCII, no list matched
    CHECK(guess_language("Tôi đã đọc cuốn sách này và thấy nó rất hay, "
                         "nhưng phần cuối hơi dài.") == "");  // no Vietnamese list
}

TEST_CASE("guess_language reads only the head of a long text") {
    std::string text;
    while (text.size() < 300 * 1024)
        text += "Der Fluss trat über die Ufer, und die Bewohner warteten auf den Hügeln. ";
    std::string tail;
    while (tail.size() < 600 * 1024) tail += "春天河水上涨的时候，村民们把牲口赶到了山上。";
    CHECK(guess_language(text + tail) == "de");
}
