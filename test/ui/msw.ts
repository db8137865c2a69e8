import { setupServer } from 'msw/node';

/** One msw server for all UI tests; unhandled requests fail the test (style.md §7). */
export const server = setupServer();
