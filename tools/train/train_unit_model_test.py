#!/usr/bin/python3
"""Tests of train_unit_model.py's --params (run: /usr/bin/python3 tools/train/train_unit_model_test.py;
needs python3-xgboost, as the script does)."""
import copy
import os
import sys
import unittest

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


if __name__ == '__main__':
    unittest.main()
