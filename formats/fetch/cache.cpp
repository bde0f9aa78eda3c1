// cache.cpp: one file per URL: a line of JSON (the URL, the reply's headers that matter),
// then the body as received after content decoding.
#include "fetch/cache.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/atomic_file.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/limits.hpp"

namespace dconv::fetch {

namespace {

// FNV-1a, 64 bits: stable across compilers and runs (std::hash is neither), and the URL
// stored in the entry turns a collision into a miss.
std::uint64_t fnv1a(const std::string& s) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

}  // namespace

std::filesystem::path Cache::path_of(const std::string& url) const {
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.reply", static_cast<unsigned long long>(fnv1a(url)));
    return dir_ / name;
}

std::optional<CachedReply> Cache::load(const std::string& url) const {
    std::ifstream in(path_of(url), std::ios::binary);
    if (!in) return std::nullopt;
    std::string header;
    if (!std::getline(in, header)) return std::nullopt;
    nlohmann::json j = nlohmann::json::parse(header, nullptr, false);
    if (!j.is_object() || j.value("url", "") != url) return std::nullopt;
    CachedReply reply;
    try {
        reply.url = url;
        reply.final_url = j.at("final_url").get<std::string>();
        reply.media_type = j.value("media_type", "");
        reply.charset = j.value("charset", "");
        reply.etag = j.value("etag", "");
        reply.last_modified = j.value("last_modified", "");
        std::size_t size = j.at("size").get<std::size_t>();
        if (size > std::max(kMaxPageBytes, dconv::kMaxImageBytes)) return std::nullopt;
        reply.body.resize(size);
        if (!in.read(reply.body.data(), static_cast<std::streamsize>(size))) return std::nullopt;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    return reply;
}

void Cache::store(const CachedReply& reply) const {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) throw Error(ErrorKind::io, dir_.string(), 0, "cannot create the cache folder: " + ec.message());
    nlohmann::ordered_json j;
    j["url"] = reply.url;
    j["final_url"] = reply.final_url;
    j["media_type"] = reply.media_type;
    j["charset"] = reply.charset;
    j["etag"] = reply.etag;
    j["last_modified"] = reply.last_modified;
    j["size"] = reply.body.size();
    std::string data = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    data += '\n';
    data += reply.body;
    write_file_atomic(path_of(reply.url), data);
}

}  // namespace dconv::fetch
