/**
 * People, on the administrator's page: everyone with their role and scope, a form to add or change
 * a person (secretaries with their locals, monitors and trustees with their votes, administrators),
 * a password reset and disabling. Each is the API's own call (POST/PUT /api/users, …/password,
 * …/disable): the service ends the person's sessions and API tokens when they lose access, and
 * records the change as an act of each vote it concerns. And, on every staff page that has the
 * section, the signed-in person's own API tokens, listed and revocable.
 */
import { $, api, el, showRefusal, type SignedIn, type VoteRow } from './staff-api.ts';

interface Person { username: string; displayName: string; role: 'admin' | 'secretary' | 'monitor' | 'trustee'; locals: string[]; votes: string[] }

const ROLE_NAMES: Record<Person['role'], string> = { secretary: 'Secretary', monitor: 'Monitor', trustee: 'Trustee', admin: 'Administrator' };

/** The API's field names, as the form's inputs are labelled. */
const FIELD_INPUT: Record<string, string> = { username: 'p-username', displayName: 'p-name', role: 'p-role', locals: 'p-locals', votes: 'p-votes', password: 'p-password' };

export async function people(me: SignedIn, locals: { id: string; name: string }[]): Promise<void> {
  const votes = (await api<{ votes: VoteRow[] }>('GET', '/votes')).body.votes ?? [];
  const form = $<HTMLFormElement>('person-form');
  const role = $<HTMLSelectElement>('p-role');
  let editing: Person | undefined;

  // One checkbox per local and per vote; each fieldset shows for the roles it concerns.
  const boxes = (where: string, items: { id: string; label: string }[], kind: string) => {
    const list = $(where);
    list.replaceChildren();
    if (items.length === 0) list.append(el('p', `There is no ${kind} yet.`, { class: 'hint' }));
    items.forEach((item, i) => {
      const label = el('label', undefined, { class: 'choice' });
      label.append(el('input', undefined, { type: 'checkbox', value: item.id, id: `${where}-${i}` }), ` ${item.label}`);
      list.append(label);
    });
  };
  boxes('p-locals-list', locals.map((l) => ({ id: l.id, label: l.name })), 'local');
  boxes('p-votes-list', votes.map((v) => ({ id: v.id, label: `${v.title} (${v.status})` })), 'vote');
  const showScope = () => {
    $('p-locals').hidden = role.value !== 'secretary';
    $('p-votes').hidden = role.value !== 'monitor' && role.value !== 'trustee';
  };
  role.addEventListener('change', showScope);
  showScope();
  const ticked = (where: string) => [...$(where).querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
  const tick = (where: string, ids: string[]) => { for (const b of $(where).querySelectorAll<HTMLInputElement>('input')) b.checked = ids.includes(b.value); };

  const result = $('people-result');
  const say = (text: string, kind: 'success' | 'alert' | 'notice', secret?: string) => {
    const box = el('div', undefined, { class: kind, ...(kind === 'alert' ? { role: 'alert' } : {}) });
    box.append(el('p', text));
    if (secret) box.append(el('p', secret, { class: 'tracking' }));
    result.replaceChildren(box);
  };

  async function load(): Promise<void> {
    const r = await api<{ users: Person[] }>('GET', '/users');
    const body = $('people').querySelector('tbody')!;
    body.replaceChildren();
    for (const p of r.body.users ?? []) {
      const tr = el('tr');
      const scope = p.role === 'secretary' ? `Locals ${p.locals.join(', ')}` : p.votes.length ? `Votes ${p.votes.join(', ')}` : p.role === 'admin' ? 'Everything' : 'No vote yet';
      tr.append(el('th', p.username, { scope: 'row', class: 'left' }), el('td', p.displayName, { class: 'left' }), el('td', ROLE_NAMES[p.role], { class: 'left' }), el('td', scope, { class: 'left' }));
      const actions = el('td', undefined, { class: 'left' });
      if (p.username === me.username) actions.append(el('span', 'You (another administrator changes your account)', { class: 'hint' }));
      else {
        const action = (label: string, aria: string, run: () => Promise<void>) => {
          const b = el('button', label, { type: 'button', class: 'secondary', 'aria-label': aria });
          b.addEventListener('click', () => void run());
          actions.append(b);
        };
        action('Change', `Change ${p.displayName}`, async () => edit(p));
        action('Reset password', `Reset password for ${p.displayName}`, async () => reset(p));
        action('Disable', `Disable ${p.displayName}`, async () => disable(p));
      }
      tr.append(actions);
      body.append(tr);
    }
  }

  function edit(p: Person | undefined): void {
    editing = p;
    $('person-form-title').textContent = p ? `Change ${p.displayName}` : 'Add a person';
    $<HTMLInputElement>('p-username').value = p?.username ?? '';
    $<HTMLInputElement>('p-username').disabled = !!p;
    $<HTMLInputElement>('p-name').value = p?.displayName ?? '';
    role.value = p?.role ?? 'secretary';
    tick('p-locals-list', p?.locals ?? []);
    tick('p-votes-list', p?.votes ?? []);
    $('p-password-row').hidden = !!p;
    $('person-submit').textContent = p ? 'Save the change' : 'Add the person';
    $('person-cancel').hidden = !p;
    $('person-errors').replaceChildren();
    showScope();
    if (p) $('p-name').focus();
  }

  async function reset(p: Person): Promise<void> {
    if (!confirm(`Reset the password of ${p.displayName}? They are signed out everywhere and their API tokens stop working; give them the new password yourself.`)) return;
    const r = await api<{ password: string }>('POST', `/users/${encodeURIComponent(p.username)}/password`, {});
    if (r.status !== 200) return say(r.body.error?.message ?? `could not reset the password (${r.status})`, 'alert');
    say(`The new password of ${p.displayName} (${p.username}), shown once: give it to them in person or by phone. They are signed out everywhere and their API tokens no longer work.`, 'success', r.body.password);
  }

  async function disable(p: Person): Promise<void> {
    if (!confirm(`Disable ${p.displayName}? They can no longer sign in; their sessions end and their API tokens stop working at once.`)) return;
    const r = await api('POST', `/users/${encodeURIComponent(p.username)}/disable`, {});
    if (r.status !== 200) return say(r.body.error?.message ?? `could not disable ${p.username} (${r.status})`, 'alert');
    say(`${p.displayName} is disabled: signed out everywhere, API tokens revoked.${p.votes.length ? ` Recorded as an act of ${p.votes.join(', ')}.` : ''}`, 'success');
    await load();
  }

  $('person-cancel').addEventListener('click', () => edit(undefined));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    const scope = {
      displayName: $<HTMLInputElement>('p-name').value.trim(), role: role.value,
      locals: role.value === 'secretary' ? ticked('p-locals-list') : [],
      votes: role.value === 'monitor' || role.value === 'trustee' ? ticked('p-votes-list') : [],
    };
    const password = $<HTMLInputElement>('p-password').value;
    const username = $<HTMLInputElement>('p-username').value.trim();
    const r = editing
      ? await api<{ user: Person }>('PUT', `/users/${encodeURIComponent(editing.username)}`, scope)
      : await api<{ user: Person; password?: string }>('POST', '/users', { username, ...scope, ...(password ? { password } : {}) });
    if (r.status === 200 || r.status === 201) {
      const created = r.status === 201 ? r.body as { user: Person; password?: string } : undefined;
      const who = `${r.body.user.displayName} (${r.body.user.username}), ${ROLE_NAMES[r.body.user.role].toLowerCase()}`;
      if (created?.password) say(`Added ${who}. Their password, shown once: give it to them in person or by phone.`, 'success', created.password);
      else say(created ? `Added ${who}.` : `Changed ${who}. If they lost a role, a local or a vote, they were signed out and their API tokens revoked.`, 'success');
      $<HTMLInputElement>('p-password').value = '';
      edit(undefined);
      await load();
      return;
    }
    showRefusal($('person-errors'), editing ? 'The change was not saved' : 'The person was not added', r, FIELD_INPUT, 'The person');
  });

  edit(undefined);
  await load();
}

