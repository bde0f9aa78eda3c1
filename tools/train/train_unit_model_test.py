#!/usr/bin/python3
"""Tests of train_unit_model.py's --params and --stack-remove's choice (run: /usr/bin/python3 tools/train/train_unit_model_test.py;
needs python3-xgboost, as the script does)."""
import contextlib
import copy
import io
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_unit_model as t  # noqa: E402


class ParamsTest(unittest.TestCase):
    def setUp(self):
        self.params, self.rounds = copy.deepcopy(t.PARAMS), t.ROUNDS

    def tearDown(self):
        t.PARAMS.clear()
        t.PARAMS.update(self.params)
        t.ROUNDS = self.rounds

    def test_no_spec_keeps_the_shipped_settings(self):
        t.set_params('')
        self.assertEqual((t.PARAMS, t.ROUNDS), (self.params, self.rounds))

    def test_spec_sets_trees_and_xgboost_names(self):
        t.set_params('trees=300,depth=8,eta=0.05,min_child_weight=5,subsample=0.7,colsample=0.6,lambda=5')
        self.assertEqual(t.ROUNDS, 300)
        self.assertEqual(t.PARAMS['max_depth'], 8)
        self.assertIsInstance(t.PARAMS['max_depth'], int)
        self.assertEqual((t.PARAMS['eta'], t.PARAMS['min_child_weight'], t.PARAMS['subsample'],
                          t.PARAMS['colsample_bytree'], t.PARAMS['reg_lambda']), (0.05, 5.0, 0.7, 0.6, 5.0))
        self.assertEqual(t.PARAMS['seed'], self.params['seed'])  # what the spec does not name stays

    def test_the_text_page_gate_is_left_alone(self):
        gate = copy.deepcopy(t.GATE_PARAMS)
        t.set_params('depth=3')
        self.assertEqual(t.GATE_PARAMS, gate)

    def test_unknown_or_empty_setting_is_an_error(self):
        for spec in ('depht=8', 'trees=', 'max_depth=8'):
            with self.assertRaises(SystemExit):
                t.set_params(spec)


class RemoveOnlyTest(unittest.TestCase):
    """remove_only() chooses each fold's removal on the other folds only."""

    def choices(self, helps):
        # two pages a fold, two units a page: content (second stage 0.9) and a unit the
        # decision keeps that the second stage scores 0.12; removing it raises the F1 of
        # the pages of the folds in `helps` and changes nothing elsewhere
        every = [dict(id=f'p{i}', fold=i // 2, source='wcxb', type='article') for i in range(10)]
        prob2 = np.tile(np.array([0.9, 0.12], dtype=np.float32), 10)
        base = np.ones(20, dtype=bool)
        rules_kept = np.ones(20, dtype=bool)

        def scores_of(keepers, pages):
            out = {}
            for p in pages:
                i = int(p['id'][1:])
                f1 = 1.0 if p['fold'] in helps and not keepers[2 * i + 1] else 0.5
                out[p['id']] = dict(P=f1, R=f1, F1=f1, with_=1.0, without=0.0)
            return out
        with contextlib.redirect_stdout(io.StringIO()):
            return t.remove_only({}, 'txt', {'d': base}, {k: 'd' for k in range(5)}, 'd', rules_kept, prob2, every,
                                 every, ['all'], scores_of)

    def test_a_fold_is_not_judged_by_a_choice_made_on_it(self):
        chosen = self.choices(helps={0})
        self.assertEqual(chosen[0], ('none', 0.0))  # the other folds gain nothing: remove nothing
        for k in range(1, 5):  # fold 0 is among their other folds: the lowest threshold that removes
            self.assertEqual(chosen[k], ('rules', 0.15))
        self.assertEqual(chosen['shipped'], ('rules', 0.15))

    def test_nothing_removed_when_nothing_gains(self):
        chosen = self.choices(helps=set())
        self.assertEqual(set(chosen.values()), {('none', 0.0)})


if __name__ == '__main__':
    unittest.main()
