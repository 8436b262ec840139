// 发文字号 (机关代字) kept by the office (documents.manage): the list, a form to add one or change
// the one picked, and the switch that stops a series being used for new drafts.
import { useState } from 'react';
import { Button, Card, Flex, Form, Input, List, Switch, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';
import { useRun } from './run';

const AllSeriesQuery = graphql(`
  query DocumentSeriesAdmin {
    documentSeries(includeInactive: true) {
      id
      code
      name
      issuer
      isActive
    }
  }
`);

const SaveSeriesMutation = graphql(`
  mutation SaveDocumentSeries($input: SaveDocumentSeriesInput!) {
    saveDocumentSeries(input: $input) {
      series {
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

interface Values {
  code: string;
  name: string;
  issuer?: string;
  isActive: boolean;
}

export default function SeriesPage() {
  const { t } = useTranslation();
  const client = useClient();
  const { run, busy } = useRun();
  const [result, reexecute] = useQuery({ query: AllSeriesQuery, requestPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const series = result.data?.documentSeries ?? [];

  function pick(id: string | null) {
    setEditing(id);
    const s = series.find((x) => x.id === id);
    form.setFieldsValue(s ? { code: s.code, name: s.name, issuer: s.issuer, isActive: s.isActive } : { code: '', name: '', issuer: '', isActive: true });
  }

  async function save(v: Values) {
    const done = await run(
      client.mutation(SaveSeriesMutation, { input: { id: editing, ...v } }).toPromise(),
      (d: { saveDocumentSeries?: { errors: { message: string }[] } }) => d.saveDocumentSeries,
      t('documents.seriesSaved'),
    );
    if (done) {
      pick(null);
      reexecute({ requestPolicy: 'network-only' });
    }
  }

  return (
    <Flex vertical gap={12} data-testid="series-page">
      <Card title={t('documents.seriesTitle')} extra={<Button icon={<PlusOutlined />} onClick={() => pick(null)}>{t('documents.seriesNew')}</Button>}>
        <Typography.Paragraph type="secondary">{t('documents.seriesHint')}</Typography.Paragraph>
        <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={!series.length} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
          <List
            dataSource={series}
            rowKey="id"
            data-testid="series-list"
            renderItem={(s) => (
              <List.Item style={{ cursor: 'pointer' }} onClick={() => pick(s.id)}>
                <List.Item.Meta
                  title={
                    <Flex gap={4} wrap>
                      <Typography.Text strong>{s.code}</Typography.Text>
                      {!s.isActive && <Tag>{t('documents.seriesStopped')}</Tag>}
                    </Flex>
                  }
                  description={`${s.name} · ${s.issuer}`}
                />
              </List.Item>
            )}
          />
        </QueryState>
      </Card>
      <Card title={editing ? t('documents.seriesEdit') : t('documents.seriesNew')} size="small">
        <Form form={form} layout="vertical" onFinish={save} initialValues={{ isActive: true }} style={{ maxWidth: 480 }}>
          <Form.Item name="code" label={t('documents.seriesCode')} extra={t('documents.seriesCodeHint')} rules={[{ required: true, message: t('documents.required') }]}>
            <Input maxLength={20} data-testid="series-code" />
          </Form.Item>
          <Form.Item name="name" label={t('documents.seriesName')} rules={[{ required: true, message: t('documents.required') }]}>
            <Input maxLength={60} data-testid="series-name" />
          </Form.Item>
          <Form.Item name="issuer" label={t('documents.seriesIssuer')} extra={t('documents.seriesIssuerHint')}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="isActive" label={t('documents.seriesActive')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="series-save">
            {t('documents.seriesSave')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
