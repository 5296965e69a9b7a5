/**
 * Staff pages: sign-in, the local's page for its secretary (roster import with every bad row
 * named, good standing, code issuing, delivery, turnout), and the page of monitors and trustees
 * (their votes, and what to run for each). Rendered as shells; client/staff.ts
 * talks to the same JSON API the command line uses, with the session cookie and CSRF header.
 */
import { Page } from './layout.tsx';
import { PaperSection, PeopleSection, RulingsSection, PasswordSection, TokensSection } from './staff-sections.tsx';

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
          <p id="standing-status" role="status" aria-live="polite"></p>
          <div class="table-scroll" tabindex={0} role="region" aria-labelledby="roster-title"><table id="members" class="cards">
            <caption id="members-caption">Members</caption>
            <thead><tr><th scope="col">Member</th><th scope="col" class="left">Name</th><th scope="col" class="left">Contact</th><th scope="col">In good standing</th><th scope="col" class="left">Code</th></tr></thead>
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

        <section aria-labelledby="challenges-title">
          <h2 id="challenges-title">Challenged ballots</h2>
          <p class="hint">For a member who is not on the roster, or whose good standing is disputed: they vote like anyone else with a challenged code, and their ballot is set aside, sealed, until the officials rule after the close. How they voted is never shown. The reason is published with the vote's official acts: write why, never the member's name.</p>
          <form id="challenge-form" novalidate>
            <div id="challenge-errors" role="alert"></div>
            <div class="row">
              <div><label for="c-name">Member's name</label><input id="c-name" name="name" type="text" autocomplete="off" /></div>
              <div><label for="c-number">Member number (if they have one)</label><input id="c-number" name="memberNumber" type="text" autocomplete="off" /></div>
            </div>
            <label for="c-reason">Why their eligibility is disputed</label>
            <input id="c-reason" name="reason" type="text" autocomplete="off" placeholder="Paid dues at the hall today; not yet on the roster" />
            <p><button type="submit">Give a challenged code</button></p>
          </form>
          <div id="challenge-result" role="status" aria-live="polite"></div>
          <div id="challenge-list"></div>
        </section>
        <PaperSection />
        <PasswordSection />
        <TokensSection />
      </main>
    </Page>
  );
}

/** The rules a form can pick; anything else is written as JSON (the same schema the API checks). */
export const RULE_PRESETS: Record<string, { label: string; rule: unknown }> = {
  majority: { label: 'More than half of the yes and no votes', rule: { type: 'popular', threshold: { fraction: { numerator: 1, denominator: 2 }, inclusive: false }, base: 'yes-no' } },
  'two-thirds': { label: 'At least two-thirds of the yes and no votes', rule: { type: 'popular', threshold: { fraction: { numerator: 2, denominator: 3 }, inclusive: true }, base: 'yes-no' } },
  'three-quarters': { label: 'At least three-quarters of the yes and no votes (strike authorization)', rule: { type: 'popular', threshold: { fraction: { numerator: 3, denominator: 4 }, inclusive: true }, base: 'yes-no' } },
  'delegates-wta': { label: 'Delegate votes, winner-take-all per local (more than half; a tied local counts no), more than half of all delegates', rule: { type: 'delegates', allocation: 'winner-take-all', localThreshold: { fraction: { numerator: 1, denominator: 2 }, inclusive: false }, tie: 'no', base: 'yes-no', threshold: { fraction: { numerator: 1, denominator: 2 }, inclusive: false } } },
  'delegates-proportional': { label: 'Delegate votes, proportional to each local\'s yes share, more than half of all delegates', rule: { type: 'delegates', allocation: 'proportional', base: 'yes-no', threshold: { fraction: { numerator: 1, denominator: 2 }, inclusive: false } } },
  custom: { label: 'Another rule, written as JSON', rule: null },
};

