// A mailbox mutation's outcome as one message: its payload errors, a transport error, or nothing.
import { errorText } from '@workbench/api/errors';

type Outcome = { error?: Parameters<typeof errorText>[0]; data?: unknown };

export function problemOf(result: Outcome, payload: { errors: readonly { message: string }[] } | null | undefined): string | null {
  if (result.error) return errorText(result.error);
  if (!payload) return errorText(undefined);
  return payload.errors.length ? payload.errors.map((e) => e.message).join(' ') : null;
}

/** The letter pages accept the number the server's links use (/mailbox/letters/12) or a Relay ID. */
export function letterId(param: string | undefined): string {
  return param && /^\d+$/.test(param) ? btoa(`MailboxLetter:${param}`) : (param ?? '');
}
