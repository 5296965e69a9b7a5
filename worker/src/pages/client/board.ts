/** The board page's script: "verify in this browser" runs the verifier in a worker and shows each check. */
export {};
interface Check { id: string; name: string; ok: boolean; details: string[] }

const data = JSON.parse(document.getElementById('page-data')!.textContent!) as { voteId: string };
const button = document.getElementById('verify') as HTMLButtonElement | null;
const status = document.getElementById('verify-status')!;
const progress = document.getElementById('verify-progress') as HTMLProgressElement;
const list = document.getElementById('verify-checks')!;

button?.addEventListener('click', () => {
  button.disabled = true;
  list.replaceChildren();
  progress.hidden = false;
  progress.value = 0;
  status.textContent = 'Starting the verifier…';
  const worker = new Worker('/assets/verify-worker.js', { type: 'module' });
  worker.onerror = (e) => {
    worker.terminate();
    button.disabled = false;
    progress.hidden = true;
    status.textContent = `The verifier could not run: ${e.message || 'its script failed to load'}`;
  };
  worker.onmessage = (e: MessageEvent<{ type: 'progress'; step: string; done: number; total: number } | { type: 'report'; report: { ok: boolean; checks: Check[] } } | { type: 'error'; message: string }>) => {
    const m = e.data;
    if (m.type === 'progress') {
      progress.max = Math.max(1, m.total);
      progress.value = m.done;
      status.textContent = `Checking ${m.step}: ${m.done.toLocaleString('en-US')} of ${m.total.toLocaleString('en-US')}`;
      return;
    }
    worker.terminate();
    button.disabled = false;
    progress.hidden = true;
    if (m.type === 'error') {
      status.textContent = `The verifier could not run: ${m.message}`;
      return;
    }
    for (const c of m.report.checks) {
      const li = document.createElement('li');
      const mark = document.createElement('strong');
      mark.className = c.ok ? 'passed' : 'failed';
      mark.textContent = c.ok ? 'PASS' : 'FAIL';
      li.append(mark, ` ${c.id}: ${c.name}`);
      if (c.details.length) {
        const more = document.createElement('ul');
        for (const d of c.details.slice(0, 20)) { const x = document.createElement('li'); x.textContent = d; more.append(x); }
        li.append(more);
      }
      list.append(li);
    }
    const failed = m.report.checks.filter((c) => !c.ok).length;
    status.textContent = m.report.ok
      ? `The record verifies: all ${m.report.checks.length} checks passed.`
      : `The record does NOT verify: ${failed} of ${m.report.checks.length} checks failed.`;
    status.className = `status ${m.report.ok ? 'passed' : 'failed'}`;
  };
  worker.postMessage({ voteId: data.voteId });
});
