import { setupServer } from 'msw/node';

/** One msw server for all UI tests; unhandled requests fail the test (docs/architecture.md §8.7). */
export const server = setupServer();
