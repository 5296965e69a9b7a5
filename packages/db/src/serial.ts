/**
 * A one-at-a-time lock: for drivers that have a single session (PGlite; postgres.js with one
 * connection under workerd), so a Kysely transaction holds the session until it commits and
 * concurrent callers queue behind it instead of interleaving statements inside it.
 */
export class SerialLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves when the caller holds the lock; call the returned function to let the next in. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }

  /** Resolves once everyone queued so far has released. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
