#!/usr/bin/env python3
"""Write a plausible web-text dump of a given size: the input of the README's
"50 MB of text to PDF" memory measurements (issue 16), so that anyone can repeat them.

    python3 tests/support/make_web_dump.py 50 > /tmp/dump50.txt   # 50 MB (10^6 bytes)

The shape is a crawl of a few news sites saved as text, one page after another, as
text dumps come: each page has its site's template lines (menus, share buttons, a
cookie notice, a footer: the same on every page of a site), then a headline, a byline
and date, the article's paragraphs (some broken mid-sentence across lines, as dumps
break them), a few subheadings, a "related" list and reader comments. The words come
from a Zipf-like vocabulary of English function words and some 20,000 made-up content
words, so that the cleaner's tables of words and sentences are as full as on real text.
A fixed generator: the same size and seed give the same bytes.
"""
import random
import sys

STOPWORDS = (
    "the of and to a in that is was for it with as on be at by this had not are but from or "
    "have an they which one you were her all she there would their we him been has when who "
    "will more no if out so said what up its about into than them can only other new some "
    "could time these two may then do first any my now such like our over man me even most "
    "made after also did many before must through back years where much your way well down "
    "should because each just those people how too little state good very make world still "
    "own see men work long get here between both life being under never day same another know "
    "while last might us great old year off come since against go came right used take three"
).split()

SYLLABLES = (
    "ka ri to mu se la an ver pol tin gra dor mel chi sta ben ro fi ne qua lu dra per son "
    "mar cal ten vis ho bra pen tor gan lim sor fe ci ra mon del bal tri cor nu ga pi vel "
    "sen tra mo li des ter gol ran pre con dis ex pro com sub trans ment tion ing er ly al"
).split()


class Dump:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        rng = self.rng
        content = set()
        while len(content) < 20000:
            content.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
        self.content = sorted(content)
        rng.shuffle(self.content)
        # Zipf-like weights: the k-th content word about 1/k as frequent as the first.
        self.content_weights = [1.0 / (k + 1) for k in range(len(self.content))]
        self.cum = []
        total = 0.0
        for w in self.content_weights:
            total += w
            self.cum.append(total)
        self.total = total
        self.sites = [self.make_site(i) for i in range(6)]

    def content_word(self):
        x = self.rng.random() * self.total
        lo, hi = 0, len(self.cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return self.content[lo]

    def word(self):
        if self.rng.random() < 0.45:
            return self.rng.choice(STOPWORDS)
        return self.content_word()

    def title_words(self, n):
        return " ".join(self.content_word().capitalize() if self.rng.random() < 0.7 else self.rng.choice(STOPWORDS)
                        for _ in range(n))

    def sentence(self):
        n = self.rng.randint(6, 28)
        words = [self.word() for _ in range(n)]
        words[0] = words[0].capitalize()
        for i in range(2, n - 2):
            if self.rng.random() < 0.07:
                words[i] += ","
        if self.rng.random() < 0.1:
            words.insert(self.rng.randint(1, n - 1), str(self.rng.randint(2, 9999)))
        return " ".join(words) + self.rng.choice(".....?!")

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 7)))

    def make_site(self, i):
        rng = self.rng
        name = self.title_words(2) + rng.choice([" News", " Daily", " Times", " Post", " Review", " Herald"])
        menu = [self.title_words(1) for _ in range(rng.randint(5, 11))]
        return {
            "name": name,
            "header": [
                name,
                "Home | " + " | ".join(menu),
                rng.choice(["Subscribe", "Sign in", "Log in | Register", "Newsletter"]),
            ],
            "share": rng.choice(["Share on Facebook Share on Twitter Email", "Share this article", "Share | Tweet | Print"]),
            "footer": [
                "About us | Contact | Advertise | Privacy Policy | Terms of Use",
                "Copyright © %d %s. All rights reserved." % (rng.randint(2005, 2024), name),
                "This site uses cookies to improve your experience. Accept",
            ],
            "sections": menu,
        }

    def page(self):
        rng = self.rng
        site = rng.choice(self.sites)
        out = list(site["header"])
        out.append(rng.choice(site["sections"]))
        out.append(self.title_words(rng.randint(5, 12)))
        out.append("By %s %s | %d-%02d-%02d %02d:%02d" % (
            self.content_word().capitalize(), self.content_word().capitalize(),
            rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)))
        out.append(site["share"])
        for _ in range(rng.randint(4, 30)):
            r = rng.random()
            if r < 0.08:
                out.append(self.title_words(rng.randint(2, 7)))
            elif r < 0.2:
                # A paragraph broken mid-sentence, as a text dump breaks lines.
                p = self.paragraph().split(" ")
                cut = rng.randint(1, max(1, len(p) - 1))
                out.append(" ".join(p[:cut]))
                out.append(" ".join(p[cut:]))
                continue
            else:
                out.append(self.paragraph())
        out.append(rng.choice(["Related articles", "Read more", "You may also like"]))
        for _ in range(rng.randint(2, 6)):
            out.append(self.title_words(rng.randint(4, 9)))
        if rng.random() < 0.5:
            n = rng.randint(1, 12)
            out.append("%d comments" % n)
            for _ in range(n):
                out.append("%s%d %d hours ago" % (self.content_word(), rng.randint(1, 999), rng.randint(1, 23)))
                out.append(" ".join(self.sentence() for _ in range(rng.randint(1, 3))))
                out.append("Reply | Like")
        out.extend(site["footer"])
        return "\n\n".join(out) + "\n\n"


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make_web_dump.py MEGABYTES [SEED] > dump.txt")
    target = int(float(sys.argv[1]) * 1000000)
    dump = Dump(int(sys.argv[2]) if len(sys.argv) == 3 else 1)
    out = sys.stdout.buffer
    written = 0
    while written < target:
        page = dump.page().encode("utf-8")
        out.write(page)
        written += len(page)


if __name__ == "__main__":
    main()
