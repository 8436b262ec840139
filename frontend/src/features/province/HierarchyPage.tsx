// The province's organisation tree: browse it (children load as one opens a node), add a unit
// under the selected one, move a unit with its subtree, open a tenant for a lead unit or hospital.
import { useCallback, useMemo, useState, type Key, type ReactNode } from 'react';
import { Button, Card, Col, Descriptions, Empty, Flex, Input, List, Row, Space, Tag, Tree, Typography } from 'antd';
import { DragOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { TreeDataNode } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { OrgUnitFieldsFragment } from '../../gql/graphql';
import { errorText } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { CreateUnitModal } from './CreateUnitModal';
import { MoveUnitModal } from './MoveUnitModal';
import { CreateTenantModal } from './CreateTenantModal';
import { TENANT_LEVELS } from './levels';

graphql(`
  fragment OrgUnitFields on OrgUnit {
    id
    name
    shortName
    level
    unitType
    divisionCode
    creditCode
    isActive
    tenantSlug
    childLevels
    parent {
      id
      name
    }
  }
`);

export const OrgUnitsQuery = graphql(`
  query OrgUnits($parent: ID, $search: String, $first: Int, $after: String) {
    orgUnits(parent: $parent, search: $search, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...OrgUnitFields
        }
      }
    }
  }
`);

type Unit = OrgUnitFieldsFragment;
interface UnitNode extends TreeDataNode {
  key: string;
  unit: Unit;
  children?: UnitNode[];
}

function toNode(unit: Unit, label: (u: Unit) => ReactNode): UnitNode {
  return { key: unit.id, title: label(unit), unit, isLeaf: unit.level === 'MEMBER' || unit.level === 'HOSPITAL' };
}

export default function HierarchyPage() {
  const { t } = useTranslation();
  const client = useClient();
  const [roots, reexecuteRoots] = useQuery({ query: OrgUnitsQuery, variables: { first: 100 } });
  // Children of each opened node, as loaded; the tree is derived from the roots and these.
  const [childrenOf, setChildrenOf] = useState<Record<string, Unit[]>>({});
  const [expanded, setExpanded] = useState<Key[] | null>(null);
  const [selected, setSelected] = useState<Unit | null>(null);
  const [modal, setModal] = useState<'create' | 'move' | 'tenant' | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [search, setSearch] = useState('');

  const label = useCallback(
    (u: Unit) => (
      <span data-testid="tree-node">
        {u.name} <Tag bordered={false}>{t(`level.${u.level}`)}</Tag>
        {u.tenantSlug && <Tag color="blue" bordered={false}>{u.tenantSlug}</Tag>}
      </span>
    ),
    [t],
  );

  const rootUnits = useMemo(() => roots.data?.orgUnits.edges.map((e) => e?.node).filter((n): n is Unit => !!n) ?? [], [roots.data]);
  const tree = useMemo(() => {
    const build = (u: Unit): UnitNode => {
      const node = toNode(u, label);
      const children = childrenOf[u.id];
      return children ? { ...node, children: children.map(build), isLeaf: children.length === 0 } : node;
    };
    return rootUnits.map(build);
  }, [rootUnits, childrenOf, label]);

  const loadChildren = useCallback(
    async (key: string) => {
      const result = await client.query(OrgUnitsQuery, { parent: key, first: 100 }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) {
        setLoadError(errorText(result.error));
        return;
      }
      const children = (result.data?.orgUnits.edges ?? []).map((e) => e?.node).filter((n): n is Unit => !!n);
      setChildrenOf((map) => ({ ...map, [key]: children }));
    },
    [client],
  );

  function refreshAll() {
    setSelected(null);
    setChildrenOf({});
    setExpanded(null);
    reexecuteRoots({ requestPolicy: 'network-only' });
  }

  const isTop = (u: Unit) => tree.some((n) => n.key === u.id);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card
          title={t('hierarchy.title')}
          extra={
            <Space>
              <Button icon={<ReloadOutlined />} onClick={refreshAll} aria-label={t('common.refresh')} />
            </Space>
          }
        >
          <Input.Search allowClear placeholder={t('hierarchy.searchPlaceholder')} onSearch={setSearch} style={{ marginBottom: 12 }} data-testid="unit-search" />
          {search ? (
            <SearchResults search={search} onPick={(u) => setSelected(u)} />
          ) : (
            <QueryState
              fetching={roots.fetching}
              error={roots.error}
              hasData={!!roots.data}
              isEmpty={roots.data?.orgUnits.totalCount === 0}
              emptyText={t('hierarchy.empty')}
              onRetry={() => reexecuteRoots({ requestPolicy: 'network-only' })}
            >
              {loadError && <Typography.Text type="danger">{loadError}</Typography.Text>}
              <Tree<UnitNode>
                data-testid="org-tree"
                treeData={tree}
                blockNode
                expandedKeys={expanded ?? rootUnits.map((u) => u.id)}
                loadedKeys={Object.keys(childrenOf)}
                onExpand={(keys) => setExpanded(keys)}
                loadData={(node) => loadChildren(node.key)}
                selectedKeys={selected ? [selected.id] : []}
                onSelect={(_keys, info) => setSelected(info.selected ? info.node.unit : null)}
              />
            </QueryState>
          )}
          {!search && roots.data?.orgUnits.totalCount === 0 && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => { setSelected(null); setModal('create'); }}>
              {t('hierarchy.addProvince')}
            </Button>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title={t('hierarchy.details')} data-testid="unit-details">
          {selected ? (
            <>
              <Descriptions column={1} size="small" bordered>
                <Descriptions.Item label={t('unit.name')}>{selected.name}</Descriptions.Item>
                {selected.shortName ? <Descriptions.Item label={t('unit.shortName')}>{selected.shortName}</Descriptions.Item> : null}
                <Descriptions.Item label={t('unit.level')}>{t(`level.${selected.level}`)}</Descriptions.Item>
                <Descriptions.Item label={t('unit.unitType')}>{t(`unitType.${selected.unitType}`)}</Descriptions.Item>
                {selected.divisionCode ? <Descriptions.Item label={t('unit.divisionCode')}>{selected.divisionCode}</Descriptions.Item> : null}
                {selected.creditCode ? <Descriptions.Item label={t('unit.creditCode')}>{selected.creditCode}</Descriptions.Item> : null}
                <Descriptions.Item label={t('unit.parent')}>{selected.parent?.name ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('unit.tenant')}>{selected.tenantSlug ?? '—'}</Descriptions.Item>
              </Descriptions>
              <Flex gap={8} wrap style={{ marginTop: 16 }}>
                {selected.childLevels.length > 0 && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('create')} data-testid="add-child">
                    {t('hierarchy.addChild')}
                  </Button>
                )}
                {!isTop(selected) && (
                  <Button icon={<DragOutlined />} onClick={() => setModal('move')} data-testid="move-unit">
                    {t('hierarchy.move')}
                  </Button>
                )}
                {TENANT_LEVELS.includes(selected.level) && !selected.tenantSlug && (
                  <Button onClick={() => setModal('tenant')} data-testid="open-tenant">{t('hierarchy.openTenant')}</Button>
                )}
              </Flex>
            </>
          ) : (
            <Empty description={t('hierarchy.selectHint')} />
          )}
        </Card>
      </Col>
      {modal === 'create' && (
      <CreateUnitModal
        open
        parent={selected}
        onClose={() => setModal(null)}
        onCreated={(unit) => {
          setModal(null);
          if (unit.parent) {
            setExpanded((keys) => [...new Set([...(keys ?? rootUnits.map((u) => u.id)), unit.parent!.id])]);
            void loadChildren(unit.parent.id);
          } else refreshAll();
        }}
      />
      )}
      {selected && modal === 'move' && (
        <MoveUnitModal
          open
          unit={selected}
          onClose={() => setModal(null)}
          onMoved={() => {
            setModal(null);
            refreshAll();
          }}
        />
      )}
      {selected && modal === 'tenant' && (
        <CreateTenantModal
          open
          unit={selected}
          onClose={() => setModal(null)}
          onCreated={(slug) => {
            setModal(null);
            setSelected({ ...selected, tenantSlug: slug });
            if (selected.parent) void loadChildren(selected.parent.id);
          }}
        />
      )}
    </Row>
  );
}

function SearchResults({ search, onPick }: { search: string; onPick: (u: Unit) => void }) {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: OrgUnitsQuery, variables: { search, first: 50 } });
  const nodes = result.data?.orgUnits.edges.map((e) => e?.node).filter((n): n is Unit => !!n) ?? [];
  return (
    <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={nodes.length === 0} emptyText={t('hierarchy.noMatch')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      <List
        size="small"
        dataSource={nodes}
        rowKey="id"
        renderItem={(u) => (
          <List.Item onClick={() => onPick(u)} style={{ cursor: 'pointer' }}>
            <List.Item.Meta title={u.name} description={`${t(`level.${u.level}`)} · ${u.parent?.name ?? ''}`} />
          </List.Item>
        )}
      />
    </QueryState>
  );
}
