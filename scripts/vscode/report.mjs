// Prints in-host test results (the JSON written by test/host/runner) the way mocha's spec
// reporter would, followed by the one-line "N passed, N failed, N skipped" summary.

const marks = { passed: '✔', failed: '✗', pending: '-' };

// Stack frames inside the runner's bundled mocha or VS Code itself say nothing about the
// test; mocha's own reporters hide such frames too.
const noiseFrames = [/host-test-runner-[^/]+\/dist\/index\.js/, /extensionHostProcess\.js/, /\(node:internal\//, /^\s*at new Promise \(<anonymous>\)$/];

function cleanStack(stack) {
  return stack
    .split('\n')
    .filter((line) => !(line.trimStart().startsWith('at ') && noiseFrames.some((re) => re.test(line))))
    .join('\n');
}

export function printResults(results, { write = (line) => console.log(line) } = {}) {
  write(`\n  (VS Code ${results.vscodeVersion} extension host)\n`);
  let openSuites = [];
  let failureNumber = 0;
  const failed = [];
  for (const test of results.tests) {
    const suites = test.titlePath.slice(0, -1);
    let common = 0;
    while (common < suites.length && suites[common] === openSuites[common]) common++;
    for (let depth = common; depth < suites.length; depth++) write(`${'  '.repeat(depth + 1)}${suites[depth]}`);
    openSuites = suites;
    const indent = '  '.repeat(suites.length + 1);
    const title = test.titlePath.at(-1);
    if (test.state === 'failed') {
      failed.push(test);
      write(`${indent}${++failureNumber}) ${title}`);
    } else {
      const slow = test.state === 'passed' && test.durationMs > 75 ? ` (${test.durationMs}ms)` : '';
      write(`${indent}${marks[test.state]} ${title}${slow}`);
    }
  }
  write('');
  write(`  ${results.passes} passing (${(results.durationMs / 1000).toFixed(1)}s)`);
  if (results.pending) write(`  ${results.pending} pending`);
  if (results.failures) write(`  ${results.failures} failing`);
  failed.forEach((test, index) => {
    write('');
    write(`  ${index + 1}) ${test.titlePath.join(' ')}:`);
    write(`     ${cleanStack(test.error?.stack || test.error?.message || 'unknown error').replace(/\n/g, '\n     ')}`);
  });
  write('');
  write(summaryLine(results));
}

export function summaryLine({ passes, failures, pending }) {
  return `${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`;
}
