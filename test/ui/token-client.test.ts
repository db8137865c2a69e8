/** The pane's API client asks for access tokens for other add-in features and APIs (msw). */
import { http, HttpResponse } from 'msw';
import { describe, expect, test } from 'vitest';
import { createApi } from '../../src/addin/api/client.ts';
import { server } from './msw.ts';

const base = 'https://iwa.corp.test/';

describe('api.token(sessionToken, audience)', () => {
  test('posts the audience with the session as bearer and returns the token', async () => {
    const seen: { authorization: string | null; body: unknown }[] = [];
    server.use(
      http.post('https://iwa.corp.test/api/token', async ({ request }) => {
        seen.push({ authorization: request.headers.get('authorization'), body: await request.json() });
        return HttpResponse.json(
          { access_token: 'eyJ.a.b', token_type: 'Bearer', expires_in: 600 },
          { headers: { 'cache-control': 'no-store' } },
        );
      }),
    );
    const result = await createApi({ base }).token('sid.secret', 'https://api.corp.test');
    expect(result).toEqual({
      ok: true,
      value: { access_token: 'eyJ.a.b', token_type: 'Bearer', expires_in: 600 },
    });
    expect(seen).toEqual([
      { authorization: 'Bearer sid.secret', body: { audience: 'https://api.corp.test' } },
    ]);
  });

  test.each([
    [400, 'AUDIENCE_UNKNOWN'],
    [401, 'SESSION_INVALID'],
    [503, 'KEY_ENCRYPTION_KEY_MISSING'],
  ])('reports %i %s as a classified failure', async (status, code) => {
    server.use(
      http.post('https://iwa.corp.test/api/token', () =>
        HttpResponse.json({ code, message: 'no' }, { status }),
      ),
    );
    const result = await createApi({ base }).token('sid.secret', 'nope');
    expect(result).toMatchObject({ ok: false, failure: { code, status } });
  });

  test('a 200 that is not a token answer is UNEXPECTED_RESPONSE', async () => {
    server.use(http.post('https://iwa.corp.test/api/token', () => HttpResponse.json({ token: 'x' })));
    const result = await createApi({ base }).token('sid.secret', 'api');
    expect(result).toMatchObject({ ok: false, failure: { code: 'UNEXPECTED_RESPONSE' } });
  });
});
