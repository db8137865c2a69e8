/**
 * The results as a PNG: an HTML page of SVG bar charts, screenshotted with Debian's Chromium
 * (playwright-core, never a downloaded browser).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BenchResults } from './report.ts';
import { targets } from './report.ts';

const COLORS: Readonly<Record<string, string>> = {
  direct: '#2b6cb0',
  haproxy: '#718096',
  'relay-before': '#dd6b20',
  relay: '#2f855a',
  'direct-resumed': '#63b3ed',
  'relay-resumed': '#68d391',
  'relay-workers2': '#276749',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

interface Bar {
  label: string;
  value: number;
  color: string;
  text: string;
}

/** A horizontal bar chart: one row per bar, grouped under headings. */
function bars(title: string, groups: { heading: string; bars: Bar[] }[], width = 560): string {
  const max = Math.max(1e-9, ...groups.flatMap((g) => g.bars.map((b) => b.value)));
  const rowH = 20;
  const labelW = 190;
  const plotW = width - labelW - 230;
  let y = 34;
  const parts: string[] = [];
  for (const g of groups) {
    parts.push(`<text x="0" y="${y + 12}" class="h">${esc(g.heading)}</text>`);
    y += 20;
    for (const b of g.bars) {
      const w = Math.max(1, (b.value / max) * plotW);
      parts.push(
        `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text>`,
        `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${b.color}"/>`,
        `<text x="${labelW + w + 4}" y="${y + 14}">${esc(b.text)}</text>`,
      );
      y += rowH;
    }
    y += 6;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 4}">` +
    `<text x="0" y="16" class="t">${esc(title)}</text>${parts.join('')}</svg>`
  );
}

export function chartHtml(r: BenchResults): string {
  const panels: string[] = [];
  if (r.handshake.length > 0) {
    panels.push(
      bars(
        'Complete sign-in, p50 ms (ratio to direct)',
        (['krb5', 'ntlm'] as const).map((mech) => ({
          heading: mech === 'krb5' ? 'Kerberos (1 leg)' : 'NTLM (3 legs)',
          bars: r.handshake
            .filter((h) => h.mech === mech)
            .map((h) => ({
              label: h.path,
              value: h.p50,
              color: COLORS[h.path] ?? '#555',
              text: `${h.p50.toFixed(1)} ms (${h.ratioP50.toFixed(2)}×), p95 ${h.p95.toFixed(0)}`,
            })),
        })),
      ),
    );
  }
  if (r.throughput.length > 0) {
    const conc = [...new Set(r.throughput.map((t) => t.concurrency))];
    panels.push(
      bars(
        'Kerberos sign-ins per second',
        conc.map((c) => ({
          heading: `concurrency ${c}`,
          bars: r.throughput
            .filter((t) => t.concurrency === c)
            .map((t) => ({
              label: t.path,
              value: t.perSecond,
              color: COLORS[t.path] ?? '#555',
              text: `${t.perSecond}/s${t.cpuMsPerSignIn === undefined ? '' : `, ${t.cpuMsPerSignIn.toFixed(1)} ms CPU each`}`,
            })),
        })),
      ),
    );
  }
  if (r.memory !== undefined) {
    panels.push(
      bars('Relay memory after GC, MiB', [
        {
          heading: 'RSS',
          bars: r.memory.points.map((p) => ({
            label: p.label.replace(/^expiry run(?: \(TTL \d+ s\))?: /, 'expiry: ').slice(0, 30),
            value: p.rssMiB,
            color: '#2f855a',
            text: `${p.rssMiB} MiB (heap ${p.heapMiB})`,
          })),
        },
      ]),
    );
  }
  const checks = targets(r)
    .map(
      (c) =>
        `<tr><td>${esc(c.name)}</td><td>${esc(c.target)}</td><td>${esc(c.value)}</td>` +
        `<td class="${c.met === undefined ? '' : c.met ? 'met' : 'missed'}">${c.met === undefined ? '—' : c.met ? 'met' : 'missed'}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { font: 13px system-ui, sans-serif; margin: 16px; color: #1a202c; background: #fff; width: 1160px; }
    h1 { font-size: 18px; margin: 0 0 4px; } p { margin: 0 0 12px; color: #4a5568; }
    .grid { display: flex; flex-wrap: wrap; gap: 16px 24px; }
    svg text { font: 12px system-ui, sans-serif; fill: #1a202c; } svg .t { font-weight: 600; font-size: 14px; }
    svg .h { font-weight: 600; fill: #4a5568; }
    table { border-collapse: collapse; margin-bottom: 14px; } td { padding: 3px 10px; border-bottom: 1px solid #e2e8f0; }
    .met { color: #2f855a; font-weight: 600; } .missed { color: #c53030; font-weight: 600; }
  </style></head><body>
  <h1>Outlook IWA relay benchmark</h1>
  <p>${esc(r.startedAt)} · ${r.machine.cpus} × ${esc(r.machine.cpuModel)} · load average ${r.machine.loadAvgStart.join(' ')} → ${(r.machine.loadAvgEnd ?? []).join(' ')}</p>
  <table>${checks}</table>
  <div class="grid">${panels.join('')}</div></body></html>`;
}

export async function renderChart(r: BenchResults): Promise<Buffer> {
  const profile = await mkdtemp(join(tmpdir(), 'iwa-bench-chart-'));
  // A persistent context on a fresh profile directory: Playwright refuses --user-data-dir in
  // launch() arguments, and this is the same thing.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    viewport: { width: 1200, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent(chartHtml(r));
    return await page.screenshot({ fullPage: true, type: 'png' });
  } finally {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  }
}
