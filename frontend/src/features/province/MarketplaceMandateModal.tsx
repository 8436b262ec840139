// Require a built-in app for every tenant under a node (a city, a county, a community, or the
// whole province), new tenants included. A background job installs it where it is missing; the
// console's list of mandates shows how far it has got.
import { useState } from 'react';
import { App, Form, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { MarketplaceUnitSelect } from './MarketplaceUnitSelect';

const MandateAppMutation = graphql(`
  mutation MandateApp($input: MandateAppInput!) {
    mandateApp(input: $input) {
      mandate {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Values {
  app: string;
  node: string;
}

interface Props {
  apps: { key: string; name: string }[];
  initialApp?: string;
  onClose: () => void;
  onMandated: () => void;
}

export function MarketplaceMandateModal({ apps, initialApp, onClose, onMandated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [state, mandate] = useMutation(MandateAppMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);

  async function submit() {
    const v = await form.validateFields();
    setProblems([]);
    const result = await mandate({ input: { app: v.app, node: v.node } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.mandateApp;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    message.success(t('consoleMarket.mandated'));
    onMandated();
  }

  return (
    <Modal open title={t('consoleMarket.mandateTitle')} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t('consoleMarket.mandate')} destroyOnHidden>
      <FormErrors errors={problems} />
      <Typography.Paragraph type="secondary">{t('consoleMarket.mandateHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" data-testid="mandate-form" initialValues={{ app: initialApp }}>
        <Form.Item name="app" label={t('consoleMarket.app')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={apps.map((a) => ({ value: a.key, label: a.name }))} data-testid="mandate-app" />
        </Form.Item>
        <Form.Item name="node" label={t('consoleMarket.region')} extra={t('consoleMarket.regionHint')} rules={[{ required: true, message: t('common.required') }]}>
          <MarketplaceUnitSelect levels={['PROVINCE', 'CITY', 'COUNTY', 'LEAD', 'HOSPITAL']} data-testid="mandate-node" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
