/**
 * The administrator's page: every vote with the step it is at (key ceremony, sealing, approvals,
 * opening, closing), the form that defines a vote, and the people (staff-people.ts).
 */
import { isTimeZone, zonedToIso } from '@union-vote/election/language';
import { $, api, el, signedIn, windowInWords, type VoteRow } from './staff-api.ts';
import { ownTokens, people } from './staff-people.ts';
import { adminRulings } from './staff-challenges.ts';

export async function admin(rules: Record<string, { label: string; rule: unknown }>): Promise<void> {
  const me = await signedIn();
  if (!me) return;
  const locals = (await api<{ locals: { id: string; name: string; delegates: number }[] }>('GET', '/locals')).body.locals ?? [];
  let trusteeFor = '';

  async function loadVotes(): Promise<void> {
    const votes = (await api<{ votes: VoteRow[] }>('GET', '/votes')).body.votes ?? [];
    const body = $('votes').querySelector('tbody')!;
    body.replaceChildren();
    for (const v of votes) {
      const tr = el('tr');
      const name = el('th', undefined, { scope: 'row', class: 'left', 'data-label': 'Vote' });
      name.append(v.status === 'draft' ? el('span', v.title) : el('a', v.title, { href: `/board/${encodeURIComponent(v.id)}` }), el('br'), el('code', v.id));
      const actions = el('td', undefined, { class: 'left', 'data-label': 'Actions' });
      const action = (label: string, run: () => Promise<void>) => {
        const b = el('button', label, { type: 'button', class: 'secondary' });
        b.addEventListener('click', () => void run());
        actions.append(b);
      };
      const kOfN = v.definition?.trustees;
      if (v.status === 'draft' && kOfN) {
        actions.append(await ceremonyState(v.id));
        action(`End the key ceremony of ${v.id} now`, () => ceremony(v, 'end'));
        action(`Start the key ceremony of ${v.id} again`, () => ceremony(v, 'restart'));
      } else if (v.status === 'draft') {
        action(`Register a trustee for ${v.id}`, async () => { trusteeFor = v.id; $('trustee-title').textContent = `Register a trustee for ${v.title}`; $('trustee-form').hidden = false; $('trustee-json').focus(); });
      }
      if (v.status === 'draft') action(`Seal ${v.id} for the trustees' approval`, () => transition(v, 'seal'));
      if (v.status === 'sealed') {
        actions.append(await sealedState(v.id));
        action(`Open ${v.id}`, () => transition(v, 'open'));
        action(`Withdraw ${v.id} to a draft`, () => transition(v, 'withdraw'));
      }
      if (v.status === 'open') action(`Close ${v.id}`, () => transition(v, 'close'));
      if (v.status === 'closed') actions.append(el('span', `Closed: waiting for the trustees' decryptions (union-vote trustee decrypt); results publish when ${kOfN ? `any ${kOfN.threshold} of the ${kOfN.count}` : 'all'} are in.`));
      if (v.status === 'tallied') actions.append(el('a', 'Results', { href: `/board/${encodeURIComponent(v.id)}` }));
      tr.append(name, el('td', v.status, { class: 'left', 'data-label': 'Status' }), el('td', windowInWords(v), { class: 'left', 'data-label': 'Voting' }), actions);
      body.append(tr);
    }
  }

  /** Where a k-of-n draft's key ceremony stands: whose turn it is, who is disqualified. */
  async function ceremonyState(voteId: string): Promise<HTMLElement> {
    const r = await api<{ threshold: number; count: number; ended: boolean; failed?: string; waitingFor: string[]; qualified: string[]; disqualified: { trusteeId: string; reason: string }[] }>('GET', `/votes/${encodeURIComponent(voteId)}/ceremony`);
    const c = r.body;
    const text = r.status !== 200 ? c.error?.message ?? `the key ceremony is unavailable (${r.status})`
      : `Key ceremony, ${c.threshold} of ${c.count} trustees: ${c.failed ? `failed (${c.failed})` : c.ended ? `over; ${c.qualified.join(', ')} hold shares of the key. It can be sealed.` : `waiting for ${c.waitingFor.join('; ')}.`}${c.disqualified?.length ? ` Disqualified: ${c.disqualified.map((d) => `${d.trusteeId} (${d.reason})`).join('; ')}.` : ''}`;
    return el('p', text, { class: 'hint' });
  }

  async function ceremony(v: VoteRow, to: 'end' | 'restart'): Promise<void> {
    const question = to === 'end'
      ? `End the key ceremony of "${v.title}" now? A trustee who has not dealt, or has not answered a complaint, is disqualified; the others go on if enough remain.`
      : `Start the key ceremony of "${v.title}" again? Every trustee's messages are dropped and each must join again with a new key file.`;
    if (!confirm(question)) return;
    const r = await api('POST', `/votes/${encodeURIComponent(v.id)}/ceremony/${to}`, {});
    $('vote-result').replaceChildren(el('p', r.status === 200 ? (to === 'end' ? `The key ceremony of ${v.title} is over.` : `The key ceremony of ${v.title} starts again: each trustee joins anew.`) : r.body.error?.message ?? `could not ${to} it (${r.status})`, { class: r.status === 200 ? 'success' : 'alert' }));
    await loadVotes();
  }

  /** A sealed vote's fingerprint and who has approved its manifest, from the public board. */
  async function sealedState(voteId: string): Promise<HTMLElement> {
    const b = await fetch(`/api/board/${encodeURIComponent(voteId)}`, { credentials: 'omit' }).then((r) => r.json()) as { fingerprint: string; manifest: { trustees: { trusteeId: string }[] }; approvals: { trusteeId: string }[] };
    const waiting = b.manifest.trustees.map((t) => t.trusteeId).filter((id) => !b.approvals.some((a) => a.trusteeId === id));
    const box = el('p', undefined, { class: 'hint' });
    box.append(`Fingerprint `, el('code', b.fingerprint), waiting.length ? `. Waiting for the approval of ${waiting.join(', ')} (union-vote trustee approve).` : '. Every trustee has approved: it can open.');
    return box;
  }

  async function transition(v: VoteRow, to: 'seal' | 'withdraw' | 'open' | 'close'): Promise<void> {
    if (to === 'close' && !confirm(`Close "${v.title}" now? No ballot can be cast after this.`)) return;
    if (to === 'seal' && !confirm(`Seal "${v.title}"? Its definition, its trustees and each local's eligible count are fixed into a manifest for the trustees to approve; to change anything afterwards it must be withdrawn to a draft, which is possible only until codes are issued.`)) return;
    const r = await api<{ fingerprint?: string }>('POST', `/votes/${encodeURIComponent(v.id)}/${to}`, {});
    const done = { seal: `${v.title} is sealed. Its fingerprint is ${r.body.fingerprint}: give it to the trustees to approve and announce; it is printed on every code letter.`, withdraw: `${v.title} is a draft again.`, open: `${v.title} is now open.`, close: `${v.title} is now closed.` }[to];
    $('vote-result').replaceChildren(el('p', r.status === 200 ? done : r.body.error?.message ?? `could not ${to} (${r.status})`, { class: r.status === 200 ? 'success' : 'alert' }));
    await loadVotes();
  }

  $('trustee-cancel').addEventListener('click', () => { $('trustee-form').hidden = true; });
  $('trustee-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    let registration: unknown;
    try { registration = JSON.parse($<HTMLTextAreaElement>('trustee-json').value); } catch { return void $('vote-result').replaceChildren(el('p', 'That is not the JSON printed by union-vote trustee keygen.', { class: 'alert' })); }
    const r = await api('POST', `/votes/${encodeURIComponent(trusteeFor)}/trustees`, registration as object);
    $('vote-result').replaceChildren(el('p', r.status === 201 ? `Trustee registered for ${trusteeFor}.` : r.body.error?.message ?? `could not register (${r.status})`, { class: r.status === 201 ? 'success' : 'alert' }));
    if (r.status === 201) { $('trustee-form').hidden = true; $<HTMLTextAreaElement>('trustee-json').value = ''; }
  });

  // The locals: a checkbox and a delegate count each.
  const list = $('locals-list');
  locals.forEach((l, i) => {
    const row = el('div', undefined, { class: 'row' });
    const pick = el('label', undefined, { class: 'choice' });
    const box = el('input', undefined, { type: 'checkbox', 'data-local': l.id, id: `f-local-${i}` });
    box.checked = true;
    pick.append(box, ` ${l.name}`);
    const d = el('div');
    d.append(el('label', `Delegate votes of ${l.id}`, { for: `f-delegates-${i}` }), el('input', undefined, { type: 'text', inputmode: 'numeric', id: `f-delegates-${i}`, 'data-delegates': l.id, value: String(l.delegates ?? 0) }));
    row.append(pick, d);
    list.append(row);
  });

  // Questions: one to start, more on demand.
  let questions = 0;
  function addQuestion(): void {
    const i = questions++;
    const fs = el('fieldset', undefined, { 'data-q': String(i) });
    fs.append(el('legend', `Question ${i + 1}`));
    const field = (label: string, name: string, input: HTMLElement) => { input.id = `f-${name}`; input.setAttribute('name', name); fs.append(el('label', label, { for: input.id }), input); };
    field('Identifier', `questions.${i}.id`, el('input', undefined, { type: 'text', autocapitalize: 'none', spellcheck: 'false', placeholder: 'ratify' }));
    field('The question members answer', `questions.${i}.text`, el('input', undefined, { type: 'text' }));
    field('Link to the agreement\'s summary (optional)', `questions.${i}.summaryUrl`, el('input', undefined, { type: 'text', inputmode: 'url' }));
    field(`Question ${i + 1} in Spanish (with a Spanish title)`, `questions.${i}.es`, el('input', undefined, { type: 'text', lang: 'es' }));
    field(`Question ${i + 1} in French (with a French title)`, `questions.${i}.fr`, el('input', undefined, { type: 'text', lang: 'fr' }));
    const blank = el('label', undefined, { class: 'choice' });
    blank.append(el('input', undefined, { type: 'checkbox', name: `questions.${i}.blankAllowed` }), ' Members may leave it blank');
    fs.append(blank);
    const select = el('select');
    for (const [key, r] of Object.entries(rules)) select.append(el('option', r.label, { value: key }));
    field('Passing rule', `questions.${i}.rule`, select);
    const custom = el('textarea', undefined, { rows: '4', hidden: '' });
    field('The rule as JSON', `questions.${i}.ruleJson`, custom);
    const customLabel = custom.previousElementSibling as HTMLElement;
    customLabel.hidden = true;
    select.addEventListener('change', () => { custom.hidden = customLabel.hidden = select.value !== 'custom'; });
    field('Minimum turnout, % of eligible members (optional)', `questions.${i}.turnout`, el('input', undefined, { type: 'text', inputmode: 'numeric' }));
    $('questions').append(fs);
  }
  addQuestion();
  $('add-question').addEventListener('click', addQuestion);

  const value = (name: string) => (document.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value ?? '').trim();
  // What the officer typed, in the vote's time zone (UTC while the zone is not a known one: the zone's own error says so).
  const instant = (local: string) => {
    if (!local) return '';
    const zone = value('timeZone') || 'UTC';
    // A value the browser allows but no definition can hold (a five-digit year): sent as typed, for the API to name.
    try { return zonedToIso(local.slice(0, 16), isTimeZone(zone) ? zone : 'UTC'); } catch { return local; }
  };

  function definition(): unknown {
    const chosen = locals.filter((l) => document.querySelector<HTMLInputElement>(`[data-local="${l.id}"]`)!.checked);
    const qs = [...document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-q]')].map((fs) => {
      const i = fs.dataset.q!;
      const preset = value(`questions.${i}.rule`);
      let rule: unknown = rules[preset]?.rule;
      if (preset === 'custom') { try { rule = JSON.parse(value(`questions.${i}.ruleJson`)); } catch { rule = 'not JSON'; } }
      const turnout = value(`questions.${i}.turnout`);
      if (turnout) rule = { type: 'all', rules: [rule, { type: 'turnout', minimum: { numerator: Number(turnout), denominator: 100 } }] };
      const summaryUrl = value(`questions.${i}.summaryUrl`);
      return {
        id: value(`questions.${i}.id`), text: value(`questions.${i}.text`), ...(summaryUrl ? { summaryUrl } : {}),
        blankAllowed: document.querySelector<HTMLInputElement>(`[name="questions.${i}.blankAllowed"]`)!.checked,
        locals: chosen.map((l) => l.id), rule,
      };
    });
    const fieldsets = [...document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-q]')];
    // A language is in the vote when its title is given; its questions are then all required (the API says which is missing).
    const translations = Object.fromEntries((['es', 'fr'] as const).filter((lang) => value(`translations.${lang}.title`)).map((lang) => [lang, {
      title: value(`translations.${lang}.title`),
      questions: Object.fromEntries(fieldsets.map((fs) => [value(`questions.${fs.dataset.q}.id`), value(`questions.${fs.dataset.q}.${lang}`)] as const).filter(([, text]) => text).map(([id, text]) => [id, { text }])),
    }]));
    const description = value('description');
    const checkerUrl = value('checkerUrl');
    const checkerSha256 = value('checkerSha256');
    const count = value('trustees.count');
    const threshold = value('trustees.threshold');
    return {
      id: value('id'), title: value('title'), ...(description ? { description } : {}),
      ...(count || threshold ? { trustees: { count: Number(count), threshold: Number(threshold) } } : {}),
      ...(checkerUrl ? { checkerUrl } : {}), ...(checkerSha256 ? { checkerSha256 } : {}),
      ...(value('timeZone') ? { timeZone: value('timeZone') } : {}),
      ...(Object.keys(translations).length ? { translations } : {}),
      opensAt: instant(value('opensAt')), closesAt: instant(value('closesAt')),
      locals: chosen.map((l) => ({ id: l.id, name: l.name, delegates: Number(document.querySelector<HTMLInputElement>(`[data-delegates="${l.id}"]`)!.value || 0) })),
      questions: qs,
      turnoutList: {
        visibleTo: [...document.querySelectorAll<HTMLInputElement>('[name="turnoutList.visibleTo"]:checked')].map((b) => b.value),
        from: value('turnoutList.from'),
      },
    };
  }

  /** The input an API field path points at (questions.0.rule.threshold → the question's rule select). */
  function inputFor(field: string): HTMLElement | null {
    const parts = field.split('.');
    for (let n = parts.length; n > 0; n--) {
      const name = parts.slice(0, n).join('.');
      const byName = document.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
      if (byName) return byName;
      const local = /^locals\.(\d+)/.exec(name);
      if (local) return document.querySelectorAll<HTMLElement>('[data-delegates]')[Number(local[1])] ?? null;
      // A translated question: translations.es.questions.<question id> → that question's Spanish input.
      const translated = /^translations\.(es|fr)\.questions\.(.+)$/.exec(name);
      if (translated) {
        const fs = [...document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-q]')].find((f) => value(`questions.${f.dataset.q}.id`) === translated[2]);
        if (fs) return document.querySelector<HTMLElement>(`[name="questions.${fs.dataset.q}.${translated[1]}"]`);
      }
      // The minimum turnout is the second rule of the "all of" the form builds around the chosen rule.
      const turnout = /^questions\.(\d+)\.rule\.rules\.1$/.exec(name);
      if (turnout && value(`questions.${turnout[1]}.turnout`)) return document.querySelector<HTMLElement>(`[name="questions.${turnout[1]}.turnout"]`);
    }
    return null;
  }

  /** The form's own checks, before anything is sent: what the schema would say in its words. */
  function formIssues(): { field: string; message: string }[] {
    const issues: { field: string; message: string }[] = [];
    for (const fs of document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-q]')) {
      const i = fs.dataset.q!;
      const turnout = value(`questions.${i}.turnout`);
      if (turnout && !(/^\d+(\.\d+)?$/.test(turnout) && Number(turnout) > 0 && Number(turnout) <= 100)) {
        issues.push({ field: `questions.${i}.turnout`, message: `the minimum turnout is a percentage of eligible members, more than 0 and at most 100 (you wrote ${turnout})` });
      }
    }
    // Questions written in a language whose title is empty would be dropped without a word: say so.
    for (const [lang, name] of [['es', 'Spanish'], ['fr', 'French']] as const) {
      const written = [...document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-q]')].some((fs) => value(`questions.${fs.dataset.q}.${lang}`));
      if (written && !value(`translations.${lang}.title`)) issues.push({ field: `translations.${lang}.title`, message: `give the title in ${name} too: without it the ${name} questions are not part of the vote` });
    }
    for (const input of document.querySelectorAll<HTMLInputElement>('[data-delegates]')) {
      if (input.value.trim() && !/^\d+$/.test(input.value.trim())) issues.push({ field: `locals.delegates.${input.dataset.delegates}`, message: `delegate votes of local ${input.dataset.delegates} are a whole number, 0 or more` });
    }
    return issues;
  }

  /** A sentence a union officer understands for a schema's complaint about a field. */
  function sentence(field: string, message: string): string {
    const q = /^questions\.(\d+)\./.exec(field);
    const n = q ? Number(q[1]) + 1 : 0;
    const known: [RegExp, string][] = [
      [/^id$/, 'give the vote an identifier: lower-case letters, digits and dashes, as it will appear in the voting link (for example strike-2027)'],
      [/^title$/, 'give the vote a title members will recognise'],
      [/^opensAt$/, 'choose when voting opens (a date and time in the vote\'s time zone)'],
      [/^closesAt$/, message.includes('after it opens') ? 'voting must close after it opens: check both times' : 'choose when voting closes (a date and time in the vote\'s time zone)'],
      [/^timeZone$/, 'write the time zone by its name, such as America/Los_Angeles, America/New_York or America/Toronto'],
      [/^locals$/, 'tick at least one local taking part'],
      [/^locals\.\d+\.delegates$/, 'delegate votes are a whole number, 0 or more'],
      [/^questions\.\d+\.id$/, `give question ${n} a short identifier: lower-case letters, digits and dashes`],
      [/^questions\.\d+\.text$/, `write question ${n} as members will read it`],
      [/^questions\.\d+\.summaryUrl$/, 'the summary link is a full web address starting with https://'],
      [/^questions\.\d+\.rule\.rules\.1/, `question ${n}'s minimum turnout is a percentage of eligible members, more than 0 and at most 100`],
      [/^trustees\.count$/, 'the number of trustees is a whole number from 1 to 32, with how many are needed to decrypt; leave both empty for one key per trustee'],
      [/^trustees\.threshold$/, message.includes('cannot be more') ? 'the trustees needed to decrypt cannot be more than the trustees'
        : message.includes('more than half') ? 'the trustees needed to decrypt must be more than half of the trustees (2 of 3, 3 of 4 or 5, 4 of 6 or 7…), so that no two groups of trustees can each decrypt a different count'
          : 'the trustees needed to decrypt is a whole number from 1 to the number of trustees'],
      [/^translations\.(es|fr)\.title$/, message.startsWith('give') ? message : 'the title in that language is missing or too long'],
      [/^translations\.(es|fr)\.questions\./, `write this question in ${field.startsWith('translations.es') ? 'Spanish' : 'French'} too, or leave the ${field.startsWith('translations.es') ? 'Spanish' : 'French'} title empty`],
      [/^checkerUrl$/, 'the checker\'s address is a full web address starting with https://'],
      [/^checkerSha256$/, 'the checker\'s SHA-256 is 64 characters, 0–9 and a–f, as npm run build:assets prints it'],
    ];
    const hit = known.find(([re]) => re.test(field));
    if (hit) return hit[1];
    // Otherwise the service's own words, without the schema's jargon.
    return /^(Too small|Too big|Invalid input|Expected)/i.test(message) ? 'this is missing or not in the expected form' : message;
  }

  function labelOf(target: HTMLElement | null, field: string): string {
    const label = target?.id ? document.querySelector(`label[for="${CSS.escape(target.id)}"]`)?.textContent?.trim() : undefined;
    return label ?? field;
  }

  function showIssues(issues: { field: string; message: string }[], lead: string, kind: 'alert' | 'notice'): void {
    const box = el('div', undefined, { class: kind });
    box.append(el('p', lead));
    const ul = el('ul');
    for (const issue of issues) {
      const target = issue.field.startsWith('locals.delegates.')
        ? document.querySelector<HTMLElement>(`[data-delegates="${CSS.escape(issue.field.slice('locals.delegates.'.length))}"]`)
        : inputFor(issue.field);
      if (kind === 'alert') target?.setAttribute('aria-invalid', 'true');
      // Warnings are the service's own sentences; refusals are put in the officer's words.
      const text = `${labelOf(target, issue.field)}: ${kind === 'notice' ? issue.message : sentence(issue.field, issue.message)}`;
      const li = el('li');
      if (target?.id) li.append(el('a', text, { href: `#${target.id}` }));
      else li.append(text);
      ul.append(li);
    }
    box.append(ul);
    $('define-errors').replaceChildren(box);
    if (kind === 'alert') box.querySelector('a')?.focus();
  }

  $('define-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const x of document.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    const notSaved = (n: number) => `The vote was not saved: ${n === 1 ? 'one thing needs' : `${n} things need`} fixing.`;
    const own = formIssues();
    if (own.length) return showIssues(own, notSaved(own.length), 'alert');
    const r = await api<{ vote: VoteRow; warnings?: { field: string; message: string }[] }>('POST', '/votes', definition() as object);
    if (r.status === 201) {
      const warnings = r.body.warnings ?? [];
      if (warnings.length) showIssues(warnings, `Saved ${r.body.vote.title} as a draft. Please check:`, 'notice');
      else $('define-errors').replaceChildren(el('p', `Saved ${r.body.vote.title} as a draft.`, { class: 'success' }));
      await loadVotes();
      return;
    }
    const issues = r.body.error?.issues ?? [{ field: r.body.error?.field ?? '(body)', message: r.body.error?.message ?? `could not save (${r.status})` }];
    showIssues(issues, notSaved(issues.length), 'alert');
  });

  await loadVotes();
  await people(me, locals);
  await adminRulings();
  await ownTokens('admin');
}
