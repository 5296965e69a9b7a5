/**
 * Staff pages' script: sign-in, the secretary's local page, the page of monitors and trustees, and
 * (staff-admin.ts) the administrator's votes and people. Same-origin JSON API with the session
 * cookie (staff-api.ts).
 */
import { $, HOME, api, csrfToken, download, el, signedIn, windowInWords, type ApiError, type VoteRow } from './staff-api.ts';
import { admin } from './staff-admin.ts';
import { ownTokens } from './staff-people.ts';
import { secretaryChallenges } from './staff-challenges.ts';
import { secretaryPaper, type PaperVote } from './staff-paper.ts';
import { turnoutRefusal, type TurnoutListSetting } from '@union-vote/election/turnout-list';

const pageData = JSON.parse(document.getElementById('page-data')!.textContent!) as { page: 'signin' | 'secretary' | 'admin' | 'monitor' | 'trustee'; rules?: Record<string, { label: string; rule: unknown }> };
const page = pageData.page;

// ---- sign-in ----
if (page === 'signin') {
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = $<HTMLInputElement>('username').value.trim();
    const password = $<HTMLInputElement>('password').value;
    const res = await api<{ user: { role: string } }>('POST', '/session', { username, password });
    if (res.status !== 200) {
      $('signin-error').textContent = res.body.error?.message ?? `sign-in failed (${res.status})`;
      $<HTMLInputElement>('password').focus();
      return;
    }
    location.assign(HOME[res.body.user.role] ?? '/secretary');
  });
}

// ---- the secretary's local ----
if (page === 'secretary') void secretary();

