// The managers' staff table: one server page at a time with the total, the lifecycle steps on
// each row. Phones never break (nowrap); on a phone only name, phone and the actions show.
import { Button, Dropdown, Table, Tag, Typography } from 'antd';
import { MoreOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { useContactsPage, type ContactRow } from './contacts';
import type { StaffAction, StaffRow } from './StaffActionModal';

interface Props {
  search: string;
  department: string | null;
  /** Bumped after a lifecycle step: the list reads again. */
  version: number;
  onAction: (action: StaffAction, staff: StaffRow) => void;
}

const ACTIONS: StaffAction[] = ['transfer', 'post', 'leave'];

export function StaffTable({ search, department, version, onAction }: Props) {
  const { t } = useTranslation();
  const { result, rows, pagination, pageError, retry } = useContactsPage(search, department, version);
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!result.data}
      isEmpty={rows.length === 0}
      emptyText={search ? t('org.noMatch') : t('org.noStaff')}
      onRetry={retry}
    >
      {pageError && <Typography.Text type="danger">{pageError}</Typography.Text>}
      <Table<ContactRow>
        data-testid="staff-table"
        size="small"
        rowKey="id"
        dataSource={rows}
        loading={result.fetching}
        pagination={{ ...pagination, showTotal: (total) => t('org.total', { count: total }), size: 'small' }}
        tableLayout="auto"
        columns={[
          { title: t('org.staffNo'), dataIndex: 'staffNo', responsive: ['md'] },
          {
            title: t('org.name'),
            key: 'name',
            render: (_v, r) => (
              <>
                <Typography.Text strong>{r.name}</Typography.Text>{' '}
                <Typography.Text type="secondary">{r.namePinyin}</Typography.Text>
              </>
            ),
          },
          { title: t('org.department'), key: 'dept', responsive: ['md'], render: (_v, r) => r.departments.map((d) => d.name).join('、') },
          { title: t('org.post'), key: 'post', responsive: ['lg'], render: (_v, r) => [r.position, r.title].filter(Boolean).join(' · ') || r.post },
          {
            title: t('org.phone'),
            key: 'phone',
            render: (_v, r) => (
              <span style={{ whiteSpace: 'nowrap' }} data-testid="staff-phone">
                {r.mobile || r.officePhone || '—'}
              </span>
            ),
          },
          {
            title: t('org.status'),
            dataIndex: 'status',
            responsive: ['md'],
            render: (s: string) => (
              <Tag color={s === 'ACTIVE' ? 'green' : undefined} style={{ whiteSpace: 'nowrap' }}>
                {t(`staffStatus.${s}`)}
              </Tag>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 64,
            render: (_v, r) => (
              <Dropdown
                trigger={['click']}
                menu={{
                  items: ACTIONS.map((a) => ({ key: a, label: t(`org.action.${a}`), danger: a === 'leave' })),
                  onClick: ({ key }) => onAction(key as StaffAction, r),
                }}
              >
                <Button size="small" type="text" icon={<MoreOutlined />} aria-label={t('common.actions')} data-testid="staff-actions" />
              </Dropdown>
            ),
          },
        ]}
      />
    </QueryState>
  );
}
