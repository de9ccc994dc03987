// Elaboration: resolves names and infers the shape of every sub-expression,
// turning the surface AST into typed terms (see term.ts), with diagnostics.
//
// Invariants:
// - Statements are processed in document order: a name is visible after the
//   statement that declares or defines it. A later definition of the same name
//   shadows the earlier one for later statements only.
// - Never throws on user input. An error in a sub-expression yields `null` for
//   that sub-expression, which silently poisons its parents, so each mistake
//   is reported once, at its own span. A definition whose value fails poisons
//   its name the same way for later statements (no "not declared" follow-ups),
//   and a size left open by a failed operand is not reported again.
// - Sizes unify: `I`, `ones`, `vector(c)` get fresh size variables that the
//   surrounding operators fix. Distinct symbolic names never unify (m ≠ n),
//   and a symbolic size never equals a number.
// - Ambiguous notation is decided here by shape: juxtaposition is a matrix
//   product or a scaling, `|X|` a determinant or an absolute value, `f(x)` a
//   reference to a defined f or a product with a variable f, `Ax` the product
//   A·x when `Ax` is not itself a name.

import type {
  ArrayNode,
  BinaryNode,
  CallNode,
  DeclarationNode,
  DeclModifier,
  DefinitionNode,
  DerivativeNode,
  Expr,
  IdentNode,
  Program,
  Span,
  Statement,
  SubscriptNode,
} from '../syntax/ast';
import { BUILTIN_FUNCTIONS } from '../syntax/ast';
import { error, warning, type Diagnostic, type DiagnosticCode } from '../diagnostics';
import { formatShape, formatSpace, SCALAR, shape as makeShape, type Dim, type Shape } from './shape';
import { derivativeShape, secondDerivativeShape, type Layout } from './layout';
import { ELEMENTWISE_FUNCTIONS, type Term, type TermOp } from './term';
import { EMPTY_SCOPE, variableById, type DefinitionTable, type PendingElement, type Scope, type ScopeSymbol } from './scope';

// ── size unification ──────────────────────────────────────────────────────

/** A size during inference: a number, a symbolic name, or an inference variable. */
type DimTerm = number | string | { readonly v: number };

interface ShapeTerm {
  readonly dims: readonly DimTerm[];
  readonly row: boolean;
}

class DimSolver {
  private readonly parent: (DimTerm | null)[] = [];
  readonly origins: Span[] = [];

  fresh(origin: Span): DimTerm {
    this.parent.push(null);
    this.origins.push(origin);
    return { v: this.parent.length - 1 };
  }

  find(d: DimTerm): DimTerm {
    let cur = d;
    for (let guard = 0; guard < 10_000 && typeof cur === 'object'; guard++) {
      const next = this.parent[cur.v];
      if (next === null || next === undefined) return cur;
      cur = next;
    }
    return cur;
  }

  unify(a: DimTerm, b: DimTerm): boolean {
    const x = this.find(a);
    const y = this.find(b);
    if (typeof x === 'object' && typeof y === 'object') {
      if (x.v !== y.v) this.parent[x.v] = y;
      return true;
    }
    if (typeof x === 'object') {
      this.parent[x.v] = y;
      return true;
    }
    if (typeof y === 'object') {
      this.parent[y.v] = x;
      return true;
    }
    return x === y;
  }

  text(d: DimTerm): string {
    const r = this.find(d);
    return typeof r === 'object' ? '?' : String(r);
  }
}

// ── public result ─────────────────────────────────────────────────────────

export interface Variable {
  /**
   * Internal identity: the name for its first declaration, `name@2`, `name@3`, …
   * for later ones. Notes reuse letters section by section (`x ∈ ℝ`, later
   * `x ∈ ℝ²`); each declaration is its own variable, so earlier statements keep
   * their meaning. Terms refer to variables by id; people see `name`.
   */
  readonly id: string;
  readonly name: string;
  readonly shape: Shape;
  readonly modifiers: readonly DeclModifier[];
  readonly span: Span;
  /** For `f: R^N → R`: the input dims. Such a name is an abstract function. */
  readonly domain?: readonly Dim[];
}

export interface Definition {
  readonly id: number;
  readonly name: string;
  readonly value: Term;
  readonly span: Span;
  /** True when assembled from element definitions (`a_1 = …; a_2 = …`). */
  readonly fromElements: boolean;
  /** What is derived from the value once, on first use (a definition never changes). */
  readonly memo: DefinitionMemo;
}

/**
 * Facts about a definition's value, computed on first use by whoever needs
 * them. Kept on the definition itself rather than in module-level WeakMaps: a
 * long note has tens of thousands of definitions, and a WeakMap that large
 * rehashed inside a hover (10–30 ms) and made every garbage collection trace
 * it as ephemerons.
 */
export class DefinitionMemo {
  /** Variable ids the value uses, directly or through the definitions it refers to. */
  variables: readonly string[] | null = null;
  /** Size symbols of every term of the value, through the definitions it refers to (derive.ts). */
  sizeSymbols: ReadonlySet<string> | null = null;
}

export interface DerivativeRequest {
  readonly node: DerivativeNode;
  readonly term: Term;
  /** Shape of the derivand F. */
  readonly of: Shape;
  /** Shapes of the variables, in order. */
  readonly wrtShapes: readonly Shape[];
  readonly shape: Shape;
}

export interface ElaboratedStatement {
  readonly node: Statement;
  /** The value (definitions) or expression (expression statements); null on error. */
  readonly term: Term | null;
  readonly claims: readonly (Term | null)[];
}

export interface Elaboration {
  /** Every declared variable, by id (see Variable.id), in declaration order. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** Every definition visible at the end of this text (inherited ones first), by id. */
  readonly definitions: DefinitionTable;
  readonly statements: readonly ElaboratedStatement[];
  readonly derivatives: readonly DerivativeRequest[];
  readonly diagnostics: readonly Diagnostic[];
  /** The shape of each expression node that elaborated without error. */
  readonly shapes: ReadonlyMap<Expr, Shape>;
  /** The scope at the end of this text, for the text after it (see scope.ts). */
  readonly scope: Scope;
}

/** Largest |k| in a matrix power A^k (computed as a chain of k products). */
export const MAX_MATRIX_POWER = 32;

/**
 * Elaborates `program` (parsed from `source`). With `scope`, the names it
 * declares are visible, as if the text that produced the scope came first;
 * `variables` then also holds the inherited variables the text refers to, and
 * `definitions` every definition so far (ids are global, see scope.ts).
 */
export function elaborate(program: Program, source: string, layout: Layout, scope: Scope = EMPTY_SCOPE): Elaboration {
  return new Elaborator(source, layout, scope).run(program);
}

// ── the elaborator ────────────────────────────────────────────────────────

/** A term under construction: its shape may still hold inference variables. */
interface Draft {
  op: TermOp;
  shape: ShapeTerm;
  args: Draft[];
  span: Span;
  name?: string;
  def?: number;
  value?: number;
  fn?: string;
  index?: number[];
  wrt?: string[];
  order?: 1 | 2;
  explicit?: boolean;
}

/** The mutable, in-region form of a ScopeSymbol (see scope.ts for the fields). */
interface SymbolState {
  variable?: Variable;
  declarations?: number;
  /** Id of the definition visible now, if any. */
  def?: number;
  /** Element definitions collected for a declared variable: key "i,j" (0-based). */
  elements?: Map<string, { term: Draft; span: Span }>;
  /** Element definitions whose value had an error (already reported): not "missing". */
  failedElements?: Set<string>;
  elementsVersion?: number;
  assembled?: { readonly def: number; readonly version: number };
  elementsRefused?: boolean;
  /**
   * The latest definition of this (undeclared) name failed and was reported:
   * later uses are silently poisoned instead of reported as undeclared.
   */
  poisoned?: boolean;
  /** Parameter names of a definition written `f(x) = …`, for checking calls `f(…)`. */
  params?: readonly string[];
}

