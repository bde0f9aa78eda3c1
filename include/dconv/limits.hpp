// dconv/limits.hpp: every limit dconv puts on hostile input, in one place, each with its
// reason (after tinyxml2's TINYXML2_MAX_ELEMENT_DEPTH and md4c's named limits).
//
// dconv reads arbitrary web pages, and is run over corpora of millions of them: an input
// must never crash it, hang it or make it eat the machine. Each limit below is far above
// what real documents need (the reason says how far), and exceeding it has one of two
// documented outcomes:
//   error       the input fails with dconv::Error(ErrorKind::limit), naming the file (and
//               the line when there is one); nothing is written for it, the other inputs
//               of a batch are still converted, the command exits with status 1;
//   truncation  the input is converted with the excess flattened or dropped as the limit
//               says, and a warning in Diagnostics (on stderr from the command) says so.
//
// Limits that only bound work inside one stage, invisible in its output, stay beside
// their code as named constants too:
//   webtext reader   kMaxListDepth = 16 (list indentation levels read; deeper is flattened)
//   Markdown inlines kMaxInlineNesting = 64 (emphasis and links; deeper keeps the text only)
//   HTML blocks      kMaxContainerNesting = 24, kMaxInlineNesting = 16 (block_builder.hpp)
//   JSON-LD          kMaxJsonLdBytes = 1 MiB, kMaxJsonLdDepth = 32, kMaxDeclaredTextBytes = 256 KiB
//                    of declared text kept for the recall fallback (page_metadata.hpp)
//   --jsonl          kJsonlMaxRecordBytes = 64 MiB per record line (batch.hpp)
//
// Memory is bounded by how the readers and writers work, not by a limit, and checked by
// tests/unit/scaling_test.cpp through peak RSS (not under AddressSanitizer):
//   HTML  gumbo's tree in slabs without malloc's headers (html/gumbo_arena.hpp), freed
//         node by node as the content is built; the tree, the element index and the
//         selection's measures held at once are the peak. An 8 MB page of one table of
//         short cells peaks at 24 times the markup plus 30 MB at most (measured: 189 MB,
//         19.8 times above 30 MB); data tables 19.8 times, cells of 4 to 10 characters
//         23.4, a 60 MB table page 1,369 MB (22.3 times). Pages under
//         kMaxUnitModelMarkup peak higher per byte (the unit model's stages).
//   PDF   laid out, drawn and freed a page at a time (a book's contents set from its
//         headings first and filled in last); the pages' deflated content is held outside
//         libharu's heap and given back as the file is written. Plain text to PDF peaks
//         under 5 times the input plus 100 MB: from 2 to 8 MB of text, peak RSS grows by
//         at most 5 bytes per input byte (measured 4.5); 50 MB of text peaks at about
//         220 MB. A paragraph longer than 32 KiB is set a piece at a time, its pages
//         drawn as they fill (a 20 MB paragraph of one line peaked at 1.5 GB, now 132 MB,
//         175 MB cleaned);
//         a single table is still laid out whole.
//   Clean the cleaner's working set (the units and their measures, the rules' tables,
//         the unit model's features read a row at a time, the recall guard's probes)
//         is the peak of a cleaned text: from 2 to 8 MB of forum-shaped text to PDF,
//         peak RSS grows by at most 5.5 bytes per input byte (measured 4.7), and 8 MB
//         peaks under 5.5 times the input plus 20 MB (measured 54 MB); 50 MB of web text
//         peaks at 256 MB, of forum-shaped text at 295 MB.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace dconv {

// ------------------------------------------------------------------------------- input

// error: an input file (or a --jsonl record's content) larger than this is not read.
// Everything after decoding holds a few copies of the text; 1 GiB is a thousand times the
// largest web page of the dev set and keeps a conversion within a few GB of memory.
inline constexpr std::size_t kMaxInputBytes = std::size_t(1) << 30;  // 1 GiB

// error: decoded text of more lines than this is not read. Readers keep a few words per
// line (the web-text reader a view of each), and the cleaner scores every line: 1 GiB of
// "a\n" would be 512 million of them. A long novel has 50,000 lines; the limit is about
// 80 times that.
inline constexpr std::size_t kMaxLines = std::size_t(1) << 22;  // 4,194,304

