// Installing an external app (hosted elsewhere, published by the province, a city or a county):
// the admin sees what it asks for, in words, grants what she holds, and then sees the app's API
// token this once — the server keeps only its hash.
import { useState } from 'react';
import { Alert, Button, Checkbox, Flex, Form, Modal, Result, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { MarketAppFieldsFragment } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';

const RequestedPermissionsQuery = graphql(`
  query AppRequestedPermissions($id: ID!) {
    node(id: $id) {
      ... on App {
        id
        launchUrl
        requestedPermissions {
          code
          label
          patientData
          grantable
        }
      }
    }
  }
`);

const InstallExternalMutation = graphql(`
  mutation InstallExternalApp($input: InstallExternalAppInput!) {
    installExternalApp(input: $input) {
      apiToken
      installation {
        status
        version
        grantedPermissions
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
  app: MarketAppFieldsFragment;
  onClose: () => void;
  onInstalled: () => void;
}

export function ExternalInstallModal({ app, onClose, onInstalled }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ permissions: string[] }>();
  const [result, reexecute] = useQuery({ query: RequestedPermissionsQuery, variables: { id: app.id }, requestPolicy: 'network-only' });
  const [state, install] = useMutation(InstallExternalMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [token, setToken] = useState<string | null>(null);
  const node = result.data?.node;
  const details = node && node.__typename === 'App' ? node : null;
  const requested = details?.requestedPermissions ?? [];
  const name = i18n.language === 'en' && app.nameEn ? app.nameEn : app.name;

  async function consent() {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setProblems([]);
    const r = await install({ input: { app: app.key, permissions: values.permissions ?? [] } });
    if (r.error) return setProblems([{ code: 'REQUEST', message: errorText(r.error) }]);
    const payload = r.data?.installExternalApp;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    setToken(payload?.apiToken ?? '');
    onInstalled();
  }

  if (token !== null) {
    return (
      <Modal open title={t('market.externalTitle', { name })} onCancel={onClose} footer={<Button type="primary" onClick={onClose} data-testid="token-done">{t('market.tokenSaved')}</Button>} maskClosable={false}>
        <Result
          status="success"
          title={t('market.externalInstalled', { name })}
          subTitle={t('market.tokenOnce')}
          extra={
            <Typography.Paragraph code copyable={{ text: token }} data-testid="api-token" style={{ wordBreak: 'break-all', textAlign: 'left' }}>
              {token}
            </Typography.Paragraph>
          }
        />
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('market.externalTitle', { name })}
      onCancel={onClose}
      onOk={consent}
      okText={t('market.consentAndInstall')}
      okButtonProps={{ disabled: !details, ...{ 'data-testid': 'consent-install' } }}
      confirmLoading={state.fetching}
      destroyOnHidden
    >
      <QueryState fetching={result.fetching} error={result.error} hasData={!!details} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <Typography.Paragraph>{t('market.externalIntro')}</Typography.Paragraph>
        {details?.launchUrl && (
          <Typography.Paragraph type="secondary" style={{ wordBreak: 'break-all' }}>
            {t('market.launchUrl')}：{details.launchUrl}
          </Typography.Paragraph>
        )}
        <FormErrors errors={problems} />
        <Form form={form} layout="vertical" data-testid="external-consent" initialValues={{ permissions: requested.filter((p) => p.grantable).map((p) => p.code) }}>
          <Form.Item name="permissions" label={t('market.requestedPermissions')} extra={requested.length === 0 ? t('market.noPermissions') : undefined}>
            <Checkbox.Group style={{ width: '100%' }}>
              <Flex vertical gap={8}>
                {requested.map((p) => (
                  <div key={p.code} data-testid="requested-permission">
                    <Checkbox value={p.code} disabled={!p.grantable}>
                      {p.label} <Typography.Text type="secondary">{p.code}</Typography.Text>
                      {p.patientData && <Tag color="red" style={{ marginLeft: 6 }}>{t('market.patientData')}</Tag>}
                      {!p.grantable && <div><Typography.Text type="secondary">{t('market.notHeld')}</Typography.Text></div>}
                    </Checkbox>
                  </div>
                ))}
              </Flex>
            </Checkbox.Group>
          </Form.Item>
        </Form>
        <Alert type="info" showIcon title={t('market.tokenWillShowOnce')} />
      </QueryState>
    </Modal>
  );
}
