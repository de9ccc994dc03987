// fast-check arbitraries of well-typed expressions of the tensor language, for
// the property tests in test/unit/reliability/properties.test.ts.
//
// Types are matrix shapes r×c with r, c ∈ {1, n, m} (1×1 a scalar, n×1 a
// column, 1×n a row). Every type has variables (or transposed variables) as
// leaves, and every operator is only applied where the shapes fit, so every
// generated expression elaborates without a diagnostic. The operators are the
// smooth ones (sums, scaling, products, transposes, Hadamard products and
// powers, sin/cos/tanh/sigmoid/softplus, exp of a bounded argument, division by
// 2 + sin(…), log(1 + (…)²), sum, trace, Frobenius products, norms, and
// inverses/determinants (as log(1 + det²)) of declared square variables), so derivatives exist
// and finite differences are accurate at the engine's random points.
//
// Expressions are built as ASCII source text, fully parenthesised; the engine
// elaborates them into typed terms. Shrinking comes from fast-check.

import fc from 'fast-check';

export type D = '1' | 'n' | 'm';
export type TypeKey = `${D}${D}`;

export interface GenExpr {
  readonly text: string;
  readonly type: TypeKey;
  /** Declared variables the expression mentions. */
  readonly vars: readonly string[];
}

export const DIMS: readonly D[] = ['1', 'n', 'm'];
export const TYPES: readonly TypeKey[] = DIMS.flatMap((r) => DIMS.map((c) => `${r}${c}` as TypeKey));

/** The declarations every generated program starts with. */
export const DECLARATIONS = [
  's: R',
  't: R',
  'x: R^n',
  'y: R^n',
  'z: R^m',
  'A: R^{n×n}',
  'B: R^{n×n}',
  'S: R^{n×n} spd',
  'C: R^{m×n}',
  'D: R^{n×m}',
  'M: R^{m×m}',
].join('\n');

/** Variables by the type they have as written (a vector is a column). */
export const VARIABLES: Readonly<Record<TypeKey, readonly string[]>> = {
  '11': ['s', 't'],
  n1: ['x', 'y'],
  m1: ['z'],
  '1n': [],
  '1m': [],
  nn: ['A', 'B', 'S'],
  mn: ['C'],
  nm: ['D'],
  mm: ['M'],
};

export const VARIABLE_TYPES: ReadonlyMap<string, TypeKey> = new Map(
  (Object.entries(VARIABLES) as [TypeKey, readonly string[]][]).flatMap(([ty, names]) => names.map((n) => [n, ty] as const)),
);

const SQUARE_VARIABLES = ['A', 'B', 'S'];
const SMOOTH = ['sin', 'cos', 'tanh', 'sigmoid', 'softplus'];

