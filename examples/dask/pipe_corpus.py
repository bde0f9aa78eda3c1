#!/usr/bin/python3
"""Cleans a corpus on a Dask cluster by piping each partition through `dconv --jsonl`.

    pipe_corpus.py [options] INPUT OUTPUT [-- DCONV_OPTION...]

INPUT is a JSON Lines file of records ({"id", "text" | "html" | "markdown", "meta"?}, one
per line) or a folder of pages (*.txt, *.text as "text", *.md as "markdown", *.html,
*.htm as "html", found recursively in sorted order, each page's id its path below the
folder). OUTPUT receives one converted record per input record, in the input's order
({"dconv-jsonl", "id", "markdown", "text", "meta", "stats", "error"?}; see `dconv --help`); "-" is
standard output. Options after "--" go to dconv (--no-clean, --columns 60, ...).

The cluster is local: a scheduler on 127.0.0.1 and --workers worker processes of one
thread each (Dask's LocalCluster), no dashboard, nothing beyond the loopback interface.
The corpus becomes a dask.bag of --partitions partitions; each partition is one
`dconv --jsonl` process on a worker, its records on stdin, its converted records read
back from stdout, the count checked. Partitions are written as part files by the
workers (the client never holds the corpus) and joined in order into OUTPUT: this is
Spark's RDD.pipe or Hadoop Streaming, on Dask.

Exit status: 0, or 1 when some record failed to convert (its output record says why,
in "error"), or 2 when the run itself failed.
"""

import argparse
import glob
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time

# Debian's python3-distributed; the scheduler and workers bind to loopback only.
import dask.bag
from dask.distributed import Client, LocalCluster

CONTENT_BY_ENDING = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                     ".html": "html", ".htm": "html"}


def fail(message):
    """Ends the run: exit status 2, the run itself failed."""
    print("pipe_corpus: " + message, file=sys.stderr)
    sys.exit(2)


def find_dconv(given):
    """The dconv binary: --dconv, $DCONV, the build next to this checkout, or PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (given, os.environ.get("DCONV"),
                      os.path.join(here, "..", "..", "build", "dconv")):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    found = shutil.which("dconv")
    if found:
        return found
    fail("no dconv binary: build it (tools/build.sh) or give --dconv PATH")


def pipe_partition(lines, dconv, arguments):
    """Runs one partition's records through `dconv --jsonl`; returns its output records.

    One line in, one line out, same order, same count: dconv's contract, checked here
    so that a broken partition fails the job rather than silently shifting records.
    Lines are split on "\\n" only: a record may hold U+2028 or U+0085, which
    str.splitlines would take for line ends."""
    data = "".join(line if line.endswith("\n") else line + "\n" for line in lines).encode()
    count = data.count(b"\n")
    completed = subprocess.run([dconv, "--jsonl", *arguments], input=data,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if completed.returncode not in (0, 1):  # 1: some records failed, each says why
        raise RuntimeError("dconv --jsonl exited %d: %s" % (
            completed.returncode, completed.stderr.decode(errors="replace")[-2000:]))
    out = completed.stdout.split(b"\n")
    if out and out[-1] == b"":
        out.pop()
    if len(out) != count:
        raise RuntimeError("dconv --jsonl returned %d records for %d" % (len(out), count))
    return [record.decode() for record in out]


def records_from_folder(folder):
    """(id, field, path) of every page below `folder`, sorted: the records to build."""
    pages = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*"), recursive=True)):
        field = CONTENT_BY_ENDING.get(os.path.splitext(path)[1].lower())
        if field and os.path.isfile(path) and not os.path.basename(path).startswith("."):
            pages.append((os.path.relpath(path, folder), field, path))
    return pages


def page_record(page):
    """A page's JSON record, built on the worker that pipes it (the client reads none)."""
    page_id, field, path = page
    # JSON is Unicode: a page must be UTF-8 here (invalid bytes become U+FFFD); dconv's
    # encoding detection is for files it reads itself.
    with open(path, "rb") as f:
        content = f.read().decode("utf-8", errors="replace")
    return json.dumps({"id": page_id, field: content}, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="a JSON Lines file of records, or a folder of pages")
    parser.add_argument("output", help="the converted records' JSON Lines file, or -")
    parser.add_argument("dconv_options", nargs="*", help="after --: options for dconv")
    parser.add_argument("--dconv", help="the dconv binary (default: $DCONV, build/dconv, PATH)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--partitions", type=int, default=0,
                        help="partitions (default: 4 per worker for a folder; 8 MB blocks of a file)")
    parser.add_argument("--blocksize", default="8MB", help="partition size of a JSONL file (default 8MB)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="dconv threads per partition (default 1: a worker has one thread)")
    args = parser.parse_args()
    dconv = find_dconv(args.dconv)
    arguments = ["-j%d" % args.jobs, *args.dconv_options]

    start = time.monotonic()
    parts = tempfile.mkdtemp(prefix="dconv-dask-")
    try:
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster, Client(cluster):
            if os.path.isdir(args.input):
                pages = records_from_folder(args.input)
                if not pages:
                    fail("no pages (*.txt, *.md, *.html) in " + args.input)
                partitions = args.partitions or min(len(pages), 4 * args.workers)
                bag = dask.bag.from_sequence(pages, npartitions=partitions).map(page_record)
            else:
                bag = dask.bag.read_text(args.input, blocksize=args.blocksize)
                if args.partitions:
                    bag = bag.repartition(npartitions=args.partitions)
            converted = bag.map_partitions(pipe_partition, dconv, arguments)
            # Each worker writes its partitions' files (part-00000.jsonl, ...): the client
            # never holds the corpus, only joins the files in order below.
            names = converted.to_textfiles(os.path.join(parts, "part-*.jsonl"),
                                           name_function=lambda i: "%05d" % i,
                                           encoding="utf-8", last_endline=True)
        records = failed = 0
        partial = args.output + ".partial"
        out = sys.stdout.buffer if args.output == "-" else open(partial, "wb")
        try:
            for name in sorted(names):
                with open(name, "rb") as part:
                    for line in part:
                        records += 1
                        # "error" is the last key, present only on failure
                        failed += b'"error":' in line and "error" in json.loads(line)
                        out.write(line)
            out.flush()
        finally:
            if out is not sys.stdout.buffer:
                out.close()
        if args.output != "-":
            os.replace(partial, args.output)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    seconds = time.monotonic() - start
    print("pipe_corpus: %d records (%d failed) through %d workers in %.1f s, %.0f records/s"
          % (records, failed, args.workers, seconds, records / seconds if seconds else 0),
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError, ValueError) as error:  # a partition, the cluster, a file
        fail(str(error))