/**
 * Whether a symbol's state is still what the inherited scope holds: the same
 * fields with the same values, element collections of the same keys at the
 * same elementsVersion (every element definition bumps it, so the pending
 * terms are the same ones, thawed).
 */
function unchangedSymbol(state: SymbolState, before: ScopeSymbol): boolean {
  const keys = Object.keys(state) as (keyof SymbolState)[];
  if (keys.length !== Object.keys(before).length) return false;
  for (const key of keys) {
    const now = state[key];
    const then = before[key];
    if (now instanceof Map || now instanceof Set) {
      if (!(then instanceof Map || then instanceof Set) || now.size !== then.size) return false;
      for (const k of now.keys()) if (!then.has(k as never)) return false;
    } else if (key === 'assembled') {
      const a = state.assembled;
      const b = before.assembled;
      if (a?.def !== b?.def || a?.version !== b?.version) return false;
    } else if (now !== then) return false;
  }
  return true;
}

const SCALAR_TERM: ShapeTerm = { dims: [], row: false };
const NO_ARGS: readonly Term[] = Object.freeze([]);
const NO_MODIFIERS: readonly DeclModifier[] = Object.freeze([]);
const E = Math.E;

class Elaborator {
  private readonly solver = new DimSolver();
  private readonly allVariables: Variable[] = [];
  /** Inherited variables this text refers to (directly or through a name it copied in). */
  private readonly imported = new Map<string, Variable>();
  private readonly diagnostics: Diagnostic[] = [];
  private errorCount = 0;
  private readonly symbols = new Map<string, SymbolState>();
  private readonly draftDefinitions: { id: number; name: string; draft: Draft; span: Span; fromElements: boolean }[] = [];
  private readonly statements: { node: Statement; term: Draft | null; claims: (Draft | null)[] }[] = [];
  private readonly derivativeDrafts: { node: DerivativeNode; draft: Draft; of: ShapeTerm; wrt: ShapeTerm[] }[] = [];
  private readonly shapeDrafts = new Map<Expr, ShapeTerm>();
  /** Inference variables introduced by the current statement, to report unresolved ones. */
  private statementVars: { dim: DimTerm; span: Span; what: string; atLeast?: number }[] = [];

  /** Id of this text's first definition (the inherited ones come before). */
  private readonly firstDefinition: number;

  constructor(
    private readonly source: string,
    private readonly layout: Layout,
    private readonly inherited: Scope,
  ) {
    this.firstDefinition = inherited.definitions.length;
  }

  run(program: Program): Elaboration {
    for (const statement of sentenceOrder(program.statements)) {
      this.statementVars = [];
      const errorsBefore = this.errorCount;
      this.statement(statement);
      // A size left open by an operand that failed to fit (x + I with x a
      // vector) is a consequence of that error, not a second mistake.
      if (this.errorCount === errorsBefore) this.reportUnresolved();
    }
    const resolvedShapes = new Map<Expr, Shape>();
    // forEach, not for…of: this runs once per text, unoptimised, where each entry of for…of is a new pair.
    this.shapeDrafts.forEach((s, node) => {
      const r = this.resolveShape(s);
      if (r) resolvedShapes.set(node, r);
    });
    // A definition's statement holds the very draft its definition holds: one frozen term serves
    // both (a long definition is most of a note's terms, and the analysis keeps them all).
    const frozenValues = new Map<Draft, Term>();
    const own = this.draftDefinitions.map((d): Definition => {
      const value = this.freeze(d.draft);
      frozenValues.set(d.draft, value);
      return { id: d.id, name: d.name, value, span: d.span, fromElements: d.fromElements, memo: new DefinitionMemo() };
    });
    const definitions = this.inherited.definitions.with(own);
    const statements = this.statements.map((s) => ({
      node: s.node,
      term: s.term ? (frozenValues.get(s.term) ?? this.freeze(s.term)) : null,
      claims: s.claims.map((c) => (c ? this.freeze(c) : null)),
    }));
    const derivatives = this.derivativeDrafts.map((d) => {
        const term = this.freeze(d.draft);
        return {
          node: d.node,
          term,
          of: this.resolveShape(d.of) ?? SCALAR,
          wrtShapes: d.wrt.map((w) => this.resolveShape(w) ?? SCALAR),
          shape: term.shape,
        };
      });
    const variables = new Map<string, Variable>();
    for (const v of this.allVariables) variables.set(v.id, v);
    if (this.firstDefinition > 0 || this.imported.size > 0) {
      const roots: Term[] = [...own.map((d) => d.value), ...derivatives.map((d) => d.term)];
      for (const s of statements) {
        if (s.term) roots.push(s.term);
        for (const c of s.claims) if (c) roots.push(c);
      }
      for (const v of this.imported.values()) if (!variables.has(v.id)) variables.set(v.id, v);
      for (const id of referencedVariables(roots, definitions)) {
        const v = variableById(this.inherited, id);
        if (v && !variables.has(id)) variables.set(id, v);
      }
    }
    return {
      variables,
      definitions,
      statements,
      derivatives,
      diagnostics: this.diagnostics.sort((a, b) => a.span.start - b.span.start),
      shapes: resolvedShapes,
      scope: this.scopeOut(definitions),
    };
  }

  /** The scope after this text: the inherited one with this text's names on top. */
  private scopeOut(definitions: DefinitionTable): Scope {
    const symbols = new Map<string, ScopeSymbol>();
    for (const [name, st] of this.symbols) {
      // A name this text only read is handed on as it came: its copy would add an entry to every
      // region's layer for every name the region uses (most of a long note's scope memory).
      const before = this.inherited.symbols.get(name);
      if (before && unchangedSymbol(st, before)) continue;
      // The reverse of symbol(): the same fields, the collections frozen (pending element drafts to terms).
      const { elements, failedElements, ...rest } = st;
      symbols.set(name, {
        ...rest,
        ...(elements?.size ? { elements: new Map([...elements].map(([k, e]): [string, PendingElement] => [k, { term: this.freeze(e.term), span: e.span }])) } : {}),
        ...(failedElements?.size ? { failedElements: new Set(failedElements) } : {}),
      });
    }
    return {
      symbols: this.inherited.symbols.with(symbols),
      variables: this.inherited.variables.with(this.shadowedVariables(symbols)),
      definitions,
    };
  }

  /**
   * The variables this text leaves without their name (`symbols` is what it
   * hands on): its own that a later declaration replaced, and inherited ones
   * it declared again.
   */
  private shadowedVariables(symbols: ReadonlyMap<string, ScopeSymbol>): Map<string, Variable> {
    const shadowed = new Map<string, Variable>();
    const visibleAfter = (v: Variable) => (symbols.get(v.name) ?? this.inherited.symbols.get(v.name))?.variable === v;
    for (const v of this.allVariables) if (!visibleAfter(v)) shadowed.set(v.id, v);
    for (const name of symbols.keys()) {
      const before = this.inherited.symbols.get(name)?.variable;
      if (before && !visibleAfter(before)) shadowed.set(before.id, before);
    }
    return shadowed;
  }

  // ── helpers ───────────────────────────────────────────────────────────

  private text(span: Span): string {
    return this.source.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  }

  private report(code: DiagnosticCode, message: string, span: Span): null {
    this.errorCount++;
    this.diagnostics.push(error(code, message, span));
    return null;
  }

  private warn(code: DiagnosticCode, message: string, span: Span): void {
    this.diagnostics.push(warning(code, message, span));
  }

  private fmt(s: ShapeTerm): string {
    if (s.dims.length === 0) return 'scalar';
    const dims = s.dims.map((d) => this.solver.text(d));
    if (dims.length === 1) return s.row ? `1×${dims[0]}` : dims[0]!;
    return dims.join('×');
  }

