// batch.cpp: what the `dconv` command does: plan inputs and outputs, profile the batch,
// convert on a pool of threads, report.
#include "dconv/batch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "core/atomic_file.hpp"
#include "core/serial_worker.hpp"
#include "core/text.hpp"
#include "dconv/book.hpp"
#include "dconv/clean.hpp"
#include "dconv/registry.hpp"
#include "dconv/styles.hpp"
#include "decode/decode.hpp"
#include "epub/epub_writer.hpp"
#include "pdf/print_style.hpp"

namespace dconv {

namespace fs = std::filesystem;

namespace {

// ------------------------------------------------------------------------------ limits

// Reads are done in pieces this big; a regular file's size is known and read at once.
constexpr std::size_t kReadChunkBytes = std::size_t(1) << 20;
// --explain shows the start of the text a diagnostic is about, no more.
constexpr std::size_t kMaxExcerptCodePoints = 60;
// Inputs per worker whose outputs may wait, written, for their fsync and rename.
constexpr std::size_t kCommitBacklogPerJob = 4;
// The progress bar is redrawn at most this often, so that a batch of tiny files is not
// slowed down by terminal output.
constexpr auto kProgressInterval = std::chrono::milliseconds(100);
constexpr int kProgressBarWidth = 30;
const char* const kDefaultOutputDirectory = "out/";
const char* const kStdinName = "<stdin>";
const char* const kStdinStem = "stdin";

// A problem with the command itself: reported as "dconv: MESSAGE", exit status 2.
struct UsageError {
    std::string message;
};

// ---------------------------------------------------------------------------- the plan

struct Input {
    std::string name;       // for messages: as given, the walked path, or "<stdin>"
    fs::path path;          // empty for standard input
    fs::path relative_dir;  // for files found in a directory: their folder below it
    bool from_stdin = false;
};

enum class OutputMode { standard_output, directory, file, bundle };

struct Plan {
    std::vector<const WriterEntry*> writers;
    std::vector<Input> inputs;
    // Inputs that could not even be listed (name, why); each counts as a failed input.
    std::vector<std::pair<std::string, std::string>> missing;
    OutputMode mode = OutputMode::directory;
    fs::path output;             // the directory or the file
    std::string output_display;  // as the summary names it
    std::vector<std::vector<fs::path>> outputs;  // [input][writer]; empty for a bundle
    std::vector<fs::path> bundle_outputs;        // [writer]: the book's files
    // Every input file by identity, so that no output is ever written over one.
    std::map<std::pair<dev_t, ino_t>, std::string> input_ids;
    std::string stdin_bytes;
    bool stdin_failed = false;
    std::string stdin_error;
};

std::string join(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::vector<std::string> writer_names() {
    std::vector<std::string> names;
    for (const auto& w : writers()) names.push_back(w.name);
    return names;
}

std::vector<std::string> reader_names() {
    std::vector<std::string> names;
    for (const auto& r : readers()) names.push_back(r.name);
    return names;
}

std::vector<const WriterEntry*> resolve_writers(const std::vector<std::string>& formats) {
    std::vector<const WriterEntry*> out;
    auto add = [&](const WriterEntry* w) {
        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    };
    for (const auto& item : formats) {
        std::stringstream list(item);  // "md,txt" in one item too
        std::string name;
        while (std::getline(list, name, ',')) {
            name = std::string(text::trim(name));
            if (name.empty()) continue;
            if (name == "all") {
                for (const auto& w : writers()) add(&w);
            } else if (const WriterEntry* w = find_writer(name)) {
                add(w);
            } else {
                throw UsageError{"unknown output format '" + name + "' (available: " +
                                 join(writer_names(), ", ") + ", all; see --list-formats)"};
            }
        }
    }
    if (out.empty()) throw UsageError{"no output format given (--to)"};
    return out;
}

// The style, paper and cover are read once here, so that a bad one is a usage error
// before anything is converted rather than the same failure for every input. --style
// names a CSS theme for html and epub, a print style for pdf: each is checked only when
// its formats are written.
void check_write_options(const WriteOptions& write, const std::vector<const WriterEntry*>& formats) {
    auto writes = [&](std::string_view name) {
        return std::any_of(formats.begin(), formats.end(), [&](const WriterEntry* w) { return w->name == name; });
    };
    try {
        if (writes("html") || writes("epub")) load_style(write.style);
        if (writes("pdf")) pdf::print_style_for(write.style, write.paper);
        if (!write.cover_image.empty()) epub::read_cover(write.cover_image);
    } catch (const Error& e) {
        throw UsageError{(e.file().empty() ? "" : e.file() + ": ") + e.message()};
    }
}

// A bundle's files: the bundle's name for one format, its stem with each format's ending
// for several.
void plan_bundle(Plan& plan, const BatchOptions& options) {
    if (!options.output.empty())
        throw UsageError{"--bundle FILE names the book's file: give it without -o"};
    if (options.bundle == "-") {
        if (plan.writers.size() > 1)
            throw UsageError{"--bundle - writes one book to standard output: give one format"};
        plan.mode = OutputMode::standard_output;
        plan.output_display = "standard output";
        plan.bundle_outputs.resize(1);
        return;
    }
    fs::path book = options.bundle;
    std::error_code ec;
    if (fs::is_directory(book, ec) || options.bundle.ends_with('/'))
        throw UsageError{"--bundle " + options.bundle + " is a directory; name the book's file"};
    plan.mode = OutputMode::bundle;
    plan.output_display = options.bundle;
    for (const WriterEntry* w : plan.writers) {
        fs::path path = book;
        if (plan.writers.size() > 1) path.replace_extension(w->extension);
        for (const fs::path& taken : plan.bundle_outputs)
            if (taken == path)
                throw UsageError{"two formats would both write " + path.string()};
        plan.bundle_outputs.push_back(path);
    }
    if (plan.writers.size() > 1) {
        plan.output_display.clear();
        for (const fs::path& p : plan.bundle_outputs)
            plan.output_display += (plan.output_display.empty() ? "" : ", ") + p.string();
    }
}

void check_read_options(const ReadOptions& read) {
    if (!read.format.empty() && !find_reader(read.format))
        throw UsageError{"unknown input format '" + read.format + "' (available: " +
                         join(reader_names(), ", ") + "; see --list-formats)"};
    if (!read.encoding.empty()) {
        UErrorCode status = U_ZERO_ERROR;
        UConverter* converter = ucnv_open(read.encoding.c_str(), &status);
        if (converter) ucnv_close(converter);
        if (U_FAILURE(status))
            throw UsageError{"unknown encoding '" + read.encoding +
                             "' (try UTF-8, GB18030, Big5, Shift_JIS, windows-1252)"};
    }
}

bool claimed_by_a_reader(const fs::path& file) {
    std::string ext = file.extension().string();
    if (ext.size() < 2) return false;
    ext = text::lower_ascii(std::string_view(ext).substr(1));
    for (const auto& r : readers())
        if (std::find(r.extensions.begin(), r.extensions.end(), ext) != r.extensions.end())
            return true;
    return false;
}

void remember_identity(Plan& plan, const fs::path& path, const std::string& name) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) plan.input_ids.emplace(std::pair{st.st_dev, st.st_ino}, name);
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec);
}

