// Spec examples for find_date: input and expected output side by side, one line per
// shape or behaviour.
#include <catch2/catch.hpp>

#include <string_view>

#include "clean/cues.hpp"
#include "dconv/clean.hpp"

using dconv::find_date;

namespace {

struct Example {
    std::string_view input;
    std::string_view expected;
};

void check_all(std::initializer_list<Example> examples) {
    for (const Example& e : examples) {
        INFO("input: " << e.input);
        CHECK(find_date(e.input) == e.expected);
    }
}

}  // namespace

TEST_CASE("find_date reads year-first numeric dates") {
    check_all({
        {"2019-11-29 16:31:41", "2019-11-29"},
        {"2019-11-29T16:31:41Z", "2019-11-29"},
        {"2016/07/01", "2016-07-01"},
        {"2016.07.01", "2016-07-01"},
        {"2024.05.13", "2024-05-13"},
        {"2024. 5. 13. 오후 3:20", "2024-05-13"},
        {"Posted on 2019-1-5 by admin", "2019-01-05"},
        {"２０２０／１２／１１", "2020-12-11"},
    });
}

TEST_CASE("find_date reads CJK dates") {
    check_all({
        {"2020年12月11日", "2020-12-11"},
        {"2020 年 12 月 11 日", "2020-12-11"},
        {"2020年12月11日 02:31:43", "2020-12-11"},
        {"发布时间：2020年1月5日 来源：新华社", "2020-01-05"},
        {"2020年12月11号", "2020-12-11"},
        {"2024년 5월 13일", "2024-05-13"},
        {"입력 2024년 5월 13일 오후 3시", "2024-05-13"},
    });
}

TEST_CASE("find_date reads day-first dates") {
    check_all({
        {"19.11.2019", "2019-11-19"},             // d.m.y, always
        {"05.06.2020", "2020-06-05"},
        {"19. 11. 2019", "2019-11-19"},
        {"19/11/2019", "2019-11-19"},             // first > 12: d/m/y
        {"19-11-2019", "2019-11-19"},
        {"1.2.2019", "2019-02-01"},               // 4-digit year, short d and m: accepted
        {"20 June 2016", "2016-06-20"},
        {"11 December 2020", "2020-12-11"},
        {"Beijing, 11 December 2020", "2020-12-11"},
        {"11 Dec 2020", "2020-12-11"},
        {"11 Dec. 2020", "2020-12-11"},
        {"20th June, 2016", "2016-06-20"},
        {"11-Dec-2020", "2020-12-11"},
        {"Friday 1 MARCH 2024", "2024-03-01"},
    });
}

TEST_CASE("find_date reads US month/day/year when the first number can be a month") {
    check_all({
        {"published 11/19/2019", "2019-11-19"},
        {"05/06/2020", "2020-05-06"},
        {"12-25-2019", "2019-12-25"},
    });
}

TEST_CASE("find_date reads month-first dates") {
    check_all({
        {"December 11, 2020", "2020-12-11"},
        {"Dec. 11, 2020", "2020-12-11"},
        {"Dec 11 2020", "2020-12-11"},
        {"June 20th, 2016", "2016-06-20"},
        {"Updated: Feb 29, 2020 10:02 AM", "2020-02-29"},
    });
}

TEST_CASE("find_date reads month names of other languages") {
    check_all({
        {"20. Mai 2024", "2024-05-20"},           // de
        {"3. März 2021", "2021-03-03"},
        {"20 mai 2024", "2024-05-20"},            // fr
        {"1er février 2023", "2023-02-01"},
        {"le 14 juillet 2022", "2022-07-14"},
        {"20 de mayo de 2024", "2024-05-20"},     // es
        {"20 de mayo del 2024", "2024-05-20"},
        {"19 de maio de 2024", "2024-05-19"},     // pt
        {"20 maggio 2024", "2024-05-20"},         // it
        {"20 mei 2024", "2024-05-20"},            // nl, id
        {"17 Agustus 2023", "2023-08-17"},        // id
        {"20 мая 2024 г.", "2024-05-20"},         // ru
        {"20 maja 2024", "2024-05-20"},           // pl
        {"29 Ekim 2023", "2023-10-29"},           // tr
        {"30 Mayıs 2024", "2024-05-30"},
        {"30 MAYIS 2024", "2024-05-30"},
        {"الجمعة، 24 مايو 2024 08:44 ص", "2024-05-24"},  // ar
        {"١٣ أكتوبر ٢٠٢٣", "2023-10-13"},          // Arabic-Indic digits
        {"13 मई 2024", "2024-05-13"},             // hi
        {"5 फ़रवरी 2024", "2024-02-05"},
    });
}

