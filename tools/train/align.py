"""Label a page's units against its gold text: the share of each unit's words that the
gold text holds in the same order (tools/train/train_unit_model.py's training labels).

A unit of three words or more is matched by its three-word sequences (shingles): a word
counts as found when a shingle covering it occurs in the gold text, so a unit that
repeats a gold sentence is found whole, one that shares only common words ("of the") is
not. A unit of one or two words is found when the gold text holds that sequence. The
gold's shingles are counted once per page, so the whole page is labelled in time linear
in its words.

Words: runs of letters and digits, case-folded (NFKC), and every CJK character a word of
its own, as the benchmarks' scorers count them.
"""
import re
import unicodedata

CJK = '\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af'
WORD = re.compile(rf'[{CJK}]|[^\W_{CJK}]+')


def words(text):
    return WORD.findall(unicodedata.normalize('NFKC', text).casefold())


class Gold:
    """The gold text's one-, two- and three-word sequences."""

    def __init__(self, text):
        w = words(text)
        self.grams = set()
        for i in range(len(w)):
            for n in (1, 2, 3):
                if i + n <= len(w):
                    self.grams.add(tuple(w[i:i + n]))

    def found_share(self, unit_text):
        """The share of the unit's words the gold text holds in order; None without words."""
        w = words(unit_text)
        if not w:
            return None
        if len(w) < 3:
            return 1.0 if tuple(w) in self.grams else 0.0
        covered = [False] * len(w)
        for i in range(len(w) - 2):
            if tuple(w[i:i + 3]) in self.grams:
                covered[i] = covered[i + 1] = covered[i + 2] = True
        return sum(covered) / len(w)


def label_units(unit_texts, gold_text):
    """The found share of each unit (None for a unit without words)."""
    gold = Gold(gold_text)
    return [gold.found_share(t) for t in unit_texts]
