// Tiny DOM builders. Text goes in through textContent only; nothing here ever
// parses a string as HTML.

export interface ElementOptions {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  options: ElementOptions = {},
  children: readonly Node[] = [],
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  if (options.className) el.className = options.className;
  if (options.text !== undefined) el.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) el.setAttribute(name, value);
  for (const c of children) el.appendChild(c);
  return el;
}

/** A section with a heading; returns the section (append content to it). */
export function section(doc: Document, id: string, title: string, className = ''): HTMLElement {
  const heading = h(doc, 'h2', { text: title, attrs: { id: `${id}-heading` } });
  return h(doc, 'section', { className: `section ${className}`.trim(), attrs: { id, 'aria-labelledby': heading.id } }, [heading]);
}