// Walks a directory for files some reader claims, sorted for a stable order. Hidden
// entries are skipped (editors' and dconv's own temporaries), and so is `skip` (the output
// directory, so that a second run does not convert the first run's output).
void walk_directory(Plan& plan, const fs::path& root, const std::string& given,
                    const fs::path& skip) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::directory_entry& entry = *it;
        std::error_code entry_ec;
        bool is_dir = entry.is_directory(entry_ec);
        if (entry.path().filename().string().starts_with('.')) {
            if (is_dir) it.disable_recursion_pending();
            continue;
        }
        if (is_dir) {
            if (!skip.empty() && same_file(entry.path(), skip)) it.disable_recursion_pending();
            continue;
        }
        if (entry.is_regular_file(entry_ec) && claimed_by_a_reader(entry.path()))
            files.push_back(entry.path());
    }
    if (ec) plan.missing.emplace_back(given, ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        Input in;
        in.path = file;
        in.name = file.string();
        in.relative_dir = file.lexically_relative(root).parent_path();
        remember_identity(plan, file, in.name);
        plan.inputs.push_back(std::move(in));
    }
}

std::string list_extensions() {
    std::vector<std::string> exts;
    for (const auto& r : readers())
        for (const auto& e : r.extensions) exts.push_back("." + e);
    return join(exts, " ");
}

