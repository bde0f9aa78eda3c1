// resolve.cpp: finds, loads and checks the images of a document (resources.hpp).
#include "dconv/resources.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <system_error>
#include <unordered_map>

#include "core/text.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

constexpr const char* kPass = "resources";
// A page with thousands of broken images would drown the other warnings: after this many
// per document, the rest are counted in one last warning.
constexpr std::size_t kMaxImageWarnings = 20;
// A data: URI names itself in messages by its start only.
constexpr std::size_t kMaxSourceInMessage = 80;

// ------------------------------------------------------------------ walking the tree

// Calls f(image, line) for every Image, in document order (each_inline's: notes where
// they are referenced); `line` is the enclosing block's first source line.
template <class F>
void each_image(Blocks& blocks, F& f) {
    each_inline(blocks, [&f](Inline& in, const Block& block) {
        if (auto* image = std::get_if<Image>(&in.base())) f(*image, block.source.first);
    });
}

// ---------------------------------------------------------------------- the sources

std::string scheme_of(std::string_view src) {
    std::size_t colon = src.find(':');
    if (colon == std::string_view::npos || colon < 2) return {};  // "c:\x" is a path, not a scheme
    for (std::size_t i = 0; i < colon; ++i) {
        char c = src[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        if (!ok) return {};
    }
    return text::lower_ascii(src.substr(0, colon));
}

bool is_url(std::string_view s) {
    std::string scheme = scheme_of(s);
    return scheme == "http" || scheme == "https";
}

// `reference` resolved against the page's URL `base` (RFC 3986 section 5.2, without
// removing dot segments: servers do that).
std::string join_url(std::string_view base, std::string_view reference) {
    std::string scheme = scheme_of(base);
    std::size_t authority_start = scheme.size() + 3;  // after "scheme://"
    std::size_t path_start = base.find_first_of("/?#", authority_start);
    if (path_start == std::string_view::npos) path_start = base.size();
    if (reference.starts_with("//")) return scheme + ":" + std::string(reference);
    if (reference.starts_with("/")) return std::string(base.substr(0, path_start)) + std::string(reference);
    std::string_view path = base.substr(0, base.find_first_of("?#", path_start));
    if (reference.starts_with("?")) return std::string(path) + std::string(reference);
    std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || slash < path_start) return std::string(path) + "/" + std::string(reference);
    return std::string(path.substr(0, slash + 1)) + std::string(reference);
}

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;  // '-' and '_': the URL-safe alphabet
    if (c == '/' || c == '_') return 63;
    return -1;
}