  private named(e: Expr | Span, s: ShapeTerm): string {
    const span = 'kind' in e ? e.span : e;
    const text = this.text(span);
    const short = text.length > 24 ? `${text.slice(0, 21)}…` : text;
    return `${short} (${this.fmt(s)})`;
  }

  private shapeTerm(s: Shape): ShapeTerm {
    return { dims: [...s.dims], row: s.row };
  }

  private resolveShape(s: ShapeTerm): Shape | null {
    const dims: Dim[] = [];
    for (const d of s.dims) {
      const r = this.solver.find(d);
      if (typeof r === 'object') return null;
      dims.push(r);
    }
    return makeShape(dims, s.row);
  }

  private freeze(d: Draft): Term {
    const resolved = this.resolveShape(d.shape);
    const shape = resolved ?? makeShape(d.shape.dims.map((x) => this.solver.text(x)), d.shape.row);
    // Leaves share one empty argument list (a long note's definitions hold a hundred thousand of them).
    const args = d.args.length === 0 ? NO_ARGS : d.args.map((a) => this.freeze(a));
    const { op, span } = d;
    // The common terms are written as one literal each: a property added after
    // a literal goes to a separate property array, one more object per
    // variable or call in every definition a long note keeps.
    if (d.def === undefined && d.value === undefined && d.index === undefined && d.wrt === undefined && d.order === undefined && d.explicit === undefined) {
      if (d.fn === undefined) return d.name === undefined ? { op, shape, args, span } : { op, shape, args, span, name: d.name };
      if (d.name === undefined) return { op, shape, args, span, fn: d.fn };
    }
    const term: { -readonly [K in keyof Term]: Term[K] } = { op, shape, args, span };
    if (d.name !== undefined) term.name = d.name;
    if (d.def !== undefined) term.def = d.def;
    if (d.value !== undefined) term.value = d.value;
    if (d.fn !== undefined) term.fn = d.fn;
    if (d.index !== undefined) term.index = d.index;
    if (d.wrt !== undefined) term.wrt = d.wrt;
    if (d.order !== undefined) term.order = d.order;
    if (d.explicit !== undefined) term.explicit = d.explicit;
    return term;
  }

  private draft(op: TermOp, shape: ShapeTerm, args: Draft[], span: Span, extra: Partial<Draft> = {}): Draft {
    return { op, shape, args, span, ...extra };
  }

  private unifyShapes(a: ShapeTerm, b: ShapeTerm): boolean {
    if (a.dims.length !== b.dims.length) return false;
    if (a.dims.length === 1 && a.row !== b.row) return false;
    return a.dims.every((d, i) => this.solver.unify(d, b.dims[i]!));
  }

  private dimsEqual(a: DimTerm, b: DimTerm): boolean {
    return this.solver.unify(a, b);
  }

  /** A size to infer; `atLeast`: the smallest size it may resolve to (e₃ needs 3 entries). */
  private fresh(span: Span, what: string, atLeast?: number): DimTerm {
    const d = this.solver.fresh(span);
    this.statementVars.push(atLeast === undefined ? { dim: d, span, what } : { dim: d, span, what, atLeast });
    return d;
  }

  private reportUnresolved(): void {
    const seen = new Set<number>();
    for (const v of this.statementVars) {
      const r = this.solver.find(v.dim);
      if (typeof r === 'object' && !seen.has(r.v)) {
        seen.add(r.v);
        this.report('bad-dimension', `The size of ${v.what} cannot be inferred here; give it explicitly (for example eye(n) or ones(n)).`, v.span);
      } else if (typeof r === 'number' && v.atLeast !== undefined && r < v.atLeast) {
        this.report('bad-index', `${v.what[0]!.toUpperCase()}${v.what.slice(1)} needs at least ${v.atLeast} entries, but it has ${r} here.`, v.span);
      }
    }
  }

  /**
   * The meaning of `name` here, or undefined. A name inherited from the scope
   * is copied into this text's own table first (its pending element terms
   * thawed into drafts), so changes never reach the inherited scope.
   */
  private symbol(name: string): SymbolState | undefined {
    const own = this.symbols.get(name);
    if (own) return own;
    const inherited = this.inherited.symbols.get(name);
    if (!inherited) return undefined;
    // Every field carries over as it is, except the mutable collections: copied (elements thawed to drafts).
    const { elements, failedElements, ...rest } = inherited;
    const s: SymbolState = {
      ...rest,
      ...(elements ? { elements: new Map([...elements].map(([k, e]) => [k, { term: thaw(e.term), span: e.span }])) } : {}),
      ...(failedElements ? { failedElements: new Set(failedElements) } : {}),
    };
    if (s.variable) this.imported.set(s.variable.id, s.variable);
    this.symbols.set(name, s);
    return s;
  }

  private state(name: string): SymbolState {
    let s = this.symbol(name);
    if (!s) {
      s = {};
      this.symbols.set(name, s);
    }
    return s;
  }

  /** The shape of definition `id` (this text's draft, or an inherited definition). */
  private definitionShape(id: number): ShapeTerm {
    return id >= this.firstDefinition ? this.draftDefinitions[id - this.firstDefinition]!.draft.shape : this.shapeTerm(this.inherited.definitions.get(id)!.value.shape);
  }

  private isKnown(name: string): boolean {
    const s = this.symbol(name);
    return s !== undefined && (s.variable !== undefined || s.def !== undefined || (s.elements?.size ?? 0) > 0);
  }

  // ── statements ────────────────────────────────────────────────────────

  private statement(node: Statement): void {
    switch (node.kind) {
      case 'declaration':
        this.declaration(node);
        return;
      case 'definition':
        this.definition(node);
        return;
      case 'expression': {
        const term = this.expr(node.expr);
        const claims = node.claims.map((c) => this.claim(term, c));
        this.statements.push({ node, term, claims });
        return;
      }
    }
  }

  private declaration(node: DeclarationNode): void {
    const dims = node.dims.map((d) => d.value);
    const s = makeShape(dims);
    const square = dims.length === 2 && dims[0] === dims[1];
    if ((node.modifiers.includes('symmetric') || node.modifiers.includes('spd')) && !square) {
      this.warn('not-square', `Only a square matrix can be symmetric; ${this.text(node.span)} is ${formatShape(s)}.`, node.span);
    }
    for (const n of node.names) {
      const state = this.state(n.name);
      const previous = state.variable;
      if (previous && formatShape(previous.shape) !== formatShape(s)) {
        this.warn('redeclared-symbol', `${n.name} was declared as ${formatShape(previous.shape)}; it is now ${formatShape(s)}.`, n.span);
      }
      // Uses before this point took the elements defined before them (see assemble).
      const count = (state.declarations ?? 0) + 1;
      state.declarations = count;
      state.variable = {
        id: count === 1 ? n.name : `${n.name}@${count}`,
        name: n.name,
        shape: s,
        modifiers: node.modifiers.length === 0 ? NO_MODIFIERS : node.modifiers,
        span: n.span,
        ...(node.domain ? { domain: node.domain.map((d) => d.value) } : {}),
      };
      this.allVariables.push(state.variable);
      // A new declaration starts the name afresh: earlier definitions no longer apply.
      delete state.def;
      delete state.elements;
      delete state.failedElements;
      delete state.elementsVersion;
      delete state.assembled;
      delete state.elementsRefused;
      delete state.poisoned;
      delete state.params;
    }
    this.statements.push({ node, term: null, claims: [] });
  }

