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
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"

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
};

// Profiling reads every input one more time; for a big batch, a sample of this many pages
// finds a site's template as well as all of them would, at a bounded cost.
inline constexpr std::size_t kMaxProfiledInputs = 2000;
// Pages bigger than this are not profiled: a site's template is learned from ordinary
// pages, and a giant document would only make profiling slow.
inline constexpr std::size_t kMaxProfiledBytes = std::size_t(4) << 20;  // 4 MiB

enum class Explain {
    none,
    text,  // every Diagnostic, one line each: file:LINE[-LAST]: PASS: ACTION (score S): REASON — "excerpt"
    json,  // JSON Lines: one object per input (see batch.cpp: explain_json)
};

struct BatchOptions {
    std::vector<std::string> inputs;             // files, directories, "-"
    std::vector<std::string> formats = {"md"};  // writer names or aliases; "all": every writer
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
};

struct BatchResult {
    int exit_code = kExitSuccess;
    std::size_t inputs = 0;     // after directories were walked
    std::size_t converted = 0;  // inputs with every output written
    std::size_t failed = 0;
    std::size_t warnings = 0;
    double seconds = 0.0;
};

// Runs the whole job: messages, warnings, --explain output, the progress bar and the
// summary line go to `err`; `out` receives the document when the output is "-".
// Never throws for a problem with an input or output; reports it and goes on.
BatchResult run_batch(const BatchOptions& options, std::ostream& out, std::ostream& err);

// The formats table as --list-formats prints it, from the registry.
std::string describe_formats();

}  // namespace dconv