Plan make_plan(const BatchOptions& options) {
    Plan plan;
    plan.writers = resolve_writers(options.formats);
    check_read_options(options.read);
    check_write_options(options.write, plan.writers);
    if (options.inputs.empty())
        throw UsageError{"no inputs (give files, directories, or - for standard input; see --help)"};

    // Where a directory output would go, to keep it out of directory walks.
    fs::path skip;
    if (options.output != "-") {
        std::error_code ec;
        skip = fs::weakly_canonical(options.output.empty() ? fs::path(kDefaultOutputDirectory)
                                                           : fs::path(options.output), ec);
        if (ec) skip.clear();
    }

    bool stdin_seen = false, directory_input = false;
    std::size_t empty_directories = 0;
    std::string an_empty_directory;
    for (const auto& given : options.inputs) {
        if (given == "-") {
            if (stdin_seen) throw UsageError{"standard input (-) given more than once"};
            stdin_seen = true;
            Input in;
            in.name = kStdinName;
            in.from_stdin = true;
            plan.inputs.push_back(std::move(in));
            continue;
        }
        if (given.empty()) throw UsageError{"an empty input name"};
        std::error_code ec;
        fs::file_status status = fs::status(given, ec);
        if (ec || !fs::exists(status)) {
            plan.missing.emplace_back(given, ec ? ec.message() : std::string(std::strerror(ENOENT)));
        } else if (fs::is_directory(status)) {
            directory_input = true;
            std::size_t before = plan.inputs.size();
            walk_directory(plan, given, given, skip);
            if (plan.inputs.size() == before) {
                ++empty_directories;
                an_empty_directory = given;
            }
        } else {
            Input in;
            in.path = given;
            in.name = given;
            remember_identity(plan, in.path, in.name);
            plan.inputs.push_back(std::move(in));
        }
    }
    if (plan.inputs.empty() && plan.missing.empty())
        throw UsageError{"no input files found in " + an_empty_directory + " (looking for " +
                         list_extensions() + ")"};

    if (!options.bundle.empty()) {
        if (options.skip_existing)
            throw UsageError{"--skip-existing resumes a batch of one output per input and format: "
                             "not with --bundle"};
        plan_bundle(plan, options);
        plan.outputs.resize(plan.inputs.size());
        return plan;
    }

    // Where the outputs go.
    std::size_t given_inputs = plan.inputs.size() + plan.missing.size();
    std::size_t outputs = given_inputs * plan.writers.size();
    if (options.output == "-" || (options.output.empty() && stdin_seen && given_inputs == 1)) {
        if (outputs > 1)
            throw UsageError{"-o - writes one document to standard output: give one input and one "
                             "format, or -o DIR"};
        if (options.skip_existing)
            throw UsageError{"--skip-existing skips inputs whose output files exist: not with -o -"};
        plan.mode = OutputMode::standard_output;
        plan.output_display = "standard output";
    } else {
        std::string out = options.output.empty() ? kDefaultOutputDirectory : options.output;
        std::error_code ec;
        bool exists = fs::exists(out, ec);
        bool is_dir = fs::is_directory(out, ec);
        if (is_dir || out.ends_with('/') || outputs > 1 || directory_input) {
            if (exists && !is_dir)
                throw UsageError{"-o " + out + " is not a directory, but " + std::to_string(outputs) +
                                 " outputs need one"};
            plan.mode = OutputMode::directory;
            plan.output_display = out.ends_with('/') ? out : out + "/";
        } else {
            plan.mode = OutputMode::file;
            plan.output_display = out;
        }
        plan.output = out;
    }

    // Output paths; two inputs writing one path is an error before anything is converted.
    std::map<std::string, std::size_t> taken;
    plan.outputs.resize(plan.inputs.size());
    for (std::size_t i = 0; i < plan.inputs.size(); ++i) {
        const Input& in = plan.inputs[i];
        for (const WriterEntry* w : plan.writers) {
            fs::path path;
            if (plan.mode == OutputMode::file) {
                path = plan.output;
            } else if (plan.mode == OutputMode::directory) {
                std::string stem = in.from_stdin ? kStdinStem : in.path.stem().string();
                path = plan.output / in.relative_dir / (stem + "." + w->extension);
            }
            if (plan.mode != OutputMode::standard_output) {
                std::string key = path.lexically_normal().string();
                auto [where, fresh] = taken.emplace(key, i);
                if (!fresh)
                    throw UsageError{plan.inputs[where->second].name + " and " + in.name +
                                     " would both be written to " + path.string() +
                                     "; rename one, or convert them separately"};
            }
            plan.outputs[i].push_back(std::move(path));
        }
    }
    return plan;
}

// ------------------------------------------------------------------------------ reading

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ > 0) ::close(fd_);  // never standard input
    }
private:
    int fd_;
};

[[noreturn]] void too_big(const std::string& name) {
    throw Error(ErrorKind::limit, name, 0,
                "input larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB, not converted");
}

// Reads all of `fd`, refusing more than the decoder's limit before reading it.
std::string read_all(int fd, const std::string& name) {
    std::string bytes;
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) throw Error(ErrorKind::io, name, 0, "is a directory");
        if (S_ISREG(st.st_mode)) {
            if (static_cast<std::size_t>(st.st_size) > kMaxInputBytes) too_big(name);
            // One byte more than the file, so that the read finding its end needs no
            // reallocation.
            bytes.reserve(static_cast<std::size_t>(st.st_size) + 1);
        }
    }
    std::size_t size = 0;
    for (;;) {
        if (bytes.capacity() - size == 0) bytes.reserve(size + kReadChunkBytes);
        std::size_t want = bytes.capacity() - size;
        bytes.resize(size + want);
        ssize_t n = ::read(fd, bytes.data() + size, want);
        if (n < 0) {
            int error = errno;
            if (error == EINTR) continue;
            throw Error(ErrorKind::io, name, 0, std::string("cannot read: ") + std::strerror(error));
        }
        if (n == 0) break;
        size += static_cast<std::size_t>(n);
        if (size > kMaxInputBytes) too_big(name);
    }
    bytes.resize(size);
    return bytes;
}

std::string read_input(const Input& in) {
    int fd = ::open(in.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        throw Error(ErrorKind::io, in.name, 0, std::strerror(error));
    }
    FileDescriptor guard(fd);
    return read_all(fd, in.name);
}

// ---------------------------------------------------------------------------- reporting

std::string format_score(double score) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", score);
    std::string s = buffer;
    while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
        bool dot = s.back() == '.';
        s.pop_back();
        if (dot) break;
    }
    return s;
}

std::string short_excerpt(std::string_view excerpt) {
    std::string out;
    std::size_t i = 0, count = 0;
    while (i < excerpt.size()) {
        if (count == kMaxExcerptCodePoints) {
            out += "…";
            break;
        }
        char32_t c = text::next(excerpt, i);
        text::append(out, c == '\n' || c == '\t' || c == '\r' ? U' ' : c);
        ++count;
    }
    return out;
}

std::string location(const std::string& name, std::uint32_t first, std::uint32_t last) {
    std::string out = name;
    if (first) {
        out += ':' + std::to_string(first);
        if (last > first) out += '-' + std::to_string(last);
    }
    return out;
}