// error: a document of more blocks than this (paragraphs, headings, list items' blocks,
// counted at every depth) is refused once read. Each block costs a few hundred bytes in
// the model and in every writer (a PDF page break is chosen among them); real pages have
// a few thousand, a large book a hundred thousand.
inline constexpr std::size_t kMaxBlocks = std::size_t(1) << 20;  // 1,048,576

// truncation: a Markdown front matter block, YAML ("---") or TOML ("+++"), of more lines
// or bytes than these is skipped whole with a warning (its fields are not read; the body
// after it is). Front matter holds a title, dates and a few lists: tens of lines, a few
// KB. One limit for both syntaxes, since both fill the same Meta fields.
inline constexpr std::size_t kMaxFrontMatterLines = std::size_t(1) << 16;  // 65,536
inline constexpr std::size_t kMaxFrontMatterBytes = std::size_t(1) << 20;  // 1 MiB

// ------------------------------------------------------------------------------- nesting

// truncation: blocks nested deeper than this (block quotes in lists in block quotes...)
// are flattened: their content is kept, in order, at this depth, with a warning. Every
// writer walks the tree recursively, and "> " repeated 100,000 times would otherwise
// overflow the stack. Real documents nest fewer than 10 levels. validate() (model.hpp)
// holds every reader to it.
inline constexpr int kMaxNesting = 64;

// truncation: a note may cite another note, which then sits inside it in the model (a
// note in a note); a note cited from deeper than this many notes keeps its citation as
// text ("[^7]") and is left out. Every writer walks a note's notes after it, and a chain
// of 10,000 notes each citing the next would otherwise nest 10,000 deep. Real documents
// cite a note from a note rarely, and never from deeper than two or three.
inline constexpr int kMaxNoteNesting = 8;

// ignored: a raw <img width> (Markdown's, Image::width) wider than this many pixels is
// not taken as a width, the image shown at its own: no screen or page shows one so wide,
// and it is most likely a typo.
inline constexpr int kMaxImageWidth = 20000;

// ignored: a code language (a fence's info word, an HTML class's language-*) longer than
// this is not taken as a language: it is a sentence, not a name.
inline constexpr std::size_t kMaxCodeLanguageName = 32;

namespace html {

// truncation: elements nested deeper than this have their tags dropped before parsing:
// their text stays, inside the innermost element kept. Gumbo searches its stack of open
// elements for most tags, so its time grows with the square of the nesting: 1,000 levels
// cost a millisecond, 20,000 more than a second. Real pages stay under 100.
inline constexpr std::size_t kMaxElementDepth = 512;

// truncation: formatting elements (a, b, i, font, ...) left open beyond this many have
// their tags dropped: HTML reopens every open one in each block that follows, so that
// 10 MB of unclosed <b x=1>, <b x=2>... grow a tree quadratic in size (gumbo: minutes).
// Real pages leave a handful open.
inline constexpr std::size_t kMaxOpenFormatting = 32;

// truncation: attributes of one tag beyond this many are dropped: gumbo checks each new
// attribute against all earlier ones (quadratic). Real tags carry a dozen or two.
inline constexpr std::size_t kMaxAttributes = 64;

}  // namespace html

// error: HTML markup larger than this once script and style bodies are cut is not
// parsed. The reader peaks at 7 to 23 times the markup's size (short table cells the
// most: gumbo spends 128 bytes on every element and every text), so this keeps a page
// under about 1.6 GB; real pages are a few hundred kilobytes of markup.
inline constexpr std::size_t kMaxMarkupBytes = std::size_t(64) << 20;  // 64 MiB

// quiet: the unit model (html/unit_selection.hpp) judges pages of at most this much
// markup (scripts and styles cut); above it the hand rules decide alone. Its stages hold
// three more models of the page (the whole body, the block selection, the body less its
// landmarks: together some 45 times the markup of a page of table cells), which would
// break the HTML memory bound scaling_test enforces. Articles, threads and listings are
// well under it (WCXB: median 145 KiB, 99th percentile 2.2 MiB).
inline constexpr std::size_t kMaxUnitModelMarkup = std::size_t(2) << 20;  // 2 MiB

