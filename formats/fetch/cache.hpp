// cache.hpp: fetched replies kept on disk, keyed by the URL asked for (fetch.hpp's
// "The cache").
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace dconv::fetch {

struct CachedReply {
    std::string url;        // as asked (the key)
    std::string final_url;  // after redirects
    std::string media_type;
    std::string charset;
    std::string etag;
    std::string last_modified;
    std::string body;
};

class Cache {
public:
    explicit Cache(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // The reply kept for `url`, if any (a damaged or foreign file is a miss).
    std::optional<CachedReply> load(const std::string& url) const;
    // Keeps `reply` (atomically: a reader sees the old entry or the new one). Throws
    // dconv::Error(io) when the folder cannot be created or written.
    void store(const CachedReply& reply) const;

    // The entry's file: the folder, then a hash of the URL ("3f2a...c1.reply").
    std::filesystem::path path_of(const std::string& url) const;

private:
    std::filesystem::path dir_;
};

}  // namespace dconv::fetch
