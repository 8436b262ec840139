// The workbench's apps: what the signed-in person may open here, by category, with badge counts
// (pending referrals and the like) that change live over `workbenchBadge`.
import { useState } from 'react';
import { Avatar, Badge, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';

const WorkbenchQuery = graphql(`
  query WorkbenchApps {
    workbench {
      category
      label
      apps {
        badge
        app {
          id
          key
          name
          nameEn
          displayName
          icon
          launchUrl
        }
      }
    }
  }
`);

const WorkbenchBadgeSubscription = graphql(`
  subscription WorkbenchBadge {
    workbenchBadge {
      appKey
      badge
    }
  }
`);

/** Nothing at all when the person has no app here (the province console, or none installed). */
export function WorkbenchApps() {
  const { t } = useTranslation();
  const [result] = useQuery({ query: WorkbenchQuery });
  const [live, setLive] = useState<Record<string, number | null>>({});
  useSubscription({ query: WorkbenchBadgeSubscription, pause: !result.data?.workbench.length }, (_prev, event) => {
    const { appKey, badge } = event.workbenchBadge;
    setLive((m) => ({ ...m, [appKey]: badge ?? null }));
    return event;
  });
  const lines = result.data?.workbench.filter((c) => c.apps.length) ?? [];
  if (!lines.length) return null;
  return (
    <Card title={t('home.apps')} style={{ marginBottom: 16 }} data-testid="workbench-apps">
      {lines.map((line) => (
        <div key={line.category} style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{line.label}</Typography.Text>
          <Flex gap={16} wrap style={{ marginTop: 8 }}>
            {line.apps.map(({ app, badge }) => {
              const count = app.key in live ? live[app.key] : badge;
              return (
                <a key={app.id} href={app.launchUrl || undefined} data-testid="workbench-app" data-app={app.key} style={{ width: 88, textAlign: 'center' }}>
                  <Badge count={count ?? 0} data-testid="app-badge">
                    <Avatar shape="square" size={44} style={{ background: '#1677ff' }}>
                      {app.icon && app.icon.length <= 2 ? app.icon : app.name.slice(0, 1)}
                    </Avatar>
                  </Badge>
                  {/* two lines, whole words: an English name is longer than the tile ("Supervision online") */}
                  <Typography.Paragraph ellipsis={{ rows: 2, tooltip: app.displayName }} style={{ fontSize: 12, lineHeight: 1.3, margin: '4px 0 0' }} data-testid="app-name">
                    {app.displayName}
                  </Typography.Paragraph>
                </a>
              );
            })}
          </Flex>
        </div>
      ))}
    </Card>
  );
}