  private definition(node: DefinitionNode): void {
    const target = node.target;
    if (target.kind === 'subscript' && !this.isKnown(target.subscriptName)) {
      const base = this.symbol(target.base.name);
      if (base?.variable && base.def === undefined) {
        this.elementDefinition(node, target, base.variable);
        return;
      }
      if (base && (base.def !== undefined || (base.elements?.size ?? 0) > 0)) {
        // `a_1 = v_1^2` after `a` is defined restates an element: a claim to check.
        const lhs = this.expr(target);
        const claims = [node.value, ...node.claims].map((c) => this.claim(lhs, c));
        this.statements.push({ node, term: lhs, claims });
        return;
      }
    }
    const name = target.kind === 'ident' ? target.name : target.subscriptName;
    const value = this.expr(node.value);
    const claims = node.claims.map((c) => this.claim(value, c));
    if (value) {
      const state = this.state(name);
      const declared = state.variable;
      if (declared && !declared.domain && !this.unifyShapes(this.shapeTerm(declared.shape), value.shape)) {
        this.report(
          'shape-mismatch',
          `${name} is declared ${formatShape(declared.shape)} but defined as ${this.named(node.value, value.shape)}.`,
          node.value.span,
        );
      }
      {
        const id = this.firstDefinition + this.draftDefinitions.length;
        this.draftDefinitions.push({ id, name, draft: value, span: node.span, fromElements: false });
        state.def = id;
        delete state.elements;
        delete state.failedElements;
        delete state.elementsVersion;
        delete state.assembled;
        delete state.poisoned;
        if (node.params.length > 0) state.params = node.params.map((p) => p.name);
        else delete state.params;
        this.shapeDrafts.set(target, value.shape);
      }
    } else if (!this.symbol(name)?.variable) {
      // The value's error is already reported; later uses of the name must not
      // add "not declared" errors for the same mistake.
      const state = this.state(name);
      delete state.def;
      delete state.params;
      state.poisoned = true;
    }
    this.statements.push({ node, term: value, claims });
  }

  private elementDefinition(node: DefinitionNode, target: SubscriptNode, variable: Variable): void {
    const index = this.elementIndex(target, this.shapeTerm(variable.shape));
    const value = this.expr(node.value);
    const claims = node.claims.map((c) => this.claim(value, c));
    const state = this.state(variable.name);
    if (index && variable.shape.dims.some((d) => typeof d !== 'number')) {
      // Assembling needs every entry's position: the sizes must be numbers.
      if (!state.elementsRefused) {
        state.elementsRefused = true;
        this.report('bad-dimension', `${variable.name} is defined element by element, so its size must be numbers (like R^{2×2}), not ${formatShape(variable.shape)}.`, node.span);
      }
    } else if (index && !value) {
      // Its error is reported; the element is not also "missing".
      (state.failedElements ??= new Set()).add(index.join(','));
    } else if (index && value) {
      if (value.shape.dims.length !== 0) {
        this.report('shape-mismatch', `An element of ${variable.name} is a scalar, but ${this.named(node.value, value.shape)} is not.`, node.value.span);
        (state.failedElements ??= new Set()).add(index.join(','));
      } else {
        (state.elements ??= new Map()).set(index.join(','), { term: value, span: node.span });
        state.elementsVersion = (state.elementsVersion ?? 0) + 1;
      }
    }
    this.statements.push({ node, term: value, claims });
  }

  /**
   * The value of a variable defined element by element, as of this use: a
   * definition assembled from the elements defined before it (missing ones
   * are 0, with a warning at the use). Like every name, an element means what
   * was written before the use; uses with no element definitions in between
   * share one assembled definition.
   */
  private assemble(name: string, state: SymbolState, span: Span): number {
    const version = state.elementsVersion ?? 0;
    if (state.assembled && state.assembled.version === version) return state.assembled.def;
    const dims = state.variable!.shape.dims as number[];
    const elements = state.elements!;
    const missing: string[] = [];
    const build = (prefix: number[]): Draft => {
      if (prefix.length === dims.length) {
        const entry = elements.get(prefix.join(','));
        if (entry) return entry.term;
        if (!state.failedElements?.has(prefix.join(','))) missing.push(`${name}_${prefix.map((i) => i + 1).join('')}`);
        return this.draft('const', SCALAR_TERM, [], span, { value: 0 });
      }
      const n = dims[prefix.length]!;
      const items = Array.from({ length: n }, (_, i) => build([...prefix, i]));
      return this.draft('array', { dims: dims.slice(prefix.length), row: false }, items, span);
    };
    const value = build([]);
    if (missing.length > 0) {
      this.warn('undeclared-symbol', `${missing.length} element(s) of ${name} are not defined before this use and are taken as 0 (${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''}).`, span);
    }
    const id = this.firstDefinition + this.draftDefinitions.length;
    this.draftDefinitions.push({ id, name, draft: value, span: [...elements.values()][0]!.span, fromElements: true });
    state.assembled = { def: id, version };
    return id;
  }

  private claim(lhs: Draft | null, e: Expr): Draft | null {
    const rhs = this.expr(e);
    // Notes write gradients as columns whatever layout they use; a claim about a
    // vector-shaped derivative may differ from it in orientation only (the value
    // check in the derivative engine then compares up to that transpose).
    const orientationOnly =
      lhs?.op === 'deriv' && rhs !== null && lhs.shape.dims.length === 1 && rhs.shape.dims.length === 1 &&
      this.solver.unify(lhs.shape.dims[0]!, rhs.shape.dims[0]!);
    // A claim in another layout's convention is the transpose (∂(Ax)/∂x = A stated
    // in numerator terms, checked in denominator layout): the value check reports
    // that as a layout difference, so it is not a shape error here.
    const otherLayout =
      lhs?.op === 'deriv' && rhs !== null && lhs.shape.dims.length === rhs.shape.dims.length && lhs.shape.dims.length >= 2 &&
      lhs.shape.dims.every((d, i) => this.solver.find(d) === this.solver.find(rhs.shape.dims[rhs.shape.dims.length - 1 - i]!));
    if (lhs && rhs && !orientationOnly && !otherLayout && !this.unifyShapes(lhs.shape, rhs.shape)) {
      // A scalar equals a 1×1 result; anything else must match exactly.
      this.report('shape-mismatch', `The two sides have different shapes: ${this.fmt(lhs.shape)} and ${this.named(e, rhs.shape)}.`, e.span);
      return null;
    }
    return rhs;
  }

  // ── expressions ───────────────────────────────────────────────────────

  private expr(e: Expr): Draft | null {
    const result = this.exprInner(e);
    if (result) this.shapeDrafts.set(e, result.shape);
    return result;
  }

  private exprInner(e: Expr): Draft | null {
    switch (e.kind) {
      case 'number':
        return this.draft('const', SCALAR_TERM, [], e.span, { value: e.value });
      case 'ident':
        return this.identifier(e);
      case 'subscript':
        return this.subscript(e);
      case 'neg': {
        const a = this.expr(e.operand);
        return a && this.draft('neg', a.shape, [a], e.span);
      }
      case 'binary':
        return this.binary(e);
      case 'power':
        return this.power(e);
      case 'transpose': {
        const a = this.expr(e.operand);
        if (!a) return null;
        return this.transpose(a, e.span, e.operand);
      }
      case 'call':
        return this.call(e);
      case 'array':
        return this.array(e);
      case 'derivative':
        return this.derivative(e);
      case 'error':
        return null;
    }
  }

  private transpose(a: Draft, span: Span, source: Expr): Draft | null {
    const s = a.shape;
    if (s.dims.length === 0) return a;
    if (s.dims.length === 1) return this.draft('transpose', { dims: s.dims, row: !s.row }, [a], span);
    if (s.dims.length === 2) return this.draft('transpose', { dims: [s.dims[1]!, s.dims[0]!], row: false }, [a], span);
    return this.report('unsupported-operation', `Transpose is not defined for the ${s.dims.length}-tensor ${this.named(source, s)}; its axis order would be ambiguous.`, span);
  }

