// The unit's organisation: the department tree (children load as a node opens; on a phone it sits
// in a drawer behind a selector button) and the people in the chosen department, searchable by
// name, full pinyin (zhangsan), initials (zs), staff number or the last digits of a mobile. Those
// who manage the organisation get the staff table (server pages), the department steps (add,
// rename, move), the Excel import and the lifecycle: 入职 (a button), 调动 / 调岗 / 离职 on each
// row, and the steps registered for later with undo. Everyone else gets the contacts directory.
import { useCallback, useMemo, useState, type Key } from 'react';
import { Button, Card, Col, Drawer, Grid, Input, Row, Space, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { ApartmentOutlined, DownOutlined, PlusOutlined, UploadOutlined, UserAddOutlined } from '@ant-design/icons';
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
import { StaffTable } from './StaffTable';
import { ContactsDirectory } from './ContactsDirectory';
import { DepartmentModal, type DepartmentEdit } from './DepartmentModal';
import { useAccess } from '../../app/access';

graphql(`
  fragment DepartmentFields on Department {
    id
    code
    name
    kind
    category
    isActive
    unit {
      id
      name
    }
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

type Dept = DepartmentFieldsFragment;
interface DeptNode extends TreeDataNode {
  key: string;
  dept: Dept;
  children?: DeptNode[];
}

export default function OrganisationPage() {
  const { t } = useTranslation();
  const client = useClient();
  const phone = !Grid.useBreakpoint().lg;
  const [roots, reexecuteRoots] = useQuery({ query: DepartmentsQuery, variables: { first: 100 } });
  const [childrenOf, setChildrenOf] = useState<Record<string, Dept[]>>({});
  const [selected, setSelected] = useState<Dept | null>(null);
  const [search, setSearch] = useState('');
  const [importing, setImporting] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [treeOpen, setTreeOpen] = useState(false);
  const [editing, setEditing] = useState<DepartmentEdit | null>(null);
  // Managing the organisation decides between the staff table (with its steps) and the directory.
  const access = useAccess();
  const canManage = access.permissions.has('org.manage');
  const [events, reexecuteEvents] = useQuery({ query: PendingEventsQuery, variables: { first: 50 }, pause: !canManage });
  // Importing replaces the whole tenant's staff list: it takes managing people over all of it.
  const canImport = access.permissions.has('platform.manage_users');
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

  // After an add, rename or move: the open branches read again, and stay open.
  const treeChanged = useCallback(() => {
    setEditing(null);
    setSelected(null);
    reexecuteRoots({ requestPolicy: 'network-only' });
    Object.keys(childrenOf).forEach((key) => void loadChildren(key));
  }, [reexecuteRoots, childrenOf, loadChildren]);

  const rootDepts = useMemo(() => roots.data?.departments.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [], [roots.data]);
  const units = useMemo(() => [...new Map(rootDepts.flatMap((d) => (d.unit ? [[d.unit.id, d.unit] as const] : []))).values()], [rootDepts]);
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

  const treeView = (
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
        onSelect={(_keys, info) => {
          setSelected(info.selected ? info.node.dept : null);
          setTreeOpen(false);
        }}
      />
    </QueryState>
  );
  const deptSteps = canManage && (
    <Space wrap size={4} style={{ marginBottom: 8 }}>
      <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('add')} data-testid="dept-add">
        {selected ? t('org.deptAddUnder') : t('org.deptAdd')}
      </Button>
      <Button size="small" disabled={!selected} onClick={() => setEditing('rename')} data-testid="dept-rename">
        {t('org.deptRename')}
      </Button>
      <Button size="small" disabled={!selected} onClick={() => setEditing('move')} data-testid="dept-move">
        {t('org.deptMove')}
      </Button>
    </Space>
  );
  const importButton = canImport && (
    <Button type={phone ? 'default' : 'primary'} icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="open-import">
      {t('org.import')}
    </Button>
  );

  return (
    <Row gutter={[16, 16]}>
      {!phone && (
        <Col lg={8}>
          <Card title={t('org.departments')} extra={importButton}>
            {deptSteps}
            {treeView}
          </Card>
        </Col>
      )}
      <Col xs={24} lg={16}>
        <Card
          title={<span style={{ whiteSpace: 'normal' }}>{selected ? t('org.staffOf', { name: selected.name }) : t('org.allStaff')}</span>}
          extra={
            canManage && (
              <Button icon={<UserAddOutlined />} onClick={() => setOnboarding(true)} data-testid="open-onboard">
                {t('org.onboard')}
              </Button>
            )
          }
        >
          {phone && (
            <Button block icon={<ApartmentOutlined />} onClick={() => setTreeOpen(true)} style={{ marginBottom: 8, textAlign: 'left' }} data-testid="open-dept-drawer">
              {selected ? selected.name : t('org.allDepartments')} <DownOutlined />
            </Button>
          )}
          <Input.Search allowClear placeholder={t('org.searchPlaceholder')} onSearch={(v) => setSearch(v.trim())} style={{ marginBottom: 12 }} data-testid="contact-search" />
          {canManage ? (
            <StaffTable search={search} department={selected?.id ?? null} version={staffVersion} onAction={(action, staff) => setActing({ action, staff })} />
          ) : (
            <ContactsDirectory search={search} department={selected?.id ?? null} />
          )}
        </Card>
        {canManage && (
          <Card title={t('org.pendingEvents')} style={{ marginTop: 16 }} size="small">
            <PendingEvents events={events} onRetry={() => reexecuteEvents({ requestPolicy: 'network-only' })} onChanged={lifecycleDone} />
          </Card>
        )}
      </Col>
      {phone && (
        <Drawer open={treeOpen} onClose={() => setTreeOpen(false)} placement="bottom" size="75%" title={t('org.departments')} extra={importButton}>
          <Button block type={selected ? 'default' : 'primary'} onClick={() => (setSelected(null), setTreeOpen(false))} style={{ marginBottom: 8 }}>
            {t('org.allDepartments')}
          </Button>
          {deptSteps}
          {treeView}
        </Drawer>
      )}
      {editing && <DepartmentModal mode={editing} department={selected} units={units} onClose={() => setEditing(null)} onDone={treeChanged} />}
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
