/**
 * Paper and mail ballots on the secretary's page (election paper.ts). The secretary lists the member
 * numbers of those who voted on paper and checks the list: the page says how many ballots to count,
 * which to set aside unopened and why, and which numbers are no eligible member. The tellers count the
 * ballots to count; the secretary enters, per question put to the local, yes, no, blank and spoiled,
 * and records the count (the signed act `paper ballots counted`). Each is the paper API's own call,
 * its errors linked to the input they concern; the local's recorded counts are listed below.
 */
import { whenInWords } from '@union-vote/election/language';
import { $, api, el, showRefusal } from './staff-api.ts';
import { PAPER_BATCH_MINIMUM } from '@union-vote/election/paper';

export interface PaperVote { id: string; status: string; definition?: { timeZone?: string; questions?: { id: string; text: string; locals: string[] }[] } }

const FIELDS = [['yes', 'Yes'], ['no', 'No'], ['blank', 'Blank'], ['spoiled', 'Spoiled']] as const;
type Field = (typeof FIELDS)[number][0];
interface Batch { batch: number; counts: Record<string, Record<Field, number>>; recordedAt: string; counted: string[]; setAside: { memberNumber: string; reason: string }[] }

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Member numbers as typed or pasted: one per line, or separated by commas, semicolons or tabs. */
export const paperNumbers = (text: string) => text.split(/[\n\r,;\t]+/).map((n) => n.trim()).filter(Boolean);

/** A typed count as the API takes it: a whole number, else what was typed (refused by name), else nothing. */
const countOf = (typed: string) => (/^\s*\d+\s*$/.test(typed) ? Number(typed) : typed.trim() === '' ? undefined : typed);

