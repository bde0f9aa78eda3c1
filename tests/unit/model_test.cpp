#include <catch2/catch.hpp>

#include "core/text.hpp"
#include "dconv/model.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

using namespace dconv;

namespace testing {
std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
}
}  // namespace testing
using testing::join;

TEST_CASE("plain_text flattens inlines and blocks") {
    Inlines in{Text{"a "}, Link{{Text{"link"}}, "http://x", ""}, Strong{{Text{" b"}}}};
    CHECK(plain_text(in) == "a link b");
    List l;
    l.items.push_back({make_paragraph("one")});
    l.items.push_back({make_paragraph("two")});
    CHECK(plain_text(Block{l}) == "one\ntwo");
}

TEST_CASE("normalize merges adjacent text and drops empty text") {
    Inlines in{Text{"a"}, Text{""}, Text{"b"}, Emphasis{{Text{"c"}, Text{"d"}}}};
    normalize(in);
    REQUIRE(in.size() == 2);
    CHECK(std::get<Text>(in[0]).text == "ab");
    CHECK(std::get<Emphasis>(in[1]).children.size() == 1);
}

TEST_CASE("validate reports broken tree rules") {
    Document doc;
    doc.blocks.push_back(make_heading(7, "too deep"));
    doc.blocks.push_back(Block{List{}});
    doc.blocks.push_back(make_paragraph("line\nbreak"));
    auto problems = validate(doc);
    CHECK(problems.size() == 3);
    Document ok;
    ok.blocks.push_back(make_heading(2, "fine"));
    CHECK(validate(ok).empty());
}

TEST_CASE("equality ignores provenance") {
    CHECK(make_paragraph("x", {1, 1}) == make_paragraph("x", {5, 9}));
    CHECK_FALSE(make_paragraph("x") == make_heading(1, "x"));
}

TEST_CASE("display width counts East Asian wide characters as two columns") {
    CHECK(text::display_width("abc") == 3);
    CHECK(text::display_width("中文") == 4);
    CHECK(text::display_width("e\xCC\x81") == 1);  // e + combining acute
    CHECK(text::squeeze_spaces("  a \t b  ") == "a b");
}

