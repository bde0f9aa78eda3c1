#!/usr/bin/python3
"""How much of each page's gold text is in no unit dconv builds, and where in the saved
page that text sits (issue 13: gold text hidden in the page, in scripts, in the head).

usage: /usr/bin/python3 tools/eval/missing_gold.py [--dconv build/dconv] [--work DIR]
                                                   [--reuse] [--pages FILE] [--min-share S]

1. Converts every WCXB page (../shared/wcxb) and every magic-html page (../shared/magic)
   from HTML with DCONV_UNIT_FEATURES=1 and the unit model off, as
   tools/train/train_unit_model.py does: dconv prints every unit of the whole body
   with its text (--reuse: read the dumps of an earlier run in --work, or of the
   trainer's work folder).
2. A gold word is in a unit when a three-word sequence covering it is in a unit's text
   (tools/train/align.py's words and shingles); the rest of the gold is missing.
3. Each missing word is placed by the page.html text holding a sequence covering it,
   first place found in this order: a hidden box that a control on the page opens (tab
   panel, accordion, collapse: `hidden-openable`), another hidden box by how it is
   hidden (`hidden-attr`, `hidden-aria`, `hidden-style`, `hidden-class`), a `<dialog>`,
   JSON-LD (`jsonld-body`: articleBody, text, description, reviewBody, answer text;
   `jsonld-other`), another script's JSON strings (`script`), a `<template>`, a form
   control's text (`form-control`), `<noscript>`, the `<meta>` description or
   og:description (`meta-description`), an attribute (alt, title, value, placeholder,
   aria-label: `attribute`), text shown on the page but in no unit (`shown`), or
   nowhere in the page (`nowhere`).

Prints, per source and page type, how many pages miss at least --min-share of their gold
words, the missing words per place, and with --pages a line per page.
"""
import argparse, gzip, json, os, re, sys
from collections import Counter, defaultdict
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, 'tools', 'train'))
import wcxb  # noqa: E402
import align  # noqa: E402

MAGIC = os.path.join(os.path.dirname(wcxb.WCXB), 'magic')
PLACES = ('hidden-openable', 'hidden-attr', 'hidden-aria', 'hidden-style', 'hidden-class', 'dialog',
          'jsonld-body', 'jsonld-other', 'script', 'template', 'form-control', 'noscript',
          'meta-description', 'attribute', 'shown', 'nowhere')
VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source',
        'track', 'wbr', 'keygen'}
FORM = {'select', 'option', 'optgroup', 'textarea', 'button', 'datalist'}
HIDING_CLASSES = {'hidden', 'hide', 'invisible', 'd-none'}
OPENING_CLASSES = re.compile(r'collapse|accordion|tab-pane|tabpanel|panel|toggle|expand|drawer|faq', re.I)
BODY_KEYS = {'articlebody', 'text', 'description', 'reviewbody', 'acceptedanswer', 'suggestedanswer'}
JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){20,})"')
TAG = re.compile(r'<[^>]*>')


def hidden_kind(tag, attrs):
    """How an element hides itself (html_tree.cpp's is_hidden), or None."""
    if tag == 'dialog':
        return 'dialog'
    if 'hidden' in attrs:
        return 'hidden-attr'
    if (attrs.get('aria-hidden') or '').strip().lower() == 'true':
        return 'hidden-aria'
    style = re.sub(r'\s', '', (attrs.get('style') or '').lower())
    if 'display:none' in style or 'visibility:hidden' in style:
        return 'hidden-style'
    tokens = (attrs.get('class') or '').split()
    if any(t in HIDING_CLASSES for t in tokens) and not any(
            ':' in t or t.startswith('d-') or t in ('show', 'visible', 'in', 'open', 'active') for t in tokens):
        return 'hidden-class'
    if 'collapse' in tokens and not ('show' in tokens or 'in' in tokens):
        return 'hidden-class'  # the selection's folded-shut rule
    return None


