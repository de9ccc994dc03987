// Named shared sub-expressions ("where t₁ = …") as users see them: in the
// panel's model and its validation, in the webview, in Copy LaTeX and Insert
// below (whose text must read back and check as a claim), and in hovers.

import { strict as assert } from 'node:assert';
import { analyzeDocument, hoverAt } from '../../../src/documents/document-analysis';
import { derivativeInfo } from '../../../src/documents/derivative-info';
import { copyLatex, insertionFor } from '../../../src/extension/panel-logic';
import { HOVER_BINDINGS, hoverMarkdown } from '../../../src/extension/hover-content';
import { MAX_BINDINGS, parseToWebview, type PanelModel } from '../../../src/panel/protocol';
import { buildPanelModel } from '../../../src/panel/view-model';
import { PanelApp } from '../../../src/webview/app';
import { createDom, FakeVsCodeApi, sampleModel, update } from '../webview/helpers';

/** A markdown note with an L-layer sigmoid network and the gradient of its loss by W1. */
function networkNote(layers: number): string {
  const lines = ['# Network', '', '```tensor', 'x: R^n; y: R^n'];
  for (let i = 1; i <= layers; i++) lines.push(`W${i}: R^{n×n}`);
  for (let i = 1; i <= layers; i++) lines.push(`a${i} = sigmoid(W${i} ${i === 1 ? 'x' : `a${i - 1}`})`);
  lines.push(`loss = sum((a${layers} - y).^2)`, 'd/dW1 loss', '```', '');
  return lines.join('\n');
}

function modelOf(text: string, languageId = 'markdown', layout: 'numerator' | 'denominator' | 'mixed' = 'numerator'): PanelModel {
  const m = buildPanelModel({ text, languageId, uri: 'file:///net.md', version: 1, layout, offset: text.indexOf('d/dW1') });
  assert.ok(!('empty' in m), JSON.stringify(m));
  return m;
}

function apply(text: string, ins: ReturnType<typeof insertionFor>): string {
  assert.ok(!('error' in ins), JSON.stringify(ins));
  return text.slice(0, ins.offset) + ins.text + text.slice(ins.offset);
}

const errorsOf = (text: string) => analyzeDocument(text, 'markdown', 'numerator', { claims: true }).diagnostics.map((d) => `${d.code}: ${d.message}`);