// ------------------------------------------------------------------------------- sizes read

// error: an EPUB cover image larger than this is refused (the only file dconv reads
// besides its inputs and styles; it is copied into the book, never decompressed). A
// full-page cover is a few hundred KB.
inline constexpr std::size_t kMaxCoverBytes = std::size_t(32) << 20;  // 32 MiB

// ------------------------------------------------------------------------------- the web

// Fetching URL inputs (fetch.hpp, `dconv URL`). Each bound keeps one hostile or broken
// server from holding a batch or the machine: a fetch that exceeds one fails with
// Error(limit) or Error(io) naming the URL, nothing is written for that input, and the
// other inputs are still converted.
namespace fetch {

// error: redirects followed for one URL. Browsers stop at 20; a real article needs one
// or two (http to https, a trailing slash); more is a loop.
inline constexpr int kMaxRedirects = 10;

// error: seconds to open the connection (DNS, TCP and TLS). A reachable host answers in
// well under a second; 15 s rides out a slow resolver without letting a black hole stall
// a batch.
inline constexpr double kConnectTimeoutSeconds = 15;

// error: seconds one request may take in all, headers and body (`--fetch-timeout`). A
// page of a few hundred kilobytes arrives in a second or two even on a poor line; 60 s
// stops a server that trickles (the "slow loris").
inline constexpr double kDefaultTimeoutSeconds = 60;

// error: bytes of a page (HTML, text or feed) after content decoding. The cap counts the
// decoded bytes, so a small gzip "bomb" is stopped at the cap too; a Content-Length over
// it is refused before the body is read. The largest real articles are a few MB of markup.
inline constexpr std::size_t kMaxPageBytes = std::size_t(32) << 20;  // 32 MiB

// Attempts at one request when the server answers 429 (too many requests) or 503
// (unavailable), or the connection is reset: the first and two retries.
inline constexpr int kMaxAttempts = 3;

// Seconds before the first retry when the server does not say (Retry-After), doubling
// for each further one.
inline constexpr double kRetryBackoffSeconds = 1;

// error: a Retry-After longer than this is not waited for (the fetch fails saying how
// long the server asked for): a batch should not sleep for an hour on one URL.
inline constexpr double kMaxRetryAfterSeconds = 30;

// Requests in flight to one host at a time, whatever --jobs says: politeness towards
// the sites a batch reads (browsers open six; a batch reads pages one after another).
inline constexpr int kMaxRequestsPerHost = 2;

// error: a URL longer than this is not fetched (browsers and servers stop near 8 KB).
inline constexpr std::size_t kMaxUrlBytes = 8192;

// truncation: entries of one RSS or Atom feed taken as articles (after --max-articles);
// the rest are left out with a warning. Feeds list 10 to 100 items.
inline constexpr std::size_t kMaxFeedArticles = 1000;

// error: lines of an --input-file (URLs and paths, one per line) and URL inputs in all.
inline constexpr std::size_t kMaxInputFileLines = 100000;

}  // namespace fetch

// ------------------------------------------------------------------------------- tables

// truncation: table columns beyond this many are dropped by the readers, with a warning
// (normalize_table() in model.hpp). HTML itself caps colspan at 1,000; every writer lays
// a table out column by column, and a 10,000-column table would be a megabyte-wide page.
// Real data tables have a few dozen.
inline constexpr std::size_t kMaxTableColumns = 1000;

// ------------------------------------------------------------------------------- images

// truncation: images beyond this many in one document are not loaded: they keep their
// alt text, with one warning. Each image is held in memory once and embedded in every
// output; a long illustrated article has a few dozen, a picture book a few hundred.
inline constexpr std::size_t kMaxImages = 1000;

// truncation: an image file (or data: URI, once decoded) larger than this is not loaded:
// it keeps its alt text, with a warning naming it. A full-page photograph is a few MB.
inline constexpr std::size_t kMaxImageBytes = std::size_t(32) << 20;  // 32 MiB

// truncation: the images of one document together larger than this: the ones after are
// not loaded (alt text, a warning). Keeps a document's resources and its EPUB a bounded
// size whatever its image count.
inline constexpr std::size_t kMaxResourceBytes = std::size_t(256) << 20;  // 256 MiB

