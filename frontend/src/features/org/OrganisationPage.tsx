// The unit's organisation: the department tree (children load as a node opens) and the staff in
// the chosen department, searchable by name, full pinyin (zhangsan), initials (zs), staff number
// or the last digits of a mobile; the Excel import of departments and staff; and, for those who
// manage the organisation, the lifecycle: 入职 (a button), 调动 / 调岗 / 离职 on each row, and the
// steps registered for later with undo.
import { useCallback, useEffect, useMemo, useState, type Key } from 'react';
import { Button, Card, Col, Dropdown, Input, Row, Table, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { MoreOutlined, UploadOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DepartmentFieldsFragment } from '../../gql/graphql';
import { errorText } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { ImportModal } from './ImportModal';
import { OnboardModal } from './OnboardModal';
import { PendingEvents, PendingEventsQuery } from './PendingEvents';
import { StaffActionModal, type StaffAction, type StaffRow } from './StaffActionModal';
import { useAccess } from '../../app/access';

graphql(`
  fragment DepartmentFields on Department {
    id
    code
    name
    kind
    category
    isActive
  }
`);

const DepartmentsQuery = graphql(`
  query Departments($parent: ID, $first: Int) {
    departments(parent: $parent, first: $first) {
      totalCount
      edges {
        node {
          ...DepartmentFields
        }
      }
    }
  }
`);

const ContactsQuery = graphql(`
  query Contacts($search: String, $department: ID, $first: Int) {
    contacts(search: $search, department: $department, first: $first) {
      totalCount
      edges {
        node {
          id
          userId
          staffNo
          name
          namePinyin
          post
          position
          title
          mobile
          officePhone
          status
          employmentType
          unit {
            id
          }
          departments {
            id
            name
          }
        }
      }
    }
  }
`);

type Dept = DepartmentFieldsFragment;
interface DeptNode extends TreeDataNode {
  key: string;
  dept: Dept;
  children?: DeptNode[];
}

export default function OrganisationPage() {
  const { t } = useTranslation();
  const client = useClient();
  const [roots, reexecuteRoots] = useQuery({ query: DepartmentsQuery, variables: { first: 100 } });
  const [childrenOf, setChildrenOf] = useState<Record<string, Dept[]>>({});
  const [selected, setSelected] = useState<Dept | null>(null);
  const [search, setSearch] = useState('');
  const [importing, setImporting] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Key[]>([]);
  // Only managers may read the pending lifecycle steps; that answer also decides who sees the actions.
  const [events, reexecuteEvents] = useQuery({ query: PendingEventsQuery, variables: { first: 50 } });
  const canManage = !!events.data;
  // Importing replaces the whole tenant's staff list: it takes managing people over all of it.
  const canImport = useAccess().permissions.has('platform.manage_users');
  const [onboarding, setOnboarding] = useState(false);
  const [acting, setActing] = useState<{ action: StaffAction; staff: StaffRow } | null>(null);
  const [staffVersion, setStaffVersion] = useState(0);
  const lifecycleDone = useCallback(() => {
    setOnboarding(false);
    setActing(null);
    setStaffVersion((v) => v + 1);
    reexecuteEvents({ requestPolicy: 'network-only' });
  }, [reexecuteEvents]);

  const loadChildren = useCallback(
    async (key: string) => {
      const result = await client.query(DepartmentsQuery, { parent: key, first: 100 }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) return setLoadError(errorText(result.error));
      const children = (result.data?.departments.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
      setChildrenOf((m) => ({ ...m, [key]: children }));
    },
    [client],
  );

  const rootDepts = useMemo(() => roots.data?.departments.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [], [roots.data]);
  const tree = useMemo(() => {
    const build = (d: Dept): DeptNode => {
      const children = childrenOf[d.id];
      const node: DeptNode = {
        key: d.id,
        dept: d,
        isLeaf: d.kind === 'WARD',
        title: (
          <span data-testid="dept-node">
            {d.name} <Typography.Text type="secondary">{d.code}</Typography.Text> {!d.isActive && <Tag>{t('org.inactive')}</Tag>}
          </span>
        ),
      };
      return children ? { ...node, children: children.map(build), isLeaf: children.length === 0 } : node;
    };
    return rootDepts.map(build);
  }, [rootDepts, childrenOf, t]);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card
          title={t('org.departments')}
          extra={
            canImport && (
              <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="open-import">
                {t('org.import')}
              </Button>
            )
          }
        >
          <QueryState
            fetching={roots.fetching}
            error={roots.error}
            hasData={!!roots.data}
            isEmpty={roots.data?.departments.totalCount === 0}
            emptyText={canImport ? t('org.noDepartments') : t('org.noDepartmentsYet')}
            onRetry={() => reexecuteRoots({ requestPolicy: 'network-only' })}
          >
            {loadError && <Typography.Text type="danger">{loadError}</Typography.Text>}
            <Tree<DeptNode>
              data-testid="dept-tree"
              treeData={tree}
              blockNode
              expandedKeys={expanded}
              onExpand={setExpanded}
              loadedKeys={Object.keys(childrenOf)}
              loadData={(node) => loadChildren(node.key)}
              selectedKeys={selected ? [selected.id] : []}
              onSelect={(_keys, info) => setSelected(info.selected ? info.node.dept : null)}
            />
          </QueryState>
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <Card
          title={selected ? t('org.staffOf', { name: selected.name }) : t('org.allStaff')}
          extra={
            canManage && (
              <Button icon={<UserAddOutlined />} onClick={() => setOnboarding(true)} data-testid="open-onboard">
                {t('org.onboard')}
              </Button>
            )
          }
        >
          <Input.Search allowClear placeholder={t('org.searchPlaceholder')} onSearch={(v) => setSearch(v.trim())} style={{ marginBottom: 12 }} data-testid="contact-search" />
          <StaffTable search={search} department={selected?.id ?? null} version={staffVersion} onAction={canManage ? (action, staff) => setActing({ action, staff }) : undefined} />
        </Card>
        {canManage && (
          <Card title={t('org.pendingEvents')} style={{ marginTop: 16 }} size="small">
            <PendingEvents events={events} onRetry={() => reexecuteEvents({ requestPolicy: 'network-only' })} onChanged={lifecycleDone} />
          </Card>
        )}
      </Col>
      {onboarding && <OnboardModal onClose={() => setOnboarding(false)} onDone={lifecycleDone} />}
      {acting && <StaffActionModal action={acting.action} staff={acting.staff} onClose={() => setActing(null)} onDone={lifecycleDone} />}
      {importing && (
        <ImportModal
          onClose={() => setImporting(false)}
          onImported={() => {
            setChildrenOf({});
            setExpanded([]);
            reexecuteRoots({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </Row>
  );
}

interface StaffTableProps {
  search: string;
  department: string | null;
  /** Bumped after a lifecycle step: the list reads again. */
  version: number;
  onAction?: (action: StaffAction, staff: StaffRow) => void;
}

const ACTIONS: StaffAction[] = ['transfer', 'post', 'leave'];

function StaffTable({ search, department, version, onAction }: StaffTableProps) {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: ContactsQuery, variables: { search: search || null, department, first: 100 } });
  const rows = result.data?.contacts.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  useEffect(() => {
    if (version > 0) reexecute({ requestPolicy: 'network-only' });
  }, [version, reexecute]);
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!result.data}
      isEmpty={rows.length === 0}
      emptyText={search ? t('org.noMatch') : t('org.noStaff')}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <Table
        data-testid="staff-table"
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: t('org.staffNo'), dataIndex: 'staffNo', width: 90 },
          {
            title: t('org.name'),
            key: 'name',
            render: (_v, r) => (
              <>
                <Typography.Text strong>{r.name}</Typography.Text> <Typography.Text type="secondary">{r.namePinyin}</Typography.Text>
              </>
            ),
          },
          { title: t('org.department'), key: 'dept', render: (_v, r) => r.departments.map((d) => d.name).join('、') },
          { title: t('org.post'), key: 'post', render: (_v, r) => [r.position, r.title].filter(Boolean).join(' · ') || r.post },
          { title: t('org.phone'), key: 'phone', render: (_v, r) => r.mobile || r.officePhone || '—' },
          { title: t('org.status'), dataIndex: 'status', width: 80, render: (s: string) => <Tag color={s === 'ACTIVE' ? 'green' : undefined}>{t(`staffStatus.${s}`)}</Tag> },
          ...(onAction
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 64,
                  fixed: 'right' as const,
                  render: (_v: unknown, r: StaffRow) => (
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
              ]
            : []),
        ]}
      />
    </QueryState>
  );
}
