// epub_test_support.hpp: shared by the XHTML, EPUB and epubcheck tests: documents that
// try to break a writer, reading a zip back, parsing XML, and running epubcheck.
#pragma once

#include <sys/wait.h>
#include <tinyxml2.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <future>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "dconv/document.hpp"
#include "dconv/model.hpp"
#include "support/sanitizers.hpp"

namespace dconv::test {

namespace fs = std::filesystem;

// ------------------------------------------------------------------------ documents

// Every character XML and HTML treat specially, in one string.
inline const std::string kMarkup = "<b>&amp; \"quoted\" 'single' </p>]]> &#x41; <!-- -->";

inline Inlines text(std::string s) { return {Text{std::move(s)}}; }

inline Block heading(int level, std::string s) { return make_heading(level, std::move(s)); }
inline Block paragraph(Inlines content) { return make_paragraph(std::move(content)); }
inline Block paragraph(std::string s) { return make_paragraph(std::move(s)); }

// Metadata and text full of markup characters, in every field and every kind of block.
inline Document markup_document() {
    Document doc;
    doc.meta.title = "Title " + kMarkup;
    doc.meta.subtitle = "Subtitle " + kMarkup;
    doc.meta.authors = {"Author " + kMarkup, "O'Brien & \"Sons\""};
    doc.meta.date = "2024-02-29";
    doc.meta.site = "Site " + kMarkup;
    doc.meta.language = "en";
    doc.meta.source = "https://example.org/a?b=1&c=<2>";
    doc.meta.extra = {{"description", "Description " + kMarkup}, {"keywords", "k<&\"'>"},
                      {"alt-title", "Alt " + kMarkup}};
    doc.blocks.push_back(heading(2, "Heading " + kMarkup));
    doc.blocks.push_back(paragraph("Text " + kMarkup));
    doc.blocks.push_back(paragraph(Inlines{
        Text{"A link "}, Link{text("to <&\"'>"), "https://example.org/?q=\"<&>\"&x='y'#f#g", "t<&\"'>"},
        Text{", a relative one "}, Link{text("here"), "page.html?a=<b>", ""},
        Text{", a script "}, Link{text("js"), "javascript:alert('x')", ""}, Text{", "},
        Emphasis{text("em <&>")}, Text{" "}, Strong{text("strong \"'")}, Text{" "},
        Code{"code <&\"'>"}, LineBreak{}, Text{"after a break"}}));
    doc.blocks.push_back(Block{CodeBlock{"c++ <&\"'>", "if (a < b && c > d)\n    return \"x\";"}});
    List list;
    list.items = {{paragraph("item " + kMarkup)}, {paragraph("second"), paragraph("more <&>")}};
    doc.blocks.push_back(Block{list});
    doc.blocks.push_back(Block{BlockQuote{{paragraph("quoted " + kMarkup)}}});
    doc.blocks.push_back(Block{ThematicBreak{}});
    doc.blocks.push_back(heading(3, "Control \x01 and \xEF\xBF\xBE characters"));
    return doc;
}

// Chinese, with Japanese and Korean runs, and Latin text inside.
inline Document cjk_document() {
    Document doc;
    doc.meta.title = "百年变局与世纪疫情下的中国外交";
    doc.meta.authors = {"王毅"};
    doc.meta.date = "2020-12-11";
    doc.meta.site = "外交部";
    doc.meta.language = "zh";
    doc.blocks.push_back(heading(2, "一、中国外交的新征程"));
    doc.blocks.push_back(paragraph("2020年是极不平凡的一年。面对百年变局和世纪疫情，中国同世界各国一道，守望相助、共克时艰。"
                                   "“人类命运共同体”(a community with a shared future)的理念深入人心。"));
    doc.blocks.push_back(paragraph("日本語の文：これは日本語です。한국어 문장: 이것은 한국어입니다."));
    doc.blocks.push_back(heading(2, "二、展望"));
    doc.blocks.push_back(paragraph("「引号」『书名号』《书名》……——破折号。"));
    return doc;
}

// Arabic, with an English and a Hebrew paragraph inside.
inline Document rtl_document() {
    Document doc;
    doc.meta.title = "العلاقات الدولية في القرن الحادي والعشرين";
    doc.meta.authors = {"كاتب"};
    doc.meta.language = "ar";
    doc.blocks.push_back(heading(2, "مقدمة"));
    doc.blocks.push_back(paragraph("هذه فقرة باللغة العربية، وفيها كلمة English في وسطها ورقم 2024."));
    doc.blocks.push_back(paragraph("An English paragraph in an Arabic book."));
    doc.blocks.push_back(paragraph("פסקה בעברית בתוך ספר בערבית."));
    List list;
    list.ordered = true;
    list.items = {{paragraph("أولا")}, {paragraph("ثانيا")}};
    doc.blocks.push_back(Block{list});
    return doc;
}

// Headings with nothing under them, empty headings and paragraphs, an empty list item,
// a heading level skipped.
inline Document empty_sections_document() {
    Document doc;
    doc.meta.title = "Empty sections";
    doc.meta.language = "en";
    doc.blocks.push_back(heading(2, "First, empty"));
    doc.blocks.push_back(heading(2, "Second, empty"));
    doc.blocks.push_back(heading(4, "Deep, after a skipped level"));
    doc.blocks.push_back(heading(2, ""));
    doc.blocks.push_back(heading(3, "   "));
    doc.blocks.push_back(paragraph(""));
    doc.blocks.push_back(paragraph(Inlines{LineBreak{}}));
    List list;
    list.items = {{}, {paragraph("")}};
    doc.blocks.push_back(Block{list});
    doc.blocks.push_back(Block{BlockQuote{}});
    doc.blocks.push_back(heading(2, "Last, empty"));
    return doc;
}

// Headings only, and no title: the first heading names the book.
inline Document heading_only_document() {
    Document doc;
    doc.meta.language = "en";
    for (int i = 1; i <= 12; ++i) doc.blocks.push_back(heading(1 + (i % 3), "Heading number " + std::to_string(i)));
    return doc;
}

// A long document: more than one page of the EPUB.
inline Document long_document(int paragraphs = 5000) {
    Document doc;
    doc.meta.title = "Five thousand paragraphs";
    doc.meta.language = "en";
    for (int i = 1; i <= paragraphs; ++i) {
        if (i % 500 == 1) doc.blocks.push_back(heading(2, "Part " + std::to_string(i / 500 + 1)));
        doc.blocks.push_back(paragraph("Paragraph " + std::to_string(i) +
                                       ": the quick brown fox jumps over the lazy dog, again & again."));
    }
    return doc;
}

// A 1x1 PNG.
inline const std::string kTinyPng(
    "\x89\x50\x4E\x47\x0D\x0A\x1A\x0A\x00\x00\x00\x0D\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01"
    "\x08\x02\x00\x00\x00\x90\x77\x53\xDE\x00\x00\x00\x0C\x49\x44\x41\x54\x78\x9C\x63\x38\xD3\xE1\x02"
    "\x00\x03\xBC\x01\x99\x3A\x7A\x60\x43\x00\x00\x00\x00\x49\x45\x4E\x44\xAE\x42\x60\x82",
    69);

// ----------------------------------------------------------------- rich content

inline const fs::path kRichData = fs::path(DCONV_SOURCE_DIR) / "tests/data/rich";

inline std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A resource read from tests/data/rich, as the resource resolver would load it.
inline std::shared_ptr<const Resource> rich_resource(const std::string& file, std::string media_type, int width,
                                                     int height) {
    auto r = std::make_shared<Resource>();
    r->media_type = std::move(media_type);
    r->bytes = read_bytes(kRichData / file);
    r->width = width;
    r->height = height;
    r->origin = "tests/data/rich/" + file;
    return r;
}

inline Block rich_figure(Inlines content, Inlines caption) {
    Figure f;
    f.content.push_back(make_paragraph(std::move(content)));
    f.caption = std::move(caption);
    return Block{f};
}

inline TableCell cell(std::string s, int row_span = 1, int col_span = 1) {
    TableCell c;
    c.content.push_back(make_paragraph(std::move(s)));
    c.row_span = row_span;
    c.col_span = col_span;
    return c;
}

inline TableRow row(std::vector<std::string> cells) {
    TableRow r;
    for (auto& c : cells) r.cells.push_back(cell(std::move(c)));
    return r;
}

// An illustrated article with everything the model holds beyond text: three images (a
// JPEG and a PNG in figures with captions, a bare GIF), an SVG, an image that was not
// resolved, a table with a caption, alignments and four rows, a table with spans,
// strikeout, sub- and superscript, two notes (one of two paragraphs, one in a table
// cell), and a task list.
inline Document rich_document() {
    Document doc;
    doc.meta.title = "Harbour traffic in 2024";
    doc.meta.authors = {"A. Lee"};
    doc.meta.date = "2024-03-01";
    doc.meta.language = "en";
    doc.resources["img-1.jpg"] = rich_resource("harbour.jpg", "image/jpeg", 320, 180);
    doc.resources["img-2.png"] = rich_resource("quays.png", "image/png", 240, 120);
    doc.resources["img-3.gif"] = rich_resource("badge.gif", "image/gif", 48, 48);
    doc.resources["img-4.svg"] = rich_resource("compass.svg", "image/svg+xml", 64, 64);

    Note first;
    first.content.push_back(paragraph("Port authority figures, revised in January."));
    Note second;
    second.content.push_back(paragraph("Measured at the outer buoy."));
    second.content.push_back(paragraph(Inlines{Text{"Salinity rose to 3.5% NaCl ("}, Text{"H"},
                                               Subscript{text("2")}, Text{"O at 12 "}, Superscript{text("o")},
                                               Text{"C)."}}));
    doc.blocks.push_back(paragraph(Inlines{Text{"Traffic rose by "}, Strikeout{text("forty")}, Text{" sixty ships"},
                                           first, Text{" while the water, mostly H"}, Subscript{text("2")},
                                           Text{"O, stayed at 10"}, Superscript{text("-3")}, Text{" grams of salt"},
                                           second, Text{"."}}));
    doc.blocks.push_back(rich_figure(Inlines{Image{"harbour.jpg", "The east quay at dawn", "", "img-1.jpg"}},
                                     Inlines{Text{"The east quay at dawn. "}, Emphasis{text("Photo: A. Lee")}}));
    doc.blocks.push_back(paragraph(Inlines{Image{"badge.gif", "Award badge", "2024 award", "img-3.gif"},
                                           Text{" The harbour won this year's award; "},
                                           Image{"compass.svg", "compass", "", "img-4.svg"},
                                           Text{" marks the pilot station. A remote map: "},
                                           Image{"https://example.org/map.png", "Map of the quays", "", ""},
                                           Text{"."}}));
    Table table;
    table.caption = text("Tonnage by quay");
    table.columns = {Alignment::Left, Alignment::Right, Alignment::Right, Alignment::Right};
    table.head = {row({"Quay", "2023", "2024", "Change"})};
    table.body = {row({"East quay", "120,400", "141,900", "+17.9%"}), row({"West quay", "98,200", "97,050", "-1.2%"}),
                  row({"North quay", "45,000", "51,300", "+14.0%"})};
    Note in_cell;
    in_cell.content.push_back(paragraph("Reopened in May after dredging."));
    table.body[2].cells[0].content[0] = paragraph(Inlines{Text{"North quay"}, in_cell});
    doc.blocks.push_back(Block{table});
    doc.blocks.push_back(rich_figure(Inlines{Image{"quays.png", "Bar chart of tonnage by quay", "", "img-2.png"}},
                                     text("Tonnage by quay, 2024 (thousand tonnes).")));
    Table spans;
    spans.columns = {Alignment::Default, Alignment::Center, Alignment::Center};
    TableRow head;
    head.cells = {cell("Berth", 2), cell("Shift", 1, 2)};
    spans.head = {head, row({"Day", "Night"})};
    TableRow body;
    body.cells = {cell("A1"), cell("Open all day", 1, 2)};
    spans.body = {body, row({"A2", "Yes", "No"})};
    doc.blocks.push_back(Block{spans});
    List tasks;
    tasks.items = {{paragraph("Dredge the north quay")}, {paragraph("Repaint the buoys")}, {paragraph("Plain item")}};
    tasks.tasks = {TaskState::Done, TaskState::Open, TaskState::None};
    doc.blocks.push_back(Block{tasks});
    return doc;
}

// --------------------------------------------------------------------------- files

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spit(const fs::path& p, std::string_view bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline fs::path fresh_dir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("dconv-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// One entry of a zip, as its central directory lists it.
struct ZipEntry {
    std::string name;
    std::string data;
    bool stored = false;
};

// The entries of a zip in their order, with their data; empty when it is not a zip.
inline std::vector<ZipEntry> unzip(const std::string& bytes) {
    std::vector<ZipEntry> out;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
    if (!archive) {
        if (source) zip_source_free(source);
        zip_error_fini(&error);
        return out;
    }
    zip_int64_t n = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st);
        ZipEntry e;
        e.name = st.name;
        e.stored = st.comp_method == ZIP_CM_STORE;
        e.data.resize(st.size);
        zip_file_t* f = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
        if (f) {
            zip_fread(f, e.data.data(), st.size);
            zip_fclose(f);
        }
        out.push_back(std::move(e));
    }
    zip_discard(archive);
    zip_error_fini(&error);
    return out;
}

inline const ZipEntry* find_entry(const std::vector<ZipEntry>& entries, std::string_view name) {
    for (const ZipEntry& e : entries)
        if (e.name == name) return &e;
    return nullptr;
}

// The first local file header of a zip, read byte by byte as `unzip -l` would see it.
struct LocalHeader {
    bool valid = false;
    unsigned method = 0;
    unsigned extra_length = 0;
    std::string name;
    std::string data;  // when stored
};

inline LocalHeader first_local_header(const std::string& zip) {
    LocalHeader h;
    auto u16 = [&](std::size_t at) { return unsigned(static_cast<unsigned char>(zip[at])) | unsigned(static_cast<unsigned char>(zip[at + 1])) << 8; };
    auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
    if (zip.size() < 30 || zip.compare(0, 4, "PK\x03\x04") != 0) return h;
    h.method = u16(8);
    std::size_t compressed = u32(18);
    std::size_t name_length = u16(26);
    h.extra_length = u16(28);
    if (zip.size() < 30 + name_length + h.extra_length + compressed) return h;
    h.name = zip.substr(30, name_length);
    h.data = zip.substr(30 + name_length + h.extra_length, compressed);
    h.valid = true;
    return h;
}

// ----------------------------------------------------------------------------- XML

// Empty when `xml` is well-formed; else tinyxml2's complaint.
inline std::string xml_problem(const std::string& xml) {
    tinyxml2::XMLDocument doc;
    if (doc.Parse(xml.c_str(), xml.size()) == tinyxml2::XML_SUCCESS) return {};
    return doc.ErrorStr();
}

inline const tinyxml2::XMLElement* find_element(const tinyxml2::XMLElement* root, std::string_view name,
                                                std::string_view attribute = {}, std::string_view value = {}) {
    if (!root) return nullptr;
    if (root->Name() == name &&
        (attribute.empty() || (root->Attribute(std::string(attribute).c_str()) &&
                               root->Attribute(std::string(attribute).c_str()) == value)))
        return root;
    for (auto* child = root->FirstChildElement(); child; child = child->NextSiblingElement())
        if (auto* hit = find_element(child, name, attribute, value)) return hit;
    return nullptr;
}

// The visible text of an element and everything inside it.
inline std::string element_text(const tinyxml2::XMLNode* node) {
    std::string out;
    for (auto* child = node->FirstChild(); child; child = child->NextSibling()) {
        if (auto* t = child->ToText()) out += t->Value();
        else out += element_text(child);
    }
    return out;
}

// A nav's tree: each <li>'s link text and its children.
struct NavEntry {
    std::string text;
    std::string href;
    std::vector<NavEntry> children;
};

inline std::vector<NavEntry> nav_entries(const tinyxml2::XMLElement* ol) {
    std::vector<NavEntry> out;
    if (!ol) return out;
    for (auto* li = ol->FirstChildElement("li"); li; li = li->NextSiblingElement("li")) {
        NavEntry e;
        if (auto* a = li->FirstChildElement("a")) {
            e.text = element_text(a);
            e.href = a->Attribute("href") ? a->Attribute("href") : "";
        }
        e.children = nav_entries(li->FirstChildElement("ol"));
        out.push_back(std::move(e));
    }
    return out;
}

// The table of contents of an EPUB's nav.xhtml.
inline std::vector<NavEntry> epub_toc(const std::string& nav_xhtml) {
    tinyxml2::XMLDocument doc;
    doc.Parse(nav_xhtml.c_str(), nav_xhtml.size());
    const auto* nav = find_element(doc.RootElement(), "nav", "epub:type", "toc");
    return nav ? nav_entries(nav->FirstChildElement("ol")) : std::vector<NavEntry>{};
}

// The elements of a page with this name (and attribute value, when given), in order.
inline void find_all(const tinyxml2::XMLElement* root, std::string_view name,
                     std::vector<const tinyxml2::XMLElement*>& out) {
    if (!root) return;
    if (root->Name() == name) out.push_back(root);
    for (auto* child = root->FirstChildElement(); child; child = child->NextSiblingElement())
        find_all(child, name, out);
}

inline void collect_links(const tinyxml2::XMLElement* e, std::vector<std::string>& ids,
                          std::vector<std::string>& fragments) {
    if (const char* id = e->Attribute("id")) ids.push_back(id);
    if (const char* href = e->Attribute("href"); href && href[0] == '#') fragments.push_back(href + 1);
    for (auto* child = e->FirstChildElement(); child; child = child->NextSiblingElement())
        collect_links(child, ids, fragments);
}

// The in-page links ("#x") of a page that point at no id on it; "unparsable" when the
// page is not well-formed.
inline std::vector<std::string> broken_fragments(const std::string& page) {
    tinyxml2::XMLDocument doc;
    if (doc.Parse(page.c_str(), page.size()) != tinyxml2::XML_SUCCESS) return {"unparsable"};
    std::vector<std::string> ids, fragments, broken;
    collect_links(doc.RootElement(), ids, fragments);
    for (const std::string& f : fragments)
        if (std::find(ids.begin(), ids.end(), f) == ids.end()) broken.push_back(f);
    return broken;
}

// ------------------------------------------------------------------------ epubcheck

inline const char* const kEpubcheckJar = "/usr/share/java/epubcheck.jar";

inline int run_command(const std::string& command) {
    int status = std::system(command.c_str());
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Is epubcheck there to run? tools/setup.sh installs it (Debian's epubcheck, which
// brings a Java runtime); its tests fail rather than skip without it.
inline std::string epubcheck_missing() {
    if (run_command("java -version >/dev/null 2>&1") != 0)
        return "java not found: run tools/setup.sh (it installs epubcheck and a Java runtime)";
    if (!fs::exists(kEpubcheckJar))
        return std::string(kEpubcheckJar) + " not found: run tools/setup.sh (Debian package epubcheck)";
    return {};
}

struct EpubcheckResult {
    fs::path file;
    int status = -1;
    int fatals = -1, errors = -1, warnings = -1;
    std::string output;
    bool clean() const { return status == 0 && fatals == 0 && errors == 0 && warnings == 0; }
};

// Runs epubcheck on one file. The JVM flags shorten its start (about 1 s of the 2-3 s a
// run takes): no optimising compiler, the serial collector.
inline EpubcheckResult epubcheck(const fs::path& file) {
    EpubcheckResult r;
    r.file = file;
    fs::path log = file;
    log += ".epubcheck.txt";
    r.status = run_command("java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + std::string(kEpubcheckJar) +
                           " '" + file.string() + "' >'" + log.string() + "' 2>&1");
    r.output = slurp(log);
    std::size_t at = r.output.find("Messages: ");
    if (at != std::string::npos)
        std::sscanf(r.output.c_str() + at, "Messages: %d fatals / %d errors / %d warnings", &r.fatals, &r.errors,
                    &r.warnings);
    return r;
}

// epubcheck on several files, as many at once as there are cores: each run is a JVM that
// mostly waits on one core. In the sanitizer build (tools/sanitize.sh) only the last file
// is checked: there the point is dconv's code, which still wrote every file (and the
// caller still reads each one back); epubcheck, 3 s of a JVM's CPU a file and no
// sanitizer's, would check again the same bytes that the Release suite's run checked
// (a writer's output does not depend on the build). The callers put the file that holds
// the most last (a bundle of the others, say).
inline std::vector<EpubcheckResult> epubcheck_all(std::vector<fs::path> files) {
    if (dconv::testing::kAddressSanitizer && files.size() > 1) files.erase(files.begin(), files.end() - 1);
    std::vector<EpubcheckResult> results(files.size());
    std::size_t parallel = std::max(2u, std::thread::hardware_concurrency());
    for (std::size_t start = 0; start < files.size(); start += parallel) {
        std::vector<std::future<EpubcheckResult>> running;
        for (std::size_t i = start; i < std::min(files.size(), start + parallel); ++i)
            running.push_back(std::async(std::launch::async, epubcheck, files[i]));
        for (std::size_t i = 0; i < running.size(); ++i) results[start + i] = running[i].get();
    }
    return results;
}

}  // namespace dconv::test