namespace {

// is_squeezed as it read every byte before it passed plain stretches eight bytes at a
// time: the fast path must give the same answer on every string.
bool squeezed_byte_by_byte(std::string_view s) {
    if (s.empty()) return true;
    if (s.front() == ' ' || s.back() == ' ') return false;
    bool prev_space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b > 0x20 && b < 0x7F) {
            prev_space = false;
            continue;
        }
        if (b == ' ') {
            if (prev_space) return false;
            prev_space = true;
            continue;
        }
        prev_space = false;
        if (b < 0x20 || b == 0x7F) return false;
        if (b == 0xC2 && i + 1 < s.size()) {
            auto c = static_cast<unsigned char>(s[i + 1]);
            if (c == 0x85 || c == 0xA0) return false;
        } else if (b >= 0xE1 && b <= 0xE3 && i + 2 < s.size()) {
            std::size_t k = i;
            if (text::is_space(text::next(s, k))) return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("is_squeezed reads eight plain bytes at a time and answers as byte by byte") {
    // plain stretches (letters, single spaces) with every kind of byte that needs a look
    const std::string_view pieces[] = {
        "word", "Z", "0", "!", "~", " ", " ", " ", "  ", "\t", "\n", "\x01", "\x7f", "\xc2\xa0", "\xc2\x85",
        "\xc2\xa9", "\xe3\x80\x80", "\xe2\x80\x83", "\xe2\x80\x99", "\xe1\x9a\x80", "\xe2\x81\x9f", "é", "中",
        "\xff", "\xe2\x80", "!!", " !", "abcdefgh", "abcdefgh ",
    };
    std::uint64_t state = 42;
    auto random = [&](std::uint64_t n) {  // xorshift: the same strings on every run
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state % n;
    };
    std::size_t squeezed = 0;
    for (int n = 0; n < 100000; ++n) {
        std::string s;
        const std::uint64_t length = random(40);
        const std::uint64_t variety = 1 + random(std::size(pieces));  // some strings only plain pieces
        for (std::uint64_t k = 0; k < length; ++k) s += pieces[random(variety)];
        INFO(s);
        REQUIRE(text::is_squeezed(s) == squeezed_byte_by_byte(s));
        squeezed += squeezed_byte_by_byte(s);
    }
    CHECK(squeezed > 10000);  // both answers, many times
    CHECK(squeezed < 90000);
}

// ------------------------------------------------------------------ the rich nodes

namespace {

Block cell_paragraph(std::string text) { return make_paragraph(std::move(text)); }

TableCell cell(std::string text, int row_span = 1, int col_span = 1) {
    return TableCell{{cell_paragraph(std::move(text))}, row_span, col_span};
}

// A 3-column table: a header row, and a body where "a" spans two rows and "wide" two
// columns.
Table spanning_table() {
    Table t;
    t.caption = {Text{"Harbour traffic"}};
    t.columns = {Alignment::Left, Alignment::Right, Alignment::Center};
    t.head.push_back(TableRow{{cell("Quay"), cell("2023"), cell("2024")}});
    t.body.push_back(TableRow{{cell("a", 2), cell("1"), cell("2")}});
    t.body.push_back(TableRow{{cell("wide", 1, 2)}});
    return t;
}

std::shared_ptr<const Resource> png_resource() {
    return std::make_shared<const Resource>(Resource{"image/png", "\x89PNG...", 4, 3, "a.png"});
}

bool mentions(const std::vector<std::string>& problems, std::string_view what) {
    for (const std::string& p : problems)
        if (p.find(what) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("validate accepts a document with every rich node") {
    Document doc;
    doc.resources["img1"] = png_resource();
    doc.blocks.push_back(make_paragraph(Inlines{
        Strikeout{{Text{"forty"}}}, Text{" sixty H"}, Subscript{{Text{"2"}}}, Text{"O x"},
        Superscript{{Text{"2"}}}, Note{{make_paragraph("A note.")}},
        Image{"a.png", "alt", "title", "img1"}, Image{"https://x/b.png", "remote", "", ""}}));
    doc.blocks.push_back(Block{Figure{{make_paragraph(Inlines{Image{"a.png", "", "", "img1"}})},
                                      {Text{"A caption"}}}});
    doc.blocks.push_back(Block{spanning_table()});
    List tasks;
    tasks.items = {{make_paragraph("open")}, {make_paragraph("done")}};
    tasks.tasks = {TaskState::Open, TaskState::Done};
    doc.blocks.push_back(Block{tasks});
    INFO(testing::join(validate(doc)));
    CHECK(validate(doc).empty());
}

TEST_CASE("validate: a note may cite notes, kMaxNoteNesting deep") {
    // notes `deep` levels deep, each citing the next
    auto nested = [](int deep) {
        Inlines content{Text{"innermost"}};
        for (int k = 0; k < deep; ++k) content = Inlines{Text{"note"}, Note{{make_paragraph(std::move(content))}}};
        Document doc;
        doc.blocks.push_back(make_paragraph(std::move(content)));
        return doc;
    };
    INFO(testing::join(validate(nested(kMaxNoteNesting))));
    CHECK(validate(nested(2)).empty());
    CHECK(validate(nested(kMaxNoteNesting)).empty());
    auto problems = validate(nested(kMaxNoteNesting + 1));
    CHECK(problems.size() == 1);
    CHECK(mentions(problems, "notes nested deeper than " + std::to_string(kMaxNoteNesting) + " notes"));
}

TEST_CASE("validate: figures need content, captions one line") {
    Document doc;
    doc.blocks.push_back(Block{Figure{{}, {Text{"caption only"}}}});
    doc.blocks.push_back(Block{Figure{{make_paragraph("x")}, {Text{"two\nlines"}}}});
    doc.blocks.push_back(Block{Figure{{make_paragraph("x")}, {Text{"a"}, LineBreak{}, Text{"b"}}}});
    auto problems = validate(doc);
    CHECK(problems.size() == 3);
    CHECK(mentions(problems, "figure without content"));
    CHECK(mentions(problems, "newline inside text"));
    CHECK(mentions(problems, "line break inside a caption"));
}

TEST_CASE("validate: image resources must exist, within the limits") {
    Document doc;
    doc.blocks.push_back(make_paragraph(Inlines{Image{"a.png", "a", "", "missing"}}));
    doc.blocks.push_back(make_paragraph(Inlines{Image{"b.png", "two\nlines", "", ""}}));
    doc.resources["null"] = nullptr;
    auto big = std::make_shared<Resource>();
    big->bytes.assign(kMaxImageBytes + 1, 'x');
    doc.resources["big"] = big;
    auto problems = validate(doc);
    CHECK(problems.size() == 4);
    CHECK(mentions(problems, "\"missing\" not in the document's resources"));
    CHECK(mentions(problems, "newline inside image alt text"));
    CHECK(mentions(problems, "resources/null: null"));
    CHECK(mentions(problems, "resources/big: larger than"));
}

TEST_CASE("validate: task states are empty or one per item") {
    Document doc;
    List l;
    l.items = {{make_paragraph("a")}, {make_paragraph("b")}};
    l.tasks = {TaskState::Done};
    doc.blocks.push_back(Block{l});
    auto problems = validate(doc);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "blocks/0: 1 task states for 2 items");
}

TEST_CASE("validate: table shapes") {
    auto problems_of = [](Table t) {
        Document doc;
        doc.blocks.push_back(Block{std::move(t)});
        return validate(doc);
    };
    CHECK(problems_of(spanning_table()).empty());

    Table narrow = spanning_table();
    narrow.body[1].cells[0].col_span = 1;  // the second body row covers 2 of 3 columns
    CHECK(mentions(problems_of(narrow), "body/1: row narrower than the table's 3 columns"));

    Table wide = spanning_table();
    wide.head[0].cells.push_back(cell("extra"));
    CHECK(mentions(problems_of(wide), "head/0: row wider than the table's 3 columns"));

    Table zero = spanning_table();
    zero.head[0].cells[0].col_span = 0;
    CHECK(mentions(problems_of(zero), "span below 1"));

    Table past = spanning_table();
    past.body[1].cells = {cell("x", 2), cell("y")};  // rows below the last: none
    auto past_problems = problems_of(past);
    CHECK(mentions(past_problems, "row span past the end of its section"));

    Table no_columns;
    no_columns.body.push_back(TableRow{});
    CHECK(mentions(problems_of(no_columns), "table without columns"));

    Table no_rows;
    no_rows.columns = {Alignment::Default};
    CHECK(mentions(problems_of(no_rows), "table without rows"));

    Table too_wide;
    too_wide.columns.assign(kMaxTableColumns + 1, Alignment::Default);
    too_wide.body.push_back(TableRow{});
    CHECK(mentions(problems_of(too_wide), "table wider than"));

    Table bad_cell = spanning_table();
    bad_cell.body[0].cells[1].content.push_back(make_heading(9, "x"));
    CHECK(mentions(problems_of(bad_cell), "body/0/1/1: heading level 9"));
}

TEST_CASE("normalize_table pads ragged rows and clips spans") {
    Table t;
    t.head.push_back(TableRow{{cell("a"), cell("b"), cell("c")}});
    t.body.push_back(TableRow{{cell("short")}});
    t.body.push_back(TableRow{{cell("down", 5), cell("x", 1, 0)}});  // row span past the end
    t.body.push_back(TableRow{{cell("over", 1, 4)}});                  // beside "down": columns 1-4
    CHECK(normalize_table(t) == 0);
    CHECK(t.columns.size() == 5);  // the last row: "down" covers column 0, "over" 1-4
    CHECK(t.body[1].cells[0].row_span == 2);
    CHECK(t.body[1].cells[1].col_span == 1);
    Document doc;
    doc.blocks.push_back(Block{t});
    INFO(testing::join(validate(doc)));
    CHECK(validate(doc).empty());
    CHECK(t.head[0].cells.size() == 5);  // padded with two empty cells
    CHECK(t.body[0].cells.size() == 5);
}

TEST_CASE("normalize_table clips a column span that runs into a row span from above") {
    Table t;
    t.body.push_back(TableRow{{cell("a"), cell("tall", 2), cell("c")}});
    t.body.push_back(TableRow{{cell("wide", 1, 3)}});  // would cross "tall"
    normalize_table(t);
    CHECK(t.columns.size() == 3);
    CHECK(t.body[1].cells[0].col_span == 1);
    Document doc;
    doc.blocks.push_back(Block{t});
    CHECK(validate(doc).empty());
}

TEST_CASE("normalize_table drops cells beyond kMaxTableColumns and says how many") {
    Table t;
    TableRow row;
    for (std::size_t i = 0; i < kMaxTableColumns + 10; ++i) row.cells.push_back(cell("c"));
    t.body.push_back(std::move(row));
    CHECK(normalize_table(t) == 10);
    CHECK(t.columns.size() == kMaxTableColumns);
    CHECK(t.body[0].cells.size() == kMaxTableColumns);
}

TEST_CASE("plain_text of rich nodes") {
    Inlines in{Strikeout{{Text{"forty"}}}, Text{" sixty H"}, Subscript{{Text{"2"}}}, Text{"O"},
               Note{{make_paragraph("the note")}}, Text{" "}, Image{"a.png", "a harbour", "", ""}};
    CHECK(plain_text(in) == "forty sixty H2O a harbour");  // the note is not running text
    CHECK(plain_text(make_paragraph(in)) == "forty sixty H2O a harbour\nthe note");
    CHECK(plain_text(Block{spanning_table()}) == "Harbour traffic\nQuay\t2023\t2024\na\t1\t2\nwide");
    CHECK(plain_text(Block{Figure{{make_paragraph("img")}, {Text{"cap"}}}}) == "img\ncap");
}

TEST_CASE("normalize merges text inside the new containers and notes") {
    Inlines in{Strikeout{{Text{"a"}, Text{"b"}}}, Note{{make_paragraph(Inlines{Text{"c"}, Text{"d"}})}}};
    normalize(in);
    CHECK(std::get<Strikeout>(in[0]).children == Inlines{Text{"ab"}});
    CHECK(std::get<Note>(in[1]).content[0] == make_paragraph("cd"));
}

TEST_CASE("inline_children names the containers") {
    CHECK(inline_children(Inline{Subscript{{Text{"x"}}}}) != nullptr);
    CHECK(inline_children(Inline{Link{{Text{"x"}}, "u", ""}}) != nullptr);
    CHECK(inline_children(Inline{Note{}}) == nullptr);
    CHECK(inline_children(Inline{Image{}}) == nullptr);
    CHECK(inline_children(Inline{Text{"x"}}) == nullptr);
}

TEST_CASE("remove_list_items keeps task states in step") {
    List l;
    l.items = {{make_paragraph("a")}, {make_paragraph("b")}, {make_paragraph("c")}};
    l.tasks = {TaskState::Open, TaskState::Done, TaskState::None};
    remove_list_items(l, {false, true});
    CHECK(l.items.size() == 2);
    CHECK(l.tasks == std::vector<TaskState>{TaskState::Open, TaskState::None});
    CHECK(l.items[1][0] == make_paragraph("c"));
}

TEST_CASE("equality: task states, resources by content") {
    List plain;
    plain.items = {{make_paragraph("a")}};
    List none = plain;
    none.tasks = {TaskState::None};
    List done = plain;
    done.tasks = {TaskState::Done};
    CHECK(Block{plain} == Block{none});  // no states: every item TaskState::None
    CHECK_FALSE(Block{plain} == Block{done});

    Document a, b;
    a.resources["i"] = png_resource();
    b.resources["i"] = png_resource();  // another pointer, the same content
    CHECK(a == b);
    auto other = std::make_shared<Resource>(*png_resource());
    other->width = 5;
    b.resources["i"] = other;
    CHECK_FALSE(a == b);
    Document c = a;  // copies share the bytes
    CHECK(c.resources["i"].get() == a.resources["i"].get());
}
