// 学习管理: tabs for exams (build a random paper by rules — N questions per topic and difficulty,
// never one twice — assign an exam to departments with a deadline, open the live completion of
// each assignment), courses, the question bank and the daily quiz / campaigns (?tab= names one).
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, List, Select, Space, Table, Tabs, Typography, message } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';
import AdminExtras from './AdminExtras';
import BankAdmin from './BankAdmin';
import CourseAdmin from './CourseAdmin';
import QuizAdmin from './QuizAdmin';

const AdminQuery = graphql(`
  query LearningAdmin {
    learningBankStats {
      topic
      difficulty
      count
    }
    learningExams(first: 50) {
      edges {
        node {
          id
          title
          questionCount
          isClosed
        }
      }
    }
    learningAssignments {
      id
      deadline
      exam {
        id
        title
      }
      course {
        id
        title
      }
      completion {
        total
        done
      }
    }
  }
`);

const CreateExamMutation = graphql(`
  mutation CreateLearningExam($input: CreateLearningExamInput!) {
    createLearningExam(input: $input) {
      exam {
        id
        title
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const AssignMutation = graphql(`
  mutation AssignLearningExam($input: AssignLearningExamInput!) {
    assignLearningExam(input: $input) {
      assignment {
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

interface Rule {
  topic: string;
  difficulty?: string;
  count: number;
  points: number;
}

interface PaperForm {
  title: string;
  timeLimitMinutes: number;
  maxAttempts: number;
  passPercent: number;
  rules: Rule[];
}

interface AssignForm {
  exam: string;
  departments: string[];
  deadline: Dayjs;
}

export default function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({ query: AdminQuery, requestPolicy: 'cache-and-network' });
  const [creating, createExam] = useMutation(CreateExamMutation);
  const [assigning, assign] = useMutation(AssignMutation);
  const [paperError, setPaperError] = useState('');
  const [assignError, setAssignError] = useState('');
  const [paper] = Form.useForm<PaperForm>();
  const [assignForm] = Form.useForm<AssignForm>();
  const stats = result.data?.learningBankStats ?? [];
  const topics = [...new Set(stats.map((s) => s.topic))];
  const exams = (result.data?.learningExams.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const [params, setParams] = useSearchParams();

  const onCreate = async (v: PaperForm) => {
    setPaperError('');
    const rules = v.rules.map((r) => ({ topic: r.topic, difficulty: r.difficulty === 'any' ? '' : (r.difficulty ?? '').toLowerCase(), count: r.count, points: r.points }));
    const r = await createExam({ input: { title: v.title, mode: 'RANDOM', rules: JSON.stringify(rules), timeLimitMinutes: v.timeLimitMinutes,
      maxAttempts: v.maxAttempts, passPercent: v.passPercent } });
    const e = r.data?.createLearningExam?.errors?.[0];
    if (e || r.error) return setPaperError(e?.message ?? r.error?.message ?? '');
    void message.success(t('learning.examCreated'));
    assignForm.setFieldValue('exam', r.data?.createLearningExam?.exam?.id);
    refresh();
  };
  const onAssign = async (v: AssignForm) => {
    setAssignError('');
    const r = await assign({ input: { exam: v.exam, audience: { departmentIds: v.departments }, deadline: v.deadline.toISOString() } });
    const e = r.data?.assignLearningExam?.errors?.[0];
    if (e || r.error) return setAssignError(e?.message ?? r.error?.message ?? '');
    navigate(`/learning/assignments/${encodeURIComponent(r.data?.assignLearningExam?.assignment?.id ?? '')}`);
  };

  const examsTab = (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('learning.bank')} size="small">
        <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={stats.length === 0} onRetry={refresh}>
          <Table size="small" pagination={false} rowKey={(s) => `${s.topic}-${s.difficulty}`} dataSource={stats} scroll={{ x: true }}
            columns={[
              { title: t('learning.topic'), dataIndex: 'topic' },
              { title: t('learning.difficultyLabel'), dataIndex: 'difficulty', render: (d: string) => t(`learning.difficulty.${d}`) },
              { title: t('learning.count'), dataIndex: 'count' },
            ]} />
        </QueryState>
      </Card>
      <Card title={t('learning.buildPaper')} size="small">
        <Form form={paper} layout="vertical" onFinish={onCreate} data-testid="learning-paper-form"
          initialValues={{ timeLimitMinutes: 20, maxAttempts: 1, passPercent: 60, rules: [{ difficulty: 'any', count: 5, points: 2 }] }}>
          <Form.Item name="title" label={t('learning.examTitle')} rules={[{ required: true, message: t('learning.required') }]}>
            <Input maxLength={100} data-testid="learning-exam-title" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="timeLimitMinutes" label={t('learning.timeLimit')}><InputNumber min={1} max={600} addonAfter={t('learning.min')} /></Form.Item>
            <Form.Item name="maxAttempts" label={t('learning.maxAttempts')}><InputNumber min={1} max={20} /></Form.Item>
            <Form.Item name="passPercent" label={t('learning.passLine')}><InputNumber min={0} max={100} addonAfter="%" /></Form.Item>
          </Space>
          <Typography.Text strong>{t('learning.rules')}</Typography.Text>
          <Form.List name="rules">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="start" data-testid="learning-rule">
                    <Form.Item name={[f.name, 'topic']} rules={[{ required: true, message: t('learning.required') }]}>
                      <Select style={{ width: 120 }} placeholder={t('learning.topic')} options={topics.map((x) => ({ value: x, label: x }))} data-testid="learning-rule-topic" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'difficulty']}>
                      <Select style={{ width: 90 }} data-testid="learning-rule-difficulty" options={['any', 'EASY', 'MEDIUM', 'HARD'].map((d) => ({ value: d, label: t(`learning.difficulty.${d}`) }))} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'count']}><InputNumber min={1} max={200} addonAfter={t('learning.items')} style={{ width: 110 }} data-testid="learning-rule-count" /></Form.Item>
                    <Form.Item name={[f.name, 'points']}><InputNumber min={1} max={100} addonAfter={t('learning.pointsEach')} style={{ width: 120 }} data-testid="learning-rule-points" /></Form.Item>
                    <Button type="link" danger onClick={() => remove(f.name)} disabled={fields.length === 1}>{t('learning.remove')}</Button>
                  </Space>
                ))}
                <Form.Item><Button onClick={() => add({ difficulty: 'any', count: 1, points: 2 })} data-testid="learning-add-rule">{t('learning.addRule')}</Button></Form.Item>
              </>
            )}
          </Form.List>
          {paperError && <Alert type="error" showIcon title={paperError} style={{ marginBottom: 12 }} data-testid="learning-paper-error" />}
          <Button type="primary" htmlType="submit" loading={creating.fetching} data-testid="learning-create-exam">{t('learning.createExam')}</Button>
        </Form>
      </Card>
      <Card title={t('learning.assign')} size="small">
        <Form form={assignForm} layout="vertical" onFinish={onAssign} data-testid="learning-assign-form">
          <Form.Item name="exam" label={t('learning.exam')} rules={[{ required: true, message: t('learning.required') }]}>
            <Select options={exams.filter((e) => !e.isClosed).map((e) => ({ value: e.id, label: e.title }))} data-testid="learning-assign-exam" />
          </Form.Item>
          <Form.Item name="departments" label={t('learning.departments')} rules={[{ required: true, message: t('learning.required') }]}>
            <DepartmentPicker multiple data-testid="learning-assign-departments" />
          </Form.Item>
          <Form.Item name="deadline" label={t('learning.deadline')} rules={[{ required: true, message: t('learning.required') }]}>
            <DatePicker showTime />
          </Form.Item>
          {assignError && <Alert type="error" showIcon title={assignError} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" loading={assigning.fetching} data-testid="learning-assign-submit">{t('learning.assignSubmit')}</Button>
        </Form>
      </Card>
      <Card title={t('learning.assignments')} size="small">
        <List size="small" dataSource={result.data?.learningAssignments ?? []}
          renderItem={(a) => {
            const total = a.completion.reduce((n, r) => n + r.total, 0);
            const done = a.completion.reduce((n, r) => n + r.done, 0);
            return (
              <List.Item onClick={() => navigate(`/learning/assignments/${encodeURIComponent(a.id)}`)} style={{ cursor: 'pointer' }}
                extra={`${done}/${total}`}>
                <List.Item.Meta title={a.exam?.title ?? a.course?.title} description={t('learning.deadlineAt', { at: formatTime(a.deadline) })} />
              </List.Item>
            );
          }} />
      </Card>
      <AdminExtras closedExams={exams.filter((e) => e.isClosed)} />
    </Space>
  );
  return (
    <Card size="small" data-testid="learning-admin">
      <Tabs activeKey={params.get('tab') ?? 'exams'} onChange={(tab) => setParams({ tab }, { replace: true })} items={[
        { key: 'exams', label: t('learning.tabs.exams'), children: examsTab },
        { key: 'courses', label: t('learning.tabs.courses'), children: <CourseAdmin /> },
        { key: 'bank', label: t('learning.tabs.bank'), children: <BankAdmin onChanged={refresh} /> },
        { key: 'quiz', label: t('learning.tabs.quiz'), children: <QuizAdmin topics={topics} /> },
      ]} />
    </Card>
  );
}