// file:LINE[-LAST]: PASS: ACTION (score S): REASON — "excerpt"
// (warnings: file:LINE: warning: PASS: REASON ...)
std::string explain_line(const std::string& name, const Diagnostic& d) {
    std::string out = location(name, d.first_line, d.last_line) + ": ";
    if (d.severity == Severity::warning) out += "warning: ";
    if (!d.pass.empty()) out += d.pass + ": ";
    if (!d.action.empty()) {
        out += d.action;
        if (d.score != 0) out += " (score " + format_score(d.score) + ")";  // metadata and repair have none
        out += ": ";
    }
    out += d.reason;
    if (!d.excerpt.empty()) out += " — \"" + short_excerpt(d.excerpt) + "\"";
    return out + "\n";
}

// file:line: warning: message
std::string warning_line(const std::string& name, const Diagnostic& d) {
    std::string message = d.reason.empty() ? d.action : d.reason;
    return location(name, d.first_line, d.first_line) + ": warning: " + message + "\n";
}

std::string error_line(const std::string& fallback_name, const Error& e) {
    const std::string& file = e.file().empty() ? fallback_name : e.file();
    return "dconv: " + location(file, e.line(), e.line()) + ": " + e.message() + "\n";
}

const char* kind_name(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::io: return "io";
        case ErrorKind::input: return "input";
        case ErrorKind::usage: return "usage";
        case ErrorKind::limit: return "limit";
        case ErrorKind::internal: return "internal";
    }
    return "internal";
}

// One JSON object per input, on one line (JSON Lines):
// {"input": "a.txt", "ok": true, "outputs": ["out/a.md"], "error": null,
//  "diagnostics": [{"severity": "note", "pass": "classify", "first_line": 3, "last_line": 5,
//                   "action": "removed", "score": 0.9, "reason": "...", "excerpt": "..."}]}
// "error", when not null: {"kind": "input", "file": "a.txt", "line": 0, "message": "..."}.
std::string explain_json(const std::string& name, bool ok, const std::vector<std::string>& written,
                         const std::vector<Error>& errors, const Diagnostics& diag) {
    nlohmann::ordered_json j;
    j["input"] = name;
    j["ok"] = ok;
    j["outputs"] = written;
    if (errors.empty()) {
        j["error"] = nullptr;
    } else {
        const Error& e = errors.front();
        j["error"] = {{"kind", kind_name(e.kind())},
                      {"file", e.file().empty() ? name : e.file()},
                      {"line", e.line()},
                      {"message", e.message()}};
    }
    j["diagnostics"] = nlohmann::ordered_json::array();
    for (const Diagnostic& d : diag.items())
        j["diagnostics"].push_back({{"severity", d.severity == Severity::warning ? "warning" : "note"},
                                    {"pass", d.pass},
                                    {"first_line", d.first_line},
                                    {"last_line", d.last_line},
                                    {"action", d.action},
                                    {"score", d.score},
                                    {"reason", d.reason},
                                    {"excerpt", d.excerpt}});
    // File names need not be UTF-8; replace rather than throw.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// Serializes everything written to `err` from the workers, and keeps the progress bar on
// the last line: a message erases the bar, prints, and draws it again.
class Reporter {
public:
    Reporter(std::ostream& err, bool progress, std::size_t total)
        : err_(err), progress_(progress), total_(total) {}

    void message(const std::string& text) {
        if (text.empty()) return;
        std::lock_guard lock(mutex_);
        erase_bar();
        err_ << text;
        draw_bar();
        err_.flush();
    }

    void one_done() {
        std::lock_guard lock(mutex_);
        ++done_;
        auto now = std::chrono::steady_clock::now();
        if (progress_ && (done_ == total_ || now - last_draw_ >= kProgressInterval)) {
            erase_bar();
            draw_bar();
            err_.flush();
        }
    }

    void finish() {
        std::lock_guard lock(mutex_);
        erase_bar();
        err_.flush();
    }

private:
    void erase_bar() {
        if (bar_shown_) err_ << "\r\033[K";
        bar_shown_ = false;
    }
    void draw_bar() {
        if (!progress_ || total_ == 0) return;
        int filled = static_cast<int>(kProgressBarWidth * done_ / total_);
        std::string bar = "[";
        for (int i = 0; i < kProgressBarWidth; ++i)
            bar += i < filled ? '=' : (i == filled ? '>' : ' ');
        err_ << bar << "] " << done_ << '/' << total_ << " files";
        bar_shown_ = true;
        last_draw_ = std::chrono::steady_clock::now();
    }

    std::mutex mutex_;
    std::ostream& err_;
    bool progress_;
    std::size_t total_;
    std::size_t done_ = 0;
    bool bar_shown_ = false;
    std::chrono::steady_clock::time_point last_draw_{};
};

// ---------------------------------------------------------------------------- the work

// Runs body(0..count-1) on `jobs` threads (the calling one included). body never throws.
template <class Body>
void parallel_for(std::size_t count, unsigned jobs, Body body) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < count;) body(i);
    };
    std::vector<std::jthread> threads;
    std::size_t extra = std::min<std::size_t>(jobs, count);
    for (std::size_t t = 1; t < extra; ++t) {
        try {
            threads.emplace_back(worker);
        } catch (const std::system_error&) {
            break;  // out of threads: the ones running (and this one) do the rest
        }
    }
    worker();
}

