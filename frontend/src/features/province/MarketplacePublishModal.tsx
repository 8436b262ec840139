// Publish an external app (or a new version of it) for a province's, city's or county's
// subtree from its manifest document. The server validates the document against its schema and
// names every bad field by its path (`version`, `webhooks.0.url`); they show under the editor.
import { useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { AUTHORITY_LEVELS } from './levels';
import { MarketplaceUnitSelect } from './MarketplaceUnitSelect';

const RegisterExternalAppMutation = graphql(`
  mutation RegisterExternalApp($input: RegisterExternalAppInput!) {
    registerExternalApp(input: $input) {
      app {
        id
        key
        name
        version
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const TEMPLATE = JSON.stringify(
  {
    key: 'bed_board',
    name: '床位看板',
    nameEn: 'Bed board',
    description: '',
    version: '1.0.0',
    category: 'clinical',
    launchUrl: 'https://apps.example.cn/bed-board',
    permissions: [],
    webhooks: [],
    changeNotes: '',
  },
  null,
  2,
);

interface Values {
  publisher: string;
  manifest: string;
}

export function MarketplacePublishModal({ onClose, onPublished }: { onClose: () => void; onPublished: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [state, register] = useMutation(RegisterExternalAppMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);

  async function submit() {
    const v = await form.validateFields();
    setProblems([]);
    try {
      JSON.parse(v.manifest);
    } catch {
      return form.setFields([{ name: 'manifest', errors: [t('consoleMarket.notJson')] }]);
    }
    const result = await register({ input: { publisher: v.publisher, manifest: v.manifest } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.registerExternalApp;
    if (payload?.errors.length) {
      // Everything but the publisher is a path inside the document: each shows under the editor, by its path.
      const onPublisher = payload.errors.filter((e) => e.field === 'publisher').map((e) => e.message);
      const inDocument = payload.errors
        .filter((e) => e.field !== 'publisher')
        .map((e) => (e.field && e.field !== 'manifest' ? `${e.field}：${e.message}` : e.message));
      return form.setFields([
        { name: 'publisher', errors: onPublisher },
        { name: 'manifest', errors: inDocument },
      ]);
    }
    if (payload?.app) {
      message.success(t('consoleMarket.published', { name: payload.app.name, version: payload.app.version }));
      onPublished();
    }
  }

  return (
    <Modal open title={t('consoleMarket.publishTitle')} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t('consoleMarket.publish')} width={640} destroyOnHidden>
      <FormErrors errors={problems} />
      <Typography.Paragraph type="secondary">{t('consoleMarket.publishHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" data-testid="publish-form" initialValues={{ manifest: TEMPLATE }}>
        <Form.Item name="publisher" label={t('consoleMarket.publisher')} extra={t('consoleMarket.publisherHint')} rules={[{ required: true, message: t('common.required') }]}>
          <MarketplaceUnitSelect levels={AUTHORITY_LEVELS} data-testid="publisher" />
        </Form.Item>
        <Form.Item name="manifest" label={t('consoleMarket.manifest')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.TextArea autoSize={{ minRows: 8, maxRows: 18 }} spellCheck={false} style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="manifest" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
