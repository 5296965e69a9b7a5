/**
 * Challenged ballots on the staff pages (election challenges.ts): the secretary gives a challenged
 * code (shown once) and sees their local's challenges; the admin, for the officials, rules on each
 * challenged ballot of a closed vote. Each is the challenges API's own call; its errors are linked
 * to the field they concern.
 */
import { $, api, el, showRefusal } from './staff-api.ts';

interface Challenge { id: string; localId: string; reason: string; name?: string; memberNumber?: string | null; cast: boolean | null; ruling: 'accepted' | 'rejected' | null; rulingReason: string | null }

const RULING_WORDS = { accepted: 'Accepted: counted with its local', rejected: 'Rejected: never counted' } as const;

function state(c: Challenge): string {
  if (c.ruling) return `${RULING_WORDS[c.ruling]} (${c.rulingReason})`;
  if (c.cast === null) return 'Not shown: this vote\'s turnout setting does not show you who voted';
  return c.cast ? 'Ballot cast, set aside until the ruling' : 'No ballot cast yet';
}

/** The secretary's page: give a challenged code in the selected local and vote; list the local's challenges. */
export function secretaryChallenges(voteId: () => string, localId: () => string): { load(): Promise<void> } {
  const form = $<HTMLFormElement>('challenge-form');
  const inputs = { name: 'c-name', memberNumber: 'c-number', reason: 'c-reason' };

  async function load(): Promise<void> {
    const list = $('challenge-list');
    list.replaceChildren();
    if (!voteId()) return;
    const r = await api<{ challenges: Challenge[] }>('GET', `/votes/${encodeURIComponent(voteId())}/challenges`);
    const mine = (r.body.challenges ?? []).filter((c) => c.localId === localId());
    if (!mine.length) return;
    const table = el('table', undefined, { class: 'cards' });
    table.append(el('caption', `Challenged codes in local ${localId()} (${mine.length})`));
    const head = el('tr');
    for (const h of ['Challenge', 'Member', 'Reason', 'Where it stands']) head.append(el('th', h, { scope: 'col', class: 'left' }));
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    table.append(thead, tbody);
    for (const c of mine) {
      const tr = el('tr');
      tr.append(el('th', c.id, { scope: 'row' }), el('td', `${c.name ?? ''}${c.memberNumber ? ` (${c.memberNumber})` : ''}`, { class: 'left', 'data-label': 'Member' }),
        el('td', c.reason, { class: 'left', 'data-label': 'Reason' }), el('td', state(c), { class: 'left', 'data-label': 'Where it stands' }));
      tbody.append(tr);
    }
    list.append(table);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    const errors = $('challenge-errors');
    const out = $('challenge-result');
    errors.replaceChildren();
    out.replaceChildren();
    if (!voteId()) return showRefusal(errors, 'No challenged code was given', { status: 0, body: { error: { message: 'choose a vote first' } } }, {}, 'This');
    const body = { name: $<HTMLInputElement>('c-name').value, memberNumber: $<HTMLInputElement>('c-number').value, reason: $<HTMLInputElement>('c-reason').value };
    const r = await api<{ challenge: Challenge; code: string; link: string }>('POST', `/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/challenges`, body);
    if (r.status !== 201) return showRefusal(errors, 'No challenged code was given', r, inputs, 'This');
    form.reset();
    const box = el('div', undefined, { class: 'success' });
    box.append(
      el('p', `Challenged code ${r.body.challenge.id} for ${r.body.challenge.name}. Give it to them now: it is shown only this once. Their ballot will be set aside until the officials rule.`),
      el('p', r.body.code, { class: 'code', id: 'challenge-code' }),
      el('p', 'Their voting link (the same code, for a phone):'),
      el('a', r.body.link, { href: r.body.link, id: 'challenge-link' }),
    );
    out.replaceChildren(box);
    await load();
  });
  return { load };
}

/** The admin's page: rule on the challenged ballots of a closed vote. */
export async function adminRulings(): Promise<void> {
  const select = $<HTMLSelectElement>('rulings-vote');
  const votes = ((await api<{ votes: { id: string; title: string; status: string }[] }>('GET', '/votes')).body.votes ?? []).filter((v) => v.status !== 'draft');
  for (const v of votes) select.append(el('option', `${v.title} (${v.status})`, { value: v.id }));
  const closed = votes.find((v) => v.status === 'closed');
  if (closed) select.value = closed.id;

  async function load(): Promise<void> {
    const where = $('rulings');
    where.replaceChildren();
    if (!select.value) return void ($('rulings-status').textContent = 'No vote has been sealed yet.');
    const r = await api<{ status: string; challenges: Challenge[] }>('GET', `/votes/${encodeURIComponent(select.value)}/challenges`);
    const list = r.body.challenges ?? [];
    const open = list.filter((c) => c.cast && !c.ruling).length;
    $('rulings-status').textContent = !list.length ? 'No challenged code was given in this vote.'
      : r.body.status === 'closed' ? `${open} challenged ballot${open === 1 ? '' : 's'} to rule on.`
        : r.body.status === 'tallied' ? 'The vote is tallied: its rulings are final.'
          : 'Rulings are made once the vote has closed.';
    for (const c of list) where.append(card(c, r.body.status === 'closed'));
  }

  function card(c: Challenge, canRule: boolean): HTMLElement {
    const section = el('section', undefined, { class: 'card', 'aria-labelledby': `ch-${c.id}` });
    section.append(el('h3', `${c.id}, local ${c.localId}: ${c.name ?? ''}${c.memberNumber ? ` (${c.memberNumber})` : ''}`, { id: `ch-${c.id}` }));
    section.append(el('p', `Reason given: ${c.reason}`), el('p', state(c), { id: `ch-${c.id}-state` }));
    if (!canRule || !c.cast || c.ruling) return section;
    const form = el('form', undefined, { novalidate: '' });
    const fieldset = el('fieldset');
    fieldset.append(el('legend', `Ruling on ${c.id}`));
    for (const [value, words] of [['accepted', 'Accept: count it with local ' + c.localId], ['rejected', 'Reject: never count it']] as const) {
      const id = `ch-${c.id}-${value}`;
      const input = el('input', undefined, { type: 'radio', name: 'ruling', value, id });
      const label = el('label', words, { for: id });
      fieldset.append(el('div'));
      fieldset.lastElementChild!.append(input, ' ', label);
    }
    fieldset.id = `ch-${c.id}-ruling`;
    const reasonId = `ch-${c.id}-reason`;
    form.append(fieldset, el('label', 'Reason for the ruling (published)', { for: reasonId }), el('input', undefined, { id: reasonId, type: 'text', autocomplete: 'off' }));
    const errors = el('div', undefined, { role: 'alert' });
    form.append(errors, el('p'));
    form.lastElementChild!.append(el('button', 'Record the ruling', { type: 'submit' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
      const ruling = form.querySelector<HTMLInputElement>('input[name="ruling"]:checked')?.value;
      const reason = $<HTMLInputElement>(reasonId).value;
      const r = await api('POST', `/votes/${encodeURIComponent(select.value)}/challenges/${c.id}/ruling`, { ruling, reason });
      if (r.status !== 200) return showRefusal(errors, 'The ruling was not recorded', r, { ruling: fieldset.id, reason: reasonId }, 'This');
      await load();
      $('rulings-status').textContent = `${c.id} ${ruling}. The ruling is recorded and signed in the vote's acts.`;
    });
    section.append(form);
    return section;
  }

  select.addEventListener('change', () => void load());
  await load();
}
