/**
 * Staff pages' script: sign-in, the secretary's local page, the administrator's votes, and the page
 * of monitors and trustees. Same-origin JSON API with the
 * session cookie; every change carries the session's CSRF token in X-CSRF-Token.
 */
const pageData = JSON.parse(document.getElementById('page-data')!.textContent!) as { page: 'signin' | 'secretary' | 'admin' | 'monitor' | 'trustee'; rules?: Record<string, { label: string; rule: unknown }> };
const page = pageData.page;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
let csrf = '';

interface ApiError { error?: { code?: string; message?: string; field?: string; issues?: { field: string; message: string }[]; rows?: { line: number; field: string; reason: string }[] } }

async function api<T>(method: string, path: string, body?: BodyInit | object, headers: Record<string, string> = {}): Promise<{ status: number; body: T & ApiError; response: Response }> {
  const isJson = body !== undefined && !(typeof body === 'string' || body instanceof Blob || body instanceof File);
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: { ...(isJson ? { 'content-type': 'application/json' } : {}), ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }), ...headers },
    body: body === undefined ? undefined : isJson ? JSON.stringify(body) : (body as BodyInit),
  });
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await res.json() : {};
  return { status: res.status, body: parsed as T & ApiError, response: res };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

const download = (blob: Blob) => URL.createObjectURL(blob);