  /** Resolves a plain name. */
  private identifier(e: IdentNode): Draft | null {
    const resolved = this.lookup(e.name, e.span);
    if (resolved) return resolved;
    if (this.symbol(e.name)?.poisoned) return null;
    switch (e.name) {
      case 'e':
        return this.draft('const', SCALAR_TERM, [], e.span, { value: E });
      case 'π':
        return this.draft('const', SCALAR_TERM, [], e.span, { value: Math.PI });
      case 'I': {
        const n = this.fresh(e.span, 'the identity I');
        return this.draft('eye', { dims: [n, n], row: false }, [], e.span);
      }
      case '𝟙':
        return this.draft('fill', { dims: [this.fresh(e.span, 'the ones vector')], row: false }, [], e.span, { value: 1 });
      case '𝟎':
        return this.draft('const', SCALAR_TERM, [], e.span, { value: 0 });
      default:
        break;
    }
    const split = this.splitName(e);
    if (split) return split;
    return this.report(
      'undeclared-symbol',
      `${e.name} is not declared. Declare it first, for example \`${e.name}: R^n\` or \`${e.name} \\in \\mathbb{R}^{n}\`.`,
      e.span,
    );
  }

  /**
   * A declared variable or the current definition of a name. `use` is where a
   * warning about the use goes: the whole `a_2` when the name is the base of
   * an element reference (the draft itself keeps the name's span).
   */
  private lookup(name: string, span: Span, use: Span = span): Draft | null {
    const state = this.symbol(name);
    if (!state) return null;
    if (state.def !== undefined) return this.draft('ref', this.definitionShape(state.def), [], span, { name, def: state.def });
    if (state.variable) {
      const v = state.variable;
      if (v.domain) return this.draft('opaque', this.shapeTerm(v.shape), [], span, { name });
      if (state.elements && state.elements.size > 0) {
        const def = this.assemble(name, state, use);
        return this.draft('ref', this.definitionShape(def), [], span, { name, def });
      }
      return this.draft('var', this.shapeTerm(v.shape), [], span, { name: v.id });
    }
    return null;
  }

  /** `Ax` written without a space: the product of declared names, when `Ax` is not a name itself. */
  private splitName(e: IdentNode): Draft | null {
    if (e.name.length < 2 || !/^[A-Za-z0-9]+$/.test(e.name)) return null;
    const parts: { name: string; start: number }[] = [];
    let i = 0;
    while (i < e.name.length) {
      let found = '';
      for (let j = e.name.length; j > i; j--) {
        const candidate = e.name.slice(i, j);
        if (this.isKnown(candidate) || (candidate === 'e' && !this.isKnown('e'))) {
          found = candidate;
          break;
        }
      }
      if (!found) return null;
      parts.push({ name: found, start: i });
      i += found.length;
    }
    // Only split when the source really is the plain name (not \mathbf{Ax}),
    // possibly inside the parentheses a parenthesised operand's span includes: (Ax).
    const raw = this.source.slice(e.span.start, e.span.end);
    const plain = /^(?:(?:\\left)?\(\s*)*/.exec(raw)![0].length;
    if (raw.slice(plain, plain + e.name.length) !== e.name || !/^(?:\s*(?:\\right)?\))*$/.test(raw.slice(plain + e.name.length))) return null;
    const offset = e.span.start + plain;
    let result: Draft | null = null;
    let resultExpr: Expr | null = null;
    for (const p of parts) {
      const node: IdentNode = { kind: 'ident', name: p.name, span: { start: offset + p.start, end: offset + p.start + p.name.length } };
      const term = this.expr(node);
      if (!term) return null;
      if (!result || !resultExpr) {
        result = term;
        resultExpr = node;
        continue;
      }
      const span: Span = { start: resultExpr.span.start, end: node.span.end };
      result = this.multiply(result, term, resultExpr, node, { start: resultExpr.span.end, end: node.span.start }, span, false);
      if (!result) return null;
      resultExpr = { kind: 'ident', name: this.text(span), span } as IdentNode;
    }
    return result;
  }

  private subscript(e: SubscriptNode): Draft | null {
    const own = this.lookup(e.subscriptName, e.span);
    if (own) return own;
    // `A_{12}` while A is being defined element by element: that element's value
    // itself (assembling all of A here would warn about elements not written yet).
    const pending = this.symbol(e.base.name);
    if (pending?.variable && pending.def === undefined && pending.elements) {
      const index = this.elementIndex(e, this.shapeTerm(pending.variable.shape));
      const entry = index && pending.elements.get(index.join(','));
      if (entry) {
        this.shapeDrafts.set(e.base, this.shapeTerm(pending.variable.shape));
        return entry.term;
      }
    }
    if (this.symbol(e.subscriptName)?.poisoned || this.symbol(e.base.name)?.poisoned) return null;
    const base = this.lookup(e.base.name, e.base.span, e.span);
    if (!base) {
      const k = e.indices.length === 1 && e.indices[0]!.kind === 'int' ? e.indices[0]!.value : 0;
      if (e.base.name === 'e' && k >= 1) {
        // e_k with e neither declared nor defined: the k-th standard basis vector
        // (the printers write ∂x₂/∂x as e₂ᵀ); its size is inferred, as 𝟙's is.
        const n = this.fresh(e.span, `the unit vector ${this.text(e.span)}`, k);
        return this.draft('unit', { dims: [n], row: false }, [], e.span, { index: [k - 1] });
      }
      if (e.indices.some((i) => i.kind === 'name')) {
        return this.report('undeclared-symbol', `${e.subscriptName} is not declared. Declare it first, for example \`${e.subscriptName}: R^n\`.`, e.span);
      }
      return this.report('undeclared-symbol', `${e.base.name} is not declared, so ${this.text(e.span)} has no value.`, e.base.span);
    }
    this.shapeDrafts.set(e.base, base.shape);
    const index = this.elementIndex(e, base.shape);
    if (!index) return null;
    return this.draft('elem', SCALAR_TERM, [base], e.span, { index });
  }

  /** 0-based element index for `X_{12}`, `X_{1,2}`, `X[1,2]`, checking arity and range. */
  private elementIndex(e: SubscriptNode, s: ShapeTerm): number[] | null {
    const rank = s.dims.length;
    const name = e.base.name;
    if (rank === 0) return this.report('bad-index', `${name} is a scalar; it has no elements to index.`, e.span);
    const symbolic = e.indices.find((i) => i.kind === 'name');
    if (symbolic) {
      return this.report('bad-index', `Element references need whole-number indices like ${name}_{12}; '${e.raw}' is symbolic. To use ${e.subscriptName} as a name, declare it.`, e.span);
    }
    let values = e.indices.map((i) => (i.kind === 'int' ? i.value : 0));
    if (values.length === 1 && rank > 1) {
      const digits = e.raw.replace(/\s/g, '');
      if (/^\d+$/.test(digits) && digits.length === rank) values = [...digits].map(Number);
      else {
        return this.report('bad-index', `${name} has ${rank} axes, so ${this.text(e.span)} needs ${rank} indices, like ${name}_{${'1'.repeat(rank)}} or ${name}[${Array(rank).fill(1).join(',')}].`, e.span);
      }
    }
    if (values.length !== rank) {
      return this.report('bad-index', `${name} has ${rank} ${rank === 1 ? 'axis' : 'axes'} but ${this.text(e.span)} gives ${values.length} indices.`, e.span);
    }
    for (let k = 0; k < rank; k++) {
      const v = values[k]!;
      const d = this.solver.find(s.dims[k]!);
      if (v < 1) return this.report('bad-index', `Indices start at 1; ${this.text(e.span)} uses ${v}.`, e.span);
      if (typeof d === 'number' && v > d) {
        return this.report('bad-index', `Index ${v} is out of range for axis ${k + 1} of ${name}, which has size ${d}.`, e.span);
      }
    }
    return values.map((v) => v - 1);
  }

