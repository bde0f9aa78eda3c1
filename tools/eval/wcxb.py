#!/usr/bin/env python3
"""Score dconv on the WCXB development pages (../shared/wcxb): all and per page type,
from the saved HTML and from the text dumps, per fold, with P/R/F1 and snippet rates.

usage: tools/eval/wcxb.py [--dconv build/dconv] [--inputs html,txt] [--work DIR]
                          [--options '...'] [--json FILE] [--per-doc FILE]

Every page of an input kind is converted in one batch (as a user would convert a folder),
`--to txt --columns 0`, then scored with the benchmark's own metric (its score.py's
functions). The table's "mean of folds" is the mean over the five site folds of
pages.tsv, which is what a cross-validated figure reports: a model trained on four folds
must score the fifth (see tools/train/README.md); this script only runs the binary it is
given.
"""
import argparse, gzip, json, os, shutil, subprocess, sys, time, urllib.parse
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WCXB = os.path.join(os.path.dirname(ROOT), 'shared', 'wcxb')
if not os.path.isdir(WCXB):
    WCXB = os.path.join(ROOT, '..', 'shared', 'wcxb')
TYPES = ['article', 'collection', 'documentation', 'forum', 'listing', 'product', 'service']


DEVSET = os.path.join(os.path.dirname(WCXB), 'devset')


def devset_sites(devset=DEVSET):
    """The host names of the dev set's pages (../shared/devset/cases.tsv's urls). The
    shipped models are trained without the pages of these sites (see in_devset), so that
    the dev set is scored by models that never saw it: 12 of its 60 pages are WCXB pages."""
    path = os.path.join(devset, 'cases.tsv')
    if not os.path.exists(path):
        return set()
    hosts = set()
    for line in open(path, encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        host = urllib.parse.urlparse(line.rstrip('\n').split('\t')[-1]).hostname or ''
        hosts.add(host.lower())
    return hosts


def in_devset(site, hosts):
    """Whether a training page's site (a registrable domain, as pages.tsv and the magic
    pages' meta.json give it) is the site of a dev-set page."""
    site = site.lower()
    return any(h == site or h.endswith('.' + site) for h in hosts)


def load_scorer(wcxb):
    sys.path.insert(0, wcxb)
    import score  # the benchmark's scorer: strip, words, prf, snippets
    return score


def pages(wcxb):
    rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(wcxb, 'pages.tsv'), encoding='utf-8')][1:]
    return [dict(id=r[0], type=r[1], fold=int(r[2]), site=r[3], url=r[4]) for r in rows]


def unpack(wcxb, kind, ids, work):
    """The pages of one kind, ungzipped into work/in-KIND (kept between runs)."""
    folder = os.path.join(work, 'in-' + kind)
    os.makedirs(folder, exist_ok=True)
    ext = '.html' if kind == 'html' else '.txt'
    for pid in ids:
        dst = os.path.join(folder, pid + ext)
        if not os.path.exists(dst):
            with gzip.open(os.path.join(wcxb, kind, pid + ext + '.gz'), 'rb') as f, open(dst, 'wb') as o:
                shutil.copyfileobj(f, o)
    return folder


def convert(dconv, folder, out, options):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    start = time.time()
    subprocess.run([dconv, '--to', 'txt', '--columns', '0', '-q', '-o', out] + options + [folder],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.time() - start


def score_pages(scorer, wcxb, plist, out):
    rows = []
    for p in plist:
        gt = json.load(open(os.path.join(wcxb, 'gold', p['id'] + '.json'), encoding='utf-8'))['ground_truth']
        path = os.path.join(out, p['id'] + '.txt')
        text = scorer.strip(open(path, encoding='utf-8', errors='replace').read()) if os.path.exists(path) else ''
        pr, rc, f1 = scorer.prf(scorer.words(text), scorer.words(gt.get('main_content') or ''))
        rows.append(dict(p, P=pr, R=rc, F1=f1, with_=scorer.snippets(text, gt.get('with') or []),
                         without=scorer.snippets(text, gt.get('without') or [])))
    return rows


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else float('nan')


def summary(rows):
    return dict(n=len(rows), P=mean(r['P'] for r in rows), R=mean(r['R'] for r in rows),
                F1=mean(r['F1'] for r in rows), with_=mean(r['with_'] for r in rows),
                without=mean(r['without'] for r in rows))


def table(rows, title):
    lines = [f'### {title}', '',
             '| group | n | P | R | F1 | with | without | F1 fold 0..4 | F1 mean of folds |',
             '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |']
    report = {}
    for group in ['all'] + TYPES:
        sel = [r for r in rows if group == 'all' or r['type'] == group]
        s = summary(sel)
        folds = [summary([r for r in sel if r['fold'] == k])['F1'] for k in range(5)]
        s['folds'] = folds
        s['fold_mean'] = mean(folds)
        report[group] = s
        lines.append(f"| {group} | {s['n']} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | "
                     f"{s['with_']:.3f} | {s['without']:.3f} | {' '.join(f'{x:.3f}' for x in folds)} | "
                     f"{s['fold_mean']:.3f} |")
    print('\n'.join(lines) + '\n')
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dconv', default=os.path.join(ROOT, 'build', 'dconv'))
    ap.add_argument('--wcxb', default=WCXB)
    ap.add_argument('--inputs', default='html,txt')
    ap.add_argument('--work', default='/tmp/dconv-wcxb')
    ap.add_argument('--options', default='', help='more dconv options, one string')
    ap.add_argument('--json')
    ap.add_argument('--per-doc')
    a = ap.parse_args()
    if not os.path.isdir(a.wcxb):
        sys.exit(f'{a.wcxb}: not found (the WCXB pages live in ../shared/wcxb)')
    scorer = load_scorer(a.wcxb)
    plist = pages(a.wcxb)
    report, per_doc = {}, []
    for kind in a.inputs.split(','):
        folder = unpack(a.wcxb, kind, [p['id'] for p in plist], a.work)
        out = os.path.join(a.work, 'out-' + kind)
        seconds = convert(a.dconv, folder, out, a.options.split())
        rows = score_pages(scorer, a.wcxb, plist, out)
        report[kind] = table(rows, f'from {kind} ({len(rows)} pages, converted in {seconds:.1f} s)')
        per_doc += [dict(r, input=kind) for r in rows]
    if a.json:
        json.dump(report, open(a.json, 'w'), indent=1)
    if a.per_doc:
        with open(a.per_doc, 'w') as f:
            for r in per_doc:
                f.write(json.dumps(r) + '\n')


if __name__ == '__main__':
    main()
