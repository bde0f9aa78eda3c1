// main.cpp: the dconv command. CLI11 fills dconv::BatchOptions; the library does the rest
// (dconv/batch.hpp), after qpdf's qpdf.cc handing off to QPDFJob.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "batch/reporting.hpp"  // printable_name
#include "dconv/batch.hpp"
#include "dconv/book.hpp"
#include "dconv/registry.hpp"
#include "dconv/styles.hpp"

namespace {

const char* const kVersion = "dconv " DCONV_VERSION;

const char* const kExamples = R"(Examples:
  dconv --to epub https://example.org/news/pier-reopens.html
                                          fetch a page and its images: out/<title>.epub
  dconv --to pdf --bundle week.pdf --max-articles 10 https://example.org/feed.xml
                                          a feed's newest 10 articles as one book
  dconv --to epub --cache cache/ -i urls.txt      URLs (and paths) listed in a file;
                                          a re-run converts from the cache, offline too
  dconv page.txt                          clean one page into out/page.md
  dconv --to md,txt,native pages/         every page below pages/, three formats, into out/
  dconv --to all -o book/ seeds/*.txt     every format, into book/
  curl -s URL | dconv --to txt -o - -     a filter: standard input to standard output
  dconv --explain page.txt -o -           show what the cleaner removed, and why
  dconv -j1 --explain=json pages/ 2>report.jsonl   the same, as JSON Lines, per input
  dconv --keep-selector '.recipe' --drop-selector '#comments, .promo' page.html
                                          steer the cleaner with CSS selectors
  dconv --to epub --cover cover.jpg page.txt       an EPUB edition, out/page.epub
  dconv --to epub --bundle book.epub --title "Collected" --author "A. Writer" a.txt b.txt
                                          one book, a chapter per input, in that order
  dconv --to pdf --paper letter page.txt  a print edition, out/page.pdf
  dconv --to pdf --bundle book.pdf seeds/*.txt    a book with contents and bookmarks
  dconv --to md,epub --skip-existing pages/       finish a batch that was interrupted
  dconv --jsonl -j4 <records.jsonl >converted.jsonl
                                          a stream of JSON records, one out per one in,
                                          in order (Spark pipe, Hadoop Streaming, Dask)

Outputs: -o DIR (existing, ending in '/', or for several inputs or formats) receives
DIR/<stem>.<ext> per input and format, keeping the folders below a directory input;
-o FILE one input in one format (-o x.pdf for several: an error; --bundle x.pdf binds
them into one book); -o - standard output. Default: out/ (a lone - input:
standard output). Two inputs writing the same file, or an output that is an input,
are refused. Outputs are replaced atomically: a run killed at any moment leaves whole
files only (and hidden .NAME.XXXXXX temporaries, removed by the next run).

EPUB and PDF editions are reproducible: the same input gives the same bytes. Their
date (and zip timestamps) is SOURCE_DATE_EPOCH when set, else the document's date, else
1980-01-01 for EPUB and none for PDF.

Exit status:
  0  every input converted (warnings are not failures)
  1  some inputs could not be converted (the others were)
  2  usage error: bad option, unknown format or encoding, no inputs; nothing converted
  3  some output could not be written (directory, permissions, disk full)
  130  interrupted (Ctrl-C): one line says how many inputs were written
)";

// "all" in any case, as format names (dconv::find_writer) and file endings are.
std::string ascii_lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c); });
    return s;
}

std::string writer_choices() {
    std::string out;
    for (const auto& w : dconv::writers()) out += w.name + ",";
    return "{" + out + "all}";
}

std::string style_names() {
    std::string out;
    for (const auto& style : dconv::builtin_styles()) out += (out.empty() ? "" : ", ") + style.name;
    return out;
}

std::string reader_choices() {
    std::string out;
    for (const auto& r : dconv::readers()) out += (out.empty() ? "" : ",") + r.name;
    return "{" + out + "}";
}

// A number option's check. CLI11's Range answers "--columns abc" with "Value abc not in
// range 0 to 100000" (and prints bounds of seconds with six decimals); this says what is
// expected, in the option's own terms: "--columns: expected a whole number from 0 to
// 100000 (0: no wrapping), not 'abc'".
CLI::Validator number_check(double min, double max, bool whole, std::string meaning) {
    return CLI::Validator(
        [=](std::string& value) {
            const char* begin = value.c_str();
            char* end = nullptr;
            errno = 0;
            double n = whole ? static_cast<double>(std::strtoll(begin, &end, 10)) : std::strtod(begin, &end);
            bool ok = !value.empty() && end == begin + value.size() && errno == 0 && n >= min && n <= max &&
                      !std::isspace(static_cast<unsigned char>(value.front()));
            if (ok) return std::string();
            auto show = [](double x) {  // 1000000000, 0.001: no exponent, no trailing zeros
                char text[32];
                std::snprintf(text, sizeof text, "%.15g", x);
                return std::string(text);
            };
            return std::string("expected ") + (whole ? "a whole number" : "a number") + " from " + show(min) +
                   " to " + show(max) + " (" + meaning + "), not '" + dconv::batch::printable_name(value) + "'";  // escaped as a file name is
        },
        "", "");
}

// ---------------------------------------------------------------------------- Ctrl-C
// An interrupted batch says how far it got, in one line on stderr, then ends as SIGINT
// ends a process (the shell reports 128 + 2 = 130, and a script's loop stops with it).
// Written with write(2) from the handler: only async-signal-safe calls, no allocation.
// Outputs are written to hidden temporaries and renamed when complete, so whatever was
// being written is a temporary, which the next run to the same outputs removes. Inputs
// skipped by --skip-existing count as written (the batch's next run skips them too).
dconv::BatchCounters interrupt_counters;
bool interrupt_on_progress_line = false;  // a terminal's progress line: start a line of our own
const char* interrupt_tail = "";          // after "N of M inputs written", set before the handler

extern "C" void on_interrupt(int) {
    char line[512];
    std::size_t used = 0;
    auto put = [&](const char* s) {
        while (*s && used < sizeof line - 1) line[used++] = *s++;
    };
    auto put_number = [&](std::size_t n) {
        char digits[24];
        int count = 0;
        do {
            digits[count++] = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n);
        while (count && used < sizeof line - 1) line[used++] = digits[--count];
    };
    std::size_t inputs = interrupt_counters.inputs.load(), written = interrupt_counters.written.load();
    if (interrupt_on_progress_line) put("\n");
    if (inputs == 0) {
        put("dconv: interrupted before any input was converted; nothing was written\n");
    } else {
        put("dconv: interrupted: ");
        put_number(written);
        put(" of ");
        put_number(inputs);
        put(inputs == 1 ? " input written" : " inputs written");
        put(interrupt_tail);
        put("\n");
    }
    ssize_t ignored = ::write(STDERR_FILENO, line, used);
    (void)ignored;
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
}

// Installs on_interrupt for the batch `job` describes.
void report_interrupts(dconv::BatchOptions& job) {
    job.counters = &interrupt_counters;
    interrupt_on_progress_line = job.progress;
    bool to_standard_output = job.bundle.empty() ? job.output == "-" : job.bundle == "-";
    if (to_standard_output)
        interrupt_tail = "";
    else if (!job.bundle.empty())
        interrupt_tail = "; temporary files are removed on the next run";
    else
        interrupt_tail = "; temporary files are removed on the next run (--skip-existing resumes the batch)";
    struct sigaction action {}, before {};
    ::sigaction(SIGINT, nullptr, &before);
    if (before.sa_handler == SIG_IGN) return;  // started to ignore it (`cmd &` in a script): it stays so
    action.sa_handler = on_interrupt;
    // Once only, and not blocked while it runs: a second Ctrl-C ends dconv at once, even
    // should the report's write(2) block (stderr a full pipe).
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
}

// The options a script converting a file at a time gives: -t/--to, -f/--from,
// -o/--output, -j/--jobs, -q/--quiet. CLI11 2.1 checks each option it is given against
// every one before it, copying their names (CLI::detail::find_member takes a vector by
// value): declaring all forty costs some 0.6 million instructions, more than reading and
// writing a page. A command line whose every option is one of these is parsed with only
// these (and the inputs) declared, by the same declarations, so with the same values,
// checks and messages; any other option, "--", a cluster ("-qj1") or an attached value
// ("--to=md", "-j1") gets the whole table, as do --help and --version.
bool is_common_option(std::string_view arg) {
    return arg == "-t" || arg == "--to" || arg == "-f" || arg == "--from" || arg == "-o" || arg == "--output" ||
           arg == "-j" || arg == "--jobs" || arg == "-q" || arg == "--quiet";
}

bool only_common_options(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        // an input, an option's value or "-" (standard input or output) is no option
        if (arg.size() >= 2 && arg[0] == '-' && !is_common_option(arg)) return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    // A closed pipe is an error of the write (EPIPE), reported as exit 3, not a signal
    // that ends the process with 141 and no word (README: Exit status).
    std::signal(SIGPIPE, SIG_IGN);
    // A bare --version answers before CLI11 builds its table of forty options (most of
    // the instructions of such a start); with anything else, CLI11 parses as usual and
    // answers --version the same way.
    if (argc == 2 && std::string_view(argv[1]) == "--version") {
        std::cout << kVersion << '\n';
        return dconv::kExitSuccess;
    }
    dconv::BatchOptions job;
    std::vector<std::string> to;
    std::string explain, title;
    std::vector<std::string> authors, metadata;
    bool clean = false, no_clean = false, no_front_matter = false, no_smart = false, list_formats = false,
         no_images = false;

    std::vector<std::string> resource_path;
    bool favor_recall = false, favor_precision = false;
    // Every option, or the common ones only (see only_common_options).
    const bool every_option = !only_common_options(argc, argv);

    CLI::App app{"dconv: turns scraped web pages into clean publications.", "dconv"};
    app.footer(kExamples);
    if (every_option) app.set_version_flag("--version", kVersion);
    app.add_option("-t,--to", to,
                   "Output formats, comma-separated, or 'all' (default: the -o or --bundle file's "
                   "ending, else md)")
        ->delimiter(',')
        ->allow_extra_args(false)  // "--to md page.txt": page.txt is an input
        ->type_name(writer_choices())
        ->check(CLI::Validator(
            [](std::string& name) {
                if (ascii_lower(name) == "all" || dconv::find_writer(name)) return std::string();
                return "unknown output format '" + name + "' (available: " +
                       writer_choices() + "; see --list-formats)";
            },
            "", "output format"));
    app.add_option("-f,--from", job.read.format, "Input format (default: from the file ending)")
        ->type_name(reader_choices())
        ->check(CLI::Validator(
            [](std::string& name) {
                if (dconv::find_reader(name)) return std::string();
                return "unknown input format '" + name + "' (available: " + reader_choices() +
                       "; see --list-formats)";
            },
            "", "input format"));
    app.add_option("-o,--output", job.output, "Output directory, file, or - (default: out/)")
        ->type_name("PATH");
    if (every_option) {
        app.add_flag("--clean", clean, "Clean every input, Markdown too (default: web text and HTML only)");
        app.add_flag("--favor-recall", favor_recall,
                     "HTML: keep the whole page but its furniture landmarks (nav, header, footer, aside, forms)");
        app.add_flag("--favor-precision", favor_precision,
                     "HTML: always take the one content block the page's structure points to");
        app.add_option("--keep-selector", job.read.keep_selectors,
                       "HTML: elements matching this CSS selector are content whatever the cleaner says "
                       "(type, .class, #id, [attr], [attr=val], A B, A > B, A, B); repeatable")
            ->type_name("SELECTOR")
            ->allow_extra_args(false);
        app.add_option("--drop-selector", job.read.drop_selectors,
                       "HTML: elements matching this CSS selector are removed before cleaning; repeatable")
            ->type_name("SELECTOR")
            ->allow_extra_args(false);
        app.add_flag("--no-clean", no_clean, "Keep everything: nothing removed, no title or byline taken out of the text "
                     "(HTML's <title> and <meta> are still read)");
        app.add_flag("--explain", explain,
                     "Report every cleaning decision on stderr; --explain=json: JSON Lines, one per input");
        app.add_option("--columns", job.write.columns, "Plain text width; 0: do not wrap")
            ->check(number_check(0, 100000, true, "the plain text width in characters; 0: no wrapping"))
            ->type_name("N")
            ->capture_default_str();
        app.add_option("--toc-depth", job.write.toc_depth,
                       "EPUB and PDF contents: the levels listed, a chapter being 1 (default: 2 in a book, "
                       "3 for one document; the PDF's bookmarks list all)")
            ->check(number_check(1, dconv::kMaxTocDepth, true, "the contents' levels, a chapter being 1"))
            ->type_name("N");
        app.add_flag("--no-front-matter", no_front_matter,
                     "Markdown: no YAML front matter; the title is written as a '# Title' heading");
        app.add_flag("--no-smart", no_smart,
                     "HTML, EPUB, PDF: keep straight quotes (default: typographic, in the document's language)");
        app.add_option("--encoding", job.read.encoding,
                       "Input encoding, e.g. GB18030, Big5, windows-1252 (default: detect)")
            ->type_name("NAME");
    }
    app.add_option("-j,--jobs", job.jobs,
                   "Worker threads; 0: one per core (default: 0, here " +
                       std::to_string(std::max(1u, std::thread::hardware_concurrency())) + ")")
        ->check(number_check(0, 4096, true, "worker threads; 0: one per core"))
        ->type_name("N");
    if (every_option) {
        app.add_option("--bundle", job.bundle,
                       "Bind all inputs into one book written to FILE (- for stdout), one chapter "
                       "per input in the order given; not with -o")
            ->type_name("FILE");
        app.add_option("--title", title, "Title of the book (--bundle) or of each document")
            ->type_name("TEXT");
        app.add_option("--author", authors, "Author of the book or document; repeat for several")
            ->type_name("NAME")
            ->allow_extra_args(false);
        app.add_option("--metadata", metadata,
                       "Metadata field: subtitle, date, site, language, source, description, "
                       "rights, subject, ...; repeatable")
            ->type_name("KEY=VALUE")
            ->allow_extra_args(false);
        app.add_option("--style", job.write.style,
                       "Theme of html and epub, or page style of pdf: a built-in style (" + style_names() +
                           ") or a CSS file (print styles: styles/print/)")
            ->type_name("NAME|FILE");
        app.add_option("--paper", job.write.paper,
                       "PDF paper: a4 (default), letter, a5, legal, a3, or WIDTH HEIGHT such as '150mm 220mm'")
            ->type_name("SIZE");
        app.add_option("--cover", job.write.cover_image, "EPUB and PDF cover: a JPEG or PNG file")
            ->type_name("IMAGE");
        app.add_flag("--force-extension", job.force_extension,
                     "Write the --to format even when the -o or --bundle file's ending names another");
        app.add_option("--resource-path", resource_path,
                       "Folders where images are also looked for, after the input's own folder; "
                       "repeat, or separate with ':'")
            ->type_name("DIR")
            ->allow_extra_args(false);  // one folder each time: `--resource-path DIR input.md`
        app.add_flag("--skip-existing", job.skip_existing,
                     "Skip an input whose every output exists (resume an interrupted batch)");
        app.add_flag("--jsonl", job.jsonl,
                     "A filter of JSON Lines: {\"id\", \"text\"|\"html\"|\"markdown\", \"meta\"} per line on stdin "
                     "to {\"dconv-jsonl\": 1, \"id\", \"markdown\", \"text\", \"meta\", \"stats\", \"error\"} per line on stdout, "
                     "in order");
        app.add_option("--timeout", job.timeout_seconds,
                       "Seconds one input (or --jsonl record) may take to convert; a slower one fails, "
                       "nothing written for it (default: 0, no limit). A URL input's fetch, its images' "
                       "fetches and its conversion share them, and a feed's articles with the feed's own fetch "
                       "(the waits for its turn, in the batch or for a connection to a busy host, not counted)")
            ->check(number_check(0, 1e9, false, "seconds one input may take; 0: no limit"))
            ->type_name("SECONDS");
        app.add_option("-i,--input-file", job.input_files,
                       "More inputs, URLs or paths, one per line ('#' starts a comment line); repeatable")
            ->type_name("FILE")
            ->allow_extra_args(false);
        app.add_option("--cache", job.fetch.cache_dir,
                       "Keep fetched replies in DIR, revalidated by ETag/Last-Modified; used offline "
                       "when the server cannot be reached")
            ->type_name("DIR");
        app.add_flag("--allow-private", job.fetch.allow_private,
                     "Let URLs, redirects and images reach private and loopback addresses (refused by default)");
        app.add_option("--fetch-timeout", job.fetch.timeout_seconds,
                       "Seconds one HTTP request may take in all (default: " +
                           std::to_string(static_cast<int>(dconv::fetch::kDefaultTimeoutSeconds)) + ")")
            ->check(number_check(0.001, 86400, false, "seconds one HTTP request may take"))
            ->type_name("SECONDS");
        app.add_option("--max-articles", job.max_articles, "A feed's newest N articles (default: all)")
            ->check(number_check(1, static_cast<double>(dconv::fetch::kMaxFeedArticles), true, "a feed's newest articles"))
            ->type_name("N");
        app.add_flag("--no-images", no_images, "Fetch no image: pages keep their images' alt text");
    }
    app.add_flag("-q,--quiet", job.quiet, "No warnings, progress or summary; errors only");
    if (every_option) app.add_flag("--list-formats", list_formats, "List input and output formats and exit");
    app.add_option("inputs", job.inputs,
                   "Files, directories (searched recursively), - for stdin, http(s) URLs, feeds")
        ->type_name("INPUT");

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "dconv: " << e.what() << "\nRun 'dconv --help' for usage and examples.\n";
        return dconv::kExitUsage;
    }

    if (list_formats) {
        std::cout << dconv::describe_formats();
        return dconv::kExitSuccess;
    }
    if (!to.empty()) job.formats = to;
    for (const std::string& dirs : resource_path)  // pandoc's form: DIR:DIR
        for (std::size_t from = 0; from <= dirs.size();) {
            std::size_t colon = std::min(dirs.find(':', from), dirs.size());
            if (colon > from) job.read.resources.search_path.push_back(dirs.substr(from, colon - from));
            from = colon + 1;
        }
    if (clean && no_clean) {
        std::cerr << "dconv: --clean and --no-clean contradict each other\n";
        return dconv::kExitUsage;
    }
    job.write.front_matter = !no_front_matter;
    if (favor_recall && favor_precision) {
        std::cerr << "dconv: --favor-recall and --favor-precision contradict each other\n";
        return dconv::kExitUsage;
    }
    job.read.favor = favor_recall ? dconv::Favor::recall : favor_precision ? dconv::Favor::precision : dconv::Favor::balanced;
    job.write.smart = !no_smart;
    job.images = !no_images;
    job.read.clean = no_clean ? dconv::Cleaning::off : clean ? dconv::Cleaning::on : dconv::Cleaning::by_format;
    if (explain == "json") {
        job.explain = dconv::Explain::json;
    } else if (explain == "true" || explain == "text") {  // "true": a bare --explain
        job.explain = dconv::Explain::text;
    } else if (!explain.empty()) {
        std::cerr << "dconv: --explain=" << dconv::batch::printable_name(explain) << ": expected --explain or --explain=json\n";
        return dconv::kExitUsage;
    }
    try {
        for (const std::string& field : metadata) {
            auto equals = field.find('=');
            if (equals == std::string::npos)
                throw dconv::Error(dconv::ErrorKind::usage, "", 0,
                                   "--metadata " + dconv::batch::printable_name(field) + ": expected KEY=VALUE");
            dconv::set_meta_field(job.metadata, field.substr(0, equals), field.substr(equals + 1));
        }
        if (!title.empty()) dconv::set_meta_field(job.metadata, "title", title);
        if (!authors.empty()) job.metadata.authors.clear();
        for (const std::string& author : authors) dconv::set_meta_field(job.metadata, "author", author);
    } catch (const dconv::Error& e) {
        std::cerr << "dconv: " << e.message() << "\n";
        return dconv::kExitUsage;
    }
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        job.write.source_date_epoch = dconv::parse_source_date_epoch(epoch);
        if (!job.write.source_date_epoch) {
            std::cerr << "dconv: SOURCE_DATE_EPOCH=" << dconv::batch::printable_name(epoch)
                      << ": expected seconds since 1970 (a non-negative integer)\n";
            return dconv::kExitUsage;
        }
    }
    job.progress = !job.quiet && ::isatty(STDERR_FILENO);
    if (!job.jsonl) report_interrupts(job);  // a --jsonl filter's records say how far it got
    return dconv::run_batch(job, std::cout, std::cerr).exit_code;
}
