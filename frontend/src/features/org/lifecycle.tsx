// What the lifecycle forms (onboard, transfer, change of post, leave) share: the effective time,
// and turning the server's answer into inline errors. The server names some fields by their id
// (`unitId`, `departmentId`, `successorId`); the forms use those names, and a unit error lands
// on the department, which decides the unit.
import { useState } from 'react';
import { Form, Input, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';

/** Now, as a `datetime-local` input shows it (local time, minutes). */
export function nowLocal(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function toIso(local: string): string {
  return new Date(local).toISOString();
}

export function EffectiveAtField() {
  const { t } = useTranslation();
  return (
    <Form.Item name="effectiveAt" label={t('org.effectiveAt')} extra={t('org.effectiveAtHint')} rules={[{ required: true, message: t('common.required') }]}>
      <Input type="datetime-local" data-testid="effective-at" />
    </Form.Item>
  );
}

/** Post, position and title (each at most 60 characters, as the server keeps them). */
export function PostFields() {
  const { t } = useTranslation();
  return (
    <>
      {(['post', 'position', 'title'] as const).map((name) => (
        <Form.Item key={name} name={name} label={t(name === 'post' ? 'org.postField' : `org.${name}`)}>
          <Input maxLength={60} />
        </Form.Item>
      ))}
    </>
  );
}

interface Payload {
  errors: readonly FieldError[];
}

/** Runs a lifecycle mutation; returns true when it succeeded, else shows its errors. */
export function useLifecycleSubmit(form: FormInstance) {
  const [problems, setProblems] = useState<FieldError[]>([]);
  async function run(send: () => Promise<{ error?: CombinedError; payload?: Payload | null }>): Promise<boolean> {
    setProblems([]);
    const { error, payload } = await send();
    if (error) {
      setProblems([{ code: 'REQUEST', message: errorText(error) }]);
      return false;
    }
    if (payload?.errors.length) {
      // the server names its input fields (unit, department, successor); these forms pick ids
      const formField: Record<string, string> = { unit: 'departmentId', department: 'departmentId', successor: 'successorId' };
      const errors = payload.errors.map((e) => (e.field && formField[e.field] ? { ...e, field: formField[e.field] } : e));
      setProblems(applyFieldErrors(form, errors));
      return false;
    }
    return true;
  }
  return { problems, run };
}
