// Prints typed terms (src/engine/shape/term.ts) in the ASCII spelling of the
// language, fully parenthesised, so that the text parses and elaborates back
// to a term with the same value. The round-trip property test uses it next to
// the engine's own Unicode printer (src/engine/print/term-print.ts), whose
// output is meant for people and is not always re-readable (see the report in
// test/unit/reliability/properties.test.ts).

import { displayName } from '../../../src/engine/print/render';
import type { Dim } from '../../../src/engine/shape/shape';
import type { Term } from '../../../src/engine/shape/term';

function number(v: number): string {
  if (Number.isNaN(v)) throw new Error('NaN has no spelling');
  if (v === Infinity || v === -Infinity) throw new Error('Infinity has no spelling');
  // Plain decimal notation (the language has no exponent notation for very small numbers).
  const s = Math.abs(v) >= 1e-6 || v === 0 ? String(Math.abs(v)) : Math.abs(v).toFixed(20).replace(/0+$/, '');
  if (/e/.test(s)) return v < 0 ? `(-${BigInt(Math.round(Math.abs(v)))})` : String(BigInt(Math.round(v)));
  return v < 0 || Object.is(v, -0) ? `(-${s})` : s;
}

function dim(d: Dim): string {
  return String(d);
}

/** ASCII source text for `t`; throws for terms that have no spelling (abstract functions). */
export function printAscii(t: Term): string {
  const a = t.args;
  const g = (k: number) => `(${printAscii(a[k]!)})`;
  switch (t.op) {
    case 'var':
    case 'ref':
      return displayName(t.name!);
    case 'const':
      return number(t.value!);
    case 'fill': {
      const dims = t.shape.dims.map(dim).join(', ');
      const ones = t.value === 0 ? `zeros(${dims})` : `ones(${dims})`;
      const base = t.value === 0 || t.value === 1 ? ones : `(${number(t.value!)} * ${ones})`;
      return t.shape.row ? `(${base})'` : base;
    }
    case 'eye':
      return `eye(${dim(t.shape.dims[0]!)})`;
    case 'unit':
      // e_k's size is inferred; adding zeros pins it.
      return `(e_${t.index![0]! + 1} + zeros(${dim(t.shape.dims[0]!)}))`;
    case 'elem':
      return `${g(0)}[${t.index!.map((i) => i + 1).join(',')}]`;
    case 'array': {
      const items = a.map((x) => printAscii(x));
      const body = `[${items.join(', ')}]`;
      return t.shape.row ? `(${body})'` : body;
    }
    case 'neg':
      return `-${g(0)}`;
    case 'add':
      return `${g(0)} + ${g(1)}`;
    case 'sub':
      return `${g(0)} - ${g(1)}`;
    case 'hadamard':
      return `${g(0)} .* ${g(1)}`;
    case 'hdiv':
      return `${g(0)} ./ ${g(1)}`;
    case 'hpow':
      return `${g(0)} .^ ${g(1)}`;
    case 'scale':
    case 'matmul':
      return `${g(0)} * ${g(1)}`;
    case 'frob':
      return `${g(0)} : ${g(1)}`;
    case 'pow':
      return `${g(0)}^${g(1)}`;
    case 'matpow':
      return `${g(0)}^${t.value}`;
    case 'inv':
      return `inv(${printAscii(a[0]!)})`;
    case 'transpose':
      return `${g(0)}'`;
    case 'call':
      return `${t.fn}(${a.map((x) => printAscii(x)).join(', ')})`;
    case 'deriv': {
      const wrt = t.wrt!.map(displayName);
      return `diff(${printAscii(a[0]!)}, ${wrt.join(', ')})`;
    }
    case 'opaque':
      throw new Error(`${t.name} is an abstract function`);
  }
}
