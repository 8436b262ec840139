// The entry form of one unit's period of a data set: an input per element (per option of a
// disaggregated one), a required comment under any value outside the element's bounds, the
// validation rules the saved values break, save, and 上报 (submit) when the server offers it
// (`availableActions`), after which the form is read-only. A locked period shows why, in words;
// a returned one shows 已退回 with the approver's reason. Fields stand under their topic's heading
// (门急诊与医技, 住院与手术 …), in the order the server gives.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Col, Descriptions, Flex, Form, Input, InputNumber, Popconfirm, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { SupervisionEntryFormQuery } from '../../gql/graphql';
import { errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { EntrySaveValueMutation } from './EntryOperations';
import { SubmitReportMutation } from './operations';

type Entry = SupervisionEntryFormQuery['supervisionEntryForm'];
type EntryRow = Entry['rows'][number];

interface Values {
  v: Record<string, number | null | undefined>;
  c: Record<string, string | undefined>;
}

const cellKey = (code: string, option: string) => `${code}|${option}`;

/** The rows in runs of one topic each (the server sends them ordered by topic). */
function byTopic(rows: EntryRow[]): { topic: string; label: string; rows: EntryRow[] }[] {
  const groups: { topic: string; label: string; rows: EntryRow[] }[] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    if (last && last.topic === row.element.topic) last.rows.push(row);
    else groups.push({ topic: row.element.topic, label: row.element.topicLabel, rows: [row] });
  }
  return groups;
}

function outside(row: EntryRow, value: number | null | undefined): boolean {
  if (value == null) return false;
  return (row.minValue != null && value < row.minValue) || (row.maxValue != null && value > row.maxValue);
}

/** The bounds worth telling (a lower bound of 0 alone goes without saying). */
function bounds(row: EntryRow): string {
  const { minValue: lo, maxValue: hi } = row;
  if (hi == null) return lo == null || lo === 0 ? '' : `≥ ${lo}`;
  return lo == null ? `≤ ${hi}` : `${lo}–${hi}`;
}