TEST_CASE("find_date returns the first plausible date") {
    check_all({
        {"2019-11-29, updated 2020-01-02", "2019-11-29"},
        {"Feb 30 2020, corrected to March 1, 2020", "2020-03-01"},
        {"ID 20240513125214547 posted 2024-05-13", "2024-05-13"},
    });
}

TEST_CASE("find_date validates calendar ranges") {
    check_all({
        {"2019-13-45", ""},
        {"2019-00-10", ""},
        {"2019-04-31", ""},
        {"Feb 30 2020", ""},
        {"29.02.2019", ""},            // 2019 is not a leap year
        {"29.02.2020", "2020-02-29"},  // 2020 is
        {"29.02.2000", "2000-02-29"},  // divisible by 400
        {"29.02.1900", ""},            // by 100, not 400
        {"1899-12-31", ""},
        {"2101-01-01", ""},
        {"1900-01-01", "1900-01-01"},
        {"2100-12-31", "2100-12-31"},
    });
}

TEST_CASE("find_date rejects what is not a date") {
    check_all({
        {"", ""},
        {"no date here", ""},
        {"2019年11月", ""},              // no day: never invent one
        {"December 2020", ""},
        {"Tel: 010-6275-1234", ""},
        {"+86 0571-88881234", ""},
        {"Call 13912345678", ""},
        {"20240513125214547", ""},      // a long ID
        {"20191129", ""},               // compact form not read
        {"Final score 3-1", ""},
        {"12/25", ""},                  // no year
        {"11/19/19", ""},               // 2-digit year
        {"v1.2.2019", ""},              // a version
        {"10.1.1.2019", ""},            // an address
        {"19.11.2019.3", ""},
        {"2019-11-29-1234", ""},
        {"100.12.2019", ""},            // 3-digit day
        {"2019-11-290", ""},
        {"May I help you? 2020", ""},
    });
}

TEST_CASE("find_date stays fast and safe on a long line") {
    std::string line(1 << 20, '9');
    line += " 2021-03-04";
    CHECK(find_date(line) == "2021-03-04");
    std::string junk;
    for (int i = 0; i < 20000; ++i) junk += "12.";
    CHECK(find_date(junk) == "");
    CHECK(find_date(std::string_view("\xE5\xB9\xB4\xFF 2021-03-04")) == "2021-03-04");
}

TEST_CASE("find_byline: a byline's name stops at the dateline after it, weekday and all") {
    using dconv::clean::find_byline;
    CHECK(find_byline("By Sam Reed Tuesday, March 3, 2026", true) == "Sam Reed");
    CHECK(find_byline("By Anna Schmidt Di., 3. März 2026", true) == "Anna Schmidt");
    CHECK(find_byline("By Sam Reed June 1, 2024", true) == "Sam Reed");
}

TEST_CASE("find_byline: a surname that is also a short weekday stays in the name") {
    using dconv::clean::find_byline;
    CHECK(find_byline("By Yifan Sun, March 3, 2026", true) == "Yifan Sun");
    CHECK(find_byline("By Jane Ma, 3 maart 2026", true) == "Jane Ma");
    CHECK(find_byline("By Min-ji So, 3. März 2026", true) == "Min-ji So");
    CHECK(find_byline("By Anna Mo 3 March 2026", true) == "Anna Mo");
    CHECK(find_byline("Posted by Lena Sa, 3 March 2026", true) == "Lena Sa");
    CHECK(find_byline("Words by Yifan Sun March 3, 2026", true) == "Yifan Sun");
    // the weekdays that do end a name: in full, or abbreviated with its "."
    CHECK(find_byline("By Sam Reed Tuesday, March 3, 2026", true) == "Sam Reed");
    CHECK(find_byline("By Sam Reed Tue. March 3, 2026", true) == "Sam Reed");
}

