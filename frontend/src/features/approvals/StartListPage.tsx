// 发起审批: the templates the reader may start (the server applies each template's audience).
import { Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '../../components/QueryState';
import { ApprovalTemplatesQuery } from './operations';

export default function StartListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({ query: ApprovalTemplatesQuery, variables: { startable: true } });
  const templates = (result.data?.approvalTemplates ?? []).filter((x) => x.kind === 'APPROVAL' || x.kind === 'COLLECTION');
  const categories = [...new Set(templates.map((x) => x.category || t('approvals.otherCategory')))];
  return (
    <Card title={t('approvals.startTitle')} data-testid="approval-templates">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={templates.length === 0} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {categories.map((cat) => (
          <div key={cat} style={{ marginBottom: 16 }}>
            <Typography.Title level={5}>{cat}</Typography.Title>
            <Row gutter={[8, 8]}>
              {templates
                .filter((x) => (x.category || t('approvals.otherCategory')) === cat)
                .map((x) => (
                  <Col key={x.id} xs={12} sm={8} md={6} lg={4}>
                    <Card size="small" hoverable onClick={() => navigate(`/approvals/start/${encodeURIComponent(x.id)}`)} data-testid={`template-${x.key}`}>
                      <Typography.Text strong ellipsis>
                        {x.name}
                      </Typography.Text>
                    </Card>
                  </Col>
                ))}
            </Row>
          </div>
        ))}
      </QueryState>
    </Card>
  );
}
