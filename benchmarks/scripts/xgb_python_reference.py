#!/usr/bin/python3
"""Reference timings of Python XGBoost on a SageMaker-style CSV data set.

DATA_DIR/train/ and DATA_DIR/validation/ must each hold exactly one CSV file
(label in column 0, no header). Two loading paths can be measured:

  pandas  pandas.read_csv(header=None) -> xgb.DMatrix(X, label=y, missing=NaN)
  native  xgb.DMatrix(path + '?format=csv&label_column=0')  (dmlc CSV parser)

Phases timed (wall seconds, time.perf_counter; the process CPU seconds,
user+sys of all threads, are recorded beside them as cpu_s so that a run
slowed by other load on the machine can be recognised: cpu/wall ~ threads
when the machine is quiet and the phase is parallel), and so is the run-queue
wait, summed over the process's threads from /proc/self/task/*/schedstat
(time threads were runnable but not running: near 0 on a quiet machine):
  read      pandas.read_csv of train + validation     (pandas mode only)
  dmatrix   DMatrix construction for train + validation
  train     xgb.train(rounds) with evals on train and validation
  save      Booster.save_model to a temporary file
  end_to_end  wall clock from the start of read/load to the end of save
  predict   Booster.predict on validation (for the sklearn AUC; not in e2e)

Hyperparameters are fixed to match the Java engine comparison (see PARAMS).
"""
import argparse
import glob
import json
import os
import platform
import sys
import tempfile
import time

MODES = ('pandas', 'native')


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data-dir', required=True,
                    help='folder with train/ and validation/ subfolders')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--rounds', type=int, default=100)
    ap.add_argument('--mode', choices=MODES + ('both',), default='both')
    ap.add_argument('--json-out', help='optional path for a JSON report')
    ap.add_argument('--model-name', default='xgboost-model.json',
                    help='file name used by save_model inside a temp dir; the '
                         'extension picks the format (.json, .ubj, other = '
                         'legacy binary) [default: %(default)s]')
    return ap.parse_args(argv)


