// On the learning admin page: item analysis of closed exams, and the year's credits as Excel.
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, List, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClient } from 'urql';
import { CreditExportQuery } from './courseOperations';

export function saveXlsx(base64: string, name: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export default function AdminExtras({ closedExams }: { closedExams: { id: string; title: string }[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useClient();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [loading, setLoading] = useState(false);
  const exportCredits = async () => {
    setLoading(true);
    const r = await client.query(CreditExportQuery, { year }, { requestPolicy: 'network-only' }).toPromise();
    setLoading(false);
    if (r.data) saveXlsx(r.data.learningCreditExport, t('learning.creditFile', { year }));
  };
  return (
    <>
      <Card title={t('learning.itemAnalysis')} size="small">
        <List size="small" dataSource={closedExams} locale={{ emptyText: t('learning.noClosedExams') }} renderItem={(e) => (
          <List.Item onClick={() => navigate(`/learning/exams/${encodeURIComponent(e.id)}/analysis`)} style={{ cursor: 'pointer' }}
            data-testid="learning-analysis-row">{e.title}</List.Item>
        )} />
      </Card>
      <Card title={t('learning.creditExport')} size="small">
        <Space wrap>
          <Select value={year} onChange={setYear} options={[0, 1, 2].map((d) => ({ value: thisYear - d, label: String(thisYear - d) }))}
            aria-label={t('learning.year')} />
          <Button icon={<DownloadOutlined />} loading={loading} onClick={exportCredits} data-testid="learning-credit-export">
            {t('learning.exportCredits')}
          </Button>
        </Space>
      </Card>
    </>
  );
}
