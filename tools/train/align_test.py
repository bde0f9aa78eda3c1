#!/usr/bin/python3
"""Tests of tools/train/align.py, the unit labeller (run: python3 tools/train/align_test.py)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import align  # noqa: E402

GOLD = """The council approved the new budget on Tuesday, after a long debate.

Spending on schools rises by four percent.
Opening hours"""


class AlignTest(unittest.TestCase):
    def test_sentence_of_the_gold_is_found_whole(self):
        self.assertEqual(align.label_units(['Spending on schools rises by four percent.'], GOLD), [1.0])

    def test_case_spacing_and_punctuation_do_not_matter(self):
        self.assertEqual(align.label_units(['THE COUNCIL approved   the new budget — on Tuesday'], GOLD), [1.0])

    def test_common_words_alone_are_not_content(self):
        # every word is in the gold, but never three in its order
        self.assertEqual(align.label_units(['the new on the budget after schools'], GOLD), [0.0])

    def test_partly_found_unit_gets_its_share(self):
        share = align.label_units(['The council approved the new budget. Share this on Facebook now'], GOLD)[0]
        self.assertAlmostEqual(share, 6 / 11)

    def test_short_units_need_the_sequence(self):
        self.assertEqual(align.label_units(['Opening hours', 'Home', 'hours Opening'], GOLD), [1.0, 0.0, 0.0])

    def test_unit_without_words(self):
        self.assertEqual(align.label_units(['', '—', '![](x.png)'], GOLD)[:2], [None, None])

    def test_cjk_characters_are_words(self):
        gold = '四川甘孜州泸定县发生地震'
        self.assertEqual(align.label_units(['泸定县发生', '上海天气'], gold), [1.0, 0.0])

    def test_linear_on_a_long_page(self):
        import time
        gold = ' '.join(f'w{i}' for i in range(200000))
        units = [' '.join(f'w{i}' for i in range(k, k + 50)) for k in range(0, 200000, 50)]
        start = time.process_time()
        labels = align.label_units(units, gold)
        self.assertTrue(all(x == 1.0 for x in labels))
        self.assertLess(time.process_time() - start, 10)


if __name__ == '__main__':
    unittest.main()
