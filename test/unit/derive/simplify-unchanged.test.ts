// Simplification keeps what it does not change: a node whose children come
// back unchanged and that no rule rewrites is returned as the very same object
// (the fixpoint test and every parent's test are identity), while products that
// a rule does rewrite — equal factors, a nested product, a delta, a constant —
// still are, even when none of their children changed.

import { strict as assert } from 'node:assert';
import { constant, delta, fn, mul, pow, Space, tensor, type Node } from '../../../src/engine/ir/ir';
import { simplify } from '../../../src/engine/ir/simplify';

function fixture() {
  const space = new Space();
  const [i, j, a, b] = ['n', 'n', 'n', 'n'].map((d) => space.fresh(d)) as [string, string, string, string];
  return { space, i, j, a, b };
}

/** The node's shape as text, to compare results without caring about object identity. */
function show(n: Node): string {
  switch (n.k) {
    case 'tensor':
      return `${n.name}[${n.idx.join(',')}]`;
    case 'const':
      return String(n.value);
    case 'delta':
      return `δ[${n.a},${n.b}]`;
    case 'onehot':
      return `e${n.at}[${n.i}]`;
    case 'fn':
      return `${n.fn}(${show(n.arg)})`;
    case 'pow':
      return `(${show(n.base)})^${n.exp}`;
    case 'matfn':
      return `${n.fn}(${show(n.arg)})`;
    case 'mul':
      return `mul{${n.free.join(',')}}(${n.factors.map(show).join(' ')})`;
    case 'add':
      return `add(${n.terms.map(show).join(' + ')})`;
  }
}

describe('simplify: what it leaves alone comes back as the same object', () => {
  it('a product of distinct factors over a summed index (A x)', () => {
    const { space, i, a } = fixture();
    const n = mul([tensor('A', [i, a]), tensor('x', [a])], [i]);
    assert.equal(simplify(n, space), n);
  });

  it('a product with a leading constant (2 A x)', () => {
    const { space, i, a } = fixture();
    const n = mul([constant(2), tensor('A', [i, a]), tensor('x', [a])], [i]);
    assert.equal(n.k, 'mul');
    assert.equal(simplify(n, space), n);
  });

  it('an elementwise function and a power of such a product (exp(A x)², sin of it)', () => {
    const { space, i, a } = fixture();
    const inner = mul([tensor('A', [i, a]), tensor('x', [a])], [i]);
    const n = fn('sin', pow(fn('exp', inner), 2));
    assert.equal(simplify(n, space), n);
  });
});

describe('simplify: rules still rewrite products whose children did not change', () => {
  it('equal factors merge into a power (x_i x_i = x_i²)', () => {
    const { space, i } = fixture();
    const n = mul([tensor('x', [i]), tensor('x', [i])], [i]);
    assert.equal(show(simplify(n, space)), show(pow(tensor('x', [i]), 2)));
  });

  it('a factor and its power merge (x_i · x_i³ = x_i⁴)', () => {
    const { space, i } = fixture();
    const n = mul([tensor('x', [i]), pow(tensor('x', [i]), 3)], [i]);
    assert.equal(show(simplify(n, space)), show(pow(tensor('x', [i]), 4)));
  });

  it('a nested product is flattened into its parent', () => {
    const { space, i, j, a } = fixture();
    const inner = mul([tensor('A', [i, a]), tensor('x', [a])], [i]);
    const n = mul([inner, tensor('y', [j])], [i, j]);
    const out = simplify(n, space);
    assert.equal(out.k, 'mul');
    assert.equal((out as { factors: readonly Node[] }).factors.length, 3, show(out));
  });

  it('a delta over a summed index is contracted (Σ_a A_ia δ_aj = A_ij)', () => {
    const { space, i, j, a } = fixture();
    const n = mul([tensor('A', [i, a]), delta(a, j)], [i, j]);
    assert.equal(show(simplify(n, space)), show(tensor('A', [i, j])));
  });

  it('factors equal up to the name of a summed index merge (exp(Σ_a x_a y_a) exp(Σ_b x_b y_b))', () => {
    const { space, a, b } = fixture();
    const p = mul([tensor('x', [a]), tensor('y', [a])], []);
    const q = mul([tensor('x', [b]), tensor('y', [b])], []);
    const out = simplify(mul([fn('exp', p), fn('exp', q)], []), space);
    assert.equal(show(out), show(pow(fn('exp', p), 2)));
  });
});