struct Tally {
    std::atomic<std::size_t> converted{0};
    std::atomic<std::size_t> skipped{0};
    std::atomic<std::size_t> warnings{0};
    std::atomic<bool> input_failed{false};
    std::atomic<bool> output_failed{false};
    std::atomic<bool> usage_failed{false};
};

class Converter {
public:
    Converter(const BatchOptions& options, const Plan& plan, const BatchProfile* profile,
              std::ostream& out, Reporter& reporter, Tally& tally)
        : options_(options), plan_(plan), profile_(profile), out_(out), reporter_(reporter),
          tally_(tally) {
        if (bundle()) {
            chapters_.resize(plan_.inputs.size());
            pending_.resize(plan_.inputs.size());
        }
    }

    void convert(std::size_t index) {
        const Input& in = plan_.inputs[index];
        Outcome outcome(options_.explain != Explain::none);  // notes only when shown
        std::vector<StagedFile> staged;  // this input's outputs, written, not yet in place
        bool skipped = false;
        guarded(in.name, outcome.errors, [&] {
            refuse_overwriting_inputs(index);  // before skipping: an input is no output
            if (options_.skip_existing && outputs_exist(index)) {
                skipped = true;
                return;
            }
            DeadlineScope deadline(options_.timeout_seconds, in.name);
            Document doc = read(in, outcome.diag);
            if (bundle()) {
                chapters_[index] = std::move(doc);
                return;
            }
            apply_meta(doc.meta, options_.metadata);
            WriteOptions write = options_.write;
            write.diagnostics = &outcome.diag;
            // Every format is made before any is written: an input that fails (a limit,
            // its deadline) leaves no output at all, not some of its formats.
            std::vector<std::string> documents;
            for (const WriterEntry* writer : plan_.writers)
                documents.push_back(write_document(doc, writer->name, write));
            doc = Document();  // freed before the files are written
            for (std::size_t w = 0; w < plan_.writers.size(); ++w) {
                std::string document = std::move(documents[w]);
                try {
                    if (plan_.mode == OutputMode::standard_output) {
                        write_output(fs::path(), document);
                        outcome.written.push_back("-");
                    } else {
                        staged.push_back(stage_output(plan_.outputs[index][w], document));
                    }
                } catch (const Error& e) {  // one format's output failed: try the others
                    outcome.errors.push_back(e);
                    outcome.output_failed = true;
                }
            }
        });
        if (bundle()) {  // reported once the book is written (or not)
            pending_[index] = std::move(outcome);
            reporter_.one_done();
            return;
        }
        if (skipped) {
            skip(in, index);
            return;
        }
        if (staged.empty()) {
            finish(in, outcome, outcome.errors.empty());
            return;
        }
        // The outputs are written but not in place: the committer fsyncs and renames them
        // (in order) while this thread goes on with the next input, then reports this one.
        auto job = std::make_shared<Committal>(Committal{&in, std::move(outcome), std::move(staged)});
        committer_.post([this, job] {
            for (StagedFile& file : job->files) {
                try {
                    file.commit();
                    job->outcome.written.push_back(file.path().string());
                } catch (const Error& e) {
                    job->outcome.errors.push_back(e);
                    job->outcome.output_failed = true;
                }
            }
            job->files.clear();
            finish(*job->in, job->outcome, job->outcome.errors.empty());
        });
    }

    // Waits for the outputs still being committed, and their reports.
    void drain() { committer_.drain(); }

    // With a bundle, after every input was read: binds the chapters read into one book,
    // writes it in each format, and reports every input.
    void write_bundle() {
        std::vector<Document> chapters;
        for (auto& chapter : chapters_)
            if (chapter) chapters.push_back(std::move(*chapter));
        chapters_.clear();
        std::vector<Error> book_errors;
        std::vector<std::string> written;
        bool output_failed = false;
        std::string book_name = plan_.output_display;
        if (!chapters.empty()) {
            guarded(book_name, book_errors, [&] {
                refuse_overwriting_inputs(plan_.bundle_outputs);
                DeadlineScope deadline(options_.timeout_seconds, book_name);
                Book book = make_book(std::move(chapters), options_.metadata);
                WriteOptions write = options_.write;
                // The book's warnings are reported with its first input.
                for (Outcome& outcome : pending_)
                    if (outcome.errors.empty()) {
                        write.diagnostics = &outcome.diag;
                        break;
                    }
                std::vector<std::string> documents;  // all made before any is written
                for (const WriterEntry* writer : plan_.writers)
                    documents.push_back(write_book(book, writer->name, write));
                for (std::size_t w = 0; w < plan_.writers.size(); ++w) {
                    std::string document = std::move(documents[w]);
                    try {
                        write_output(plan_.bundle_outputs[w], document);
                        written.push_back(plan_.mode == OutputMode::standard_output
                                              ? "-" : plan_.bundle_outputs[w].string());
                    } catch (const Error& e) {
                        book_errors.push_back(e);
                        output_failed = true;
                    }
                }
            });
        }
        bool book_ok = book_errors.empty() && !written.empty();
        for (std::size_t i = 0; i < plan_.inputs.size(); ++i) {
            Outcome& outcome = pending_[i];
            bool ok = outcome.errors.empty() && book_ok;
            if (outcome.errors.empty()) outcome.written = written;
            finish(plan_.inputs[i], outcome, ok, /*count_done=*/false);
        }
        std::string text;
        for (const Error& e : book_errors) {
            text += error_line(book_name, e);
            if (e.kind() == ErrorKind::usage) tally_.usage_failed = true;
            else if (output_failed || e.kind() == ErrorKind::io) tally_.output_failed = true;
            else tally_.input_failed = true;
        }
        reporter_.message(text);
    }

private:
    // What became of one input.
    struct Outcome {
        explicit Outcome(bool keep_notes = false) : diag(keep_notes) {}
        Diagnostics diag;
        std::vector<Error> errors;
        std::vector<std::string> written;
        bool output_failed = false;
    };

