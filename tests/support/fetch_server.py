#!/usr/bin/env python3
"""fetch_server.py: the web the fetch tests read, on 127.0.0.1.

Started by the tests themselves (tests/support/test_server.hpp): it binds an ephemeral
port on 127.0.0.1 (HTTPS with `--tls CERT KEY`), prints that port on its first line of standard output, and serves
until it is sent SIGTERM or its standard input closes. Every route is one behaviour the
tests assert (see the table in ROUTES' comments); /stats tells how often each path was
asked for and with which headers, so that retries, Referer and conditional requests can
be checked.
"""
import base64
import gzip
import json
import os
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer



def make_png(width, height):
    """A real RGB PNG: blue with a yellow square."""
    def chunk(kind, data):
        return (len(data).to_bytes(4, "big") + kind + data +
                (zlib.crc32(kind + data) & 0xffffffff).to_bytes(4, "big"))
    rows = b""
    for y in range(height):
        rows += b"\0"
        for x in range(width):
            inside = 4 <= x < 12 and 4 <= y < 12
            rows += b"\xff\xcc\x00" if inside else b"\x33\x66\xcc"
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) +
            chunk(b"IEND", b""))


PNG = make_png(24, 16)
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUf"
    "GhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo"
    "KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAUABQDASIAAhEBAxEB/8QAFgABAQEAAAAA"
    "AAAAAAAAAAAAAAUH/8QAGRABAAIDAAAAAAAAAAAAAAAAABRhAhJR/8QAFgEBAQEAAAAAAAAAAAAAAAAAAAcF"
    "/8QAGhEAAQUBAAAAAAAAAAAAAAAAAAISFlFiE//aAAwDAQACEQMRAD8Ay6TZJtFk2SbbkRyU+UaLUmxFk2ER"
    "yJRokb5dN8ugt3NNEfeqxvl0A5poPVZ//9k=")

PARAGRAPHS = [
    "The harbour wall was built in 1862 to shelter the fishing fleet from the winter storms "
    "that come in from the north-east. It runs for almost a kilometre, and on a clear morning "
    "you can walk its whole length and back before the cafes open.",
    "Halfway along, a flight of worn granite steps leads down to the water. Local children "
    "dive from the lowest step in summer, and the lifeguards keep a watchful eye from the "
    "little white hut at the end of the pier, as <a href=\"guides/lifeguards.html\">the "
    "lifeguards' guide</a> explains.",
    "The lighthouse at the far end was automated in 1987, but the keeper's cottage still "
    "stands. It now holds a small museum of ship models, old charts and photographs of the "
    "storms that have battered the town over the last two centuries.",
]


def article(title, paragraphs, images=True, extra_head=""):
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    figures = ""
    if images:
        figures = ('<figure><img src="img/one.png" alt="The harbour wall at dawn" width="24" '
                   'height="16"><figcaption>The wall at dawn</figcaption></figure>\n'
                   '<p><img src="/img/two.jpg" alt="The lighthouse"></p>\n')
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title>{extra_head}</head>\n<body>\n"
            f"<nav><a href=\"/\">Home</a> <a href=\"/news/\">News</a></nav>\n"
            f"<article><h1>{title}</h1>\n{body}{figures}"
            f"<p>Read more in <a href=\"more/history.html\">the town's history</a>.</p>\n"
            f"</article>\n<footer>Copyright the Harbour Gazette</footer>\n</body></html>\n")


ARTICLE = article("A Walk Along the Harbour Wall", PARAGRAPHS)

FEED_ARTICLES = {
    "a1": ("Monday: The Pier Reopens", "The pier reopened on Monday after a winter of repairs. "),
    "a2": ("Tuesday: The Market Returns", "The Tuesday market returned to the square with forty stalls. "),
    "a3": ("Wednesday: The Regatta Is Planned", "The sailing club announced the date of the summer regatta. "),
}


def feed_article(key):
    title, lead = FEED_ARTICLES[key]
    return article(title, [lead + p for p in PARAGRAPHS], images=False)