export function secretaryPaper(vote: () => PaperVote | undefined, localId: () => string): { load(): Promise<void> } {
  const form = $<HTMLFormElement>('paper-form');
  const numbers = $<HTMLTextAreaElement>('paper-members');
  const base = () => `/votes/${encodeURIComponent(vote()?.id ?? '')}/locals/${encodeURIComponent(localId())}/paper`;
  const questions = () => (vote()?.definition?.questions ?? []).filter((q) => q.locals.includes(localId()));
  const fieldId = (q: string, f: Field) => `paper-${q}-${f}`;

  /** One fieldset per question put to the local, each with its four counts. */
  function countInputs(): void {
    const where = $('paper-counts');
    where.replaceChildren();
    for (const q of questions()) {
      const fieldset = el('fieldset', undefined, { id: `paper-q-${q.id}` });
      fieldset.append(el('legend', `Count for: ${q.text}`));
      const row = el('div', undefined, { class: 'row' });
      for (const [f, words] of FIELDS) {
        const cell = el('div');
        const label = el('label', words, { for: fieldId(q.id, f) });
        // Read with the error list and by screen readers: which question the count is for.
        label.append(el('span', ` (${q.text})`, { class: 'sr-only' }));
        cell.append(label, el('input', undefined, { id: fieldId(q.id, f), type: 'text', inputmode: 'numeric', autocomplete: 'off', size: '6' }));
        row.append(cell);
      }
      fieldset.append(row);
      where.append(fieldset);
    }
  }

  /** Where each API field is typed: the numbers, a question's counts, one count. */
  function inputs(): Record<string, string> {
    const ids: Record<string, string> = { members: 'paper-members', smallBatch: 'paper-small' };
    for (const q of questions()) {
      ids[`counts.${q.id}`] = `paper-q-${q.id}`;
      for (const [f] of FIELDS) ids[`counts.${q.id}.${f}`] = fieldId(q.id, f);
    }
    return ids;
  }

  function reasons(title: string, list: { memberNumber: string; reason: string }[]): HTMLElement {
    const box = el('div');
    box.append(el('p', title));
    const ul = el('ul');
    for (const s of list) ul.append(el('li', `${s.memberNumber}: ${s.reason}`));
    box.append(ul);
    return box;
  }

  function clear(): void {
    for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    $('paper-errors').replaceChildren();
    $('paper-result').replaceChildren();
  }

  $('paper-check').addEventListener('click', async () => {
    clear();
    const out = $('paper-check-result');
    out.replaceChildren();
    if (!vote()) return showRefusal($('paper-errors'), 'The list was not checked', { status: 0, body: { error: { message: 'choose a vote first' } } }, {}, 'This');
    const r = await api<{ counted: string[]; setAside: { memberNumber: string; reason: string }[]; unknown: { memberNumber: string; reason: string }[] }>('POST', `${base()}/check`, { members: paperNumbers(numbers.value) });
    if (r.status !== 200) return showRefusal($('paper-errors'), 'The list was not checked', r, inputs(), 'The list');
    const box = el('div', undefined, { class: r.body.unknown.length ? 'alert' : 'notice' });
    box.append(el('p', `${plural(r.body.counted.length, 'paper ballot is', 'paper ballots are')} to be counted.`));
    if (r.body.counted.length > 0 && r.body.counted.length < PAPER_BATCH_MINIMUM) {
      box.append(el('p', `A count of fewer than ${PAPER_BATCH_MINIMUM} shows how its voters voted to anyone who reads it later: if more paper ballots are coming, count these with them.`));
    }
    if (r.body.setAside.length) box.append(reasons(`Set aside, unopened (${r.body.setAside.length}):`, r.body.setAside));
    if (r.body.unknown.length) box.append(reasons(`Not an eligible member of this local: fix these before recording (${r.body.unknown.length}):`, r.body.unknown));
    out.append(box);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear();
    if (!vote()) return showRefusal($('paper-errors'), 'The count was not recorded', { status: 0, body: { error: { message: 'choose a vote first' } } }, {}, 'This');
    const counts: Record<string, Partial<Record<Field, unknown>>> = {};
    for (const q of questions()) counts[q.id] = Object.fromEntries(FIELDS.map(([f]) => [f, countOf($<HTMLInputElement>(fieldId(q.id, f)).value)]));
    const smallBatch = $<HTMLInputElement>('paper-small').checked;
    const r = await api<{ batch: number; counted: string[]; setAside: { memberNumber: string; reason: string }[] }>('POST', base(), { members: paperNumbers(numbers.value), counts, smallBatch });
    if (r.status !== 201) return showRefusal($('paper-errors'), 'The count was not recorded', r, inputs(), 'The count');
    form.reset();
    $('paper-check-result').replaceChildren();
    const box = el('div', undefined, { class: 'success' });
    box.append(el('p', `Count ${r.body.batch} recorded and signed in the vote's acts: ${plural(r.body.counted.length, 'paper ballot', 'paper ballots')} counted. These members can no longer vote online.`));
    if (r.body.setAside.length) box.append(reasons(`Set aside, unopened: keep them in their envelopes (${r.body.setAside.length}):`, r.body.setAside));
    $('paper-result').replaceChildren(box);
    await listCounts();
  });

  async function listCounts(): Promise<void> {
    const list = $('paper-list');
    list.replaceChildren();
    const r = await api<{ batches: Batch[] }>('GET', base());
    const batches = r.body.batches ?? [];
    if (!batches.length) return;
    const table = el('table', undefined, { class: 'cards' });
    table.append(el('caption', `Paper counts recorded in local ${localId()} (${batches.length})`));
    const heads = ['Count', 'Recorded', 'Ballots counted', 'Set aside, unopened', 'Per question'];
    const head = el('tr');
    for (const h of heads) head.append(el('th', h, { scope: 'col', class: 'left' }));
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    for (const b of batches) {
      const tr = el('tr');
      const perQuestion = questions().map((q) => {
        const c = b.counts[q.id];
        return c ? `${q.text} — ${FIELDS.map(([f, words]) => `${words.toLowerCase()} ${c[f]}`).join(', ')}` : '';
      }).filter(Boolean).join('; ');
      tr.append(
        el('th', String(b.batch), { scope: 'row' }),
        el('td', whenInWords(b.recordedAt, vote()?.definition?.timeZone), { class: 'left', 'data-label': heads[1]! }),
        el('td', b.counted.length.toLocaleString('en-US'), { class: 'left', 'data-label': heads[2]! }),
        el('td', b.setAside.length ? b.setAside.map((s) => `${s.memberNumber} (${s.reason})`).join(', ') : 'none', { class: 'left', 'data-label': heads[3]! }),
        el('td', perQuestion, { class: 'left', 'data-label': heads[4]! }),
      );
      tbody.append(tr);
    }
    table.append(thead, tbody);
    list.append(table);
  }

  async function load(): Promise<void> {
    clear();
    $('paper-check-result').replaceChildren();
    $('paper-list').replaceChildren();
    const v = vote();
    $('paper-section').hidden = !v || v.status === 'draft';
    if (!v || v.status === 'draft') return;
    countInputs();
    await listCounts();
  }
  return { load };
}
