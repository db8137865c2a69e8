import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ADDIN_ID, buildManifest, readPackageVersion } from '../manifest/index.ts';
import { option } from './options.ts';

interface ManifestOpts {
  readonly publicUrl: string;
  readonly out?: string;
}

/**
 * `outlook-iwa manifest --public-url URL [--out FILE]`: writes the add-in manifest for a
 * deployment, to standard output unless `--out` is given. A non-https URL is a
 * `CONFIG_INVALID` error naming `--public-url`.
 */
export function manifestCommand(): Command {
  return new Command('manifest')
    .description('write manifest.xml (the Outlook add-in manifest admins sideload) for a deployment')
    .addOption(
      option(
        '--public-url <url>',
        'the https:// address Outlook loads the add-in from',
      ).makeOptionMandatory(),
    )
    .addOption(option('--out <file>', 'write the manifest to this file instead of standard output'))
    .action(async (opts: ManifestOpts) => {
      const xml = buildManifest({
        publicUrl: opts.publicUrl,
        version: await readPackageVersion(),
        id: ADDIN_ID,
      });
      if (opts.out === undefined) {
        process.stdout.write(xml);
        return;
      }
      await writeFile(opts.out, xml, 'utf8');
      process.stderr.write(`wrote ${opts.out} for ${opts.publicUrl}\n`);
    });
}
