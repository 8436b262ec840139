// The unit's organisation: the department tree (children load as a node opens) and the staff in
// the chosen department, searchable by name, full pinyin (zhangsan), initials (zs), staff number
// or the last digits of a mobile; and the Excel import of departments and staff.
import { useCallback, useMemo, useState, type Key } from 'react';
import { Button, Card, Col, Input, Row, Table, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DepartmentFieldsFragment } from '../../gql/graphql';
import { errorText } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { ImportModal } from './ImportModal';

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
            <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="open-import">
              {t('org.import')}
            </Button>
          }
        >
          <QueryState
            fetching={roots.fetching}
            error={roots.error}
            hasData={!!roots.data}
            isEmpty={roots.data?.departments.totalCount === 0}
            emptyText={t('org.noDepartments')}
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
        <Card title={selected ? t('org.staffOf', { name: selected.name }) : t('org.allStaff')}>
          <Input.Search allowClear placeholder={t('org.searchPlaceholder')} onSearch={(v) => setSearch(v.trim())} style={{ marginBottom: 12 }} data-testid="contact-search" />
          <StaffTable search={search} department={selected?.id ?? null} />
        </Card>
      </Col>
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

function StaffTable({ search, department }: { search: string; department: string | null }) {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: ContactsQuery, variables: { search: search || null, department, first: 100 } });
  const rows = result.data?.contacts.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
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
        ]}
      />
    </QueryState>
  );
}
