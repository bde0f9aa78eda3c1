// jsonl.cpp: `dconv --jsonl`, a filter of JSON Lines records for corpus engines (Spark's
// RDD.pipe, Hadoop Streaming, Dask bags): one record in, one record out, in order. The
// contract is documented at run_jsonl in dconv/batch.hpp.
#include "dconv/batch.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>
#include <utility>

#include "core/atomic_file.hpp"
#include "core/text.hpp"
#include "core/selector_warnings.hpp"
#include "dconv/book.hpp"
#include "dconv/fetch.hpp"
#include "dconv/model.hpp"
#include "dconv/registry.hpp"
#include "native/native_writer.hpp"

namespace dconv {

namespace {

using Json = nlohmann::ordered_json;

// ------------------------------------------------------------------------------ limits

// Standard input is read in pieces this big.
constexpr std::size_t kReadChunkBytes = std::size_t(1) << 20;
// The reader looks at the stop flag (set when the output failed) this often while it
// waits for input, so that a dead consumer never leaves it blocked for good.
constexpr int kPollMilliseconds = 100;
// An input line quoted in an error message is cut here.
constexpr std::size_t kMaxQuotedBytes = 60;

// ---------------------------------------------------------------------------- records

// One input line, numbered from 1.
struct Line {
    std::uint64_t number = 0;    // in the input, from 1: for messages
    std::uint64_t sequence = 0;  // among the records (blank lines skipped), from 0: the output's order
    std::string bytes;
    std::size_t length = 0;  // the line's length as read (bytes is empty when too long)
    bool too_long = false;
};

// One output line and what it tells the run's result.
struct Converted {
    std::string line;  // the JSON record and its '\n'
    std::string messages;  // for `err`
    bool failed = false;
    std::size_t warnings = 0;
};

std::string dump(const Json& j) {
    // Text from a record is valid UTF-8 (nlohmann rejects anything else on parse), but a
    // writer's output could in principle hold a replacement-worthy byte: never throw.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The record's "meta": each key through set_meta_field, as --metadata KEY=VALUE.
Meta record_meta(const Json& given) {
    Meta meta;
    if (given.is_null()) return meta;
    if (!given.is_object())
        throw Error(ErrorKind::input, "", 0, "\"meta\" must be an object of metadata fields");
    for (const auto& field : given.items()) {
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        const std::string& key = field.key();
        const Json& value = field.value();
        std::string name = text::lower_ascii(text::trim(key));
        if (name == "authors") name = "author";
        auto set = [&](const Json& v) {
            if (v.is_string()) set_meta_field(meta, name, v.get<std::string>());
            else if (v.is_number() || v.is_boolean()) set_meta_field(meta, name, v.dump());
            else if (!v.is_null())
                throw Error(ErrorKind::input, "", 0,
                            "meta \"" + key + "\": expected a string (or an array of strings)");
        };
        if (value.is_array()) {
            for (const Json& item : value) set(item);
        } else {
            set(value);
        }
    }
    return meta;
}

// The page's address a record gives: its meta "url", else a "source" that is an http or
// https URL; empty when it gives none.
std::string record_url(const Meta& given) {
    if (auto it = given.extra.find("url"); it != given.extra.end() && is_web_url(text::trim(it->second)))
        return std::string(text::trim(it->second));
    if (is_web_url(text::trim(given.source))) return std::string(text::trim(given.source));
    return {};
}

Json stats_json(std::size_t input_bytes, std::size_t input_lines, const Document* doc,
                std::size_t warnings) {
    std::size_t kept_lines = 0, kept_chars = 0, blocks = 0;
    if (doc) {
        blocks = doc->blocks.size();
        // The source lines the kept blocks came from, each counted once.
        std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;
        for (const Block& block : doc->blocks) {
            if (block.source.known())
                ranges.emplace_back(block.source.first, std::max(block.source.first, block.source.last));
            std::string visible = plain_text(block);
            for (std::size_t i = 0; i < visible.size();) {
                char32_t c = text::next(visible, i);
                kept_chars += c != '\n';
            }
        }
        std::sort(ranges.begin(), ranges.end());
        std::uint32_t covered_to = 0;  // last line counted
        for (auto [first, last] : ranges) {
            if (last <= covered_to) continue;
            kept_lines += last - std::max(first, covered_to + 1) + 1;
            covered_to = last;
        }
    }
    Json stats = Json::object();
    stats["input_bytes"] = input_bytes;
    stats["input_lines"] = input_lines;
    stats["blocks"] = blocks;
    stats["kept_lines"] = kept_lines;
    stats["kept_chars"] = kept_chars;
    stats["warnings"] = warnings;
    return stats;
}

std::size_t count_lines(std::string_view content) {
    if (content.empty()) return 0;
    return static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')) +
           (content.back() != '\n');
}

std::string quoted_start(std::string_view bytes) {
    std::string out;
    std::size_t i = 0;
    while (i < bytes.size() && out.size() < kMaxQuotedBytes) {
        char32_t c = text::next(bytes, i);
        text::append(out, c < 0x20 ? U' ' : c);
    }
    return "\"" + out + (i < bytes.size() ? "…\"" : "\"");
}

// How a record is named in messages: "line 12 (id "a17")", by its line in the input,
// which blank lines make differ from its place among the records.
std::string record_name(std::uint64_t number, const Json& id) {
    std::string name = "line " + std::to_string(number);
    if (!id.is_null()) name += " (id " + dump(id) + ")";
    return name;
}

class RecordConverter {
public:
    explicit RecordConverter(const BatchOptions& options) : options_(options) {
        markdown_options_ = options.write;
        markdown_options_.front_matter = false;
        text_options_ = options.write;
    }

    Converted convert(Line line) const {
        Json id = nullptr;
        std::size_t input_bytes = 0, input_lines = 0;
        Diagnostics diag(false);
        try {
            DeadlineScope deadline(options_.timeout_seconds, "");  // the record's, parsing included
            if (line.too_long)
                throw Error(ErrorKind::limit, "", 0,
                            "line of " + std::to_string(line.length) + " bytes, over the " +
                                std::to_string(kJsonlMaxRecordBytes >> 20) + " MiB record limit");
            Json record;
            try {
                record = Json::parse(line.bytes);
            } catch (const Json::exception& e) {
                std::string_view why = e.what();  // "[json.exception.parse_error.101] parse error at ..."
                if (auto bracket = why.find("] "); why.starts_with("[") && bracket != why.npos)
                    why.remove_prefix(bracket + 2);
                // A record is one line, named by its line in the input: nlohmann's own
                // "line 1" beside it would contradict it.
                std::string reason(why);
                if (auto at = reason.find("at line 1, column "); at != std::string::npos)
                    reason.replace(at, std::string_view("at line 1, column ").size(), "at column ");
                throw Error(ErrorKind::input, "", 0,
                            "not a JSON record: " + reason + " in " + quoted_start(line.bytes));
            }
            std::string().swap(line.bytes);
            if (!record.is_object())
                throw Error(ErrorKind::input, "", 0, "a record must be a JSON object");
            if (auto it = record.find("id"); it != record.end()) id = *it;

            ReadOptions read;
            read.clean = options_.read.clean;
            read.favor = options_.read.favor;
            read.resources.load = false;  // records are written as text: no image is needed
            read.keep_selectors = options_.read.keep_selectors;
            read.drop_selectors = options_.read.drop_selectors;
            std::string content = take_content(record, read.format);
            input_bytes = content.size();
            input_lines = count_lines(content);
            Meta given = record_meta(record.contains("meta") ? record["meta"] : Json());
            record = nullptr;  // the content was moved out; free the rest before converting

            read.page_address = record_url(given);  // the base of an HTML page's relative links and <base href>
            Document doc = read_document(std::move(content), read, diag);
            // The record's address, when it gives one, is the base of the links the page
            // leaves relative; a page that gives its own (<link rel=canonical>, og:url,
            // <base href>) has resolved them already, and absolute links stay as they are.
            if (std::string base = record_url(given); !base.empty()) make_urls_absolute(doc, base);
            apply_meta(doc.meta, options_.metadata);
            apply_meta(doc.meta, given);
            WriteOptions markdown = markdown_options_, plain = text_options_;
            markdown.diagnostics = plain.diagnostics = &diag;
            Json out = Json::object();
            out["dconv-jsonl"] = kJsonlRecordVersion;
            out["id"] = std::move(id);
            out["markdown"] = write_document(doc, "md", markdown);
            out["text"] = write_document(doc, "txt", plain);
            out["meta"] = native_meta(doc.meta);
            out["stats"] = stats_json(input_bytes, input_lines, &doc, diag.warnings());
            Converted result;
            result.line = dump(out) + "\n";
            result.warnings = diag.warnings();
            if (!options_.quiet) result.messages = warnings(line.number, out["id"], diag);
            return result;
        } catch (const Error& e) {
            return failure(line.number, id, input_bytes, input_lines, diag, describe(e));
        } catch (const std::bad_alloc&) {
            return failure(line.number, id, input_bytes, input_lines, diag, "out of memory");
        } catch (const std::exception& e) {
            return failure(line.number, id, input_bytes, input_lines, diag,
                           std::string("internal error: ") + e.what());
        } catch (...) {
            return failure(line.number, id, input_bytes, input_lines, diag, "internal error");
        }
    }

private:
    // The record's one content field, moved out of it; sets the reader to use.
    static std::string take_content(Json& record, std::string& format) {
        static const std::pair<const char*, const char*> kFields[] = {
            {"text", "webtext"}, {"markdown", "markdown"}, {"html", "html"}};
        const char* found = nullptr;
        for (const auto& [field, reader] : kFields) {
            auto it = record.find(field);
            if (it == record.end() || it->is_null()) continue;
            if (found)
                throw Error(ErrorKind::input, "", 0,
                            std::string("both \"") + found + "\" and \"" + field + "\": give one");
            if (!it->is_string())
                throw Error(ErrorKind::input, "", 0, std::string("\"") + field + "\" must be a string");
            found = field;
            format = reader;
        }
        if (!found)
            throw Error(ErrorKind::input, "", 0, "no content: give \"text\", \"html\" or \"markdown\"");
        if (!find_reader(format))
            throw Error(ErrorKind::usage, "", 0,
                        "\"" + std::string(found) + "\": this dconv has no " + format + " reader");
        return std::move(record[found].get_ref<std::string&>());
    }

    static std::string describe(const Error& e) {
        return e.line() ? "line " + std::to_string(e.line()) + ": " + e.message() : e.message();
    }

    Converted failure(std::uint64_t number, const Json& id, std::size_t input_bytes,
                      std::size_t input_lines, const Diagnostics& diag,
                      const std::string& message) const {
        Json out = Json::object();
        out["dconv-jsonl"] = kJsonlRecordVersion;
        out["id"] = id;
        out["markdown"] = "";
        out["text"] = "";
        out["meta"] = Json::object();
        out["stats"] = stats_json(input_bytes, input_lines, nullptr, diag.warnings());
        out["error"] = message;
        Converted result;
        result.line = dump(out) + "\n";
        result.failed = true;
        result.warnings = diag.warnings();
        if (!options_.quiet) result.messages = warnings(number, id, diag);
        result.messages += "dconv: " + record_name(number, id) + ": " + message + "\n";
        return result;
    }

public:
    // "dconv: warning: --keep-selector '.recipe' matched nothing in 12 of 1000 records:
    // lines 3, 5, 9 and 9 more", one line per selector; empty when every one matched.
    std::string unmatched_selector_summary(std::size_t records) const {
        std::lock_guard lock(unmatched_mutex_);
        std::string out;
        for (auto& [warning, lines] : unmatched_) {
            std::sort(lines.begin(), lines.end());
            std::vector<std::string> names;
            for (std::size_t k = 0; k < lines.size() && k < kSelectorWarningNamed; ++k)
                names.push_back(std::to_string(lines[k]));
            out += selector_summary_line(warning, names, lines.size(), records, "records",
                                         lines.size() == 1 ? "line " : "lines ");
        }
        return out;
    }

private:
    std::string warnings(std::uint64_t number, const Json& id, const Diagnostics& diag) const {
        std::string out;
        for (const Diagnostic& d : diag.items()) {
            if (d.severity != Severity::warning) continue;
            // a selector that matched nothing: summed up at the end, not said per record
            if (d.pass == kSelectorWarningPass) {
                std::lock_guard lock(unmatched_mutex_);
                unmatched_[d.reason].push_back(number);
                continue;
            }
            out += "dconv: " + record_name(number, id);
            if (d.first_line) out += ":" + std::to_string(d.first_line);
            out += ": warning: " + (d.reason.empty() ? d.action : d.reason) + "\n";
        }
        return out;
    }

    const BatchOptions& options_;
    WriteOptions markdown_options_, text_options_;
    // the selectors that matched nothing, by warning, with the lines of their records
    mutable std::mutex unmatched_mutex_;
    mutable std::map<std::string, std::vector<std::uint64_t>> unmatched_;
};

// ---------------------------------------------------------------------------- pipeline

// Splits a file descriptor into lines without ever holding more than one line (up to
// kJsonlMaxRecordBytes) and one chunk.
class LineReader {
public:
    LineReader(int fd, const std::atomic<bool>& stop) : fd_(fd), stop_(stop) {}

    // The next line, without its "\n" (and "\r\n"); false at the end of the input or on
    // stop. Throws dconv::Error when the input cannot be read.
    bool next(Line& line) {
        line = Line{};
        for (;;) {
            if (position_ == size_) {
                if (!fill()) {
                    if (line.length == 0) return false;  // no unterminated last line
                    finish(line);
                    return true;
                }
            }
            const char* start = buffer_.data() + position_;
            std::size_t available = size_ - position_;
            const void* newline = std::memchr(start, '\n', available);
            std::size_t take = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - start)
                                       : available;
            line.length += take;
            if (line.length > kJsonlMaxRecordBytes) {
                line.too_long = true;
                std::string().swap(line.bytes);
            } else {
                line.bytes.append(start, take);
            }
            position_ += take;
            if (newline) {
                ++position_;
                finish(line);
                return true;
            }
        }
    }

private:
    void finish(Line& line) {
        line.number = ++lines_;
        if (!line.bytes.empty() && line.bytes.back() == '\r') line.bytes.pop_back();
    }

    bool fill() {
        if (ended_) return false;
        buffer_.resize(kReadChunkBytes);
        position_ = size_ = 0;
        for (;;) {
            if (stop_) return false;
            pollfd waiting{fd_, POLLIN, 0};
            int ready = ::poll(&waiting, 1, kPollMilliseconds);
            if (ready == 0) continue;
            if (ready < 0 && errno != EINTR) break;  // not pollable: read and block
            if (ready < 0) continue;
            break;
        }
        for (;;) {
            ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                int error = errno;
                ended_ = true;
                throw Error(ErrorKind::io, "standard input", 0, std::string("cannot read: ") + std::strerror(error));
            }
            if (n == 0) {
                ended_ = true;
                return false;
            }
            size_ = static_cast<std::size_t>(n);
            return true;
        }
    }

