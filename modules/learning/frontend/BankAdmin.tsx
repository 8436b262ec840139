// 题库: the questions with their keys, filtered by topic, type or words of the stem; add or edit
// one by hand (every type) or import many from Excel.
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import type { LearningQuestionKind } from '@workbench/gql/graphql';
import { QuestionsQuery } from './adminOperations';
import LearningImport from './LearningImport';
import QuestionEditor, { type Question } from './QuestionEditor';

const KINDS: LearningQuestionKind[] = ['SINGLE', 'MULTIPLE', 'TRUE_FALSE', 'FILL', 'SHORT'];

export default function BankAdmin({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [topic, setTopic] = useState<string | undefined>();
  const [kind, setKind] = useState<LearningQuestionKind | undefined>();
  const [result, reexecute] = useQuery({ query: QuestionsQuery, variables: { search, topic, kind }, requestPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<Question | null | undefined>(undefined); // null: a new question
  const [importing, setImporting] = useState(false);
  const questions = (result.data?.learningQuestions.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const topics = [...new Set((result.data?.learningBankStats ?? []).map((s) => s.topic))];
  const refresh = () => {
    reexecute({ requestPolicy: 'network-only' });
    onChanged();
  };
  return (
    <div data-testid="learning-bank-admin">
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="learning-new-question">{t('learning.qa.new')}</Button>
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="learning-import-questions">{t('learning.qa.import')}</Button>
        <Select allowClear placeholder={t('learning.topic')} value={topic} onChange={setTopic} style={{ width: 120 }}
          options={topics.map((x) => ({ value: x, label: x }))} />
        <Select allowClear placeholder={t('learning.qa.kind')} value={kind} onChange={setKind} style={{ width: 120 }}
          options={KINDS.map((k) => ({ value: k, label: t(`learning.kind.${k}`) }))} />
        <Input.Search allowClear placeholder={t('learning.qa.search')} onSearch={setSearch} style={{ width: 180 }} />
      </Space>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={refresh}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('learning.qa.total', { n: result.data?.learningQuestions.totalCount ?? 0 })}
        </Typography.Paragraph>
        <Table size="small" rowKey="id" dataSource={questions} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }}
          onRow={(q) => ({ onClick: () => setEditing(q), style: { cursor: 'pointer' }, 'data-testid': 'learning-question-row' } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t('learning.stem'), dataIndex: 'stem', ellipsis: true, render: (s: string, q) => (
              <span style={{ opacity: q.isActive ? 1 : 0.5 }}>{s}</span>
            ) },
            { title: t('learning.qa.kind'), dataIndex: 'kind', width: 90, render: (k: LearningQuestionKind) => <Tag>{t(`learning.kind.${k}`)}</Tag> },
            { title: t('learning.topic'), dataIndex: 'topic', width: 100, responsive: ['sm'] },
            { title: t('learning.difficultyLabel'), dataIndex: 'difficulty', width: 70, responsive: ['md'], render: (d: string) => t(`learning.difficulty.${d}`) },
            { title: t('learning.ca.status'), width: 80, responsive: ['md'], render: (_v, q) => (q.isActive ? t('learning.qa.inUse') : t('learning.qa.retired')) },
          ]} />
      </QueryState>
      {editing !== undefined && (
        <QuestionEditor question={editing} topics={topics} onClose={() => setEditing(undefined)} onSaved={() => {
          void message.success(t('learning.qa.saved'));
          setEditing(undefined);
          refresh();
        }} />
      )}
      {importing && <LearningImport what="questions" onClose={() => setImporting(false)} onImported={refresh} />}
    </div>
  );
}