/** `onConsole`: the province console, where values are read but entered only in a unit's own workspace. */
export function EntryForm({ entry, onChanged, onConsole = false }: { entry: Entry; onChanged: () => void; onConsole?: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [, saveValue] = useMutation(EntrySaveValueMutation);
  const [, submitReport] = useMutation(SubmitReportMutation);
  const readOnly = entry.locked || !entry.canReport || onConsole;
  const canSubmit = !onConsole && entry.availableActions.includes('SUBMIT');
  const english = i18n.language.startsWith('en');

  const initial = useMemo<Values>(() => {
    const v: Values['v'] = {};
    const c: Values['c'] = {};
    for (const row of entry.rows) {
      for (const cell of row.cells) {
        v[cellKey(row.element.code, cell.option)] = cell.value ?? null;
        c[cellKey(row.element.code, cell.option)] = cell.comment;
      }
    }
    return { v, c };
  }, [entry]);
  const watched = Form.useWatch('v', form) ?? initial.v;

  /** Saves what changed; true when everything was saved. */
  async function save(): Promise<boolean> {
    setProblems([]);
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return false;
    }
    const general: FieldError[] = [];
    const fieldErrors: { name: ['v' | 'c', string]; errors: string[] }[] = [];
    let saved = 0;
    for (const row of entry.rows) {
      for (const cell of row.cells) {
        const key = cellKey(row.element.code, cell.option);
        const value = values.v?.[key];
        const comment = (values.c?.[key] ?? '').trim();
        if (value == null || (value === initial.v[key] && comment === (initial.c[key] ?? ''))) continue;
        const result = await saveValue({
          input: {
            unit: entry.unit.id,
            element: row.element.code,
            option: cell.option || null,
            period: entry.period,
            value: String(value),
            comment: comment || null,
            dataSet: entry.dataSet.code,
          },
        });
        const name = cell.label ? `${row.element.name}${t('common.paren', { text: cell.label })}` : row.element.name;
        if (result.error) {
          general.push({ code: 'REQUEST', message: `${name}：${errorText(result.error)}` });
          continue;
        }
        for (const e of result.data?.saveSupervisionValue?.errors ?? []) {
          if (e.field === 'comment') fieldErrors.push({ name: ['c', key], errors: [e.message] });
          else if (e.field === 'value') fieldErrors.push({ name: ['v', key], errors: [e.message] });
          else general.push({ ...e, message: `${name}：${e.message}` });
        }
        if (result.data?.saveSupervisionValue?.ok) saved += 1;
      }
    }
    form.setFields(fieldErrors);
    setProblems(general);
    if (saved) {
      message.success(t('supervision.entry.saved', { count: saved }));
      onChanged();
    }
    return !general.length && !fieldErrors.length;
  }

  async function submit() {
    setBusy(true);
    try {
      if (!readOnly && !(await save())) return;
      const result = await submitReport({ input: { unit: entry.unit.id, period: entry.period, dataSet: entry.dataSet.code } });
      const problem = result.error ? errorText(result.error) : result.data?.submitSupervisionReport?.errors.map((e) => e.message).join('；');
      if (problem) return setProblems([{ code: 'SUBMIT', message: problem }]);
      message.success(t('supervision.entry.submitted'));
      onChanged();
    } finally {
      setBusy(false);
    }
  }

  async function saveOnly() {
    setBusy(true);
    try {
      await save();
    } finally {
      setBusy(false);
    }
  }

  const lockText =
    entry.lockReason === 'SUBMITTED'
      ? t('supervision.entry.lockSubmitted', { step: t(`supervision.entry.step.${entry.step}`) })
      : entry.lockReason === 'PAST_LOCK_DATE'
        ? t('supervision.entry.lockPastDate', { date: String(entry.lockDate) })
        : null;

  return (
    <div data-testid="entry-form">
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('supervision.entry.dueDate')}>{String(entry.dueDate)}</Descriptions.Item>
        <Descriptions.Item label={t('supervision.entry.lockDate')}>
          {entry.lockDate ? String(entry.lockDate) : t('supervision.entry.noLockDate')}
          {entry.reopenedUntil ? <Tag color="green" style={{ marginInlineStart: 8 }}>{t('supervision.entry.reopenedUntil', { date: String(entry.reopenedUntil) })}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('supervision.entry.stepLabel')}>
          {entry.returned ? (
            <Tag color="error" data-testid="entry-step">{t('supervision.returned')}</Tag>
          ) : (
            <Tag color={entry.step === 'OPEN' ? 'default' : 'blue'} data-testid="entry-step">{t(`supervision.entry.step.${entry.step}`)}</Tag>
          )}
          {entry.onTime != null && <Tag color={entry.onTime ? 'green' : 'orange'}>{t(entry.onTime ? 'supervision.entry.onTime' : 'supervision.entry.late')}</Tag>}
        </Descriptions.Item>
      </Descriptions>
      {entry.returned && (
        <Alert
          type="error"
          showIcon
          data-testid="entry-returned"
          style={{ marginBottom: 16 }}
          title={t('supervision.entry.returnedTitle', { reason: entry.returned.reason })}
          description={t('supervision.entry.returnedBy', { actor: entry.returned.actorName, time: formatTime(entry.returned.at) })}
        />
      )}
      {lockText && <Alert type="info" showIcon data-testid="entry-locked" title={lockText} style={{ marginBottom: 16 }} />}
      {!entry.locked && entry.canReport && onConsole && <Alert type="info" showIcon title={t('supervision.entry.switchToTenant')} style={{ marginBottom: 16 }} />}
      {!entry.locked && !entry.canReport && <Alert type="info" showIcon title={t('supervision.entry.readOnly')} style={{ marginBottom: 16 }} />}
      {entry.violations.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="entry-violations"
          style={{ marginBottom: 16 }}
          title={t('supervision.entry.violations')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {entry.violations.map((v) => (
                <li key={v.code}>
                  {v.name}：{v.left} {v.operator} {v.right} {t('supervision.entry.violated')}
                  {v.instruction && <Typography.Text type="secondary">{t('common.paren', { text: v.instruction })}</Typography.Text>}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <FormErrors errors={problems} />
      <Form<Values> form={form} layout="vertical" initialValues={initial} disabled={readOnly || busy} requiredMark={false}>
        {byTopic(entry.rows).map((group) => (
          <section key={group.topic} data-testid={`entry-topic-${group.topic}`}>
            <Typography.Title level={5} style={{ margin: '0 0 12px', paddingBottom: 4, borderBottom: '1px solid #f0f0f0' }}>
              {group.label}
            </Typography.Title>
            <Row gutter={16}>
              {group.rows.flatMap((row) =>
                row.cells.map((cell) => {
                  const key = cellKey(row.element.code, cell.option);
                  const name = english && row.element.nameEn ? row.element.nameEn : row.element.name;
                  const option = cell.option ? t(`supervision.entry.option.${cell.option}`, { defaultValue: cell.label }) : '';
                  const label = option ? `${name}${t('common.paren', { text: option })}` : name;
                  const needsComment = outside(row, watched?.[key]);
                  const range = bounds(row);
                  return (
                    <Col xs={24} md={12} xl={8} key={key}>
                      <Form.Item
                        name={['v', key]}
                        label={label}
                        tooltip={row.element.description || undefined}
                        extra={range ? t('supervision.entry.range', { range }) : undefined}
                        style={{ marginBottom: needsComment ? 8 : 24 }}
                      >
                        <InputNumber style={{ width: '100%' }} step={row.element.valueType === 'INTEGER' ? 1 : 0.01} inputMode="decimal" />
                      </Form.Item>
                      {(needsComment || initial.c[key]) && (
                        <Form.Item
                          name={['c', key]}
                          label={t('supervision.entry.comment', { name: label })}
                          rules={needsComment ? [{ required: true, whitespace: true, message: t('supervision.entry.commentRequired') }] : []}
                        >
                          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={500} placeholder={t('supervision.entry.commentPlaceholder')} />
                        </Form.Item>
                      )}
                    </Col>
                  );
                }),
              )}
            </Row>
          </section>
        ))}
      </Form>
      {(!readOnly || canSubmit) && (
        <Flex gap={8} wrap justify="flex-end">
          {!readOnly && (
            <Button onClick={saveOnly} loading={busy} data-testid="entry-save">
              {t('common.save')}
            </Button>
          )}
          {canSubmit && (
            <Popconfirm title={t('supervision.entry.submitConfirm')} okText={t('supervision.entry.submitOk')} cancelText={t('supervision.entry.cancel')} onConfirm={submit}>
              <Button type="primary" loading={busy} data-testid="entry-submit">
                {t('supervision.entry.submit')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      )}
    </div>
  );
}
