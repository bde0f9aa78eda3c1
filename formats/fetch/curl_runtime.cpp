// curl_runtime.cpp: libcurl loaded on first use, not at start-up.
//
// libcurl brings some thirty shared libraries with it (TLS, Kerberos, LDAP, HTTP/2,
// IDN...): linked normally, the dynamic loader maps and relocates all of them on every
// start, which was most of the time of `dconv --version` and of converting one local
// file, though only URL inputs use it. dconv is therefore not linked with libcurl; this
// file defines the few libcurl functions the fetch module calls, each forwarding to the
// real one, which is looked up (dlopen of libcurl's soname, dlsym) the first time any of
// them is called. Without libcurl on the machine, the calls fail as libcurl's own do
// when it cannot start (CURLE_FAILED_INIT, a null handle), and a URL input fails with
// that error while local files convert.
#define CURL_DISABLE_TYPECHECK  // the variadic setopt and getinfo are defined here
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <mutex>

#include "core/shared_library.hpp"

namespace {

// libcurl 7.x and 8.x share this soname (ABI 4).
constexpr const char* kLibcurl = "libcurl.so.4";

struct Libcurl {
    decltype(&::curl_global_init) global_init = nullptr;
    decltype(&::curl_version_info) version_info = nullptr;
    decltype(&::curl_easy_init) easy_init = nullptr;
    decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&::curl_easy_reset) easy_reset = nullptr;
    decltype(&::curl_easy_perform) easy_perform = nullptr;
    decltype(&::curl_easy_setopt) easy_setopt = nullptr;
    decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&::curl_easy_strerror) easy_strerror = nullptr;
    decltype(&::curl_slist_append) slist_append = nullptr;
    decltype(&::curl_slist_free_all) slist_free_all = nullptr;
    decltype(&::curl_free) free = nullptr;
    decltype(&::curl_getdate) getdate = nullptr;
    decltype(&::curl_url) url = nullptr;
    decltype(&::curl_url_cleanup) url_cleanup = nullptr;
    decltype(&::curl_url_set) url_set = nullptr;
    decltype(&::curl_url_get) url_get = nullptr;
    bool loaded = false;
};

using dconv::shared_library::bind;

const Libcurl& libcurl() {
    static Libcurl curl;
    static std::once_flag once;
    std::call_once(once, [] {
        void* library = ::dlopen(kLibcurl, RTLD_NOW | RTLD_LOCAL);
        if (!library) return;
        bool ok = true;
        bind(library, curl.global_init, "curl_global_init", ok);
        bind(library, curl.version_info, "curl_version_info", ok);
        bind(library, curl.easy_init, "curl_easy_init", ok);
        bind(library, curl.easy_cleanup, "curl_easy_cleanup", ok);
        bind(library, curl.easy_reset, "curl_easy_reset", ok);
        bind(library, curl.easy_perform, "curl_easy_perform", ok);
        bind(library, curl.easy_setopt, "curl_easy_setopt", ok);
        bind(library, curl.easy_getinfo, "curl_easy_getinfo", ok);
        bind(library, curl.easy_strerror, "curl_easy_strerror", ok);
        bind(library, curl.slist_append, "curl_slist_append", ok);
        bind(library, curl.slist_free_all, "curl_slist_free_all", ok);
        bind(library, curl.free, "curl_free", ok);
        bind(library, curl.getdate, "curl_getdate", ok);
        bind(library, curl.url, "curl_url", ok);
        bind(library, curl.url_cleanup, "curl_url_cleanup", ok);
        bind(library, curl.url_set, "curl_url_set", ok);
        bind(library, curl.url_get, "curl_url_get", ok);
        curl.loaded = ok;  // the library stays loaded for the process's life
    });
    return curl;
}

}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) {
    const Libcurl& c = libcurl();
    return c.loaded ? c.global_init(flags) : CURLE_FAILED_INIT;
}

curl_version_info_data* curl_version_info(CURLversion stamp) {
    const Libcurl& c = libcurl();
    return c.loaded ? c.version_info(stamp) : nullptr;
}

CURL* curl_easy_init(void) {
    const Libcurl& c = libcurl();
    return c.loaded ? c.easy_init() : nullptr;
}

void curl_easy_cleanup(CURL* handle) {
    if (handle) libcurl().easy_cleanup(handle);  // a handle exists only if libcurl loaded
}

void curl_easy_reset(CURL* handle) {
    if (handle) libcurl().easy_reset(handle);
}

CURLcode curl_easy_perform(CURL* handle) {
    const Libcurl& c = libcurl();
    return c.loaded && handle ? c.easy_perform(handle) : CURLE_FAILED_INIT;
}

// The one argument after `option` is a long, a pointer (object or function) or a
// curl_off_t, by the option's number range, as libcurl reads it.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
    const Libcurl& c = libcurl();
    if (!c.loaded || !handle) return CURLE_FAILED_INIT;
    va_list args;
    va_start(args, option);
    CURLcode result;
    if (option < CURLOPTTYPE_OBJECTPOINT) {
        long value = va_arg(args, long);
        result = c.easy_setopt(handle, option, value);
    } else if (option < CURLOPTTYPE_OFF_T) {
        void* value = va_arg(args, void*);
        result = c.easy_setopt(handle, option, value);
    } else if (option < CURLOPTTYPE_BLOB) {
        curl_off_t value = va_arg(args, curl_off_t);
        result = c.easy_setopt(handle, option, value);
    } else {
        void* value = va_arg(args, void*);
        result = c.easy_setopt(handle, option, value);
    }
    va_end(args);
    return result;
}

CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
    const Libcurl& c = libcurl();
    if (!c.loaded || !handle) return CURLE_FAILED_INIT;
    va_list args;
    va_start(args, info);
    void* where = va_arg(args, void*);  // every CURLINFO takes a pointer to its result
    va_end(args);
    return c.easy_getinfo(handle, info, where);
}

const char* curl_easy_strerror(CURLcode code) {
    const Libcurl& c = libcurl();
    return c.loaded ? c.easy_strerror(code) : "libcurl (libcurl.so.4) could not be loaded";
}

struct curl_slist* curl_slist_append(struct curl_slist* list, const char* text) {
    const Libcurl& c = libcurl();
    return c.loaded ? c.slist_append(list, text) : nullptr;
}

void curl_slist_free_all(struct curl_slist* list) {
    if (list) libcurl().slist_free_all(list);
}

void curl_free(void* pointer) {
    if (pointer) libcurl().free(pointer);
}

time_t curl_getdate(const char* text, const time_t* unused) {
    const Libcurl& c = libcurl();
    return c.loaded ? c.getdate(text, unused) : -1;
}

CURLU* curl_url(void) {
    const Libcurl& c = libcurl();
    return c.loaded ? c.url() : nullptr;
}

void curl_url_cleanup(CURLU* handle) {
    if (handle) libcurl().url_cleanup(handle);
}

CURLUcode curl_url_set(CURLU* handle, CURLUPart what, const char* part, unsigned int flags) {
    const Libcurl& c = libcurl();
    return c.loaded && handle ? c.url_set(handle, what, part, flags) : CURLUE_BAD_HANDLE;
}

CURLUcode curl_url_get(CURLU* handle, CURLUPart what, char** part, unsigned int flags) {
    const Libcurl& c = libcurl();
    return c.loaded && handle ? c.url_get(handle, what, part, flags) : CURLUE_BAD_HANDLE;
}

}  // extern "C"
