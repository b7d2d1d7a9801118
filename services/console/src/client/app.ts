import { ApiError, session } from './api.js';
import { errorBox, h } from './dom.js';
import type { Page, PageContext } from './page.js';
import { boardPage } from './pages/board.page.js';
import { deadLetterListPage, deadLettersPage } from './pages/dead-letters.page.js';
import { orderPage } from './pages/order.page.js';
import { skuPage } from './pages/sku.page.js';

const ROUTES: [RegExp, Page][] = [
  [/^\/board$/, boardPage],
  [/^\/skus\/([^/]+)$/, skuPage],
  [/^\/orders\/([^/]+)$/, orderPage],
  [/^\/dead-letters$/, deadLettersPage],
  [/^\/dead-letters\/([^/]+)\/([^/]+)$/, deadLetterListPage],
];

const main = document.getElementById('main')!;
let generation = 0;
let timer: number | undefined;

function currentRoute(): string {
  const route = location.hash.replace(/^#/, '');
  return route === '' || route === '/' ? '/board' : route;
}

/** The sign-in form; `reason` says why it is shown (a refused token, a missing scope). */
function signIn(reason: string | null, then: string): Node {
  const input = h('textarea', { id: 'token', name: 'token', rows: 4, cols: 80, required: true, spellcheck: 'false', autocomplete: 'off', placeholder: 'eyJhbGciOi...' });
  const form = h(
    'form',
    { id: 'sign-in' },
    h('h2', {}, 'Sign in'),
    reason ? h('p', { class: 'error', id: 'sign-in-error', role: 'alert' }, reason) : null,
    h('label', { for: 'token' }, 'Bearer token (JWT) with the scopes the pages need: inventory:read, purchasing:read, orders:read, notifications:read, admin'),
    input,
    h('p', { class: 'note' }, 'Locally, npm start writes one to .local/dev-token. The token stays in this browser tab (sessionStorage) and is sent only to this console, which passes it to the services.'),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') return;
    session.signIn(token);
    updateHeader();
    if (currentRoute() === then) void render();
    else location.hash = `#${then}`;
  });
  return form;
}

function signInReason(error: ApiError): string | null {
  if (error.code === 'token-missing') return null;
  if (error.status === 403) return `Your token lacks a scope this page needs. ${error.message}`;
  return `The token was refused. ${error.message}`;
}

async function render(notice: string | null = null): Promise<void> {
  const mine = ++generation;
  window.clearInterval(timer);
  timer = undefined;
  const route = currentRoute();
  const found = ROUTES.map(([pattern, page]) => [pattern.exec(route), page] as const).find(([match]) => match !== null);
  if (!found) {
    main.replaceChildren(errorBox(`there is no page ${route}`));
    return;
  }
  const [match, page] = found;
  const params = match!.slice(1).map((p) => decodeURIComponent(p));
  if (session.token() === null) {
    main.replaceChildren(signIn(null, route));
    return;
  }
  if (main.childElementCount === 0) main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  main.setAttribute('aria-busy', 'true');
  const context: PageContext = {
    notice,
    every: (ms) => {
      if (mine === generation) timer = window.setInterval(() => void render(), ms);
    },
    refresh: (next) => void render(next ?? null),
  };
  try {
    const content = await page(params, context);
    if (mine === generation) main.replaceChildren(content);
  } catch (error) {
    if (mine !== generation) return;
    window.clearInterval(timer);
    if (error instanceof ApiError && error.isSignIn) main.replaceChildren(signIn(signInReason(error), route));
    else main.replaceChildren(errorBox(error instanceof Error ? error.message : String(error), () => void render()));
  } finally {
    if (mine === generation) main.removeAttribute('aria-busy');
  }
}

function updateHeader(): void {
  document.getElementById('sign-out')!.hidden = session.token() === null;
}

/** The services' health in the header: a glance tells which one is down. */
async function showStatus(): Promise<void> {
  const line = document.getElementById('service-status')!;
  try {
    const response = await fetch('/api/status');
    const { services } = (await response.json()) as { services: { service: string; url: string; status: 'up' | 'down'; detail: string | null }[] };
    line.replaceChildren(
      ...services.map((s) => h('span', { class: `service ${s.status}`, title: `${s.url}${s.detail ? `: ${s.detail}` : ''}`, 'data-service': s.service }, `${s.service} ${s.status}`)),
    );
  } catch (error) {
    line.replaceChildren(h('span', { class: 'service down' }, `the console does not answer (${(error as Error).message})`));
  }
}

document.getElementById('sign-out')!.addEventListener('click', () => {
  session.signOut();
  updateHeader();
  void render();
});
document.getElementById('order-lookup')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('order-lookup-id') as HTMLInputElement;
  const id = input.value.trim();
  if (id !== '') location.hash = `#/orders/${encodeURIComponent(id)}`;
});
window.addEventListener('hashchange', () => void render());
updateHeader();
void render();
void showStatus();
window.setInterval(() => void showStatus(), 15_000);
