#!/usr/bin/python3
"""Train the page model (formats/html/page_model.hpp) on the WCXB pages, cross-validated
by site, and write it as formats/html/page_model_data.inc.

usage: /usr/bin/python3 tools/train/train_page_model.py [--dconv build/dconv] [--no-write]

1. Converts every WCXB page (../shared/wcxb/html) and every magic-html page
   (../shared/magic, 131 articles and forum threads, a fifth Chinese) three times with
   build/dconv, once in each extraction mode (DCONV_PAGE_MODE=block, wide, inclusive: see
   formats/html/page_model.hpp), with DCONV_PAGE_SIGNALS=1 so dconv prints each page's
   signals (formats/html/page_signals.hpp); scores every output with its benchmark's
   metric (tools/eval/wcxb.py, ../shared/magic/score.py).
2. Fits three gradient-boosted tree ensembles (python3-xgboost, one thread, fixed seeds):
   the page type (7 classes, the benchmark's labels; magic-html's are article and
   forum), and the F1 the wide and the inclusive mode add over block (regressions).
   judge_page takes the mode with the larger predicted gain over THRESHOLD, each only
   when p(article) + p(forum) is under its cap (MAX_PROSE_TYPES_*).
3. Cross-validation by site: for each of the five folds (pages.tsv's for WCXB, a hash of
   the domain for magic-html), the ensembles are trained on the other four and judge the
   fold's pages; the tables printed are the F1 each page gets from the mode so chosen, per
   type and per fold, the type accuracy, and the decision rule's grid. Only these
   held-out figures are reported anywhere.
4. The shipped model is then trained on all five folds with the same settings and written
   as a C++ table (compiled in: nothing loaded at run time), with
   tests/data/page_model_cases.tsv: one WCXB page of each type, its signals and the
   scores xgboost gives it, which tests/unit/page_model_test.cpp checks the C++
   evaluation against.

The same inputs and settings give the same file, byte for byte (xgboost 1.7.4 of Debian 12,
exact tree method, one thread). The dev set (../shared/devset) is never used here.
"""
import argparse, json, os, subprocess, sys, tempfile, zlib
from collections import defaultdict

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'eval'))
import wcxb  # noqa: E402

TYPES = wcxb.TYPES
VERSION = 1
TYPE_PARAMS = dict(objective='multi:softprob', num_class=len(TYPES), max_depth=4, eta=0.15, subsample=0.9,
                   colsample_bytree=0.9, min_child_weight=2, tree_method='exact', nthread=1, seed=13)
TYPE_ROUNDS = 80
MODE_PARAMS = dict(objective='reg:squarederror', base_score=0.0, max_depth=3, eta=0.08, subsample=0.9,
                   colsample_bytree=0.9, min_child_weight=4, reg_lambda=2.0, tree_method='exact', nthread=1,
                   seed=13)
MODE_ROUNDS = 80
THRESHOLD = 0.0
# A wider mode is taken only when the page is unlikely to be one article or one thread
# (their probabilities summed below these): taking a whole article page costs far more
# than missing a listing's cards, and pages unlike the training ones (saved without their
# address, other languages) were the model's mistakes in cross-validation. Chosen on the
# cross-validated grid the script prints (WCXB and magic-html together).
MAX_PROSE_TYPES_WIDE = 0.5
MAX_PROSE_TYPES_INCLUSIVE = 0.3
PROSE_TYPES = (TYPES.index('article'), TYPES.index('forum'))
MODES = ('block', 'wide', 'inclusive')


# page-model-cjk-guard: pages whose letters are this much Han, kana or Hangul keep the block
# mode (the wider modes are learnt from Latin-script pages: WCXB is 96 % English).
MAX_CJK_SHARE = 0.3


def choose(wide, inclusive, probs, cjk, cap_inclusive=MAX_PROSE_TYPES_INCLUSIVE, cap_wide=MAX_PROSE_TYPES_WIDE,
           threshold=THRESHOLD, cjk_guard=MAX_CJK_SHARE):
    """The mode page_model.cpp's judge_page takes for these predictions."""
    if cjk >= cjk_guard:
        return 'block'
    prose = sum(probs[k] for k in PROSE_TYPES)
    mode, gain = 'block', threshold
    if prose < cap_wide and wide > gain:
        mode, gain = 'wide', wide
    if prose < cap_inclusive and inclusive > gain:
        mode = 'inclusive'
    return mode


