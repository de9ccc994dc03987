// Bytes allocated per run, from V8's sampling heap profiler (through
// node:inspector, whose in-thread session answers synchronously).
//
// Allocation is the engine's work measured without the clock: it does not
// depend on how warm the compiler is, on other processes, or on when the
// garbage collector happens to run, so its growth with input size shows
// whether the algorithm is linear even when wall-clock ratios on a shared
// 2-core machine swing by 2× between runs. The profiler samples one
// allocation per `intervalBytes` on average and is told to keep samples of
// objects already collected, so the sum estimates everything allocated
// (statistically; within ~1% for the thousands of samples a run of the
// larger cases yields).

import { Session } from 'node:inspector';

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

export function allocatedBytesPerRun(fn: () => void, runs: number, intervalBytes = 1024): number {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): T => {
    let out: { error: Error | null; result?: T } | undefined;
    session.post(method, params, (error, result) => (out = { error, result: result as T }));
    if (!out) throw new Error(`${method}: the inspector did not answer synchronously`);
    if (out.error) throw out.error;
    return out.result as T;
  };
  try {
    post('HeapProfiler.enable');
    post('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    for (let i = 0; i < runs; i++) fn();
    const { profile } = post<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
    let total = 0;
    const stack = [profile.head];
    while (stack.length > 0) {
      const node = stack.pop()!;
      total += node.selfSize;
      stack.push(...node.children);
    }
    return total / runs;
  } finally {
    session.disconnect();
  }
}
