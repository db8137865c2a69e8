import * as z from 'zod/mini';
import { mechanism, signInResponse, type SignInResponse } from '../../contract/api.ts';

/**
 * What the pane keeps of a session: the sign-in answer as it came (docs/interface.md), token
 * included. It lives in memory and `sessionStorage` only (docs/architecture.md §4).
 */
export type Session = SignInResponse;

// A pane before the contract stored no `mechanism` for identity-token sessions: still valid.
const storedSession = z.extend(signInResponse, { mechanism: z._default(z.nullable(mechanism), null) });

/** Where the session token lives: memory, mirrored to `sessionStorage` (no cookies). */
export interface SessionStore {
  load(): Session | undefined;
  save(session: Session): void;
  clear(): void;
}

/** The storage key; includes `Office.context.partitionKey` when storage is partitioned. */
export function sessionKey(partitionKey: string | undefined): string {
  return partitionKey ? `${partitionKey}/outlook-iwa.session` : 'outlook-iwa.session';
}

function parseStored(text: string | null): Session | undefined {
  if (!text) return undefined;
  try {
    const parsed = storedSession.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function createSessionStore(
  storage: Storage | undefined,
  partitionKey: string | undefined,
): SessionStore {
  const key = sessionKey(partitionKey);
  // This store's own copy, for when `sessionStorage` is full or blocked: the pane makes one
  // store per sign-in hook, so nothing is shared through module state.
  let held: Session | undefined;
  return {
    load() {
      if (held) return held;
      try {
        return parseStored(storage?.getItem(key) ?? null);
      } catch {
        return undefined;
      }
    },
    save(session) {
      held = session;
      try {
        storage?.setItem(key, JSON.stringify(session));
      } catch {
        // storage full or blocked: memory still holds it
      }
    },
    clear() {
      held = undefined;
      try {
        storage?.removeItem(key);
      } catch {
        // ignore
      }
    },
  };
}
