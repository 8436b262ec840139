// One way to run a documents mutation: the payload's errors (or a transport error) as a message,
// success as a toast; returns the payload when it went through.
import { useCallback, useState } from 'react';
import { App } from 'antd';
import { errorText } from '@workbench/api/errors';

interface Payload {
  errors: readonly { message: string }[];
}

export function useRun() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <P extends Payload>(promise: Promise<{ error?: Parameters<typeof errorText>[0]; data?: unknown }>, pick: (data: never) => P | null | undefined, ok?: string) => {
      setBusy(true);
      const r = await promise.finally(() => setBusy(false));
      const payload = r.data ? pick(r.data as never) : null;
      const problem = r.error ? errorText(r.error) : !payload ? errorText(undefined) : payload.errors.map((e) => e.message).join(' ');
      if (problem) {
        message.error(problem);
        return null;
      }
      if (ok) message.success(ok);
      return payload;
    },
    [message],
  );
  return { run, busy };
}

/** The server's links name documents by number (/documents/incoming/12); pages accept either. */
export function globalId(type: string, param: string | undefined): string {
  return param && /^\d+$/.test(param) ? btoa(`${type}:${param}`) : (param ?? '');
}

/** The number inside a Relay ID (for links to other apps' pages). */
export function localId(id: string): string {
  try {
    return atob(id).split(':')[1] ?? id;
  } catch {
    return id;
  }
}
