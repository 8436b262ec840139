// 工资条管理 (payroll office): the saved column mapping, a month's Excel import with per-row
// errors (preview first), and the batches with publish / withdraw.
import { Alert, Button, Card, Form, Input, Radio, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { readBase64 } from './operations';

const AdminQuery = graphql(`
  query PayslipAdmin {
    payslipMapping {
      staffNoHeader
      nameHeader
      itemHeaders
    }
    payslipBatches {
      id
      month
      title
      status
      version
      publishedAt
      counts {
        total
        confirmed
        questioned
      }
    }
  }
`);

const SaveMappingMutation = graphql(`
  mutation SavePayslipMapping($input: SavePayslipMappingInput!) {
    savePayslipMapping(input: $input) {
      mapping {
        staffNoHeader
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const ImportMutation = graphql(`
  mutation ImportPayslips($input: ImportPayslipsInput!) {
    importPayslips(input: $input) {
      report {
        applied
        rows
        created
        headers
        rowErrors {
          row
          column
          code
          message
        }
      }
      batch {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const PublishMutation = graphql(`
  mutation PublishPayslips($input: PublishPayslipsInput!) {
    publishPayslips(input: $input) {
      batch {
        id
        status
      }
      errors {
        code
        message
      }
    }
  }
`);

function lastMonth(): string {
  const d = new Date();
  d.setDate(0);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

type Report = NonNullable<NonNullable<import('@workbench/gql/graphql').ImportPayslipsMutation['importPayslips']>['report']>;

export default function AdminPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: AdminQuery, requestPolicy: 'cache-and-network' });
  const [, saveMapping] = useMutation(SaveMappingMutation);
  const [importing, runImport] = useMutation(ImportMutation);
  const [, publish] = useMutation(PublishMutation);
  const [mappingForm] = Form.useForm();
  const [file, setFile] = useState<File | null>(null);
  const [month, setMonth] = useState(lastMonth());
  const [mode, setMode] = useState<'ALL_OR_NOTHING' | 'VALID_ONLY'>('VALID_ONLY');
  const [report, setReport] = useState<Report | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const m = result.data?.payslipMapping;
  useEffect(() => {
    if (m) mappingForm.setFieldsValue(m);
  }, [m, mappingForm]);

  const doImport = async (dryRun: boolean) => {
    if (!file) return;
    setError('');
    setNotice('');
    const r = await runImport({ input: { file: await readBase64(file), month, mode, dryRun } });
    const payload = r.data?.importPayslips;
    setReport(payload?.report ?? null);
    const e = payload?.errors?.[0];
    if (e || r.error) setError(e?.message ?? r.error?.message ?? '');
    else if (payload?.report?.applied) setNotice(t('payslips.imported', { n: payload.report.created }));
    refresh();
  };
  const doPublish = async (batch: string) => {
    const r = await publish({ input: { batch } });
    const e = r.data?.publishPayslips?.errors?.[0];
    if (e || r.error) setError(e?.message ?? r.error?.message ?? '');
    else setNotice(t('payslips.publishedNotice'));
    refresh();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('payslips.import')} data-testid="payslips-import">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="payslips-error" />}
        {notice && <Alert type="success" showIcon title={notice} style={{ marginBottom: 12 }} data-testid="payslips-notice" />}
        <Space wrap>
          <Input value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 180 }} data-testid="payslips-month"
            addonBefore={t('payslips.month')} />
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
            <Radio.Button value="VALID_ONLY">{t('payslips.validOnly')}</Radio.Button>
            <Radio.Button value="ALL_OR_NOTHING">{t('payslips.allOrNothing')}</Radio.Button>
          </Radio.Group>
          <Upload accept=".xlsx" maxCount={1} showUploadList={false} beforeUpload={(f) => { setFile(f); setReport(null); return false; }}>
            <Button icon={<UploadOutlined />} data-testid="payslips-choose">{file ? file.name : t('payslips.choose')}</Button>
          </Upload>
          <Button onClick={() => doImport(true)} disabled={!file} data-testid="payslips-preview">{t('payslips.preview')}</Button>
          <Button type="primary" onClick={() => doImport(false)} disabled={!file} loading={importing.fetching}
            data-testid="payslips-run-import">{t('payslips.runImport')}</Button>
        </Space>
        {report && (
          <div style={{ marginTop: 12 }} data-testid="payslips-report">
            <Typography.Paragraph>{t('payslips.reportSummary', { rows: report.rows, errors: report.rowErrors.length, items: report.headers.join('、') })}</Typography.Paragraph>
            {report.rowErrors.length > 0 && (
              <Table size="small" rowKey={(e) => `${e.row}-${e.column}`} pagination={false} dataSource={report.rowErrors} scroll={{ x: true }}
                columns={[{ title: t('payslips.row'), dataIndex: 'row', width: 60 }, { title: t('payslips.problem'), dataIndex: 'message' }]}
                data-testid="payslips-row-errors" />
            )}
          </div>
        )}
      </Card>
      <Card title={t('payslips.batches')} data-testid="payslips-batches">
        <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data}
          isEmpty={(result.data?.payslipBatches.length ?? 0) === 0} emptyText={t('payslips.noBatches')} onRetry={refresh}>
          <Table size="small" rowKey="id" pagination={false} dataSource={result.data?.payslipBatches ?? []} scroll={{ x: true }}
            columns={[
              { title: t('payslips.title'), dataIndex: 'title', render: (v, b) => <Link to={`/payslips/batches/${encodeURIComponent(b.id)}`}>{v}</Link> },
              { title: t('payslips.state'), dataIndex: 'status', render: (v: string) => <Tag data-testid="payslips-batch-status">{t(`payslips.batchStatus.${v}`)}</Tag> },
              { title: t('payslips.progress'), render: (_v, b) => t('payslips.counts', b.counts) },
              { title: t('payslips.publishedAt'), dataIndex: 'publishedAt', render: (v: string | null) => formatTime(v) },
              { title: '', render: (_v, b) => b.status !== 'PUBLISHED' && (
                <Button type="primary" size="small" onClick={() => doPublish(b.id)} data-testid="payslips-publish">{t('payslips.publish')}</Button>) },
            ]} />
        </QueryState>
      </Card>
      <Card title={t('payslips.mapping')} data-testid="payslips-mapping">
        <Form form={mappingForm} layout="vertical" onFinish={async (v) => {
          const r = await saveMapping({ input: { staffNoHeader: v.staffNoHeader, nameHeader: v.nameHeader, itemHeaders: v.itemHeaders ?? [] } });
          const e = r.data?.savePayslipMapping?.errors?.[0];
          if (e || r.error) setError(e?.message ?? r.error?.message ?? '');
          else setNotice(t('payslips.mappingSaved'));
          refresh();
        }}>
          <Form.Item name="staffNoHeader" label={t('payslips.staffNoHeader')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="nameHeader" label={t('payslips.nameHeader')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="itemHeaders" label={t('payslips.itemHeaders')} extra={t('payslips.itemHeadersHint')}>
            <Select mode="tags" open={false} />
          </Form.Item>
          <Button htmlType="submit">{t('common.save')}</Button>
        </Form>
      </Card>
    </Space>
  );
}