    int fd_;
    const std::atomic<bool>& stop_;
    std::string buffer_;
    std::size_t position_ = 0, size_ = 0;
    std::uint64_t lines_ = 0;
    bool ended_ = false;
};

// Reader thread → queue → workers → reordering → the calling thread writes. One mutex
// guards it all: a record's conversion takes far longer than its hand-offs.
class Pipeline {
public:
    Pipeline(const BatchOptions& options, unsigned jobs, int input_fd, std::ostream& out,
             std::ostream& err)
        : converter_(options), jobs_(jobs), window_(kJsonlWindowPerJob * jobs), input_fd_(input_fd),
          out_(out), err_(err) {}

    BatchResult run() {
        BatchResult result;
        std::vector<std::jthread> workers;
        std::jthread reader([this] { read_lines(); });
        for (unsigned i = 0; i < jobs_; ++i) {
            try {
                workers.emplace_back([this] { work(); });
            } catch (const std::system_error&) {
                if (workers.empty()) throw;
                break;  // out of threads: those running do the work
            }
        }
        write_in_order(result);
        {
            std::lock_guard lock(mutex_);
            stop_ = true;  // only matters when writing failed: the others wind down
        }
        room_.notify_all();
        work_.notify_all();
        reader.join();
        for (auto& worker : workers) worker.join();
        err_ << converter_.unmatched_selector_summary(result.inputs);
        if (!read_error_.empty()) {
            err_ << "dconv: " << read_error_ << "\n";
            input_failed_ = true;
        }
        result.exit_code = output_failed_ ? kExitOutputFailed
                           : input_failed_ ? kExitInputFailed
                                           : kExitSuccess;
        return result;
    }

private:
    void read_lines() {
        LineReader lines(input_fd_, stop_);
        try {
            Line line;
            while (lines.next(line)) {
                // A UTF-8 byte order mark (an editor's) starts the stream, not a record.
                if (line.number == 1 && line.bytes.starts_with("\xEF\xBB\xBF")) line.bytes.erase(0, 3);
                // A blank line (JSON's white space only) is no record: skipped, as JSON
                // Lines readers do (jq, pandas), rather than answered with an error record.
                if (!line.too_long && line.bytes.find_first_not_of(" \t\r\n") == std::string::npos) continue;
                std::size_t bytes = line.bytes.size();
                std::unique_lock lock(mutex_);
                room_.wait(lock, [&] {
                    std::size_t in_flight = read_ - written_;
                    return stop_ || in_flight == 0 ||
                           (in_flight < window_ && bytes_in_flight_ + bytes <= kJsonlWindowBytes);
                });
                if (stop_) break;
                line.sequence = read_++;
                bytes_in_flight_ += bytes;
                sizes_.push_back(bytes);
                queue_.push_back(std::move(line));
                work_.notify_one();
            }
        } catch (const Error& e) {
            std::lock_guard lock(mutex_);
            read_error_ = e.what();
        } catch (const std::bad_alloc&) {
            std::lock_guard lock(mutex_);
            read_error_ = "standard input: out of memory reading a record";
        }
        {
            std::lock_guard lock(mutex_);
            input_ended_ = true;
        }
        work_.notify_all();
        ready_.notify_all();
    }

