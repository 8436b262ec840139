// 每日一答与竞赛: start a 每日一答 or a topic campaign (topic, questions per day, dates) and watch
// the leaderboards of those running.
import { App, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Radio, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { FormErrors, QueryState } from '@workbench/components/QueryState';
import type { LearningQuizKind } from '@workbench/gql/graphql';
import { CreateCampaignMutation } from './adminOperations';
import { CampaignsQuery } from './courseOperations';
import Leaderboard from './Leaderboard';

interface CampaignForm {
  title: string;
  kind: LearningQuizKind;
  perDay: number;
  topic?: string;
  startsOn?: Dayjs;
  endsOn?: Dayjs;
}

export default function QuizAdmin({ topics }: { topics: string[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CampaignForm>();
  const [general, setGeneral] = useState<FieldError[]>([]);
  const [state, create] = useMutation(CreateCampaignMutation);
  const [result, reexecute] = useQuery({ query: CampaignsQuery, requestPolicy: 'cache-and-network' });
  const campaigns = result.data?.learningQuizCampaigns ?? [];
  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  const onFinish = async (v: CampaignForm) => {
    setGeneral([]);
    const r = await create({ input: { title: v.title, kind: v.kind, perDay: v.perDay, topic: v.topic ?? '',
      startsOn: v.startsOn?.format('YYYY-MM-DD') ?? null, endsOn: v.endsOn?.format('YYYY-MM-DD') ?? null } });
    if (r.error) return setGeneral([{ code: 'REQUEST', message: errorText(r.error) }]);
    const errors = r.data?.createLearningQuizCampaign?.errors ?? [];
    if (errors.length) return setGeneral(applyFieldErrors(form, errors));
    void message.success(t('learning.za.created'));
    form.resetFields();
    refresh();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="learning-quiz-admin">
      <Card size="small" title={t('learning.za.new')}>
        <FormErrors errors={general} />
        <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ kind: 'DAILY', perDay: 1 }} data-testid="learning-campaign-form">
          <Form.Item name="title" label={t('learning.za.title')} rules={[{ required: true, message: t('learning.required') }]}>
            <Input maxLength={100} data-testid="learning-campaign-title" />
          </Form.Item>
          <Form.Item name="kind" label={t('learning.za.kind')}>
            <Radio.Group optionType="button" options={(['DAILY', 'CAMPAIGN'] as const).map((k) => ({ value: k, label: t(`learning.quizKind.${k}`) }))} />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item name="topic" label={t('learning.topic')} extra={t('learning.za.topicHint')}>
              <Select allowClear style={{ width: 160 }} options={topics.map((x) => ({ value: x, label: x }))} data-testid="learning-campaign-topic" />
            </Form.Item>
            <Form.Item name="perDay" label={t('learning.za.perDay')}>
              <InputNumber min={1} max={20} data-testid="learning-campaign-per-day" />
            </Form.Item>
            <Form.Item name="startsOn" label={t('learning.za.startsOn')}><DatePicker placeholder={t('learning.za.today')} /></Form.Item>
            <Form.Item name="endsOn" label={t('learning.za.endsOn')}><DatePicker placeholder={t('learning.za.open')} /></Form.Item>
          </Space>
          <div>
            <Button type="primary" htmlType="submit" loading={state.fetching} data-testid="learning-campaign-create">{t('learning.za.create')}</Button>
          </div>
        </Form>
      </Card>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={refresh}>
        {campaigns.length === 0 ? <Empty description={t('learning.noQuiz')} /> : campaigns.map((c) => (
          <Card key={c.id} size="small" data-testid="learning-campaign-card"
            title={<Space wrap><Tag color={c.kind === 'DAILY' ? 'blue' : 'purple'}>{t(`learning.quizKind.${c.kind}`)}</Tag>{c.title}</Space>}>
            <Typography.Paragraph type="secondary">
              {t('learning.za.summary', { n: c.perDay, topic: c.topic || t('learning.za.allTopics'), from: c.startsOn, to: c.endsOn ?? '…' })}
            </Typography.Paragraph>
            <Leaderboard campaign={c} />
          </Card>
        ))}
      </QueryState>
    </Space>
  );
}
