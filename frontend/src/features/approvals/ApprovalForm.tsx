// An approval form rendered from the template's JSON Schema and UI schema with @rjsf/antd (Ant
// Design 6 widgets), validated in the browser by ajv as a convenience — the server is the
// authority and its per-field errors (`data.range.end`) show under their fields.
import { useMemo, type ComponentType } from 'react';
import { DatePicker, Flex, InputNumber, Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import Form from '@rjsf/antd';
import validator from '@rjsf/validator-ajv8';
import type { ErrorSchema, FieldProps, RJSFSchema, UiSchema, WidgetProps } from '@rjsf/utils';
import type { FieldError } from '../../api/errors';
import { ContactPicker } from '../org/ContactPicker';

export type FormData = Record<string, unknown>;

interface Props {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  formData: FormData;
  onChange?: (data: FormData) => void;
  readonly?: boolean;
  /** The server's errors (field paths under `prefix`, e.g. `data.range.end`). */
  errors?: readonly FieldError[];
  prefix?: string;
}

/** Parses a JSONString from the API; {} when empty or broken. */
export function parseJson<T = Record<string, unknown>>(text: string | null | undefined): T {
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    return {} as T;
  }
}

/** The server's dotted error paths as rjsf's error tree (`data.range.end` → {range: {end: {__errors}}}). */
export function toErrorSchema(errors: readonly FieldError[], prefix: string): ErrorSchema {
  const tree: Record<string, unknown> = {};
  for (const e of errors) {
    if (!e.field?.startsWith(`${prefix}.`)) continue;
    let node = tree;
    for (const part of e.field.slice(prefix.length + 1).split('.')) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node.__errors = [...((node.__errors as string[] | undefined) ?? []), e.message];
  }
  return tree as ErrorSchema;
}

function matches(rule: Record<string, unknown>, data: FormData): boolean {
  return Object.entries(rule).every(([k, v]) => (Array.isArray(v) ? v.includes(data[k]) : data[k] === v));
}

/** The UI schema with our kinds bound to their fields and `ui:showIf` rules applied to the data. */
function effectiveUi(schema: RJSFSchema, ui: UiSchema, data: FormData): UiSchema {
  const out: UiSchema = { ...ui, 'ui:submitButtonOptions': { norender: true } };
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (typeof prop !== 'object') continue;
    const kind = (prop as Record<string, unknown>)['x-kind'];
    const own: UiSchema = { ...((ui[key] as UiSchema | undefined) ?? {}) };
    if (kind === 'dateRange') own['ui:field'] = 'dateRange';
    if (kind === 'person' || kind === 'department') own['ui:field'] = 'people';
    if (kind === 'file') own['ui:field'] = 'files';
    const showIf = own['ui:showIf'] as Record<string, unknown> | undefined;
    if (showIf && !matches(showIf, data)) own['ui:widget'] = 'hidden';
    if (showIf && !matches(showIf, data)) own['ui:field'] = 'hiddenField';
    out[key] = own;
  }
  return out;
}

function MoneyWidget({ id, value, onChange, disabled, readonly }: WidgetProps) {
  return (
    <InputNumber
      id={id}
      value={value as number | undefined}
      onChange={(v) => onChange(v ?? undefined)}
      disabled={disabled || readonly}
      min={0}
      precision={2}
      prefix="¥"
      style={{ width: '100%' }}
    />
  );
}

function Label({ props, children }: { props: FieldProps; children: React.ReactNode }) {
  const messages = props.rawErrors ?? [];
  return (
    <div style={{ marginBottom: 16 }} data-testid={`field-${props.name}`}>
      <div style={{ paddingBottom: 8 }}>
        {props.required && <span style={{ color: '#ff4d4f', marginInlineEnd: 4 }}>*</span>}
        {props.schema.title ?? props.name}
      </div>
      {children}
      {messages.map((m) => (
        <div key={m} style={{ color: '#ff4d4f' }} role="alert">
          {m}
        </div>
      ))}
    </div>
  );
}

type Range = { start?: string; end?: string; startHalf?: string; endHalf?: string; days?: number };

