/**
 * Staff pages' script: sign-in, and the secretary's local page. Same-origin JSON API with the
 * session cookie; every change carries the session's CSRF token in X-CSRF-Token.
 */
const page = (JSON.parse(document.getElementById('page-data')!.textContent!) as { page: 'signin' | 'secretary' }).page;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
let csrf = '';

interface ApiError { error?: { code?: string; message?: string; rows?: { line: number; field: string; reason: string }[] } }

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
    location.assign('/secretary');
  });
}

// ---- the secretary's local ----
if (page === 'secretary') void secretary();

async function secretary(): Promise<void> {
  const me = await api<{ user: { username: string; displayName: string; role: string; locals: string[] }; csrfToken?: string }>('GET', '/session');
  if (me.status !== 200) return location.assign('/signin');
  csrf = me.body.csrfToken ?? '';
  $('who').textContent = `${me.body.user.displayName} (${me.body.user.role})`;
  $('signout').addEventListener('click', async () => { await api('DELETE', '/session'); location.assign('/signin'); });

  const locals = (await api<{ locals: { id: string; name: string }[] }>('GET', '/locals')).body.locals ?? [];
  const votes = (await api<{ votes: { id: string; title: string; status: string; locals?: string[]; definition?: { locals: { id: string }[] } }[] }>('GET', '/votes')).body.votes ?? [];
  const localSelect = $<HTMLSelectElement>('local');
  const voteSelect = $<HTMLSelectElement>('vote');
  for (const l of locals) localSelect.append(el('option', l.name, { value: l.id }));
  const localId = () => localSelect.value;
  const voteId = () => voteSelect.value;

  function fillVotes(): void {
    voteSelect.replaceChildren();
    for (const v of votes) {
      const takesPart = v.definition?.locals.some((l) => l.id === localId()) ?? true;
      if (takesPart) voteSelect.append(el('option', `${v.title} (${v.status})`, { value: v.id }));
    }
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
        if (r.status !== 200) { box.checked = !box.checked; alertIn($('import-result'), r.body.error?.message ?? `could not change ${m.name}`); }
      });
      td.append(box);
      tr.append(td);
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
    const r = await api<{ sent: number; failed: number; pending: number }>('POST', `/votes/${encodeURIComponent(voteId())}/locals/${encodeURIComponent(localId())}/outbox/send`, {});
    $('outbox-status').textContent = r.status === 200 ? `${r.body.sent} sent, ${r.body.failed} failed, ${r.body.pending} still pending.` : r.body.error?.message ?? `sending failed (${r.status})`;
  });

  localSelect.addEventListener('change', () => { fillVotes(); $('local-title').textContent = localSelect.selectedOptions[0]?.textContent ?? ''; void loadMembers(); void loadTurnout(); });
  voteSelect.addEventListener('change', () => void loadTurnout());
  fillVotes();
  $('local-title').textContent = localSelect.selectedOptions[0]?.textContent ?? 'Your local';
  await Promise.all([loadMembers(), loadTurnout()]);
}