async function secretary(): Promise<void> {
  const user = await signedIn();
  if (!user) return;
  // A monitor or trustee who comes here (a bookmark, an old link) belongs on their own page.
  if (user.role === 'monitor' || user.role === 'trustee') return void location.replace(HOME[user.role]!);
  const locals = (await api<{ locals: { id: string; name: string }[] }>('GET', '/locals')).body.locals ?? [];
  const votes = (await api<{ votes: (PaperVote & { title: string; definition?: { locals: { id: string }[]; turnoutList?: TurnoutListSetting } })[] }>('GET', '/votes')).body.votes ?? [];
  const localSelect = $<HTMLSelectElement>('local');
  const voteSelect = $<HTMLSelectElement>('vote');
  for (const l of locals) localSelect.append(el('option', l.name, { value: l.id }));
  const localId = () => localSelect.value;
  const voteId = () => voteSelect.value;

  function fillVotes(): void {
    voteSelect.replaceChildren();
    const mine = votes.filter((v) => v.definition?.locals.some((l) => l.id === localId()) ?? true);
    for (const v of mine) voteSelect.append(el('option', `${v.title} (${v.status})`, { value: v.id }));
    // Open on the vote the local is working on: an open one, else one sealed for codes, else the first.
    const current = mine.find((v) => v.status === 'open') ?? mine.find((v) => v.status === 'sealed');
    if (current) voteSelect.value = current.id;
  }

  async function loadMembers(): Promise<void> {
    const res = await api<{ members: { memberNumber: string; name: string; email: string | null; phone: string | null; goodStanding: boolean }[]; total: number }>('GET', `/locals/${encodeURIComponent(localId())}/members?limit=1000`);
    const body = $('members').querySelector('tbody')!;
    body.replaceChildren();
    $('members-caption').textContent = `Members (${res.body.total ?? 0}${(res.body.total ?? 0) > 1000 ? ', first 1,000 shown' : ''})`;
    for (const m of res.body.members ?? []) {
      const tr = el('tr');
      tr.append(el('th', m.memberNumber, { scope: 'row', 'data-label': 'Member' }), el('td', m.name, { class: 'left', 'data-label': 'Name' }), el('td', m.email ?? m.phone ?? '', { class: 'left', 'data-label': 'Contact' }));
      const td = el('td', undefined, { 'data-label': 'In good standing' });
      const box = el('input', undefined, { type: 'checkbox', 'aria-label': `${m.name} in good standing` });
      box.checked = m.goodStanding;
      box.addEventListener('change', async () => {
        const r = await api('PATCH', `/locals/${encodeURIComponent(localId())}/members/${encodeURIComponent(m.memberNumber)}`, { goodStanding: box.checked });
        // The server answers 204 (no content) when the change is made: any 2xx is a success.
        if (!r.response.ok) { box.checked = !box.checked; alertIn($('import-result'), r.body.error?.message ?? `could not change ${m.name}`); }
        else $('standing-status').textContent = `${m.name} is ${box.checked ? 'now' : 'no longer'} in good standing.`;
      });
      td.append(box);
      tr.append(td);
      // A lost letter: a new code for the selected vote; the old one stops working.
      const reissue = el('td', undefined, { class: 'left', 'data-label': 'Code' });
      const again = el('button', 'Reissue', { type: 'button', class: 'secondary', 'aria-label': `Reissue the code of ${m.name}` });
      again.addEventListener('click', async () => {
        if (!voteId() || !confirm(`Give ${m.name} a new code for this vote? The old code stops working.`)) return;
        const res = await fetch(`/api/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/codes/${encodeURIComponent(m.memberNumber)}/reissue`, {
          method: 'POST', credentials: 'same-origin', headers: { accept: 'text/html', 'x-csrf-token': csrfToken() },
        });
        const out = $('codes-result');
        if (!res.ok) return alertIn(out, ((await res.json()) as ApiError).error?.message ?? `could not reissue (${res.status})`);
        const name = `code-${localId()}-${m.memberNumber}.html`;
        out.replaceChildren(el('p', `A new code was issued to ${m.name}; the old one no longer works.`, { class: 'success' }), el('a', `Download ${name}`, { href: download(await res.blob()), download: name, class: 'button' }));
      });
      reissue.append(again);
      tr.append(reissue);
      body.append(tr);
    }
  }

  async function loadTurnout(): Promise<void> {
    if (!voteId()) { $('turnout-counts').textContent = 'No vote for this local.'; return; }
    // The per-member list only where the vote's published setting shows it to this role now (else the counts alone).
    const vote = votes.find((v) => v.id === voteId());
    const refusal = vote?.definition?.turnoutList ? turnoutRefusal(vote.definition.turnoutList, user!.role, vote.status) : null;
    const res = await api<{ counts: { eligible: number; codesIssued: number; tokensIssued: number; ballotsCast: number }; members?: { memberNumber: string; name: string; obtainedToken: boolean }[] }>('GET', `/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/turnout?members=${refusal ? 'false' : 'true'}`);
    const missing = $('turnout-missing');
    missing.replaceChildren();
    if (res.status !== 200) { $('turnout-counts').textContent = res.body.error?.message ?? `turnout unavailable (${res.status})`; return; }
    const c = res.body.counts;
    $('turnout-counts').textContent = `${c.eligible} eligible · ${c.codesIssued} codes issued · ${c.tokensIssued} have obtained a voting token · ${c.ballotsCast} ballots cast`;
    if (res.body.members) {
      const waiting = res.body.members.filter((m) => !m.obtainedToken);
      missing.append(el('h3', `Not yet voted (no token obtained): ${waiting.length}`));
      const ul = el('ul');
      for (const m of waiting.slice(0, 500)) ul.append(el('li', `${m.memberNumber} — ${m.name}`));
      missing.append(ul);
    } else {
      missing.append(el('p', refusal ? `Who has voted is not shown here: ${refusal}.` : 'The vote does not show who has obtained a token to your role yet (see its turnout setting).', { class: 'hint' }));
    }
  }

  function alertIn(where: HTMLElement, message: string): void {
    where.replaceChildren(el('p', message, { class: 'alert', role: 'alert' }));
  }

  $('import-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = $<HTMLInputElement>('roster-file').files?.[0];
    const out = $('import-result');
    if (!file) return alertIn(out, 'Choose a CSV file first.');
    const res = await api<{ inserted: number; updated: number; unchanged?: number }>('POST', `/locals/${encodeURIComponent(localId())}/roster`, file, { 'content-type': 'text/csv' });
    if (res.status === 200) {
      out.replaceChildren(el('p', `Imported ${file.name}: ${res.body.inserted} added, ${res.body.updated} updated.`, { class: 'success' }));
      await loadMembers();
      return;
    }
    const box = el('div', undefined, { class: 'alert', role: 'alert' });
    box.append(el('p', res.body.error?.message?.split('. ')[0] ?? `import failed (${res.status})`));
    const rows = res.body.error?.rows ?? [];
    if (rows.length) {
      const table = el('table');
      table.append(el('caption', 'Rows to fix'));
      const head = el('tr');
      head.append(el('th', 'Line', { scope: 'col' }), el('th', 'Column', { scope: 'col', class: 'left' }), el('th', 'What is wrong', { scope: 'col', class: 'left' }));
      table.append(head);
      for (const r of rows.slice(0, 500)) {
        const tr = el('tr');
        tr.append(el('th', String(r.line), { scope: 'row' }), el('td', r.field, { class: 'left' }), el('td', r.reason, { class: 'left' }));
        table.append(tr);
      }
      box.append(table);
    }
    out.replaceChildren(box);
  });

  $('codes-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = $('codes-result');
    if (!voteId()) return alertIn(out, 'Choose a vote first.');
    const as = $<HTMLSelectElement>('codes-as').value;
    const accept = as === 'mailer' ? 'text/html' : as === 'csv' ? 'text/csv' : 'application/json';
    const res = await fetch(`/api/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/codes`, {
      method: 'POST', credentials: 'same-origin', headers: { accept, 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify(as === 'email-or-sms' ? { deliver: 'email-or-sms' } : {}),
    });
    if (!res.ok) return alertIn(out, ((await res.json()) as ApiError).error?.message ?? `could not issue codes (${res.status})`);
    if (res.headers.get('x-codes-issued') === '0') {
      out.replaceChildren(el('p', 'Nobody needed a code: every member in good standing already has one for this vote. For a lost letter, use “Reissue” next to the member.', { class: 'notice' }));
      return void (await loadTurnout());
    }
    if (as === 'email-or-sms') {
      const r = (await res.json()) as { issued: unknown[]; queued: number; undeliverable: string[] };
      out.replaceChildren(el('p', `${r.issued.length} codes issued; ${r.queued} messages queued${r.undeliverable.length ? `; no address for ${r.undeliverable.join(', ')}` : ''}. Press “Send queued messages”.`, { class: 'success' }));
    } else {
      const blob = await res.blob();
      const name = as === 'mailer' ? `codes-local-${localId()}.html` : `codes-local-${localId()}.csv`;
      const link = el('a', `Download ${name}`, { href: download(blob), download: name, class: 'button' });
      out.replaceChildren(el('p', 'Codes issued. Download the file now: it is the only copy of the codes.', { class: 'success' }), link);
    }
    await loadTurnout();
  });

  $('send-outbox').addEventListener('click', async () => {
    if (!voteId()) return;
    const r = await api<{ sent: number; failed: number; pending: number; delivered: boolean }>('POST', `/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/outbox/send`, {});
    const done = r.body.delivered === false ? `${r.body.sent} logged, not delivered (no provider configured)` : `${r.body.sent} sent`;
    $('outbox-status').textContent = r.status === 200 ? `${done}, ${r.body.failed} failed, ${r.body.pending} still pending.` : r.body.error?.message ?? `sending failed (${r.status})`;
  });

  const challenges = secretaryChallenges(voteId, localId);
  const paper = secretaryPaper(() => votes.find((v) => v.id === voteId()), localId);
  localSelect.addEventListener('change', () => { fillVotes(); $('local-title').textContent = localSelect.selectedOptions[0]?.textContent ?? ''; void loadMembers(); void loadTurnout(); void challenges.load(); void paper.load(); });
  voteSelect.addEventListener('change', () => { void loadTurnout(); void challenges.load(); void paper.load(); });
  fillVotes();
  $('local-title').textContent = localSelect.selectedOptions[0]?.textContent ?? 'Your local';
  await Promise.all([loadMembers(), loadTurnout(), challenges.load(), paper.load(), ownTokens('secretary')]);
}

