/**
 * Draws the add-in's icons into `public/`: a white key on a rounded square in the Fluent
 * brand blue, at the sizes the manifest declares (16, 32, 80 for the ribbon buttons; 64
 * and 128 for `IconUrl` / `HighResolutionIconUrl`, see
 * https://learn.microsoft.com/office/dev/add-ins/design/add-in-icons). Deterministic: the
 * same script writes the same bytes, so the committed PNGs can be checked against it.
 *
 *     npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { ICON_FILES } from '../src/backend/manifest/manifest.ts';

const BRAND = [0x0f, 0x6c, 0xbd] as const; // Fluent UI v9 brand (communication blue)
const GLYPH = [0xff, 0xff, 0xff] as const;
const SUBSAMPLES = 8; // per axis: 64 samples per pixel for anti-aliasing

/** Signed distance to a rounded rectangle centred on (0.5, 0.5) with half-size `h` and radius `r`. */
function roundedSquare(x: number, y: number, h: number, r: number): number {
  const qx = Math.abs(x - 0.5) - (h - r);
  const qy = Math.abs(y - 0.5) - (h - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function inRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number): boolean {
  return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

/**
 * Whether (x, y) in unit coordinates lies on the key. The key is drawn horizontally (bow on
 * the left, teeth below the blade) and turned 45° so the bow sits top left. Strokes get
 * thicker at small sizes so they stay at least about 1.5 px wide.
 */
function onKey(x: number, y: number, size: number): boolean {
  const a = -Math.PI / 4;
  const dx = x - 0.5;
  const dy = y - 0.5;
  const u = 0.5 + (dx * Math.cos(a) - dy * Math.sin(a)) / 1.08;
  const v = 0.5 + (dx * Math.sin(a) + dy * Math.cos(a)) / 1.08;
  const half = Math.max(0.045, 0.75 / size);
  const bow = Math.hypot(u - 0.3, v - 0.5);
  if (bow <= 0.18 && bow >= Math.max(0.07, 0.18 - 2.4 * half)) return true;
  if (inRect(u, v, 0.44, 0.5 - half, 0.86, 0.5 + half)) return true;
  if (inRect(u, v, 0.66, 0.5, 0.66 + 2 * half, 0.66)) return true;
  return inRect(u, v, 0.86 - 2 * half, 0.5, 0.86, 0.63);
}

/** Renders one icon as an RGBA PNG. */
export function drawIcon(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const n = SUBSAMPLES * SUBSAMPLES;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let key = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SUBSAMPLES) / size;
          const y = (py + (sy + 0.5) / SUBSAMPLES) / size;
          if (roundedSquare(x, y, 0.5, 0.2) > 0) continue;
          bg++;
          if (onKey(x, y, size)) key++;
        }
      }
      const k = bg === 0 ? 0 : key / bg;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++)
        png.data[i + c] = Math.round((BRAND[c] ?? 0) * (1 - k) + (GLYPH[c] ?? 0) * k);
      png.data[i + 3] = Math.round((255 * bg) / n);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [size, file] of Object.entries(ICON_FILES)) {
    const path = fileURLToPath(new URL(`../public/${file}`, import.meta.url));
    writeFileSync(path, drawIcon(Number(size)));
    process.stdout.write(`wrote public/${file} (${size}×${size})\n`);
  }
}
