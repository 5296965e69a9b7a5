/** E-mail through Postmark's HTTP API (POST /email with the server token). */
import type { MessageSender } from './sender.ts';

export function postmarkSender(o: { token: string; from: string; apiUrl?: string | undefined; fetch?: typeof fetch }): MessageSender {
  const url = `${(o.apiUrl ?? 'https://api.postmarkapp.com').replace(/\/$/, '')}/email`;
  const fetchFn = o.fetch ?? fetch;
  return {
    channels: new Set(['email']),
    async send(m) {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-postmark-server-token': o.token },
        body: JSON.stringify({ From: o.from, To: m.to, Subject: m.subject, TextBody: m.text, MessageStream: 'outbound' }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { Message?: string; ErrorCode?: number };
        throw new Error(`Postmark refused the message (${res.status}${body.ErrorCode ? `, code ${body.ErrorCode}` : ''}): ${body.Message ?? res.statusText}`);
      }
    },
  };
}
