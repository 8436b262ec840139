// An approval on its own page, /approvals/instances/12 (the server's links name this page; older ones said /apps/approvals/instances/12, which the to-do centre maps here).
import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApprovalDetail } from './ApprovalDetail';
import { globalId } from './operations';

export default function InstancePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  return (
    <Card title={t('approvals.detail')} style={{ maxWidth: 760 }}>
      <ApprovalDetail id={globalId('ApprovalInstance', id)} />
    </Card>
  );
}
