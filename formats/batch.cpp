// batch.cpp: what the `dconv` command does, step by step: plan the inputs and outputs
// (batch/plan), profile the batch, convert on a pool of threads (batch/converter,
// batch/thread_pool) while finished outputs are committed (batch/committing), report
// (batch/reporting). The steps live in formats/batch/, one concern per file, after qpdf's
// QPDFJob; this file is the order they run in.
#include "dconv/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <thread>

#include "batch/committing.hpp"
#include "batch/converter.hpp"
#include "batch/input_reading.hpp"
#include "batch/plan.hpp"
#include "batch/reporting.hpp"
#include "batch/thread_pool.hpp"
#include "batch/web_inputs.hpp"
#include "dconv/styles.hpp"
#include "pdf/print_style.hpp"

namespace dconv {

using namespace batch;

// ---------------------------------------------------------------------------- front door

BatchResult run_batch(const BatchOptions& options, std::ostream& out, std::ostream& err) {
    if (options.jsonl) return run_jsonl(options, STDIN_FILENO, out, err);
    auto start = std::chrono::steady_clock::now();
    BatchResult result;
    Plan plan;
    try {
        plan = make_plan(options, err);
    } catch (const UsageError& e) {
        err << "dconv: " << printable_name(e.message) << "\n";
        result.exit_code = kExitUsage;
        return result;
    }

    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    bool json = options.explain == Explain::json;
    result.inputs = plan.inputs.size() + plan.missing.size() + plan.fetch_failures.size();
    result.fetch_failed = plan.fetch_failures.size();
    if (options.counters) options.counters->inputs = result.inputs;
    Tally tally;
    if (!options.quiet && !json)
        for (const std::string& warning : plan.warnings) err << "dconv: " << warning << "\n";
    for (const auto& [name, why] : plan.missing) {
        Error e(ErrorKind::io, name, 0, why);
        err << (json ? explain_json(name, false, {}, {e}, Diagnostics{}) : error_line(name, e));
        tally.input_failed = true;
    }
    for (const FailedFetch& failure : plan.fetch_failures) {
        err << (json ? explain_json(failure.name, false, {}, {failure.error}, Diagnostics{})
                     : error_line(failure.name, failure.error));
        tally.input_failed = true;
    }

    bool nothing_to_do = plan.inputs.empty();
    if (!nothing_to_do && plan.mode == OutputMode::directory) {
        std::error_code ec;
        fs::create_directories(plan.output, ec);
        if (ec) {
            err << "dconv: " << plan.output.string() << ": " << batch::cannot_create_directory(plan.output, ec)
                << "\n";
            tally.output_failed = true;
            nothing_to_do = true;
        }
    }

    if (!nothing_to_do && (plan.mode == OutputMode::directory || plan.mode == OutputMode::file)) {
        std::size_t removed = remove_stale_temporaries(plan);
        if (removed && !options.quiet && !json)
            err << "dconv: removed " << removed << " temporary file" << (removed == 1 ? "" : "s")
                << " left by an interrupted run\n";
    }
    if (!nothing_to_do) {
        std::size_t removed = remove_abandoned_fetch_folders();
        if (removed && !options.quiet && !json)
            err << "dconv: removed " << removed << " folder" << (removed == 1 ? "" : "s")
                << " of fetched pages left by an interrupted run\n";
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
        if (plan.web) reporter.show_fetching(&plan.web->fetcher());
        Converter converter(options, plan, batch, out, reporter, tally);
        parallel_for(plan.inputs.size(), jobs, [&](std::size_t i) { converter.convert(i); });
        converter.drain();
        if (!plan.bundle_outputs.empty()) converter.write_bundle();
        reporter.message(unmatched_selector_summary(tally, plan));
        reporter.finish();
    }

    result.converted = tally.converted;
    result.skipped = tally.skipped;
    result.left_out = tally.left_out;
    result.failed = result.inputs - result.converted - result.skipped - result.left_out;
    result.warnings = tally.warnings;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.exit_code = tally.usage_failed    ? kExitUsage
                       : tally.output_failed ? kExitOutputFailed
                       : tally.input_failed  ? kExitInputFailed
                                             : kExitSuccess;
    // A filter (-o -) keeps stderr for what matters: failures, which are reported
    // anyway; the summary is for batches written to files.
    bool filter = plan.mode == OutputMode::standard_output && (result.failed == 0 || tally.stdout_closed);
    if (!options.quiet && !json && !filter) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", result.seconds);
        err << "converted " << result.converted << " of " << result.inputs
            << (result.inputs == 1 ? " input" : " inputs") << " into " << printable_name(plan.output_display);
        if (result.failed || result.skipped || result.left_out) {
            err << " (";
            if (result.failed) {
                err << result.failed << " failed";
                // a missing file, a failed fetch and a failed conversion have different
                // causes: say which (the missing ones were counted "to convert" before)
                const std::size_t missing = plan.missing.size();
                const std::size_t convert_failed = result.failed - std::min(result.failed, missing + result.fetch_failed);
                if (missing || result.fetch_failed) {
                    std::string parts;
                    auto part = [&parts](std::size_t n, const char* what) {
                        if (n) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + what;
                    };
                    part(missing, " not found");
                    part(result.fetch_failed, " to fetch");
                    part(convert_failed, " to convert");
                    err << ": " << parts;
                }
                err << (result.skipped ? ", " : "");
            }
            if (result.skipped) err << result.skipped << " skipped: their outputs exist";
            if (result.left_out)
                err << (result.failed || result.skipped ? ", " : "") << result.left_out << " left out: nothing in it";
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
