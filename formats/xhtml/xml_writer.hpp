// xml_writer.hpp: XML written as it goes, into a string.
//
//     XmlWriter out;
//     out.declaration();
//     out.open("p");
//     out.attribute("class", "note");   // attributes right after open()
//     out.text("a < b & \"c\"");        // escaped
//     out.close();
//     std::string xml = out.take();
//
// Every string is written as XML 1.0 can hold it: characters it forbids (C0 controls but
// tab and newline, C1 controls, U+FFFE and U+FFFF) are dropped, and markup characters are
// escaped (& < > in text; & < > " ' in attribute values).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dconv::xml {

// How an empty element is closed. XML may write any as <x/>; an HTML parser reads a "/>"
// only on void elements (<br/>, <meta/>, ...) and takes <li/> or <a/> for an opening tag,
// so for pages every other element is closed as <x></x>.
enum class Syntax { xml, html };

class XmlWriter {
public:
    explicit XmlWriter(Syntax syntax = Syntax::xml);
    ~XmlWriter();
    XmlWriter(const XmlWriter&) = delete;
    XmlWriter& operator=(const XmlWriter&) = delete;

    // <?xml version="1.0" encoding="UTF-8"?> and a newline.
    void declaration();
    // <!DOCTYPE name> and a newline.
    void doctype(std::string_view name);
    // Opens an element; `name` is trusted (a literal), never user text.
    void open(const char* name);
    // An attribute of the element just opened, before any content.
    void attribute(const char* name, std::string_view value);
    // Closes the innermost open element (see Syntax for an empty one).
    void close();
    // open, text, close.
    void element(const char* name, std::string_view text);
    void text(std::string_view text);
    // A line break between elements, for people reading the file; only where white space
    // does not matter.
    void newline();
    // Raw CSS for a <style> element that an HTML parser (raw text) and an XML parser both
    // read the same way: "/*<![CDATA[*/ css /*]]>*/". Throws dconv::Error(usage) for CSS
    // that would end the element or the section early ("</style", "]]>").
    void style_text(std::string_view css);

    std::size_t size() const;  // bytes written so far
    std::string take();        // the document; the writer is then empty

private:
    class Printer;
    const char* clean(std::string_view s);  // NUL-terminated, forbidden characters dropped
    std::unique_ptr<Printer> printer_;
    Syntax syntax_;
    std::vector<const char*> open_;  // the names of the open elements, innermost last
    bool empty_ = false;             // the innermost element has no content yet
    std::string scratch_;
};

}  // namespace dconv::xml