class Walker(HTMLParser):
    """Text of the page by place; `opened`: ids a control names (aria-controls, #href,
    data-target), so that a hidden box with such an id is openable."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, hidden kind, openable, place)
        self.texts = defaultdict(list)
        self.opened = set()
        self.hidden_ids = []  # (id, index into texts chunks) resolved at the end

    def place(self):
        for tag, kind, openable, place in reversed(self.stack):
            if place:
                return place
        return None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or '') for k, v in attrs}
        for k in ('aria-controls', 'data-target', 'data-bs-target', 'href', 'aria-owns'):
            v = a.get(k, '')
            for ref in v.replace('#', ' ').split() if k != 'href' else ([v[1:]] if v.startswith('#') else []):
                self.opened.add(ref)
        if tag == 'meta':
            key = (a.get('name') or a.get('property') or '').lower()
            if key in ('description', 'og:description', 'twitter:description'):
                self.texts['meta-description'].append(a.get('content', ''))
            return
        for k in ('alt', 'title', 'value', 'placeholder', 'aria-label'):
            if a.get(k):
                self.texts['attribute'].append(a[k])
        if tag in VOID:
            return
        place = None
        kind = hidden_kind(tag, a)
        if tag == 'script':
            place = 'jsonld' if 'ld+json' in (a.get('type') or '').lower() else 'script'
        elif tag == 'style':
            place = 'style'
        elif tag == 'template':
            place = 'template'
        elif tag == 'noscript':
            place = 'noscript'
        elif tag in FORM:
            place = 'form-control'
        openable = bool(a.get('role') == 'tabpanel' or a.get('aria-labelledby') or
                        OPENING_CLASSES.search(a.get('class', '') + ' ' + a.get('id', '')))
        if kind and self.place() is None:  # the outermost hidden box names the place
            place = ('hidden', kind, openable, a.get('id', ''))
        self.stack.append((tag, kind, openable, place))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        p = self.place()
        if p is None:
            self.texts['shown'].append(data)
        elif isinstance(p, tuple):
            self.texts[p].append(data)
        elif p == 'jsonld':
            self.jsonld(data)
        elif p == 'script':
            for m in JSON_STRING.finditer(data):
                try:
                    self.texts['script'].append(TAG.sub(' ', json.loads('"' + m.group(1) + '"')))
                except ValueError:
                    pass
        elif p != 'style':
            self.texts[p].append(data)

    def jsonld(self, data):
        try:
            doc = json.loads(data)
        except ValueError:
            self.texts['jsonld-other'].append(data)
            return
        todo = [(None, doc)]
        while todo:
            key, v = todo.pop()
            if isinstance(v, dict):
                todo += [(k.lower(), x) for k, x in v.items()]
            elif isinstance(v, list):
                todo += [(key, x) for x in v]
            elif isinstance(v, str):
                self.texts['jsonld-body' if key in BODY_KEYS else 'jsonld-other'].append(TAG.sub(' ', v))

    def places(self):
        """{place name: text}, hidden boxes resolved to their kinds."""
        out = defaultdict(list)
        for p, chunks in self.texts.items():
            if isinstance(p, tuple):
                _, kind, openable, ident = p
                name = 'hidden-openable' if kind != 'dialog' and (openable or (ident and ident in self.opened)) else kind
                out[name] += chunks
            else:
                out[p] += chunks
        return {k: ' '.join(v) for k, v in out.items()}


def shingles(w):
    return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}


def missing_by_place(gold_text, unit_texts, html, held=None):
    """(gold words, Counter of missing words by place); `held` (a Counter) gains, per
    place, the words the page holds there ('words PLACE') and how many of them the gold
    holds ('gold PLACE'): what revealing that place would add, and how much of it is
    content."""
    g = align.words(gold_text)
    have = set()
    for t in unit_texts:
        have |= shingles(align.words(t))
    covered = [False] * len(g)
    for i in range(len(g) - 2):
        if tuple(g[i:i + 3]) in have:
            covered[i] = covered[i + 1] = covered[i + 2] = True
    missing = [i for i in range(len(g)) if not covered[i]]
    out = Counter()
    if (not missing or len(g) < 3) and held is None:
        return len(g), out
    walker = Walker()
    try:
        walker.feed(html)
        walker.close()
    except AssertionError:  # html.parser's own complaints about broken markup
        pass
    places = walker.places()
    sets = [(p, shingles(align.words(places[p]))) for p in PLACES if p in places]
    if held is not None:
        gold = shingles(g)
        for p in PLACES:
            if p in places and p not in ('shown', 'attribute', 'script', 'jsonld-other'):
                w = align.words(places[p])
                found = [False] * len(w)
                for i in range(len(w) - 2):
                    if tuple(w[i:i + 3]) in gold:
                        found[i] = found[i + 1] = found[i + 2] = True
                held['words ' + p] += len(w)
                held['gold ' + p] += sum(found)
    if not missing or len(g) < 3:
        return len(g), out
    for i in missing:
        grams = [tuple(g[j:j + 3]) for j in range(max(0, i - 2), min(i, len(g) - 3) + 1)]
        for p, s in sets:
            if any(x in s for x in grams):
                out[p] += 1
                break
        else:
            out['nowhere'] += 1
    return len(g), out


def run(dconv, folder, dump):
    import subprocess
    env = dict(os.environ, DCONV_UNIT_FEATURES='1', DCONV_UNIT_MODEL='off')
    out = dump + '.out'
    os.makedirs(out, exist_ok=True)
    with open(dump, 'w') as err:
        subprocess.run([dconv, '--to', 'txt', '--columns', '0', '-q', '-j1', '-o', out, folder],
                       env=env, stdout=subprocess.DEVNULL, stderr=err)


def unit_texts(dump):
    """{page id: [unit texts]} from a DCONV_UNIT_FEATURES dump (the text is the last field)."""
    pages = defaultdict(list)
    with open(dump, encoding='utf-8', errors='replace') as f:
        for line in f:
            if line.startswith('dconv-unit\t'):
                parts = line.rstrip('\n').split('\t')
                pages[os.path.basename(parts[1]).split('.')[0]].append(parts[-1])
    return pages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dconv', default=os.path.join(ROOT, 'build', 'dconv'))
    ap.add_argument('--work', default=os.path.join(ROOT, 'out', 'missing'))
    ap.add_argument('--reuse', action='store_true')
    ap.add_argument('--pages', help='write one line per page with missing words here')
    ap.add_argument('--min-share', type=float, default=0.3)
    a = ap.parse_args()
    plist = [dict(p, source='wcxb') for p in wcxb.pages(wcxb.WCXB)]
    sys.path.insert(0, os.path.join(ROOT, 'tools', 'train'))
    if os.path.isdir(MAGIC):
        import train_page_model
        plist += train_page_model.magic_pages(MAGIC)
    os.makedirs(a.work, exist_ok=True)
    folder = wcxb.unpack(wcxb.WCXB, 'html', [p['id'] for p in plist if p['source'] == 'wcxb'], a.work)
    dump = os.path.join(a.work, 'dump-wcxb-html.tsv')
    if not (a.reuse and os.path.exists(dump)):
        run(a.dconv, folder, dump)
    units = unit_texts(dump)
    magic_in = os.path.join(a.work, 'in-magic-html')
    if any(p['source'] == 'magic' for p in plist):
        os.makedirs(magic_in, exist_ok=True)
        for p in plist:
            if p['source'] == 'magic':
                link = os.path.join(magic_in, p['id'] + '.html')
                if not os.path.lexists(link):
                    os.symlink(os.path.join(MAGIC, 'cases', p['id'], 'page.html'), link)
        mdump = os.path.join(a.work, 'dump-magic-html.tsv')
        if not (a.reuse and os.path.exists(mdump)):
            run(a.dconv, magic_in, mdump)
        units.update(unit_texts(mdump))

    totals = defaultdict(Counter)  # group -> place -> words
    gold_words = Counter()
    pages_missing = defaultdict(Counter)  # group -> place -> pages where it is the main place
    n_pages, n_missing = Counter(), Counter()
    lines = []
    held = defaultdict(Counter)
    for p in plist:
        if p['source'] == 'wcxb':
            gold = json.load(open(os.path.join(wcxb.WCXB, 'gold', p['id'] + '.json'), encoding='utf-8'))
            gold = gold['ground_truth'].get('main_content') or ''
            html = open(os.path.join(folder, p['id'] + '.html'), encoding='utf-8', errors='replace').read()
            group = 'wcxb ' + p['type']
        else:
            case = os.path.join(MAGIC, 'cases', p['id'])
            gold = open(os.path.join(case, 'gold.txt'), encoding='utf-8').read()
            html = open(os.path.join(case, 'page.html'), encoding='utf-8', errors='replace').read()
            group = 'magic'
        n, miss = missing_by_place(gold, units.get(p['id'], []), html, held[group.split()[0]])
        for g in {group, group.split()[0]}:
            totals[g].update(miss)
            gold_words[g] += n
            n_pages[g] += 1
        share = sum(miss.values()) / max(1, n)
        if n and share >= a.min_share:
            main_place = miss.most_common(1)[0][0]
            for g in {group, group.split()[0]}:
                n_missing[g] += 1
                pages_missing[g][main_place] += 1
        if miss:
            lines.append(f"{p['id']}\t{group}\t{n}\t{share:.3f}\t{len(units.get(p['id'], []))}\t" +
                         ' '.join(f'{k}={v}' for k, v in miss.most_common()))
    order = ['wcxb', 'magic'] + ['wcxb ' + t for t in wcxb.TYPES]
    print(f'### Gold words in no unit, by where page.html holds them (share of the group\'s gold words)\n')
    print('| group | pages | missing | ' + ' | '.join(PLACES) + ' |')
    print('| --- | ---: | ---: |' + ' ---: |' * len(PLACES))
    for g in order:
        if not n_pages[g]:
            continue
        t = gold_words[g] or 1
        print(f"| {g} | {n_pages[g]} | {sum(totals[g].values()) / t:.3f} | " +
              ' | '.join(f'{totals[g][p] / t:.3f}' for p in PLACES) + ' |')
    print(f'\n### Pages missing at least {a.min_share:.0%} of their gold words, by the place holding most of it\n')
    print('| group | pages | ' + ' | '.join(PLACES) + ' |')
    print('| --- | ---: |' + ' ---: |' * len(PLACES))
    for g in order:
        if not n_pages[g]:
            continue
        print(f"| {g} | {n_missing[g]} | " + ' | '.join(str(pages_missing[g][p]) for p in PLACES) + ' |')
    print('\n### What each place holds in all, and the share of it the gold holds\n')
    print('| place | wcxb words | in gold | magic words | in gold |')
    print('| --- | ---: | ---: | ---: | ---: |')
    for pl in PLACES:
        cells = []
        for g in ('wcxb', 'magic'):
            w = held[g]['words ' + pl]
            cells += [str(w), f"{held[g]['gold ' + pl] / w:.3f}" if w else '-']
        if any(held[g]['words ' + pl] for g in ('wcxb', 'magic')):
            print(f'| {pl} | ' + ' | '.join(cells) + ' |')
    if a.pages:
        with open(a.pages, 'w') as f:
            f.write('id\tgroup\tgold_words\tmissing_share\tunits\tplaces\n' + '\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
