// zip_archive.cpp: ZipArchive over libzip, writing to a memory buffer source.
//
// libzip is loaded on first use (dlopen), as libcurl is (formats/fetch/curl_runtime.cpp):
// linked normally, it brings libcrypto and libbz2, whose 4,300 symbol relocations the
// dynamic loader did on every start, though only EPUB output uses them. Without libzip on
// the machine, an EPUB fails with an error saying so, and other formats convert.
//
// Timestamps are set as DOS date and time computed here from UTC (zip_file_set_dostime):
// zip_file_set_mtime would convert with localtime(), so the bytes would depend on the
// machine's time zone.
#include "epub/zip_archive.hpp"

#include <dlfcn.h>
#include <zip.h>

#include <algorithm>
#include <ctime>
#include <mutex>

#include "core/shared_library.hpp"
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

// libzip 1.x's soname (Debian 12: libzip4).
constexpr const char* kLibzip = "libzip.so.4";

// The libzip functions ZipArchive calls, looked up once per process.
struct Libzip {
    decltype(&::zip_close) close = nullptr;
    decltype(&::zip_discard) discard = nullptr;
    decltype(&::zip_error_fini) error_fini = nullptr;
    decltype(&::zip_error_init) error_init = nullptr;
    decltype(&::zip_error_strerror) error_strerror = nullptr;
    decltype(&::zip_file_add) file_add = nullptr;
    decltype(&::zip_file_set_dostime) file_set_dostime = nullptr;
    decltype(&::zip_get_error) get_error = nullptr;
    decltype(&::zip_open_from_source) open_from_source = nullptr;
    decltype(&::zip_set_file_compression) set_file_compression = nullptr;
    decltype(&::zip_source_buffer) source_buffer = nullptr;
    decltype(&::zip_source_buffer_create) source_buffer_create = nullptr;
    decltype(&::zip_source_close) source_close = nullptr;
    decltype(&::zip_source_error) source_error = nullptr;
    decltype(&::zip_source_free) source_free = nullptr;
    decltype(&::zip_source_keep) source_keep = nullptr;
    decltype(&::zip_source_open) source_open = nullptr;
    decltype(&::zip_source_read) source_read = nullptr;
    decltype(&::zip_source_seek) source_seek = nullptr;
    decltype(&::zip_source_tell) source_tell = nullptr;
    bool loaded = false;
};

using shared_library::bind;

// libzip, loaded on the first call (thread-safe); throws when it cannot be loaded.
const Libzip& libzip() {
    static Libzip zip;
    static std::once_flag once;
    std::call_once(once, [] {
        void* library = ::dlopen(kLibzip, RTLD_NOW | RTLD_LOCAL);
        if (!library) return;
        bool ok = true;
        bind(library, zip.close, "zip_close", ok);
        bind(library, zip.discard, "zip_discard", ok);
        bind(library, zip.error_fini, "zip_error_fini", ok);
        bind(library, zip.error_init, "zip_error_init", ok);
        bind(library, zip.error_strerror, "zip_error_strerror", ok);
        bind(library, zip.file_add, "zip_file_add", ok);
        bind(library, zip.file_set_dostime, "zip_file_set_dostime", ok);
        bind(library, zip.get_error, "zip_get_error", ok);
        bind(library, zip.open_from_source, "zip_open_from_source", ok);
        bind(library, zip.set_file_compression, "zip_set_file_compression", ok);
        bind(library, zip.source_buffer, "zip_source_buffer", ok);
        bind(library, zip.source_buffer_create, "zip_source_buffer_create", ok);
        bind(library, zip.source_close, "zip_source_close", ok);
        bind(library, zip.source_error, "zip_source_error", ok);
        bind(library, zip.source_free, "zip_source_free", ok);
        bind(library, zip.source_keep, "zip_source_keep", ok);
        bind(library, zip.source_open, "zip_source_open", ok);
        bind(library, zip.source_read, "zip_source_read", ok);
        bind(library, zip.source_seek, "zip_source_seek", ok);
        bind(library, zip.source_tell, "zip_source_tell", ok);
        zip.loaded = ok;  // the library stays loaded for the process's life
    });
    if (!zip.loaded)
        throw Error(ErrorKind::internal, "", 0,
                    std::string("cannot build the EPUB's zip: libzip (") + kLibzip + ") cannot be loaded: install libzip4");
    return zip;
}

