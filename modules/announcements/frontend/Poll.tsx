// The poll (or short form) attached to a post: readers vote once while it is open — the form shows
// only when the server offers ANSWER — and see the results as bars once they voted or it closed;
// editors see them always, live (each vote pings their page like a read does).
import { useState } from 'react';
import { App, Button, Card, Flex, Form, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { FormErrors } from '@workbench/components/QueryState';
import { SchemaFields, type SimpleSchema } from '@workbench/components/SchemaFields';
import { formatTime } from '@workbench/components/time';
import type { AnnouncementFieldsFragment } from '@workbench/gql/graphql';
import { AnswerAnnouncementFormMutation } from './operations';

function parse<T>(text: string | null | undefined): T | null {
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export function Poll({ post, onChanged }: { post: AnnouncementFieldsFragment; onChanged: () => void }) {
  const { t } = useTranslation();
  const schema = parse<SimpleSchema>(post.formSchema);
  if (!schema?.properties) return null;
  const mine = parse<Record<string, unknown>>(post.myFormAnswer);
  return (
    <Card
      size="small"
      title={t('announcements.poll.title')}
      data-testid="announcement-poll"
      extra={post.formClosed ? <Tag>{t('announcements.poll.closed')}</Tag>
        : post.formClosesAt && <Tag color="blue">{t('announcements.poll.closesAt', { time: formatTime(post.formClosesAt) })}</Tag>}
    >
      {post.availableActions.includes('ANSWER') && <Vote post={post} schema={schema} onChanged={onChanged} />}
      {mine && (
        <Typography.Paragraph type="secondary" data-testid="poll-mine">
          {t('announcements.poll.mine', { answer: Object.values(mine).map((v) => (Array.isArray(v) ? v.join('、') : String(v))).join('；') })}
        </Typography.Paragraph>
      )}
      {post.formResults ? <Results results={post.formResults} />
        : !post.availableActions.includes('ANSWER') && !mine && <Typography.Text type="secondary">{t('announcements.poll.afterVote')}</Typography.Text>}
    </Card>
  );
}

function Vote({ post, schema, onChanged }: { post: AnnouncementFieldsFragment; schema: SimpleSchema; onChanged: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ data: Record<string, unknown> }>();
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<FieldError[]>([]);
  async function submit(values: { data: Record<string, unknown> }) {
    const clean = Object.fromEntries(Object.entries(values.data ?? {}).filter(([, v]) => v !== undefined && v !== ''));
    setBusy(true);
    const r = await client.mutation(AnswerAnnouncementFormMutation, { input: { id: post.id, data: JSON.stringify(clean) } })
      .toPromise().finally(() => setBusy(false));
    if (r.error) return void message.error(errorText(r.error));
    const errors = r.data?.answerAnnouncementForm?.errors ?? [];
    if (errors.length) return void setGeneral(applyFieldErrors(form, errors));
    message.success(t('announcements.poll.thanks'));
    onChanged();
  }
  return (
    <Form form={form} layout="vertical" onFinish={submit} data-testid="poll-form">
      <FormErrors errors={general} />
      <SchemaFields schema={schema} prefix="data" requiredMessage={t('announcements.poll.pick')} />
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="poll-submit">{t('announcements.poll.vote')}</Button>
    </Form>
  );
}

type Results = NonNullable<AnnouncementFieldsFragment['formResults']>;

function Results({ results }: { results: Results }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12} data-testid="poll-results" data-answered={results.answered}>
      <Typography.Text type="secondary">{t('announcements.poll.answered', { count: results.answered })}</Typography.Text>
      {results.fields.map((f) => (
        <div key={f.key}>
          <Typography.Text strong>{f.title}</Typography.Text>
          {f.options ? f.options.map((o) => (
            <div key={o.value} data-testid="poll-option" data-count={o.count}>
              <Flex justify="space-between" gap={8}>
                <Typography.Text style={{ wordBreak: 'break-word' }}>{o.value}</Typography.Text>
                <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>{t('announcements.poll.votes', { count: o.count })}</Typography.Text>
              </Flex>
              <Progress percent={f.answered ? Math.round((o.count / f.answered) * 100) : 0} size="small" status="normal" />
            </div>
          )) : <div><Typography.Text type="secondary">{t('announcements.poll.filled', { count: f.answered })}</Typography.Text></div>}
        </div>
      ))}
    </Flex>
  );
}
