// image_probe.cpp: what an image file is and how large, from its header; SVG checked
// for what an e-book or a PDF must not carry.
//
// Sizes come from the headers: PNG's IHDR and GIF's screen descriptor at their fixed
// places, JPEG's frame header through stb_image (stbi_info_from_memory, which decodes
// nothing), WebP's through libwebp (WebPGetInfo); SVG is parsed with tinyxml2, which
// expands no DTD entities and refuses elements nested deeper than
// TINYXML2_MAX_ELEMENT_DEPTH. A PNG's chunk structure and a JPEG's segments are
// checked too.
#include "dconv/resources.hpp"

#include <stb_image.h>
#include <tinyxml2.h>
#include <webp/decode.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/text.hpp"
#include "dconv/limits.hpp"

namespace dconv {

namespace {

bool starts_with(std::string_view bytes, std::string_view magic) {
    return bytes.size() >= magic.size() && bytes.compare(0, magic.size(), magic) == 0;
}

// An SVG file starts (after a BOM, white space, an XML declaration, comments or a
// doctype) with its root element. Looking for "<svg" near the start is enough to try
// the parser, which then decides.
constexpr std::size_t kSvgSniffBytes = 4096;

bool looks_like_svg(std::string_view bytes) {
    std::string_view head = bytes.substr(0, kSvgSniffBytes);
    return head.find("<svg") != std::string_view::npos || head.find(":svg") != std::string_view::npos;
}

std::string_view local_name(const char* name) {
    std::string_view n = name ? name : "";
    std::size_t colon = n.find(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// A length of the root's width or height in CSS pixels; 0 when absent, a percentage,
// or not a length.
double svg_length(const char* value) {
    if (!value) return 0;
    char* end = nullptr;
    double number = std::strtod(value, &end);
    if (end == value || !std::isfinite(number) || number <= 0) return 0;
    std::string unit = text::lower_ascii(text::trim(end));
    if (unit.empty() || unit == "px") return number;
    if (unit == "pt") return number * 96.0 / 72.0;
    if (unit == "pc") return number * 16.0;
    if (unit == "in") return number * 96.0;
    if (unit == "cm") return number * 96.0 / 2.54;
    if (unit == "mm") return number * 96.0 / 25.4;
    if (unit == "em") return number * 16.0;
    if (unit == "ex") return number * 8.0;
    return 0;  // "%" and anything else: the size of a container we do not know
}

// What makes an SVG unsafe or not self-contained in an e-book: a script element, an
// event handler attribute (onload=...), or a reference to another file or site (an
// href that is not "#fragment" or a data: URI). Returns the reason, or empty.
std::string svg_problem(const tinyxml2::XMLElement* element) {
    if (local_name(element->Name()) == "script") return "an SVG with a script";
    for (const tinyxml2::XMLAttribute* a = element->FirstAttribute(); a; a = a->Next()) {
        std::string name = text::lower_ascii(a->Name());
        if (name.size() > 2 && name.compare(0, 2, "on") == 0) return "an SVG with an event handler (" + name + ")";
        if (local_name(a->Name()) == "href") {
            std::string_view target = text::trim(a->Value());
            if (!target.empty() && target.front() != '#' && !starts_with(text::lower_ascii(target.substr(0, 5)), "data:"))
                return "an SVG that refers to another file";
        }
    }
    for (const tinyxml2::XMLElement* child = element->FirstChildElement(); child;
         child = child->NextSiblingElement()) {
        std::string problem = svg_problem(child);
        if (!problem.empty()) return problem;
    }
    return {};
}

std::optional<ImageInfo> probe_svg(std::string_view bytes, std::string* why) {
    tinyxml2::XMLDocument xml;
    if (xml.Parse(bytes.data(), bytes.size()) != tinyxml2::XML_SUCCESS) {
        if (why) *why = "not well-formed SVG (" + std::string(xml.ErrorStr() ? xml.ErrorStr() : "parse error") + ")";
        return std::nullopt;
    }
    const tinyxml2::XMLElement* root = xml.RootElement();
    if (!root || local_name(root->Name()) != "svg") {
        if (why) *why = "not an image dconv reads (JPEG, PNG, GIF, WebP, SVG)";
        return std::nullopt;
    }
    if (std::string problem = svg_problem(root); !problem.empty()) {
        if (why) *why = problem;
        return std::nullopt;
    }
    double width = svg_length(root->Attribute("width"));
    double height = svg_length(root->Attribute("height"));
    if (width <= 0 || height <= 0) {
        // viewBox="min-x min-y width height", separated by spaces and/or commas
        if (const char* box = root->Attribute("viewBox")) {
            double v[4] = {0, 0, 0, 0};
            const char* p = box;
            int n = 0;
            for (; n < 4; ++n) {
                while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n' || *p == '\r') ++p;
                char* end = nullptr;
                v[n] = std::strtod(p, &end);
                if (end == p) break;
                p = end;
            }
            if (n == 4 && std::isfinite(v[2]) && std::isfinite(v[3]) && v[2] > 0 && v[3] > 0) {
                // one given dimension keeps the box's proportions
                if (width > 0) height = width * v[3] / v[2];
                else if (height > 0) width = height * v[2] / v[3];
                else width = v[2], height = v[3];
            }
        }
    }
    ImageInfo info{"image/svg+xml", 0, 0};
    if (width > 0 && height > 0 && width < 1e6 && height < 1e6) {
        info.width = std::max(1, static_cast<int>(std::lround(width)));
        info.height = std::max(1, static_cast<int>(std::lround(height)));
    }
    return info;
}

// A PNG's chunks, walked without decompressing anything: each fits in the file, image
// data comes before the end chunk, and the end chunk is there. Catches truncated and
// garbled files, which a header alone does not show (libharu would fail on them late).
bool png_chunks_whole(std::string_view bytes) {
    std::size_t at = 8;
    bool data = false;
    while (at + 12 <= bytes.size()) {
        auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])); };
        std::uint32_t length = byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
        std::string_view type = bytes.substr(at + 4, 4);
        if (length > bytes.size() - at - 12) return false;
        if (type == "IDAT") data = true;
        if (type == "IEND") return data;
        at += 12 + length;
    }
    return false;
}

