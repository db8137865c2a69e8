import { OfficeError, OfficeErrorCodes } from './host.ts';

/** The parts of `Office.AsyncResult` we read. (`status` is typed as an enum; at run time it is `"succeeded"`/`"failed"`.) */
type AsyncResultLike<T> = Pick<Office.AsyncResult<T>, 'status' | 'value' | 'error'>;

/**
 * The one promisifier for Office.js callback APIs. `invoke` receives the callback to pass to
 * the API; the promise resolves with `asyncResult.value` when the status is `succeeded` and
 * rejects with an {@link OfficeError} carrying `Office.Error.code`/`name` otherwise. A
 * synchronous throw (unsupported API, bad argument) also becomes an `OfficeError`.
 *
 * @see https://learn.microsoft.com/javascript/api/office/office.asyncresult
 */
export function officeCall<T>(
  operation: string,
  invoke: (callback: (result: AsyncResultLike<T>) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      invoke((result) => {
        if (String(result.status) === 'succeeded') {
          resolve(result.value);
          return;
        }
        const error = result.error as Office.Error | null | undefined;
        reject(
          new OfficeError(
            operation,
            error?.code ?? OfficeErrorCodes.threw,
            error?.name ?? 'Failed',
            // Office messages never contain the token; ours never contain more than the name.
            `${operation} failed: ${error?.name ?? 'Failed'} (${error?.code ?? '?'})`,
          ),
        );
      });
    } catch (thrown) {
      const name = thrown instanceof Error ? thrown.name : 'Error';
      reject(new OfficeError(operation, OfficeErrorCodes.threw, name));
    }
  });
}
