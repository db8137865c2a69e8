import { isMethodId, type Session } from '../api/types.ts';

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
    const v = JSON.parse(text) as Partial<Session>;
    if (typeof v.token !== 'string' || typeof v.mailbox !== 'string' || typeof v.expiresAt !== 'string')
      return undefined;
    if (!isMethodId(v.method)) return undefined;
    return {
      token: v.token,
      mailbox: v.mailbox,
      method: v.method,
      mechanism: v.mechanism === 'kerberos' || v.mechanism === 'ntlm' ? v.mechanism : undefined,
      expiresAt: v.expiresAt,
    };
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
