// The officer console's surveys (figures per question) and cinema lotteries (draw once, seed shown).
import { useState } from 'react';
import { App, Button, Card, Col, Empty, Progress, Row, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { formatTime } from '@workbench/components/time';
import { DrawUnionScreeningMutation, UnionCareQuery, UnionSurveyStatsQuery } from './operations';

function SurveyStats({ id }: { id: string }) {
  const { t } = useTranslation();
  const [result] = useQuery({ query: UnionSurveyStatsQuery, variables: { id }, requestPolicy: 'network-only' });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="union-survey-stats">
      {(result.data?.unionSurveyStats ?? []).map((q) => {
        const total = q.counts.reduce((s, c) => s + c.count, 0) || 1;
        return (
          <div key={q.key}>
            <Typography.Text strong>{q.title}</Typography.Text> <Tag>{t('union.care.answers', { n: q.answered })}</Tag>
            {q.counts.map((c) => (
              <div key={c.value}>{c.value} ({c.count})<Progress percent={Math.round((c.count / total) * 100)} size="small" /></div>
            ))}
            {q.average != null && <div>{t('union.care.average', { n: q.average })}</div>}
            {q.texts.slice(0, 20).map((text, i) => <Typography.Paragraph key={i} type="secondary" style={{ margin: 0 }}>“{text}”</Typography.Paragraph>)}
          </div>
        );
      })}
    </Space>
  );
}

export default function CareConsole() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, reexecute] = useQuery({ query: UnionCareQuery });
  const [, draw] = useMutation(DrawUnionScreeningMutation);
  const managed = (result.data?.unionSurveys ?? []).filter((s) => s.canManage);
  const [picked, setPicked] = useState<string | undefined>();
  const current = picked ?? managed[0]?.id;
  const screenings = (result.data?.unionScreenings ?? []).filter((s) => s.canManage);
  return (
    <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
      <Col xs={24} lg={16}>
        <Card title={t('union.care.surveyStats')}
          extra={managed.length > 0 && <Select style={{ minWidth: 160 }} value={current} onChange={setPicked}
            options={managed.map((s) => ({ value: s.id, label: `${s.title} (${s.responses ?? 0})` }))} />}>
          {current ? <SurveyStats id={current} /> : <Empty description={t('union.care.noSurveys')} />}
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t('union.care.cinema')}>
          {screenings.length === 0 && <Empty description={t('union.care.noScreenings')} />}
          {screenings.map((s) => (
            <div key={s.id} style={{ marginBottom: 8 }} data-testid="union-console-screening">
              <Typography.Text strong>{s.title}</Typography.Text> {formatTime(s.showAt)}
              <div>{t('union.care.tickets', { n: s.tickets, entries: s.entries })}</div>
              {s.drawn ? <Tag>{t('union.care.seed', { seed: s.seed })}</Tag>
                : <Button size="small" type="primary" onClick={async () => {
                  const r = (await draw({ input: { screening: s.id } })).data?.drawUnionScreening;
                  if (r?.errors.length) message.error(r.errors[0].message); else message.success(t('union.care.done'));
                  reexecute({ requestPolicy: 'network-only' });
                }}>{t('union.care.draw')}</Button>}
            </div>
          ))}
        </Card>
      </Col>
    </Row>
  );
}