def signal_names():
    text = open(os.path.join(ROOT, 'formats', 'html', 'page_signals.hpp'), encoding='utf-8').read()
    block = text[text.index('kPageSignalNames = {') + 20:]
    block = block[:block.index('};')]
    return [s.strip().strip('"') for s in block.replace('\n', ' ').split(',') if s.strip()]


def run_mode(dconv, folder, out, mode, work):
    env = dict(os.environ, DCONV_PAGE_SIGNALS='1', DCONV_PAGE_MODE=mode)
    proc = subprocess.run([dconv, '--to', 'txt', '--columns', '0', '-q', '-j1', '-o', out, folder],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    signals = {}
    for line in proc.stderr.splitlines():
        if line.startswith('dconv-page-signals\t'):
            parts = line.split('\t')
            signals[os.path.basename(parts[1]).split('.')[0]] = [float(x) for x in parts[2:]]
    return signals


def magic_pages(magic):
    """The magic-html pages (../shared/magic): id, type (article or forum), a fold by site."""
    rows = []
    for cid in sorted(os.listdir(os.path.join(magic, 'cases'))):
        meta = json.load(open(os.path.join(magic, 'cases', cid, 'meta.json'), encoding='utf-8'))
        rows.append(dict(id=cid, type=meta['page_type'], fold=zlib.crc32(meta['domain'].encode()) % 5,
                         site=meta['domain'], source='magic'))
    return rows


def magic_f1(magic, folder, out, mode, dconv):
    signals = run_mode(dconv, folder, out, mode, None)
    report = os.path.join(out, 'score.json')
    subprocess.run(['python3', os.path.join(magic, 'score.py'), os.path.join(magic, 'cases'), out, '--json', report],
                   stdout=subprocess.DEVNULL, check=True)
    return signals, {r['id']: r['F1'] for r in json.load(open(report))['docs']}


def export_trees(booster, prefix):
    """The trees as (nodes, roots): nodes are (feature, value, yes, no), leaves feature -1."""
    model = json.loads(booster.save_raw('json'))
    trees = model['learner']['gradient_booster']['model']['trees']
    nodes, roots = [], []
    for t in trees:
        base = len(nodes)
        roots.append(base)
        left, right = t['left_children'], t['right_children']
        for i in range(len(left)):
            if left[i] == -1:
                nodes.append((-1, t['split_conditions'][i], 0, 0))
            else:
                nodes.append((t['split_indices'][i], t['split_conditions'][i], base + left[i], base + right[i]))
    return nodes, roots


def f32(x):
    return repr(float(np.float32(x))) + 'f'


def write_inc(path, names, type_booster, mode_booster, wide_booster):
    tn, tr = export_trees(type_booster, 'Type')
    mn, mr = export_trees(mode_booster, 'Mode')
    wn, wr = export_trees(wide_booster, 'Wide')
    out = ['// Generated by tools/train/train_page_model.py from the WCXB pages: do not edit.',
           '// Retrain with: python3 tools/train/train_page_model.py (see tools/train/README.md).',
           f'constexpr int kPageModelVersion = {VERSION};',
           'constexpr std::string_view kModelFeatures[] = {' + ', '.join(f'"{n}"' for n in names) + '};',
           'constexpr std::string_view kTypeNames[] = {' + ', '.join(f'"{t}"' for t in TYPES) + '};']
    for name, nodes, roots in (('Type', tn, tr), ('Inclusive', mn, mr), ('Wide', wn, wr)):
        out.append(f'constexpr TreeNode k{name}Nodes[] = {{')
        for f, v, y, n in nodes:
            out.append(f'    {{{f}, {f32(v)}, {y}, {n}}},')
        out.append('};')
        out.append(f'constexpr std::uint32_t k{name}Roots[] = {{' + ', '.join(map(str, roots)) + '};')
    out.append(f'constexpr float kModeThreshold = {f32(THRESHOLD)};')
    out.append(f'constexpr float kMaxCjkShare = {f32(MAX_CJK_SHARE)};')
    out.append(f'constexpr float kMaxProseTypesWide = {f32(MAX_PROSE_TYPES_WIDE)};')
    out.append(f'constexpr float kMaxProseTypesInclusive = {f32(MAX_PROSE_TYPES_INCLUSIVE)};')
    out.append('constexpr std::size_t kProseTypes[] = {' + ', '.join(map(str, PROSE_TYPES)) + '};')
    with open(path + '.tmp', 'w') as f:
        f.write('\n'.join(out) + '\n')
    os.replace(path + '.tmp', path)


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float('nan')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dconv', default=os.path.join(ROOT, 'build', 'dconv'))
    ap.add_argument('--work', default=os.path.join(tempfile.gettempdir(), 'dconv-train'))
    ap.add_argument('--no-write', action='store_true', help='report the cross-validation only')
    a = ap.parse_args()
    names = signal_names()
    scorer = wcxb.load_scorer(wcxb.WCXB)
    pages = wcxb.pages(wcxb.WCXB)
    folder = wcxb.unpack(wcxb.WCXB, 'html', [p['id'] for p in pages], a.work)
    for p in pages:
        p['source'] = 'wcxb'
    magic = os.path.join(os.path.dirname(wcxb.WCXB), 'magic')
    extra = magic_pages(magic) if os.path.isdir(magic) else []
    magic_in = os.path.join(a.work, 'in-magic')
    os.makedirs(magic_in, exist_ok=True)
    for p in extra:
        link = os.path.join(magic_in, p['id'] + '.html')
        if not os.path.lexists(link):
            os.symlink(os.path.join(magic, 'cases', p['id'], 'page.html'), link)
    f1, signals = {}, {}
    for mode in MODES:
        out = os.path.join(a.work, 'out-' + mode)
        signals.update(run_mode(a.dconv, folder, out, mode, a.work))
        f1[mode] = {r['id']: r['F1'] for r in wcxb.score_pages(scorer, wcxb.WCXB, pages, out)}
        if extra:
            s, f = magic_f1(magic, magic_in, os.path.join(a.work, 'out-magic-' + mode), mode, a.dconv)
            signals.update(s)
            f1[mode].update(f)
    pages = pages + extra
    ids = [p['id'] for p in pages if p['id'] in signals]
    global CJK
    CJK = names.index('cjk_share')
    assert all(len(signals[i]) == len(names) for i in ids), 'dconv and page_signals.hpp disagree on the signals'
    X = np.array([signals[i] for i in ids], dtype=np.float32)
    kind = {p['id']: p for p in pages}
    y_type = np.array([TYPES.index(kind[i]['type']) for i in ids])
    y_gain = np.array([f1['inclusive'][i] - f1['block'][i] for i in ids], dtype=np.float32)
    y_wide = np.array([f1['wide'][i] - f1['block'][i] for i in ids], dtype=np.float32)
    fold = np.array([kind[i]['fold'] for i in ids])

    def fit(rows):
        t = xgb.train(TYPE_PARAMS, xgb.DMatrix(X[rows], label=y_type[rows], feature_names=names), TYPE_ROUNDS)
        m = xgb.train(MODE_PARAMS, xgb.DMatrix(X[rows], label=y_gain[rows], feature_names=names), MODE_ROUNDS)
        w = xgb.train(MODE_PARAMS, xgb.DMatrix(X[rows], label=y_wide[rows], feature_names=names), MODE_ROUNDS)
        return t, m, w

    chosen, predicted_type, held_out_gain, held_out, true_type = {}, {}, {}, {}, {}
    for k in range(5):
        t, m, w = fit(fold != k)
        test = np.where(fold == k)[0]
        d = xgb.DMatrix(X[test], feature_names=names)
        probs, gains, wides = t.predict(d), m.predict(d), w.predict(d)
        for row, p, g, wg in zip(test, probs, gains, wides):
            pid = ids[row]
            predicted_type[pid] = TYPES[int(np.argmax(p))]
            held_out_gain[pid] = float(g)
            held_out[pid] = dict(source=kind[pid]['source'], type=kind[pid]['type'], fold=int(kind[pid]['fold']),
                                 probs=[float(x) for x in p], gain=float(g), wide_gain=float(wg),
                                 cjk=signals[pid][CJK],
                                 **{mode: f1[mode][pid] for mode in MODES})
            chosen[pid] = f1[choose(wg, g, p, signals[pid][CJK])][pid]
            # the oracle: the mode chosen as if the page's true type were known (probability 1)
            true_type[pid] = f1[choose(wg, g, np.eye(len(TYPES))[TYPES.index(kind[pid]['type'])],
                                       signals[pid][CJK])][pid]
    zh = {p['id'] for p in extra
          if json.load(open(os.path.join(magic, 'cases', p['id'], 'meta.json')))['lang'] == 'zh'}
    print('Cross-validated by site (train on four folds, judge the fifth): F1 from HTML, per fold and mean of folds\n')
    print('| group | n | block | wide | inclusive | model | model per fold 0..4 | model mean of folds | type accuracy | '
          'model, true types |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |')
    for group in ['all'] + TYPES + ['magic-html', 'magic-html zh']:
        if group == 'magic-html':
            sel = [i for i in ids if kind[i]['source'] == 'magic']
        elif group == 'magic-html zh':
            sel = [i for i in ids if kind[i]['source'] == 'magic' and i in zh]
        else:
            sel = [i for i in ids if kind[i]['source'] == 'wcxb' and (group == 'all' or kind[i]['type'] == group)]
        if not sel:
            continue
        folds = [mean(chosen[i] for i in sel if kind[i]['fold'] == k) for k in range(5)]
        acc = mean(predicted_type[i] == kind[i]['type'] for i in sel)
        print(f"| {group} | {len(sel)} | {mean(f1['block'][i] for i in sel):.3f} | "
              f"{mean(f1['wide'][i] for i in sel):.3f} | "
              f"{mean(f1['inclusive'][i] for i in sel):.3f} | {mean(chosen[i] for i in sel):.3f} | "
              f"{' '.join(f'{x:.3f}' for x in folds)} | {mean(folds):.3f} | {acc:.3f} | "
              f"{mean(true_type[i] for i in sel):.3f} |")
    json.dump(held_out, open(os.path.join(a.work, 'held_out.json'), 'w'))
    print('\nThe decision rule, cross-validated (F1 on WCXB all; magic-html):\n')
    for thr in (0.0, 0.02, 0.05):
        for cap_wide in (0.3, 0.5, 0.7, 1.01):
            for cap_inclusive in (0.3, 0.5):
                pick = {i: f1[choose(held_out[i]['wide_gain'], held_out[i]['gain'], held_out[i]['probs'],
                                     held_out[i]['cjk'], cap_inclusive, cap_wide, thr)][i] for i in ids}
                print(f"- gain > {thr:.2f}, p(article) + p(forum) < {cap_wide:.2f} (wide), "
                      f"< {cap_inclusive:.2f} (inclusive): "
                      f"{mean(pick[i] for i in ids if kind[i]['source'] == 'wcxb'):.4f}; "
                      f"{mean(pick[i] for i in ids if kind[i]['source'] == 'magic'):.4f}")
    confusion = defaultdict(int)
    for i in ids:
        if kind[i]['source'] != 'wcxb':
            continue
        confusion[(kind[i]['type'], predicted_type[i])] += 1
    print('\nType confusion (rows: the benchmark\'s label, columns: predicted)\n')
    print('| | ' + ' | '.join(t[:4] for t in TYPES) + ' |')
    print('| --- ' * (len(TYPES) + 1) + '|')
    for t in TYPES:
        print(f'| {t} | ' + ' | '.join(str(confusion[(t, u)]) for u in TYPES) + ' |')
    if a.no_write:
        return
    # the shipped model: every page but those of the dev set's sites (never seen by it)
    hosts = wcxb.devset_sites()
    shipped = np.array([not wcxb.in_devset(kind[i]['site'], hosts) for i in ids])
    print(f'\nshipped model: {int(shipped.sum())} pages ({int((~shipped).sum())} of the dev set\'s sites left out)')
    t, m, w = fit(shipped)
    write_inc(os.path.join(ROOT, 'formats', 'html', 'page_model_data.inc'), names, t, m, w)
    # fixed cases for the test: the first page of each type, its signals and xgboost's scores
    cases = [next(r for r, i in enumerate(ids) if kind[i]['type'] == ty and kind[i]['source'] == 'wcxb')
             for ty in TYPES]
    d = xgb.DMatrix(X[cases], feature_names=names)
    margins = t.predict(d, output_margin=True)
    gains, wides = m.predict(d), w.predict(d)
    with open(os.path.join(ROOT, 'tests', 'data', 'page_model_cases.tsv'), 'w') as f:
        f.write('# page signals (kPageSignalNames order), then the wide and inclusive gains and the 7 type margins '
                'xgboost gives\n')
        for r, wg, g, mg in zip(cases, wides, gains, margins):
            f.write('\t'.join([' '.join(repr(float(v)) for v in X[r]), repr(float(wg)), repr(float(g))] +
                              [repr(float(v)) for v in mg]) + '\n')
    print('\nwrote formats/html/page_model_data.inc and tests/data/page_model_cases.tsv')


if __name__ == '__main__':
    main()
