/**
 * What the staff pages share: the same-origin JSON API with the session cookie (every change
 * carries the session's CSRF token in X-CSRF-Token), element helpers, and the signed-in person.
 */
import { whenInWords } from '@union-vote/election/language';

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
let csrf = '';
export const csrfToken = () => csrf;

export interface ApiError { error?: { code?: string; message?: string; field?: string; issues?: { field: string; message: string }[]; rows?: { line: number; field: string; reason: string }[] } }

export async function api<T>(method: string, path: string, body?: BodyInit | object, headers: Record<string, string> = {}): Promise<{ status: number; body: T & ApiError; response: Response }> {
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

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export const download = (blob: Blob) => URL.createObjectURL(blob);

/** Each role's own page. */
export const HOME: Record<string, string> = { admin: '/admin', secretary: '/secretary', monitor: '/monitor', trustee: '/trustee' };

export interface VoteRow { id: string; title: string; status: string; opensAt: string; closesAt: string; definition?: { trustees?: { count: number; threshold: number }; timeZone?: string } }

export interface SignedIn { role: string; username: string; displayName: string }

/** The signed-in person (else off to the sign-in page), with the header's name and sign-out. */
export async function signedIn(): Promise<SignedIn | undefined> {
  const me = await api<{ user: SignedIn; csrfToken?: string }>('GET', '/session');
  if (me.status !== 200) { location.assign('/signin'); return undefined; }
  csrf = me.body.csrfToken ?? '';
  $('who').textContent = `${me.body.user.displayName} (${me.body.user.role})`;
  $('signout').addEventListener('click', async () => { await api('DELETE', '/session'); location.assign('/signin'); });
  return me.body.user;
}

/** A vote's window in its own time zone, in words. */
export const windowInWords = (v: VoteRow) => `${whenInWords(v.opensAt, v.definition?.timeZone)} – ${whenInWords(v.closesAt, v.definition?.timeZone)}`;

/**
 * An API refusal shown as a list of what to fix, each item linked to its input (found by the longest
 * leading part of the API's field name that `inputs` has: counts.q1.yes, else counts.q1, else counts;
 * marked aria-invalid, named by its label or legend), the first link focused. `fallback` names what an issue concerns when no input does.
 */
export function showRefusal(box: HTMLElement, lead: string, r: { status: number; body: ApiError }, inputs: Record<string, string>, fallback: string): void {
  const issues = r.body.error?.issues ?? [{ field: r.body.error?.field ?? '', message: r.body.error?.message ?? `could not save (${r.status})` }];
  const alert = el('div', undefined, { class: 'alert' });
  alert.append(el('p', `${lead}: ${issues.length === 1 ? 'one thing needs' : `${issues.length} things need`} fixing.`));
  const ul = el('ul');
  for (const issue of issues) {
    // The input of the field's longest known part: counts.q1.yes, else counts.q1, else counts.
    const parts = issue.field.split('.');
    let id: string | undefined;
    for (let k = parts.length; k > 0 && !id; k--) id = inputs[parts.slice(0, k).join('.')];
    const target = id ? document.getElementById(id) : null;
    target?.setAttribute('aria-invalid', 'true');
    const label = target ? (target.tagName === 'FIELDSET' ? target.querySelector('legend')?.textContent : document.querySelector(`label[for="${id}"]`)?.textContent) : undefined;
    const li = el('li');
    const text = `${label ?? fallback}: ${issue.message}`;
    li.append(target ? el('a', text, { href: `#${id}` }) : text);
    ul.append(li);
  }
  alert.append(ul);
  box.replaceChildren(alert);
  alert.querySelector('a')?.focus();
}

