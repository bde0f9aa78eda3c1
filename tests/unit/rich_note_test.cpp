// rich_note_test: the Markdown note of issue 12's "Done when" (tests/data/rich/note.md:
// front matter with a list, a GFM table with alignments and a caption, a local image in a
// figure, a footnote, a task list, strikethrough) read through the front door, with its
// image loaded; written back as Markdown and read again, it is the same model.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "dconv/convert.hpp"
#include "dconv/model.hpp"
#include "unit/markdown_test_support.hpp"

using namespace dconv;

namespace {

const std::string kNote = std::string(DCONV_SOURCE_DIR) + "/tests/data/rich/note.md";

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Read as the command reads a file: the image is found beside the note.
Document read_note(const std::string& markdown, Diagnostics& diag) {
    ReadOptions in;
    in.source_name = kNote;
    return read_document(markdown, in, diag);
}

}  // namespace

TEST_CASE("rich note: every node is read, the image loaded") {
    Diagnostics diag;
    Document doc = read_note(file_text(kNote), diag);
    CHECK(diag.warnings() == 0);
    REQUIRE(validate(doc).empty());
    CHECK(doc.meta.title == "Harbour traffic, 2024");
    CHECK(doc.meta.lists.at("tags") == std::vector<std::string>{"harbour", "shipping", "notes"});

    REQUIRE(doc.blocks.size() == 5);
    const auto& first = std::get<Paragraph>(doc.blocks[0].node).content;
    CHECK(std::count_if(first.begin(), first.end(), [](const Inline& in) { return std::holds_alternative<Strikeout>(in); }) == 1);
    const auto* note = std::get_if<Note>(&first.back());
    REQUIRE(note);
    CHECK(plain_text(note->content.front()).find("corrected figure came a week later") != std::string::npos);

    const auto& figure = std::get<Figure>(doc.blocks[1].node);
    CHECK(plain_text(figure.caption) == "The east quay at dawn. Photo: A. Writer");
    const auto& image = std::get<Image>(std::get<Paragraph>(figure.content.front().node).content.front());
    CHECK(image.resource == "img-1.png");
    REQUIRE(doc.resources.count("img-1.png"));
    CHECK(doc.resources.at("img-1.png")->width == 48);
    CHECK(doc.resources.at("img-1.png")->height == 32);

    const auto& table = std::get<Table>(doc.blocks[2].node);
    CHECK(table.columns == std::vector<Alignment>{Alignment::Left, Alignment::Right, Alignment::Right, Alignment::Center});
    CHECK(table.head.size() == 1);
    CHECK(table.body.size() == 3);
    CHECK(plain_text(table.caption) == "Tonnage by quay (tonnes)");

    const auto& tasks = std::get<List>(doc.blocks[4].node);
    CHECK(tasks.tasks == std::vector<TaskState>{TaskState::Done, TaskState::Open, TaskState::Open});
}

TEST_CASE("rich note: written as Markdown and read again, the same model") {
    Diagnostics diag;
    Document doc = read_note(file_text(kNote), diag);
    std::string markdown = write_document(doc, "md", {});
    Diagnostics again_diag;
    Document again = read_note(markdown, again_diag);
    INFO(markdown);
    INFO(test::describe(again) << "\nexpected:\n" << test::describe(doc));
    CHECK(again == doc);  // resources compared by content
    CHECK(write_document(again, "md", {}) == markdown);
}

TEST_CASE("rich note: plain text keeps the table's rows, the image's alt text and the note") {
    Diagnostics diag;
    Document doc = read_note(file_text(kNote), diag);
    std::string text = write_document(doc, "txt", {});
    INFO(text);
    CHECK(text.find("[Image: The east quay at dawn]") != std::string::npos);
    CHECK(text.find("The east quay at dawn. Photo: A. Writer") != std::string::npos);
    CHECK(text.find("~~forty~~ sixty") != std::string::npos);
    CHECK(text.find("[1] The port authority's release") != std::string::npos);
    CHECK(text.find("[x] collect the quay figures") != std::string::npos);
    CHECK(text.find("Quay           2023     2024  Change\n"
                    "----------  -------  -------  ------\n"
                    "East quay   120,400  141,900  +17.9%\n") != std::string::npos);
}