def rss(base):
    items = []
    # listed oldest first: dconv must order by date
    for key, day in (("a3", "08"), ("a1", "06"), ("a2", "07")):
        items.append(f"<item><title>{FEED_ARTICLES[key][0]}</title><link>{base}/{key}.html</link>"
                     f"<pubDate>Mon, {day} Jan 2024 10:00:00 GMT</pubDate></item>")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
            "<title>Harbour Gazette</title><link>" + base + "/</link>" + "".join(items) +
            "</channel></rss>\n")


def linkless_rss(base):
    """An RSS feed whose second and third items have no link: their content is the article
    (content:encoded in CDATA, with a link relative to the feed; a description, escaped);
    the fourth has neither link nor content."""
    encoded = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    described = "".join(f"&lt;p&gt;The ferry timetable changes in spring. {p}&lt;/p&gt;" for p in PARAGRAPHS[:2])
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
            "<title>Harbour Gazette</title><link>" + base + "/</link>"
            f"<item><title>{FEED_ARTICLES['a1'][0]}</title><link>{base}/a1.html</link></item>"
            "<item><title>Thursday: Notes From the Wall</title><guid isPermaLink=\"false\">n-1</guid>"
            f"<description>A short summary.</description><content:encoded><![CDATA[{encoded}]]></content:encoded></item>"
            f"<item><title>Friday: The Ferry Timetable</title><description>{described}</description></item>"
            "<item><title>Saturday: Nothing Here</title></item>"
            "</channel></rss>\n")


GBK_TEXT = ("<html><head><title>港口的早晨</title></head><body><article><h1>港口的早晨</h1>"
            "<p>清晨的港口总是很安静。渔船在天亮之前就已经出海，码头上只剩下几位老人在慢慢地散步，"
            "他们一边聊天一边看着远处的灯塔。</p><p>到了中午，渔船陆续回来，市场里一下子热闹起来，"
            "人们在摊位之间挑选最新鲜的鱼和虾。</p></article></body></html>")

# Thai plain text (a harbour morning, written for these tests), served in cp874: a
# single-byte charset whose bytes ICU's detector takes for GB18030 (confidence 55 for
# three copies).
THAI_TEXT = ("ท่าเรือยามเช้า\n\n"
             "ท่าเรือในตอนเช้าเงียบสงบเสมอ เรือประมงออกทะเลก่อนฟ้าสาง "
             "บนสะพานท่าเรือเหลือเพียงผู้สูงอายุไม่กี่คนที่เดินเล่นช้า ๆ "
             "พวกเขาคุยกันไปพลางมองประภาคารที่อยู่ไกลออกไป\n\n"
             "พอถึงเที่ยงวัน เรือประมงก็ทยอยกลับมา ตลาดคึกคักขึ้นทันที "
             "ผู้คนเลือกซื้อปลาและกุ้งสดใหม่ระหว่างแผงขายของ\n")


NOTES = """---
title: Harbour Notes
---

The wall at dawn, seen from the end of the pier: ![The harbour wall at dawn](img/one.png)

![The lighthouse](/img/two.jpg)

See [the lifeguards' guide](guides/lifeguards.html) and ![A picture that is gone](img/missing.png).
"""


