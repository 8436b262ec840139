// Loading, error and empty states, the same on every page.
import type { ReactNode } from 'react';
import { Alert, Button, Empty, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { errorText, topLevelCode } from '../api/errors';

interface Props {
  fetching: boolean;
  error?: CombinedError;
  /** True when there is data to show. */
  hasData: boolean;
  isEmpty?: boolean;
  emptyText?: ReactNode;
  onRetry?: () => void;
  children: ReactNode;
}

export function QueryState({ fetching, error, hasData, isEmpty, emptyText, onRetry, children }: Props) {
  const { t } = useTranslation();
  if (error && !hasData) {
    const code = topLevelCode(error);
    return (
      <Result
        status={code === 'PERMISSION_DENIED' || code === 'TENANT_ACCESS_DENIED' ? '403' : 'warning'}
        title={t('common.loadFailed')}
        subTitle={<span data-testid="error-text">{errorText(error)}</span>}
        extra={onRetry && <Button onClick={onRetry}>{t('common.retry')}</Button>}
      />
    );
  }
  if (fetching && !hasData) return <Skeleton active paragraph={{ rows: 4 }} data-testid="loading" />;
  if (isEmpty) return <Empty description={emptyText ?? t('common.empty')} />;
  return (
    <>
      {error && <Alert type="warning" showIcon title={errorText(error)} style={{ marginBottom: 12 }} />}
      {children}
    </>
  );
}

/** Payload errors that belong to no form field, shown above the form. */
export function FormErrors({ errors }: { errors: readonly { message: string; code: string }[] }) {
  if (!errors.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="form-errors"
      style={{ marginBottom: 16 }}
      title={errors.length === 1 ? errors[0].message : <ul style={{ margin: 0, paddingLeft: 18 }}>{errors.map((e) => <li key={e.code + e.message}>{e.message}</li>)}</ul>}
    />
  );
}
