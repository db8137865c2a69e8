import { readFile } from 'node:fs/promises';

/**
 * The add-in version for the manifest: the numeric `major.minor.patch` of `package.json`
 * (a pre-release or build suffix is dropped, as the manifest's `Version` type allows only
 * digits and dots: https://learn.microsoft.com/javascript/api/manifest/version).
 */
export async function readPackageVersion(
  packageJson: URL = new URL('../../../package.json', import.meta.url),
): Promise<string> {
  const pkg = JSON.parse(await readFile(packageJson, 'utf8')) as { version?: unknown };
  return manifestVersion(typeof pkg.version === 'string' ? pkg.version : '');
}

/** `1.2.3-beta.4+build` → `1.2.3`; anything without a leading `n.n` stays as it is (and fails validation). */
export function manifestVersion(semver: string): string {
  return /^\d+(\.\d+){1,3}/.exec(semver)?.[0] ?? semver;
}
