// markdown_spec_test.cpp: runs the Markdown reader's spec examples
// (tests/spec/markdown_reader.md), input and expected model side by side, after cmark's
// spec.txt. The model is compared as a readable dump: metadata fields, then one line per
// block with its source lines, inlines in pandoc's native style, then the warnings. Each
// example is also checked against the tree rules (validate) and, written back as
// Markdown and read again, must give the same model (the round trip).
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "dconv/model.hpp"
#include "markdown/markdown_reader.hpp"
#include "markdown/markdown_writer.hpp"
#include "unit/markdown_test_support.hpp"

using namespace dconv;

namespace {

struct Example {
    std::string name;
    bool roundtrip = true;
    std::string input;
    std::string expected;
    int line = 0;
};

// The spec file's stand-ins for what an editor would lose or hide: "→" a tab, "␣" a
// space (trailing spaces, a hard break), "⏎" a carriage return, "⟨BOM⟩" a byte order mark.
std::string unescape(std::string s) {
    const std::pair<std::string_view, std::string_view> marks[] = {
        {"→", "\t"}, {"␣", " "}, {"⏎", "\r"}, {"⟨BOM⟩", "\xEF\xBB\xBF"}};
    for (const auto& [mark, byte] : marks)
        for (std::size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at + byte.size()))
            s.replace(at, mark.size(), byte);
    return s;
}

std::vector<Example> load_examples(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<Example> out;
    std::string line, heading;
    int no = 0;
    std::string* into = nullptr;
    while (std::getline(in, line)) {
        ++no;
        if (line.rfind("## ", 0) == 0) heading = line.substr(3);
        if (line.rfind("~~~~ markdown", 0) == 0) {
            Example ex;
            ex.name = heading;
            ex.roundtrip = line.find("no-roundtrip") == std::string::npos;
            ex.line = no;
            out.push_back(std::move(ex));
            into = &out.back().input;
        } else if (line == "~~~~ model" && !out.empty()) {
            into = &out.back().expected;
        } else if (line == "~~~~") {
            into = nullptr;
        } else if (into) {
            *into += line;
            *into += '\n';
        }
    }
    for (Example& ex : out) ex.input = unescape(ex.input);
    return out;
}

