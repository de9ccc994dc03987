// The benchmark corpus: the same derivative written for our engine (`src`, the
// tensor-expression language) and for SymPy (`sympy`, the body of a Python
// function returning the derivative; helpers from bench/sympy_bench.py:
// n, m, V(name, size=n) → column MatrixSymbol, M(name, rows=n, cols=n),
// sig = Lambda(t, 1/(1 + exp(-t))), ones_row(size)).
//
// Every derivative here is nonzero, so a SymPy answer of 0 is flagged as wrong.

const dx = (decls, request) => `${decls}\n${request}`;

/** Matrix Cookbook–style gradients, Jacobians and Hessians. */
export const COOKBOOK = [
  { id: 'aT x', src: dx('a: R^n; x: R^n', "d/dx (a' x)"), sympy: "x = V('x'); a = V('a')\nreturn (a.T*x).diff(x)" },
  { id: 'xT a', src: dx('a: R^n; x: R^n', "d/dx (x' a)"), sympy: "x = V('x'); a = V('a')\nreturn (x.T*a).diff(x)" },
  { id: 'A x (Jacobian)', src: dx('A: R^{m×n}; x: R^n', 'd/dx (A x)'), sympy: "x = V('x'); A = M('A', m, n)\nreturn (A*x).diff(x)" },
  { id: 'xT x', src: dx('x: R^n', "d/dx (x' x)"), sympy: "x = V('x')\nreturn (x.T*x).diff(x)" },
  { id: 'xT A x', src: dx('A: R^{n×n}; x: R^n', "d/dx (x' A x)"), sympy: "x = V('x'); A = M('A')\nreturn (x.T*A*x).diff(x)" },
  { id: 'xT A x + bT x', src: dx('A: R^{n×n}; x: R^n; b: R^n', "d/dx (x' A x + b' x)"), sympy: "x = V('x'); b = V('b'); A = M('A')\nreturn (x.T*A*x + b.T*x).diff(x)" },
  { id: 'aT X b', src: dx('X: R^{n×n}; a: R^n; b: R^n', "d/dX (a' X b)"), sympy: "X = M('X'); a = V('a'); b = V('b')\nreturn (a.T*X*b).diff(X)" },
  { id: 'aT XT b', src: dx('X: R^{n×n}; a: R^n; b: R^n', "d/dX (a' X' b)"), sympy: "X = M('X'); a = V('a'); b = V('b')\nreturn (a.T*X.T*b).diff(X)" },
  { id: 'aT XT X a', src: dx('X: R^{n×n}; a: R^n', "d/dX (a' X' X a)"), sympy: "X = M('X'); a = V('a')\nreturn (a.T*X.T*X*a).diff(X)" },
  { id: 'bT XT D X c', src: dx('X: R^{n×n}; D: R^{n×n}; b: R^n; c: R^n', "d/dX (b' X' D X c)"), sympy: "X = M('X'); D = M('D'); b = V('b'); c = V('c')\nreturn (b.T*X.T*D*X*c).diff(X)" },
  { id: 'tr(A X)', src: dx('X: R^{n×n}; A: R^{n×n}', 'd/dX tr(A X)'), sympy: "X = M('X'); A = M('A')\nreturn Trace(A*X).diff(X)" },
  { id: 'tr(X A)', src: dx('X: R^{n×n}; A: R^{n×n}', 'd/dX tr(X A)'), sympy: "X = M('X'); A = M('A')\nreturn Trace(X*A).diff(X)" },
  { id: 'tr(A X B)', src: dx('X: R^{n×n}; A: R^{n×n}; B: R^{n×n}', 'd/dX tr(A X B)'), sympy: "X = M('X'); A = M('A'); B = M('B')\nreturn Trace(A*X*B).diff(X)" },
  { id: 'tr(XT A X)', src: dx('X: R^{n×n}; A: R^{n×n}', "d/dX tr(X' A X)"), sympy: "X = M('X'); A = M('A')\nreturn Trace(X.T*A*X).diff(X)" },
  { id: 'tr(X A XT)', src: dx('X: R^{n×n}; A: R^{n×n}', "d/dX tr(X A X')"), sympy: "X = M('X'); A = M('A')\nreturn Trace(X*A*X.T).diff(X)" },
  { id: 'tr(XT X)', src: dx('X: R^{n×n}', "d/dX tr(X' X)"), sympy: "X = M('X')\nreturn Trace(X.T*X).diff(X)" },
  { id: 'tr(X X)', src: dx('X: R^{n×n}', 'd/dX tr(X X)'), sympy: "X = M('X')\nreturn Trace(X*X).diff(X)" },
  { id: 'tr(X^3)', src: dx('X: R^{n×n}', 'd/dX tr(X^3)'), sympy: "X = M('X')\nreturn Trace(X**3).diff(X)" },
  { id: 'tr(A XT B X)', src: dx('X: R^{n×n}; A: R^{n×n}; B: R^{n×n}', "d/dX tr(A X' B X)"), sympy: "X = M('X'); A = M('A'); B = M('B')\nreturn Trace(A*X.T*B*X).diff(X)" },
  { id: 'det(X)', src: dx('X: R^{n×n}', 'd/dX det(X)'), sympy: "X = M('X')\nreturn Determinant(X).diff(X)" },
  { id: 'logdet(X)', src: dx('X: R^{n×n}', 'd/dX logdet(X)'), sympy: "X = M('X')\nreturn log(Determinant(X)).diff(X)" },
  { id: 'det(inv(X))', src: dx('X: R^{n×n}', 'd/dX det(inv(X))'), sympy: "X = M('X')\nreturn Determinant(Inverse(X)).diff(X)" },
  { id: 'det(A X B)', src: dx('X: R^{n×n}; A: R^{n×n}; B: R^{n×n}', 'd/dX det(A X B)'), sympy: "X = M('X'); A = M('A'); B = M('B')\nreturn Determinant(A*X*B).diff(X)" },
  { id: 'aT X^-1 b', src: dx('X: R^{n×n}; a: R^n; b: R^n', "d/dX (a' X^{-1} b)"), sympy: "X = M('X'); a = V('a'); b = V('b')\nreturn (a.T*Inverse(X)*b).diff(X)" },
  { id: 'tr(A X^-1 B)', src: dx('X: R^{n×n}; A: R^{n×n}; B: R^{n×n}', 'd/dX tr(A X^{-1} B)'), sympy: "X = M('X'); A = M('A'); B = M('B')\nreturn Trace(A*Inverse(X)*B).diff(X)" },
  { id: 'tr(X^-1)', src: dx('X: R^{n×n}', 'd/dX tr(inv(X))'), sympy: "X = M('X')\nreturn Trace(Inverse(X)).diff(X)" },
  { id: 'xT A^-1 x wrt A', src: dx('A: R^{n×n}; x: R^n', "d/dA (x' inv(A) x)"), sympy: "A = M('A'); x = V('x')\nreturn (x.T*Inverse(A)*x).diff(A)" },
  { id: '‖Ax − b‖²', src: dx('A: R^{m×n}; x: R^n; b: R^m', 'd/dx norm2(A x - b)^2'), sympy: "A = M('A', m, n); x = V('x'); b = V('b', m)\nreturn ((A*x - b).T*(A*x - b)).diff(x)" },
  { id: '‖Ax − b‖² wrt A', src: dx('A: R^{m×n}; x: R^n; b: R^m', 'd/dA norm2(A x - b)^2'), sympy: "A = M('A', m, n); x = V('x'); b = V('b', m)\nreturn ((A*x - b).T*(A*x - b)).diff(A)" },
  { id: '(Ax − b)T W (Ax − b)', src: dx('A: R^{m×n}; x: R^n; b: R^m; W: R^{m×m}', "d/dx ((A x - b)' W (A x - b))"), sympy: "A = M('A', m, n); x = V('x'); b = V('b', m); W = M('W', m, m)\nreturn ((A*x - b).T*W*(A*x - b)).diff(x)" },
  { id: '‖AX − B‖F²', src: dx('X: R^{n×n}; A: R^{n×n}; B: R^{n×n}', 'd/dX norm2(A X - B)^2'), sympy: "X = M('X'); A = M('A'); B = M('B')\nreturn Trace((A*X - B).T*(A*X - B)).diff(X)" },
  { id: 'sum(exp(x))', src: dx('x: R^n', 'd/dx sum(exp(x))'), sympy: "x = V('x')\nreturn (ones_row(n)*x.applyfunc(exp)).diff(x)" },
  { id: 'sum(sigmoid(A x))', src: dx('A: R^{m×n}; x: R^n', 'd/dx sum(sigmoid(A x))'), sympy: "A = M('A', m, n); x = V('x')\nreturn (ones_row(m)*(A*x).applyfunc(sig)).diff(x)" },
  { id: 'logsumexp(x)', src: dx('x: R^n', 'd/dx logsumexp(x)'), sympy: "x = V('x')\nreturn log((ones_row(n)*x.applyfunc(exp))[0, 0]).diff(x)" },
];