// truncation: an image whose header claims more pixels than this is not loaded (alt text,
// a warning), before anything is decoded: a 1 KB PNG may claim 50,000 x 50,000 pixels,
// 10 GB once decoded for a PDF. 2^25 is 33.5 million pixels (134 MB as RGBA), above a
// 24-megapixel camera's photograph.
inline constexpr std::size_t kMaxImagePixels = std::size_t(1) << 25;

// truncation: an image wider or taller than this many pixels is not drawn in a PDF (its
// alt text, named in the writer's warning as one that does not decode), whatever its
// pixel count: libpng, which libharu reads PNG with (and dconv hands it GIF and WebP as
// PNG), refuses such a width or height (PNG_USER_WIDTH_MAX) and, libharu setting no
// recovery point, aborts the process, the whole batch with it. A 2-pixel-high animated
// WebP canvas 8 million pixels wide passes kMaxImagePixels. JPEG (and GIF) store each side
// in 16 bits, at most 65,535, which libjpeg and libharu read: below this already.
inline constexpr std::size_t kMaxPdfImageSide = 1'000'000;

// ------------------------------------------------------------------------------- time

// The time one document may take (reading, cleaning and writing every format), in
// seconds: BatchOptions::timeout_seconds and `dconv --timeout`. 0, the default, is no
// limit: every limit above already bounds the work to about linear in the input, and a
// corpus engine that wants a bound per record sets its own.
inline constexpr double kDefaultTimeoutSeconds = 0;

// error: the document took longer than its timeout. The deadline is cooperative: it is
// checked at points along the way (the readers per line or block, the cleaner's passes
// per unit, line or block, the writers per block and page), so the work stops at the
// first check after it, with
// Error(ErrorKind::limit, file, 0, "took longer than N s"); no thread is killed and
// nothing is left half-written.
//
// A DeadlineScope applies to the thread that makes it, until it is destroyed; scopes nest
// (the innermost wins). A program calling read_document and write_document makes one
// around them:
//
//     dconv::DeadlineScope deadline(5.0, "page.txt");   // 5 s for this document
//     dconv::Document doc = dconv::read_document(bytes, in, diag);
//     std::string md = dconv::write_document(doc, "md", {});
class DeadlineScope {
public:
    // seconds <= 0: no deadline (an enclosing one still applies).
    DeadlineScope(double seconds, std::string file);
    // The rest of a deadline of `seconds` of which `spent` went on the document already
    // (a URL input's fetch, before the batch converts it): it ends `seconds - spent` from
    // now, at once when nothing is left, and its error names `seconds`.
    DeadlineScope(double seconds, std::string file, double spent);
    ~DeadlineScope();
    DeadlineScope(const DeadlineScope&) = delete;
    DeadlineScope& operator=(const DeadlineScope&) = delete;

private:
    friend void check_deadline();
    friend std::optional<std::chrono::steady_clock::time_point> thread_deadline();
    friend void deadline_reached();
    std::chrono::steady_clock::time_point end_;
    double seconds_ = 0;
    std::string file_;
    const DeadlineScope* previous_ = nullptr;
    mutable bool reached_ = false;  // deadline_reached()
};

// The calling thread's deadline (its innermost DeadlineScope's end), if it has one: for
// work that waits rather than polls (a fetch, which stops waiting then).
std::optional<std::chrono::steady_clock::time_point> thread_deadline();
// Marks the calling thread's deadline as come, whatever the clock says: check_deadline
// throws from now on. For a wait that a timer ended at the deadline, which may wake a
// hair before it.
void deadline_reached();

// Throws Error(ErrorKind::limit) when the calling thread's deadline has passed; does
// nothing when it has none. Costs a clock read: call it per line or block, not per byte.
void check_deadline();

// check_deadline for loops over many small items (lines, units, words): reads the clock
// on every kDeadlinePollStride-th call of the thread only, so that a pass can poll per
// item at no measurable cost and still stop within a few milliseconds of its deadline.
inline constexpr unsigned kDeadlinePollStride = 256;
void poll_deadline();

// "took longer than 2 s", "took longer than 0.5 s": the message of a deadline's error.
std::string timeout_message(double seconds);

}  // namespace dconv
