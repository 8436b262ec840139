// Lifecycle steps registered for a later time (入职, 调动, 调岗, 离职 not yet in effect), with
// undo. Shown to those who manage the organisation; beat applies each at its time.
import { App, Button, List, Popconfirm, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, type UseQueryResponse } from 'urql';
import { graphql } from '../../gql';
import type { PendingLifecycleEventsQuery } from '../../gql/graphql';
import { errorText } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';

export const PendingEventsQuery = graphql(`
  query PendingLifecycleEvents($first: Int) {
    lifecycleEvents(status: PENDING, first: $first) {
      totalCount
      edges {
        node {
          ...LifecycleEventFields
        }
      }
    }
  }
`);

const CancelMutation = graphql(`
  mutation CancelLifecycleEvent($input: CancelLifecycleEventInput!) {
    cancelLifecycleEvent(input: $input) {
      event {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Props {
  events: UseQueryResponse<PendingLifecycleEventsQuery>[0];
  onRetry: () => void;
  onChanged: () => void;
}

export function PendingEvents({ events, onRetry, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [, cancel] = useMutation(CancelMutation);
  const rows = events.data?.lifecycleEvents.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];

  async function undo(id: string) {
    const r = await cancel({ input: { event: id } });
    if (r.error) return message.error(errorText(r.error));
    const errors = r.data?.cancelLifecycleEvent?.errors ?? [];
    if (errors.length) return message.error(errors.map((e) => e.message).join('；'));
    message.success(t('org.eventCancelled'));
    onChanged();
  }

  return (
    <QueryState fetching={events.fetching} error={events.error} hasData={!!events.data} isEmpty={rows.length === 0} emptyText={t('org.noPendingEvents')} onRetry={onRetry}>
      <List
        size="small"
        data-testid="pending-events"
        dataSource={rows}
        rowKey="id"
        renderItem={(e) => (
          <List.Item
            actions={[
              <Popconfirm key="cancel" title={t('org.cancelEventConfirm')} onConfirm={() => undo(e.id)}>
                <Button size="small" type="link" danger>
                  {t('org.cancelEvent')}
                </Button>
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              title={
                <>
                  <Tag bordered={false} color="blue">{t(`lifecycleKind.${e.kind}`)}</Tag>
                  <Typography.Text strong>{e.staff.name}</Typography.Text> <Typography.Text type="secondary">{e.staff.staffNo}</Typography.Text>
                </>
              }
              description={t('org.effectiveOn', { time: formatTime(e.effectiveAt) }) + (e.reason ? ` · ${e.reason}` : '')}
            />
          </List.Item>
        )}
      />
    </QueryState>
  );
}