function union(...lists: (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

function transposed(ty: TypeKey): TypeKey {
  return `${ty[1]}${ty[0]}` as TypeKey;
}

const p = (e: GenExpr) => `(${e.text})`;

function leaf(ty: TypeKey): fc.Arbitrary<GenExpr> {
  const options: GenExpr[] = [];
  for (const v of VARIABLES[ty]) options.push({ text: v, type: ty, vars: [v] });
  for (const v of VARIABLES[transposed(ty)]) if (ty[0] !== ty[1]) options.push({ text: `${v}'`, type: ty, vars: [v] });
  if (ty === '11') {
    const constants = fc.constantFrom('2', '0.5', '3', '1.5').map((c): GenExpr => ({ text: c, type: ty, vars: [] }));
    return fc.oneof(fc.constantFrom(...options), constants);
  }
  return fc.constantFrom(...options);
}

export interface ExpressionOptions {
  /** Maximum nesting depth (fast-check depth of the recursive arbitrary). */
  readonly maxDepth?: number;
  /** Allow inverses, determinants and log-determinants of the square variables. */
  readonly matrixFunctions?: boolean;
}

/** Arbitraries of well-typed expressions, one per type. */
export function expressions(options: ExpressionOptions = {}): Record<TypeKey, fc.Arbitrary<GenExpr>> {
  const maxDepth = options.maxDepth ?? 3;
  const matrixFunctions = options.matrixFunctions ?? true;
  return fc.letrec<Record<TypeKey, GenExpr>>((tie) => {
    const of = (ty: TypeKey) => tie(ty) as fc.Arbitrary<GenExpr>;
    const build = (ty: TypeKey): fc.Arbitrary<GenExpr> => {
      const arbs: fc.Arbitrary<GenExpr>[] = [leaf(ty)];
      const [r, c] = [ty[0] as D, ty[1] as D];
      const bin = (a: fc.Arbitrary<GenExpr>, b: fc.Arbitrary<GenExpr>, f: (x: GenExpr, y: GenExpr) => string) =>
        fc.tuple(a, b).map(([x, y]): GenExpr => ({ text: f(x, y), type: ty, vars: union(x.vars, y.vars) }));
      const un = (a: fc.Arbitrary<GenExpr>, f: (x: GenExpr) => string) => a.map((x): GenExpr => ({ text: f(x), type: ty, vars: x.vars }));

      arbs.push(bin(of(ty), of(ty), (x, y) => `${p(x)} + ${p(y)}`));
      arbs.push(bin(of(ty), of(ty), (x, y) => `${p(x)} - ${p(y)}`));
      arbs.push(un(of(ty), (x) => `-${p(x)}`));
      if (ty !== '11') arbs.push(bin(of('11'), of(ty), (x, y) => `${p(x)} * ${p(y)}`));
      // Products through an inner dimension (n, m; 1 is an outer product of a column and a row).
      for (const k of DIMS) {
        if (k === '1' && (r === '1' || c === '1')) continue; // scaling, covered above
        arbs.push(bin(of(`${r}${k}` as TypeKey), of(`${k}${c}` as TypeKey), (x, y) => `${p(x)} * ${p(y)}`));
      }
      if (r !== c || r !== '1') arbs.push(un(of(transposed(ty)), (x) => `${p(x)}'`));
      arbs.push(bin(of(ty), of(ty), (x, y) => `${p(x)} .* ${p(y)}`));
      arbs.push(fc.tuple(fc.constantFrom(...SMOOTH), of(ty)).map(([f, x]): GenExpr => ({ text: `${f}${p(x)}`, type: ty, vars: x.vars })));
      arbs.push(un(of(ty), (x) => `exp(sin${p(x)})`));
      arbs.push(bin(of(ty), of('11'), (x, y) => `${p(x)} / (2 + sin${p(y)})`));
      arbs.push(un(of(ty), (x) => (ty === '11' ? `${p(x)}^2` : `${p(x)}.^2`)));
      if (ty === 'nn') arbs.push(un(of('nn'), (x) => `${p(x)}^2`));
      if (ty === 'nn' && matrixFunctions) arbs.push(fc.constantFrom(...SQUARE_VARIABLES).map((v): GenExpr => ({ text: `inv(${v})`, type: ty, vars: [v] })));
      if (ty === '11') {
        arbs.push(fc.oneof(...TYPES.filter((t) => t !== '11').map((t) => un(of(t), (x) => `sum${p(x)}`))));
        arbs.push(un(of('nn'), (x) => `tr${p(x)}`));
        arbs.push(un(of('n1'), (x) => `norm2(${x.text})`));
        arbs.push(fc.oneof(...(['nn', 'n1', 'mn'] as TypeKey[]).map((t) => bin(of(t), of(t), (x, y) => `${p(x)} : ${p(y)}`))));
        arbs.push(un(of('11'), (x) => `log(1 + ${p(x)}^2)`));
        if (matrixFunctions) {
          // det of a point's (diagonally shifted) matrix is in the hundreds; sin(det A) would defeat finite differences.
          arbs.push(fc.constantFrom('A', 'B').map((v): GenExpr => ({ text: `log(1 + det(${v})^2)`, type: ty, vars: [v] })));
          arbs.push(fc.constant<GenExpr>({ text: 'logdet(S)', type: ty, vars: ['S'] }));
        }
      }
      return fc.oneof({ maxDepth, depthIdentifier: 'typed-expression' }, ...arbs);
    };
    return Object.fromEntries(TYPES.map((ty) => [ty, build(ty)])) as Record<TypeKey, fc.Arbitrary<GenExpr>>;
  }) as Record<TypeKey, fc.Arbitrary<GenExpr>>;
}

/** A program that defines `f` as the expression (after the standard declarations). */
export function program(e: GenExpr, ...more: string[]): string {
  return [DECLARATIONS, `f = ${e.text}`, ...more].join('\n');
}
