// hostile_inputs.hpp: generated documents of a given size in the shapes that have made
// dconv's work grow faster than its input (issue 16), each plausible on the web:
//   forum   an article followed by many prose-shaped paragraphs (forum replies, each
//           broken mid-sentence as text dumps break them, which the cleaner rejoins):
//           the shape that made the recall guard quadratic;
//   links   a link farm: lines of many links;
//   table   one giant table;
//   lists   deep lists, nested a dozen levels, over and over.
// Each shape comes as web text, Markdown and HTML. The words are drawn from a small
// vocabulary by a fixed generator: the same size gives the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dconv::test {

enum class Shape { forum, links, table, lists };
enum class Markup { webtext, markdown, html };

inline const char* shape_name(Shape s) {
    switch (s) {
        case Shape::forum: return "forum";
        case Shape::links: return "links";
        case Shape::table: return "table";
        case Shape::lists: return "lists";
    }
    return "?";
}

class HostileWriter {
public:
    HostileWriter(Markup markup, std::uint64_t seed) : markup_(markup), state_(seed * 2654435761u + 1) {}

    std::string make(Shape shape, std::size_t bytes) {
        out_.clear();
        out_.reserve(bytes + 4096);
        open_page();
        heading("The harbour reopens after two years of repairs");
        for (int p = 0; p < 6; ++p) paragraph(sentences(5));  // the article
        while (out_.size() < bytes) {
            switch (shape) {
                case Shape::forum: reply(); break;
                case Shape::links: link_line(); break;
                case Shape::table: table_rows(bytes); break;
                case Shape::lists: deep_list(); break;
            }
        }
        close_page();
        return std::move(out_);
    }

private:
    std::uint64_t next() {  // xorshift64*
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 2685821657736338717ull;
    }
    std::string_view word() {
        static const std::vector<std::string_view> words = {
            "harbour", "pier", "council", "boats", "season", "repairs", "the", "of", "and", "to",
            "a", "in", "was", "for", "that", "with", "visitors", "engineers", "storm", "winter",
            "residents", "fishing", "quay", "morning", "reopened", "said", "new", "old", "town",
            "lighthouse", "keeper", "crew", "weather", "tide", "ferry", "market", "summer", "plans"};
        return words[next() % words.size()];
    }
    std::string number() { return std::to_string(next() % 100000); }
    std::string sentence() {
        std::string s(word());
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
        int n = 8 + static_cast<int>(next() % 12);
        for (int i = 0; i < n; ++i) {
            s += i == n / 2 ? ", " : " ";
            s += word();
        }
        return s + ".";
    }
    std::string sentences(int n) {
        std::string s;
        for (int i = 0; i < n; ++i) {
            if (i) s += ' ';
            s += sentence();
        }
        return s;
    }
    std::string url() { return "https://example.org/" + std::string(word()) + "/" + number(); }

    void open_page() {
        if (markup_ == Markup::html)
            out_ += "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>The harbour</title></head><body>\n";
    }
    void close_page() {
        if (markup_ == Markup::html) out_ += "</body></html>\n";
    }
    void heading(const std::string& text) {
        if (markup_ == Markup::html) out_ += "<h1>" + text + "</h1>\n";
        else if (markup_ == Markup::markdown) out_ += "# " + text + "\n\n";
        else out_ += text + "\n\n";
    }
    void paragraph(const std::string& text) {
        if (markup_ == Markup::html) out_ += "<p>" + text + "</p>\n";
        else out_ += text + "\n\n";
    }
    // A reply broken mid-sentence into two paragraphs, which the cleaner joins again:
    // the second is prose that is kept, but no longer a block of its own.
    void reply() {
        std::string first = "Reply from member " + number() + ": " + sentences(3);
        first.back() = ' ';
        paragraph(first + "and");
        std::string second = sentences(2);
        second[0] = static_cast<char>(second[0] - 'A' + 'a');
        paragraph(second);
    }
    void link_line() {
        std::string line;
        for (int i = 0; i < 8; ++i) {
            std::string label = std::string(word()) + " " + std::string(word());
            if (markup_ == Markup::html) line += "<a href=\"" + url() + "\">" + label + "</a> | ";
            else line += "[" + label + "](" + url() + ") | ";
        }
        if (markup_ == Markup::html) out_ += "<div>" + line + "</div>\n";
        else out_ += line + "\n\n";
    }
    // The whole rest of the page as one table.
    void table_rows(std::size_t bytes) {
        constexpr int kColumns = 6;
        if (markup_ == Markup::html) {
            out_ += "<table>\n";
            while (out_.size() < bytes) {
                out_ += "<tr>";
                for (int c = 0; c < kColumns; ++c) out_ += "<td>" + std::string(word()) + " " + number() + "</td>";
                out_ += "</tr>\n";
            }
            out_ += "</table>\n";
            return;
        }
        out_ += "|";
        for (int c = 0; c < kColumns; ++c) out_ += " column " + std::to_string(c) + " |";
        out_ += "\n|";
        for (int c = 0; c < kColumns; ++c) out_ += " --- |";
        out_ += "\n";
        while (out_.size() < bytes) {
            out_ += "|";
            for (int c = 0; c < kColumns; ++c) out_ += " " + std::string(word()) + " " + number() + " |";
            out_ += "\n";
        }
        out_ += "\n";
    }
    // A list nested twelve levels deep, an item of prose at each level.
    void deep_list() {
        constexpr int kDepth = 12;
        if (markup_ == Markup::html) {
            for (int d = 0; d < kDepth; ++d) out_ += "<ul><li>" + sentence();
            for (int d = 0; d < kDepth; ++d) out_ += "</li></ul>";
            out_ += "\n";
            return;
        }
        for (int d = 0; d < kDepth; ++d) out_ += std::string(static_cast<std::size_t>(d) * 2, ' ') + "- " + sentence() + "\n";
        out_ += "\n";
    }

    Markup markup_;
    std::uint64_t state_;
    std::string out_;
};

inline std::string hostile_input(Markup markup, Shape shape, std::size_t bytes, std::uint64_t seed = 1) {
    return HostileWriter(markup, seed).make(shape, bytes);
}

}  // namespace dconv::test
