// The member's phone page: today's check-in with points, streak and rank at the top, then the
// activities, the welfare choice and the leaderboard as tabs. Works at 360 px. The server keeps
// the points: whatever may have earned some (a check-in, an activity, an album looked at, a book
// opened) asks it again, and the page asks whenever it is shown (back from the quiz). `?tab=help`
// opens 我的求助 (the confidential requests).
import { useCallback, useState } from 'react';
import { App, Button, Card, Col, Result, Row, Statistic, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { errorText } from '@workbench/api/errors';
import { CheckInUnionMutation, JoinUnionMutation, UnionMeQuery } from './operations';
import ActivitiesTab from './ActivitiesTab';
import WelfareTab from './WelfareTab';
import RankTab from './RankTab';
import CareTab from './CareTab';
import LearnTab from './LearnTab';
import GalleryTab from './GalleryTab';
import HelpTab from './HelpTab';

export default function HomePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [result, reexecute] = useQuery({ query: UnionMeQuery, requestPolicy: 'cache-and-network' });
  const [checking, checkIn] = useMutation(CheckInUnionMutation);
  const [joining, join] = useMutation(JoinUnionMutation);
  const me = result.data?.unionMe;
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  // What the check-in's own answer said, until the page's next read agrees: a read that left the
  // server before the check-in committed can arrive after it and must not turn the button back.
  const [justCheckedIn, setJustCheckedIn] = useState(false);
  const checkedInToday = !!me?.checkedInToday || justCheckedIn;

  async function doCheckIn() {
    const res = await checkIn({});
    const r = res.data?.checkInUnion;
    if (res.error || !r) message.error(errorText(res.error));
    else if (r.errors.length) message.error(r.errors[0].message);
    else {
      if (r.me?.checkedInToday) setJustCheckedIn(true);
      message.success(t('union.checkedInPoints', { streak: r.me?.streak ?? 1 }));
    }
    refresh();
  }

  async function doJoin() {
    const r = (await join({})).data?.joinUnion;
    if (r?.errors.length) message.error(r.errors[0].message);
    refresh();
  }

  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }} data-testid="union-home">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={refresh}>
        {me && !me.isMember && (
          <Result status="info" title={t('union.notMember')} subTitle={t('union.joinHint')}
            extra={<Button type="primary" loading={joining.fetching} onClick={doJoin} data-testid="union-join">{t('union.join')}</Button>} />
        )}
        {me?.isMember && (
          <>
            <Card size="small" style={{ marginBottom: 12 }} title={`${me.name} · ${me.nodeName}`}
              extra={checkedInToday ? <Tag color="green">{t('union.checkedIn')}</Tag> : null}>
              <Row gutter={8}>
                <Col span={8}><Statistic title={t('union.balance')} value={me.balance} data-testid="union-balance" /></Col>
                <Col span={8}><Statistic title={t('union.streak')} value={me.streak} suffix={t('union.days')} /></Col>
                <Col span={8}><Statistic title={t('union.rank')} value={me.rank ?? '-'} data-testid="union-rank" /></Col>
              </Row>
              <Button type="primary" block size="large" style={{ marginTop: 12 }} disabled={checkedInToday}
                loading={checking.fetching} onClick={doCheckIn} data-testid="union-check-in">
                {checkedInToday ? t('union.checkedInToday') : t('union.checkIn')}
              </Button>
            </Card>
            <Tabs
              defaultActiveKey={params.get('tab') ?? undefined}
              items={[
                { key: 'activities', label: t('union.activities'), children: <ActivitiesTab onChange={refresh} /> },
                { key: 'welfare', label: t('union.welfare'), children: <WelfareTab /> },
                { key: 'learn', label: t('union.learn.tab'), children: <LearnTab onPoints={refresh} /> },
                { key: 'gallery', label: t('union.gallery.tab'), children: <GalleryTab onPoints={refresh} /> },
                { key: 'care', label: t('union.care.tab'), children: <CareTab /> },
                { key: 'help', label: t('union.help.tab'), children: <HelpTab /> },
                { key: 'rank', label: t('union.leaderboard'), children: <RankTab balance={me.balance} /> },
              ]}
            />
          </>
        )}
      </QueryState>
    </div>
  );
}
