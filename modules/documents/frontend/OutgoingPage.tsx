// One 发文: its text and PDF; for its drafter, 送审 (核稿 people one after another, 会签 all,
// 签发) and the Word file; while under approval a link to the approval; once signed its number;
// for the office 归档. A person it was sent to reads it here (the receipt is stamped on opening).
import { useEffect, useRef } from 'react';
import { Button, Card, Descriptions, Flex, Form, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useClient, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import type { OutgoingDocumentFieldsFragment } from '@workbench/gql/graphql';
import {
  ArchiveOutgoingDocumentMutation, OutgoingDocumentQuery, ReadOutgoingDocumentMutation, SubmitOutgoingDocumentMutation,
} from './operations';
import { Reading } from './Reading';
import { globalId, localId, useRun } from './run';

export default function OutgoingPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [result, reexecute] = useQuery({ query: OutgoingDocumentQuery, variables: { id: globalId('OutgoingDocument', id) }, requestPolicy: 'cache-and-network' });
  const doc = result.data?.outgoingDocument;
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

function Body({ doc, refresh }: { doc: OutgoingDocumentFieldsFragment; refresh: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const { run, busy } = useRun();
  const can = (a: string) => doc.availableActions.includes(a as never);
  const marked = useRef(false);
  const [form] = Form.useForm<{ reviewers: string[]; cosigners?: string[]; signers: string[] }>();

  useEffect(() => {
    if (marked.current || doc.status === 'DRAFT' || doc.status === 'REVIEWING') return;
    marked.current = true;
    void client.mutation(ReadOutgoingDocumentMutation, { id: doc.id }).toPromise();
  }, [client, doc.id, doc.status]);

  async function submit(v: { reviewers: string[]; cosigners?: string[]; signers: string[] }) {
    const done = await run(
      client.mutation(SubmitOutgoingDocumentMutation, { input: { id: doc.id, reviewers: v.reviewers, cosigners: v.cosigners ?? [], signers: v.signers } }).toPromise(),
      (d: { submitOutgoingDocument?: { errors: { message: string }[] } }) => d.submitOutgoingDocument,
      t('documents.submitted'),
    );
    if (done) refresh();
  }
  async function archive() {
    const done = await run(
      client.mutation(ArchiveOutgoingDocumentMutation, { id: doc.id }).toPromise(),
      (d: { archiveOutgoingDocument?: { errors: { message: string }[] } }) => d.archiveOutgoingDocument,
      t('documents.archived'),
    );
    if (done) refresh();
  }
  const names = (items: readonly { name: string }[]) => items.map((i) => i.name).join('、');

  return (
    <Flex vertical gap={12} data-testid="outgoing-page" data-status={doc.status}>
      <Card size="small">
        <Flex gap={4} wrap style={{ marginBottom: 8 }}>
          <Tag color={doc.status === 'SENT' || doc.status === 'ARCHIVED' ? 'green' : 'blue'} data-testid="outgoing-status">
            {t(`documents.outStatus.${doc.status}`)}
          </Tag>
          {doc.urgency !== 'NORMAL' && <Tag color="red">{t(`documents.urgency.${doc.urgency}`)}</Tag>}
        </Flex>
        <Reading issuer={doc.issuer} title={doc.title} number={doc.number} mainTo={names(doc.mainTo)} copyTo={names(doc.copyTo)}
          body={doc.body} pdfPath={doc.pdfPath} docxPath={doc.docxPath} />
      </Card>
      <Card size="small">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('documents.drafter')}>{doc.drafterName}</Descriptions.Item>
          {doc.signerName && <Descriptions.Item label={t('documents.signer')}>{doc.signerName} · {formatTime(doc.signedAt)}</Descriptions.Item>}
          {doc.approvalId && (
            <Descriptions.Item label={t('documents.approval')}>
              <Link to={`/approvals/instances/${localId(doc.approvalId)}`} data-testid="outgoing-approval">{t('documents.openApproval')}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        {can('ARCHIVE') && <Button onClick={archive} loading={busy} data-testid="outgoing-archive">{t('documents.archive')}</Button>}
      </Card>
      {can('SUBMIT') && (
        <Card size="small" title={t('documents.submitTitle')}>
          <Form form={form} layout="vertical" onFinish={submit}>
            <Form.Item name="reviewers" label={t('documents.reviewers')} rules={[{ required: true, message: t('documents.required') }]}>
              <ContactPicker multiple data-testid="submit-reviewers" />
            </Form.Item>
            <Form.Item name="cosigners" label={t('documents.cosigners')}>
              <ContactPicker multiple data-testid="submit-cosigners" />
            </Form.Item>
            <Form.Item name="signers" label={t('documents.signers')} rules={[{ required: true, message: t('documents.required') }]}>
              <ContactPicker multiple data-testid="submit-signers" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block data-testid="outgoing-submit">{t('documents.submit')}</Button>
          </Form>
        </Card>
      )}
    </Flex>
  );
}
