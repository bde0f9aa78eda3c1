// dconv/batch.hpp: converting many inputs at once, what the `dconv` command does.
//
// The command line tool only fills BatchOptions and calls run_batch (after qpdf's QPDFJob),
// so everything it does can be done, and tested, from a program:
//
//     dconv::BatchOptions job;
//     job.inputs = {"pages/"};                 // files, directories, "-" for stdin
//     job.formats = {"md", "txt"};
//     job.output = "out/";
//     dconv::BatchResult r = dconv::run_batch(job, std::cout, std::cerr);
//     return r.exit_code;
//
// Inputs
//   A file is read as the reader its ending (or BatchOptions::read.format) names. A
//   directory is walked recursively for files whose ending some reader claims (see
//   readers() in registry.hpp), skipping hidden files and directories and the output
//   directory itself, in sorted order. "-" is standard input, named "<stdin>" in messages.
//
// Outputs
//   output "-"        standard output; one input and one format only.
//   output DIR        a directory when it exists, ends in '/', or when there are several
//                     inputs or formats, or a directory input: created if missing, each
//                     input written as DIR/<stem>.<ext> for each format. Files found by
//                     walking a directory keep their path below it: DIR/sub/<stem>.<ext>.
//   output FILE       one input, one format: written to FILE.
//   (none)            "out/", except that a lone "-" input goes to standard output.
//   Two inputs that would write the same output path are a usage error, found before
//   anything is converted. An output that is the same file as any input is refused (that
//   input fails; nothing is written over it). Files are written atomically (a temporary
//   in the same directory renamed over the final name), so an output is either the old
//   file or the complete new one.
//
// Crash safety and resuming
//   A run killed at any moment (SIGKILL, a power cut aside) leaves every output either
//   absent, as it was, or complete: never a truncated file under an output's name. What
//   it can leave is the hidden temporary of a file being written, ".NAME.PID.XXXXXX"
//   beside NAME (PID: the writing process); the next run that writes NAME to that
//   directory removes the stale ones first: those whose process is gone, or older than a
//   day (kStaleTemporaryAge; the pid may have been reused). Another live run's
//   temporaries are never touched, so two runs may write the same outputs at the same
//   time: both succeed, and each output is the whole file of the run that renamed it
//   last. With skip_existing (--skip-existing) an input whose every output already
//   exists is not converted again but counted as skipped: rerunning the command of a
//   killed batch finishes it, and since the batch profile is still learned from all
//   inputs, the files it adds are the ones an uninterrupted run would have written.
//
// A bundle (BatchOptions::bundle)
//   Every input becomes one chapter of one book, in the order given (a directory's files
//   in sorted order), written to the bundle's file once all are read. Formats with a
//   book form (EPUB) write chapters under one nested table of contents; the others write
//   the book flattened into one document (see book.hpp). With several formats the file's
//   ending is replaced by each format's. An input that fails is reported and left out of
//   the book (exit status 1), like any failed input of a batch.
//
// Several inputs
//   First, up to kMaxProfiledInputs inputs are decoded to build a BatchProfile (lines that
//   recur across pages are the site's template), which every input's cleaning then uses.
//   Then a pool of `jobs` threads converts the inputs; each result is written as soon as
//   it is ready, and one input's failure never stops the others.
//
// Web inputs
//   An input that is an http:// or https:// URL is fetched first (fetch.hpp: redirects,
//   retries, the address rule, the cache), every URL input in parallel (at most
//   fetch::kMaxRequestsPerHost at a time to one host), before any input is converted.
//   An HTML reply is read by the HTML reader, a text/plain one by the web-text reader,
//   with the reply's charset unless --encoding forces one; relative links are made
//   absolute against the final URL, which is the document's Meta::source. A feed (RSS or
//   Atom, fetched or a local .rss/.atom/.xml file) stands for its articles, newest first,
//   max_articles of them: each is an input of its own, in that order (with a bundle, a
//   chapter each). A URL input's outputs are named after its title's slug, else its
//   URL's last path segment (naming.hpp), made unique with "-2", "-3"... in input order
//   after the file inputs have theirs. A URL that cannot be fetched is reported as a
//   failed input (BatchResult::fetch_failed), nothing is written for it, and the other
//   inputs are still converted.
//
// A stream of records (BatchOptions::jsonl, --jsonl): see run_jsonl below.
#pragma once

#include <atomic>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"
#include "dconv/fetch.hpp"
#include "dconv/limits.hpp"

