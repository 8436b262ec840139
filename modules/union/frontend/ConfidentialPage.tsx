// /union/confidential/:id — where the notices about a request lead (a new one for its counsellor,
// a reply for its member): that request, open, with the way back to 我的求助 or the desk. Anyone
// else finds nothing here, exactly as if it did not exist.
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { QueryState } from '@workbench/components/QueryState';
import { useConfidentialRequests } from './confidentialOperations';
import ConfidentialCard from './ConfidentialCard';

/** The row's number from its Relay ID ("UnionConfidential:12" in base64), as the notice's link has it. */
function pk(id: string): string {
  try {
    return atob(id).split(':')[1] ?? '';
  } catch {
    return '';
  }
}

export default function ConfidentialPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result, reexecute] = useConfidentialRequests();
  const r = result.data?.unionConfidentialRequests.find((x) => pk(x.id) === id);
  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }} data-testid="union-confidential-page">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {r ? (
          <>
            <ConfidentialCard r={r} open />
            <div style={{ marginTop: 8 }}>
              <Link to={r.isMine ? '/union?tab=help' : '/union/counsel'}>{r.isMine ? t('union.help.backMine') : t('union.help.backDesk')}</Link>
            </div>
          </>
        ) : (
          <Result status="404" title={t('union.help.notFound')} extra={<Link to="/union?tab=help">{t('union.help.backMine')}</Link>} />
        )}
      </QueryState>
    </div>
  );
}
