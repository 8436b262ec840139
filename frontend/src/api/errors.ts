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

/** The server names fields in camelCase (`patientBirthDate`, `members.0.name`); a form's names are
 * paths. Both are compared as dotted strings, snake_case folded to camelCase. */
function fieldKey(name: string | readonly (string | number)[]): string {
  const path = typeof name === 'string' ? name.split('.') : name.map(String);
  return path.map((p) => p.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())).join('.');
}

/** The mounted field a server path names, or the nearest one holding it (`permissions.2` → `permissions`). */
function closestField<T>(mounted: Map<string, T>, key: string): T | undefined {
  const parts = key.split('.');
  for (let n = parts.length; n > 0; n--) {
    const hit = mounted.get(parts.slice(0, n).join('.'));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Puts each payload error on its form field (inline, under the input) and returns the ones that
 * belong to no field of this form, for an alert above it. A field is any `Form.Item` with a
 * `name` that is mounted now, whether or not it holds a value yet.
 */
export function applyFieldErrors(form: FormInstance, errors: readonly FieldError[]): FieldError[] {
  const mounted = new Map(form.getFieldsError().map((f) => [fieldKey(f.name), f.name] as const));
  const byField = new Map<string, { name: (string | number)[]; messages: string[] }>();
  const general: FieldError[] = [];
  for (const e of errors) {
    const name = e.field ? closestField(mounted, fieldKey(e.field)) : undefined;
    if (!name) {
      general.push(e);
      continue;
    }
    const key = fieldKey(name);
    const entry = byField.get(key) ?? { name: [...name], messages: [] };
    if (!entry.messages.includes(e.message)) entry.messages.push(e.message);
    byField.set(key, entry);
  }
  const fields = [...byField.values()];
  form.setFields(fields.map(({ name, messages }) => ({ name, errors: messages })));
  if (fields.length) form.scrollToField(fields[0].name, { block: 'center' });
  return general;
}
