// Where a supervision page looks: a node of the tree and a period, both kept in the address
// (so drill-down, the back button and links work), starting at the reader's topmost node.
import { Breadcrumb, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { SupervisionNodeQuery, SupervisionScopeQuery } from './operations';
import { validPeriod, type PeriodKind } from './periods';

export interface Place {
  unit?: string;
  period?: string;
  /** A data set's code (the approval page); null goes back to the standard one. */
  dataSet?: string | null;
}

/** `kinds`: the kinds of period the page shows, or, where a data set decides, a function of its code. */
export function useSupervisionPlace(kinds: PeriodKind[] | ((dataSet: string | null) => PeriodKind[])) {
  const [params, setParams] = useSearchParams();
  const [scope, reexecuteScope] = useQuery({ query: SupervisionScopeQuery });
  const unit = params.get('unit') || scope.data?.supervisionScope.nodes[0]?.id || null;
  const dataSet = params.get('set');
  const period = validPeriod(params.get('period'), typeof kinds === 'function' ? kinds(dataSet) : kinds);
  const go = (next: Place) => {
    const set = next.dataSet === undefined ? dataSet : next.dataSet;
    setParams({ unit: next.unit ?? unit ?? '', period: next.period ?? period, ...(set ? { set } : {}) });
  };
  return { scope, reexecuteScope, unit, period, dataSet, go };
}

export function levelName(t: (key: string) => string, level: string): string {
  return t(`level.${level.toUpperCase()}`);
}

/** The path from the reader's topmost node down to this one, and a choice of its children. */
export function NodeTrail({ unit, onSelect }: { unit: string; onSelect: (unit: string) => void }) {
  const { t } = useTranslation();
  const [result] = useQuery({ query: SupervisionNodeQuery, variables: { unit } });
  const view = result.data?.supervisionNode;
  if (!view) return <Typography.Text type="secondary">…</Typography.Text>;
  return (
    <Space wrap size={8} data-testid="node-trail">
      <Breadcrumb
        items={[
          ...view.ancestors.map((a) => ({
            key: a.id,
            title: (
              <a onClick={() => onSelect(a.id)} data-testid="trail-ancestor">
                {a.name}
              </a>
            ),
          })),
          { key: view.node.id, title: <span data-testid="trail-current">{view.node.name}</span> },
        ]}
      />
      {view.children.length > 0 && (
        <Select
          placeholder={t('supervision.drillDown')}
          value={null}
          onChange={(id: string) => onSelect(id)}
          options={view.children.map((c) => ({ value: c.id, label: c.name }))}
          style={{ minWidth: 180 }}
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('supervision.drillDown')}
          data-testid="drill-select"
        />
      )}
    </Space>
  );
}

/** The global ID of an org unit from its number (the dashboard's rows carry numbers). */
export const orgUnitId = (pk: number | string) => btoa(`OrgUnit:${pk}`);