void dump(const Blocks& blocks, int indent, std::string& out) {
    for (const Block& b : blocks) {
        out.append(static_cast<std::size_t>(indent) * 2, ' ');
        std::string lines;
        if (b.source.known()) {  // appended piece by piece: g++ 12 warns (-Wrestrict) on the sum
            lines = " @";
            lines += std::to_string(b.source.first);
            if (b.source.last != b.source.first) {
                lines += '-';
                lines += std::to_string(b.source.last);
            }
        }
        std::visit(test::Overload{
                       [&](const Heading& h) {
                           out += "Header " + std::to_string(h.level) + lines + ' ';
                           test::describe(h.content, out);
                           out += '\n';
                       },
                       [&](const Paragraph& p) {
                           out += "Para" + lines + ' ';
                           test::describe(p.content, out);
                           out += '\n';
                       },
                       [&](const CodeBlock& c) {
                           out += "CodeBlock" + lines + ' ';
                           test::quote(c.info, out);
                           out += ' ';
                           test::quote(c.text, out);
                           out += '\n';
                       },
                       [&](const ThematicBreak&) { out += "HorizontalRule" + lines + '\n'; },
                       [&](const BlockQuote& q) {
                           out += "BlockQuote" + lines + '\n';
                           dump(q.children, indent + 1, out);
                       },
                       [&](const List& l) {
                           out += l.ordered ? "OrderedList " + std::to_string(l.start) : std::string("BulletList");
                           out += l.tight ? " tight" : " loose";
                           out += lines + '\n';
                           for (std::size_t i = 0; i < l.items.size(); ++i) {
                               out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                               TaskState t = l.task(i);
                               out += t == TaskState::Done ? "item [x]\n" : t == TaskState::Open ? "item [ ]\n" : "item\n";
                               dump(l.items[i], indent + 2, out);
                           }
                       },
                       [&](const Figure& f) {
                           out += "Figure" + lines + ' ';
                           test::describe(f.caption, out);
                           out += '\n';
                           dump(f.content, indent + 1, out);
                       },
                       [&](const DefinitionList& d) {
                           out += "DefinitionList" + lines + '\n';
                           for (const DefinitionItem& item : d.items) {
                               for (const Inlines& term : item.terms) {
                                   out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                                   out += "term ";
                                   test::describe(term, out);
                                   out += '\n';
                               }
                               for (const Blocks& definition : item.definitions) {
                                   out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                                   out += "definition\n";
                                   dump(definition, indent + 2, out);
                               }
                           }
                       },
                       [&](const Table& t) {
                           out += "Table" + lines + " [";
                           for (Alignment a : t.columns)
                               out += a == Alignment::Left ? 'L' : a == Alignment::Center ? 'C' : a == Alignment::Right ? 'R' : 'D';
                           out += "] ";
                           test::describe(t.caption, out);
                           out += '\n';
                           for (const auto* section : {&t.head, &t.body})
                               for (const TableRow& row : *section) {
                                   out.append(static_cast<std::size_t>(indent + 1) * 2, ' ');
                                   out += section == &t.head ? "head" : "row";
                                   out += '\n';
                                   for (const TableCell& cell : row.cells) {
                                       out.append(static_cast<std::size_t>(indent + 2) * 2, ' ');
                                       out += "cell";
                                       if (cell.row_span != 1 || cell.col_span != 1)
                                           out += ' ' + std::to_string(cell.row_span) + 'x' + std::to_string(cell.col_span);
                                       out += '\n';
                                       dump(cell.content, indent + 3, out);
                                   }
                               }
                       },
                   },
                   b.node);
    }
}

std::string dump(const Document& doc, const Diagnostics& diag) {
    std::string out;
    auto field = [&](const char* name, const std::string& value) {
        if (value.empty()) return;
        out += std::string("meta ") + name + ' ';
        test::quote(value, out);
        out += '\n';
    };
    field("title", doc.meta.title);
    field("subtitle", doc.meta.subtitle);
    for (const std::string& a : doc.meta.authors) field("author", a);
    field("date", doc.meta.date);
    field("site", doc.meta.site);
    field("language", doc.meta.language);
    field("source", doc.meta.source);
    for (const auto& [key, value] : doc.meta.extra) field(key.c_str(), value);
    for (const auto& [key, items] : doc.meta.lists) {
        out += "meta " + key + " [";
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0) out += ", ";
            test::quote(items[i], out);
        }
        out += "]\n";
    }
    dump(doc.blocks, 0, out);
    for (const Diagnostic& d : diag.items())
        if (d.severity == Severity::warning)
            out += "warning @" + std::to_string(d.first_line) + " " + d.pass + ": " + d.action + "\n";
    return out;
}

}  // namespace

TEST_CASE("markdown reader spec examples") {
    auto examples = load_examples(DCONV_SOURCE_DIR "/tests/spec/markdown_reader.md");
    REQUIRE(examples.size() >= 40);
    for (const Example& ex : examples) {
        DYNAMIC_SECTION("spec line " << ex.line << ": " << ex.name) {
            Diagnostics diag;
            Document doc = read_markdown(ex.input, ReadOptions{}, diag);
            CHECK(dump(doc, diag) == ex.expected);
            CHECK(validate(doc).empty());
            if (ex.roundtrip) {
                std::string written = write_markdown(doc, WriteOptions{});
                Diagnostics again;
                Document back = read_markdown(written, ReadOptions{}, again);
                INFO("written back:\n" << written);
                CHECK(test::describe(back) == test::describe(doc));
                CHECK(back == doc);
            }
        }
    }
}