// A JPEG's segments, walked without decoding anything: each marker segment fits in the
// file, a scan is there, and the entropy-coded data after each scan runs to a marker
// that ends in the end-of-image marker. Catches a file cut short (a download or a copy
// that stopped), which the frame header alone does not show: its bytes go into a PDF
// as they are (DCT), where viewers report it broken.
bool jpeg_segments_whole(std::string_view bytes) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    std::size_t at = 2;  // past SOI
    bool scan = false;
    while (at + 2 <= bytes.size()) {
        if (byte(at) != 0xFF) {
            // stray bytes between segments (some encoders pad after an APPn segment):
            // skipped to the next marker, as libjpeg does with a warning; only running out
            // of file says the file is cut short
            const void* found = std::memchr(bytes.data() + at, 0xFF, bytes.size() - at);
            if (!found) return false;
            at = static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data());
            continue;
        }
        unsigned char marker = byte(at + 1);
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (marker == 0xD9) return scan;  // EOI; what follows it (padding, a trailer) is ignored
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // TEM, RSTn: no length
            at += 2;
            continue;
        }
        if (at + 4 > bytes.size()) return false;
        std::size_t length = static_cast<std::size_t>(byte(at + 2)) << 8 | byte(at + 3);
        if (length < 2 || length > bytes.size() - at - 2) return false;
        at += 2 + length;
        if (marker != 0xDA) continue;
        scan = true;  // SOS: entropy-coded data up to the next marker (not a stuffed 0 or a restart)
        while (at + 1 < bytes.size()) {
            const void* found = std::memchr(bytes.data() + at, 0xFF, bytes.size() - at - 1);
            if (!found) return false;
            at = static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data());
            unsigned char next = byte(at + 1);
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) at += 2;
            else if (next == 0xFF) ++at;
            else break;
        }
    }
    return false;
}

}  // namespace

