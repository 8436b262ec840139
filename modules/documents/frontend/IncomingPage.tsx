// One 收文: its text and PDF (with the reader's name), the routing so far, who it waits on, the
// read count of its 传阅, and the step the viewer may take now (the server's availableActions):
// 拟办 (name the leader), 批办 (name the lead handler and assistants), 承办, 传阅 (people and
// departments), 办结. Opening it stamps the viewer's read receipt when it was circulated to them.
import { useEffect, useRef, useState } from 'react';
import { Button, Card, Descriptions, Flex, Form, Input, Segmented, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useClient, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';
import type { IncomingDocumentFieldsFragment, IncomingDocumentStep } from '@workbench/gql/graphql';
import { IncomingDocumentQuery, RouteIncomingDocumentMutation } from './operations';
import { Reading } from './Reading';
import { globalId, useRun } from './run';

const STEPS = ['PROPOSE', 'INSTRUCT', 'HANDLE', 'CIRCULATE', 'FINISH'] as const;

export default function IncomingPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [result, reexecute] = useQuery({ query: IncomingDocumentQuery, variables: { id: globalId('IncomingDocument', id) }, requestPolicy: 'cache-and-network' });
  const doc = result.data?.incomingDocument;
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!doc}
      isEmpty={!!result.data && !doc}
      emptyText={t('documents.notFound')}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      {doc && <Body doc={doc} refresh={() => reexecute({ requestPolicy: 'network-only' })} />}
    </QueryState>
  );
}

interface Values {
  opinion?: string;
  leader?: string;
  lead?: string;
  assists?: string[];
  readers?: string[];
  departments?: string[];
}

function Body({ doc, refresh }: { doc: IncomingDocumentFieldsFragment; refresh: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const { run, busy } = useRun();
  const [form] = Form.useForm<Values>();
  const offered = STEPS.filter((s) => doc.availableActions.includes(s));
  const [picked, setPicked] = useState<string | null>(null);
  const step = picked && offered.includes(picked as never) ? picked : offered[0];
  const marked = useRef(false);

  useEffect(() => {
    if (marked.current || !doc.availableActions.includes('READ')) return;
    marked.current = true;
    void client.mutation(RouteIncomingDocumentMutation, { input: { id: doc.id, step: 'READ' } }).toPromise();
  }, [client, doc.id, doc.availableActions]);

  async function go(v: Values) {
    const done = await run(
      client.mutation(RouteIncomingDocumentMutation, { input: { id: doc.id, step: step as IncomingDocumentStep, ...v } }).toPromise(),
      (d: { routeIncomingDocument?: { errors: { message: string }[] } }) => d.routeIncomingDocument,
      t('documents.done'),
    );
    if (done) {
      form.resetFields();
      refresh();
    }
  }

  return (
    <Flex vertical gap={12} data-testid="incoming-page" data-status={doc.status}>
      <Card size="small">
        <Flex gap={4} wrap style={{ marginBottom: 8 }}>
          <Tag color={doc.status === 'DONE' ? 'green' : 'blue'} data-testid="incoming-status">{t(`documents.inStatus.${doc.status}`)}</Tag>
          {doc.urgency !== 'NORMAL' && <Tag color="red">{t(`documents.urgency.${doc.urgency}`)}</Tag>}
          {doc.classification !== 'PUBLIC' && <Tag>{t(`documents.classification.${doc.classification}`)}</Tag>}
          {doc.deadline != null && <Tag color="orange">{t('documents.deadline', { date: String(doc.deadline) })}</Tag>}
        </Flex>
        <Reading issuer={doc.issuer} title={doc.title} number={doc.number} mainTo={doc.mainTo} copyTo={doc.copyTo} body={doc.body} pdfPath={doc.pdfPath} />
      </Card>
      <Card size="small" title={t('documents.routing')}>
        <Descriptions size="small" column={1}>
          {doc.waitingNames.length > 0 && <Descriptions.Item label={t('documents.waiting')}>{doc.waitingNames.join('、')}</Descriptions.Item>}
          {doc.circulatedCount > 0 && (
            <Descriptions.Item label={t('documents.readRate')}>
              <span data-testid="incoming-read-count">{t('documents.readOf', { read: doc.readCount, total: doc.circulatedCount })}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
        <Timeline
          data-testid="incoming-steps"
          items={doc.steps.map((s) => ({
            children: (
              <>
                <Typography.Text strong>{t(`documents.step.${s.kind}`)}</Typography.Text> {s.actorName}
                {s.opinion && <div style={{ overflowWrap: 'anywhere' }}>{s.opinion}</div>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(s.at)}</Typography.Text>
              </>
            ),
          }))}
        />
      </Card>
      {step && (
        <Card size="small" title={t('documents.nextStep')}>
          {offered.length > 1 && (
            <Segmented value={step} onChange={(v) => setPicked(String(v))} options={offered.map((s) => ({ value: s, label: t(`documents.action.${s}`) }))}
              style={{ marginBottom: 12 }} data-testid="incoming-step" />
          )}
          <Form form={form} layout="vertical" onFinish={go}>
            {step !== 'CIRCULATE' && (
              <Form.Item name="opinion" label={t('documents.opinion')} rules={step === 'FINISH' ? [] : [{ required: true, message: t('documents.required') }]}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} data-testid="incoming-opinion" />
              </Form.Item>
            )}
            {step === 'PROPOSE' && (
              <Form.Item name="leader" label={t('documents.leader')} rules={[{ required: true, message: t('documents.required') }]}>
                <ContactPicker data-testid="incoming-leader" />
              </Form.Item>
            )}
            {step === 'INSTRUCT' && (
              <>
                <Form.Item name="lead" label={t('documents.lead')} rules={[{ required: true, message: t('documents.required') }]}>
                  <ContactPicker data-testid="incoming-lead" />
                </Form.Item>
                <Form.Item name="assists" label={t('documents.assists')}>
                  <ContactPicker multiple data-testid="incoming-assists" />
                </Form.Item>
              </>
            )}
            {step === 'CIRCULATE' && (
              <>
                <Form.Item name="readers" label={t('documents.readers')}>
                  <ContactPicker multiple data-testid="incoming-readers" />
                </Form.Item>
                <Form.Item name="departments" label={t('documents.departments')}>
                  <DepartmentPicker multiple data-testid="incoming-departments" />
                </Form.Item>
              </>
            )}
            <Button type="primary" htmlType="submit" loading={busy} block data-testid="incoming-go">
              {t(`documents.action.${step}`)}
            </Button>
          </Form>
        </Card>
      )}
    </Flex>
  );
}
