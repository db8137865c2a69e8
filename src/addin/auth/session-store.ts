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

const memory = new Map<string, Session>();

/** Test hook: forget sessions held in memory. */
export function clearSessionMemory(): void {
  memory.clear();
}

export function createSessionStore(
  storage: Storage | undefined,
  partitionKey: string | undefined,
): SessionStore {
  const key = sessionKey(partitionKey);
  return {
    load() {
      const inMemory = memory.get(key);
      if (inMemory) return inMemory;
      try {
        return parseStored(storage?.getItem(key) ?? null);
      } catch {
        return undefined;
      }
    },
    save(session) {
      memory.set(key, session);
      try {
        storage?.setItem(key, JSON.stringify(session));
      } catch {
        // storage full or blocked: memory still holds it
      }
    },
    clear() {
      memory.delete(key);
      try {
        storage?.removeItem(key);
      } catch {
        // ignore
      }
    },
  };
}