function DateRangeField(props: FieldProps) {
  const { t } = useTranslation();
  const value = (props.formData ?? {}) as Range;
  const readonly = props.readonly || props.disabled;
  const days = value.days ?? (value.start && value.end ? dayjs(value.end).diff(dayjs(value.start), 'day') + 1 : undefined);
  const set = (patch: Partial<Range>) => props.onChange({ ...value, ...patch, days: undefined } as never, props.fieldPathId.path);
  const errs = props.errorSchema as Record<string, { __errors?: string[] }> | undefined;
  const nested = [...(errs?.start?.__errors ?? []), ...(errs?.end?.__errors ?? [])];
  return (
    <Label props={{ ...props, rawErrors: [...(props.rawErrors ?? []), ...nested] }}>
      <Flex vertical gap={8}>
        <DatePicker.RangePicker
          style={{ width: '100%' }}
          disabled={readonly}
          value={[value.start ? dayjs(value.start) : null, value.end ? dayjs(value.end) : null]}
          onChange={(r) => set({ start: r?.[0]?.format('YYYY-MM-DD'), end: r?.[1]?.format('YYYY-MM-DD') })}
          data-testid="date-range"
        />
        <Flex gap={8} wrap align="center">
          <Select
            size="small"
            style={{ width: 96 }}
            disabled={readonly}
            value={value.startHalf ?? 'am'}
            onChange={(v) => set({ startHalf: v })}
            options={[{ value: 'am', label: t('approvals.form.fromMorning') }, { value: 'pm', label: t('approvals.form.fromAfternoon') }]}
          />
          <Select
            size="small"
            style={{ width: 96 }}
            disabled={readonly}
            value={value.endHalf ?? 'pm'}
            onChange={(v) => set({ endHalf: v })}
            options={[{ value: 'am', label: t('approvals.form.toMorning') }, { value: 'pm', label: t('approvals.form.toEvening') }]}
          />
          {days != null && (
            <Typography.Text data-testid="range-days">
              {t('approvals.form.days', { days: days - (value.days == null ? (value.startHalf === 'pm' ? 0.5 : 0) + (value.endHalf === 'am' ? 0.5 : 0) : 0) })}
            </Typography.Text>
          )}
        </Flex>
      </Flex>
    </Label>
  );
}

const userGlobalId = (n: number) => btoa(`User:${n}`);
function userNumber(id: string): number {
  try {
    return Number(atob(id).split(':')[1]);
  } catch {
    return NaN;
  }
}

function PeopleField(props: FieldProps) {
  const value = ((props.formData ?? []) as number[]).filter((n) => typeof n === 'number');
  const kind = (props.schema as Record<string, unknown>)['x-kind'];
  if (kind === 'department' || props.readonly || props.disabled) {
    // Read-only: the people by name (the picker looks their names up).
    if (kind === 'department') return <Label props={props}>{value.map((n) => <Tag key={n}>#{n}</Tag>)}</Label>;
  }
  const single = props.schema.maxItems === 1;
  const ids = value.map(userGlobalId);
  return (
    <Label props={props}>
      <div style={props.readonly || props.disabled ? { pointerEvents: 'none' } : undefined}>
        <ContactPicker
          multiple={!single}
          value={single ? ids[0] : ids}
          onChange={(v) => props.onChange((Array.isArray(v) ? v : v ? [v] : []).map(userNumber) as never, props.fieldPathId.path)}
        />
      </div>
    </Label>
  );
}

function FilesField(props: FieldProps) {
  const { t } = useTranslation();
  const files = (props.formData ?? []) as { name?: string; url?: string }[];
  return (
    <Label props={props}>
      {files.length ? (
        files.map((f) => (
          <div key={f.url ?? f.name}>
            <Typography.Link href={f.url} target="_blank">
              {f.name}
            </Typography.Link>
          </div>
        ))
      ) : (
        <Typography.Text type="secondary">{props.readonly ? t('approvals.form.noFiles') : t('approvals.form.uploadLater')}</Typography.Text>
      )}
    </Label>
  );
}

function HiddenField() {
  return null;
}

const fields: Record<string, ComponentType<FieldProps>> = { dateRange: DateRangeField, people: PeopleField, files: FilesField, hiddenField: HiddenField };
const widgets = { money: MoneyWidget };

export function ApprovalForm({ schema, uiSchema, formData, onChange, readonly, errors = [], prefix = 'data' }: Props) {
  const ui = useMemo(() => effectiveUi(schema, uiSchema, formData), [schema, uiSchema, formData]);
  const extraErrors = useMemo(() => toErrorSchema(errors, prefix), [errors, prefix]);
  return (
    <div data-testid="approval-form">
      <Form
        schema={schema}
        uiSchema={ui}
        formData={formData}
        validator={validator}
        fields={fields}
        widgets={widgets}
        readonly={readonly}
        extraErrors={extraErrors}
        showErrorList={false}
        noHtml5Validate
        liveOmit={false}
        onChange={(e) => onChange?.((e.formData ?? {}) as FormData)}
        formContext={{ descriptionLocation: 'tooltip' }}
      />
    </div>
  );
}