    // One input's outputs waiting to be committed, with what to report once they are.
    struct Committal {
        const Input* in;
        Outcome outcome;
        std::vector<StagedFile> files;
    };

    bool bundle() const { return !plan_.bundle_outputs.empty(); }

    Document read(const Input& in, Diagnostics& diag) const {
        ReadOptions read = options_.read;
        read.source_name = in.name;
        read.batch = profile_;
        if (in.from_stdin) {
            if (plan_.stdin_failed) throw Error(ErrorKind::io, kStdinName, 0, plan_.stdin_error);
            return read_document(std::string_view(plan_.stdin_bytes), read, diag);
        }
        return read_document(read_input(in), read, diag);  // the bytes go once decoded
    }

    // Runs `work`, turning whatever it throws into an Error for `name`.
    template <class Work>
    static void guarded(const std::string& name, std::vector<Error>& errors, Work work) {
        try {
            work();
        } catch (const Error& e) {
            errors.push_back(e);
        } catch (const std::bad_alloc&) {
            errors.emplace_back(ErrorKind::limit, name, 0, "out of memory");
        } catch (const std::exception& e) {
            errors.emplace_back(ErrorKind::internal, name, 0, std::string("internal error: ") + e.what());
        } catch (...) {
            errors.emplace_back(ErrorKind::internal, name, 0, "internal error");
        }
    }

    // --skip-existing: every output of the input is a file already (a link to one counts).
    bool outputs_exist(std::size_t index) const {
        for (const fs::path& path : plan_.outputs[index]) {
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
        }
        return true;
    }

    // Counts and reports an input skipped for its existing outputs: a line with --explain,
    // an object with "skipped": true with --explain=json, otherwise only the summary.
    void skip(const Input& in, std::size_t index) {
        ++tally_.skipped;
        std::vector<std::string> existing;
        for (const fs::path& path : plan_.outputs[index]) existing.push_back(path.string());
        if (options_.explain == Explain::json) {
            std::string line = explain_json(in.name, true, existing, {}, Diagnostics{});
            line.pop_back();  // the '}' and '\n' closing the object
            line.pop_back();
            reporter_.message(line + ",\"skipped\":true}\n");
        } else if (options_.explain == Explain::text) {
            reporter_.message(in.name + ": skipped: every output exists (" + join(existing, ", ") + ")\n");
        }
        reporter_.one_done();
    }

    // Counts and reports one input.
    void finish(const Input& in, const Outcome& outcome, bool ok, bool count_done = true) {
        tally_.warnings += outcome.diag.warnings();
        if (ok) {
            ++tally_.converted;
        } else if (outcome.output_failed) {
            tally_.output_failed = true;
        }
        for (const Error& e : outcome.errors) {
            if (e.kind() == ErrorKind::usage) tally_.usage_failed = true;
            else if (!outcome.output_failed) tally_.input_failed = true;
        }
        reporter_.message(report(in, ok, outcome.written, outcome.errors, outcome.diag));
        if (count_done) reporter_.one_done();
    }

    // Refused before anything is read or written: an output that is the same file as an
    // input (this one or another in the batch) would destroy it.
    void refuse_overwriting_inputs(std::size_t index) const {
        if (plan_.mode == OutputMode::standard_output || bundle()) return;
        refuse_overwriting_inputs(plan_.outputs[index], plan_.inputs[index].name);
    }

