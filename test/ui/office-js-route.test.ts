// @vitest-environment node
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { officeJsRoutes } from '../../src/backend/routes/office-js.ts';

test('office.js and its host files are served from our own origin at /office-js/', async () => {
  const app = Fastify();
  await app.register(officeJsRoutes);
  const main = await app.inject({ url: '/office-js/office.js' });
  expect(main.statusCode).toBe(200);
  expect(main.headers['content-type']).toMatch(/javascript/);
  expect(main.body).toContain('Office');
  // office.js loads the Outlook host script relative to itself
  expect((await app.inject({ url: '/office-js/outlook-win32-16.02.js' })).statusCode).toBe(200);
  expect((await app.inject({ url: '/office-js/../package.json' })).statusCode).toBe(404);
  await app.close();
});