[[noreturn]] void fail(const std::string& what, zip_error_t* error) {
    std::string message = "cannot build the EPUB's zip: " + what;
    if (error) message += std::string(": ") + libzip().error_strerror(error);
    throw Error(ErrorKind::internal, "", 0, message);
}

}  // namespace

struct ZipArchive::Handles {
    zip_source_t* buffer = nullptr;  // the archive's bytes
    zip_t* archive = nullptr;
};

// libzip is loaded (or its error thrown) before anything is allocated.
ZipArchive::ZipArchive(std::int64_t timestamp) : handles_((libzip(), new Handles)) {
    const Libzip& lib = libzip();
    std::time_t t = static_cast<std::time_t>(std::clamp(timestamp, kFirstDosTime, kLastDosTime));
    std::tm utc{};
    gmtime_r(&t, &utc);
    dos_time_ = static_cast<std::uint16_t>((utc.tm_hour << 11) | (utc.tm_min << 5) | (utc.tm_sec / 2));
    dos_date_ = static_cast<std::uint16_t>(((utc.tm_year - 80) << 9) | ((utc.tm_mon + 1) << 5) | utc.tm_mday);

    zip_error_t error;
    lib.error_init(&error);
    handles_->buffer = lib.source_buffer_create(nullptr, 0, 0, &error);
    if (!handles_->buffer) {
        delete handles_;
        fail("buffer", &error);
    }
    handles_->archive = lib.open_from_source(handles_->buffer, ZIP_TRUNCATE, &error);
    if (!handles_->archive) {
        lib.source_free(handles_->buffer);
        delete handles_;
        fail("open", &error);
    }
    lib.source_keep(handles_->buffer);  // outlives the archive: finish() reads it
    lib.error_fini(&error);
}

ZipArchive::~ZipArchive() {
    const Libzip& lib = libzip();  // loaded: the constructor succeeded
    if (handles_->archive) lib.discard(handles_->archive);
    if (handles_->buffer) lib.source_free(handles_->buffer);
    delete handles_;
}

void ZipArchive::add(const std::string& name, std::string data, Compression compression) {
    const Libzip& lib = libzip();
    zip_t* za = handles_->archive;
    if (!za) fail("entry added after the archive was written", nullptr);
    data_.push_back(std::move(data));
    const std::string& bytes = data_.back();
    zip_source_t* source = lib.source_buffer(za, bytes.data(), bytes.size(), 0);
    if (!source) fail("entry " + name, lib.get_error(za));
    zip_int64_t index = lib.file_add(za, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
        lib.source_free(source);
        fail("entry " + name, lib.get_error(za));
    }
    auto i = static_cast<zip_uint64_t>(index);
    bool stored = compression == Compression::store;
    if (lib.set_file_compression(za, i, stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, stored ? 0 : kDeflateLevel) < 0 ||
        lib.file_set_dostime(za, i, dos_time_, dos_date_, 0) < 0)
        fail("entry " + name, lib.get_error(za));
}

std::string ZipArchive::finish() {
    const Libzip& lib = libzip();
    zip_t* za = handles_->archive;
    if (!za) fail("archive written twice", nullptr);
    if (lib.close(za) < 0) fail("write", lib.get_error(za));  // the destructor discards it
    handles_->archive = nullptr;
    data_.clear();

    zip_source_t* buffer = handles_->buffer;
    if (lib.source_open(buffer) < 0) fail("read back", lib.source_error(buffer));
    std::string out;
    zip_int64_t size = -1;
    if (lib.source_seek(buffer, 0, SEEK_END) == 0) size = lib.source_tell(buffer);
    if (size < 0 || lib.source_seek(buffer, 0, SEEK_SET) < 0) {
        lib.source_close(buffer);
        fail("read back", lib.source_error(buffer));
    }
    out.resize(static_cast<std::size_t>(size));
    zip_int64_t got = lib.source_read(buffer, out.data(), static_cast<zip_uint64_t>(size));
    lib.source_close(buffer);
    if (got != size) fail("read back", lib.source_error(buffer));
    return out;
}

}  // namespace dconv::epub
