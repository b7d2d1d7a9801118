import { api, ApiError } from '../api.js';
import { h, link, table } from '../dom.js';
import { exactly } from '../format.js';
import type { PageContext } from '../page.js';

import type { DeadLetter, DeadLetterListing as Listing, DeadLetterOverview as Overview, RedriveResult } from '../console-api.js';

const route = (service: string, topic: string) => `/dead-letters/${encodeURIComponent(service)}/${encodeURIComponent(topic)}`;

/** Every service's dead letters per topic it consumes. */
export async function deadLettersPage(_params: string[], _page: PageContext): Promise<Node> {
  const overview = await api<Overview>('GET', '/api/dead-letters');
  const rows = overview.services.flatMap((s) =>
    s.error !== null
      ? [h('tr', { class: 'failed', 'data-service': s.service }, h('td', {}, s.service), h('td', { colspan: 4 }, `cannot be read: ${s.error.message}`))]
      : s.topics.map((t) =>
          h(
            'tr',
            { 'data-service': s.service, 'data-topic': t.topic, class: t.notRedriven > 0 ? 'attention' : null },
            h('td', {}, s.service),
            h('td', {}, t.topic),
            h('td', { class: 'num', 'data-col': 'dead-letters' }, t.deadLetters),
            h('td', { class: 'num', 'data-col': 'not-redriven' }, t.notRedriven),
            h('td', {}, t.deadLetters > 0 ? link(route(s.service, t.topic), 'Open') : '—'),
          ),
        ),
  );
  return h(
    'section',
    { id: 'dead-letters' },
    h('h2', {}, 'Dead letters'),
    h(
      'p',
      { class: 'summary', id: 'dead-letter-totals' },
      `${overview.deadLetters} dead letter(s), ${overview.notRedriven} not re-driven. `,
      h('small', {}, 'A dead letter belongs to the service whose consumer could not take it; a re-drive sends it back to its source topic for that service only.'),
    ),
    table('dead-letter-topics', ['Service', 'Topic', 'Dead letters', 'Not re-driven', ''], rows),
  );
}

/** The record's own headers (the service shows its x-dlq-* ones as the reason, source, time and attempts). */
function headersOf(d: DeadLetter): HTMLElement | string {
  const entries = Object.entries(d.headers);
  if (entries.length === 0) return 'none';
  return h(
    'details',
    {},
    h('summary', {}, `${entries.length} header(s)`),
    h('dl', { class: 'headers' }, ...entries.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])),
  );
}

function valueOf(d: DeadLetter): HTMLElement | string {
  if (d.value === null) return 'no value';
  return h('details', {}, h('summary', {}, d.valueEncoding === 'base64' ? 'value (base64)' : 'value'), h('pre', {}, d.value));
}

const redriveSummary = (r: RedriveResult) =>
  `Re-driven ${r.redriven.length}${r.redriven.length ? ` (${r.redriven.join(', ')})` : ''}; already re-driven ${r.alreadyRedriven.length}; not found ${r.notFound.length}${r.notFound.length ? ` (${r.notFound.join(', ')})` : ''}.`;

/** One service's dead letters of one topic, with their reasons and headers, and their re-drive (one, or all). */
export async function deadLetterListPage([service, topic]: string[], page: PageContext): Promise<Node> {
  const s = service ?? '';
  const t = topic ?? '';
  const listing = await api<Listing>('GET', `/api/dead-letters/${encodeURIComponent(s)}/${encodeURIComponent(t)}?limit=1000`);
  const redrive = async (button: HTMLButtonElement, offsets?: string[]) => {
    button.disabled = true;
    try {
      const result = await api<RedriveResult>('POST', `/api/dead-letters/${encodeURIComponent(s)}/${encodeURIComponent(t)}/redrive`, offsets ? { offsets } : {});
      page.refresh(redriveSummary(result));
    } catch (error) {
      page.refresh(`Re-drive failed: ${error instanceof ApiError ? error.message : String(error)}`);
    }
  };
  const rows = listing.deadLetters.map((d) => {
    const name = `${d.partition}:${d.offset}`;
    const button = h('button', { type: 'button', class: 'redrive', disabled: d.redrivenAt !== null }, 'Re-drive');
    button.addEventListener('click', () => void redrive(button, [name]));
    return h(
      'tr',
      { 'data-offset': name, class: d.redrivenAt === null ? 'attention' : 'done' },
      h('td', {}, name),
      h('td', {}, d.type ?? '—', d.id ? h('small', {}, h('br'), d.id) : null),
      h('td', { 'data-col': 'reason' }, d.reason ?? '—'),
      h('td', {}, d.failedAt ? exactly(d.failedAt) : '—', d.attempts !== null ? h('small', {}, ` after ${d.attempts} attempt(s)`) : null),
      h('td', {}, d.sourceTopic ?? '—', d.sourceOffset !== null ? h('small', {}, ` ${d.sourcePartition ?? '?'}:${d.sourceOffset}`) : null),
      h('td', {}, headersOf(d)),
      h('td', {}, valueOf(d)),
      h('td', { 'data-col': 'redriven' }, d.redrivenAt === null ? 'not yet' : `re-driven ${exactly(d.redrivenAt)}`),
      h('td', {}, button),
    );
  });
  const waiting = listing.deadLetters.filter((d) => d.redrivenAt === null).length;
  const all = h('button', { type: 'button', id: 'redrive-all', disabled: waiting === 0 }, `Re-drive all not re-driven (${waiting})`);
  all.addEventListener('click', () => void redrive(all));
  return h(
    'section',
    { id: 'dead-letter-list' },
    h('p', {}, link('/dead-letters', '← Dead letters')),
    h('h2', {}, `${s}: dead letters of `, h('code', {}, listing.topic)),
    h('p', { class: 'summary' }, `${listing.total} dead letter(s) in ${listing.dlqTopic} written by ${listing.consumerGroup}; ${waiting} not re-driven. `, all),
    page.notice ? h('p', { class: 'notice', id: 'redrive-result', role: 'status' }, page.notice) : null,
    table('dead-letter-table', ['Offset', 'Type / id', 'Reason', 'Failed', 'Source', 'Headers', 'Value', 'Re-driven', ''], rows, 'No dead letters.'),
  );
}
