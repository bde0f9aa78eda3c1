// xml_writer.cpp: XmlWriter, XML written into a string as it goes.
//
// The output is what tinyxml2's XMLPrinter wrote in compact mode, which this replaced
// (the golden files did not change): no white space of its own, which in mixed content
// (a paragraph's text and inline elements) and in <pre> would change the text; line
// breaks between blocks come from newline() instead. It is dconv's own because
// XMLPrinter, subclassed to stream into a string, tied the command to tinyxml2's
// vtables, and so to loading tinyxml2 and libstdc++.so at every start (issue 16): the
// rest of tinyxml2's use, parsing feeds and SVG, is by function calls that can load it
// on first use.
#include "xhtml/xml_writer.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv::xml {

// The printer: the start tag is left open ("<p class=\"x\"") until content or the
// element's end seals it, so that an empty element can be written "<x/>".
class XmlWriter::Printer {
public:
    std::string out;

    void open_element(const char* name) {
        seal();
        names_.push_back(name);
        out += '<';
        out += name;
        just_opened_ = true;
    }
    void attribute(const char* name, const char* value) {
        out += ' ';
        out += name;
        out += "=\"";
        escape(value, false);
        out += '"';
    }
    void close_element() {
        const char* name = names_.empty() ? "" : names_.back();
        if (!names_.empty()) names_.pop_back();
        if (just_opened_) {
            out += "/>";
        } else {
            out += "</";
            out += name;
            out += '>';
        }
        just_opened_ = false;
    }
    void text(const char* s) {
        seal();
        escape(s, true);
    }
    void cdata(const char* s) {
        seal();
        out += "<![CDATA[";
        out += s;
        out += "]]>";
    }
    // <?value?> and <!value>
    void declaration(const char* value) {
        seal();
        out += "<?";
        out += value;
        out += "?>";
    }
    void unknown(const char* value) {
        seal();
        out += "<!";
        out += value;
        out += '>';
    }

private:
    void seal() {
        if (!just_opened_) return;
        just_opened_ = false;
        out += '>';
    }
    // & < > always; " and ' too in attribute values. One table look-up per byte: the
    // text of a whole book passes through here.
    void escape(const char* s, bool text) {
        static constexpr const char* kEntities[] = {nullptr, "&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
        static constexpr auto kEntity = [] {
            std::array<unsigned char, 256> table{};
            table['&'] = 1;
            table['<'] = 2;
            table['>'] = 3;
            table['"'] = 4;
            table['\''] = 5;
            return table;
        }();
        const unsigned char last = text ? 3 : 5;  // text leaves quotes alone
        const char* run = s;
        const char* q = s;
        for (; *q; ++q) {
            unsigned char entity = kEntity[static_cast<unsigned char>(*q)];
            if (entity == 0 || entity > last) continue;
            out.append(run, static_cast<std::size_t>(q - run));
            out += kEntities[entity];
            run = q + 1;
        }
        out.append(run, static_cast<std::size_t>(q - run));
    }

    std::vector<const char*> names_;
    bool just_opened_ = false;
};

namespace {

// Is the code point one XML 1.0 cannot hold, or one that means nothing in text (C1)?
bool forbidden(char32_t c) {
    if (c < 0x20) return c != '\t' && c != '\n';
    return (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF;
}

// A quick look for bytes that might start a forbidden character: C0 bytes, DEL, the lead
// byte of U+0080-U+009F (C2) and of U+FFFE/U+FFFF (EF).
bool may_need_cleaning(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char ch) {
        auto c = static_cast<unsigned char>(ch);
        return c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xEF;
    });
}

// HTML's void elements: the only ones an HTML parser reads as closed by "/>".
bool is_void_element(std::string_view name) {
    static constexpr std::string_view kVoid[] = {"area", "base", "br",   "col",   "embed", "hr",  "img",
                                                 "input", "link", "meta", "source", "track", "wbr"};
    return std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid);
}

}  // namespace

XmlWriter::XmlWriter(Syntax syntax) : printer_(std::make_unique<Printer>()), syntax_(syntax) {}
XmlWriter::~XmlWriter() = default;

const char* XmlWriter::clean(std::string_view s) {
    scratch_.clear();
    if (!may_need_cleaning(s)) {
        scratch_.assign(s);
        return scratch_.c_str();
    }
    for (std::size_t i = 0; i < s.size();) {
        std::size_t at = i;
        char32_t c = text::next(s, i);
        if (!forbidden(c)) scratch_.append(s.substr(at, i - at));
    }
    return scratch_.c_str();
}

void XmlWriter::declaration() {
    printer_->declaration("xml version=\"1.0\" encoding=\"UTF-8\"");
    newline();
}

void XmlWriter::doctype(std::string_view name) {
    printer_->unknown(clean("DOCTYPE " + std::string(name)));
    newline();
}

void XmlWriter::open(const char* name) {
    printer_->open_element(name);
    open_.push_back(name);
    empty_ = true;
}

void XmlWriter::attribute(const char* name, std::string_view value) {
    printer_->attribute(name, clean(value));
}

void XmlWriter::close() {
    if (empty_ && syntax_ == Syntax::html && !open_.empty() && !is_void_element(open_.back()))
        printer_->text("");  // ends the start tag: <x></x>
    printer_->close_element();
    if (!open_.empty()) open_.pop_back();
    empty_ = false;
}

void XmlWriter::element(const char* name, std::string_view text_content) {
    open(name);
    text(text_content);
    close();
}

void XmlWriter::text(std::string_view s) {
    if (s.empty()) return;
    printer_->text(clean(s));
    empty_ = false;
}

void XmlWriter::newline() {
    printer_->text("\n");
    empty_ = false;
}

void XmlWriter::style_text(std::string_view css) {
    std::string lower = text::lower_ascii(css);
    if (lower.find("</style") != std::string::npos || css.find("]]>") != std::string_view::npos)
        throw Error(ErrorKind::usage, "", 0,
                    "the style contains \"</style\" or \"]]>\" and cannot be embedded in a page");
    printer_->text("/*");
    std::string section = "*/\n";
    section += clean(css);
    section += "\n/*";
    printer_->cdata(section.c_str());
    printer_->text("*/");
    empty_ = false;
}

std::size_t XmlWriter::size() const { return printer_->out.size(); }

std::string XmlWriter::take() {
    std::string out = std::move(printer_->out);
    printer_ = std::make_unique<Printer>();
    open_.clear();
    empty_ = false;
    return out;
}

}  // namespace dconv::xml
