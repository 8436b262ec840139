// 科室排班: a department's month as a grid (people × days). A scheduler picks a shift in each cell
// (saved at once) and publishes; everyone else reads the published roster.
import { Alert, Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';

const GridQuery = graphql(`
  query RosterGrid($department: ID!, $month: String!, $schedule: Boolean!) {
    rosterCanSchedule
    rosterShiftTypes {
      id
      code
      name
      color
    }
    rosterStaff(department: $department) @include(if: $schedule) {
      user
      name
      cells {
        day
        shift {
          id
          code
          color
        }
      }
    }
    roster(department: $department, month: $month) {
      id
      status
      days
      rows {
        user
        name
        cells {
          day
          shift {
            id
            code
            color
          }
        }
      }
    }
  }
`);

const SetCellsMutation = graphql(`
  mutation SetRosterCells($input: SetRosterCellsInput!) {
    setRosterCells(input: $input) {
      roster {
        id
        status
      }
      errors {
        code
        message
      }
    }
  }
`);

const PublishMutation = graphql(`
  mutation PublishRoster($input: PublishRosterInput!) {
    publishRoster(input: $input) {
      roster {
        id
        status
      }
      errors {
        code
        message
      }
    }
  }
`);

const CanQuery = graphql(`
  query RosterCanSchedule {
    rosterCanSchedule
  }
`);

const thisMonth = () => new Date().toISOString().slice(0, 7);

function daysOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number);
  const n = new Date(y, m, 0).getDate();
  return Array.from({ length: n }, (_v, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

export default function RosterPage() {
  const { t } = useTranslation();
  const [department, setDepartment] = useState<string>();
  const [month, setMonth] = useState(thisMonth());
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [canResult] = useQuery({ query: CanQuery });
  const schedule = !!canResult.data?.rosterCanSchedule;
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const [result, reexecute] = useQuery({ query: GridQuery, variables: { department: department ?? '', month, schedule },
    pause: !department || !valid || canResult.fetching, requestPolicy: 'cache-and-network' });
  const [, setCells] = useMutation(SetCellsMutation);
  const [, publish] = useMutation(PublishMutation);
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const roster = result.data?.roster;
  const can = !!result.data?.rosterCanSchedule;
  const shifts = result.data?.rosterShiftTypes ?? [];
  const days = valid ? daysOf(month) : [];
  const rows = roster?.rows ?? result.data?.rosterStaff ?? [];

  const save = async (user: string, day: string, shift: string | undefined) => {
    if (!department) return;
    const r = await setCells({ input: { department, month, cells: [{ user, day, shift: shift ?? null }] } });
    const e = r.data?.setRosterCells?.errors?.[0];
    setError(e?.message ?? r.error?.message ?? '');
    refresh();
  };

  return (
    <Card title={t('rosters.grid')} data-testid="rosters-grid"
      extra={roster && <Tag color={roster.status === 'PUBLISHED' ? 'green' : 'default'}>{t(`rosters.status.${roster.status}`)}</Tag>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <div style={{ minWidth: 220 }}><DepartmentPicker value={department} onChange={(v) => setDepartment(v as string)} /></div>
        <Input value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 120 }} />
        {can && roster && (
          <Button type="primary" onClick={async () => {
            const r = await publish({ input: { roster: roster.id } });
            const e = r.data?.publishRoster?.errors?.[0];
            setError(e?.message ?? r.error?.message ?? '');
            if (!e && !r.error) setNotice(t('rosters.published'));
            refresh();
          }}>{t('rosters.publish')}</Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {notice && <Alert type="success" showIcon title={notice} style={{ marginBottom: 12 }} />}
      {!department ? <Alert type="info" title={t('rosters.pickDepartment')} /> : (
        <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={!roster && !can}
          emptyText={t('rosters.none')} onRetry={refresh}>
          {can && !roster && (
            <Alert type="info" title={t('rosters.startHint')} style={{ marginBottom: 12 }} />
          )}
          {(roster || can) && (
            <Table size="small" rowKey="user" pagination={false} dataSource={rows} scroll={{ x: true }}
              columns={[
                { title: t('rosters.person'), dataIndex: 'name', fixed: 'left', width: 90 },
                ...days.map((d) => ({
                  title: d.slice(8), key: d, width: can ? 76 : 44,
                  render: (_v: unknown, row: (typeof rows)[number]) => {
                    const cell = row.cells.find((c) => c.day === d);
                    return can ? (
                      <Select size="small" allowClear style={{ width: 68 }} value={cell?.shift.id}
                        options={shifts.map((s) => ({ value: s.id, label: s.code }))} onChange={(v) => save(row.user, d, v)} />
                    ) : cell ? <Tag color={cell.shift.color}>{cell.shift.code}</Tag> : null;
                  },
                })),
              ]} />
          )}
        </QueryState>
      )}
    </Card>
  );
}
