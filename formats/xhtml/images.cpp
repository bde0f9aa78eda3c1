// images.cpp: image checks and data: URIs (images.hpp).
#include "xhtml/images.hpp"

#include <tinyxml2.h>

#include "core/text.hpp"

namespace dconv::xhtml {

namespace {

// Elements that run code or carry another document inside an SVG image. SVG Tiny 1.2's
// handler and listener are its script hooks; the others embed HTML or plug-ins.
constexpr std::string_view kRefusedElements[] = {"script", "foreignobject", "handler", "listener",
                                                 "iframe", "embed",         "object"};

std::string local_name(std::string_view name) {
    std::size_t colon = name.rfind(':');
    return text::lower_ascii(colon == std::string_view::npos ? name : name.substr(colon + 1));
}

// Every url(...) in CSS or an attribute points inside the image ("#id").
bool urls_local(std::string_view value) {
    std::string lower = text::lower_ascii(value);
    if (lower.find("@import") != std::string::npos) return false;
    for (std::size_t at = lower.find("url("); at != std::string::npos; at = lower.find("url(", at + 4)) {
        std::size_t target = lower.find_first_not_of(" \t\r\n\"'", at + 4);
        if (target == std::string::npos || lower[target] != '#') return false;
    }
    return true;
}

std::string element_problem(const tinyxml2::XMLElement* element) {
    std::string name = local_name(element->Name());
    for (std::string_view refused : kRefusedElements)
        if (name == refused) return "an SVG image with a <" + std::string(element->Name()) + "> element";
    for (const tinyxml2::XMLAttribute* a = element->FirstAttribute(); a; a = a->Next()) {
        std::string attribute = local_name(a->Name());
        std::string_view value = text::trim(a->Value());
        if (attribute.starts_with("on"))
            return "an SVG image with an event handler (" + std::string(a->Name()) + ")";
        if ((attribute == "href" || attribute == "src") && !value.starts_with("#"))
            return "an SVG image that refers to another file (" + std::string(a->Name()) + ")";
        if (!urls_local(value)) return "an SVG image that refers to another file (url() or @import)";
    }
    for (const tinyxml2::XMLNode* child = element->FirstChild(); child; child = child->NextSibling()) {
        if (const auto* e = child->ToElement()) {
            if (std::string problem = element_problem(e); !problem.empty()) return problem;
        } else if (const auto* t = child->ToText()) {
            // a <style> element's CSS (and any text: harmless unless in <style>)
            if (name == "style" && !urls_local(t->Value()))
                return "an SVG image whose style refers to another file (url() or @import)";
        } else if (child->ToDeclaration() || child->ToUnknown()) {
            return "an SVG image with a processing instruction or declaration inside";
        }
    }
    return {};
}

}  // namespace

std::string svg_problem(std::string_view bytes) {
    tinyxml2::XMLDocument doc;
    if (doc.Parse(bytes.data(), bytes.size()) != tinyxml2::XML_SUCCESS)
        return std::string("an SVG image that is not well-formed XML (") + doc.ErrorName() + ")";
    const tinyxml2::XMLElement* root = doc.RootElement();
    if (!root || local_name(root->Name()) != "svg") return "an SVG image without an <svg> root element";
    for (const tinyxml2::XMLNode* node = doc.FirstChild(); node; node = node->NextSibling()) {
        if (const auto* declaration = node->ToDeclaration()) {
            // only the XML declaration itself; <?xml-stylesheet?> names another file
            std::string_view value = declaration->Value();
            if (!(value.starts_with("xml ") || value == "xml"))
                return "an SVG image with a processing instruction (" + std::string(value.substr(0, 20)) + ")";
        } else if (const auto* unknown = node->ToUnknown()) {
            // a DOCTYPE may declare entities (billion laughs) and name external files
            if (std::string_view(unknown->Value()).find('[') != std::string_view::npos)
                return "an SVG image whose DOCTYPE declares entities";
        }
    }
    return element_problem(root);
}

std::string image_problem(std::string_view media_type, std::string_view bytes) {
    auto mismatch = [&] { return "the image's bytes are not " + std::string(media_type); };
    if (media_type == "image/png") return bytes.starts_with("\x89PNG\r\n\x1A\n") ? "" : mismatch();
    if (media_type == "image/jpeg") return bytes.starts_with("\xFF\xD8\xFF") ? "" : mismatch();
    if (media_type == "image/gif")
        return bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a") ? "" : mismatch();
    if (media_type == "image/webp")
        return bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP" ? "" : mismatch();
    if (media_type == "image/svg+xml") return svg_problem(bytes);
    return "an image of type '" + std::string(media_type) + "', which pages do not show";
}

std::string data_uri(std::string_view media_type, std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out = "data:" + std::string(media_type) + ";base64,";
    out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned n = unsigned(static_cast<unsigned char>(bytes[i])) << 16 |
                     unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8 | static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[n >> 18];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (std::size_t rest = bytes.size() - i; rest > 0) {
        unsigned n = unsigned(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) n |= unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += kAlphabet[n >> 18];
        out += kAlphabet[(n >> 12) & 63];
        out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string DataUriImages::src(const std::string& key, const Resource& resource) {
    auto name = [&] { return resource.origin.empty() ? key : resource.origin; };
    auto [uri, added] = uris_.try_emplace(key);
    if (added) {
        std::string problem = image_problem(resource.media_type, resource.bytes);
        if (problem.empty()) uri->second = data_uri(resource.media_type, resource.bytes);
        else if (diagnostics_)
            diagnostics_->warn("html", "image " + name() + " not shown (" + problem + "): its alt text stands in");
    }
    if (uri->second.empty()) return {};
    if (written_ + resource.bytes.size() > max_bytes_) {
        if (diagnostics_ && !over_reported_)
            diagnostics_->warn("html", "images beyond " + std::to_string(max_bytes_ >> 20) + " MiB in one page (from " +
                                           name() + " on) not shown: their alt text stands in");
        over_reported_ = true;
        return {};
    }
    written_ += resource.bytes.size();
    return uri->second;
}

}  // namespace dconv::xhtml