    void work() {
        for (;;) {
            Line line;
            {
                std::unique_lock lock(mutex_);
                work_.wait(lock, [&] { return stop_ || input_ended_ || !queue_.empty(); });
                if (stop_ || queue_.empty()) return;
                line = std::move(queue_.front());
                queue_.pop_front();
            }
            std::uint64_t index = line.sequence;
            Converted converted = converter_.convert(std::move(line));
            {
                std::lock_guard lock(mutex_);
                done_.emplace(index, std::move(converted));
                if (index != written_) continue;
            }
            ready_.notify_one();
        }
    }

    void write_in_order(BatchResult& result) {
        for (;;) {
            Converted next;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [&] {
                    return done_.contains(written_) || (input_ended_ && written_ == read_);
                });
                auto it = done_.find(written_);
                if (it == done_.end()) return;  // everything read was written
                next = std::move(it->second);
                done_.erase(it);
            }
            ++result.inputs;
            if (next.failed) {
                ++result.failed;
                input_failed_ = true;
            } else {
                ++result.converted;
            }
            result.warnings += next.warnings;
            if (!next.messages.empty()) err_ << next.messages << std::flush;
            // flushed: a pipe's reader gets each record as soon as it is ready
            std::string reason;
            StreamWrite wrote = write_to_stream(out_, next.line, reason);
            {
                std::lock_guard lock(mutex_);
                bytes_in_flight_ -= sizes_.front();
                sizes_.pop_front();
                ++written_;
                if (wrote != StreamWrite::written) {
                    output_failed_ = true;
                    // a closed pipe quietly, as for -o - (batch Tally::stdout_closed)
                    if (wrote == StreamWrite::failed) err_ << "dconv: standard output: " << reason << "\n";
                    stop_ = true;
                }
            }
            room_.notify_one();
            if (output_failed_) return;
        }
    }

    RecordConverter converter_;
    unsigned jobs_;
    std::size_t window_;
    int input_fd_;
    std::ostream& out_;
    std::ostream& err_;

    std::mutex mutex_;
    std::condition_variable room_;   // the reader waits for room in the window
    std::condition_variable work_;   // workers wait for a line
    std::condition_variable ready_;  // the writer waits for the next record in order
    std::deque<Line> queue_;                           // read, not yet converted
    std::map<std::uint64_t, Converted> done_;          // converted, by index, not yet written
    std::deque<std::size_t> sizes_;                    // input bytes of each record in flight
    std::uint64_t read_ = 0, written_ = 0;
    std::size_t bytes_in_flight_ = 0;
    bool input_ended_ = false;
    std::atomic<bool> stop_{false};
    std::string read_error_;
    bool input_failed_ = false, output_failed_ = false;  // the writer's (calling) thread only
};

