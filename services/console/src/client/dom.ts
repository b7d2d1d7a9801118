// A small element builder: every value goes in as text (textContent) or as an attribute, never as markup.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attributes: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/** A table: a header row and one row per item. */
export function table(id: string, headers: string[], rows: HTMLTableRowElement[], empty = 'Nothing to show.'): HTMLElement {
  if (rows.length === 0) return h('p', { id, class: 'empty' }, empty);
  return h('table', { id }, h('thead', {}, h('tr', {}, ...headers.map((title) => h('th', { scope: 'col' }, title)))), h('tbody', {}, ...rows));
}

/** A link to a page of the console. */
export const link = (route: string, text: string, attributes: Attributes = {}) => h('a', { href: `#${route}`, ...attributes }, text);

/** An error box: what went wrong, in the console's or the service's words, and a way to try again. */
export function errorBox(message: string, retry?: () => void): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Could not load this page: '), message, retry ? h('button', { type: 'button', class: 'retry', onclick: () => retry() }, 'Try again') : null);
}
