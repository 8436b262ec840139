// Publish an external app (or a new version of it) for a province's, city's or county's
// subtree: a form for the manifest's fields, or its JSON document for advanced use (webhooks).
// The server validates the document against its schema and names every bad field by its path
// (`version`, `webhooks.0.url`); each shows under its form field, or under the JSON editor.
import { useState } from 'react';
import { App, Col, Form, Input, Modal, Row, Segmented, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { CATEGORIES } from '../marketplace/categories';
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

/** The manifest's fields the form edits; everything else (webhooks, icon) passes through. */
interface Manifest {
  key?: string;
  name?: string;
  nameEn?: string;
  description?: string;
  version?: string;
  category?: string;
  launchUrl?: string;
  permissions?: string[];
  changeNotes?: string;
  [other: string]: unknown;
}

const FORM_FIELDS = ['key', 'name', 'nameEn', 'description', 'version', 'category', 'launchUrl', 'permissions', 'changeNotes'] as const;

const TEMPLATE: Manifest = {
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
};

type Mode = 'form' | 'json';

interface Values extends Manifest {
  publisher: string;
  manifest: string;
}

/** The document the form describes: empty optional texts are left out. */
function documentOf(values: Values, extra: Manifest): Manifest {
  const doc: Record<string, unknown> = { ...extra };
  for (const f of FORM_FIELDS) {
    const v: unknown = values[f];
    if (typeof v === 'string' && v.trim()) doc[f] = v.trim();
    else if (Array.isArray(v)) doc[f] = v;
    else delete doc[f];
  }
  return doc as Manifest;
}

function parse(text: string): Manifest | null {
  try {
    const doc: unknown = JSON.parse(text);
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Manifest) : null;
  } catch {
    return null;
  }
}

export function MarketplacePublishModal({ onClose, onPublished }: { onClose: () => void; onPublished: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [state, register] = useMutation(RegisterExternalAppMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [mode, setMode] = useState<Mode>('form');
  // What the form does not edit (webhooks, icon), kept from the JSON document between modes.
  const [extra, setExtra] = useState<Manifest>({ webhooks: [] });

  function switchTo(next: Mode) {
    setProblems([]);
    if (next === 'json') {
      form.setFieldsValue({ manifest: JSON.stringify(documentOf(form.getFieldsValue(true), extra), null, 2) });
    } else {
      const doc = parse(form.getFieldValue('manifest') ?? '');
      if (!doc) return form.setFields([{ name: 'manifest', errors: [t('consoleMarket.notJson')] }]);
      const rest: Manifest = { ...doc };
      for (const f of FORM_FIELDS) delete rest[f];
      setExtra(rest);
      form.setFieldsValue(Object.fromEntries(FORM_FIELDS.map((f) => [f, doc[f]])));
    }
    setMode(next);
  }

  async function submit() {
    const v = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!v) return;
    setProblems([]);
    const doc = mode === 'form' ? documentOf(v, extra) : parse(v.manifest);
    if (!doc) return form.setFields([{ name: 'manifest', errors: [t('consoleMarket.notJson')] }]);
    const result = await register({ input: { publisher: v.publisher, manifest: JSON.stringify(doc) } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.registerExternalApp;
    if (payload?.errors.length) {
      if (mode === 'form') {
        // each under its field; what the form does not show (webhooks.0.url) is named above it
        const rest = applyFieldErrors(form, payload.errors);
        return setProblems(rest.map((e) => ({ ...e, message: e.field && e.field !== 'manifest' ? `${e.field}：${e.message}` : e.message })));
      }
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

  const required = [{ required: true, message: t('common.required') }];
  return (
    <Modal open title={t('consoleMarket.publishTitle')} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t('consoleMarket.publish')} width={640} destroyOnHidden>
      <FormErrors errors={problems} />
      <Segmented<Mode>
        value={mode}
        onChange={switchTo}
        options={[
          { value: 'form', label: t('consoleMarket.modeForm') },
          { value: 'json', label: t('consoleMarket.modeJson') },
        ]}
        style={{ marginBottom: 12 }}
        data-testid="publish-mode"
      />
      <Typography.Paragraph type="secondary">{mode === 'form' ? t('consoleMarket.formHint') : t('consoleMarket.publishHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" data-testid="publish-form" initialValues={{ ...TEMPLATE, manifest: JSON.stringify(TEMPLATE, null, 2) }}>
        <Form.Item name="publisher" label={t('consoleMarket.publisher')} extra={t('consoleMarket.publisherHint')} rules={required}>
          <MarketplaceUnitSelect levels={AUTHORITY_LEVELS} data-testid="publisher" />
        </Form.Item>
        {mode === 'json' ? (
          <Form.Item name="manifest" label={t('consoleMarket.manifest')} rules={required}>
            <Input.TextArea autoSize={{ minRows: 8, maxRows: 18 }} spellCheck={false} style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="manifest" />
          </Form.Item>
        ) : (
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="name" label={t('consoleMarket.appName')} rules={required}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="nameEn" label={t('consoleMarket.appNameEn')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="key" label={t('consoleMarket.appKey')} extra={t('consoleMarket.appKeyHint')} rules={required}>
                <Input spellCheck={false} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="version" label={t('consoleMarket.version')} rules={required}>
                <Input placeholder="1.0.0" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name="category" label={t('consoleMarket.category')} rules={required}>
                <Select options={CATEGORIES.map((c) => ({ value: c.toLowerCase(), label: t(`appCategory.${c}`) }))} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="launchUrl" label={t('consoleMarket.launchUrl')} rules={required}>
                <Input placeholder="https://" spellCheck={false} />
              </Form.Item>
              <Form.Item name="description" label={t('consoleMarket.description')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
              </Form.Item>
              <Form.Item name="permissions" label={t('consoleMarket.permissions')} extra={t('consoleMarket.permissionsHint')}>
                <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} placeholder="platform.view_hierarchy" />
              </Form.Item>
              <Form.Item name="changeNotes" label={t('consoleMarket.changeNotes')}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
              </Form.Item>
            </Col>
          </Row>
        )}
      </Form>
    </Modal>
  );
}
