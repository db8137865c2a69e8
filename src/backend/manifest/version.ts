import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Our package.json: the nearest one above this module, so the same code finds it from the
 * sources (`src/backend/manifest/`) and from the compiled bundle (`dist/backend/`).
 */
function ownPackageJson(): URL {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const candidate = new URL('package.json', dir);
    if (existsSync(candidate) || dir.pathname === '/') return candidate;
  }
}

/**
 * The add-in version for the manifest: the numeric `major.minor.patch` of `package.json`
 * (a pre-release or build suffix is dropped, as the manifest's `Version` type allows only
 * digits and dots: https://learn.microsoft.com/javascript/api/manifest/version).
 */
export async function readPackageVersion(packageJson: URL = ownPackageJson()): Promise<string> {
  const pkg = JSON.parse(await readFile(packageJson, 'utf8')) as { version?: unknown };
  return manifestVersion(typeof pkg.version === 'string' ? pkg.version : '');
}

/** `1.2.3-beta.4+build` → `1.2.3`; anything without a leading `n.n` stays as it is (and fails validation). */
export function manifestVersion(semver: string): string {
  return /^\d+(\.\d+){1,3}/.exec(semver)?.[0] ?? semver;
}
