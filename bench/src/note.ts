// A generated markdown note for the editor benchmark: `blocks` sections of ten
// lines each (heading, prose with an inline math span, and a ```tensor block
// with declarations, a definition and a derivative request). Names are reused
// from block to block, as notes do; every fifth block states a claim.

const TEMPLATES: readonly (readonly [string, string, string])[] = [
  ['x: R^n; A: R^{n×n}; b: R^n', 'f = x\' A x + b\' x', 'd/dx f'],
  ['x: R^n; W1: R^{m×n}; W2: R^{m×m}; y: R^m', 'L = sum((sigmoid(W2 sigmoid(W1 x)) - y).^2)', 'd/dW1 L'],
  ['X: R^{n×n}; A: R^{n×n}; B: R^{n×n}', 'g = tr(A inv(X) B) + logdet(X)', 'd/dX g'],
  ['C: R^{m×n}; x: R^n; c: R^m', 'r = C x - c', 'd/dx norm2(r)^2'],
  ['x: R^n; A: R^{n×n}', 'q = x\' A x', 'd/dx q = x\' (A + A\')'],
];

export interface Note {
  readonly text: string;
  readonly lines: number;
  readonly blocks: number;
  /** Offsets (into text) of each block's derivative request and of its definition's target name. */
  readonly requests: readonly number[];
  readonly names: readonly number[];
  /** Offset of each block's definition line (where an edit goes). */
  readonly definitions: readonly number[];
}

export function generateNote(blocks = 1000): Note {
  const out: string[] = [];
  const requests: number[] = [];
  const names: number[] = [];
  const definitions: number[] = [];
  let offset = 0;
  const push = (line: string) => {
    out.push(line);
    offset += line.length + 1;
  };
  for (let k = 0; k < blocks; k++) {
    const [decl, def, req] = TEMPLATES[k % TEMPLATES.length]!;
    push(`## Example ${k + 1}`);
    push('');
    push(`The derivative below follows from the product and chain rules; $f$ is example ${k + 1}.`);
    push('');
    push('```tensor');
    push(decl);
    definitions.push(offset);
    names.push(offset);
    push(def);
    requests.push(offset + 2);
    push(req);
    push('```');
    push('');
  }
  return { text: out.join('\n'), lines: out.length, blocks, requests, names, definitions };
}
