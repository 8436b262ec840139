// The writer's page: write a letter (named or anonymous; the claim code is shown once, with a
// copy button), my named letters, and following any letter by its claim code.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, List, Radio, Result, Switch, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import type { MailboxLetterKind } from '@workbench/gql/graphql';
import { LetterView } from './LetterView';
import { MailboxLetterByCodeQuery, MailboxLettersQuery, SubmitMailboxLetterMutation } from './operations';
import { problemOf } from './run';
import { WriterActions } from './WriterActions';

interface Values {
  kind: MailboxLetterKind;
  subject: string;
  body: string;
  anonymous: boolean;
}

function WriteTab({ onFollow }: { onFollow: (code: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const anonymous = Form.useWatch('anonymous', form);
  const [state, submit] = useMutation(SubmitMailboxLetterMutation);
  const [code, setCode] = useState<string | null>(null);

  async function send(v: Values) {
    const r = await submit({ input: { kind: v.kind, subject: v.subject, body: v.body, anonymous: !!v.anonymous } });
    const problem = problemOf(r, r.data?.submitMailboxLetter);
    if (problem) return void message.error(problem);
    form.resetFields();
    setCode(r.data?.submitMailboxLetter?.claimCode ?? null);
  }

  if (code)
    return (
      <Result
        status="success"
        title={t('mailbox.submitted')}
        subTitle={t('mailbox.codeOnce')}
        data-testid="mailbox-submitted"
        extra={[
          <Typography.Paragraph key="code" code copyable={{ text: code }} data-testid="mailbox-claim-code" style={{ wordBreak: 'break-all', fontSize: 16 }}>
            {code}
          </Typography.Paragraph>,
          <Button key="follow" onClick={() => onFollow(code)} data-testid="mailbox-follow-now">
            {t('mailbox.followThis')}
          </Button>,
          <Button key="again" type="link" onClick={() => setCode(null)}>
            {t('mailbox.writeAnother')}
          </Button>,
        ]}
      />
    );
  return (
    <Form form={form} layout="vertical" onFinish={send} initialValues={{ kind: 'MAILBOX', anonymous: false }} data-testid="mailbox-write">
      <Form.Item name="kind" label={t('mailbox.kindLabel')}>
        <Radio.Group
          options={[
            { value: 'MAILBOX', label: t('mailbox.kind.MAILBOX') },
            { value: 'APPEAL', label: t('mailbox.kind.APPEAL') },
          ]}
        />
      </Form.Item>
      <Form.Item name="subject" label={t('mailbox.subject')} rules={[{ required: true, message: t('mailbox.required') }, { max: 100 }]}>
        <Input maxLength={100} data-testid="mailbox-subject" />
      </Form.Item>
      <Form.Item name="body" label={t('mailbox.body')} rules={[{ required: true, message: t('mailbox.required') }, { max: 5000 }]}>
        <Input.TextArea rows={5} maxLength={5000} showCount data-testid="mailbox-body" />
      </Form.Item>
      <Form.Item name="anonymous" label={t('mailbox.anonymousLabel')} valuePropName="checked">
        <Switch data-testid="mailbox-anonymous" />
      </Form.Item>
      <Alert
        type={anonymous ? 'warning' : 'info'}
        showIcon
        style={{ marginBottom: 16 }}
        title={anonymous ? t('mailbox.anonymousMeans') : t('mailbox.namedMeans')}
        data-testid="mailbox-anonymity-note"
      />
      <Button type="primary" htmlType="submit" loading={state.fetching} data-testid="mailbox-send">
        {t('mailbox.send')}
      </Button>
    </Form>
  );
}

function MineTab() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({ query: MailboxLettersQuery, variables: {}, requestPolicy: 'cache-and-network' });
  const letters = (result.data?.mailboxLetters.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <>
      <Typography.Paragraph type="secondary">{t('mailbox.mineHint')}</Typography.Paragraph>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={!letters.length} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <List
          dataSource={letters}
          rowKey="id"
          data-testid="mailbox-mine"
          renderItem={(l) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => navigate(`/mailbox/letters/${encodeURIComponent(l.id)}`)}>
              <List.Item.Meta
                title={<Typography.Text style={{ wordBreak: 'break-word' }}>{l.subject}</Typography.Text>}
                description={
                  <>
                    <Tag>{t(`mailbox.status.${l.status}`)}</Tag>
                    {formatTime(l.createdAt)}
                  </>
                }
              />
            </List.Item>
          )}
        />
      </QueryState>
    </>
  );
}

function ByCodeTab({ initial }: { initial: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(initial);
  const [result, reexecute] = useQuery({ query: MailboxLetterByCodeQuery, variables: { code }, pause: !code, requestPolicy: 'network-only' });
  const letter = result.data?.mailboxLetterByCode;
  return (
    <>
      <Input.Search
        defaultValue={initial}
        placeholder={t('mailbox.codePlaceholder')}
        enterButton={t('mailbox.open')}
        onSearch={(v) => setCode(v.trim())}
        data-testid="mailbox-code"
        style={{ marginBottom: 12 }}
      />
      {code && (
        <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={!letter} emptyText={t('mailbox.badCode')} onRetry={() => reexecute()}>
          {letter && (
            <LetterView letter={letter}>
              <WriterActions letter={letter} by={{ code }} onDone={() => reexecute({ requestPolicy: 'network-only' })} />
            </LetterView>
          )}
        </QueryState>
      )}
    </>
  );
}

export default function MailboxPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('write');
  const [code, setCode] = useState('');
  return (
    <Card title={t('mailbox.title')} data-testid="mailbox-page">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          {
            key: 'write',
            label: t('mailbox.write'),
            children: (
              <WriteTab
                onFollow={(c) => {
                  setCode(c);
                  setTab('code');
                }}
              />
            ),
          },
          { key: 'mine', label: t('mailbox.mine'), children: <MineTab /> },
          { key: 'code', label: t('mailbox.byCode'), children: <ByCodeTab key={code} initial={code} /> },
        ]}
      />
    </Card>
  );
}