std::optional<std::string> base64_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size() / 4 * 3 + 3);
    unsigned buffer = 0;
    int bits = 0;
    for (char c : s) {
        if (c == '=' || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        int v = base64_value(c);
        if (v < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

struct Loaded {
    std::string bytes;
    std::string origin;       // for Resource::origin
    std::string media_type;   // declared (data: URIs), or empty
};

// Where a source led: bytes, a remote URL to fetch, or why not.
struct Located {
    std::optional<Loaded> loaded;
    std::string remote_url;
    std::string problem;
};

Located decode_data_uri(std::string_view src) {
    Located out;
    std::size_t comma = src.find(',');
    if (comma == std::string_view::npos) {
        out.problem = "a data: URI without data";
        return out;
    }
    std::string header = text::lower_ascii(src.substr(5, comma - 5));
    std::string_view data = src.substr(comma + 1);
    bool base64 = header.size() >= 7 && header.compare(header.size() - 7, 7, ";base64") == 0;
    std::size_t decoded_size = base64 ? data.size() / 4 * 3 : data.size() / 3;  // at least
    if (decoded_size > kMaxImageBytes) {
        out.problem = "a data: URI larger than " + std::to_string(kMaxImageBytes >> 20) + " MB, the most dconv reads of an image";
        return out;
    }
    Loaded loaded;
    loaded.origin = "data:";
    loaded.media_type = header.substr(0, header.find(';'));
    if (base64) {
        std::optional<std::string> bytes = base64_decode(data);
        if (!bytes) {
            out.problem = "a data: URI with broken base64";
            return out;
        }
        loaded.bytes = std::move(*bytes);
    } else {
        loaded.bytes = text::percent_decode(data);
    }
    out.loaded = std::move(loaded);
    return out;
}

// A regular file of at most kMaxImageBytes, read whole; empty optional when it is not
// there, `problem` set when it is there but cannot be used.
std::optional<std::string> read_image_file(const std::filesystem::path& path, std::string& problem) {
    std::error_code error;
    auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) return std::nullopt;
    if (!std::filesystem::is_regular_file(status)) {
        problem = "not a regular file";
        return std::nullopt;
    }
    auto size = std::filesystem::file_size(path, error);
    if (error) {
        problem = "cannot be read (" + error.message() + ")";
        return std::nullopt;
    }
    if (size > kMaxImageBytes) {
        problem = "larger than " + std::to_string(kMaxImageBytes >> 20) + " MB, the most dconv reads of an image";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(size)) || in.gcount() != static_cast<std::streamsize>(size)) {
        problem = "cannot be read";
        return std::nullopt;
    }
    return bytes;
}

// Where a local path led: the regular file it names, or why none.
struct LocalFile {
    std::filesystem::path path;  // empty: none
    std::string problem;         // when none
    bool refused = false;        // a file is there but is not a regular file
};

class Locator {
public:
    explicit Locator(const ResourceOptions& options) : options_(options) {}

    Located locate(std::string_view written) const {
        Located out;
        std::string_view src = text::trim(written);
        if (src.empty()) {
            out.problem = "an image without a source";
            return out;
        }
        std::string scheme = scheme_of(src);
        if (scheme == "data") return decode_data_uri(src);
        if (scheme == "http" || scheme == "https") {
            out.remote_url = std::string(src);
            return out;
        }
        if (src.starts_with("//")) {
            out.remote_url = (is_url(options_.base) ? scheme_of(options_.base) : std::string("https")) + ":" + std::string(src);
            return out;
        }
        if (scheme == "file") {
            if (!options_.absolute_paths) {
                out.problem = "a file: URL in a web page (not followed)";
                return out;
            }
            std::string_view path = src.substr(5);
            if (path.starts_with("//")) {  // file://host/path: only the local host
                path.remove_prefix(2);
                std::size_t slash = path.find('/');
                std::string_view host = path.substr(0, slash);
                if (!host.empty() && host != "localhost") {
                    out.problem = "a file: URL on another host";
                    return out;
                }
                path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
            }
            return load(find_named(text::percent_decode(path)));
        }
        if (!scheme.empty()) {
            out.problem = "a " + scheme + ": source (not loadable)";
            return out;
        }
        if (is_url(options_.base)) {
            out.remote_url = join_url(options_.base, src);
            return out;
        }
        if (src.starts_with("/") && !options_.absolute_paths) {
            out.problem = "a path from the site's root, and the page's address is unknown";
            return out;
        }
        return load(find_file(src));
    }

    // The file a local path names, in the one order that loading and rebasing
    // (rebase_image_sources) share: the path as written, then without its ?query or
    // #fragment ("img/a.png?v=2" is the file "img/a.png", unless a file has that very
    // name); each percent-decoded, then as written ("page%20files/a.png" is the file
    // "page files/a.png", else one named with a literal "%20"); each in the input's folder,
    // then under each --resource-path folder. The first regular file wins.
    LocalFile find_file(std::string_view written) const {
        std::string_view bare = written.substr(0, written.find_first_of("?#"));
        LocalFile missing, refused;
        for (std::string_view path : {written, bare}) {
            if (path.empty()) continue;  // "#top": no file
            std::string decoded = text::percent_decode(path);
            for (const std::string& name : {decoded, std::string(path)}) {
                LocalFile found = find_named(name);
                if (!found.path.empty()) return found;
                LocalFile& first = found.refused ? refused : missing;
                if (first.problem.empty()) first = std::move(found);
                if (decoded == path) break;  // nothing decoded: one name
            }
            if (bare.size() == written.size()) break;  // no query or fragment
        }
        return refused.refused ? refused : missing;  // a file that is there says more
    }

private:
    // The first place where the file `name` (exactly) is: itself when absolute, else the
    // input's folder, then each --resource-path folder. The first place that has it
    // decides, even when it is not a regular file there.
    LocalFile find_named(const std::string& name) const {
        LocalFile out;
        std::filesystem::path p(name);
        std::vector<std::filesystem::path> candidates;
        if (p.is_absolute()) {
            candidates.push_back(p);
        } else {
            if (!options_.base.empty()) candidates.push_back(std::filesystem::path(options_.base) / p);
            for (const std::string& dir : options_.search_path)
                if (!dir.empty()) candidates.push_back(std::filesystem::path(dir) / p);
        }
        for (const auto& candidate : candidates) {
            std::error_code error;
            auto status = std::filesystem::status(candidate, error);
            if (error || !std::filesystem::exists(status)) continue;
            if (std::filesystem::is_regular_file(status)) {
                out.path = candidate;
            } else {
                out.problem = candidate.string() + ": not a regular file";
                out.refused = true;
            }
            return out;
        }
        out.problem = candidates.empty() ? "no such file (relative, and the input's folder is unknown)"
                                         : "no such file (looked in " + std::to_string(candidates.size()) +
                                               (candidates.size() == 1 ? " place)" : " places)");
        return out;
    }

    static Located load(const LocalFile& file) {
        Located out;
        if (file.path.empty()) {
            out.problem = file.problem;
            return out;
        }
        std::string problem;
        std::optional<std::string> bytes = read_image_file(file.path, problem);
        if (!bytes) {
            out.problem = file.path.string() + ": " + (problem.empty() ? "no longer there" : problem);
            return out;
        }
        out.loaded = Loaded{std::move(*bytes), file.path.lexically_normal().string(), {}};
        return out;
    }

    const ResourceOptions& options_;
};

std::string extension_for(const std::string& media_type) {
    if (media_type == "image/png") return "png";
    if (media_type == "image/jpeg") return "jpg";
    if (media_type == "image/gif") return "gif";
    if (media_type == "image/webp") return "webp";
    if (media_type == "image/svg+xml") return "svg";
    return "bin";
}

std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char b : bytes) {
        hash ^= b;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string shown(std::string_view src) {
    src = text::trim(src);
    if (src.size() <= kMaxSourceInMessage) return std::string(src);
    std::size_t cut = kMaxSourceInMessage;
    while (cut > 0 && (static_cast<unsigned char>(src[cut]) & 0xC0) == 0x80) --cut;  // whole characters
    return std::string(src.substr(0, cut)) + "...";
}

class Resolver {
public:
    Resolver(Document& doc, const ResourceOptions& options, Diagnostics& diag)
        : doc_(doc), options_(options), diag_(diag), locator_(options) {}

    void run() {
        auto visit = [this](Image& image, std::uint32_t line) {
            image.resource = key_for(image, line);
            // resolved: its src is the source that loaded, the others are of no more use
            if (!image.resource.empty() && !image.extra->fallbacks.empty()) image.extra.edit().fallbacks = {};
        };
        each_image(doc_.blocks, visit);
        if (remote_count_ > 0 && options_.warn_remote_not_fetched)
            warn(0, std::to_string(remote_count_) + (remote_count_ == 1 ? " remote image" : " remote images") +
                        " not fetched (only a URL input's images are fetched); " +
                        (remote_count_ == 1 ? "it keeps its" : "they keep their") + " alt text: " + first_remote_,
                 true);
        if (suppressed_ > 0)
            warn(0, "and " + std::to_string(suppressed_) + " more image warnings", true);
    }

private:
    // The image's resource key; its src becomes the fallback that was loaded, if any.
    std::string key_for(Image& image, std::uint32_t line) {
        if (!image.resource.empty() && doc_.resources.count(image.resource)) return image.resource;  // already loaded
        if (auto it = by_source_.find(image.src); it != by_source_.end()) {
            if (!it->second.src.empty()) image.src = it->second.src;
            return it->second.key;
        }
        std::string written = image.src;
        std::string key = load(image, line);
        by_source_.emplace(std::move(written), Known{key, image.src});
        return key;
    }

    std::string load(Image& image, std::uint32_t line) {
        check_deadline();  // --timeout (dconv/limits.hpp)
        Located located = locator_.locate(image.src);
        if (!located.loaded && located.remote_url.empty() && !located.problem.empty()) {
            // a local file that is not there: the first other source of the picture that
            // is (a saved page keeps one of a srcset's sizes, maybe not the one chosen)
            for (const std::string& other : image.extra->fallbacks) {
                check_deadline();
                Located there = locator_.locate(other);
                if (!there.loaded) continue;
                located = std::move(there);
                image.src = other;
                break;
            }
        }
        if (!located.remote_url.empty()) {
            if (!options_.fetch_remote) {
                if (remote_count_++ == 0) first_remote_ = shown(located.remote_url);
                return {};
            }
            std::optional<std::string> bytes = options_.fetch_remote(located.remote_url, diag_);
            if (!bytes) return {};  // the fetcher warned
            located.loaded = Loaded{std::move(*bytes), located.remote_url, {}};
        }
        if (!located.loaded) {
            warn(line, "image " + shown(image.src) + " not loaded: " + located.problem + "; kept as its alt text");
            return {};
        }
        Loaded& loaded = *located.loaded;
        std::string why;
        std::optional<ImageInfo> info = probe_image(loaded.bytes, &why);
        if (!info) {
            warn(line, "image " + shown(image.src) + " not loaded: " + why + "; kept as its alt text");
            return {};
        }
        // The same bytes under another name: one resource.
        std::uint64_t hash = fnv1a(loaded.bytes);
        auto [first, last] = by_hash_.equal_range(hash);
        for (auto it = first; it != last; ++it)
            if (doc_.resources[it->second]->bytes == loaded.bytes) return it->second;
        if (doc_.resources.size() >= kMaxImages) {
            if (!count_warned_)
                warn(line, "more than " + std::to_string(kMaxImages) +
                               " images, the most dconv keeps in a document: the rest keep their alt text, from " + shown(image.src));
            count_warned_ = true;
            return {};
        }
        if (total_bytes_ + loaded.bytes.size() > kMaxResourceBytes) {
            warn(line, "image " + shown(image.src) + " not loaded: the document's images pass " +
                           std::to_string(kMaxResourceBytes >> 20) + " MB, the most dconv keeps in a document; kept as its alt text");
            return {};
        }
        total_bytes_ += loaded.bytes.size();
        std::string key = "img-" + std::to_string(doc_.resources.size() + 1) + "." + extension_for(info->media_type);
        auto resource = std::make_shared<Resource>();
        resource->media_type = info->media_type;
        resource->bytes = std::move(loaded.bytes);
        resource->width = info->width;
        resource->height = info->height;
        resource->origin = std::move(loaded.origin);
        doc_.resources[key] = std::move(resource);
        by_hash_.emplace(hash, key);
        return key;
    }

    void warn(std::uint32_t line, std::string message, bool always = false) {
        if (!always && warnings_ >= kMaxImageWarnings) {
            ++suppressed_;
            return;
        }
        ++warnings_;
        diag_.warn(kPass, std::move(message), line);
    }

    Document& doc_;
    const ResourceOptions& options_;
    Diagnostics& diag_;
    Locator locator_;
    struct Known {
        std::string key;  // "": not loaded
        std::string src;  // the source it was loaded from (a fallback, maybe)
    };
    std::unordered_map<std::string, Known> by_source_;  // src as written -> what it gave
    std::unordered_multimap<std::uint64_t, std::string> by_hash_;
    std::size_t total_bytes_ = 0;
    std::size_t remote_count_ = 0;
    std::string first_remote_;
    bool count_warned_ = false;
    std::size_t warnings_ = 0;
    std::size_t suppressed_ = 0;
};

}  // namespace