    void refuse_overwriting_inputs(const std::vector<fs::path>& outputs, const std::string& name = {}) const {
        if (plan_.mode == OutputMode::standard_output) return;
        for (const fs::path& path : outputs) {
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0) continue;
            auto hit = plan_.input_ids.find({st.st_dev, st.st_ino});
            if (hit != plan_.input_ids.end())
                throw Error(ErrorKind::input, name.empty() ? path.string() : name, 0,
                            "output " + path.string() + " is the same file as input " + hit->second +
                                "; not overwriting it (choose another output)");
        }
    }

    // Writes `document` to a temporary beside `path`, creating its folder; commit() puts
    // it in place.
    static StagedFile stage_output(const fs::path& path, const std::string& document) {
        create_parent(path);
        return StagedFile(path, document);
    }

    static void create_parent(const fs::path& path) {
        fs::path parent = path.parent_path();
        if (parent.empty()) return;
        std::error_code ec;
        fs::create_directories(parent, ec);
        if (ec) throw Error(ErrorKind::io, parent.string(), 0, "cannot create directory: " + ec.message());
    }

    // Writes to `path`, or to standard output when the plan says so.
    void write_output(const fs::path& path, const std::string& document) {
        if (plan_.mode == OutputMode::standard_output) {
            std::lock_guard lock(stdout_mutex_);
            out_.write(document.data(), static_cast<std::streamsize>(document.size()));
            out_.flush();
            if (!out_) throw Error(ErrorKind::io, "standard output", 0, "cannot write");
            return;
        }
        create_parent(path);
        write_file_atomic(path, document);
    }

    std::string report(const Input& in, bool ok, const std::vector<std::string>& written,
                       const std::vector<Error>& errors, const Diagnostics& diag) const {
        if (options_.explain == Explain::json) return explain_json(in.name, ok, written, errors, diag);
        std::string text;
        for (const Diagnostic& d : diag.items()) {
            if (options_.explain == Explain::text)
                text += explain_line(in.name, d);
            else if (d.severity == Severity::warning && !options_.quiet)
                text += warning_line(in.name, d);
        }
        for (const Error& e : errors) text += error_line(in.name, e);
        return text;
    }

    const BatchOptions& options_;
    const Plan& plan_;
    const BatchProfile* profile_;
    std::ostream& out_;
    Reporter& reporter_;
    Tally& tally_;
    std::mutex stdout_mutex_;
    // With a bundle: each input's document and outcome, by index, until the book is made.
    std::vector<std::optional<Document>> chapters_;
    std::vector<Outcome> pending_;
    // Commits outputs in the background. A backlog of a few inputs per worker is enough
    // to hide an fsync behind the next conversion, and bounds the open temporaries.
    SerialWorker committer_{kCommitBacklogPerJob * std::max(1u, options_.jobs)};
};

// The lines that recur across the batch's pages: their site's template. Pages are decoded
// on the pool, one at a time per thread, so memory stays bounded whatever the batch size;
// an input that fails here is reported when it is converted.
void build_profile(const Plan& plan, const BatchOptions& options, unsigned jobs,
                   BatchProfile& profile) {
    std::mutex mutex;
    std::size_t count = std::min(plan.inputs.size(), kMaxProfiledInputs);
    parallel_for(count, jobs, [&](std::size_t i) {
        const Input& in = plan.inputs[i];
        try {
            std::string file_bytes;
            std::string_view bytes;
            if (in.from_stdin) {
                bytes = plan.stdin_bytes;
            } else {
                file_bytes = read_input(in);
                bytes = file_bytes;
            }
            if (bytes.size() > kMaxProfiledBytes) return;
            Diagnostics ignored;
            ReadOptions read = options.read;
            read.source_name = in.name;
            std::string text = template_text(bytes, read, ignored);
            std::lock_guard lock(mutex);
            profile.add_page(text);
        } catch (...) {
        }
    });
}

// A killed run can leave the hidden temporary of an output it was writing (atomic_file.hpp:
// ".NAME.XXXXXX", NAME cut to kMaxTempStemBytes): before writing, those of this run's
// outputs are removed. Only names of outputs this run writes are touched, so a run
// writing other files into the same directory at the same time is left alone.
constexpr std::size_t kTempSuffixBytes = 7;     // ".XXXXXX", mkstemp's six characters

bool leftover_temporary_of(const std::string& entry, const std::set<std::string>& outputs) {
    if (entry.size() < 1 + 1 + kTempSuffixBytes || entry[0] != '.') return false;
    std::size_t dot = entry.size() - kTempSuffixBytes;
    if (entry[dot] != '.') return false;
    for (std::size_t i = dot + 1; i < entry.size(); ++i)
        if (!std::isalnum(static_cast<unsigned char>(entry[i]))) return false;
    std::string name = entry.substr(1, dot - 1);
    if (outputs.contains(name)) return true;
    if (name.size() < kMaxTempStemBytes) return false;
    auto candidate = outputs.lower_bound(name);  // a long name, cut: some output starts with it
    return candidate != outputs.end() && candidate->starts_with(name);
}

std::size_t remove_leftover_temporaries(const Plan& plan) {
    std::map<fs::path, std::set<std::string>> by_directory;
    for (const auto& per_input : plan.outputs)
        for (const fs::path& path : per_input) {
            fs::path dir = path.parent_path();
            by_directory[dir.empty() ? fs::path(".") : dir].insert(path.filename().string());
        }
    std::size_t removed = 0;
    for (const auto& [dir, names] : by_directory) {
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code entry_ec;
            if (!it->is_regular_file(entry_ec)) continue;
            if (!leftover_temporary_of(it->path().filename().string(), names)) continue;
            struct stat st {};
            if (::stat(it->path().c_str(), &st) == 0 && plan.input_ids.contains({st.st_dev, st.st_ino}))
                continue;  // named like one, but given as an input: not ours to remove
            if (fs::remove(it->path(), entry_ec)) ++removed;
        }
    }
    return removed;
}

}  // namespace

// ---------------------------------------------------------------------------- front door

