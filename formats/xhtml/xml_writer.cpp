// xml_writer.cpp: XmlWriter over tinyxml2::XMLPrinter.
//
// The printer runs in compact mode: it adds no white space of its own, which in mixed
// content (a paragraph's text and inline elements) and in <pre> would change the text.
// Line breaks between blocks come from newline() instead.
#include "xhtml/xml_writer.hpp"

#include <tinyxml2.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv::xml {

// Streams into a std::string instead of the printer's own buffer (an int-sized array that
// would then be copied once more).
class XmlWriter::Printer : public tinyxml2::XMLPrinter {
public:
    Printer() : XMLPrinter(nullptr, /*compact=*/true) {}
    std::string out;

protected:
    using XMLPrinter::Write;
    void Write(const char* data, size_t size) override { out.append(data, size); }
    void Putc(char ch) override { out += ch; }
    void Print(const char* format, ...) override {
        va_list args;
        va_start(args, format);
        va_list again;
        va_copy(again, args);
        int n = std::vsnprintf(nullptr, 0, format, args);
        va_end(args);
        if (n > 0) {
            std::size_t at = out.size();
            out.resize(at + static_cast<std::size_t>(n) + 1);
            std::vsnprintf(out.data() + at, static_cast<std::size_t>(n) + 1, format, again);
            out.resize(at + static_cast<std::size_t>(n));
        }
        va_end(again);
    }
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
    printer_->PushDeclaration("xml version=\"1.0\" encoding=\"UTF-8\"");
    newline();
}

void XmlWriter::doctype(std::string_view name) {
    printer_->PushUnknown(clean("DOCTYPE " + std::string(name)));
    newline();
}

void XmlWriter::open(const char* name) {
    printer_->OpenElement(name, true);
    open_.push_back(name);
    empty_ = true;
}

void XmlWriter::attribute(const char* name, std::string_view value) {
    printer_->PushAttribute(name, clean(value));
}

void XmlWriter::close() {
    if (empty_ && syntax_ == Syntax::html && !open_.empty() && !is_void_element(open_.back()))
        printer_->PushText("");  // ends the start tag: <x></x>
    printer_->CloseElement(true);
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
    printer_->PushText(clean(s));
    empty_ = false;
}

void XmlWriter::newline() {
    printer_->PushText("\n");
    empty_ = false;
}

void XmlWriter::style_text(std::string_view css) {
    std::string lower = text::lower_ascii(css);
    if (lower.find("</style") != std::string::npos || css.find("]]>") != std::string_view::npos)
        throw Error(ErrorKind::usage, "", 0,
                    "the style contains \"</style\" or \"]]>\" and cannot be embedded in a page");
    printer_->PushText("/*");
    std::string section = "*/\n";
    section += clean(css);
    section += "\n/*";
    printer_->PushText(section.c_str(), /*cdata=*/true);
    printer_->PushText("*/");
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
