/**
 * The backend's one way to read a request against the contract's schemas (`./api.ts`): a
 * failure is `INPUT_INVALID` naming the field and the problem, never the value
 * (docs/interface.md § Errors). Backend only: the pane never imports this file.
 *
 * @module
 */
import * as z from 'zod/mini';
import { IwaError } from '../protocol/errors.ts';

/** `INPUT_INVALID` naming the field (or the unknown one) and the problem, never the value. */
export function inputError(error: z.core.$ZodError): IwaError {
  const issue = error.issues[0];
  if (issue === undefined) return new IwaError('INPUT_INVALID', { field: '(body)' });
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = (unknown ?? (issue.path.map(String).join('.') || '(body)')).slice(0, 64);
  const problem = unknown === undefined ? issue.message : 'is not a known field';
  return new IwaError('INPUT_INVALID', { field, problem }, `Invalid ${field}: ${problem}.`);
}

/** `input` read with `schema` (zod or zod/mini), or `INPUT_INVALID` from {@link inputError}. */
export function parseInput<S extends z.core.$ZodType>(schema: S, input: unknown): z.core.output<S> {
  const result = z.safeParse(schema, input);
  if (!result.success) throw inputError(result.error);
  return result.data;
}