describe('named sub-expressions (where t₁ = …) in the panel, copy, insert and hover', function () {
  this.timeout(20_000);
  const note = networkNote(12);
  let model: PanelModel;
  before(() => {
    model = modelOf(note);
  });

  it('the panel model lists the bindings, innermost first, named as the forms refer to them', () => {
    assert.ok(model.where.length >= 2, `bindings: ${model.where.length}`);
    model.where.forEach((b, k) => {
      assert.equal(b.name.latex, `t_{${k + 1}}`);
      assert.equal(b.name.text, `t${[...String(k + 1)].map((d) => '₀₁₂₃₄₅₆₇₈₉'[+d]).join('')}`);
      assert.ok(b.matrix, 'the matrix form shown uses every binding');
      assert.match(b.index.lhs.text, new RegExp(`^${b.name.text}\\[[a-z]\\]$`), 'an activation vector has one index');
      assert.match(b.index.lhs.latex, new RegExp(`^\\[t_\\{${k + 1}\\}\\]_\\{[a-z]\\}$`));
    });
    // Each name is used by the result or by a later binding.
    model.where.forEach((b, k) => {
      const users = [model.matrix!.latex, ...model.where.slice(k + 1).map((l) => l.matrix!.latex)];
      assert.ok(users.some((u) => u.includes(b.name.latex)), `${b.name.text} is used`);
    });
    assert.deepEqual(modelOf(networkNote(2)).where, [], 'a shallow network has nothing worth naming');
  });

  it('the webview accepts the model and refuses malformed or oversized bindings', () => {
    assert.ok(parseToWebview({ type: 'update', model }));
    const broken = (where: unknown) => parseToWebview({ type: 'update', model: { ...model, where } });
    assert.equal(broken(undefined), null, 'where is required');
    assert.equal(broken('t1'), null);
    assert.equal(broken([{ ...model.where[0]!, name: 't_{1}' }]), null, 'name must be math text');
    assert.equal(broken([{ ...model.where[0]!, matrix: { latex: 1, text: '' } }]), null);
    assert.equal(broken([{ ...model.where[0]!, index: { lhs: model.where[0]!.index.lhs } }]), null);
    assert.ok(broken([{ ...model.where[0]!, matrix: null }]), 'a binding the matrix form does not use');
    assert.equal(broken(Array(MAX_BINDINGS + 1).fill(model.where[0])), null);
  });

  it('Copy LaTeX gives the definitions and the equation, which read back in $$ … $$ and check as a claim', () => {
    const copied = copyLatex(model);
    assert.match(copied, /^\\begin\{aligned\}\nt_\{1\} &= /);
    assert.match(copied, /\\\\\n\\frac\{\\partial loss\}\{\\partial W1\} &= /);
    assert.deepEqual(errorsOf(`${note}\n$$\n${copied}\n$$\n`), []);
    // The claim is really checked: a wrong factor is reported.
    const wrong = copied.replace(/&= 2 \\mathbf\{x\}/, '&= 3 \\mathbf{x}');
    assert.notEqual(wrong, copied);
    const flagged = errorsOf(`${note}\n$$\n${wrong}\n$$\n`);
    assert.ok(flagged.some((e) => e.startsWith('claim-false: This does not equal the left side')), flagged.join('\n'));
  });

  it('Insert below adds the same block after the fence, and the note stays clean', () => {
    const out = apply(note, insertionFor(note, 'markdown', model));
    assert.ok(out.includes(`\`\`\`\n\n$$\n${copyLatex(model)}\n$$`), out.slice(note.indexOf('d/dW1')));
    assert.deepEqual(errorsOf(out), []);
  });

  it('Insert below in TypeScript writes the result, then one "where" comment line per binding', () => {
    const ts = ['function f() {', `  // @tensor ${networkNote(12).split('\n').slice(3, -2).join('; ')}`, '  return 0;', '}'].join('\n');
    const m = buildPanelModel({ text: ts, languageId: 'typescript', uri: 'file:///net.ts', version: 1, layout: 'numerator', offset: ts.indexOf('d/dW1') });
    assert.ok(!('empty' in m), JSON.stringify(m));
    assert.ok(m.where.length >= 2);
    const lines = apply(ts, insertionFor(ts, 'typescript', m)).split('\n');
    assert.match(lines[2]!, /^ {2}\/\/ = 2 x /);
    assert.equal(lines[3], `  //   where t₁ = ${m.where[0]!.matrix!.text}`);
    assert.equal(lines[4], `  //         t₂ = ${m.where[1]!.matrix!.text}`);
    assert.equal(lines.length, 5 + m.where.length, 'the function body follows unchanged');
  });

  it('the panel shows "where" under the matrix form and under the index form', () => {
    const env = createDom();
    try {
      const app = new PanelApp(env.root, new FakeVsCodeApi());
      app.receive(update(model));
      for (const id of ['matrix', 'index']) {
        const where = env.document.querySelector(`#${id} .where`);
        assert.ok(where, `#${id} has a where block`);
        assert.equal(where.getAttribute('aria-label'), 'where');
        assert.equal(where.querySelectorAll('.katex-display').length, model.where.length);
      }
      const first = env.document.querySelector('#matrix .where annotation')!.textContent!;
      assert.equal(first, `t_{1} = ${model.where[0]!.matrix!.latex}`);
      // A binding the matrix form does not use is listed only under the index form.
      app.receive(update(sampleModel({ where: [{ ...model.where[0]!, matrix: null }] })));
      assert.equal(env.document.querySelector('#matrix .where'), null);
      assert.equal(env.document.querySelectorAll('#index .where .katex-display').length, 1);
      app.receive(update(sampleModel()));
      assert.equal(env.document.querySelector('.where'), null, 'no bindings, no where block');
    } finally {
      env.close();
    }
  });

  it('a hover lists the first bindings under the result and says how many more there are', () => {
    const hoverText = (text: string) => {
      const doc = analyzeDocument(text, 'markdown', 'numerator', { claims: false });
      const target = hoverAt(doc, text.indexOf('d/dW1') + 1)!;
      assert.ok(target.derivative);
      return hoverMarkdown(target, 'numerator', derivativeInfo(target.analysis, target.request!, { check: false }));
    };
    const eightLayers = networkNote(8);
    const eight = hoverText(eightLayers).split('\n');
    const bindings = modelOf(eightLayers).where;
    assert.equal(bindings.length, 7, 'σ(W₂ σ(W₁ x)) … σ(W₈ …): one name per activation from the second on');
    const where = eight.findIndex((l) => l.startsWith('where t₁ = '));
    assert.ok(where > 0, eight.join('\n'));
    assert.equal(eight[where - 1]!.startsWith('= 2 x '), true, 'the bindings follow the result in its code block');
    assert.equal(eight[where + 1], `      t₂ = ${bindings[1]!.matrix!.text}`);
    assert.equal(eight[where + 7], '```', 'all 7 listed, nothing more to say');

    const deep = hoverText(networkNote(40)).split('\n');
    const listed = deep.filter((l) => /^(where| {5}) t[₀-₉]+ = /.test(l));
    assert.equal(listed.length, HOVER_BINDINGS);
    assert.ok(deep.some((l) => /^ {6}… \d+ more \(Show Derivative lists them all\)$/.test(l)), deep.join('\n'));
    assert.ok(!hoverText(networkNote(2)).includes('where'), 'no bindings, no where');
  });
});
