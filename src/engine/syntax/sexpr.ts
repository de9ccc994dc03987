// A compact, unambiguous S-expression rendering of syntax trees, used by golden
// tests and debugging output. Spans are omitted; structure and names are kept.
//
// Examples: `x' A x` → (* (* (' x) A) x); `X_{12}` → (sub X 12);
// `\frac{\partial f}{\partial x}` → (d f x); `x: R^{n×n} symmetric` → (decl x [n n] symmetric).

import type { Expr, Statement } from './ast';

const BINARY: Record<string, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  hadamard: '.*',
  hdiv: './',
  hpow: '.^',
  frobenius: ':',
  kron: 'kron',
};

export function exprToSexpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'ident':
      return e.name;
    case 'subscript':
      return `(${e.brackets ? 'idx' : 'sub'} ${e.base.name} ${e.indices.map((i) => (i.kind === 'int' ? String(i.value) : i.name)).join(' ')})`;
    case 'neg':
      return `(neg ${exprToSexpr(e.operand)})`;
    case 'binary':
      return `(${BINARY[e.op]} ${exprToSexpr(e.left)} ${exprToSexpr(e.right)})`;
    case 'power':
      return `(^ ${exprToSexpr(e.base)} ${exprToSexpr(e.exponent)})`;
    case 'transpose':
      return `(' ${exprToSexpr(e.operand)})`;
    case 'call':
      return `(${e.builtin ? '' : 'call '}${e.fn}${e.args.map((a) => ` ${exprToSexpr(a)}`).join('')})`;
    case 'array':
      return `(${e.orientation === 'row' ? 'row' : 'col'}${e.elements.map((a) => ` ${exprToSexpr(a)}`).join('')})`;
    case 'derivative': {
      const head = e.order === 2 ? (e.explicitMatrix ? 'd2x' : 'd2') : 'd';
      const vars = e.order === 2 && !e.explicitMatrix && e.wrt[0]!.name === e.wrt[1]!.name ? [e.wrt[0]!] : e.wrt;
      return `(${head} ${exprToSexpr(e.of)} ${vars.map((w) => w.name + (w.transposed ? "'" : '')).join(' ')})`;
    }
    case 'error':
      return '(error)';
  }
}

export function statementToSexpr(s: Statement): string {
  switch (s.kind) {
    case 'declaration': {
      const dims = `[${s.dims.map((d) => String(d.value)).join(' ')}]`;
      const domain = s.domain ? ` [${s.domain.map((d) => String(d.value)).join(' ')}] ->` : '';
      const mods = s.modifiers.map((m) => ` ${m}`).join('');
      return `(decl ${s.names.map((n) => n.name).join(' ')}${domain} ${dims}${mods})`;
    }
    case 'definition': {
      const target = s.target.kind === 'ident' ? s.target.name : exprToSexpr(s.target);
      const params = s.params.length > 0 ? `(${s.params.map((p) => p.name).join(' ')}) ` : '';
      const claims = s.claims.map((c) => ` = ${exprToSexpr(c)}`).join('');
      return `(def ${params}${target} ${exprToSexpr(s.value)}${claims})`;
    }
    case 'expression': {
      const claims = s.claims.map((c) => ` = ${exprToSexpr(c)}`).join('');
      return claims ? `(eq ${exprToSexpr(s.expr)}${claims})` : exprToSexpr(s.expr);
    }
  }
}