export function AdminPage() {
  return (
    <Page lang="en" title="Votes and people — Union Vote" wide scripts={['staff.js']} data={{ page: 'admin', rules: RULE_PRESETS }}>
      <header class="top"><a class="brand" href="/">Union Vote</a><span><a href="/secretary">Locals</a> · <span id="who"></span> <button type="button" id="signout" class="secondary">Sign out</button></span></header>
      <main id="main">
        <h1>Votes and people</h1>
        <section aria-labelledby="votes-title">
          <h2 id="votes-title">All votes</h2>
          <div class="table-scroll" tabindex={0} role="region" aria-labelledby="votes-title"><table id="votes" class="cards">
            <thead><tr><th scope="col" class="left">Vote</th><th scope="col" class="left">Status</th><th scope="col" class="left">Voting</th><th scope="col" class="left">Actions</th></tr></thead>
            <tbody></tbody>
          </table></div>
          <div id="vote-result" role="status" aria-live="polite"></div>
          <form id="trustee-form" hidden novalidate>
            <h3 id="trustee-title">Register a trustee</h3>
            <label for="trustee-json">The trustee's registration (public key share, proof, signing key and signature), as printed by <code>union-vote trustee keygen</code></label>
            <textarea id="trustee-json" rows={6}></textarea>
            <button type="submit">Register</button> <button type="button" id="trustee-cancel" class="secondary">Cancel</button>
          </form>
        </section>

        <section aria-labelledby="define-title">
          <h2 id="define-title">Define a vote</h2>
          <p class="hint">It starts as a draft. Register the trustees' keys and seal it: each trustee then approves its manifest with <code>union-vote trustee approve</code>, and you open it. Members can vote from its opening time.</p>
          <form id="define-form" novalidate>
            <div id="define-errors" role="alert"></div>
            <div class="row">
              <div><label for="f-id">Identifier (in the voting link)</label><input id="f-id" name="id" type="text" placeholder="ratify-2027-agreement" autocapitalize="none" spellcheck={false} /></div>
              <div><label for="f-title">Title</label><input id="f-title" name="title" type="text" /></div>
            </div>
            <div class="row">
              <div><label for="f-title-es">Title in Spanish (optional)</label><input id="f-title-es" name="translations.es.title" type="text" lang="es" /></div>
              <div><label for="f-title-fr">Title in French (optional)</label><input id="f-title-fr" name="translations.fr.title" type="text" lang="fr" /></div>
            </div>
            <p class="hint">With a title in Spanish or French, write each question in that language too: members whose roster language it is get their letter and ballot in it. The trustees approve every language with the rest.</p>
            <label for="f-description">Description (optional)</label>
            <textarea id="f-description" name="description" rows={2}></textarea>
            <label for="f-timeZone">The vote's time zone (every time is shown in it)</label>
            <p class="hint" id="f-timeZone-hint">Its name as in America/Los_Angeles, America/New_York, America/Chicago, America/Denver, America/Toronto, America/Vancouver or UTC.</p>
            <input id="f-timeZone" name="timeZone" type="text" list="time-zones" autocapitalize="none" spellcheck={false} aria-describedby="f-timeZone-hint" value="America/Los_Angeles" />
            <datalist id="time-zones">{['America/Los_Angeles', 'America/Denver', 'America/Phoenix', 'America/Chicago', 'America/New_York', 'America/Toronto', 'America/Vancouver', 'America/Halifax', 'America/Anchorage', 'Pacific/Honolulu', 'America/Puerto_Rico', 'UTC'].map((z) => <option value={z} />)}</datalist>
            <div class="row">
              <div><label for="f-opensAt">Opens (in the vote's time zone)</label><input id="f-opensAt" name="opensAt" type="datetime-local" /></div>
              <div><label for="f-closesAt">Closes (in the vote's time zone)</label><input id="f-closesAt" name="closesAt" type="datetime-local" /></div>
            </div>
            <fieldset id="f-locals">
              <legend>Locals taking part, and their delegate votes</legend>
              <div id="locals-list"></div>
            </fieldset>
            <div id="questions"></div>
            <button type="button" id="add-question" class="secondary">Add a question</button>
            <fieldset>
              <legend>Who may see which members have obtained a voting token (never how they voted)</legend>
              <p class="hint">Published with the vote: members read it before they vote. None ticked: nobody sees who voted, only the counts.</p>
              <label class="choice"><input type="checkbox" name="turnoutList.visibleTo" value="secretary" /> Secretaries of their own local</label>
              <label class="choice"><input type="checkbox" name="turnoutList.visibleTo" value="monitor" /> Monitors (election observers; ticked alone, this is "observers only")</label>
              <label class="choice"><input type="checkbox" name="turnoutList.visibleTo" value="admin" /> Administrators</label>
              <label for="f-turnout-from">From</label>
              <select id="f-turnout-from" name="turnoutList.from"><option value="close">when the vote closes</option><option value="open">when the vote opens</option></select>
            </fieldset>
            <fieldset>
              <legend>Trustees (who hold the key that decrypts the totals)</legend>
              <p class="hint">With both numbers, the trustees make the key together in a key ceremony and any of that many decrypt (e.g. 3 trustees, any 2): one lost key file no longer loses the vote. Left empty, each trustee has a key of their own and every one of them is needed.</p>
              <div class="row">
                <div><label for="f-trustees-count">Trustees</label><input id="f-trustees-count" name="trustees.count" type="text" inputmode="numeric" /></div>
                <div><label for="f-trustees-threshold">Needed to decrypt</label><input id="f-trustees-threshold" name="trustees.threshold" type="text" inputmode="numeric" /></div>
              </div>
            </fieldset>
            <fieldset>
              <legend>The independent ballot checker (where members check a ballot before casting)</legend>
              <p class="hint">Hosted by a monitor or the union, not on this service: the file <code>checker.html</code> that <code>npm run build:assets</code> builds and whose SHA-256 it prints. Left empty, members are sent to this service's own copy.</p>
              <label for="f-checkerUrl">Address of the checker page (optional)</label>
              <input id="f-checkerUrl" name="checkerUrl" type="text" inputmode="url" placeholder="https://check.example.org/checker.html" />
              <label for="f-checkerSha256">Its SHA-256 (optional)</label>
              <input id="f-checkerSha256" name="checkerSha256" type="text" spellcheck={false} autocomplete="off" />
            </fieldset>
            <button type="submit">Save as a draft</button>
          </form>
        </section>

        <RulingsSection />
        <PeopleSection />
        <PasswordSection />
        <TokensSection />
      </main>
    </Page>
  );
}

/**
 * Monitors' and trustees' page: the votes they are attached to, each with its board, fingerprint and
 * record, and the exact commands of their part (a monitor witnesses the box and verifies the record;
 * a trustee approves the sealed manifest and decrypts after the close), with an API token for them.
 */
export function WatchPage(props: { role: 'monitor' | 'trustee' }) {
  const monitor = props.role === 'monitor';
  return (
    <Page lang="en" title={`${monitor ? 'Monitor' : 'Trustee'} — Union Vote`} wide scripts={monitor ? ['staff.js'] : ['staff.js', 'trustee.js']} data={{ page: props.role }}>
      <header class="top"><a class="brand" href="/">Union Vote</a><span><span id="who"></span> <button type="button" id="signout" class="secondary">Sign out</button></span></header>
      <main id="main">
        <h1>{monitor ? 'Your votes to monitor' : 'Your votes as a trustee'}</h1>
        <p class="hint">{monitor
          ? 'You watch the ballot box for the members: from the opening through the closing, your own copy of every head you cosign is the evidence that the box was never rewritten. Then you verify the election record against the vote\'s fingerprint.'
          : 'You hold a share of the key that decrypts the totals. You approve the sealed vote before it opens, and decrypt the totals after it closes, each time after your own computer has checked the record.'}</p>
        <div id="watch-votes"><p>Loading your votes…</p></div>
        {monitor ? null : (
          <section aria-labelledby="kb-title">
            <h2 id="kb-title">Your key, in this browser</h2>
            <p class="hint">The same steps as the command line, run here: your key file is read by this page and never sent. After a step that changes it, save the new file. The key ceremony (k of n) runs while the vote is a draft: join, then deal once everyone has joined, then check (again, until it says the ceremony is over).</p>
            <label for="kb-vote">Vote</label>
            <select id="kb-vote"></select>
            <label for="kb-file">Your key file</label>
            <input type="file" id="kb-file" accept=".json,application/json" />
            <label for="kb-pass">Its passphrase (key files of the key ceremony)</label>
            <input type="password" id="kb-pass" autocomplete="off" />
            <label for="kb-witness">A monitor's witness file of the closed vote (to decrypt; required for k-of-n votes)</label>
            <input type="file" id="kb-witness" accept=".json,application/json" multiple />
            <p id="kb-actions">
              <button type="button" id="kb-join" class="secondary">Join the key ceremony</button>{' '}
              <button type="button" id="kb-deal" class="secondary">Deal</button>{' '}
              <button type="button" id="kb-check" class="secondary">Check my shares</button>{' '}
              <button type="button" id="kb-approve" class="secondary">Approve the sealed vote</button>{' '}
              <button type="button" id="kb-decrypt">Decrypt after the close</button>
            </p>
            <pre id="kb-log" class="command" role="status" aria-live="polite"></pre>
            <p><a id="kb-save" class="button" hidden>Save your updated key file</a></p>
          </section>
        )}
        <PasswordSection />
        <TokensSection />
      </main>
    </Page>
  );
}


/** The signed-in person's API tokens for the command line: make one (shown once), list and revoke them. */