  private binary(e: BinaryNode): Draft | null {
    const a = this.expr(e.left);
    const b = this.expr(e.right);
    if (!a || !b) return null;
    switch (e.op) {
      case 'add':
      case 'sub':
        return this.elementwise(e.op, a, b, e, e.op === 'add' ? '+' : '−');
      case 'hadamard':
        return this.elementwise('hadamard', a, b, e, '⊙');
      case 'hdiv':
        return this.elementwise('hdiv', a, b, e, '⊘');
      case 'hpow':
        return this.elementwise('hpow', a, b, e, e.circ ? '^∘' : '.^');
      case 'mul':
        return this.multiply(a, b, e.left, e.right, e.opSpan, e.span, e.mul === 'cdot');
      case 'div':
        if (b.shape.dims.length !== 0) {
          return this.report('shape-mismatch', `${this.named(e.left, a.shape)} / ${this.named(e.right, b.shape)}: division is by a scalar; use ./ for elementwise division or inv(·) for a matrix inverse.`, e.opSpan);
        }
        // x / s divides every entry by the scalar s.
        return this.draft('hdiv', a.shape, [a, b], e.span);
      case 'frobenius':
        if (!this.unifyShapes(a.shape, b.shape)) {
          return this.report('shape-mismatch', `${this.named(e.left, a.shape)} : ${this.named(e.right, b.shape)}: the Frobenius product needs equal shapes.`, e.opSpan);
        }
        return this.draft('frob', SCALAR_TERM, [a, b], e.span);
      case 'kron':
        return this.report('unsupported-operation', 'The Kronecker product ⊗ is not supported as input yet; write the product in index-free form.', e.opSpan);
    }
  }

  /** + − ⊙ ⊘ .^ : equal shapes, or one scalar operand that broadcasts. */
  private elementwise(op: 'add' | 'sub' | 'hadamard' | 'hdiv' | 'hpow', a: Draft, b: Draft, e: BinaryNode, symbol: string): Draft | null {
    if (a.shape.dims.length === 0) return this.draft(op, b.shape, [a, b], e.span);
    if (b.shape.dims.length === 0) return this.draft(op, a.shape, [a, b], e.span);
    if (!this.unifyShapes(a.shape, b.shape)) {
      const both = a.shape.dims.length === 1 && b.shape.dims.length === 1 && a.shape.row !== b.shape.row;
      const why = both ? 'a row and a column vector cannot be combined elementwise' : 'elementwise operations need equal shapes';
      return this.report('shape-mismatch', `${this.named(e.left, a.shape)} ${symbol} ${this.named(e.right, b.shape)}: ${why}.`, e.opSpan);
    }
    return this.draft(op, a.shape, [a, b], e.span);
  }

  /** `*`, `\cdot` and juxtaposition: scaling or a matrix product, by shape. */
  private multiply(a: Draft, b: Draft, left: Expr, right: Expr, opSpan: Span, span: Span, cdot: boolean): Draft | null {
    const sa = a.shape;
    const sb = b.shape;
    if (sa.dims.length === 0) return this.draft('scale', sb, [a, b], span);
    if (sb.dims.length === 0) return this.draft('scale', sa, [b, a], span);
    const ra = sa.dims.length;
    const rb = sb.dims.length;
    const mismatch = (inner: [DimTerm, DimTerm]): null =>
      this.report(
        'shape-mismatch',
        `${this.named(left, sa)} · ${this.named(right, sb)}: inner dimensions ${this.solver.text(inner[0])} ≠ ${this.solver.text(inner[1])}.`,
        opSpan,
      );
    if (ra > 2 || rb > 2) {
      return this.report('unsupported-operation', `${this.named(left, sa)} · ${this.named(right, sb)}: a matrix product needs vectors or matrices; use ⊙ for elementwise products of tensors.`, opSpan);
    }
    // Rows × columns views; a column vector is n×1, a row vector 1×n.
    const colA = ra === 1 && !sa.row;
    const rowA = ra === 1 && sa.row;
    const colB = rb === 1 && !sb.row;
    const rowB = rb === 1 && sb.row;
    if (cdot && ra === 1 && rb === 1 && sa.row === sb.row) {
      // a · b between two vectors of the same orientation is their dot product.
      if (!this.dimsEqual(sa.dims[0]!, sb.dims[0]!)) return mismatch([sa.dims[0]!, sb.dims[0]!]);
      return this.draft('frob', SCALAR_TERM, [a, b], span);
    }
    if (rowA && colB) {
      if (!this.dimsEqual(sa.dims[0]!, sb.dims[0]!)) return mismatch([sa.dims[0]!, sb.dims[0]!]);
      return this.draft('matmul', SCALAR_TERM, [a, b], span, { fn: 'dot' });
    }
    if (colA && rowB) return this.draft('matmul', { dims: [sa.dims[0]!, sb.dims[0]!], row: false }, [a, b], span, { fn: 'outer' });
    if (ra === 2 && colB) {
      if (!this.dimsEqual(sa.dims[1]!, sb.dims[0]!)) return mismatch([sa.dims[1]!, sb.dims[0]!]);
      return this.draft('matmul', { dims: [sa.dims[0]!], row: false }, [a, b], span, { fn: 'mv' });
    }
    if (rowA && rb === 2) {
      if (!this.dimsEqual(sa.dims[0]!, sb.dims[0]!)) return mismatch([sa.dims[0]!, sb.dims[0]!]);
      return this.draft('matmul', { dims: [sb.dims[1]!], row: true }, [a, b], span, { fn: 'vm' });
    }
    if (ra === 2 && rb === 2) {
      if (!this.dimsEqual(sa.dims[1]!, sb.dims[0]!)) return mismatch([sa.dims[1]!, sb.dims[0]!]);
      return this.draft('matmul', { dims: [sa.dims[0]!, sb.dims[1]!], row: false }, [a, b], span, { fn: 'mm' });
    }
    // Remaining cases: column·column, row·row, column·matrix, matrix·row.
    const aInner: DimTerm = colA ? 1 : rowA ? sa.dims[0]! : sa.dims[1]!;
    const bInner: DimTerm = colB ? sb.dims[0]! : rowB ? 1 : sb.dims[0]!;
    return mismatch([aInner, bInner]);
  }

  private power(e: Extract<Expr, { kind: 'power' }>): Draft | null {
    const base = this.expr(e.base);
    const exponent = this.expr(e.exponent);
    if (!base || !exponent) return null;
    // e^x is exp(x); for a vector x, the elementwise exp (as in softmax's e^z).
    if (e.base.kind === 'ident' && e.base.name === 'e' && base.op === 'const') {
      if (exponent.shape.dims.length <= 1) return this.draft('call', exponent.shape, [exponent], e.span, { fn: 'exp' });
      return this.report(
        'unsupported-operation',
        `e^{${this.text(e.exponent.span)}} of a ${exponent.shape.dims.length === 2 ? 'matrix' : 'tensor'} would be a matrix exponential, which is not supported; write exp(${this.text(e.exponent.span)}) for the elementwise exponential.`,
        e.span,
      );
    }
    if (exponent.shape.dims.length !== 0) {
      return this.report('shape-mismatch', `The exponent ${this.named(e.exponent, exponent.shape)} must be a scalar.`, e.exponent.span);
    }
    const rank = base.shape.dims.length;
    if (rank === 0) return this.draft('pow', SCALAR_TERM, [base, exponent], e.span);
    const k = constantValue(e.exponent);
    if (rank === 2) {
      if (!this.dimsEqual(base.shape.dims[0]!, base.shape.dims[1]!)) {
        return this.report('not-square', `${this.named(e.base, base.shape)} is not square, so it has no matrix power or inverse.`, e.opSpan);
      }
      if (k === null || !Number.isInteger(k)) {
        return this.report('unsupported-operation', `Matrix powers need an integer exponent; use .^ for an elementwise power.`, e.exponent.span);
      }
      if (Math.abs(k) > MAX_MATRIX_POWER) {
        // Matrix powers are chains of products (and their derivatives sums of k such chains): A^{9007199254740993} hung.
        return this.report('unsupported-operation', `Matrix powers are computed as chains of products, up to exponent ${MAX_MATRIX_POWER} (here ${k}).`, e.exponent.span);
      }
      if (k === 1) return base;
      if (k === 0) return this.draft('eye', base.shape, [], e.span);
      if (k === -1) return this.draft('inv', base.shape, [base], e.span);
      if (k > 1) return this.draft('matpow', base.shape, [base], e.span, { value: k });
      return this.draft('matpow', base.shape, [this.draft('inv', base.shape, [base], e.span)], e.span, { value: -k });
    }
    return this.report(
      'shape-mismatch',
      `${this.named(e.base, base.shape)} ^ ${this.text(e.exponent.span)}: a ${rank === 1 ? 'vector' : `${rank}-tensor`} has no power; use .^ for an elementwise power${rank === 1 ? ' or x^T x for the squared norm' : ''}.`,
      e.opSpan,
    );
  }

