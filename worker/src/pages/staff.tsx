/**
 * Staff pages: sign-in, and the local's page for its secretary (roster import with every bad row
 * named, good standing, code issuing, delivery, turnout). Rendered as shells; client/staff.ts
 * talks to the same JSON API the command line uses, with the session cookie and CSRF header.
 */
import { Page } from './layout.tsx';

export function SignInPage() {
  return (
    <Page lang="en" title="Sign in — Union Vote" scripts={['staff.js']} data={{ page: 'signin' }}>
      <header class="top"><a class="brand" href="/">Union Vote</a></header>
      <main id="main">
        <h1>Staff sign-in</h1>
        <p class="hint">For local secretaries, administrators, trustees and election monitors. Members vote from the link in their letter, without signing in.</p>
        <form id="signin-form" novalidate>
          <label for="username">Username</label>
          <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck={false} required />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <p id="signin-error" class="error" role="alert"></p>
          <button type="submit">Sign in</button>
        </form>
      </main>
    </Page>
  );
}

export function SecretaryPage() {
  return (
    <Page lang="en" title="Local — Union Vote" wide scripts={['staff.js']} data={{ page: 'secretary' }}>
      <header class="top"><a class="brand" href="/">Union Vote</a><span><span id="who"></span> <button type="button" id="signout" class="secondary">Sign out</button></span></header>
      <main id="main">
        <h1 id="local-title">Your local</h1>
        <div class="row">
          <div><label for="local">Local</label><select id="local"></select></div>
          <div><label for="vote">Vote</label><select id="vote"></select></div>
        </div>

        <section aria-labelledby="roster-title">
          <h2 id="roster-title">Roster</h2>
          <form id="import-form" novalidate>
            <label for="roster-file">Import a roster (CSV: member_number, name, email, phone, good_standing)</label>
            <p class="hint">All or nothing: if any row is wrong, nothing is imported and every wrong row is listed. Members already on the roster are updated, never duplicated.</p>
            <input id="roster-file" name="roster" type="file" accept=".csv,text/csv" />
            <button type="submit">Import</button>
          </form>
          <div id="import-result" role="status" aria-live="polite"></div>
          <div class="table-scroll" tabindex={0} role="region" aria-labelledby="roster-title"><table id="members">
            <caption id="members-caption">Members</caption>
            <thead><tr><th scope="col">Member</th><th scope="col" class="left">Name</th><th scope="col" class="left">Contact</th><th scope="col">In good standing</th></tr></thead>
            <tbody></tbody>
          </table></div>
        </section>

        <section aria-labelledby="codes-title">
          <h2 id="codes-title">Voting codes</h2>
          <p class="hint">Codes go to members in good standing who have none yet. Each code is shown once, in the file you download now; the service keeps only its hash.</p>
          <form id="codes-form" class="row" novalidate>
            <div><label for="codes-as">Deliver as</label>
              <select id="codes-as">
                <option value="mailer">Printable letters (one page per member)</option>
                <option value="csv">CSV for mail merge</option>
                <option value="email-or-sms">Send by e-mail, or SMS where there is no e-mail</option>
              </select></div>
            <div><button type="submit">Issue codes</button></div>
          </form>
          <div id="codes-result" role="status" aria-live="polite"></div>
          <p><button type="button" id="send-outbox" class="secondary">Send queued messages</button> <span id="outbox-status" role="status"></span></p>
        </section>

        <section aria-labelledby="turnout-title">
          <h2 id="turnout-title">Turnout</h2>
          <p id="turnout-counts"></p>
          <div id="turnout-missing"></div>
        </section>
      </main>
    </Page>
  );
}
