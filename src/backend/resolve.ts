import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { IwaError } from '../protocol/errors.ts';

/**
 * Parses `--resolve HOST:ADDRESS[,HOST:ADDRESS…]` (curl's idea, without the port): pins a CAS
 * host name to an address for split-horizon DNS, labs and diagnosis from a jump host.
 */
export function parseResolveOverrides(text: string | undefined, flag = '--resolve'): Map<string, string> {
  const map = new Map<string, string>();
  if (text === undefined || text.trim() === '') return map;
  for (const entry of text.split(',')) {
    const at = entry.indexOf(':');
    const host = entry.slice(0, at).trim().toLowerCase();
    const address = entry
      .slice(at + 1)
      .trim()
      .replace(/^\[|\]$/g, '');
    if (at <= 0 || host === '' || net.isIP(address) === 0) {
      throw new IwaError('CONFIG_INVALID', { flag, problem: `"${entry}" is not HOST:IP-ADDRESS` });
    }
    map.set(host, address);
  }
  return map;
}

/** A `dns.lookup` that answers pinned names itself and asks the system for the rest. */
export function lookupWithOverrides(overrides: ReadonlyMap<string, string>): LookupFunction | undefined {
  if (overrides.size === 0) return undefined;
  const lookup: LookupFunction = (hostname, options, callback) => {
    const address = overrides.get(hostname.toLowerCase());
    if (address === undefined) {
      dns.lookup(hostname, options, callback);
      return;
    }
    const family = net.isIP(address);
    process.nextTick(() => {
      if (options.all === true) callback(null, [{ address, family }]);
      else callback(null, address, family);
    });
  };
  return lookup;
}