  private call(e: CallNode): Draft | null {
    if (!e.builtin) return this.userCall(e);
    const info = BUILTIN_FUNCTIONS[e.fn];
    if (!info) return this.report('unknown-function', `${e.fn} is not a known function.`, e.nameSpan);
    if (e.args.length < info.min || e.args.length > info.max) {
      const want = info.min === info.max ? `${info.min}` : `${info.min} or ${info.max}`;
      return this.report('wrong-arity', `${e.fn} takes ${want} argument${info.max === 1 ? '' : 's'}, not ${e.args.length}.`, e.span);
    }
    if (e.fn === 'eye' || e.fn === 'ones' || e.fn === 'zeros') return this.constructor_(e);
    const args: Draft[] = [];
    for (const a of e.args) {
      const t = this.expr(a);
      if (!t) return null;
      args.push(t);
    }
    const x = args[0]!;
    const xs = x.shape;
    const rank = xs.dims.length;
    const arg = e.args[0]!;
    const squareCheck = (what: string): boolean => {
      if (rank === 0) return true;
      if (rank !== 2 || !this.dimsEqual(xs.dims[0]!, xs.dims[1]!)) {
        this.report('not-square', `${what} needs a square matrix, but ${this.named(arg, xs)} is not square.`, arg.span);
        return false;
      }
      return true;
    };
    if (ELEMENTWISE_FUNCTIONS.has(e.fn)) return this.draft('call', xs, [x], e.span, { fn: e.fn });
    switch (e.fn) {
      case 'sum':
        return this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'sum' });
      case 'tr':
        if (!squareCheck('The trace')) return null;
        return rank === 0 ? x : this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'tr' });
      case 'det':
        if (!squareCheck('The determinant')) return null;
        return rank === 0 ? x : this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'det' });
      case 'logdet':
        if (!squareCheck('logdet')) return null;
        return rank === 0 ? this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'log' }) : this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'logdet' });
      case 'inv':
        if (!squareCheck('The inverse')) return null;
        return rank === 0
          ? this.draft('hdiv', SCALAR_TERM, [this.draft('const', SCALAR_TERM, [], e.nameSpan, { value: 1 }), x], e.span)
          : this.draft('inv', xs, [x], e.span);
      case 'bars':
        if (rank === 0) return this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'abs' });
        if (rank === 2) {
          if (!squareCheck('|X| (the determinant)')) return null;
          return this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'det' });
        }
        return this.report('unsupported-operation', `|${this.text(arg.span)}| of a ${rank === 1 ? 'vector' : 'tensor'} is ambiguous: write ‖${this.text(arg.span)}‖ (norm2) for its length or abs(${this.text(arg.span)}) for elementwise absolute values.`, e.span);
      case 'norm2':
      case 'norm1':
        return this.draft('call', SCALAR_TERM, [x], e.span, { fn: e.fn });
      case 'softmax':
        if (rank !== 1) return this.report('shape-mismatch', `softmax needs a vector, but ${this.named(arg, xs)} is not one.`, arg.span);
        return this.draft('call', xs, [x], e.span, { fn: 'softmax' });
      case 'logsumexp':
        if (rank !== 1) return this.report('shape-mismatch', `logsumexp needs a vector, but ${this.named(arg, xs)} is not one.`, arg.span);
        return this.draft('call', SCALAR_TERM, [x], e.span, { fn: 'logsumexp' });
      case 'diag':
        if (rank === 1) return this.draft('call', { dims: [xs.dims[0]!, xs.dims[0]!], row: false }, [x], e.span, { fn: 'diag' });
        if (rank === 2) {
          if (!squareCheck('diag')) return null;
          return this.draft('call', { dims: [xs.dims[0]!], row: false }, [x], e.span, { fn: 'diag' });
        }
        return this.report('shape-mismatch', `diag takes a vector (to build a diagonal matrix) or a square matrix (to read its diagonal), not ${this.named(arg, xs)}.`, arg.span);
      case 'vector': {
        if (rank !== 0) return this.report('shape-mismatch', `vector(c) repeats a scalar c; ${this.named(arg, xs)} is not a scalar.`, arg.span);
        const n = this.fresh(e.span, `vector(${this.text(arg.span)})`);
        if (x.op === 'const') return this.draft('fill', { dims: [n], row: false }, [], e.span, { value: x.value! });
        return this.draft('scale', { dims: [n], row: false }, [x, this.draft('fill', { dims: [n], row: false }, [], e.span, { value: 1 })], e.span);
      }
      default:
        return this.report('unknown-function', `${e.fn} is not a known function.`, e.nameSpan);
    }
  }

  /** eye(n), ones(n), ones(m, n), zeros(n): arguments are sizes. */
  private constructor_(e: CallNode): Draft | null {
    const dims: DimTerm[] = [];
    for (const a of e.args) {
      if (a.kind === 'number' && Number.isInteger(a.value) && a.value >= 1) dims.push(a.value);
      else if (a.kind === 'ident' && !this.isKnown(a.name)) dims.push(a.name);
      else if (a.kind === 'ident') {
        const v = this.symbol(a.name)!.variable;
        if (v && v.shape.dims.length === 0) dims.push(a.name);
        else return this.report('bad-dimension', `${e.fn}(…) takes sizes (numbers or size names like n), and ${a.name} is a ${v ? 'tensor' : 'defined value'}.`, a.span);
      } else return this.report('bad-dimension', `${e.fn}(…) takes sizes: whole numbers from 1 or size names like n.`, a.span);
    }
    if (e.fn === 'eye') return this.draft('eye', { dims: [dims[0]!, dims[0]!], row: false }, [], e.span);
    return this.draft('fill', { dims, row: false }, [], e.span, { value: e.fn === 'ones' ? 1 : 0 });
  }

  /** `f(x)`: a defined f (the argument names its variables), or a product with a variable f. */
  private userCall(e: CallNode): Draft | null {
    const state = this.symbol(e.fn);
    const callee: IdentNode = { kind: 'ident', name: e.fn, span: e.nameSpan };
    if (state?.def !== undefined || state?.variable?.domain) {
      for (const a of e.args) {
        if (a.kind !== 'ident' && a.kind !== 'subscript') {
          return this.report('unsupported-operation', `${e.fn}(…) refers to the defined ${e.fn}; calling it with other arguments is not supported.`, a.span);
        }
      }
      // The arguments are names that must resolve like any other use.
      const args: Draft[] = [];
      for (const a of e.args) {
        const t = this.expr(a);
        if (!t) return null;
        args.push(t);
      }
      if (state.def !== undefined) {
        const params = state.params;
        if (params) {
          if (args.length !== params.length) {
            return this.report('wrong-arity', `${e.fn} is defined as ${e.fn}(${params.join(', ')}), so it takes ${params.length} argument${params.length === 1 ? '' : 's'}, not ${args.length}.`, e.span);
          }
          for (let k = 0; k < params.length; k++) {
            const a = e.args[k]!;
            const name = a.kind === 'ident' ? a.name : a.kind === 'subscript' ? a.subscriptName : '';
            if (name !== params[k]) {
              return this.report('unsupported-operation', `${e.fn} is defined in terms of ${params[k]}; ${this.text(e.span)} would substitute ${this.text(a.span)} for it, which is not supported. Write the expression in ${this.text(a.span)} instead.`, a.span);
            }
          }
        }
      } else {
        // An abstract function f: ℝ^N → …: one argument in its domain.
        const domain = makeShape(state.variable!.domain!);
        if (args.length !== 1) {
          return this.report('wrong-arity', `${e.fn} maps ${formatSpace(domain)} → ${formatSpace(state.variable!.shape)}, so it takes 1 argument, not ${args.length}.`, e.span);
        }
        if (!this.unifyShapes(this.shapeTerm(domain), args[0]!.shape)) {
          return this.report('shape-mismatch', `${e.fn} takes a point of ${formatSpace(domain)}, but its argument ${this.named(e.args[0]!, args[0]!.shape)} is not one.`, e.args[0]!.span);
        }
      }
      return this.expr(callee);
    }
    if (state?.poisoned) return null;
    if (state?.variable) {
      if (e.args.length !== 1) return this.report('wrong-arity', `${e.fn} is a variable, not a function; ${this.text(e.span)} cannot be a product.`, e.span);
      const f = this.expr(callee);
      const x = this.expr(e.args[0]!);
      if (!f || !x) return null;
      return this.multiply(f, x, callee, e.args[0]!, { start: e.nameSpan.end, end: e.nameSpan.end }, e.span, false);
    }
    if (e.fn === 'σ' && e.args.length === 1) {
      const x = this.expr(e.args[0]!);
      return x && this.draft('call', x.shape, [x], e.span, { fn: 'sigmoid' });
    }
    return this.report('unknown-function', `${e.fn} is not a known function or a defined name. Define it first, for example \`${e.fn}(x) = …\`.`, e.nameSpan);
  }

  private array(e: ArrayNode): Draft | null {
    const items: Draft[] = [];
    for (const el of e.elements) {
      const t = this.expr(el);
      if (!t) return null;
      items.push(t);
    }
    const first = items[0]!;
    for (let k = 1; k < items.length; k++) {
      if (!this.unifyShapes(first.shape, items[k]!.shape)) {
        return this.report('shape-mismatch', `Array entries must have equal shapes: ${this.named(e.elements[0]!, first.shape)} and ${this.named(e.elements[k]!, items[k]!.shape)}.`, e.elements[k]!.span);
      }
    }
    if (first.shape.dims.length === 0) {
      return this.draft('array', { dims: [items.length], row: e.orientation === 'row' }, items, e.span);
    }
    return this.draft('array', { dims: [items.length, ...first.shape.dims], row: false }, items, e.span);
  }

  private derivative(e: DerivativeNode): Draft | null {
    const of = this.expr(e.of);
    const wrt: { name: string; shape: ShapeTerm }[] = [];
    for (const w of e.wrt) {
      const state = this.symbol(w.name);
      const v = state?.variable;
      if (v && !v.domain) {
        wrt.push({ name: v.id, shape: this.shapeTerm(v.shape) });
      } else if (state?.def !== undefined) {
        wrt.push({ name: w.name, shape: this.definitionShape(state.def) });
      } else if (v?.domain) {
        return this.report('not-a-variable', `${w.name} is a function, not a variable; differentiate with respect to its argument.`, w.span);
      } else if (state?.poisoned) {
        return null;
      } else {
        const m = /^(.*)_(\d+)$/.exec(w.name);
        if (m && this.isKnown(m[1]!)) {
          return this.report('not-a-variable', `${w.name} is an element of ${m[1]}; differentiate with respect to ${m[1]} and read the element from the result.`, w.span);
        }
        return this.report('undeclared-symbol', `${w.name} is not declared, so nothing can be differentiated with respect to it.`, w.span);
      }
    }
    if (!of) return null;
    const fShape = of.shape;
    if ((e.notation === 'grad' || e.notation === 'hess') && fShape.dims.length !== 0) {
      return this.report('shape-mismatch', `${e.notation} needs a scalar function, but ${this.named(e.of, fShape)} is not a scalar; use diff(f, x) or ∂f/∂x for the full derivative.`, e.of.span);
    }
    const fs = this.resolveShape(fShape);
    const ws = wrt.map((w) => this.resolveShape(w.shape));
    if (!fs || ws.some((w) => !w)) {
      return this.report('bad-dimension', 'The sizes in this derivative cannot all be inferred.', e.span);
    }
    let result: Shape;
    if (e.order === 1) {
      result = derivativeShape(fs, ws[0]!, this.layout);
    } else if (e.explicitMatrix) {
      const [x, y] = [ws[0]!, ws[1]!];
      if (fs.dims.length !== 0 || x.dims.length > 1 || y.dims.length > 1) {
        return this.report('shape-mismatch', `∂²f/∂x∂yᵀ is a matrix for a scalar f and vectors x, y; here f is ${formatShape(fs)}, x is ${formatShape(x)} and y is ${formatShape(y)}. Use hess(f, x) for tensors.`, e.span);
      }
      result = makeShape([...x.dims, ...y.dims]);
    } else {
      result = secondDerivativeShape(fs, ws[0]!, ws[1]!, this.layout);
    }
    const draft = this.draft('deriv', this.shapeTerm(result), [of], e.span, {
      wrt: wrt.map((w) => w.name),
      order: e.order,
      explicit: e.explicitMatrix,
    });
    this.derivativeDrafts.push({ node: e, draft, of: fShape, wrt: wrt.map((w) => w.shape) });
    return draft;
  }
}