class State:
    lock = threading.Lock()
    counts = {}
    headers = {}
    in_flight = 0       # requests to /concurrent being answered now
    max_in_flight = 0   # the most at once


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the tests' output is theirs
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def do_GET(self):
        path = self.path
        route = path.split("?")[0]
        with State.lock:
            State.counts[path] = State.counts.get(path, 0) + 1
            count = State.counts[path]
            State.headers[path] = {k: v for k, v in self.headers.items()}
        if route == "/stats":
            with State.lock:
                self.send(200, json.dumps({"counts": State.counts, "headers": State.headers,
                                           "max_in_flight": State.max_in_flight}), "text/plain")
            return
        if route == "/article.html":
            self.send(200, ARTICLE)
        elif route == "/img/one.png":
            self.send(200, PNG, "image/png")
        elif route == "/img/two.jpg":
            self.send(200, JPEG, "image/jpeg")
        elif route == "/img/missing.png":
            self.send(404, "no such image", "text/plain")
        elif route == "/notes.md":  # Markdown, with relative images and a link
            self.send(200, NOTES, "text/markdown; charset=utf-8")
        elif route == "/evil-title.html":  # a title that would climb out of the output folder
            self.send(200, article("../../Escape/Attempt", PARAGRAPHS, images=False))
        elif route == "/untitled/pier-reopens.html":  # no title: named after the URL
            self.send(200, "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) +
                      "</article></body></html>")
        elif route == "/broken-image.html":
            self.send(200, article("A Page With a Broken Image", PARAGRAPHS, images=False).replace(
                "</article>", '<p><img src="img/missing.png" alt="A picture that is gone"></p></article>'))
        elif route == "/redirect":  # two hops, the second relative
            self.send(302, "", None, {"Location": "/redirect-2"})
        elif route == "/redirect-2":
            self.send(301, "", None, {"Location": "article.html"})
        elif route == "/redirect-loop":
            self.send(302, "", None, {"Location": "/redirect-loop?n=" + str(count)})
        elif route == "/redirect-long":
            self.send(302, "", None, {"Location": "/article.html?" + "x" * 9000})
        elif route == "/redirect-file":
            self.send(302, "", None, {"Location": "file:///etc/passwd"})
        elif route == "/redirect-private":  # to another loopback address: "private"
            self.send(302, "", None, {"Location": f"http://127.0.0.2:{self.server.server_address[1]}/article.html"})
        elif route == "/concurrent":  # how many requests a client has in flight at once
            with State.lock:
                State.in_flight += 1
                State.max_in_flight = max(State.max_in_flight, State.in_flight)
            time.sleep(0.3)
            with State.lock:
                State.in_flight -= 1
            self.send(200, ARTICLE)
        elif route == "/slow":
            time.sleep(5)
            self.send(200, ARTICLE)
        elif route == "/slow-page.html":  # 1.6 s for the page, 1.6 s more for its image
            time.sleep(1.6)
            self.send(200, article("A Slow Page", PARAGRAPHS, images=False).replace(
                "</article>", '<p><img src="/img/slow.png" alt="A slow picture"></p></article>'))
        elif route == "/slow-text.html":  # 1.6 s, no image
            time.sleep(1.6)
            self.send(200, article("A Slow Text " + (self.path.partition("?")[2] or "page"), PARAGRAPHS,
                                   images=False))
        elif route == "/slow-feed.xml":  # 1.6 s for the feed, listing one page of 1.6 s more
            time.sleep(1.6)
            self.send(200, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                      "<title>Slow Gazette</title><item><title>A slow article</title>"
                      f"<link>{self.base()}/slow-text.html?feed</link></item></channel></rss>\n",
                      "application/rss+xml")
        elif route == "/img/slow.png":
            time.sleep(1.6)
            self.send(200, PNG, "image/png")
        elif route == "/missing":
            self.send(404, "<html><body><h1>Not here</h1></body></html>")
        elif route == "/flaky":  # 503 once, then the article (per query string)
            if count == 1:
                self.send(503, "busy", "text/plain", {"Retry-After": "1"})
            else:
                self.send(200, ARTICLE)
        elif route == "/too-many":  # 429 once, without Retry-After: the client's own backoff
            if count == 1:
                self.send(429, "slow down", "text/plain")
            else:
                self.send(200, ARTICLE)
        elif route == "/busy-long":
            self.send(503, "busy", "text/plain", {"Retry-After": "3600"})
        elif route == "/reset":  # the connection dropped once, then the article
            if count == 1:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.send(200, ARTICLE)
        elif route == "/gzip.html":
            self.send(200, gzip.compress(article("A Compressed Page", PARAGRAPHS, images=False).encode()),
                      "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        elif route == "/bad-gzip.html":  # a gzip header with garbage after it
            self.send(200, b"\x1f\x8b\x08garbage-not-gzip" * 10, "text/html; charset=utf-8",
                      {"Content-Encoding": "gzip"})
        elif route == "/deflate.html":
            self.send(200, zlib.compress(article("A Deflated Page", PARAGRAPHS, images=False).encode()),
                      "text/html; charset=utf-8", {"Content-Encoding": "deflate"})
        elif route == "/utf8-as-latin1.html":  # a UTF-8 body under a Latin-1 header
            self.send(200, article("The Caf\u00e9 on the Quay", PARAGRAPHS, images=False).encode(),
                      "text/html; charset=ISO-8859-1")
        elif route == "/gbk-as-utf8.html":  # a GBK body under a UTF-8 header
            self.send(200, GBK_TEXT.encode("gbk"), "text/html; charset=utf-8")
        elif route == "/latin1-as-utf8.html":  # a Latin-1 body under a UTF-8 header
            self.send(200, article("The Caf\u00e9 on the Quay", PARAGRAPHS, images=False)
                      .replace('<meta charset="utf-8">', "").encode("latin-1"), "text/html; charset=utf-8")
        elif route == "/gbk-as-latin1.html":  # a GBK body under a Latin-1 header
            self.send(200, GBK_TEXT.encode("gbk"), "text/html; charset=ISO-8859-1")
        elif route == "/stray-byte-as-utf8.txt":  # UTF-8 with one stray windows-1252 byte
            self.send(200, "The boats of the Caf\u00e9 harbour\n\nJos\u00e9".encode() + b"\x92" +
                      " boat left the quay before dawn, and the others followed it out past the "
                      "lighthouse while the town was still asleep.\n".encode(), "text/plain; charset=utf-8")
        elif route == "/thai-tis620.txt":  # Thai under its own single-byte charset's header
            self.send(200, (THAI_TEXT * 3).encode("cp874"), "text/plain; charset=tis-620")
        elif route == "/thai-cp874.txt":
            self.send(200, (THAI_TEXT * 3).encode("cp874"), "text/plain; charset=windows-874")
        elif route == "/gbk.html":
            self.send(200, GBK_TEXT.encode("gbk"), "text/html; charset=GBK")
        elif route == "/huge":  # a length over any cap, announced
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(200 << 20))
            self.end_headers()
            self.stream(200 << 20)
        elif route == "/huge-chunked":  # no length: the cap is found while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            self.stream(200 << 20)
        elif route == "/doc.pdf":
            self.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 4096, "application/pdf")
        elif route == "/sitemap.xml":  # XML, but neither a feed nor a page
            self.send(200, '<?xml version="1.0"?><urlset><url><loc>/a1.html</loc></url></urlset>', "application/xml")
        elif route == "/feed.xml":
            self.send(200, rss(self.base()), "application/rss+xml")
        elif route == "/linkless.xml":  # items without links, read from their content
            self.send(200, linkless_rss(self.base()), "application/rss+xml")
        elif route in ("/x-feed.rss", "/xml-feed.xml"):  # the unregistered type, generic XML
            self.send(200, rss(self.base()), "application/x-rss+xml" if route == "/x-feed.rss" else "text/xml")
        elif route in ("/a1.html", "/a2.html", "/a3.html"):
            self.send(200, feed_article(route[1:3]))
        elif route == "/etag.html":
            tag = '"v1"'
            if self.headers.get("If-None-Match") == tag:
                self.send(304, "", None, {"ETag": tag})
            else:
                self.send(200, ARTICLE, headers={"ETag": tag, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
        elif route == "/lastmod.html":  # Last-Modified only, no ETag
            stamp = "Tue, 02 Jan 2024 00:00:00 GMT"
            if self.headers.get("If-Modified-Since") == stamp:
                self.send(304, "", None)
            else:
                self.send(200, ARTICLE, headers={"Last-Modified": stamp})
        elif route == "/headers":
            self.send(200, "".join(f"{k}: {v}\n" for k, v in self.headers.items()), "text/plain; charset=utf-8")
        else:
            self.send(404, "<html><body>Not found</body></html>")

    def stream(self, total):
        chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
        sent = 0
        try:
            while sent < total:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that gave up (a timeout, a size cap) is what some tests are about
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":  # --tls CERT KEY: HTTPS, that certificate
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)

    def watch_stdin():  # the test closes our stdin (or dies): stop
        try:
            sys.stdin.read()
        finally:
            os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