// Options that make no sense for a stream are refused rather than ignored.
std::string check_options(const BatchOptions& options) {
    if (!options.inputs.empty())
        return "--jsonl reads records from standard input: give no INPUT";
    if (!options.output.empty() && options.output != "-")
        return "--jsonl writes records to standard output: no -o";
    if (!options.formats.empty() && options.formats != std::vector<std::string>{"md"})
        return "--jsonl writes markdown and text in each record: no --to";
    if (!options.read.format.empty())
        return "--jsonl: each record names its format (\"text\", \"html\", \"markdown\"): no --from";
    if (!options.read.encoding.empty())
        return "--jsonl: records are JSON, hence UTF-8: no --encoding";
    if (!options.bundle.empty()) return "--jsonl writes one record per record: no --bundle";
    if (options.explain != Explain::none) return "--jsonl: no --explain";
    if (options.skip_existing) return "--jsonl writes no files: no --skip-existing";
    try {  // refused once, not by every record
        check_selectors(options.read);
    } catch (const Error& e) {
        return e.message();
    }
    return {};
}

}  // namespace

BatchResult run_jsonl(const BatchOptions& options, int input_fd, std::ostream& out,
                      std::ostream& err) {
    auto start = std::chrono::steady_clock::now();
    if (std::string problem = check_options(options); !problem.empty()) {
        err << "dconv: " << problem << "\n";
        BatchResult result;
        result.exit_code = kExitUsage;
        return result;
    }
    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    Pipeline pipeline(options, jobs, input_fd, out, err);
    BatchResult result = pipeline.run();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (result.failed && !options.quiet)
        err << "dconv: " << result.failed << " of " << result.inputs << " records failed\n";
    err.flush();
    return result;
}

}  // namespace dconv
