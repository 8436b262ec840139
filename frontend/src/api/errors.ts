// Errors as people read them. Business errors arrive as payload data `errors {field code message}`
// with `message` already localised by the server; top-level errors carry `extensions.code`,
// which is mapped to our own text (src/i18n/locales/*.json, `errors.*`).
import type { CombinedError } from 'urql';
import type { FormInstance } from 'antd';
import i18n from '../i18n';

export interface FieldError {
  field?: string | null;
  code: string;
  message: string;
}

export function topLevelCode(error: CombinedError | undefined): string | null {
  if (!error) return null;
  if (error.networkError) return 'NETWORK';
  const code = error.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_ERROR';
}

/** One readable sentence for a failed request. */
export function errorText(error: CombinedError | undefined): string {
  const code = topLevelCode(error);
  if (!code) return '';
  const key = `errors.${code}`;
  if (i18n.exists(key)) return i18n.t(key);
  return error?.graphQLErrors[0]?.message || i18n.t('errors.INTERNAL_ERROR');
}

/**
 * Puts each payload error on its form field (inline, under the input) and returns the ones that
 * belong to no field of this form, for an alert above it.
 */
export function applyFieldErrors(form: FormInstance, errors: readonly FieldError[]): FieldError[] {
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const byField = new Map<string, string[]>();
  const general: FieldError[] = [];
  for (const e of errors) {
    if (e.field && (known.has(e.field) || form.getFieldInstance(e.field))) {
      byField.set(e.field, [...(byField.get(e.field) ?? []), e.message]);
    } else {
      general.push(e);
    }
  }
  form.setFields([...byField].map(([name, messages]) => ({ name, errors: messages })));
  return general;
}