/** The signed-in person's API tokens: make one (shown once), and the list (names and dates, never the secret), each revocable. */
/** The person's own password: the current one, the new one twice; the server ends their other ways in. */
function ownPassword(changed: () => Promise<void>): void {
  const form = document.getElementById('password-form') as HTMLFormElement | null;
  if (!form) return;
  const inputs = { currentPassword: 'current-password', newPassword: 'new-password', repeat: 'repeat-password' };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    $('password-status').textContent = '';
    const value = (id: string) => $<HTMLInputElement>(id).value;
    if (value('new-password') !== value('repeat-password')) {
      return showRefusal($('password-errors'), 'The password was not changed', { status: 400, body: { error: { field: 'repeat', message: 'the two new passwords differ: type the same one twice' } } }, inputs, 'The new password');
    }
    const r = await api('PUT', '/session/password', { currentPassword: value('current-password'), newPassword: value('new-password') });
    if (r.status !== 204) return showRefusal($('password-errors'), 'The password was not changed', r, inputs, 'The password');
    $('password-errors').replaceChildren();
    form.reset();
    $('password-status').textContent = 'Your password is changed. Your other sessions have ended and your API tokens are revoked.';
    await changed();
  });
}

export async function ownTokens(role: string): Promise<void> {
  const table = $('tokens');
  if (!table) return;
  ownPassword(load);
  $('make-token').addEventListener('click', async () => {
    const r = await api<{ token: string }>('POST', '/tokens', { name: `${role} command line` });
    $('token-result').textContent = r.status === 201 ? `UNION_VOTE_TOKEN=${r.body.token} (shown once: copy it now)` : r.body.error?.message ?? `could not make a token (${r.status})`;
    await load();
  });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : 'never');
  async function load(): Promise<void> {
    const r = await api<{ tokens: { id: string; name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[] }>('GET', '/tokens');
    const live = (r.body.tokens ?? []).filter((t) => !t.revokedAt);
    const body = table.querySelector('tbody')!;
    body.replaceChildren();
    if (live.length === 0) {
      const tr = el('tr');
      tr.append(el('td', 'You have no API token.', { colspan: '4', class: 'left' }));
      body.append(tr);
    }
    for (const t of live) {
      const tr = el('tr');
      const revoke = el('button', 'Revoke', { type: 'button', class: 'secondary', 'aria-label': `Revoke the token ${t.name}` });
      revoke.addEventListener('click', async () => {
        if (!confirm(`Revoke the token "${t.name}"? Scripts using it stop working at once.`)) return;
        const d = await api('DELETE', `/tokens/${encodeURIComponent(t.id)}`);
        $('tokens-status').textContent = d.status === 204 ? `The token "${t.name}" is revoked.` : d.body.error?.message ?? `could not revoke it (${d.status})`;
        await load();
      });
      const cell = el('td', undefined, { class: 'left' });
      cell.append(revoke);
      tr.append(el('th', t.name, { scope: 'row', class: 'left' }), el('td', when(t.createdAt), { class: 'left' }), el('td', when(t.lastUsedAt), { class: 'left' }), cell);
      body.append(tr);
    }
  }
  await load();
}