ARGS = parse_args()
# Must happen before xgboost (and its OpenMP runtime) is imported.
os.environ['OMP_NUM_THREADS'] = str(ARGS.threads)
for _v in ('OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_v, str(ARGS.threads))

import numpy as np                      # noqa: E402
import pandas as pd                     # noqa: E402
import sklearn                          # noqa: E402
import xgboost as xgb                   # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

PARAMS = {
    'objective': 'binary:logistic',
    'max_depth': 5,
    'eta': 0.2,
    'gamma': 4,
    'min_child_weight': 6,
    'subsample': 0.8,
    'tree_method': 'hist',
    'eval_metric': 'auc',
    'nthread': ARGS.threads,
    'seed': 0,
    'base_score': 0.5,
}


def find_csv(data_dir, channel):
    files = sorted(f for f in glob.glob(os.path.join(data_dir, channel, '*'))
                   if os.path.isfile(f))
    if len(files) != 1:
        sys.exit(f'expected exactly one file in {data_dir}/{channel}, found {files}')
    return files[0]


def runqueue_wait():
    """Seconds this process's threads have waited runnable (Linux schedstat)."""
    total = 0
    try:
        for tid in os.listdir('/proc/self/task'):
            try:
                with open(f'/proc/self/task/{tid}/schedstat') as fh:
                    total += int(fh.read().split()[1])
            except (OSError, IndexError, ValueError):
                pass
    except OSError:
        return None
    return total / 1e9


class Phases:
    """Records wall, process-CPU and run-queue-wait seconds per phase."""

    def __init__(self):
        self.wall, self.cpu, self.wait = {}, {}, {}

    def start(self):
        return time.perf_counter(), time.process_time(), runqueue_wait()

    def stop(self, name, t):
        self.wall[name] = time.perf_counter() - t[0]
        self.cpu[name] = time.process_time() - t[1]
        w = runqueue_wait()
        self.wait[name] = None if w is None or t[2] is None else w - t[2]


def load_pandas(train_csv, valid_csv, phases):
    t = phases.start()
    df_tr = pd.read_csv(train_csv, header=None)
    df_va = pd.read_csv(valid_csv, header=None)
    phases.stop('read', t)

    t = phases.start()
    dtrain = xgb.DMatrix(df_tr.iloc[:, 1:], label=df_tr.iloc[:, 0], missing=np.nan,
                         nthread=ARGS.threads)
    dvalid = xgb.DMatrix(df_va.iloc[:, 1:], label=df_va.iloc[:, 0], missing=np.nan,
                         nthread=ARGS.threads)
    phases.stop('dmatrix', t)
    return dtrain, dvalid


def load_native(train_csv, valid_csv, phases):
    phases.wall['read'] = phases.cpu['read'] = phases.wait['read'] = None
    t = phases.start()
    dtrain = xgb.DMatrix(train_csv + '?format=csv&label_column=0', nthread=ARGS.threads)
    dvalid = xgb.DMatrix(valid_csv + '?format=csv&label_column=0', nthread=ARGS.threads)
    phases.stop('dmatrix', t)
    return dtrain, dvalid


def run_mode(mode, train_csv, valid_csv):
    phases = Phases()
    t0 = phases.start()
    loader = load_pandas if mode == 'pandas' else load_native
    dtrain, dvalid = loader(train_csv, valid_csv, phases)

    evals_result = {}
    t = phases.start()
    booster = xgb.train(PARAMS, dtrain, num_boost_round=ARGS.rounds,
                        evals=[(dtrain, 'train'), (dvalid, 'validation')],
                        evals_result=evals_result, verbose_eval=False)
    phases.stop('train', t)

    with tempfile.TemporaryDirectory(prefix='xgbref-') as tmp:
        path = os.path.join(tmp, ARGS.model_name)
        t = phases.start()
        booster.save_model(path)
        phases.stop('save', t)
        model_bytes = os.path.getsize(path)
    phases.stop('end_to_end', t0)

    t = phases.start()
    pred = booster.predict(dvalid)
    phases.stop('predict', t)
    y_valid = dvalid.get_label()

    return {
        'mode': mode,
        'phases_s': phases.wall,
        'phases_cpu_s': phases.cpu,
        'phases_runqueue_wait_s': phases.wait,
        'train_shape': [dtrain.num_row(), dtrain.num_col()],
        'valid_shape': [dvalid.num_row(), dvalid.num_col()],
        'train_nonmissing': int(dtrain.num_nonmissing()),
        'valid_nonmissing': int(dvalid.num_nonmissing()),
        'auc_train_evals': float(evals_result['train']['auc'][-1]),
        'auc_valid_evals': float(evals_result['validation']['auc'][-1]),
        'auc_valid_sklearn': float(roc_auc_score(y_valid, pred)),
        'num_trees': len(booster.get_dump()),
        'model_bytes': model_bytes,
    }


def fmt(v):
    return '-' if v is None else f'{v:.3f}'


def print_table(results):
    names = [r['mode'] for r in results]
    w = 12
    print()
    print(f'{"phase: wall s (cpu s)":<22}' + ''.join(f'{n:>{2 * w}}' for n in names))
    for ph in ('read', 'dmatrix', 'train', 'save', 'end_to_end', 'predict'):
        cells = ''
        for r in results:
            wall, cpu = r['phases_s'].get(ph), r['phases_cpu_s'].get(ph)
            cells += f'{fmt(wall) + (" (" + fmt(cpu) + ")" if cpu is not None else ""):>{2 * w}}'
        print(f'{ph:<22}' + cells)
    print(f'{"train runqueue wait s":<22}'
          + ''.join(f'{fmt(r["phases_runqueue_wait_s"].get("train")):>{2 * w}}' for r in results))
    rows = [
        ('train rows x cols', lambda r: '%dx%d' % tuple(r['train_shape'])),
        ('valid rows x cols', lambda r: '%dx%d' % tuple(r['valid_shape'])),
        ('train nonmissing', lambda r: str(r['train_nonmissing'])),
        ('valid nonmissing', lambda r: str(r['valid_nonmissing'])),
        ('AUC train (evals)', lambda r: f'{r["auc_train_evals"]:.6f}'),
        ('AUC valid (evals)', lambda r: f'{r["auc_valid_evals"]:.6f}'),
        ('AUC valid (sklearn)', lambda r: f'{r["auc_valid_sklearn"]:.6f}'),
        ('trees', lambda r: str(r['num_trees'])),
        ('model bytes', lambda r: str(r['model_bytes'])),
    ]
    for label, f in rows:
        print(f'{label:<22}' + ''.join(f'{f(r):>{2 * w}}' for r in results))
    print()


def main():
    train_csv = find_csv(ARGS.data_dir, 'train')
    valid_csv = find_csv(ARGS.data_dir, 'validation')
    modes = MODES if ARGS.mode == 'both' else (ARGS.mode,)
    env = {
        'python': platform.python_version(),
        'xgboost': xgb.__version__,
        'numpy': np.__version__,
        'pandas': pd.__version__,
        'sklearn': sklearn.__version__,
        'machine': platform.machine(),
        'cpu_count': os.cpu_count(),
        'loadavg_start': list(os.getloadavg()),
        'OMP_NUM_THREADS': os.environ['OMP_NUM_THREADS'],
    }
    print(f'xgboost {env["xgboost"]}  pandas {env["pandas"]}  numpy {env["numpy"]}  '
          f'threads={ARGS.threads} rounds={ARGS.rounds} cpus={env["cpu_count"]} '
          f'loadavg={env["loadavg_start"]}')
    print(f'train={train_csv} ({os.path.getsize(train_csv)} B)  '
          f'validation={valid_csv} ({os.path.getsize(valid_csv)} B)')
    results = []
    for m in modes:
        print(f'running mode {m} ...', flush=True)
        results.append(run_mode(m, train_csv, valid_csv))
    env['loadavg_end'] = list(os.getloadavg())
    print_table(results)
    if ARGS.json_out:
        report = {
            'data_dir': os.path.abspath(ARGS.data_dir),
            'train_csv': train_csv, 'valid_csv': valid_csv,
            'train_bytes': os.path.getsize(train_csv),
            'valid_bytes': os.path.getsize(valid_csv),
            'threads': ARGS.threads, 'rounds': ARGS.rounds,
            'params': PARAMS, 'env': env, 'results': results,
            'timestamp': time.strftime('%Y-%m-%dT%H:%M:%S%z'),
        }
        d = os.path.dirname(os.path.abspath(ARGS.json_out))
        os.makedirs(d, exist_ok=True)
        with open(ARGS.json_out, 'w') as fh:
            json.dump(report, fh, indent=2)
        print(f'wrote {ARGS.json_out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