// ---- monitors and trustees ----
if (page === 'monitor' || page === 'trustee') void watch(page);

async function watch(role: 'monitor' | 'trustee'): Promise<void> {
  const user = await signedIn();
  if (!user) return;
  if (user.role !== role) return void location.replace(HOME[user.role] ?? '/signin');
  const votes = (await api<{ votes: VoteRow[] }>('GET', '/votes')).body.votes ?? [];
  const list = $('watch-votes');
  list.replaceChildren();
  if (votes.length === 0) list.append(el('p', `No vote names you as its ${role} yet: an administrator attaches you to a vote.`, { class: 'notice' }));
  const server = location.origin;
  for (const v of votes) {
    const section = el('section', undefined, { 'aria-labelledby': `v-${v.id}` });
    section.append(el('h2', v.title, { id: `v-${v.id}` }));
    const facts = el('dl', undefined, { class: 'receipt' });
    facts.append(el('dt', 'Status'), el('dd', v.status), el('dt', 'Voting'), el('dd', windowInWords(v)));
    const fp = el('dd', v.status === 'draft' ? 'fixed when the vote is sealed' : '…');
    facts.append(el('dt', 'Fingerprint (compare with the trustees\' announcement)'), fp);
    section.append(facts);
    const links = el('p');
    if (v.status !== 'draft' && v.status !== 'sealed') links.append(el('a', 'The public board', { href: `/board/${encodeURIComponent(v.id)}`, class: 'button secondary' }));
    if (v.status === 'closed' || v.status === 'tallied') links.append(' ', el('a', 'Download the election record', { href: `/api/board/${encodeURIComponent(v.id)}/record`, download: `record-${v.id}.json`, class: 'button secondary' }));
    section.append(links);
    const commands = role === 'monitor'
      ? [
        ['From the opening through the closing time, on your own computer (keep witness-' + v.id + '.json: it is your evidence):', `UNION_VOTE_TOKEN=… npx union-vote monitor watch --server ${server} --vote ${v.id} --fingerprint "FINGERPRINT"`],
        ['After the close, verify the record against the fingerprint and your own copy:', `curl -s ${server}/api/board/${v.id}/record > record.json\nnpx union-vote-verify record.json --fingerprint "FINGERPRINT" --witness witness-${v.id}.json`],
      ]
      : [
        ...(v.status === 'draft' ? [
          ['While the vote is a draft, if its trustees make the key together (k of n), the key ceremony: join, deal once everyone has joined, then check until it says it is over (or use "Your key, in this browser" below):', `UNION_VOTE_TOKEN=… npx union-vote trustee join --server ${server} --vote ${v.id} --trustee ${user.username}\nUNION_VOTE_TOKEN=… npx union-vote trustee deal --server ${server} --vote ${v.id} --key trustee-${user.username}-${v.id}.json\nUNION_VOTE_TOKEN=… npx union-vote trustee check --server ${server} --vote ${v.id} --key trustee-${user.username}-${v.id}.json`],
        ] : []),
        ['Once the vote is sealed, read it in plain words and approve it with your key file:', `UNION_VOTE_TOKEN=… npx union-vote trustee approve --server ${server} --vote ${v.id} --key trustee-${user.username}-${v.id}.json`],
        ['After the close, check the record and decrypt your share (with a monitor\'s witness file):', `UNION_VOTE_TOKEN=… npx union-vote trustee decrypt --server ${server} --vote ${v.id} --key trustee-${user.username}-${v.id}.json --witness witness-${v.id}.json`],
      ];
    for (const [what, command] of commands) {
      section.append(el('p', what));
      section.append(el('pre', command, { class: 'command' }));
    }
    list.append(section);
    if (v.status !== 'draft') {
      void api<{ fingerprint?: string }>('GET', `/board/${encodeURIComponent(v.id)}`).then((b) => {
        if (!b.body.fingerprint) return;
        fp.textContent = b.body.fingerprint;
        for (const pre of section.querySelectorAll('pre')) pre.textContent = pre.textContent!.replaceAll('FINGERPRINT', b.body.fingerprint);
      });
    }
  }
  await ownTokens(role);
}

// ---- the administrator's votes and people ----
if (page === 'admin') void admin(pageData.rules!);
