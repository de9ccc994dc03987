"""SymPy side of the engine-vs-SymPy benchmark (bench/run.mjs).

Reads {"cases": [{"id", "code"}], "warmup", "repeats", "budget_s"} as JSON on
stdin; for each case compiles `code` as the body of a function, and times,
in this one process with time.perf_counter, the whole job: building the
matrix symbols and expression, differentiating, and printing the result
(str). SymPy's cache is cleared before every run (untimed), so repeats redo
the work instead of hitting the cache. Prints one JSON line per case:

  {"id", "status": "ok" | "error" | "unevaluated" | "zero", "ms": median,
   "samples": [...], "result": str (truncated), "error": str}

"unevaluated": the answer still contains Derivative(…) (SymPy declined);
"zero": SymPy answered 0 for a derivative that is not zero (a wrong answer).
"""
import json
import statistics
import sys
import time

import sympy
from sympy import *  # noqa: F401,F403 (the case code uses SymPy's names)
from sympy.core.cache import clear_cache

n, m = symbols('n m', integer=True, positive=True)
t = symbols('t')
sig = Lambda(t, 1 / (1 + exp(-t)))


def V(name, size=n):
    return MatrixSymbol(name, size, 1)


def M(name, rows=n, cols=n):
    return MatrixSymbol(name, rows, cols)


def ones_row(size):
    return OneMatrix(1, size)


def compile_case(code):
    body = '\n'.join('    ' + line for line in code.split('\n'))
    namespace = dict(globals())
    exec('def case():\n' + body, namespace)
    return namespace['case']


def classify(result, text):
    if 'Derivative(' in text:
        return 'unevaluated'
    if result == 0 or text in ('0', '0.0') or isinstance(result, ZeroMatrix):
        return 'zero'
    return 'ok'


def run(case, warmup, repeats, budget_s):
    fn = compile_case(case['code'])
    record = {'id': case['id']}
    samples = []
    try:
        for _ in range(warmup):
            clear_cache()
            str(fn())
        spent = 0.0
        while len(samples) < repeats:
            clear_cache()
            t0 = time.perf_counter()
            result = fn()
            text = str(result)
            dt = time.perf_counter() - t0
            samples.append(dt * 1000)
            spent += dt
            if spent > budget_s and len(samples) >= 1:
                break
        record['status'] = classify(result, text)
        record['result'] = text[:400]
    except Exception as e:  # SymPy cannot do it: record why and how long it took to say so
        record['status'] = 'error'
        record['error'] = f'{type(e).__name__}: {str(e)[:200]}'
    record['ms'] = statistics.median(samples) if samples else None
    record['samples'] = [round(s, 4) for s in samples]
    return record


def main():
    job = json.load(sys.stdin)
    print(json.dumps({'type': 'meta', 'sympy': sympy.__version__, 'python': sys.version.split()[0]}), flush=True)
    for case in job['cases']:
        record = run(case, job.get('warmup', 1), job.get('repeats', 5), job.get('budget_s', 10))
        record['type'] = 'case'
        print(json.dumps(record), flush=True)


if __name__ == '__main__':
    main()
