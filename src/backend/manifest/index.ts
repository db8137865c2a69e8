export {
  ADDIN_ID,
  DEFAULT_PUBLIC_URL,
  ICON_FILES,
  MAILBOX_MIN_VERSION,
  NS,
  PAGE_PATH,
  buildManifest,
  manifestUrls,
  parsePublicUrl,
  type ManifestOptions,
  type PublicUrl,
} from './manifest.ts';
export { manifestVersion, readPackageVersion } from './version.ts';