/** Each role's own page. */
const HOME: Record<string, string> = { admin: '/admin', secretary: '/secretary', monitor: '/monitor', trustee: '/trustee' };

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
  const votes = (await api<{ votes: { id: string; title: string; status: string; locals?: string[]; definition?: { locals: { id: string }[] } }[] }>('GET', '/votes')).body.votes ?? [];
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
      tr.append(el('th', m.memberNumber, { scope: 'row' }), el('td', m.name, { class: 'left' }), el('td', m.email ?? m.phone ?? '', { class: 'left' }));
      const td = el('td');
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
      const reissue = el('td', undefined, { class: 'left' });
      const again = el('button', 'Reissue', { type: 'button', class: 'secondary', 'aria-label': `Reissue the code of ${m.name}` });
      again.addEventListener('click', async () => {
        if (!voteId() || !confirm(`Give ${m.name} a new code for this vote? The old code stops working.`)) return;
        const res = await fetch(`/api/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/codes/${encodeURIComponent(m.memberNumber)}/reissue`, {
          method: 'POST', credentials: 'same-origin', headers: { accept: 'text/html', 'x-csrf-token': csrf },
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
    const res = await api<{ counts: { eligible: number; codesIssued: number; tokensIssued: number; ballotsCast: number }; members?: { memberNumber: string; name: string; obtainedToken: boolean }[] }>('GET', `/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/turnout?members=true`);
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
      missing.append(el('p', 'The vote does not show who has obtained a token to your role yet (see its turnout setting).', { class: 'hint' }));
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
    const res = await api<{ inserted: number; updated: number; unchanged?: number }>('POST', `/locals/${encodeURIComponent(localId())}/roster`, await file.text(), { 'content-type': 'text/csv' });
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
      method: 'POST', credentials: 'same-origin', headers: { accept, 'content-type': 'application/json', 'x-csrf-token': csrf },
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

  localSelect.addEventListener('change', () => { fillVotes(); $('local-title').textContent = localSelect.selectedOptions[0]?.textContent ?? ''; void loadMembers(); void loadTurnout(); });
  voteSelect.addEventListener('change', () => void loadTurnout());
  fillVotes();
  $('local-title').textContent = localSelect.selectedOptions[0]?.textContent ?? 'Your local';
  await Promise.all([loadMembers(), loadTurnout()]);
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
    const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
    facts.append(el('dt', 'Status'), el('dd', v.status), el('dt', 'Voting'), el('dd', `${when(v.opensAt)} – ${when(v.closesAt)}`));
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
  $('make-token').addEventListener('click', async () => {
    const r = await api<{ token: string }>('POST', '/tokens', { name: `${role} command line` });
    $('token-result').textContent = r.status === 201 || r.status === 200 ? `UNION_VOTE_TOKEN=${r.body.token} (shown once: copy it now)` : r.body.error?.message ?? `could not make a token (${r.status})`;
  });
}

// ---- the administrator's votes ----
if (page === 'admin') void admin();

interface VoteRow { id: string; title: string; status: string; opensAt: string; closesAt: string; definition?: { trustees?: { count: number; threshold: number } } }

async function signedIn(): Promise<{ role: string; username: string } | undefined> {
  const me = await api<{ user: { displayName: string; role: string; username: string }; csrfToken?: string }>('GET', '/session');
  if (me.status !== 200) { location.assign('/signin'); return undefined; }
  csrf = me.body.csrfToken ?? '';
  $('who').textContent = `${me.body.user.displayName} (${me.body.user.role})`;
  $('signout').addEventListener('click', async () => { await api('DELETE', '/session'); location.assign('/signin'); });
  return me.body.user;
}

async function admin(): Promise<void> {
  if (!(await signedIn())) return;
  const rules = pageData.rules!;
  const locals = (await api<{ locals: { id: string; name: string; delegates: number }[] }>('GET', '/locals')).body.locals ?? [];
  let trusteeFor = '';

  async function loadVotes(): Promise<void> {
    const votes = (await api<{ votes: VoteRow[] }>('GET', '/votes')).body.votes ?? [];
    const body = $('votes').querySelector('tbody')!;
    body.replaceChildren();
    for (const v of votes) {
      const tr = el('tr');
      const name = el('th', undefined, { scope: 'row', class: 'left' });
      name.append(v.status === 'draft' ? el('span', v.title) : el('a', v.title, { href: `/board/${encodeURIComponent(v.id)}` }), el('br'), el('code', v.id));
      const actions = el('td', undefined, { class: 'left' });
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
      tr.append(name, el('td', v.status, { class: 'left' }), el('td', `${v.opensAt.slice(0, 16).replace('T', ' ')} – ${v.closesAt.slice(0, 16).replace('T', ' ')}`, { class: 'left' }), actions);
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
  const utc = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}Z` : '');

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
    const description = value('description');
    const checkerUrl = value('checkerUrl');
    const checkerSha256 = value('checkerSha256');
    const count = value('trustees.count');
    const threshold = value('trustees.threshold');
    return {
      id: value('id'), title: value('title'), ...(description ? { description } : {}),
      ...(count || threshold ? { trustees: { count: Number(count), threshold: Number(threshold) } } : {}),
      ...(checkerUrl ? { checkerUrl } : {}), ...(checkerSha256 ? { checkerSha256 } : {}),
      opensAt: utc(value('opensAt')), closesAt: utc(value('closesAt')),
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
      [/^opensAt$/, 'choose when voting opens (a date and time, UTC)'],
      [/^closesAt$/, message.includes('after it opens') ? 'voting must close after it opens: check both times' : 'choose when voting closes (a date and time, UTC)'],
      [/^locals$/, 'tick at least one local taking part'],
      [/^locals\.\d+\.delegates$/, 'delegate votes are a whole number, 0 or more'],
      [/^questions\.\d+\.id$/, `give question ${n} a short identifier: lower-case letters, digits and dashes`],
      [/^questions\.\d+\.text$/, `write question ${n} as members will read it`],
      [/^questions\.\d+\.summaryUrl$/, 'the summary link is a full web address starting with https://'],
      [/^questions\.\d+\.rule\.rules\.1/, `question ${n}'s minimum turnout is a percentage of eligible members, more than 0 and at most 100`],
      [/^trustees\.count$/, 'the number of trustees is a whole number from 1 to 32, with how many are needed to decrypt; leave both empty for one key per trustee'],
      [/^trustees\.threshold$/, message.includes('cannot be more') ? 'the trustees needed to decrypt cannot be more than the trustees' : 'the trustees needed to decrypt is a whole number from 1 to the number of trustees'],
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
}
