// zip_archive.hpp: an OCF container's zip, built in memory with libzip. libzip's error
// codes stay in here; callers get dconv::Error.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

namespace dconv::epub {

enum class Compression { store, deflate };

// Entries are written in the order added, each with the same timestamp and a fixed
// compression level, and nothing else that varies (no extra fields): the same entries
// give the same bytes.
class ZipArchive {
public:
    // `timestamp`: seconds since 1970, UTC, for every entry. A zip (DOS) time counts
    // from 1980 to 2107 in two-second steps: earlier or later times are clamped.
    explicit ZipArchive(std::int64_t timestamp);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    void add(const std::string& name, std::string data, Compression compression);
    // The archive's bytes. The archive is then closed: add nothing more.
    std::string finish();

private:
    struct Handles;
    Handles* handles_;
    std::deque<std::string> data_;  // entries' bytes, kept until the archive is written
    std::uint16_t dos_time_ = 0;
    std::uint16_t dos_date_ = 0;
};

}  // namespace dconv::epub