TEST_CASE("starts_with_date: a date made of the text's first tokens") {
    using dconv::starts_with_date;
    CHECK(starts_with_date("June 1, 2024 4 min read"));
    CHECK(starts_with_date("Dec. 11, 2020"));
    CHECK(starts_with_date("11 December 2020, updated"));
    CHECK(starts_with_date("2024-06-01 10:00"));
    CHECK_FALSE(starts_with_date("Reed June 1, 2024"));  // the date comes later
    // a weekday before the date, in the languages of the month names
    CHECK(starts_with_date("Tuesday, March 3, 2026"));
    CHECK(starts_with_date("Tue, 3 March 2026"));
    CHECK(starts_with_date("Tue. 3 March 2026"));
    CHECK_FALSE(starts_with_date("Tue 3 March 2026"));  // an abbreviation needs its "." or ","
    CHECK(starts_with_date("Di., 3. März 2026"));
    CHECK(starts_with_date("mardi 3 mars 2026"));
    CHECK(starts_with_date("Martes, 3 de marzo de 2026"));
    CHECK(starts_with_date("terça-feira, 3 de março de 2026"));
    CHECK(starts_with_date("Вторник, 3 марта 2026"));
    CHECK(starts_with_date("周二 2026年3月3日"));
    CHECK(starts_with_date("星期二，2026年3月3日"));
    CHECK(starts_with_date("火曜日 2026年3月3日"));
    CHECK_FALSE(starts_with_date("Tuesday"));
    CHECK_FALSE(starts_with_date("Tuesday Reed, March 3, 2026"));  // a word between: no dateline
    CHECK_FALSE(starts_with_date("June Carter"));
    CHECK_FALSE(starts_with_date(""));
}

TEST_CASE("starts_with_date after a word: an abbreviated weekday needs its \".\"") {
    using dconv::DateStart;
    using dconv::starts_with_date;
    CHECK(starts_with_date("Tuesday, March 3, 2026", DateStart::after_word));
    CHECK(starts_with_date("Di., 3. März 2026", DateStart::after_word));
    CHECK(starts_with_date("March 3, 2026", DateStart::after_word));
    CHECK_FALSE(starts_with_date("Sun, March 3, 2026", DateStart::after_word));  // "Yifan Sun"
    CHECK_FALSE(starts_with_date("Ma, 3 maart 2026", DateStart::after_word));     // "Jane Ma"
    CHECK_FALSE(starts_with_date("So, 3. März 2026", DateStart::after_word));     // "Min-ji So"
    CHECK_FALSE(starts_with_date("Mo 3 March 2026", DateStart::after_word));      // "Anna Mo"
}

TEST_CASE("find_byline: a role word alone after a given name, ending the byline, is its surname") {
    using dconv::clean::find_byline;
    CHECK(find_byline("By Ann Editor", true) == "Ann Editor");
    CHECK(find_byline("Written by Tom Director", true) == "Tom Director");
    // elsewhere a role word still ends the name
    CHECK(find_byline("By Sam Reed Staff Reporter", true) == "Sam Reed");
    CHECK(find_byline("By Sam Reed, Staff Reporter", true) == "Sam Reed");
    CHECK(find_byline("By Ann Chief Editor", true) == "Ann");
    CHECK(find_byline("By Staff Reporter", true).empty());
}

TEST_CASE("find_byline: a role word after a given name is its surname wherever the name ends") {
    using dconv::clean::find_byline;
    CHECK(find_byline("By Jo Reporter, Staff Writer", true) == "Jo Reporter");
    CHECK(find_byline("By Jo Reporter | 4 June 2024", true) == "Jo Reporter");
    CHECK(find_byline("By Jo Reporter June 4, 2024", true) == "Jo Reporter");
    CHECK(find_byline("By Jo Reporter (Reuters)", true) == "Jo Reporter");
    CHECK(find_byline("By Ann Head and Sam Reed", true) == "Ann Head");
    // before another word, a role word still ends the name
    CHECK(find_byline("By Ann Chief Editor", true) == "Ann");
}

TEST_CASE("find_byline: a desk's title is no author") {
    using dconv::clean::find_byline;
    CHECK(find_byline("By Sports Editor", true).empty());
    CHECK(find_byline("By Political Editor", true).empty());
    CHECK(find_byline("By Our Correspondent", true).empty());
    CHECK(find_byline("By Sam Reed, Political Editor", true) == "Sam Reed");
}
