// The side panel's view rendered in happy-dom: accessibility of the layout
// switch, messages to the extension, KaTeX output, text never parsed as HTML,
// message validation, and summarised element tables.

import { strict as assert } from 'node:assert';
import { PanelApp, startPanel } from '../../../src/webview/app';
import { MAX_TYPESET_CELLS, summarise } from '../../../src/webview/elements-table';
import { BUDGET_MS, LazyTypesetter } from '../../../src/webview/lazy-math';
import { createDom, denseElements, FakeVsCodeApi, sampleModel, update, type DomEnv } from './helpers';

function radios(doc: Document): HTMLElement[] {
  return Array.from(doc.querySelectorAll<HTMLElement>('[role="radiogroup"] [role="radio"]'));
}

function accessibleName(doc: Document, el: Element): string {
  const ids = el.getAttribute('aria-labelledby');
  if (ids) return ids.split(/\s+/).map((id) => doc.getElementById(id)?.textContent ?? '').join(' ').trim();
  return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
}

function key(el: HTMLElement, name: string, env: DomEnv): void {
  el.dispatchEvent(new env.window.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }) as unknown as Event);
}

const setLayouts = (api: FakeVsCodeApi) =>
  api.posted.filter((m): m is { type: 'setLayout'; layout: string } => (m as { type: string }).type === 'setLayout').map((m) => m.layout);