void resolve_resources(Document& doc, const ResourceOptions& options, Diagnostics& diag) {
    if (!options.load) return;
    Resolver(doc, options, diag).run();
}

namespace {

// A relative file path as a URL path: the bytes a URL reference gives another meaning
// ('%' an escape, '?' a query, '#' a fragment, ':' a scheme in a first segment) or may
// not hold as written (spaces, controls, quotes, brackets...) as %XX, so that browsers,
// pandoc and GitHub find the file; '/' separates, and UTF-8 letters stay readable.
std::string url_path(std::string_view path) {
    return text::percent_encode(path, [](unsigned char c) {
        return c <= 0x20 || c == 0x7f || c == '%' || c == '?' || c == '#' || c == ':' || c == '"' || c == '<' ||
               c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c == '[' ||
               c == ']';
    });
}

}  // namespace

bool rebase_image_sources(Document& doc, const std::filesystem::path& folder,
                          const std::vector<std::string>& found_in) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path from = fs::absolute(folder.empty() ? fs::path(".") : folder, ec).lexically_normal();
    if (ec) return false;
    // the folders the sources were looked up in, as resolve_resources() had them
    ResourceOptions looked_up;
    if (!found_in.empty()) {
        looked_up.base = found_in.front();
        looked_up.search_path.assign(found_in.begin() + 1, found_in.end());
    }
    const Locator locator(looked_up);
    bool changed = false;
    auto visit = [&](Image& image, std::uint32_t) {
        std::string_view src = text::trim(image.src);
        // only a relative path: a URL, a data: URI, an absolute path or a fragment means
        // the same from anywhere
        if (src.empty() || !scheme_of(src).empty() || src.starts_with('/') || src.starts_with('#')) return;
        auto found = doc.resources.find(image.resource);
        if (image.resource.empty() || found == doc.resources.end()) return;  // not found: as written
        // The file this source names, looked up as resolve_resources() did; the resource's
        // origin only when unknown: it is the first file with these bytes, maybe another.
        fs::path file = locator.find_file(src).path;
        if (file.empty()) {
            const std::string& origin = found->second->origin;
            if (origin.empty() || origin == "data:" || !scheme_of(origin).empty()) return;
            file = origin;
        }
        std::error_code absolute_error;
        file = fs::absolute(file, absolute_error).lexically_normal();
        if (absolute_error) return;
        std::string path = file.lexically_relative(from).generic_string();
        if (path.empty()) return;
        // the same file from the output's folder as from the input's: leave it as written
        fs::path as_written = (from / fs::path(text::percent_decode(src.substr(0, src.find_first_of("?#")))))
                                  .lexically_normal();
        if (as_written == file) return;
        image.src = url_path(path);
        changed = true;
    };
    each_image(doc.blocks, visit);
    return changed;
}

}  // namespace dconv
