// Supervision data entry: pick one of the units you report for, one of its data sets and a
// period; the form below is built from the data set (EntryForm).
import { useMemo, useState } from 'react';
import { Card, Col, Empty, Form, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '../../components/QueryState';
import { useSession } from '../../session/session';
import { EntryDataSetsQuery, EntryFormQuery, EntryUnitsQuery } from './EntryOperations';
import { duePeriod, recentPeriods } from './EntryPeriods';
import { EntryForm } from './EntryForm';
import { useSupervisionChanges } from './live';

export default function EntryPage() {
  const { t, i18n } = useTranslation();
  const { tenant } = useSession();
  const [units, refetchUnits] = useQuery({ query: EntryUnitsQuery });
  const unitList = units.data?.supervisionReportingUnits ?? [];
  const [pickedUnit, setUnit] = useState<string | null>(null);
  const unit = pickedUnit ?? unitList[0]?.id ?? null;

  const [sets] = useQuery({ query: EntryDataSetsQuery, variables: { unit }, pause: !unit });
  const setList = useMemo(() => (unit ? sets.data?.supervisionDataSets ?? [] : []), [sets.data, unit]);
  const [pickedSet, setDataSet] = useState<string | null>(null);
  const dataSet = setList.find((s) => s.code === pickedSet) ?? setList[0] ?? null;

  const [pickedPeriod, setPeriod] = useState<string | null>(null);
  const periods = useMemo(() => (dataSet ? recentPeriods(dataSet.periodType) : []), [dataSet]);
  const period = pickedPeriod && periods.includes(pickedPeriod) ? pickedPeriod : dataSet ? duePeriod(dataSet.periodType) : null;

  const ready = Boolean(unit && dataSet && period);
  const [form, refetchForm] = useQuery({
    query: EntryFormQuery,
    variables: { dataSet: dataSet?.code ?? '', unit: unit ?? '', period: period ?? '' },
    pause: !ready,
    requestPolicy: 'cache-and-network',
  });
  const english = i18n.language.startsWith('en');
  // An approver returns, approves or reopens this report elsewhere: show it without a reload (values
  // saved here re-read the form themselves).
  const live = useSupervisionChanges(
    (c) => ready && c.action !== 'save' && c.unit === unit && c.dataSet === dataSet?.code && c.period === period,
    () => refetchForm({ requestPolicy: 'network-only' }),
  );

  return (
    <Card title={t('supervision.entry.title')} data-testid="supervision-entry" data-live={live}>
      <QueryState
        fetching={units.fetching}
        error={units.error}
        hasData={Boolean(units.data)}
        isEmpty={Boolean(units.data) && unitList.length === 0}
        emptyText={t('supervision.entry.noUnits')}
        onRetry={() => refetchUnits({ requestPolicy: 'network-only' })}
      >
        <Form layout="vertical" component="div">
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item label={t('supervision.entry.unit')} htmlFor="entry-unit">
                <Select
                  id="entry-unit"
                  data-testid="entry-unit"
                  value={unit}
                  showSearch={{ optionFilterProp: 'label' }}
                  options={unitList.map((u) => ({ value: u.id, label: u.name }))}
                  onChange={(v) => {
                    setUnit(v);
                    setDataSet(null);
                    setPeriod(null);
                  }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label={t('supervision.entry.dataSet')} htmlFor="entry-data-set">
                <Select
                  id="entry-data-set"
                  data-testid="entry-data-set"
                  value={dataSet?.code ?? null}
                  loading={sets.fetching}
                  options={setList.map((s) => ({
                    value: s.code,
                    label: `${english && s.nameEn ? s.nameEn : s.name}${t('common.paren', { text: t(`supervision.entry.periodType.${s.periodType}`) })}`,
                  }))}
                  onChange={(v) => {
                    setDataSet(v);
                    setPeriod(null);
                  }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item label={t('supervision.entry.period')} htmlFor="entry-period">
                <Select id="entry-period" data-testid="entry-period" value={period} options={periods.map((p) => ({ value: p, label: p }))} onChange={setPeriod} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        {unit && !sets.fetching && sets.data && setList.length === 0 ? (
          <Empty description={t('supervision.entry.noDataSets')} />
        ) : (
          ready && (
            <QueryState
              fetching={form.fetching}
              error={form.error}
              hasData={Boolean(form.data)}
              onRetry={() => refetchForm({ requestPolicy: 'network-only' })}
            >
              {form.data && (
                <EntryForm
                  key={`${unit}|${dataSet?.code}|${period}|${form.data.supervisionEntryForm.step}|${form.data.supervisionEntryForm.locked}|${form.data.supervisionEntryForm.returned?.at ?? ''}`}
                  entry={form.data.supervisionEntryForm}
                  onConsole={tenant === null}
                  onChanged={() => refetchForm({ requestPolicy: 'network-only' })}
                />
              )}
            </QueryState>
          )
        )}
      </QueryState>
    </Card>
  );
}