BatchResult run_batch(const BatchOptions& options, std::ostream& out, std::ostream& err) {
    if (options.jsonl) return run_jsonl(options, STDIN_FILENO, out, err);
    auto start = std::chrono::steady_clock::now();
    BatchResult result;
    Plan plan;
    try {
        plan = make_plan(options);
    } catch (const UsageError& e) {
        err << "dconv: " << e.message << "\n";
        result.exit_code = kExitUsage;
        return result;
    }

    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    bool json = options.explain == Explain::json;
    result.inputs = plan.inputs.size() + plan.missing.size();
    Tally tally;
    for (const auto& [name, why] : plan.missing) {
        Error e(ErrorKind::io, name, 0, why);
        err << (json ? explain_json(name, false, {}, {e}, Diagnostics{}) : error_line(name, e));
        tally.input_failed = true;
    }

    bool nothing_to_do = plan.inputs.empty();
    if (!nothing_to_do && plan.mode == OutputMode::directory) {
        std::error_code ec;
        fs::create_directories(plan.output, ec);
        if (ec) {
            err << "dconv: " << plan.output.string() << ": cannot create directory: " << ec.message()
                << "\n";
            tally.output_failed = true;
            nothing_to_do = true;
        }
    }

    if (!nothing_to_do && (plan.mode == OutputMode::directory || plan.mode == OutputMode::file)) {
        std::size_t removed = remove_leftover_temporaries(plan);
        if (removed && !options.quiet && !json)
            err << "dconv: removed " << removed << " temporary file" << (removed == 1 ? "" : "s")
                << " left by an interrupted run\n";
    }

    if (!nothing_to_do) {
        for (const Input& in : plan.inputs) {
            if (!in.from_stdin) continue;
            try {
                plan.stdin_bytes = read_all(STDIN_FILENO, kStdinName);
            } catch (const Error& e) {
                plan.stdin_failed = true;
                plan.stdin_error = e.message();
            }
        }

        BatchProfile profile;
        const BatchProfile* batch = nullptr;
        if (plan.inputs.size() > 1 && options.read.clean != Cleaning::off) {
            build_profile(plan, options, jobs, profile);
            batch = &profile;
        }

        Reporter reporter(err, options.progress && !json && plan.inputs.size() > 1,
                          plan.inputs.size());
        Converter converter(options, plan, batch, out, reporter, tally);
        parallel_for(plan.inputs.size(), jobs, [&](std::size_t i) { converter.convert(i); });
        converter.drain();
        if (!plan.bundle_outputs.empty()) converter.write_bundle();
        reporter.finish();
    }

    result.converted = tally.converted;
    result.skipped = tally.skipped;
    result.failed = result.inputs - result.converted - result.skipped;
    result.warnings = tally.warnings;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.exit_code = tally.usage_failed    ? kExitUsage
                       : tally.output_failed ? kExitOutputFailed
                       : tally.input_failed  ? kExitInputFailed
                                             : kExitSuccess;
    // A filter (-o -) keeps stderr for what matters: failures, which are reported
    // anyway; the summary is for batches written to files.
    bool filter = plan.mode == OutputMode::standard_output && result.failed == 0;
    if (!options.quiet && !json && !filter) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", result.seconds);
        err << "converted " << result.converted << " of " << result.inputs
            << (result.inputs == 1 ? " input" : " inputs") << " into " << plan.output_display;
        if (result.failed || result.skipped) {
            err << " (";
            if (result.failed) err << result.failed << " failed" << (result.skipped ? ", " : "");
            if (result.skipped) err << result.skipped << " skipped: their outputs exist";
            err << ")";
        }
        err << " in " << seconds << " s\n";
    }
    err.flush();
    return result;
}

std::string describe_formats() {
    auto pad = [](std::string s, std::size_t width) {
        s.resize(std::max(s.size(), width), ' ');
        return s;
    };
    std::size_t name_width = 0, ext_width = 0;
    std::vector<std::string> reader_exts;
    for (const auto& r : readers()) {
        std::string exts;
        for (const auto& e : r.extensions) exts += (exts.empty() ? "." : " .") + e;
        reader_exts.push_back(exts);
        name_width = std::max(name_width, r.name.size());
        ext_width = std::max(ext_width, exts.size());
    }
    for (const auto& w : writers()) {
        name_width = std::max(name_width, w.name.size());
        ext_width = std::max(ext_width, w.extension.size() + 1);
    }
    std::string out = "Input formats (--from FMT; otherwise by the file's ending, or HTML by its markup):\n";
    for (std::size_t i = 0; i < readers().size(); ++i) {
        const auto& r = readers()[i];
        out += "  " + pad(r.name, name_width) + "  " + pad(reader_exts[i], ext_width) + "  " +
               r.description + "\n";
    }
    out += "Output formats (--to FMT[,FMT...], or --to all):\n";
    for (const auto& w : writers()) {
        out += "  " + pad(w.name, name_width) + "  " + pad("." + w.extension, ext_width) + "  " +
               w.description;
        if (!w.aliases.empty()) out += " (also: " + join(w.aliases, ", ") + ")";
        out += "\n";
    }
    out += "Styles of html and epub (--style NAME, or --style FILE.css):\n";
    for (const StyleInfo& style : builtin_styles())
        out += "  " + pad(style.name, name_width) + "  " + style.description + "\n";
    out += "Print styles of pdf (--style NAME, or --style FILE.css; see styles/print/):\n";
    for (const StyleInfo& style : pdf::builtin_print_styles())
        out += "  " + pad(style.name, name_width) + "  " + style.description + "\n";
    return out;
}

}  // namespace dconv