describe('webview: side panel', () => {
  let env: DomEnv;
  let api: FakeVsCodeApi;
  let app: PanelApp;

  beforeEach(() => {
    env = createDom();
    api = new FakeVsCodeApi();
    app = new PanelApp(env.root, api);
  });
  afterEach(() => env.close());

  describe('layout convention radio group', () => {
    it('is a radiogroup named "Layout convention" with three radios, the model\'s layout checked', () => {
      assert.equal(app.receive(update(sampleModel({ layout: 'denominator' }))), true);
      const group = env.document.querySelectorAll('[role="radiogroup"]');
      assert.equal(group.length, 1);
      assert.equal(accessibleName(env.document, group[0]!), 'Layout convention');
      const rs = radios(env.document);
      assert.deepEqual(rs.map((r) => r.textContent), ['Numerator', 'Denominator', 'Mixed']);
      assert.deepEqual(rs.map((r) => r.getAttribute('aria-checked')), ['false', 'true', 'false']);
      // Roving tabindex: only the checked radio is in the tab order.
      assert.deepEqual(rs.map((r) => r.tabIndex), [-1, 0, -1]);
    });

    it('a click posts setLayout and checks the radio at once (optimistic)', () => {
      app.receive(update(sampleModel()));
      const [, denominator] = radios(env.document);
      denominator!.click();
      assert.deepEqual(setLayouts(api), ['denominator']);
      assert.equal(denominator!.getAttribute('aria-checked'), 'true');
      assert.deepEqual(api.states.at(-1), { uri: 'file:///notes/quadratic.md', offset: 120, layout: 'denominator' });
      // Clicking the checked radio again posts nothing.
      denominator!.click();
      assert.deepEqual(setLayouts(api), ['denominator']);
    });

    it('arrow keys move the selection (wrapping), Home/End jump, each posting setLayout', () => {
      app.receive(update(sampleModel()));
      const [numerator, denominator, mixed] = radios(env.document);
      key(numerator!, 'ArrowRight', env);
      assert.equal(denominator!.getAttribute('aria-checked'), 'true');
      assert.equal(env.document.activeElement, denominator);
      key(denominator!, 'ArrowDown', env);
      key(mixed!, 'ArrowRight', env); // wraps to numerator
      key(numerator!, 'ArrowLeft', env); // wraps to mixed
      key(mixed!, 'Home', env);
      key(numerator!, 'End', env);
      assert.deepEqual(setLayouts(api), ['denominator', 'mixed', 'numerator', 'mixed', 'numerator', 'mixed']);
      assert.deepEqual(radios(env.document).map((r) => r.tabIndex), [-1, -1, 0]);
    });

    it('keeps the optimistic choice over one stale update, then follows the extension', () => {
      app.receive(update(sampleModel()));
      radios(env.document)[2]!.click();
      // An update computed before the extension saw setLayout…
      app.receive(update(sampleModel({ layout: 'numerator' })));
      assert.equal(radios(env.document)[2]!.getAttribute('aria-checked'), 'true');
      // …then the confirmation.
      app.receive(update(sampleModel({ layout: 'mixed' })));
      assert.equal(radios(env.document)[2]!.getAttribute('aria-checked'), 'true');
      assert.equal(env.document.getElementById('content')!.hasAttribute('aria-busy'), false);
      // Later updates (e.g. the setting changed) are followed.
      app.receive(update(sampleModel({ layout: 'numerator' })));
      assert.equal(radios(env.document)[0]!.getAttribute('aria-checked'), 'true');
    });

    it('keeps keyboard focus on the radio across updates (the toolbar is not re-rendered)', () => {
      app.receive(update(sampleModel()));
      const [numerator] = radios(env.document);
      numerator!.focus();
      app.receive(update(sampleModel()));
      assert.equal(env.document.activeElement, numerator);
    });
  });

  describe('buttons', () => {
    it('are real buttons that post copyLatex and insertBelow, disabled without a result', () => {
      const copy = env.document.getElementById('copy-latex') as HTMLButtonElement;
      const insert = env.document.getElementById('insert-below') as HTMLButtonElement;
      assert.equal(copy.tagName, 'BUTTON');
      assert.equal(insert.tagName, 'BUTTON');
      assert.equal(copy.getAttribute('type'), 'button');
      assert.equal(copy.textContent, 'Copy LaTeX');
      assert.equal(insert.textContent, 'Insert below');
      assert.equal(copy.disabled, true);
      app.receive(update(sampleModel()));
      assert.equal(copy.disabled, false);
      copy.click();
      insert.click();
      assert.deepEqual(api.posted, [{ type: 'copyLatex' }, { type: 'insertBelow' }]);
      app.receive({ type: 'empty', message: 'No derivative here.' });
      assert.equal(copy.disabled, true);
      assert.equal(insert.disabled, true);
    });
  });

  describe('rendering', () => {
    it('typesets the request, declarations, matrix and index forms with KaTeX (HTML and MathML)', () => {
      app.receive(update(sampleModel()));
      const doc = env.document;
      for (const id of ['request', 'matrix', 'index']) {
        const section = doc.getElementById(id)!;
        assert.ok(section, `section #${id}`);
        assert.ok(section.querySelector('.katex-display .katex-html'), `#${id} has KaTeX HTML`);
        assert.ok(section.querySelector('.katex-mathml math'), `#${id} has MathML for screen readers`);
      }
      assert.equal(doc.querySelectorAll('.declarations li .katex').length, 2);
      // The index form is "lhs = rhs"; the MathML annotation keeps the LaTeX source.
      const annotation = doc.querySelector('#index annotation')!.textContent!;
      assert.match(annotation, /\\right\]_\{i\} = \\sum_\{j\}/);
      assert.equal(doc.querySelector('#matrix annotation')!.textContent, '\\mathbf{x}^\\top \\left(A + A^\\top\\right)');
    });

    it('shows a failed derivation as its messages, with nothing to copy or insert', () => {
      const failed = sampleModel({
        matrix: null,
        index: { lhs: { latex: '', text: '' }, rhs: { latex: '', text: '' } },
        check: null,
        elements: null,
        messages: ['det is not differentiable here'],
      });
      app.receive(update(failed));
      assert.equal(env.document.getElementById('index'), null);
      assert.equal(env.document.getElementById('matrix'), null);
      assert.equal(env.document.querySelector('.messages li')!.textContent, 'det is not differentiable here');
      assert.equal((env.document.getElementById('copy-latex') as HTMLButtonElement).disabled, true);
      assert.equal((env.document.getElementById('insert-below') as HTMLButtonElement).disabled, true);
    });

    it('does not re-typeset an identical model', () => {
      app.receive(update(sampleModel()));
      const first = env.document.querySelector('#matrix .katex');
      app.receive(update(sampleModel()));
      assert.equal(env.document.querySelector('#matrix .katex'), first);
      app.receive(update(sampleModel({ layout: 'mixed' })));
      assert.notEqual(env.document.querySelector('#matrix .katex'), first);
    });

    it('omits the matrix section when there is no matrix form', () => {
      app.receive(update(sampleModel({ matrix: null })));
      assert.equal(env.document.getElementById('matrix'), null);
      assert.ok(env.document.querySelector('#index .katex'));
    });

    it('shows the shape: tensor shape, matrix shape and description', () => {
      app.receive(update(sampleModel()));
      const dl = env.document.querySelector('#shape dl')!;
      const pairs = Array.from(dl.querySelectorAll('dt')).map((dt) => [dt.textContent, dt.nextElementSibling!.textContent]);
      assert.deepEqual(pairs, [
        ['Tensor shape', '(n)'],
        ['Matrix shape', '1×n'],
        ['Description', 'row vector (gradient as a row, numerator layout)'],
      ]);
      app.receive(update(sampleModel({ shape: { tensor: '(m, n, p)', matrix: null, description: '3-tensor' } })));
      assert.deepEqual(Array.from(env.document.querySelectorAll('#shape dt')).map((dt) => dt.textContent), ['Tensor shape', 'Description']);
    });

    it('shows the numeric check as a badge', () => {
      app.receive(update(sampleModel()));
      const badge = env.document.querySelector('.badge')!;
      assert.equal(badge.textContent, '✓ matches finite differences (max rel. error 3.1e-11, seed 1)');
      assert.ok(badge.classList.contains('ok'));
      app.receive(update(sampleModel({ check: { ok: false, maxRelError: 0.25, seed: 7 } })));
      assert.equal(env.document.querySelector('.badge')!.textContent, '⚠ differs from finite differences (max rel. error 2.5e-1, seed 7)');
      assert.ok(env.document.querySelector('.badge')!.classList.contains('warn'));
      app.receive(update(sampleModel({ check: { error: 'sizes are symbolic' } })));
      assert.equal(env.document.querySelector('.badge')!.textContent, '⚠ numeric check did not run: sizes are symbolic');
      app.receive(update(sampleModel({ check: null })));
      assert.equal(env.document.querySelector('.badge'), null);
    });

    it('lists messages and shows the empty state', () => {
      app.receive(update(sampleModel({ messages: ['x is not declared', 'assuming n = 3'] })));
      assert.deepEqual(Array.from(env.document.querySelectorAll('.messages li')).map((li) => li.textContent), ['x is not declared', 'assuming n = 3']);
      app.receive({ type: 'empty', message: 'No derivative at the cursor.' });
      assert.equal(env.document.querySelector('#content')!.textContent, 'No derivative at the cursor.');
      assert.equal(env.document.querySelector('[role="status"]')!.textContent, 'No derivative at the cursor.');
    });

    it('renders text fields as text, never as HTML', () => {
      const evil = '<img src=x onerror=alert(1)>';
      app.receive(
        update(
          sampleModel({
            request: { latex: evil, text: evil },
            declarations: [{ name: evil, latex: `\\text{${evil}}`, text: evil }],
            matrix: { latex: `\\href{javascript:alert(1)}{x} ${evil}`, text: evil },
            shape: { tensor: evil, matrix: evil, description: evil },
            check: { error: evil },
            messages: [evil],
          }),
        ),
      );
      const doc = env.document;
      assert.equal(doc.querySelectorAll('img, script, iframe, a[href]').length, 0, 'no element was created from text');
      for (const el of Array.from(doc.querySelectorAll('*'))) {
        for (const attr of Array.from(el.attributes)) assert.doesNotMatch(attr.name, /^on/i, `event handler attribute on <${el.tagName}>`);
      }
      assert.equal(doc.querySelector('.messages li')!.textContent, evil);
      assert.equal(doc.querySelector('#shape dd')!.textContent, evil);
      assert.ok(doc.querySelector('.badge')!.textContent!.includes(evil));
      app.receive({ type: 'empty', message: evil });
      assert.equal(doc.querySelectorAll('img').length, 0);
      assert.equal(doc.querySelector('.empty')!.textContent, evil);
    });
  });

  describe('message validation', () => {
    const invalid: [string, unknown][] = [
      ['null', null],
      ['a string', 'update'],
      ['an unknown type', { type: 'render', model: {} }],
      ['update without model', { type: 'update' }],
      ['empty without message', { type: 'empty' }],
      ['a model missing the index form', { type: 'update', model: { ...sampleModel(), index: undefined } }],
      ['a bad layout', { type: 'update', model: { ...sampleModel(), layout: 'sideways' } }],
      ['a non-string message', { type: 'update', model: { ...sampleModel(), messages: [{ html: '<b>' }] } }],
      ['a malformed check', { type: 'update', model: { ...sampleModel(), check: { ok: 'yes' } } }],
      ['elements with a bad position', { type: 'update', model: { ...sampleModel(), elements: { dims: [2], entries: [{ position: [3], partial: { latex: '', text: '' }, value: { latex: '', text: '' } }], truncated: false } } }],
      ['a source without offsets', { type: 'update', model: { ...sampleModel(), source: { uri: 'file:///a.md' } } }],
    ];
    for (const [what, message] of invalid) {
      it(`ignores ${what}`, () => {
        app.receive(update(sampleModel()));
        const before = env.document.getElementById('content')!.innerHTML;
        assert.equal(app.receive(message), false);
        assert.equal(env.document.getElementById('content')!.innerHTML, before);
        assert.equal(app.current?.source.uri, 'file:///notes/quadratic.md');
      });
    }
  });

  describe('state and lifecycle', () => {
    it('saves exactly { uri, offset, layout } and restores the layout from saved state', () => {
      app.receive(update(sampleModel({ layout: 'mixed' })));
      assert.deepEqual(api.states.at(-1), { uri: 'file:///notes/quadratic.md', offset: 120, layout: 'mixed' });
      env.root.textContent = '';
      const restored = new PanelApp(env.root, new FakeVsCodeApi({ uri: 'file:///a.md', offset: 4, layout: 'denominator' }));
      assert.ok(restored);
      assert.deepEqual(radios(env.document).map((r) => r.getAttribute('aria-checked')), ['false', 'true', 'false']);
    });

    it('startPanel posts ready and handles window message events', () => {
      env.root.textContent = '';
      const api2 = new FakeVsCodeApi();
      const started = startPanel(env.window as unknown as Window & typeof globalThis, api2);
      assert.deepEqual(api2.posted, [{ type: 'ready' }]);
      env.window.dispatchEvent(new env.window.MessageEvent('message', { data: update(sampleModel({ layout: 'mixed' })) }));
      assert.equal(started.current?.layout, 'mixed');
      env.window.dispatchEvent(new env.window.MessageEvent('message', { data: { type: 'update', model: 42 } }));
      assert.equal(started.current?.layout, 'mixed');
    });
  });

  describe('elements table', () => {
    it('typesets every partial of a small result', () => {
      app.receive(update(sampleModel({ elements: denseElements([2, 3]), shape: { tensor: '(2, 3)', matrix: '2×3', description: 'matrix' } })));
      const table = env.document.querySelector('#elements table')!;
      assert.equal(table.querySelectorAll('tbody tr').length, 2);
      assert.equal(table.querySelectorAll('td.entry .katex').length, 6);
      assert.equal(table.querySelectorAll('.ellipsis').length, 0);
      assert.equal(env.document.querySelector('#elements .note'), null);
    });

    it('lays out a row vector as a row and a column vector as a column', () => {
      app.receive(update(sampleModel()));
      assert.equal(env.document.querySelectorAll('#elements tbody tr').length, 1);
      app.receive(update(sampleModel({ shape: { tensor: '(n)', matrix: 'n×1', description: 'column vector' } })));
      assert.equal(env.document.querySelectorAll('#elements tbody tr').length, 2);
    });

    /** Big tables with a counting stand-in for KaTeX (happy-dom makes real typesetting slow). */
    function countingApp(): { app: PanelApp; typeset: () => number } {
      let n = 0;
      env.root.textContent = '';
      const counted = new PanelApp(env.root, api, (el, math) => {
        n++;
        el.textContent = math.text;
      });
      return { app: counted, typeset: () => n };
    }

    it('summarises a large matrix like numpy and never typesets more than the budget', () => {
      const { app, typeset } = countingApp();
      app.receive(update(sampleModel({ elements: denseElements([40, 40]), shape: { tensor: '(40, 40)', matrix: '40×40', description: 'matrix' } })));
      const section = env.document.getElementById('elements')!;
      assert.equal(section.querySelectorAll('td.entry').length, 36); // first 3 and last 3 of each axis
      assert.equal(typeset() - 5, 36, 'request, 2 declarations, matrix and index forms, then the cells');
      const headers = Array.from(section.querySelectorAll('thead th')).map((th) => th.textContent);
      assert.deepEqual(headers, ['1', '2', '3', '⋯', '38', '39', '40']);
      assert.ok(section.querySelector('td.ellipsis'));
      assert.equal(section.querySelector('.note')!.textContent, 'Showing 36 of 1600 entries.');
    });

    it('summarises higher-rank results slice by slice within the budget', () => {
      const { app } = countingApp();
      app.receive(update(sampleModel({ elements: denseElements([8, 8, 8]), shape: { tensor: '(8, 8, 8)', matrix: null, description: '3-tensor' } })));
      const section = env.document.getElementById('elements')!;
      const tables = section.querySelectorAll('table');
      assert.equal(tables.length, 6);
      assert.equal(tables[0]!.querySelector('caption')!.textContent, 'Entries [1, :, :] of 8×8×8');
      assert.equal(section.querySelectorAll('.slice-ellipsis').length, 1);
      assert.equal(section.querySelectorAll('td.entry').length, 6 * 36);
      assert.ok(section.querySelectorAll('td.entry').length <= MAX_TYPESET_CELLS);
    });

    it('shows all of a mid-sized result up to the budget', () => {
      const { app, typeset } = countingApp();
      app.receive(update(sampleModel({ elements: denseElements([15, 20]), shape: { tensor: '(15, 20)', matrix: '15×20', description: 'matrix' } })));
      assert.equal(env.document.querySelectorAll('#elements td.entry').length, 300);
      assert.equal(typeset() - 5, MAX_TYPESET_CELLS);
      assert.equal(env.document.querySelectorAll('#elements .ellipsis').length, 0);
    });

    /**
     * A window whose IntersectionObserver reports what the test says is visible, and whose
     * animation frames run when the test says (happy-dom's observer never reports).
     */
    function lazyWindow() {
      const observers: { callback: IntersectionObserverCallback; targets: Set<Element> }[] = [];
      const frames: FrameRequestCallback[] = [];
      class FakeObserver {
        private readonly own: { callback: IntersectionObserverCallback; targets: Set<Element> };
        constructor(callback: IntersectionObserverCallback) {
          this.own = { callback, targets: new Set() };
          observers.push(this.own);
        }
        observe(el: Element) {
          this.own.targets.add(el);
        }
        unobserve(el: Element) {
          this.own.targets.delete(el);
        }
        disconnect() {
          this.own.targets.clear();
        }
      }
      const win = {
        IntersectionObserver: FakeObserver,
        requestAnimationFrame: (f: FrameRequestCallback) => frames.push(f),
        cancelAnimationFrame: (id: number) => {
          frames[id - 1] = () => {};
        },
        performance,
      } as unknown as Window & typeof globalThis;
      return {
        win,
        /** Reports the elements matching `visible` as intersecting (as the browser does after a layout). */
        show(visible: (el: Element) => boolean) {
          for (const o of observers) {
            const entries = [...o.targets].filter(visible).map((target) => ({ target, isIntersecting: true }) as unknown as IntersectionObserverEntry);
            if (entries.length) o.callback(entries, o as unknown as IntersectionObserver);
          }
        },
        /** Runs the animation frames requested so far; returns how many ran. */
        frame() {
          const run = frames.splice(0);
          run.forEach((f) => f(0));
          return run.length;
        },
      };
    }

    it('a big table shows each entry as text at once and typesets it when it comes into view, a frame budget at a time', () => {
      const lazy = lazyWindow();
      let n = 0;
      env.root.textContent = '';
      const cells = new LazyTypesetter(lazy.win);
      const lazyApp = new PanelApp(env.root, api, (el, math) => {
        n++;
        // A slow formula: 3 ms each, so a frame (BUDGET_MS) typesets only a few.
        const until = performance.now() + 3;
        while (performance.now() < until);
        el.textContent = `typeset ${math.text}`;
      }, cells);
      lazyApp.receive(update(sampleModel({ elements: denseElements([16, 16]), shape: { tensor: '(16, 16)', matrix: '16×16', description: 'matrix' } })));
      const shownAtOnce = n;
      const entries = Array.from(env.document.querySelectorAll<HTMLElement>('#elements td.entry .math'));
      assert.equal(entries.length, 256);
      assert.ok(entries.every((e) => e.classList.contains('typesetting') && /∂/.test(e.textContent ?? '')), 'every entry readable as text');
      assert.equal(cells.pending, 256);
      // The first two rows come into view: only they are typeset, over a few frames.
      const firstRows = new Set(entries.slice(0, 32));
      lazy.show((el) => firstRows.has(el as HTMLElement));
      assert.equal(n, shownAtOnce, 'nothing typeset inside the observer callback');
      let frames = 0;
      while (lazy.frame() > 0) frames++;
      assert.equal(n - shownAtOnce, 32);
      assert.ok(frames >= 32 * 3 / BUDGET_MS - 1, `spread over frames (${frames})`);
      assert.ok(entries.slice(0, 32).every((e) => !e.classList.contains('typesetting') && e.textContent!.startsWith('typeset ')));
      assert.ok(entries.slice(32).every((e) => e.classList.contains('typesetting')));
      // A new model replaces the table: the old cells are never typeset.
      lazyApp.receive(update(sampleModel({ elements: denseElements([2, 2]), shape: { tensor: '(2, 2)', matrix: '2×2', description: 'matrix' } })));
      const before = n;
      lazy.show(() => true);
      while (lazy.frame() > 0);
      assert.equal(n - before, 4, 'only the new table\'s four cells');
      assert.equal(cells.pending, 0);
    });

    it('marks entries the model did not compute', () => {
      const elements = denseElements([2, 2]);
      app.receive(update(sampleModel({ elements: { ...elements, entries: elements.entries.slice(0, 3), truncated: true } })));
      assert.equal(env.document.querySelectorAll('#elements td.missing').length, 1);
      assert.equal(env.document.querySelector('#elements .note')!.textContent, 'Showing 3 of 4 entries. Some entries were not computed.');
    });

    it('summarise keeps the typeset cell count within the budget for any rank', () => {
      for (const dims of [[1000], [300, 300], [10, 10, 10, 10], [5, 5, 5, 5, 5], [4, 4, 4, 4, 4, 4, 4, 4]]) {
        const shown = summarise(dims).reduce((n, axis) => n * axis.filter((s) => s !== null).length, 1);
        assert.ok(shown <= MAX_TYPESET_CELLS, `${dims.join('×')} shows ${shown}`);
      }
    });
  });
});
