#include "html/image_source.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

#include "core/html_text.hpp"
#include "core/text.hpp"

namespace dconv::html {

namespace {

// A data: URI this short is a lazy loader's placeholder (a 1×1 GIF is about 70 bytes),
// not a picture of its own.
constexpr std::size_t kMaxPlaceholderUri = 200;

thread_local std::size_t own_source_read_count = 0;


// The attributes the known lazy loaders keep the real source in (read before srcset).
constexpr const char* kLazySourceAttributes[] = {"data-src", "data-lazy-src", "data-original", "data-lazyload",
                                                 "data-url"};

// The words of lazy loaders' placeholder file names: a name (without extension) made of
// these alone, and sizes ("blank.gif", "lazy_placeholder-1x1.gif", "spacer.png"), is a
// placeholder; a name with a word of its own ("blanket-red.jpg", "transparent-vase.png")
// is a picture.
constexpr std::string_view kPlaceholderWords[] = {"blank", "spacer", "placeholder", "transparent", "pixel", "1x1",
                                                  "empty", "lazy", "loading", "clear", "dummy", "img", "image"};
constexpr std::string_view kImageExtensions[] = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"};

// The file name of a URL or path, lower-cased, and its extension (".gif"), without the query.
std::pair<std::string, std::string> file_name(std::string_view src) {
    src = src.substr(0, src.find_first_of("?#"));
    std::size_t slash = src.rfind('/');
    std::string name = text::lower_ascii(slash == std::string_view::npos ? src : src.substr(slash + 1));
    std::size_t dot = name.rfind('.');
    if (dot == std::string::npos) return {name, {}};
    return {name.substr(0, dot), name.substr(dot)};
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool image_extension(std::string_view extension) {
    return std::find(std::begin(kImageExtensions), std::end(kImageExtensions), extension) != std::end(kImageExtensions);
}

// A lazy loader's placeholder file in `src` ("/images/blank.gif"), standing for the
// picture a script puts in from an attribute of its own.
bool is_placeholder_file(std::string_view src) {
    auto [name, extension] = file_name(text::trim(src));
    if (!image_extension(extension)) return false;
    bool placeholder_word = false;
    std::string_view rest = name;
    while (!rest.empty()) {
        std::size_t end = rest.find_first_of("-_.");
        std::string_view word = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (std::find(std::begin(kPlaceholderWords), std::end(kPlaceholderWords), word) != std::end(kPlaceholderWords))
            placeholder_word = true;
        else if (!word.empty() && !all_digits(word))  // "blank-300": a size beside it
            return false;
    }
    return placeholder_word;
}

// Words in a data- attribute's name that say it holds another picture than the image's
// (shown on an error, a hover state) or no picture at all (Bootstrap's
// data-original-title): data-error-src, data-fallback-src, data-imgfallback-src,
// data-srcerror. Found anywhere in the name.
constexpr std::string_view kOtherPictureWords[] = {"error", "fallback", "placeholder", "title", "hover"};
// A low-resolution preview's word, found only where it starts a segment of the name
// (names_word): "low" is in data-lowsrc and data-src-low, not in data-follow-src or
// data-slow-src.
constexpr std::string_view kPreviewWord = "low";

// Whether a segment of the attribute name `name` (the parts between '-', '_' and ':')
// begins with `word`: a word of the name, or one run into the next ("lowsrc"), not the
// end of another word ("follow").
bool names_word(std::string_view name, std::string_view word) {
    for (std::size_t at = name.find(word); at != std::string_view::npos; at = name.find(word, at + 1))
        if (at == 0 || name[at - 1] == '-' || name[at - 1] == '_' || name[at - 1] == ':') return true;
    return false;
}

// The first `data-` attribute of `node` but the known lazy ones whose name says it holds a
// source ("src", "original") and no other picture (kOtherPictureWords), and whose value is
// an image file's URL, not a placeholder file: the real picture of a loader dconv does not
// know (data-wpfc-original-src, data-src-pc); empty when none.
std::string_view other_lazy_source(const GumboNode* node) {
    const GumboVector& attributes = node->v.element.attributes;
    for (unsigned k = 0; k < attributes.length; ++k) {
        const auto* a = static_cast<const GumboAttribute*>(attributes.data[k]);
        std::string_view name = a->name;
        auto names = [&name](std::string_view word) { return name.find(word) != std::string_view::npos; };
        if (!name.starts_with("data-") || names("srcset") || (!names("src") && !names("original")) ||
            std::any_of(std::begin(kOtherPictureWords), std::end(kOtherPictureWords), names) ||
            names_word(name, kPreviewWord) ||
            std::find(std::begin(kLazySourceAttributes), std::end(kLazySourceAttributes), name) !=
                std::end(kLazySourceAttributes))
            continue;
        std::string_view value = text::trim(a->value);
        if (value.empty() || value.find_first_of(" \t\n") != std::string_view::npos ||
            text::starts_with_ci(value, "data:") || is_placeholder_file(value))
            continue;
        if (image_extension(file_name(value).second)) return value;
    }
    return {};
}

bool is_placeholder(std::string_view src) {
    src = text::trim(src);
    return src.empty() || src == "#" || text::starts_with_ci(src, "about:") ||
           text::starts_with_ci(src, "javascript:") ||
           (text::starts_with_ci(src, "data:") && src.size() <= kMaxPlaceholderUri);
}

struct Candidate {
    std::string url;
    double width = 0;    // from "480w"
    double density = 0;  // from "2x"
};

std::vector<Candidate> parse_srcset(std::string_view s) {
    std::vector<Candidate> out;
    for (auto [url, descriptor] : html_text::srcset_candidates(s)) {
        Candidate c{std::string(url)};
        if (!descriptor.empty()) {
            double value = 0, scale = 0;
            for (char ch : descriptor) {
                if (ch >= '0' && ch <= '9') {
                    if (scale > 0) {
                        value += (ch - '0') * scale;
                        scale /= 10;
                    } else {
                        value = value * 10 + (ch - '0');
                    }
                } else if (ch == '.' && scale == 0) {
                    scale = 0.1;
                } else if (ch == 'w' || ch == 'W') {
                    c.width = value;
                    break;
                } else if (ch == 'x' || ch == 'X') {
                    c.density = value;
                    break;
                } else {
                    break;  // "h" or garbage: no size known
                }
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

// The link names an image file (a larger copy of the picture): no advertisement.
bool links_to_image_file(std::string_view href) {
    std::string path = text::lower_ascii(href.substr(0, href.find_first_of("?#")));
    for (std::string_view ext : {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"})
        if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0) return true;
    return false;
}

// The host of the link around the image when it is another site's and the link is not
// to an image file; empty otherwise (or when the page's own address is unknown).
std::string other_site_link(const Page& page, std::uint32_t img, std::string_view page_url);

}  // namespace

int declared_pixels(std::string_view value) {
    value = text::trim(value);
    int n = 0;
    std::size_t k = 0;
    for (; k < value.size() && k < 6 && value[k] >= '0' && value[k] <= '9'; ++k) n = n * 10 + (value[k] - '0');
    if (k == 0 || (k < value.size() && value[k] == '%')) return 0;  // a share of the box says nothing
    return n;
}

namespace {

bool in_figure(const Page& page, std::uint32_t i) {
    for (std::uint32_t a = i; a != kNoElement; a = page[a].parent)
        if (page[a].tag == GUMBO_TAG_FIGURE) return true;
    return false;
}

// The <a href> holding element k, below `box`; kNoElement when none.
std::uint32_t link_of(const Page& page, std::uint32_t k, std::uint32_t box) {
    for (std::uint32_t a = page[k].parent; a != kNoElement && a != page[box].parent; a = page[a].parent)
        if (page[a].tag == GUMBO_TAG_A && has_attribute(page[a].node, "href")) return a;
    return kNoElement;
}

// The images inside links below `box` (of its first kMaxPhotoBoxElements elements).
int linked_images(const Page& page, std::uint32_t box) {
    int n = 0;
    std::uint32_t end = std::min(page[box].end, box + kMaxPhotoBoxElements);
    for (std::uint32_t k = box; k < end; ++k)
        if (page[k].tag == GUMBO_TAG_IMG && link_of(page, k, box) != kNoElement) ++n;
    return n;
}

// The box, and each box around it of at most kMaxPhotoBoxElements elements, stand
// beside no box with a linked image: not a card in a strip of teasers or thumbnails.
bool stands_apart(const Page& page, std::uint32_t box) {
    for (std::uint32_t a = box; page[a].end - a <= kMaxPhotoBoxElements;) {
        std::uint32_t p = page[a].parent;
        if (p == kNoElement) break;
        std::uint32_t before = a - 1;  // the sibling before: the ancestor of a - 1 below p
        while (before != p && page[before].parent != p) before = page[before].parent;
        if (before != p && linked_images(page, before) != 0) return false;
        if (page[a].end < page[p].end && linked_images(page, page[a].end) != 0) return false;
        a = p;
    }
    return true;
}

}  // namespace

bool is_photo_box(const Page& page, std::uint32_t box) {
    if (page[box].end - box > kMaxPhotoBoxElements) return false;
    bool figure = in_figure(page, box);
    bool in = figure;  // the link stands in a figure (a figure inside a link is a card's picture)
    std::uint32_t photo_link = kNoElement;
    for (std::uint32_t k = box + 1; k < page[box].end; ++k) {
        if (page[k].tag == GUMBO_TAG_A && has_attribute(page[k].node, "href") &&
            (photo_link == kNoElement || k >= page[photo_link].end)) {
            if (photo_link != kNoElement) return false;  // a second link
            photo_link = k;
        }
        if (page[k].tag != GUMBO_TAG_IMG || page[k].skipped) continue;
        if (photo_link == kNoElement || k >= page[photo_link].end) return false;  // an image outside the link
        if (!image_source(page, k, figure || in_figure(page, k)).decorative.empty()) return false;
        in = figure || in_figure(page, photo_link);
        if (!in && (declared_pixels(attribute(page[k].node, "width")) <= kMaxIconSide ||
                    declared_pixels(attribute(page[k].node, "height")) <= kMaxIconSide))
            return false;  // no declared size of a photo
    }
    if (photo_link == kNoElement || linked_images(page, photo_link) != 1) return false;
    // outside a figure, the link is to the photo's larger copy: a card's is to a page
    if (!in && !links_to_image_file(attribute(page[photo_link].node, "href"))) return false;
    return stands_apart(page, box);
}

std::string template_image_line(std::string_view src) {
    return "\x1f" "image " + std::string(text::trim(src));
}

std::string url_host(std::string_view url) {
    url = text::trim(url);
    std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    std::string_view name = url.substr(0, scheme);
    if (!text::starts_with_ci(name, "http")) return {};
    std::string_view rest = url.substr(scheme + 3);
    std::string host = text::lower_ascii(rest.substr(0, rest.find_first_of("/?#:")));
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    return host;
}

std::string best_of_srcset(std::string_view srcset) {
    std::vector<Candidate> candidates = parse_srcset(srcset);
    const Candidate* best = nullptr;
    // widths: the largest at most kPreferredImageWidth, else the largest
    for (const Candidate& c : candidates)
        if (c.width > 0 && c.width <= kPreferredImageWidth && !is_placeholder(c.url) &&
            (!best || c.width > best->width))
            best = &c;
    if (best) return best->url;
    for (const Candidate& c : candidates)
        if (c.width > 0 && !is_placeholder(c.url) && (!best || c.width > best->width)) best = &c;
    if (best) return best->url;
    // densities (none given: 1x): the largest up to 2x, a print resolution
    auto density = [](const Candidate& c) { return c.density > 0 ? c.density : 1.0; };
    for (const Candidate& c : candidates)
        if (density(c) <= 2 && !is_placeholder(c.url) && (!best || density(c) > density(*best))) best = &c;
    if (best) return best->url;
    for (const Candidate& c : candidates)
        if (!is_placeholder(c.url)) return c.url;
    return {};
}

namespace {

std::string other_site_link(const Page& page, std::uint32_t img, std::string_view page_url) {
    std::string own = url_host(page_url);
    if (own.empty()) return {};
    for (std::uint32_t a = page[img].parent; a != kNoElement && !page[a].block; a = page[a].parent) {
        if (page[a].tag != GUMBO_TAG_A) continue;
        std::string_view href = text::trim(attribute(page[a].node, "href"));
        std::string host = url_host(href);
        if (host.empty() || links_to_image_file(href)) return {};
        // a subdomain of either is the same site (img.example.org for example.org)
        auto within = [](const std::string& sub, const std::string& site) {
            return sub == site || (sub.size() > site.size() && sub.compare(sub.size() - site.size(), site.size(), site) == 0 &&
                                   sub[sub.size() - site.size() - 1] == '.');
        };
        if (within(host, own) || within(own, host)) return {};
        return host;
    }
    return {};
}

// The sources, alt text and decision of the <img> at `img` alone (image_source without
// its <noscript> copy).
ImageSource own_image_source(const Page& page, std::uint32_t img, bool in_figure, std::string_view page_url) {
    ++own_source_read_count;
    const GumboNode* node = page[img].node;
    ImageSource out;
    out.alt = text::squeeze_spaces(text::trim(attribute(node, "alt")));
    out.title = text::squeeze_spaces(text::trim(attribute(node, "title")));

    // in order of trust: what a lazy loader will put in, the srcset, a <picture>'s
    // sources, then src
    std::vector<std::string> sources;
    for (const char* name : {"data-srcset", "data-lazy-srcset"})
        sources.push_back(best_of_srcset(attribute(node, name)));
    for (const char* name : kLazySourceAttributes) sources.emplace_back(text::trim(attribute(node, name)));
    sources.push_back(best_of_srcset(attribute(node, "srcset")));
    std::uint32_t parent = page[img].parent;
    std::string with_media;
    if (parent != kNoElement && page[parent].tag == GUMBO_TAG_UNKNOWN &&
        text::lower_ascii(unknown_tag_name(page[parent].node)) == "picture") {
        for (std::uint32_t k = parent + 1; k < page[parent].end; k = page[k].end) {
            if (page[k].tag != GUMBO_TAG_SOURCE) continue;
            std::string best = best_of_srcset(attribute(page[k].node, "srcset"));
            if (best.empty()) best = best_of_srcset(attribute(page[k].node, "data-srcset"));
            if (best.empty()) continue;
            if (!has_attribute(page[k].node, "media")) {
                sources.push_back(std::move(best));
                break;
            }
            if (with_media.empty()) with_media = std::move(best);
        }
    }
    std::string_view src = text::trim(attribute(node, "src"));
    // a placeholder file in src: another loader's attribute, when one names a picture (the
    // attributes first: most images have none, and the name is not read then)
    if (std::string_view other = other_lazy_source(node); !other.empty() && is_placeholder_file(src))
        sources.emplace_back(other);
    sources.emplace_back(src);
    // a source for some screens only, when the image itself names nothing
    if (!with_media.empty()) sources.push_back(std::move(with_media));
    // every candidate of the srcsets, for the fallbacks
    std::vector<std::string> more;
    auto add_all = [&more](std::string_view srcset) {
        for (Candidate& c : parse_srcset(srcset)) more.push_back(std::move(c.url));
    };
    for (const char* name : {"data-srcset", "data-lazy-srcset", "srcset"}) add_all(attribute(node, name));
    if (parent != kNoElement && page[parent].tag == GUMBO_TAG_UNKNOWN &&
        text::lower_ascii(unknown_tag_name(page[parent].node)) == "picture")
        for (std::uint32_t k = parent + 1; k < page[parent].end; k = page[k].end)
            if (page[k].tag == GUMBO_TAG_SOURCE) {
                add_all(attribute(page[k].node, "srcset"));
                add_all(attribute(page[k].node, "data-srcset"));
            }
    sources.insert(sources.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    for (const std::string& s : sources) {
        std::string_view source = text::trim(s);
        if (is_placeholder(source)) continue;
        if (out.src.empty()) out.src = std::string(source);
        else if (out.fallbacks.size() < kMaxImageFallbacks && source != out.src &&
                 !text::starts_with_ci(source, "data:") &&
                 std::find(out.fallbacks.begin(), out.fallbacks.end(), source) == out.fallbacks.end())
            out.fallbacks.emplace_back(source);
    }
    // an inline image of its own, however small, when nothing else names one
    if (out.src.empty() && text::starts_with_ci(src, "data:image/") && src.size() > 40) {
        out.src = std::string(src);
        if (src.size() <= kMaxPlaceholderUri) out.decorative = "a placeholder (a tiny data: image) and no real source";
    }

    int width = declared_pixels(attribute(node, "width"));
    int height = declared_pixels(attribute(node, "height"));
    if (out.src.empty()) {
        if (out.decorative.empty()) out.decorative = "no usable source";
    } else if ((width > 0 && width <= kMaxPixelSide) || (height > 0 && height <= kMaxPixelSide)) {
        out.decorative = "a tracking pixel (declared " + std::to_string(width) + "x" + std::to_string(height) + ")";
    } else if (!in_figure && width > 0 && height > 0 && width <= kMaxIconSide && height <= kMaxIconSide) {
        out.decorative = "an icon or avatar (declared " + std::to_string(width) + "x" + std::to_string(height) + ")";
    } else if (std::string off_site = other_site_link(page, img, page_url); !off_site.empty()) {
        out.decorative = "a link to another site (" + off_site + "): an advertisement or promotion";
    } else if (out.alt.empty()) {
        bool in_link = false;
        std::uint32_t block = kNoElement;
        for (std::uint32_t a = parent; a != kNoElement; a = page[a].parent) {
            if (page[a].tag == GUMBO_TAG_A) in_link = true;
            if (page[a].block) {
                block = a;
                break;
            }
        }
        if (in_link && block != kNoElement && page[block].all.chars > 0 &&
            page[block].all.link_density() > kLinkBarDensity)
            out.decorative = "no alt text, inside a link bar (link density " +
                             std::to_string(static_cast<int>(page[block].all.link_density() * 100)) + "%)";
    }
    return out;
}

// The element just before element `i` among its parent's children, with nothing but
// white space and comments between them; kNoElement when text or nothing stands there.
std::uint32_t previous_sibling(const Page& page, std::uint32_t i) {
    std::uint32_t parent = page[i].parent;
    if (parent == kNoElement || i == 0 || i - 1 == parent) return kNoElement;
    std::uint32_t before = i - 1;
    while (before != kNoElement && page[before].parent != parent) before = page[before].parent;
    if (before == kNoElement) return kNoElement;
    const GumboNode* node = page[i].node;
    const GumboNode* up = node->parent;
    if (!up || (up->type != GUMBO_NODE_ELEMENT && up->type != GUMBO_NODE_TEMPLATE)) return kNoElement;
    const GumboVector& children = up->v.element.children;
    for (std::size_t k = node->index_within_parent; k-- > 0;) {
        const auto* child = static_cast<const GumboNode*>(children.data[k]);
        if (child->type == GUMBO_NODE_WHITESPACE || child->type == GUMBO_NODE_COMMENT) continue;
        return child == page[before].node ? before : kNoElement;
    }
    return kNoElement;
}

// Whether `box` holds no image but `img`, <noscript> aside.
bool only_image(const Page& page, std::uint32_t box, std::uint32_t img) {
    for (std::uint32_t k = box; k < page[box].end;) {
        if (page[k].tag == GUMBO_TAG_NOSCRIPT) {
            k = page[k].end;
            continue;
        }
        if (page[k].tag == GUMBO_TAG_IMG && k != img) return false;
        ++k;
    }
    return true;
}

// Whether `copy` (an image in <noscript>) is the twin of `own`: the same alt text, or a
// source `own` names.
bool twins(const ImageSource& own, const ImageSource& copy) {
    return own.alt == copy.alt || (!copy.src.empty() && (own.src == copy.src ||
           std::find(own.fallbacks.begin(), own.fallbacks.end(), copy.src) != own.fallbacks.end()));
}

// The first image of the <noscript> that follows `img` or its wrapper (see the header):
// the twin `img` may have, found from the page's structure alone, before any source is
// read (most images have no <noscript> after them); kNoElement when there is none.
std::uint32_t noscript_image_after(const Page& page, std::uint32_t img) {
    std::uint32_t box = img;
    for (int level = 0; level <= kMaxNoscriptWrapperDepth && box != kNoElement; ++level) {
        if (page[box].end - box > kMaxNoscriptWrapperElements || !only_image(page, box, img)) return kNoElement;
        std::uint32_t next = page[box].end;
        if (next < page.size() && page[next].tag == GUMBO_TAG_NOSCRIPT && page[next].parent == page[box].parent) {
            if (previous_sibling(page, next) != box) return kNoElement;
            for (std::uint32_t k = next + 1; k < page[next].end; ++k)
                if (page[k].tag == GUMBO_TAG_IMG) return k;
            return kNoElement;
        }
        box = page[box].parent;
    }
    return kNoElement;
}

// `img`'s sources (own_image_source) with those of its twin in the <noscript> after it
// merged in, and the twin in `copy` (kNoElement when it has none).
ImageSource sources_and_copy(const Page& page, std::uint32_t img, bool in_figure, std::string_view page_url,
                             std::uint32_t& copy) {
    ImageSource out = own_image_source(page, img, in_figure, page_url);
    copy = noscript_image_after(page, img);
    if (copy == kNoElement) return out;
    ImageSource twin = own_image_source(page, copy, in_figure, page_url);
    if (!twins(out, twin)) {
        copy = kNoElement;
        return out;
    }
    merge_noscript_copy(out, std::move(twin));
    return out;
}

}  // namespace

ImageSource image_source(const Page& page, std::uint32_t img, bool in_figure, std::string_view page_url) {
    std::uint32_t copy = kNoElement;
    return sources_and_copy(page, img, in_figure, page_url, copy);
}

std::size_t own_source_reads() { return own_source_read_count; }

void merge_noscript_copy(ImageSource& out, ImageSource copy) {
    // the copy's sources after the image's own, or before them when the image names only a
    // placeholder (the real file is in <noscript> alone)
    std::vector<std::string> sources;
    bool own_first = !out.src.empty() && !text::starts_with_ci(out.src, "data:");
    if (own_first) sources.push_back(std::move(out.src));
    sources.push_back(std::move(copy.src));
    if (!own_first) sources.push_back(std::move(out.src));
    for (std::string& s : own_first ? out.fallbacks : copy.fallbacks) sources.push_back(std::move(s));
    for (std::string& s : own_first ? copy.fallbacks : out.fallbacks) sources.push_back(std::move(s));
    out.src.clear();
    out.fallbacks.clear();
    for (std::string& s : sources) {
        if (s.empty()) continue;
        if (out.src.empty()) out.src = std::move(s);
        else if (out.fallbacks.size() < kMaxImageFallbacks && s != out.src && !text::starts_with_ci(s, "data:") &&
                 std::find(out.fallbacks.begin(), out.fallbacks.end(), s) == out.fallbacks.end())
            out.fallbacks.push_back(std::move(s));
    }
    if (out.alt.empty()) out.alt = std::move(copy.alt);
    if (out.title.empty()) out.title = std::move(copy.title);
    // content when either copy is (a placeholder's declared 1x1 is not the picture's)
    if (copy.decorative.empty()) out.decorative.clear();
}

namespace {

// The query parameters of image services and CDNs that ask for a size or an encoding of
// the same picture (?w=600&dpr=2&fm=webp): two sources differing in these alone are one
// picture; any other parameter (?crop=left) may name another.
constexpr std::string_view kSizeParameters[] = {"w", "h", "width", "height", "dpr", "q",
                                                "quality", "fm", "format", "auto", "fit"};

// The size and screen variants a file name may end in, after '-' or '_'.
constexpr std::string_view kScreenVariants[] = {"mobile", "mob", "desktop", "tablet", "phone", "small", "medium",
                                                "large", "sm", "md", "lg", "xl", "scaled", "thumb", "retina"};

// `name` without one variant at its end ("@2x", "-mobile", "-1024x768", "-800w"); false
// when it ends in none.
bool strip_variant(std::string& name) {
    std::size_t at = name.find_last_of("-_@");
    if (at == std::string::npos || at == 0) return false;
    std::string_view tail = std::string_view(name).substr(at + 1);
    bool variant = false;
    if (name[at] == '@') {
        variant = tail.size() >= 2 && tail.back() == 'x' && all_digits(tail.substr(0, tail.size() - 1));
    } else if (std::size_t x = tail.find('x'); x != std::string_view::npos) {
        variant = all_digits(tail.substr(0, x)) && all_digits(tail.substr(x + 1));  // 1024x768
    } else if (tail.size() >= 2 && tail.back() == 'w') {
        variant = all_digits(tail.substr(0, tail.size() - 1));  // 800w
    } else {
        variant = std::find(std::begin(kScreenVariants), std::end(kScreenVariants), tail) != std::end(kScreenVariants);
    }
    if (variant) name.resize(at);
    return variant;
}

}  // namespace

std::string picture_name(std::string_view src) {
    src = text::trim(src);
    if (text::starts_with_ci(src, "data:")) return {};
    std::string name = file_name(src).first;
    while (strip_variant(name)) {
    }
    if (name.empty()) return {};
    const std::string_view path = src.substr(0, src.find_first_of("?#"));
    const std::size_t slash = path.rfind('/');
    std::string out = std::string(slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1)) + name;
    // a query asking for more than a size (?crop=left) names another picture of the file
    if (std::size_t question = src.find('?'); question != std::string_view::npos) {
        std::string_view query = src.substr(question + 1);
        query = query.substr(0, query.find('#'));
        std::string_view rest = query;
        while (!rest.empty()) {
            std::size_t amp = rest.find('&');
            std::string_view parameter = rest.substr(0, amp);
            rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
            std::string key = text::lower_ascii(parameter.substr(0, parameter.find('=')));
            if (!key.empty() && std::find(std::begin(kSizeParameters), std::end(kSizeParameters), key) ==
                                    std::end(kSizeParameters)) {
                out += "?" + std::string(query);
                break;
            }
        }
    }
    return out;
}

bool same_picture(std::string_view src, std::string_view alt, std::string_view other_src, std::string_view other_alt) {
    if (src.empty() || other_src.empty()) return false;
    if (src == other_src) return alt == other_alt || alt.empty() || other_alt.empty();
    if (alt != other_alt) return false;
    std::string name = picture_name(src);
    return !name.empty() && name == picture_name(other_src);
}

std::uint32_t noscript_original_after(const Page& page, std::uint32_t copy) {
    std::uint32_t box = page[copy].parent;
    for (int level = 0; level <= kMaxNoscriptWrapperDepth && box != kNoElement; ++level, box = page[box].parent) {
        if (page[box].tag != GUMBO_TAG_NOSCRIPT) continue;
        std::uint32_t first = box + 1;
        while (first < page[box].end && page[first].tag != GUMBO_TAG_IMG) ++first;
        if (first != copy) return kNoElement;
        std::uint32_t next = page[box].end;
        if (next >= page.size() || page[next].parent != page[box].parent || previous_sibling(page, next) != box ||
            page[next].end - next > kMaxNoscriptWrapperElements)
            return kNoElement;
        std::uint32_t img = kNoElement;
        for (std::uint32_t k = next; k < page[next].end; ++k)
            if (page[k].tag == GUMBO_TAG_IMG) {
                if (img != kNoElement) return kNoElement;
                img = k;
            }
        if (img == kNoElement) return kNoElement;
        ImageSource own = own_image_source(page, img, false, {});
        ImageSource twin = own_image_source(page, copy, false, {});
        return twins(own, twin) ? img : kNoElement;
    }
    return kNoElement;
}

std::uint32_t noscript_copy_after(const Page& page, std::uint32_t img, bool in_figure, std::string_view page_url,
                                  std::optional<ImageSource>& image) {
    if (noscript_image_after(page, img) == kNoElement) return kNoElement;
    std::uint32_t copy = kNoElement;
    image = sources_and_copy(page, img, in_figure, page_url, copy);
    return copy;
}

}  // namespace dconv::html