std::string image_kind_in_words(std::string_view bytes) {
    if (starts_with(bytes, "\x89PNG\r\n\x1A\n")) return "a PNG image";
    if (starts_with(bytes, "\xFF\xD8\xFF")) return "a JPEG image";
    if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "a GIF image";
    if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && bytes.compare(8, 4, "WEBP") == 0) return "a WebP image";
    if (looks_like_svg(bytes)) return "an SVG image";
    return "not an image";
}

std::optional<ImageInfo> probe_image(std::string_view bytes, std::string* why) {
    auto fail = [&](std::string reason) -> std::optional<ImageInfo> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    if (bytes.empty()) return fail("an empty file");
    if (bytes.size() > kMaxImageBytes)
        return fail("larger than " + std::to_string(kMaxImageBytes >> 20) + " MB, the most dconv reads of an image");

    ImageInfo info;
    if (starts_with(bytes, "\x89PNG\r\n\x1A\n")) info.media_type = "image/png";
    else if (starts_with(bytes, "\xFF\xD8\xFF")) info.media_type = "image/jpeg";
    else if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) info.media_type = "image/gif";
    else if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && bytes.compare(8, 4, "WEBP") == 0)
        info.media_type = "image/webp";
    else if (looks_like_svg(bytes)) return probe_svg(bytes, why);
    else return fail("not an image dconv reads (JPEG, PNG, GIF, WebP, SVG)");

    // PNG and GIF give their size at fixed places (stb_image would refuse a large claim
    // as "broken", and the message should say what is wrong); JPEG's is in a frame
    // header after any number of other segments, which stb_image finds.
    std::uint64_t width = 0, height = 0;
    auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])); };
    if (info.media_type == "image/png") {
        if (bytes.size() < 24 || bytes.compare(12, 4, "IHDR") != 0) return fail("a broken PNG file (no header)");
        width = byte(16) << 24 | byte(17) << 16 | byte(18) << 8 | byte(19);
        height = byte(20) << 24 | byte(21) << 16 | byte(22) << 8 | byte(23);
    } else if (info.media_type == "image/gif") {
        if (bytes.size() < 10) return fail("a broken GIF file (no header)");
        width = byte(6) | byte(7) << 8;
        height = byte(8) | byte(9) << 8;
    } else if (info.media_type == "image/webp") {
        int w = 0, h = 0;
        if (!WebPGetInfo(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &w, &h))
            return fail("a broken WebP file");
        width = static_cast<std::uint64_t>(std::max(w, 0));
        height = static_cast<std::uint64_t>(std::max(h, 0));
    } else {
        int w = 0, h = 0, components = 0;
        if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()),
                                   &w, &h, &components))
            // (stbi_failure_reason() is not read: a global shared by the batch's threads)
            return fail("a broken JPEG file, or one too large to decode");
        width = static_cast<std::uint64_t>(std::max(w, 0));
        height = static_cast<std::uint64_t>(std::max(h, 0));
    }
    if (width == 0 || height == 0) return fail("an image without a size");
    if (width * height > kMaxImagePixels)
        return fail("claims " + std::to_string(width) + " x " + std::to_string(height) + " pixels, more than " +
                    std::to_string(kMaxImagePixels) + ", the most dconv reads");
    if (info.media_type == "image/png" && !png_chunks_whole(bytes)) return fail("a truncated or broken PNG file");
    if (info.media_type == "image/jpeg" && !jpeg_segments_whole(bytes))
        return fail("a truncated or broken JPEG file (its data does not reach the end-of-image marker)");
    info.width = static_cast<int>(width);
    info.height = static_cast<int>(height);
    return info;
}

}  // namespace dconv