namespace dconv {

// Exit status of the command (and BatchResult::exit_code). When several apply, the
// first listed here wins: a usage error, then an output failure, then an input failure.
enum ExitCode : int {
    kExitSuccess = 0,       // every input converted (warnings allowed)
    kExitInputFailed = 1,   // some inputs could not be converted (unreadable, binary data,
                            // over a size limit, output would overwrite an input)
    kExitUsage = 2,         // bad option, unknown format or encoding, no inputs,
                            // conflicting output paths; nothing was converted
    kExitOutputFailed = 3,  // some output could not be written (directory not creatable,
                            // disk full, permission denied, standard output closed)
    kExitInterrupted = 130,  // the command only: interrupted (Ctrl-C, SIGINT), 128 + 2 as
                             // the shell reports a process its SIGINT ended
};

// How far a running batch has got, for a caller to read while run_batch runs, from a
// signal handler too: lock-free atomics, updated as the batch goes (BatchOptions::counters).
struct BatchCounters {
    std::atomic<std::size_t> inputs{0};   // the batch's inputs, once they are listed (0 before)
    std::atomic<std::size_t> written{0};  // inputs with every output written, or skipped by
                                          // --skip-existing (their outputs exist)
};
// A signal handler may read only lock-free atomics.
static_assert(std::atomic<std::size_t>::is_always_lock_free);

// Profiling reads every input one more time; for a big batch, a sample of this many pages
// finds a site's template as well as all of them would, at a bounded cost.
inline constexpr std::size_t kMaxProfiledInputs = 2000;
// Pages bigger than this are not profiled: a site's template is learned from ordinary
// pages, and a giant document would only make profiling slow.
inline constexpr std::size_t kMaxProfiledBytes = std::size_t(4) << 20;  // 4 MiB

enum class Explain {
    none,
    text,  // every Diagnostic, one line each: file:LINE[-LAST]: PASS: ACTION (score S): REASON — "excerpt"
    json,  // JSON Lines: one object per input (see formats/batch/reporting.hpp: explain_json)
};

struct BatchOptions {
    std::vector<std::string> inputs;             // files, directories, "-", http(s) URLs
    // -i/--input-file FILE: more inputs, URLs or paths, one per line ('#' starts a comment
    // line), after `inputs`.
    std::vector<std::string> input_files;
    // URL inputs (see "Web inputs" above): --cache DIR, --allow-private, --fetch-timeout.
    FetchOptions fetch;
    std::size_t max_articles = 0;  // --max-articles N: the newest N articles of a feed; 0: all
    bool images = true;            // --no-images: no image is fetched
    // Writer names or aliases; "all": every writer. Empty (the default): the format the
    // output file's name asks for by its ending (-o x.pdf, --bundle b.epub), else "md".
    std::vector<std::string> formats;
    // Formats given that contradict the output file's ending (--to epub -o book.pdf) are
    // a usage error unless this is set (--force-extension).
    bool force_extension = false;
    std::string output;                          // see above; empty: the default
    ReadOptions read;    // format (--from), encoding, clean; source_name and batch are set per input
    WriteOptions write;  // columns, front matter, style, cover, source date
    // --bundle FILE: all inputs as the chapters of one book written to FILE ("-":
    // standard output, one format only); empty: one output per input. Not with `output`.
    std::string bundle;
    // --title, --author, --metadata: laid over each document's metadata (apply_meta in
    // book.hpp); with a bundle, over the book's.
    Meta metadata;
    unsigned jobs = 0;   // worker threads; 0: one per core
    bool quiet = false;  // no warnings, no summary (errors are still reported)
    bool progress = false;  // draw a progress bar on `err` (give it a terminal only)
    Explain explain = Explain::none;
    // --skip-existing: an input whose every output file exists is skipped (resuming a
    // killed batch). Not with output "-" or a bundle.
    bool skip_existing = false;
    // --jsonl: run_batch runs run_jsonl on standard input instead (no inputs, no output).
    bool jsonl = false;
    // --timeout SECONDS: the time one input (or --jsonl record) may take, reading, cleaning
    // and writing every format; one that takes longer fails with "took longer than N s"
    // and nothing is written for it (see DeadlineScope, limits.hpp). 0: no limit (the
    // default, kDefaultTimeoutSeconds). With a bundle it bounds each input's reading, and
    // the book's writing as a whole. A URL input's fetch (at planning) and each of its
    // images' fetches are held to the same number of seconds, each from its own start.
    double timeout_seconds = kDefaultTimeoutSeconds;
    // Where run_batch counts its progress as it goes (the command's Ctrl-C line); none when null.
    BatchCounters* counters = nullptr;
};

struct BatchResult {
    int exit_code = kExitSuccess;
    std::size_t inputs = 0;     // after directories were walked
    std::size_t converted = 0;  // inputs with every output written
    std::size_t failed = 0;
    std::size_t fetch_failed = 0;  // of `failed`: URL inputs that could not be fetched
    std::size_t skipped = 0;    // inputs whose outputs existed (skip_existing)
    std::size_t left_out = 0;   // a bundle's inputs with nothing to put in it
    std::size_t warnings = 0;
    double seconds = 0.0;
};

// Runs the whole job: messages, warnings, --explain output, the progress bar and the
// summary line go to `err`; `out` receives the document when the output is "-".
// Never throws for a problem with an input or output; reports it and goes on.
BatchResult run_batch(const BatchOptions& options, std::ostream& out, std::ostream& err);

// The --jsonl filter: reads JSON Lines records from `input_fd` and writes one record per
// input line to `out`, in the same order, each line flushed as soon as it is written, for
// engines that pipe a partition of a corpus through a command (Spark's RDD.pipe, Hadoop
// Streaming, Dask bags: one line in, one line out, same order, same count).
//
// In:   {"id": ANY, "text" | "html" | "markdown": STRING, "meta": {KEY: VALUE}?}
//         text      a web page's text dump: the web-text reader, cleaned unless
//                   read.clean is Cleaning::off (--no-clean)
//         markdown  the Markdown reader, cleaned only with Cleaning::on (--clean)
//         html      the reader named "html" in the registry, when there is one (else
//                   that record fails), cleaned as text is
//         meta      fields laid over the document's metadata, after BatchOptions::metadata
//                   (--title, --author, --metadata); values are strings, or arrays of
//                   strings for authors ("author" or "authors": the list replaces the
//                   document's); the keys are set_meta_field's (book.hpp). A "url",
//                   or a "source" that is an http(s) URL, is also the base of the
//                   links the page leaves relative (one with <link rel=canonical>,
//                   og:url or an absolute <base href> resolved them against its own;
//                   a relative <base href> is resolved against the record's URL first)
// Out:  {"dconv-jsonl": 1, "id": ..., "markdown": STRING, "text": STRING, "meta": {...},
//        "stats": {...}, "error": STRING}  (on one line, keys in this order, "error" only
//        on failure)
//         dconv-jsonl  the version of this record's shape (kJsonlRecordVersion), first,
//                   as pandoc's JSON leads with "pandoc-api-version"; raised with any
//                   change to the keys below or their values' types (meta's keys are
//                   the native JSON's, whose own version is "dconv-native")
//         id        the record's id as given (any JSON value); null when the line was not
//                   a JSON object or had no id
//         markdown  the Markdown writer's output without front matter (the metadata is
//                   "meta"): "# Title" when there is a title, then the body
//         text      the plain text writer's output (write.columns applies)
//         meta      the document's metadata, with the native writer's keys: title,
//                   subtitle, authors, date, site, language, source, extra; empty fields
//                   left out. source is empty unless the record's meta gives one
//         stats     {"input_bytes", "input_lines", "blocks", "kept_lines", "kept_chars",
//                   "warnings"}: the content's UTF-8 bytes and lines, the top-level
//                   blocks kept, the source lines they came from, their visible code
//                   points, and the reader's and cleaner's warnings
//         error     why the record could not be converted (invalid JSON, no content,
//                   binary data, a limit): markdown and text are then "", meta {}
// Each record is converted alone, exactly as `dconv --to md -` and `--to txt -` convert
// its content given as a file (less the front matter, and with no "<stdin>" source):
// there is no batch profile, since a stream is read once and a record's output must not
// depend on the partition it travels in. Warnings and failures are also reported on
// `err` ("dconv: record N (id ID): ..."), warnings unless quiet.
//
// Threads and memory: one thread reads lines, options.jobs workers convert (0: one per
// core), the calling thread writes in input order. At most kJsonlWindowPerJob x jobs
// records, holding at most kJsonlWindowBytes of input, are between reading and writing
// (a record that does not fit waits until the window has room), so memory is bounded
// whatever the stream's length: the line being read (at most kJsonlMaxRecordBytes), the
// window, and what the records being converted need (a few times their size each). A
// line longer than kJsonlMaxRecordBytes is not held: it is skipped as it streams by and
// gives an error record (64 MiB of JSON is a page far larger than any web page). When
// `out` is not read, the window fills and reading stops: a stalled consumer costs no
// memory.
//
// Exit code: 0, or 1 when some record failed (or the input could not be read), 3 when
// the output could not be written (reading then stops), 2 for options that do not
// apply to a stream (inputs, -o FILE, --to other than md, --from, --encoding, --bundle,
// --explain, --skip-existing).

// The "dconv-jsonl" key of every output record: the version of the record's shape.
inline constexpr int kJsonlRecordVersion = 1;

// Records finish out of order (a long page holds its place while later short ones are
// done): a window of a few records per worker keeps every worker busy behind a slow one,
// and no more is needed.
inline constexpr std::size_t kJsonlWindowPerJob = 4;
// Input held between reading and writing, whatever the records' sizes.
inline constexpr std::size_t kJsonlWindowBytes = std::size_t(64) << 20;     // 64 MiB
// The longest line taken as a record: a larger one would not fit the window.
inline constexpr std::size_t kJsonlMaxRecordBytes = kJsonlWindowBytes;
BatchResult run_jsonl(const BatchOptions& options, int input_fd, std::ostream& out,
                      std::ostream& err);

// The formats table as --list-formats prints it, from the registry.
std::string describe_formats();

}  // namespace dconv
