// url.cpp: the one URL resolver (RFC 3986 §5.2) of the whole program, used by the HTML
// reader for links and image sources and by the fetcher for pages and feeds. Written here
// rather than taken from libcurl, so that reading an HTML page never loads libcurl.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "dconv/fetch.hpp"

namespace dconv {

namespace {

bool has_scheme(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (std::size_t i = 1; i < s.size(); ++i) {
        char c = s[i];
        if (c == ':') return true;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
}

bool is_url_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Spaces and control characters inside an href (which make a URL invalid in Markdown,
// XHTML and PDF link annotations) percent-encoded, as a browser does; UTF-8 letters and
// existing %XX escapes stay as they are.
std::string encode_unsafe(std::string_view href) {
    return text::percent_encode(href, [](unsigned char c) {
        return c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '`';
    });
}

// RFC 3986 §3: scheme ":" ["//" authority] path ["?" query] ["#" fragment].
struct UrlParts {
    std::string_view scheme, authority, path, query, fragment;
    bool has_authority = false, has_query = false, has_fragment = false;
};

UrlParts split_url(std::string_view u) {
    UrlParts p;
    if (std::size_t hash = u.find('#'); hash != std::string_view::npos) {
        p.fragment = u.substr(hash + 1);
        p.has_fragment = true;
        u = u.substr(0, hash);
    }
    if (std::size_t q = u.find('?'); q != std::string_view::npos) {
        p.query = u.substr(q + 1);
        p.has_query = true;
        u = u.substr(0, q);
    }
    if (has_scheme(u)) {
        std::size_t colon = u.find(':');
        p.scheme = u.substr(0, colon);
        u.remove_prefix(colon + 1);
    }
    if (u.starts_with("//")) {
        u.remove_prefix(2);
        std::size_t slash = u.find('/');
        p.authority = u.substr(0, slash);
        p.has_authority = true;
        u = slash == std::string_view::npos ? std::string_view() : u.substr(slash);
    }
    p.path = u;
    return p;
}

// RFC 3986 §5.2.4, over whole segments: "/a/b/../c/./d" → "/a/c/d".
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> segments;
    bool absolute = path.starts_with('/');
    if (absolute) path.remove_prefix(1);
    bool trailing_slash = false;
    while (true) {
        std::size_t slash = path.find('/');
        std::string_view seg = path.substr(0, slash);
        bool last = slash == std::string_view::npos;
        if (seg == "..") {
            if (!segments.empty()) segments.pop_back();
            trailing_slash = last;
        } else if (seg == ".") {
            trailing_slash = last;
        } else {
            segments.push_back(seg);
            trailing_slash = false;
        }
        if (last) break;
        path.remove_prefix(slash + 1);
    }
    std::string out;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (absolute || i > 0) out += '/';
        out += segments[i];
    }
    if (trailing_slash) out += '/';
    return out;
}

}  // namespace

bool is_web_url(std::string_view input) {
    auto starts = [&](std::string_view prefix) {
        if (input.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(input[i])) != prefix[i]) return false;
        return true;
    };
    return starts("http://") || starts("https://");
}

std::string url_identity(std::string_view url) {
    UrlParts p = split_url(url);
    if (p.scheme.empty() || !p.has_authority) return std::string(url);
    std::string out = text::lower_ascii(p.scheme);
    out += "://";
    // user information keeps its case: only the host (and port) after it is folded
    std::size_t at = p.authority.rfind('@');
    std::size_t host = at == std::string_view::npos ? 0 : at + 1;
    out += p.authority.substr(0, host);
    out += text::lower_ascii(p.authority.substr(host));
    out += url.substr(static_cast<std::size_t>(p.authority.data() + p.authority.size() - url.data()));
    return out;
}

std::string absolute_url(std::string_view base, std::string_view href) {
    while (!href.empty() && is_url_space(href.back())) href.remove_suffix(1);
    while (!href.empty() && is_url_space(href.front())) href.remove_prefix(1);
    if (href.empty() || href[0] == '#' || has_scheme(href) || !is_web_url(base)) return std::string(href);
    std::string h = encode_unsafe(href);
    UrlParts b = split_url(base);
    if (b.authority.empty()) return std::string(href);  // "http:x": no host to resolve against
    UrlParts r = split_url(h);          // no scheme: RFC 3986 §5.2.2 from here
    std::string out(b.scheme);
    out += "://";
    std::string path;
    const UrlParts& query_from = !r.has_authority && r.path.empty() && !r.has_query ? b : r;
    if (r.has_authority) {
        out += r.authority;
        path = remove_dot_segments(r.path);
    } else {
        out += b.authority;
        if (r.path.empty()) {
            path = std::string(b.path);
        } else if (r.path[0] == '/') {
            path = remove_dot_segments(r.path);
        } else {  // merge: the base's path up to its last '/', then the reference's
            std::string merged(b.path.empty() ? std::string_view("/") : b.path.substr(0, b.path.rfind('/') + 1));
            merged += r.path;
            path = remove_dot_segments(merged);
        }
    }
    out += path;
    if (query_from.has_query) {
        out += '?';
        out += query_from.query;
    }
    if (r.has_fragment) {
        out += '#';
        out += r.fragment;
    }
    return out;
}

}  // namespace dconv
