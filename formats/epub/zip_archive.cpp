// zip_archive.cpp: ZipArchive over libzip, writing to a memory buffer source.
//
// Timestamps are set as DOS date and time computed here from UTC (zip_file_set_dostime):
// zip_file_set_mtime would convert with localtime(), so the bytes would depend on the
// machine's time zone.
#include "epub/zip_archive.hpp"

#include <zip.h>

#include <algorithm>
#include <ctime>

#include "dconv/diagnostics.hpp"

namespace dconv::epub {

namespace {

// zlib's level for every deflated entry: fixed rather than libzip's default, so that
// the bytes do not change with it. 6 is zlib's own default: nearly level 9's size at
// twice its speed on text.
constexpr zip_uint32_t kDeflateLevel = 6;
// The range of a DOS timestamp: 1980-01-01T00:00:00 to 2107-12-31T23:59:58.
constexpr std::int64_t kFirstDosTime = 315532800;
constexpr std::int64_t kLastDosTime = 4354819198;

[[noreturn]] void fail(const std::string& what, zip_error_t* error) {
    std::string message = "cannot build the EPUB's zip: " + what;
    if (error) message += std::string(": ") + zip_error_strerror(error);
    throw Error(ErrorKind::internal, "", 0, message);
}

}  // namespace

struct ZipArchive::Handles {
    zip_source_t* buffer = nullptr;  // the archive's bytes
    zip_t* archive = nullptr;
};

ZipArchive::ZipArchive(std::int64_t timestamp) : handles_(new Handles) {
    std::time_t t = static_cast<std::time_t>(std::clamp(timestamp, kFirstDosTime, kLastDosTime));
    std::tm utc{};
    gmtime_r(&t, &utc);
    dos_time_ = static_cast<std::uint16_t>((utc.tm_hour << 11) | (utc.tm_min << 5) | (utc.tm_sec / 2));
    dos_date_ = static_cast<std::uint16_t>(((utc.tm_year - 80) << 9) | ((utc.tm_mon + 1) << 5) | utc.tm_mday);

    zip_error_t error;
    zip_error_init(&error);
    handles_->buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!handles_->buffer) {
        delete handles_;
        fail("buffer", &error);
    }
    handles_->archive = zip_open_from_source(handles_->buffer, ZIP_TRUNCATE, &error);
    if (!handles_->archive) {
        zip_source_free(handles_->buffer);
        delete handles_;
        fail("open", &error);
    }
    zip_source_keep(handles_->buffer);  // outlives the archive: finish() reads it
    zip_error_fini(&error);
}

ZipArchive::~ZipArchive() {
    if (handles_->archive) zip_discard(handles_->archive);
    if (handles_->buffer) zip_source_free(handles_->buffer);
    delete handles_;
}

void ZipArchive::add(const std::string& name, std::string data, Compression compression) {
    zip_t* za = handles_->archive;
    if (!za) fail("entry added after the archive was written", nullptr);
    data_.push_back(std::move(data));
    const std::string& bytes = data_.back();
    zip_source_t* source = zip_source_buffer(za, bytes.data(), bytes.size(), 0);
    if (!source) fail("entry " + name, zip_get_error(za));
    zip_int64_t index = zip_file_add(za, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
        zip_source_free(source);
        fail("entry " + name, zip_get_error(za));
    }
    auto i = static_cast<zip_uint64_t>(index);
    bool stored = compression == Compression::store;
    if (zip_set_file_compression(za, i, stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, stored ? 0 : kDeflateLevel) < 0 ||
        zip_file_set_dostime(za, i, dos_time_, dos_date_, 0) < 0)
        fail("entry " + name, zip_get_error(za));
}

std::string ZipArchive::finish() {
    zip_t* za = handles_->archive;
    if (!za) fail("archive written twice", nullptr);
    if (zip_close(za) < 0) fail("write", zip_get_error(za));  // the destructor discards it
    handles_->archive = nullptr;
    data_.clear();

    zip_source_t* buffer = handles_->buffer;
    if (zip_source_open(buffer) < 0) fail("read back", zip_source_error(buffer));
    std::string out;
    zip_int64_t size = -1;
    if (zip_source_seek(buffer, 0, SEEK_END) == 0) size = zip_source_tell(buffer);
    if (size < 0 || zip_source_seek(buffer, 0, SEEK_SET) < 0) {
        zip_source_close(buffer);
        fail("read back", zip_source_error(buffer));
    }
    out.resize(static_cast<std::size_t>(size));
    zip_int64_t got = zip_source_read(buffer, out.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(buffer);
    if (got != size) fail("read back", zip_source_error(buffer));
    return out;
}

}  // namespace dconv::epub
