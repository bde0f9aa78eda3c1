// image_source.hpp: which file an <img> shows, and whether it is part of the article.
//
// A page names an image in several places: `src`, a `srcset` of widths or densities,
// the `<source srcset>` of a `<picture>` around it, and the attributes lazy loaders keep
// the real source in until the image scrolls into view (`data-src`, `data-original`,
// `data-lazy-src`, `data-srcset`), while `src` holds a 1×1 placeholder. They are taken
// in that order: lazy attributes, srcset, a <picture>'s <source> for every screen, src,
// a <source> for some screens (`media`). From a srcset, the widest candidate at most
// kPreferredImageWidth wide, else the widest; of densities, the highest up to 2x. A
// placeholder `data:` GIF counts only when there is nothing else. The sources not taken
// are kept as fallbacks, for a saved page that has only some of them.
//
// Decorative images are left out, each with its reason: tracking pixels (a declared side
// of at most kMaxPixelSide), icons and avatars (both declared sides at most
// kMaxIconSide), images without alt text inside a link bar (a block whose text is
// mostly links: the logos and thumbnails of navigation), and images that link to
// another site than the page's, not to an image file (advertisements, affiliate
// products, promotions). Images a batch repeats on
// several pages are the site's (its logo): the cleaner removes those.
//
// Private to formats/html.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "html/html_tree.hpp"

namespace dconv::html {

// A srcset candidate this wide or narrower is preferred: a print page or an e-reader
// screen gains nothing from more, and the file is smaller.
inline constexpr int kPreferredImageWidth = 1600;
// A declared width or height at most this many pixels: a tracking pixel or a spacer.
inline constexpr int kMaxPixelSide = 2;
// Both declared sides at most this: an icon, an emoji, an avatar beside a name.
inline constexpr int kMaxIconSide = 48;
// Other sources of an image kept to fall back on, at most (a srcset of thousands of
// candidates keeps the first few: a saved page has one or two of them).
inline constexpr std::size_t kMaxImageFallbacks = 8;
// A block this much link text (of all its text) is a link bar.
inline constexpr float kLinkBarDensity = 0.5f;

struct ImageSource {
    std::string src;    // as written (relative or absolute); empty: no usable source
    // the other usable sources, best first: the ones after src in the order above, then
    // the other candidates of its srcsets (Image::Extra::fallbacks), at most kMaxImageFallbacks
    std::vector<std::string> fallbacks;
    std::string alt;    // one line, white space collapsed
    std::string title;
    std::string decorative;  // why it is left out; empty when it is content
};

// Lazy loaders keep a copy of the image in a <noscript> right after it (or after its
// <picture> or a small wrapper: at most kMaxNoscriptWrapperDepth levels up, each of at
// most kMaxNoscriptWrapperElements elements and no other image), for readers without
// scripts: `<img src="data:..." data-lazy-src="a.jpg" alt="A"><noscript><img src="a.jpg"
// alt="A"></noscript>`. gumbo parses <noscript> as markup, so the page holds the image
// twice. The image in the <noscript> (its first) is the twin of the one before when they
// have the same alt text, or the first's sources name the second's src. The twins are one
// image: image_source gives the first the best of both (its own sources, unless it names
// only a placeholder, then the copy's; the alt and title of whichever has them), and the
// reader leaves the copy out. Nothing but white space and comments stands between them;
// an image in <noscript> with no twin before it is kept (it may be the only copy).
// Some loaders put the <noscript> first: its image is then the twin of the image right
// after the <noscript> (noscript_original_after), the same way.
inline constexpr int kMaxNoscriptWrapperDepth = 3;
inline constexpr std::uint32_t kMaxNoscriptWrapperElements = 16;

// The source, alt text and title of the <img> at `img`, and whether it is decorative.
// `in_figure`: it stands in a <figure> (never an icon then, whatever its size).
// `page_url`: the page's absolute address, when known (for the other-site rule).
ImageSource image_source(const Page& page, std::uint32_t img, bool in_figure, std::string_view page_url = {});
// For tests: how many times this thread has read one <img>'s own sources (an image's are
// read once, its <noscript> twin's once more; a srcset of thousands makes each read dear).
std::size_t own_source_reads();

// The twin in <noscript> of the <img> at `img` (see kMaxNoscriptWrapperDepth), to be left
// out; kNoElement when it has none. It reads the page after `img` only, so a reader that
// frees what it has read (Page::release_child) may ask it as it meets `img`. It reads no
// source unless a <noscript> follows; when it has read them, `image` is set to what
// image_source(page, img, in_figure, page_url) gives, for the caller to use rather than
// read them again.
std::uint32_t noscript_copy_after(const Page& page, std::uint32_t img, bool in_figure, std::string_view page_url,
                                  std::optional<ImageSource>& image);
// The image right after the <noscript> that holds `copy` (its first image) when `copy` is
// its twin, the <noscript> put first; kNoElement otherwise. Reads the page from `copy` on.
std::uint32_t noscript_original_after(const Page& page, std::uint32_t copy);
// `image` given the sources, alt and title of its twin `copy` (as image_source does).
void merge_noscript_copy(ImageSource& image, ImageSource copy);

// A responsive pair or an animation's frames: a page may show one picture twice in a row,
// a mobile and a desktop copy (one hidden by the site's CSS, which dconv does not read) or
// a first and a last frame. Two images next to each other, nothing but white space
// between them, are the same picture when they have the same source (and the same alt
// text, or one has none), or the same alt text and the same file name once the sizes and
// screen variants in it are taken off (picture_name). The reader writes the first.
bool same_picture(std::string_view src, std::string_view alt, std::string_view other_src, std::string_view other_alt);
// An image file's folder and name, its name lower-cased, without its extension and the
// size and screen variants at its end ("a/b/hero-mobile@2x.png", "a/b/hero-1024x768.jpg?w=600":
// "a/b/hero"), its query kept when it asks for more than a size ("kitchen.jpg?crop=left");
// empty when the source names no file.
std::string picture_name(std::string_view src);

// The leading digits of a declared size ("640", "640px"); 0 when there are none or it
// is a share of the box ("50%").
int declared_pixels(std::string_view value);

// A photo: an image in a <figure>, or one declared larger than an icon on both sides
// (kMaxIconSide), that image_source does not call decorative.
// A photo box: a small box (at most kMaxPhotoBoxElements elements) holding one photo in
// its own link (in a figure: to anywhere; else: to an image file, its larger copy, as a
// card's links to a page) and no link besides, its link's words
// ("Enlarge", "View larger") its only link text; neither it nor the boxes it is the only
// linked image of (up to kMaxPhotoBoxElements) stand beside a box with a linked image (a
// strip of teaser cards or thumbnails: navigation).
inline constexpr std::uint32_t kMaxPhotoBoxElements = 64;
bool is_photo_box(const Page& page, std::uint32_t box);

// The host of an absolute http(s) URL, lower-cased, without "www."; empty otherwise.
std::string url_host(std::string_view url);

// The line a page's image gives the batch profile (html_template_text): what the
// cleaner asks the profile about an image's source. No page's text holds it.
std::string template_image_line(std::string_view src);

// The best URL of a srcset ("a.jpg 480w, b.jpg 1200w" or "a.jpg 1x, b.jpg 2x"); empty if none.
std::string best_of_srcset(std::string_view srcset);

}  // namespace dconv::html