export const HESSIANS = [
  { id: 'hess(xT A x, x)', src: dx('A: R^{n×n}; x: R^n', "hess(x' A x, x)"), sympy: "x = V('x'); A = M('A')\nreturn (x.T*A*x).diff(x).diff(x)" },
  { id: 'hess(sum(exp(x)), x)', src: dx('x: R^n', 'hess(sum(exp(x)), x)'), sympy: "x = V('x')\nreturn (ones_row(n)*x.applyfunc(exp)).diff(x).diff(x)" },
  { id: 'hess(‖Ax − b‖², x)', src: dx('A: R^{m×n}; x: R^n; b: R^m', 'hess(norm2(A x - b)^2, x)'), sympy: "A = M('A', m, n); x = V('x'); b = V('b', m)\nreturn ((A*x - b).T*(A*x - b)).diff(x).diff(x)" },
];

/** z1 = W1 x; a1 = sigmoid(z1); …; L = sum((aL − y).^2); ∂L/∂W1. */
export function mlpSource(layers) {
  const lines = ['x: R^n; y: R^n'];
  for (let i = 1; i <= layers; i++) lines.push(`W${i}: R^{n×n}`);
  for (let i = 1; i <= layers; i++) {
    lines.push(`z${i} = W${i} ${i === 1 ? 'x' : `a${i - 1}`}`);
    lines.push(`a${i} = sigmoid(z${i})`);
  }
  lines.push(`L = sum((a${layers} - y).^2)`);
  lines.push('d/dW1 L');
  return lines.join('\n');
}

