/**
 * Sections the staff pages share or that stand apart: the officials' rulings on challenged ballots
 * (admin), the local's paper count (secretary), people (admin), and each person's own API tokens
 * (every staff page).
 */
import { PAPER_BATCH_MINIMUM } from '@union-vote/election';

/** The officials' rulings on challenged ballots (admin page; client/staff-challenges.ts). */
export function RulingsSection() {
  return (
    <section aria-labelledby="rulings-title">
      <h2 id="rulings-title">Challenged ballots</h2>
      <p class="hint">Once a vote has closed, and before its trustees decrypt, rule on each challenged ballot: an accepted one is counted with its local, a rejected one never. No ballot is opened: an accepted one joins its local's sealed total. Each ruling and its reason are published, signed, in the vote's acts. Once a trustee has decrypted, no more rulings can be made, and ballots left unruled are not counted.</p>
      <div><label for="rulings-vote">Vote</label><select id="rulings-vote"></select></div>
      <div id="rulings-status" role="status" aria-live="polite"></div>
      <div id="rulings"></div>
    </section>
  );
}

/** The local's paper and mail ballots (secretary page; client/staff-paper.ts). */
export function PaperSection() {
  return (
    <section id="paper-section" aria-labelledby="paper-title" hidden>
      <h2 id="paper-title">Paper and mail ballots</h2>
      <p class="hint">For members who voted on paper or by mail. List who voted, by member number, and check the list: it says which ballots to count and which to set aside unopened (the member voted online, or is listed twice). The tellers count the ballots to count; enter their count for each question and record it. The count is published, signed, with the vote's acts: numbers only, never a name. Members counted here can no longer vote online.</p>
      <form id="paper-form" novalidate>
        <div id="paper-errors" role="alert"></div>
        <label for="paper-members">Member numbers of those who voted on paper (one per line, or separated by commas)</label>
        <textarea id="paper-members" rows={5} autocomplete="off" spellcheck={false}></textarea>
        <p><button type="button" id="paper-check" class="secondary">Check the list</button></p>
        <div id="paper-check-result" role="status" aria-live="polite"></div>
        <div id="paper-counts"></div>
        {/* A count of a few ballots shows how each voted (their numbers are kept beside it): only when the local has no more. */}
        <p><input type="checkbox" id="paper-small" aria-describedby="paper-small-help" /> <label for="paper-small">No more paper ballots to add: record this count even if it has fewer than {PAPER_BATCH_MINIMUM}</label></p>
        <p class="hint" id="paper-small-help">A count of fewer than {PAPER_BATCH_MINIMUM} ballots shows how its voters voted to anyone who reads it later. Keep a few ballots sealed and count them with the next ones; tick this only for the local's last ones.</p>
        <p><button type="submit">Record the count</button></p>
      </form>
      <div id="paper-result" role="status" aria-live="polite"></div>
      <div id="paper-list"></div>
    </section>
  );
}

/** Each person's own password (every staff page; client/staff-people.ts ownPassword). */
export function PasswordSection() {
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Your password</h2>
      <p class="hint">Change the password you were given. Your other sessions end and your API tokens are revoked; this one stays signed in.</p>
      <form id="password-form" novalidate>
        <div id="password-errors" role="alert"></div>
        <label for="current-password">Current password</label>
        <input id="current-password" type="password" autocomplete="current-password" required />
        <label for="new-password">New password (12 characters or more)</label>
        <input id="new-password" type="password" autocomplete="new-password" required minlength={12} />
        <label for="repeat-password">New password again</label>
        <input id="repeat-password" type="password" autocomplete="new-password" required />
        <p><button type="submit" class="secondary">Change my password</button></p>
      </form>
      <p id="password-status" role="status" aria-live="polite"></p>
    </section>
  );
}

export function TokensSection() {
  return (
    <section aria-labelledby="token-title">
      <h2 id="token-title">Your API tokens for the command line</h2>
      <p class="hint">The commands sign in with one (UNION_VOTE_TOKEN). It is shown once; make another if you lose it, and revoke one you no longer use. Changing your password revokes them all.</p>
      <button type="button" id="make-token">Make an API token</button>
      <p id="token-result" class="mono" role="status" aria-live="polite"></p>
      <div class="table-scroll" tabindex={0} role="region" aria-labelledby="token-title"><table id="tokens">
        <caption>Your live tokens</caption>
        <thead><tr><th scope="col" class="left">Name</th><th scope="col" class="left">Made</th><th scope="col" class="left">Last used</th><th scope="col" class="left">Revoke</th></tr></thead>
        <tbody></tbody>
      </table></div>
      <p id="tokens-status" role="status" aria-live="polite"></p>
    </section>
  );
}

/** The administrator's people: everyone with role and scope, and the form to add or change one. */
export function PeopleSection() {
  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <p class="hint">Secretaries run their locals; monitors and trustees are attached to votes; administrators define votes and manage people. Disabling a person, resetting their password, or taking a role, local or vote away from them signs them out everywhere and revokes their API tokens at once. A change to a monitor or trustee is recorded as an act of each vote concerned.</p>
      <div class="table-scroll" tabindex={0} role="region" aria-labelledby="people-title"><table id="people">
        <caption>Everyone who can sign in</caption>
        <thead><tr><th scope="col" class="left">Username</th><th scope="col" class="left">Name</th><th scope="col" class="left">Role</th><th scope="col" class="left">Locals or votes</th><th scope="col" class="left">Actions</th></tr></thead>
        <tbody></tbody>
      </table></div>
      <div id="people-result" role="status" aria-live="polite"></div>
      <form id="person-form" novalidate>
        <h3 id="person-form-title">Add a person</h3>
        <div id="person-errors"></div>
        <div class="row">
          <div><label for="p-username">Username (for signing in)</label><input id="p-username" type="text" autocapitalize="none" spellcheck={false} autocomplete="off" placeholder="maria.lopez" /></div>
          <div><label for="p-name">Name</label><input id="p-name" type="text" autocomplete="off" /></div>
        </div>
        <label for="p-role">Role</label>
        <select id="p-role">
          <option value="secretary">Secretary (runs the roster and codes of their locals)</option>
          <option value="monitor">Monitor (watches and verifies votes)</option>
          <option value="trustee">Trustee (holds a share of a vote's key)</option>
          <option value="admin">Administrator (defines votes, manages people)</option>
        </select>
        <fieldset id="p-locals"><legend>Locals they run</legend><div id="p-locals-list"></div></fieldset>
        <fieldset id="p-votes"><legend>Votes they are attached to</legend><div id="p-votes-list"></div></fieldset>
        <div id="p-password-row">
          <label for="p-password">Password (optional)</label>
          <p class="hint" id="p-password-hint">At least 12 characters. Left empty, the service makes one and shows it once, for you to give them.</p>
          <input id="p-password" type="password" autocomplete="new-password" aria-describedby="p-password-hint" />
        </div>
        <button type="submit" id="person-submit">Add the person</button> <button type="button" id="person-cancel" class="secondary" hidden>Cancel</button>
      </form>
    </section>
  );
}
