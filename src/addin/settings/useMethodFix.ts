import { useCallback, useRef, useState } from 'react';
import type { Failure } from '../api/failure.ts';
import type { DiagnoseStep } from '../../contract/api.ts';
import type { Session } from '../auth/session-store.ts';
import type { MethodContext, MethodDefinition } from '../auth/methods.ts';
import { useT } from '../i18n/react.ts';

export type FixState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'diagnosing' | 'retrying'; readonly steps: readonly DiagnoseStep[] }
  | { readonly phase: 'succeeded'; readonly steps: readonly DiagnoseStep[] }
  /** The diagnosis found a problem: no retry (it would fail the same way). */
  | {
      readonly phase: 'diagnosis-failed';
      readonly steps: readonly DiagnoseStep[];
      readonly failure?: Failure;
    }
  | { readonly phase: 'retry-failed'; readonly steps: readonly DiagnoseStep[]; readonly failure: Failure };

/** A card's Fix button: run the method's diagnosis, show each step, then retry once. */
export function useMethodFix(
  def: MethodDefinition,
  ctx: MethodContext | undefined,
  onSignedIn: (s: Session) => void,
  onFailed: (f: Failure) => void,
) {
  const [state, setState] = useState<FixState>({ phase: 'idle' });
  const running = useRef(false);
  const t = useT();

  const run = useCallback(async () => {
    if (def.fix.kind !== 'diagnose' || !ctx || running.current) return;
    running.current = true;
    try {
      const out = await def.fix.run(
        ctx,
        (p) => {
          setState({ phase: p.phase, steps: p.steps });
        },
        t,
      );
      if (out.diagnosisFailure) {
        setState({ phase: 'diagnosis-failed', steps: out.steps, failure: out.diagnosisFailure });
        onFailed(out.diagnosisFailure);
      } else if (!out.result) {
        setState({ phase: 'diagnosis-failed', steps: out.steps });
      } else if (out.result.ok) {
        setState({ phase: 'succeeded', steps: out.steps });
        onSignedIn(out.result.value);
      } else {
        setState({ phase: 'retry-failed', steps: out.steps, failure: out.result.failure });
        onFailed(out.result.failure);
      }
    } finally {
      running.current = false;
    }
  }, [def, ctx, onSignedIn, onFailed, t]);

  return { state, run };
}