export function mlpSympy(layers) {
  return [
    "x = V('x'); y = V('y')",
    `Ws = [M('W%d' % i) for i in range(1, ${layers + 1})]`,
    'a = x',
    'for W in Ws:',
    '    a = (W*a).applyfunc(sig)',
    'return ((a - y).T*(a - y)).diff(Ws[0])',
  ].join('\n');
}

export const MLPS = [1, 4, 16, 64].map((layers) => ({ id: `MLP ${layers} layer${layers > 1 ? 's' : ''}`, src: mlpSource(layers), sympy: mlpSympy(layers), layers }));

export const CORPUS = [...COOKBOOK, ...HESSIANS, ...MLPS];

/** Sum of k terms cycling through three forms, each with its own matrix: d/dx Σ_t f_t(A_t, x). */
export function sumSource(k) {
  const lines = ['x: R^n'];
  const terms = [];
  for (let t = 1; t <= k; t++) {
    lines.push(`A${t}: R^{n×n}`);
    const form = t % 3;
    terms.push(form === 1 ? `x' A${t} x` : form === 2 ? `sum(exp(A${t} x))` : `norm2(A${t} x)^2`);
  }
  lines.push(`f = ${terms.join(' + ')}`);
  lines.push('d/dx f');
  return lines.join('\n');
}

export const MLP_DEPTHS = [1, 2, 4, 8, 16, 32, 64];
export const SUM_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