/**
 * Statements in elaboration order: within a sentence (statements joined by
 * commas), declarations come first, so "Let a = [v_1^2, v_2], v ∈ ℝ²" means the
 * v declared in that sentence. Otherwise document order.
 */
function sentenceOrder(statements: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  let sentence: Statement[] = [];
  const flush = () => {
    out.push(...sentence.filter((s) => s.kind === 'declaration'), ...sentence.filter((s) => s.kind !== 'declaration'));
    sentence = [];
  };
  for (const s of statements) {
    if (!s.joined) flush();
    sentence.push(s);
  }
  flush();
  return out;
}

/** The value of a constant exponent expression (`2`, `-1`, `{-1}`), or null. */
function constantValue(e: Expr): number | null {
  if (e.kind === 'number') return e.value;
  if (e.kind === 'neg') {
    const v = constantValue(e.operand);
    return v === null ? null : -v;
  }
  return null;
}

/** A frozen term as a draft again (an inherited pending element used in this text). */
function thaw(t: Term): Draft {
  const d: Draft = { op: t.op, shape: { dims: [...t.shape.dims], row: t.shape.row }, args: t.args.map(thaw), span: t.span };
  if (t.name !== undefined) d.name = t.name;
  if (t.def !== undefined) d.def = t.def;
  if (t.value !== undefined) d.value = t.value;
  if (t.fn !== undefined) d.fn = t.fn;
  if (t.index !== undefined) d.index = [...t.index];
  if (t.wrt !== undefined) d.wrt = [...t.wrt];
  if (t.order !== undefined) d.order = t.order;
  if (t.explicit !== undefined) d.explicit = t.explicit;
  return d;
}

/** Variable ids that `roots` use, directly or through the definitions they refer to (memoised per definition). */
function referencedVariables(roots: readonly Term[], definitions: DefinitionTable): Set<string> {
  const out = new Set<string>();
  const ofDefinition = (d: Definition): readonly string[] => {
    if (d.memo.variables) return d.memo.variables;
    const ids = new Set<string>();
    collect(d.value, ids);
    d.memo.variables = [...ids];
    return d.memo.variables;
  };
  const collect = (t: Term, into: Set<string>): void => {
    if (t.op === 'var' && t.name !== undefined) into.add(t.name);
    if (t.op === 'ref' && t.def !== undefined) {
      const d = definitions.get(t.def);
      if (d) for (const id of ofDefinition(d)) into.add(id);
    }
    for (const a of t.args) collect(a, into);
  };
  for (const r of roots) collect(r, out);
  return out;
}
