/** SMS through Twilio's Messages API (form-encoded POST with basic auth). */
import type { MessageSender } from './sender.ts';

export function twilioSender(o: { accountSid: string; authToken: string; from: string; apiUrl?: string | undefined; fetch?: typeof fetch }): MessageSender {
  const url = `${(o.apiUrl ?? 'https://api.twilio.com').replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`;
  const fetchFn = o.fetch ?? fetch;
  const auth = `Basic ${btoa(`${o.accountSid}:${o.authToken}`)}`;
  return {
    channels: new Set(['sms']),
    async send(m) {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: m.to, From: o.from, Body: m.text }).toString(),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string; code?: number };
        throw new Error(`Twilio refused the message (${res.status}${body.code ? `, code ${body.code}` : ''}): ${body.message ?? res.statusText}`);
      }
    },
  };
}
