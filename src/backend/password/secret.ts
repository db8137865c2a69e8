import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A password held only for the length of one sign-in. It renders as `[redacted]` in every way
 * something might print it by accident (`String()`, template literals, `JSON.stringify`, pino,
 * `util.inspect`/`console.log`), and {@link Secret.dispose} drops the reference once the NTLM
 * response is computed.
 *
 * The limit of what JavaScript allows: strings are immutable, so the characters the JSON
 * parser produced cannot be overwritten; they stay in the V8 heap until the garbage collector
 * reuses that memory. What we *can* do is keep the only references short-lived (the request
 * body object loses its `password` field, this holder forgets it after use) so the string
 * becomes garbage within the request, and zero the byte buffers we own (the raw request body;
 * the NT hash is zeroed by the NTLM client).
 */
export class Secret {
  #value: string | undefined;

  constructor(value: string) {
    this.#value = value;
  }

  /** Runs `use` with the password; throws once disposed, so a stale holder cannot be reused. */
  use<T>(use: (value: string) => T): T {
    if (this.#value === undefined) throw new Error('secret already disposed');
    return use(this.#value);
  }

  /** Forgets the password. Idempotent. */
  dispose(): void {
    this.#value = undefined;
  }

  get disposed(): boolean {
    return this.#value === undefined;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
